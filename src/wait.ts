import type pg from 'pg'
import { Backoff, sleep as realSleep } from './backoff.js'
import { closeQuietly, openClient, type ConnectionOptions } from './connection.js'
import type { DatabaseUrl } from './database-url.js'
import { ActionError, errorMessage } from './errors.js'
import type { Logger } from './logger.js'
import { classifyConnectionError, type ClassifiedError } from './pg-errors.js'
import { echo } from './echo.js'

/** Stage 2: wait until the server answers a real query over the kind of connection migrations use. */

export interface WaitOptions {
  timeoutMs: number
  retryDelayMs: number
  maxRetryDelayMs: number
  connectTimeoutMs: number
}

export interface WaitResult {
  attempts: number
  /** From the first attempt to the ready answer (or to giving up). */
  waitedMs: number
  serverVersion?: string
  serverVersionNum?: number
  /** How often each reason was seen, e.g. { "connection refused": 12 }. */
  reasons: Record<string, number>
  lastError?: string
}

export interface WaitDependencies {
  connect?: (url: DatabaseUrl, options: ConnectionOptions) => Promise<pg.Client>
  sleep?: (ms: number) => Promise<void>
  now?: () => number
  random?: () => number
}

/** A connect attempt shorter than this is pointless; the last attempt may overrun the deadline by it. */
const MIN_ATTEMPT_MS = 1000
/** Repeated identical failures are logged at most this often, so a long wait stays readable. */
const LOG_EVERY_MS = 5000

export async function waitForServer(url: DatabaseUrl, options: WaitOptions, log: Logger, deps: WaitDependencies = {}): Promise<{ client: pg.Client; result: WaitResult }> {
  const connect = deps.connect ?? openClient
  const sleep = deps.sleep ?? realSleep
  const now = deps.now ?? Date.now
  const backoff = new Backoff(options.retryDelayMs, options.maxRetryDelayMs, deps.random)
  const start = now()
  const deadline = start + options.timeoutMs
  const result: WaitResult = { attempts: 0, waitedMs: 0, reasons: {} }
  let lastLogged: { reason: string; at: number } | undefined

  return log.group(`Waiting for PostgreSQL at ${echo(url.host)}:${url.port}/${echo(url.database)}`, async () => {
    for (;;) {
      result.attempts++
      const attemptStart = now()
      const connectTimeoutMs = Math.max(MIN_ATTEMPT_MS, Math.min(options.connectTimeoutMs, deadline - attemptStart))
      let client: pg.Client | undefined
      try {
        client = await connect(url, { connectTimeoutMs })
        const row = await client.query<{ version: string; num: string }>(`SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num`)
        result.waitedMs = now() - start
        result.serverVersion = row.rows[0].version
        result.serverVersionNum = Number(row.rows[0].num)
        log.info(`ready after ${result.attempts} attempt(s), ${formatMs(result.waitedMs)}: PostgreSQL ${result.serverVersion}`)
        return { client, result }
      } catch (error) {
        await closeQuietly(client)
        const failure = classifyConnectionError(error, { tls: url.tls, hasPassword: url.password !== undefined })
        result.reasons[failure.reason] = (result.reasons[failure.reason] ?? 0) + 1
        result.lastError = errorMessage(error)
        result.waitedMs = now() - start
        if (failure.kind === 'fatal') throw fatalError(failure, error, url, result)

        const remaining = deadline - now()
        if (remaining <= 0) throw timeoutError(failure, url, result, options)
        const delay = Math.min(failure.kind === 'poll' ? backoff.poll() : backoff.next(), remaining)
        if (failure.kind === 'poll') backoff.reset()
        const at = now()
        if (!lastLogged || lastLogged.reason !== failure.reason || at - lastLogged.at >= LOG_EVERY_MS) {
          log.info(`attempt ${result.attempts} (+${formatMs(at - start)}): ${failure.reason}; retrying every ${delay} ms`)
          lastLogged = { reason: failure.reason, at }
        }
        await sleep(delay)
      }
    }
  })
}

function fatalError(failure: ClassifiedError, error: unknown, url: DatabaseUrl, result: WaitResult): ActionError {
  return new ActionError(
    failure.actionCode ?? 'connection-failed',
    `Cannot connect to ${echo(url.host)}:${url.port}/${echo(url.database)} as '${echo(url.user)}': ${failure.reason}${failure.code ? ` (${failure.code})` : ''}. Not retried: waiting cannot fix this.`,
    { hint: failure.hint, details: [`Server said: ${errorMessage(error)}`, `Attempts: ${result.attempts}`], cause: error }
  )
}

function timeoutError(failure: ClassifiedError, url: DatabaseUrl, result: WaitResult, options: WaitOptions): ActionError {
  const seen = Object.entries(result.reasons)
    .map(([reason, n]) => `${reason} ×${n}`)
    .join(', ')
  return new ActionError(
    'server-not-ready',
    `PostgreSQL at ${echo(url.host)}:${url.port} was not ready within wait-timeout (${options.timeoutMs / 1000} s) after ${result.attempts} attempts; last error: ${failure.reason}.`,
    {
      hint:
        failure.code === 'ENOENT'
          ? `No server socket ${url.host}/.s.PGSQL.${url.port} appeared: check host= (a directory in the server's unix_socket_directories) and the port in database-url, or raise wait-timeout.`
          : failure.reason === 'connection refused'
            ? "Nothing listens on that host and port. Check the service container's `ports:` mapping (e.g. 5432:5432) and the host (localhost for a job on the runner, the service label for a container job), or raise wait-timeout."
            : 'Raise wait-timeout if the server is just slow to start, or check the host and port in database-url.',
      details: [`Seen: ${seen}`, `Last error: ${result.lastError ?? ''}`]
    }
  )
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
}
