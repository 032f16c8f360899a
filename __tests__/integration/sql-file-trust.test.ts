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

describeWithDatabase('goose and sql-migrate sections, and lines that only look like markers, from the bundled action', () => {
  const FUNCTION = 'CREATE FUNCTION widget_count() RETURNS bigint LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN (SELECT count(*) FROM widgets);\nEND $$;'

  it('applies only the up section of a goose file, StatementBegin/StatementEnd block included', async () => {
    const db = await createTestDatabase('pgma_trust')
    const goose = `-- +goose Up\nCREATE TABLE widgets (id int);\n-- +goose StatementBegin\n${FUNCTION}\n-- +goose StatementEnd\n\n-- +goose Down\nDROP FUNCTION widget_count();\nDROP TABLE widgets;\n`
    const result = await run(workspace({ '0001_widgets.sql': goose }), db.url)
    expect(result.exitCode).toBe(0)
    expect(result.summary).toContain('goose annotations')
    expect(await databaseState(db.url)).toEqual({ tables: ['widgets'], recorded: ['0001'] })
    const count = await withClient(db.url, (c) => c.query<{ n: string }>('SELECT widget_count() AS n'))
    expect(count.rows[0].n).toBe('0')
  }, 60_000)

  it('applies only the up section of an sql-migrate file named <timestamp>-<name>.sql, outside a transaction when it says notransaction', async () => {
    const db = await createTestDatabase('pgma_trust')
    const sqlMigrate =
      '-- +migrate Up notransaction\nCREATE TABLE widgets (id int);\nCREATE INDEX CONCURRENTLY widgets_id ON widgets (id);\n\n-- +migrate Down\nDROP TABLE widgets;\n'
    const result = await run(workspace({ '20240101120000-widgets.sql': sqlMigrate }), db.url)
    expect(result.exitCode).toBe(0)
    expect(result.summary).toContain('-- +migrate Up notransaction (line 1)')
    expect(await databaseState(db.url)).toEqual({ tables: ['widgets'], recorded: ['20240101120000'] })
  }, 60_000)

  it.each([
    ['a block comment', '-- migrate:up', '/* migrate:down */', '-- migrate:down'],
    ['a fullwidth colon', '-- migrate:up', '-- migrate\uff1adown', '-- migrate:down'],
    ['+Goose', '-- +goose Up', '-- +Goose Down', '-- +goose Down'],
    ['a lower-case sql-migrate marker', '-- +migrate Up', '-- +migrate down', '-- +migrate Down']
  ])(
    'refuses %s before anything runs: neither section runs and nothing is recorded',
    async (_what, up, lookAlike, suggestion) => {
      const db = await createTestDatabase('pgma_trust')
      const result = await run(workspace({ '0001_widgets.sql': `${up}\nCREATE TABLE widgets (id int);\n${lookAlike}\nDROP TABLE widgets;\n` }), db.url)
      expect(result.exitCode).toBe(1)
      expect(result.summary).toContain('failed at **load chain**')
      expect(result.stdout).toContain(`db/0001_widgets.sql:3: "${lookAlike}" looks like`)
      expect(result.stdout).toContain(`Write it as ${suggestion}.`)
      expect(await databaseState(db.url)).toEqual({ tables: [], recorded: undefined })
    },
    60_000
  )
})

describeWithDatabase('an acknowledgement inside a dollar-quoted body, from the bundled action', () => {
  it('is text: the DROP TABLE below the function stays blocked and the table keeps its rows', async () => {
    const db = await createTestDatabase('pgma_trust')
    await withClient(db.url, (c) => c.query('CREATE TABLE important (id int); INSERT INTO important VALUES (1), (2)'))
    const sql = [
      'CREATE FUNCTION answer() RETURNS int LANGUAGE plpgsql AS $$',
      'BEGIN',
      '-- pg-migrate:allow drop-table reason: only text of the function body',
      '  RETURN 42;',
      'END $$;',
      'DROP TABLE important;',
      ''
    ].join('\n')
    const result = await run(workspace({ '0001_cleanup.sql': sql }), db.url)
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('failed at **lint**')
    expect(result.summary).not.toContain('acknowledged (line 3)')
    expect(await databaseState(db.url)).toEqual({ tables: ['important'], recorded: undefined })
    expect((await withClient(db.url, (c) => c.query('SELECT count(*)::int AS n FROM important'))).rows[0].n).toBe(2)
  }, 60_000)
})

describeWithDatabase('a migration of more statements than the action handles, from the bundled action', () => {
  it('is refused before anything runs with a size error that does not blame the SQL', async () => {
    const db = await createTestDatabase('pgma_trust')
    const rows = Array.from({ length: 100_001 }, (_, i) => `INSERT INTO seed VALUES (${i});`)
    const cwd = workspace({ '0001_table.sql': 'CREATE TABLE seed (id int);\n', '0002_seed.sql': rows.join('\n') + '\n' })
    const result = await run(cwd, db.url)
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('sql-migration-too-large')
    expect(result.stdout).toContain('db/0002_seed.sql holds more than 100,000 statements (statement 100,001 begins on line 100001)')
    expect(result.stdout).toContain('not a fault in the SQL')
    expect(visible(result)).not.toMatch(/syntax error|out of memory/)
    expect(await databaseState(db.url)).toEqual({ tables: [], recorded: undefined })
  }, 180_000)
})
