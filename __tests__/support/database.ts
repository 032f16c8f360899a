import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * Integration tests run against a real PostgreSQL with pgvector named by TEST_DATABASE_URL
 * (scripts/provision-postgres.sh prints it). Each test gets its own fresh database, so test files
 * can run in parallel. Without TEST_DATABASE_URL the integration suites are skipped — except under
 * CI=true, where a missing database is a failure rather than a silent skip.
 */
export const adminUrl = process.env.TEST_DATABASE_URL

if (!adminUrl && process.env.CI === 'true') {
  throw new Error('TEST_DATABASE_URL is not set under CI: run scripts/provision-postgres.sh first (see README).')
}

export const describeWithDatabase: jest.Describe = adminUrl ? describe : describe.skip

export function urlFor(database: string, base = adminUrl!): string {
  const url = new URL(base)
  url.pathname = '/' + database
  return url.toString()
}

const created: string[] = []

/** Creates an empty database and returns its URL. Dropped by `dropTestDatabases` (call it in afterAll). */
export async function createTestDatabase(prefix = 'pgma'): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  created.push(name)
  return { name, url: urlFor(name) }
}

export async function dropTestDatabases(): Promise<void> {
  while (created.length > 0) {
    const name = created.pop()!
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined)
  }
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
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
