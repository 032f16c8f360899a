import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { createAlembicEngine } from '../../src/engines/alembic/index.js'
import { clearSecretsForTests, redact } from '../../src/redact.js'
import { planSql, validate } from '../support/alembic-pipeline.js'
import { alembicSettings, openContext, removeProjects, writeProject } from '../support/alembic-project.js'
import { itNeeding } from '../support/capabilities.js'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { MigrationDir, SqlHarness } from '../support/sql-engine.js'
import { type ActionRun, visible } from '../support/action-run.js'

/**
 * Hostile migration files against the real server: mistyped dbmate markers (data loss), psql
 * inline COPY data, password literals in the SQL, and an empty migrations directory.
 */

const workspaces: string[] = []
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pgma-harden-'))
  workspaces.push(root)
  mkdirSync(join(root, 'db'))
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(root, 'db', name), sql)
  return root
}

async function importantRows(url: string): Promise<number | undefined> {
  return withClient(url, async (c) => {
    const exists = await c.query<{ t: string | null }>(`SELECT to_regclass('important')::text AS t`)
    if (!exists.rows[0].t) return undefined
    return Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM important')).rows[0].n)
  })
}

afterAll(async () => {
  for (const root of workspaces) rmSync(root, { recursive: true, force: true })
  removeProjects()
  await dropTestDatabases()
})

describeWithAnyDatabase('dbmate section markers, from the bundled action', () => {
  const dropping = (marker: string): string => `-- migrate:up\nALTER TABLE important ADD COLUMN note text;\n${marker}\nDROP TABLE important;\n`

  it('reads -- Migrate:Down as the down marker: the down SQL does not run and the table keeps its rows', async () => {
    const db = await createTestDatabase('pgma_harden')
    await withClient(db.url, (c) => c.query('CREATE TABLE important (id int); INSERT INTO important VALUES (1), (2)'))
    const cwd = workspace({ '0001_note.sql': dropping('-- Migrate:Down') })
    const result = (await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db', extensions: '' } })) as ActionRun
    expect(result.exitCode).toBe(0)
    expect(result.outputs['applied-count']).toBe('1')
    expect(await importantRows(db.url)).toBe(2)
  }, 60_000)

  it('fails the load on a mistyped marker, naming file and line, before anything runs', async () => {
    const db = await createTestDatabase('pgma_harden')
    await withClient(db.url, (c) => c.query('CREATE TABLE important (id int); INSERT INTO important VALUES (1)'))
    const cwd = workspace({ '0001_note.sql': dropping('-- migrate:dwn') })
    const result = (await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db', extensions: '' } })) as ActionRun
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('failed at **load chain**')
    expect(result.stdout).toContain('db/0001_note.sql:3: "-- migrate:dwn" looks like a dbmate section marker')
    expect(result.stdout).toContain('-- migrate:up and -- migrate:down')
    expect(await importantRows(db.url)).toBe(1)
    const columns = await withClient(db.url, (c) => c.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'important'`))
    expect(columns.rows.map((r) => r.column_name)).toEqual(['id'])
  }, 60_000)
})

describeWithAnyDatabase('psql inline COPY data, against the real server', () => {
  let dir: MigrationDir
  let harness: SqlHarness
  beforeEach(async () => {
    dir = new MigrationDir()
    harness = new SqlHarness((await createTestDatabase('pgma_harden')).url, dir)
  })
  afterEach(async () => {
    await harness.close()
    dir.cleanup()
  })

  it('refuses COPY … FROM stdin before anything runs, saying how to load the rows instead', async () => {
    dir.write({
      '0001_items.sql': 'CREATE TABLE items (id int, name text);\n',
      '0002_rows.sql': 'COPY items (id, name) FROM stdin;\n1\tone\n2\ttwo\n\\.\n'
    })
    const run = await harness.run()
    expect(run.result!.runs.map((r) => r.status)).toEqual(['not-run', 'failed'])
    const failure = run.result!.failure!
    expect(failure).toMatchObject({ revision: '0002', file: 'migrations/0002_rows.sql', line: 1 })
    expect(failure.message).toContain('psql feature')
    expect(failure.recovery[0]).toContain('INSERT … VALUES')
    expect((await harness.query(`SELECT to_regclass('items') AS t, to_regclass('pg_migrate_history') AS h`)).rows[0]).toEqual({ t: null, h: null })
  })
})

describeWithAnyDatabase('password literals in migration SQL, from the bundled action', () => {
  afterEach(() => clearSecretsForTests())
  const role = `pgma_role_${process.pid}`
  const secret = 'S3krit-role-pw'

  it('plan mode shows the migration without the password', async () => {
    const db = await createTestDatabase('pgma_harden')
    const cwd = workspace({ '0001_role.sql': `CREATE ROLE ${role} LOGIN PASSWORD '${secret}';\n` })
    const result = (await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db', extensions: '', mode: 'plan' } })) as ActionRun
    expect(result.exitCode).toBe(0)
    expect(result.summary).toContain(`CREATE ROLE ${role} LOGIN PASSWORD`)
    expect(visible(result)).not.toContain(secret)
    expect(result.stdout).toContain(`::add-mask::${secret}`)
  }, 60_000)

  it('a failure shows the statement sent to the server and the excerpt without the password', async () => {
    const db = await createTestDatabase('pgma_harden')
    const cwd = workspace({
      '0001_role.sql': `-- a role for the app\nCREATE ROLE ${role} LOGIN PASSWORD '${secret}' VALID UNTIL 'not a date';\n`
    })
    const result = (await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db', extensions: '' } })) as ActionRun
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('> **Migration `0001` failed: ')
    expect(result.summary).toContain(`CREATE ROLE ${role} LOGIN PASSWORD '***' VALID UNTIL`)
    expect(visible(result)).not.toContain(secret)
    const roles = await withClient(db.url, (c) => c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]))
    expect(roles.rowCount).toBe(0)
  }, 60_000)

  itNeeding({ needs: ['alembic'], timeout: 60_000 }, "Alembic's offline SQL (plan) registers the password of op.execute(CREATE ROLE …) before it is shown", async () => {
    const db = await createTestDatabase('pgma_harden')
    const dir = writeProject({ revisions: [{ id: '0001', down: null, message: 'role', upgrade: [`op.execute("CREATE ROLE ${role} PASSWORD '${secret}'")`] }] })
    const settings = alembicSettings(db.url, dir)
    const engine = createAlembicEngine(settings)
    const { ctx, close } = await openContext(settings)
    try {
      const { chain, state, pending } = await validate(engine, ctx)
      const [planned] = (await planSql(engine, ctx, chain, state, pending)).revisions
      expect(planned.sql).toContain(`CREATE ROLE ${role} PASSWORD '${secret}'`)
      expect(redact(planned.sql!)).toBe(planned.sql!.replace(secret, '***'))
    } finally {
      await close()
    }
  })
})

describeWithAnyDatabase('an empty migrations directory, from the bundled action', () => {
  it('passes in migrate mode but warns, with the resolved path', async () => {
    const db = await createTestDatabase('pgma_harden')
    const cwd = workspace({})
    const result = (await runAction({ cwd, inputs: { 'database-url': db.url, 'migrations-path': 'db', extensions: '' } })) as ActionRun
    expect(result.exitCode).toBe(0)
    const message = `migrations-path 'db' (${join(cwd, 'db')}) holds no migrations: nothing will be applied, and the run would still pass.`
    // Said once: as a row of the Chain problems table, not again under Warnings.
    expect(result.summary).toContain(`| ⚠️ | ${message} <sub>[\`migrations-path-empty\`]`)
    expect(result.summary.split(message)).toHaveLength(2)
  }, 60_000)
})
