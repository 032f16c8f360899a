import { afterAll, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { type ActionRun } from '../support/action-run.js'
import { PYTHON } from '../support/alembic-project.js'
import { describeNeeding, itNeeding } from '../support/capabilities.js'
import { adminQuery, adminUrl } from '../support/database.js'

/**
 * Database names with characters a URL path carries percent-encoded (issue 16 #19): pg decoded the
 * path with decodeURI, which leaves %2B %3A %2C %3D … as they are, and SQLAlchemy does not decode the
 * path at all, so `a%2Bb` reached the server as the name. Each engine and pg_dump must reach the
 * database that the URL names.
 */
describeNeeding(['database'], 'database names with + : , = and other URL characters', () => {
  const created: string[] = []
  afterAll(async () => {
    for (const name of created) await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(() => undefined)
  })

  const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`

  /** A fresh database named `prefix` + a random part + `suffix`, and the action's URL for it (the name percent-encoded, as a URL must carry it). */
  async function databaseNamed(suffix: string): Promise<{ name: string; url: string }> {
    const name = `pgma_${randomBytes(3).toString('hex')}${suffix}`
    await adminQuery(`CREATE DATABASE ${quoteIdent(name)}`)
    created.push(name)
    const admin = new URL(adminUrl!)
    return { name, url: `postgresql://${admin.username}:${admin.password}@${admin.host}/${encodeURIComponent(name)}` }
  }

  /** Rows of `sql` in the database `name`, connected by fields: a connectionString's path would decide the database. */
  async function inDatabase<T>(name: string, sql: string): Promise<T[]> {
    const admin = new URL(adminUrl!)
    const client = new pg.Client({ host: admin.hostname, port: Number(admin.port), user: admin.username, password: decodeURIComponent(admin.password), database: name })
    await client.connect()
    try {
      return (await client.query(sql)).rows as T[]
    } finally {
      await client.end()
    }
  }

  const names = ['+plus:colon,comma=equals', " @/%#?'ä\\x"]

  it.each(names)(
    'engine: sql applies the example chain to the database %j and backs it up with pg_dump from that database',
    async (suffix) => {
      const db = await databaseNamed(suffix)
      const result = (await runAction({ inputs: { 'database-url': db.url, 'migrations-path': 'migrations-example/sql', backup: 'always' } })) as ActionRun
      expect(result.stdout).not.toContain('::error::')
      expect(result.exitCode).toBe(0)
      const history = await inDatabase<{ version: string }>(db.name, 'SELECT version FROM public.pg_migrate_history ORDER BY version')
      expect(history.map((r) => r.version).at(-1)).toBe(result.outputs['current-version'])
      expect(history.length).toBe(Number(result.outputs['applied-count']))
      expect(result.summary).toContain(`Database: \`postgres@127.0.0.1:${new URL(adminUrl!).port}/${db.name}\``)
      // The archive records the database pg_dump read.
      const toc = execFileSync('pg_restore', ['--list', result.outputs['backup-path']], { encoding: 'utf8' })
      expect(toc).toContain(`dbname: ${db.name}`)
    },
    90_000
  )

  itNeeding({ needs: ['alembic'], timeout: 90_000 }, 'engine: alembic upgrades the database named with + : , = (SQLAlchemy reads the name raw)', async () => {
    const db = await databaseNamed(names[0])
    const result = (await runAction({ inputs: { 'database-url': db.url, 'migrations-path': 'migrations-example/alembic', python: PYTHON } })) as ActionRun
    expect(result.stdout).not.toContain('::error::')
    expect(result.exitCode).toBe(0)
    const versions = await inDatabase<{ version_num: string }>(db.name, 'SELECT version_num FROM alembic_version')
    expect(versions.map((r) => r.version_num)).toEqual([result.outputs['current-version']])
  })

  itNeeding({ needs: ['alembic'], timeout: 60_000 }, 'engine: alembic refuses a database name with ?, which SQLAlchemy cannot read from a URL, and applies nothing', async () => {
    const db = await databaseNamed('?q')
    const result = (await runAction({ inputs: { 'database-url': db.url, 'migrations-path': 'migrations-example/alembic', python: PYTHON } })) as ActionRun
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain("holds a '?', which SQLAlchemy cannot read from a URL")
    const tables = await inDatabase<{ n: number }>(db.name, `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)
    expect(tables).toEqual([{ n: 0 }])
  })
})
