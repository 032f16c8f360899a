import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { type ActionRun } from '../support/action-run.js'
import { PYTHON, STACKS, removeProjects, useStack, writeProject } from '../support/alembic-project.js'
import { describeEachNeeding } from '../support/capabilities.js'
import { createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * issue 16 #1 and #20: a verify-downgrade round trip that stops part-way must not leave the database
 * part-way down while the summary and current-version name the head; and its failure carries what an
 * apply failure does (file and line, the SQL sent, DETAIL and HINT). The bundle as the runner runs
 * it; every sentence about the database is checked against the database.
 */

afterAll(() => dropTestDatabases())

const dbmate = (up: string, down: string): string => `-- migrate:up\n${up}\n-- migrate:down\n${down}\n`

let workspace: string
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'pgma-verify-state-'))
})
afterEach(() => rmSync(workspace, { recursive: true, force: true }))

function sqlChain(files: Record<string, string>): string {
  mkdirSync(join(workspace, 'db'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(workspace, 'db', name), text)
  return 'db'
}

async function verify(url: string, migrationsPath: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return (await runAction({
    cwd: workspace,
    // The SQL chains are in the working directory, the Alembic projects beside it: both under the temporary directory.
    env: { GITHUB_WORKSPACE: tmpdir() },
    inputs: { 'database-url': url, 'migrations-path': migrationsPath, extensions: '', 'verify-downgrade': 'pending', ...inputs }
  })) as ActionRun
}

const historyVersions = (url: string): Promise<string[]> =>
  withClient(url, async (c) => (await c.query<{ version: string }>('SELECT version FROM pg_migrate_history ORDER BY version')).rows.map((r) => r.version))
const alembicVersion = (url: string): Promise<string[]> =>
  withClient(url, async (c) => (await c.query<{ version_num: string }>('SELECT version_num FROM alembic_version')).rows.map((r) => r.version_num))
const tables = (url: string): Promise<string[]> =>
  withClient(url, async (c) =>
    (
      await c.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('pg_migrate_history', 'alembic_version') ORDER BY 1`)
    ).rows.map((r) => r.tablename)
  )

/** The state line of the callout, on one line. */
function stateLine(summary: string): string {
  const line = summary.split('\n').find((l) => l.startsWith('> **Database state:**'))
  if (!line) throw new Error(`no database state in the callout:\n${summary}`)
  return line
}

describeWithDatabase('verify-downgrade that stops part-way, SQL chain (bundle)', () => {
  it('upgrades back what the round trip undid, and says so; the state and current-version are read from the database', async () => {
    const db = await createTestDatabase('pgma_verify_state')
    const path = sqlChain({
      '0001_a.sql': dbmate('CREATE TABLE a (id int PRIMARY KEY);', 'DROP TABLE a;'),
      '0002_b.sql': dbmate('CREATE TABLE b (id int);', 'DROP TABLE b_typo;'),
      '0003_c.sql': dbmate('CREATE TABLE c (id int);', 'DROP TABLE c;')
    })
    const result = await verify(db.url, path)
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('failed at **verify downgrade**')

    // The down step of 0002 failed after 0003 was undone: 0003 is upgraded again.
    expect(await historyVersions(db.url)).toEqual(['0001', '0002', '0003'])
    expect(await tables(db.url)).toEqual(['a', 'b', 'c'])
    expect(result.outputs['current-version']).toBe('0003')
    expect(result.outputs['pending-count']).toBe('0')
    expect(stateLine(result.summary)).toBe(
      '> **Database state:** 3 revisions, `0001` → `0003`, committed in this run; now at `0003`. After the round trip stopped, verify-downgrade upgraded 0003 again: the database records every revision the apply left, and the schema is the one the apply produced.'
    )
    expect(result.summary).toMatch(/\| `0003` \| up \(restoring what the apply left\) \| ok \|/)

    // As an apply failure: the line, the excerpt, the SQLSTATE.
    expect(result.summary).toContain('> In `db/0002_b.sql:4:1`')
    expect(result.summary).toContain('(SQLSTATE `42P01`)')
    expect(result.summary).toContain('> > 4 | DROP TABLE b_typo;')
  }, 60_000)

  it('says what it could not give back, with the DETAIL and HINT of the failed down step, when upgrading again fails too', async () => {
    const db = await createTestDatabase('pgma_verify_state')
    // 0002's down section forgets its table, so 0001's down step fails on the foreign key, and 0002 cannot be upgraded again.
    const path = sqlChain({
      '0001_a.sql': dbmate('CREATE TABLE a (id int PRIMARY KEY);', 'DROP TABLE a;'),
      '0002_b.sql': dbmate('CREATE TABLE b (a_id int REFERENCES a (id));', 'SELECT 1;'),
      '0003_c.sql': dbmate('CREATE TABLE c (id int);', 'DROP TABLE c;')
    })
    const result = await verify(db.url, path)
    expect(result.exitCode).toBe(1)

    const recorded = await historyVersions(db.url)
    expect(recorded).toEqual(['0001'])
    expect(await tables(db.url)).toEqual(['a', 'b'])
    expect(result.outputs['current-version']).toBe(recorded.at(-1))
    expect(result.outputs['pending-count']).toBe('2')
    const state = stateLine(result.summary)
    expect(state).toContain('3 revisions, `0001` → `0003`, committed in this run; now at `0001`.')
    expect(state).toContain('The round trip stopped and verify-downgrade could not give back what the apply left: 0002, 0003 are no longer applied.')
    expect(state).toContain('Upgrading 0002 again failed:')
    expect(state).toContain('relation &quot;b&quot; already exists')
    expect(state).toContain('The schema differs from the one the apply produced: table public.c removed.')
    expect(result.summary).toContain('Database is now at: `0001`')
    expect(result.summary).not.toContain('Database is now at: `0003`')
    expect(result.summary).toContain('- table public.c')

    // The failed down step, as an apply failure would show it.
    expect(result.summary).toContain('> **verify-downgrade: The down step of 0001 failed:')
    expect(result.summary).toContain('(SQLSTATE `2BP01`)')
    expect(result.summary).toContain('> In `db/0001_a.sql:4:1`')
    expect(result.summary).toContain('> Detail: constraint b_a_id_fkey on table b depends on table a<br>Server hint: Use DROP ... CASCADE to drop the dependent objects too.')
  }, 60_000)
})

describeEachNeeding(['database'], STACKS, 'verify-downgrade that stops part-way, Alembic chain (bundle, $name)', (stack) => {
  let restore: () => void
  beforeEach(() => {
    restore = useStack(stack)
  })
  afterEach(() => {
    restore()
    removeProjects()
  })

  it('upgrades back what the round trip undid, and the failed step shows its line, statement, DETAIL and HINT', async () => {
    const db = await createTestDatabase('pgma_verify_state')
    const project = writeProject({
      revisions: [
        { id: 'a1', down: null, message: 'a', upgrade: ['op.create_table("a", sa.Column("id", sa.Integer, primary_key=True))'], downgrade: ['op.drop_table("a")'] },
        { id: 'b2', down: 'a1', message: 'b', upgrade: ['op.create_table("b", sa.Column("a_id", sa.Integer, sa.ForeignKey("a.id")))'], downgrade: ['op.drop_table("b")'] },
        { id: 'c3', down: 'b2', message: 'c', upgrade: ['op.create_table("c", sa.Column("id", sa.Integer))'], downgrade: ['op.execute(op.get_bind)'] }
      ]
    })
    const result = await verify(db.url, project, { python: PYTHON })
    expect(result.exitCode).toBe(1)
    // The down step of c3 failed at once: nothing was undone, nothing upgraded again.
    expect(await alembicVersion(db.url)).toEqual(['c3'])
    expect(await tables(db.url)).toEqual(['a', 'b', 'c'])
    expect(result.outputs['current-version']).toBe('c3')
    expect(stateLine(result.summary)).toContain(
      'now at `c3`. The round trip stopped: the database records every revision the apply left, and the schema is the one the apply produced.'
    )
    // No Python repr with a memory address anywhere.
    expect(result.summary).not.toMatch(/ at 0x[0-9a-f]+/)
    expect(result.summary).toContain('Not an executable object: &lt;function get_bind&gt;')
    expect(result.summary).toMatch(/> In `[^`]*c3_c\.py:23`/)
    expect(result.summary).toContain('> > 23 |     op.execute(op.get_bind)')
  }, 90_000)

  it('says what it could not give back when upgrading again fails, read from alembic_version and the catalog', async () => {
    const db = await createTestDatabase('pgma_verify_state')
    // b2's downgrade forgets its table: a1's down step fails on the foreign key, and b2 cannot be upgraded again.
    const project = writeProject({
      revisions: [
        { id: 'a1', down: null, message: 'a', upgrade: ['op.create_table("a", sa.Column("id", sa.Integer, primary_key=True))'], downgrade: ['op.drop_table("a")'] },
        { id: 'b2', down: 'a1', message: 'b', upgrade: ['op.create_table("b", sa.Column("a_id", sa.Integer, sa.ForeignKey("a.id")))'], downgrade: ['pass'] },
        { id: 'c3', down: 'b2', message: 'c', upgrade: ['op.create_table("c", sa.Column("id", sa.Integer))'], downgrade: ['op.drop_table("c")'] }
      ]
    })
    const result = await verify(db.url, project, { python: PYTHON })
    expect(result.exitCode).toBe(1)

    const recorded = await alembicVersion(db.url)
    expect(recorded).toEqual(['a1'])
    expect(await tables(db.url)).toEqual(['a', 'b'])
    expect(result.outputs['current-version']).toBe(recorded.join(','))
    expect(result.outputs['pending-count']).toBe('2')
    const state = stateLine(result.summary)
    expect(state).toContain('committed in this run; now at `a1`.')
    expect(state).toContain('could not give back what the apply left: b2, c3 are no longer applied. Upgrading b2 again failed:')
    expect(state).toContain('The schema differs from the one the apply produced: table public.c removed.')
    expect(result.summary).toContain('Database is now at: `a1`')

    expect(result.summary).toContain(
      '> **verify-downgrade: The down step of a1 failed: alembic downgrade a1@-1 failed: sqlalchemy.exc.InternalError: (psycopg2.errors.DependentObjectsStillExist)'
    )
    expect(result.summary).toMatch(/> In `[^`]*a1_a\.py:23`/)
    expect(result.summary).toContain('> Detail: constraint b_a_id_fkey on table b depends on table a<br>Server hint: Use DROP ... CASCADE to drop the dependent objects too.')
    expect(result.summary).toContain('DROP TABLE a')
  }, 90_000)
})
