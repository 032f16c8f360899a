import pg from 'pg'
import { parse as parseConnectionString } from 'pg-connection-string'
import type { DatabaseUrl } from './database-url.js'

/** How the action opens connections: one place, so readiness checks use the same kind of connection as migrations. */
export interface ConnectionOptions {
  connectTimeoutMs: number
  /** Session settings for migration sessions, e.g. { lock_timeout: '10s' }. */
  sessionSettings?: Record<string, string>
  applicationName?: string
}

export function clientConfig(url: DatabaseUrl, options: ConnectionOptions): pg.ClientConfig {
  return {
    connectionTimeoutMillis: options.connectTimeoutMs,
    application_name: options.applicationName ?? 'pg-migrate-action',
    // Keep the server's answers in the session's own types; timestamps stay Date, bigint stays string.
    keepAlive: true,
    // What pg itself does with a connectionString (the URL's TLS files, options=… win over the fields above).
    ...(parseConnectionString(url.forPg) as unknown as pg.ClientConfig),
    // pg decodes the path with decodeURI, which leaves %2B %3A %2C %3D %2F %3F %23 … encoded: a database
    // named a+b would be asked for as a%2Bb. The name parsed once is the one to connect to.
    database: url.database
  }
}

/** Connects and applies session settings; on any failure the half-open client is closed. */
export async function openClient(url: DatabaseUrl, options: ConnectionOptions): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(url, options))
  // An idle client whose server goes away emits 'error'; without a listener that would crash the process.
  client.on('error', () => undefined)
  try {
    await client.connect()
    for (const [name, value] of Object.entries(options.sessionSettings ?? {})) {
      await client.query(`SELECT set_config($1, $2, false)`, [name, value])
    }
    return client
  } catch (error) {
    await client.end().catch(() => undefined)
    throw error
  }
}

/**
 * Returns a used session to the state a fresh connection has (what DISCARD ALL does, less
 * pg_advisory_unlock_all: on a multiplexing server such as PGlite the migration lock may share the
 * backend) and re-applies the session settings. Much cheaper than a new backend: no authentication,
 * and the catalog caches stay warm.
 */
export async function resetSession(client: pg.Client, sessionSettings: Record<string, string> = {}): Promise<void> {
  // One round trip: the settings go as literals in the same simple-query message.
  await client.query(resetSessionCommands(sessionSettings).join('; '))
}

/** The commands of `resetSession`; all of them may also run inside a transaction block. */
export function resetSessionCommands(sessionSettings: Record<string, string> = {}): string[] {
  const settings = Object.entries(sessionSettings).map(([name, value]) => `SELECT set_config(${pg.escapeLiteral(name)}, ${pg.escapeLiteral(value)}, false)`)
  return ['SET SESSION AUTHORIZATION DEFAULT', 'RESET ALL', 'CLOSE ALL', 'DEALLOCATE ALL', 'UNLISTEN *', 'DISCARD TEMP', 'DISCARD SEQUENCES', ...settings]
}

export async function closeQuietly(client: pg.Client | undefined): Promise<void> {
  if (!client) return
  await client.end().catch(() => undefined)
}

/** Double-quotes an identifier the way Postgres' quote_ident does. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"'
}

export function quoteQualified(schema: string, table: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table)
}
