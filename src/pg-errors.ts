import type { ErrorCode } from './codes.js'

/**
 * What a connection failure means for the readiness wait:
 * - `poll`: cheap and instant ("refused", "starting up") — the server is coming; ask again soon,
 *   because every millisecond between the server becoming ready and us noticing is paid in every job.
 * - `backoff`: it cost the server or the network something (timeouts, too many connections, DNS not
 *   resolvable yet) — back off exponentially so we don't make it worse.
 * - `fatal`: waiting cannot fix it (bad password, missing database, TLS misconfiguration).
 */
export type RetryKind = 'poll' | 'backoff' | 'fatal'

export interface ClassifiedError {
  kind: RetryKind
  /** Short reason for logs and the report, e.g. "connection refused". */
  reason: string
  /** SQLSTATE or Node error code. */
  code?: string
  /** For fatal errors: what to do. */
  hint?: string
  /** For fatal errors: the ActionError code to fail with (connection-failed when not set). */
  actionCode?: ErrorCode
}

interface ErrorLike {
  code?: string
  message?: string
  errors?: unknown[]
}

export function errorCode(error: unknown): string | undefined {
  const e = error as ErrorLike | undefined
  if (!e || typeof e !== 'object') return undefined
  if (typeof e.code === 'string' && e.code) return e.code
  // Node's happy-eyeballs connect reports an AggregateError whose parts carry the code.
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = errorCode(inner)
      if (code) return code
    }
  }
  return undefined
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO'
])

const NO_PASSWORD_HINT =
  "Put the password into database-url, percent-encoded: postgres://user:PASSWORD@host:5432/database (for a service container, the POSTGRES_PASSWORD of the service's env)."

/** What the attempt connected with, so that hints can name its TLS setting and a missing password. */
export interface ConnectionContext {
  /** The URL's `sslmode=…` or `ssl=…` parameter. */
  tls?: string
  hasPassword?: boolean
}

export function classifyConnectionError(error: unknown, context: ConnectionContext = {}): ClassifiedError {
  const code = errorCode(error)
  const message = (error as ErrorLike | undefined)?.message ?? String(error)
  const tls = context.tls

  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'poll', reason: 'connection refused', code }
    case 'ENOENT':
      // A unix socket appears when the server starts listening, like a port that stops refusing.
      return { kind: 'poll', reason: 'no server socket in that directory', code }
    case 'ECONNRESET':
    case 'EPIPE':
      return { kind: 'poll', reason: 'connection reset', code }
    case '57P03':
      return { kind: 'poll', reason: /shut/i.test(message) ? 'the database system is shutting down' : 'the database system is starting up', code }
    case '53300':
      return { kind: 'backoff', reason: 'too many connections', code }
    case '53400':
      return { kind: 'backoff', reason: 'connection limit exceeded', code }
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'backoff', reason: 'host name not resolvable (yet)', code }
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { kind: 'backoff', reason: 'network timeout or unreachable host', code }
    case '28P01':
      // MD5 authentication hashes a missing password as the text "null": the server just says "wrong".
      if (context.hasPassword === false) {
        return { kind: 'fatal', reason: 'password authentication failed, and database-url has no password', code, actionCode: 'auth-failed', hint: NO_PASSWORD_HINT }
      }
      return {
        kind: 'fatal',
        reason: 'password authentication failed',
        code,
        actionCode: 'auth-failed',
        hint: "Check the password in database-url: for a service container it is the POSTGRES_PASSWORD of the service's env."
      }
    case '28000':
      return {
        kind: 'fatal',
        reason: 'the server rejected the role or host (pg_hba.conf)',
        code,
        actionCode: 'auth-failed',
        hint: 'Check the user name in database-url (POSTGRES_USER of a service container) and that pg_hba.conf allows this host and authentication method.'
      }
    case '3D000':
      return {
        kind: 'fatal',
        reason: 'the database does not exist',
        code,
        actionCode: 'database-missing',
        hint: 'Create the database first, or fix the database name in database-url (POSTGRES_DB of a service container; the default database is "postgres").'
      }
    case 'ERR_INVALID_URL':
      return { kind: 'fatal', reason: 'malformed database URL', code, hint: 'Check database-url; percent-encode special characters in the password.' }
  }
  if (code && TLS_CODES.has(code)) {
    return {
      kind: 'fatal',
      reason: `TLS/SSL error (${code})`,
      code,
      actionCode: 'tls-failed',
      hint: `Fix ${tls ?? 'sslmode'} in database-url: service containers usually do not use TLS (sslmode=disable); for a managed server use sslmode=require or give its CA with sslrootcert=<file>.`
    }
  }
  // pg sends the SCRAM or MD5 answer without asking anyone: no password in the URL, PGPASSWORD or ~/.pgpass.
  if (/client password must be a (non-empty )?string/i.test(message)) {
    return {
      kind: 'fatal',
      reason: 'the server asks for a password, but database-url has none',
      code,
      actionCode: 'auth-failed',
      hint: NO_PASSWORD_HINT
    }
  }
  if (/does not support SSL/i.test(message)) {
    return {
      kind: 'fatal',
      reason: 'the server does not accept TLS connections',
      code,
      actionCode: 'tls-failed',
      hint: `database-url asks for TLS (${tls ?? 'ssl'}), which this server does not offer: use sslmode=disable for a server without TLS such as a service container (the pg driver treats prefer like require), or enable TLS on the server.`
    }
  }
  if (/SSL|TLS|certificate/i.test(message)) {
    return { kind: 'fatal', reason: 'TLS/SSL error', code, actionCode: 'tls-failed', hint: `Check ${tls ?? 'sslmode'} and the certificates in database-url.` }
  }
  if (/timeout/i.test(message)) {
    return { kind: 'backoff', reason: 'connection attempt timed out', code }
  }
  if (/Connection terminated unexpectedly|terminated/i.test(message)) {
    return { kind: 'poll', reason: 'connection closed by the server', code }
  }
  if (code && /^08/.test(code)) {
    return { kind: 'backoff', reason: `connection failure (${code})`, code }
  }
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    // Any other SQLSTATE on connect is the server answering deliberately: waiting will not change it.
    return { kind: 'fatal', reason: message, code }
  }
  return { kind: 'backoff', reason: message, code }
}

/** The SQLSTATE of a server error; undefined for network and driver errors ("EPIPE" has five capitals too). */
export function sqlState(error: unknown): string | undefined {
  const code = errorCode(error)
  return code && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('E') ? code : undefined
}

/** Server errors after which a rolled-back migration may simply be run again. */
const RETRYABLE_STATES: Record<string, string> = { '55P03': 'lock_not_available', '40P01': 'deadlock_detected', '40001': 'serialization_failure' }
/** Connection failures (08xxx), and the server shutting down, restarting or terminating the session (57P01–57P03). */
const CONNECTION_STATES = /^(08|57P0[123])/
const CONNECTION_ERRNOS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])
/** node-postgres reports a dropped or closed connection without a code. */
const CONNECTION_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|server closed the connection/i

/** The server went away or the network failed: whatever the session had not committed was rolled back. */
export function isConnectionLost(error: unknown): boolean {
  const code = errorCode(error)
  if (code && (CONNECTION_STATES.test(code) || CONNECTION_ERRNOS.has(code))) return true
  return CONNECTION_MESSAGES.test((error as ErrorLike | undefined)?.message ?? String(error))
}

/** Failures after which a transactional migration was rolled back completely and may simply be run again. */
export function isTransientMigrationError(error: unknown): boolean {
  const state = sqlState(error)
  return (state !== undefined && state in RETRYABLE_STATES) || isConnectionLost(error)
}

/** "lock_not_available (55P03)" or "a lost connection (57P01)", for retry notes. */
export function describeMigrationError(error: unknown): string {
  const state = sqlState(error)
  if (isConnectionLost(error)) return `a lost connection${state ? ` (${state})` : ''}`
  return `${(state && RETRYABLE_STATES[state]) ?? 'SQLSTATE'} (${state})`
}
