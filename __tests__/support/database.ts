import { randomBytes } from 'node:crypto'
import type { it } from '@jest/globals'
import pg from 'pg'
import { describeNeeding, isAvailable, itNeeding } from './capabilities.js'
import { PGLITE_CACHE } from './capability-probes.js'

/**
 * Integration tests run against a real PostgreSQL with pgvector named by TEST_DATABASE_URL
 * (scripts/provision-postgres.sh prints it). Each test gets its own fresh database, so test files
 * can run in parallel. Suites declare that they need it (capabilities.ts): skipped with the reason
 * when the server is missing locally, failed under CI=true.
 *
 * Without TEST_DATABASE_URL, the suites that declare they can (describeWithAnyDatabase) run on the
 * embedded PGlite server instead: each test database is then a PGlite of its own, started in this
 * process from a template data directory. PGlite is one session that every connection shares, so a
 * test that needs two sessions to be apart (locks one holds and another waits for, pg_stat_activity,
 * pg_terminate_backend, roles to log in as, a second database) says so with itNeedingServer.
 */
export const adminUrl = process.env.TEST_DATABASE_URL

export const describeWithDatabase = (name: string, fn: () => void): void => describeNeeding(['database'], name, fn)

/** A suite that runs on the real server or, when there is none, on PGlite. */
export const describeWithAnyDatabase = (name: string, fn: () => void): void => describeNeeding(['database-or-pglite'], name, fn)

/** What PGlite cannot do that a test relies on: the reasons itNeedingServer gives. */
export const PGLITE_LACKS = {
  sessions: 'every connection is the same session, so no lock is ever held against another and pg_stat_activity shows one backend',
  terminate: 'every connection is the same backend, which pg_terminate_backend cannot end',
  roles: 'every connection logs in as postgres, whatever role it names',
  sleep: "a statement runs on the test process's own thread, so one that sleeps stops the test and the server alike"
} as const

/** A test in a describeWithAnyDatabase suite that PGlite cannot host; `why` names what PGlite lacks (PGLITE_LACKS). */
export function itNeedingServer(why: string, name: string, fn: Parameters<typeof it>[1], timeout?: number): void {
  itNeeding({ needs: ['database'], because: `on PGlite: ${why}`, timeout }, name, fn)
}

/** Whether this run's test databases are PGlites (no TEST_DATABASE_URL) rather than databases on the server. */
export const onPglite = (): boolean => !isAvailable('database') && isAvailable('pglite')

const pgliteServers: { stop: () => Promise<void> }[] = []

async function createPgliteDatabase(): Promise<{ name: string; url: string }> {
  // @ts-expect-error -- a plain ESM script without type declarations
  const { pgliteTemplatePath, startPgliteServer } = await import('../../scripts/pglite-server.mjs')
  const server = (await startPgliteServer({ template: pgliteTemplatePath(PGLITE_CACHE) })) as { url: string; stop: () => Promise<void> }
  pgliteServers.push(server)
  // PGlite has the one database its data directory was made with, whatever a client asks for.
  return { name: 'postgres', url: server.url }
}

export function urlFor(database: string, base = adminUrl!): string {
  const url = new URL(base)
  url.pathname = '/' + database
  return url.toString()
}

const created: string[] = []

/** Creates an empty database and returns its URL. Dropped by `dropTestDatabases` (call it in afterAll). */
export async function createTestDatabase(prefix = 'pgma'): Promise<{ name: string; url: string }> {
  if (onPglite()) return createPgliteDatabase()
  const name = `${prefix}_${randomBytes(5).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  created.push(name)
  return { name, url: urlFor(name) }
}

export async function dropTestDatabases(): Promise<void> {
  for (const server of pgliteServers.splice(0)) await server.stop()
  while (created.length > 0) {
    const name = created.pop()!
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined)
  }
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  if (!adminUrl) throw new Error('adminQuery needs the server at TEST_DATABASE_URL (PGlite has no database to administer the others from): declare the test with itNeedingServer')
  return withClient(adminUrl!, (c) => c.query(sql, params))
}

/** A connected client; the caller ends it. `name` shows up as application_name in pg_stat_activity. */
export async function connectClient(url: string, name?: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: name })
  await client.connect()
  return client
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}
