import { afterAll, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { type ActionRun, visible } from '../support/action-run.js'
import { removeProjects, writeProject } from '../support/alembic-project.js'
import { describeNeeding } from '../support/capabilities.js'
import { createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * Migration files that lie about their content, run through the bundled action on the real server:
 * what the report says ran must be what the database holds.
 */

const workspaces: string[] = []
function workspace(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'pgma-trust-'))
  workspaces.push(root)
  mkdirSync(join(root, 'db'))
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, 'db', name), content)
  return root
}

/** A runner token in the action's environment: /proc/self/environ would show it. */
const TOKEN = 'ghs_trustTestToken0123456789'

async function run(cwd: string, url: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return (await runAction({ cwd, inputs: { 'database-url': url, 'migrations-path': 'db', extensions: '', ...inputs }, env: { GITHUB_TOKEN: TOKEN } })) as ActionRun
}

/** The public tables, and the versions the history table records (undefined without one). */
async function databaseState(url: string): Promise<{ tables: string[]; recorded: string[] | undefined }> {
  return withClient(url, async (c) => {
    const tables = await c.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'pg_migrate_history' ORDER BY 1`
    )
    const history = await c.query<{ t: string | null }>(`SELECT to_regclass('public.pg_migrate_history')::text AS t`)
    const recorded = history.rows[0].t
      ? (await c.query<{ version: string }>('SELECT version FROM public.pg_migrate_history ORDER BY version')).rows.map((r) => r.version)
      : undefined
    return { tables: tables.rows.map((r) => r.name), recorded }
  })
}

afterAll(async () => {
  for (const root of workspaces) rmSync(root, { recursive: true, force: true })
  removeProjects()
  await dropTestDatabases()
})

describeWithDatabase('a NUL byte in a migration, from the bundled action', () => {
  it('refuses the file with its line before anything runs, instead of applying the part before the NUL and recording all of it', async () => {
    const db = await createTestDatabase('pgma_trust')
    const cwd = workspace({ '0001_tables.sql': 'CREATE TABLE a (id int);\0\nCREATE TABLE b (id int);\n' })
    const result = await run(cwd, db.url)
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('failed at **load chain**')
    expect(result.stdout).toContain('db/0001_tables.sql:1: the migration file holds a NUL byte')
    expect(await databaseState(db.url)).toEqual({ tables: [], recorded: undefined })
  }, 60_000)
})

describeWithDatabase('a migration file that links out of the workspace, from the bundled action', () => {
  it('refuses a link to /proc/self/environ in plan mode, naming the file, and shows none of its content', async () => {
    const db = await createTestDatabase('pgma_trust')
    const cwd = workspace({ '0001_a.sql': 'CREATE TABLE a (id int);\n' })
    symlinkSync('/proc/self/environ', join(cwd, 'db', '0002_env.sql'))
    const result = await run(cwd, db.url, { mode: 'plan' })
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('failed at **load chain**')
    expect(result.summary).toContain('file-outside-workspace')
    expect(result.stdout).toContain('The migration file db/0002_env.sql is a symbolic link that resolves to /proc/')
    expect(visible(result)).not.toContain(TOKEN)
    expect(visible(result)).not.toContain('CREATE TABLE a')
    expect(await databaseState(db.url)).toEqual({ tables: [], recorded: undefined })
  }, 60_000)

  it('applies a file linked from inside the workspace', async () => {
    const db = await createTestDatabase('pgma_trust')
    const cwd = workspace({})
    mkdirSync(join(cwd, 'shared'))
    writeFileSync(join(cwd, 'shared', 'a.sql'), 'CREATE TABLE a (id int);\n')
    symlinkSync('../shared/a.sql', join(cwd, 'db', '0001_a.sql'))
    const result = await run(cwd, db.url)
    expect(result.exitCode).toBe(0)
    expect(await databaseState(db.url)).toEqual({ tables: ['a'], recorded: ['0001'] })
  }, 60_000)
})

describeNeeding(['database', 'alembic'], 'alembic-requirements that links out of the workspace, from the bundled action', () => {
  it('refuses it before pip runs, so pip cannot echo the linked file', async () => {
    const db = await createTestDatabase('pgma_trust')
    const cwd = writeProject({ revisions: [{ id: 'a1', upgrade: ['op.create_table("a", sa.Column("id", sa.Integer))'] }] })
    symlinkSync('/proc/self/environ', join(cwd, 'requirements.txt'))
    const result = await run(cwd, db.url, { 'migrations-path': '.', 'alembic-requirements': 'requirements.txt' })
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('file-outside-workspace')
    expect(result.stdout).toContain("alembic-requirements 'requirements.txt' resolves to /proc/")
    expect(visible(result)).not.toContain(TOKEN)
    expect(await databaseState(db.url)).toEqual({ tables: [], recorded: undefined })
  }, 120_000)
})
