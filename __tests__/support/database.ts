import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describeNeeding } from './capabilities.js'

/**
 * Integration tests run against a real PostgreSQL with pgvector named by TEST_DATABASE_URL
 * (scripts/provision-postgres.sh prints it). Each test gets its own fresh database, so test files
 * can run in parallel. Suites declare that they need it (capabilities.ts): skipped with the reason
 * when the server is missing locally, failed under CI=true.
 */
export const adminUrl = process.env.TEST_DATABASE_URL

export const describeWithDatabase = (name: string, fn: () => void): void => describeNeeding(['database'], name, fn)

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
