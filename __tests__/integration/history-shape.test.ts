import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases } from '../support/database.js'
import { MigrationDir, SqlHarness } from '../support/sql-engine.js'

/**
 * issue 7 #6: a history table pre-created with another shape passed validation, then every run
 * failed at its first insert with "Fix migrations/0001_a.sql". Its shape is checked when it is
 * read, before anything is applied, and the hint's statements bring it into shape.
 */

let dir: MigrationDir
let harness: SqlHarness

beforeEach(async () => {
  dir = new MigrationDir().write({ '0001_a.sql': 'CREATE TABLE a (id int);' })
  harness = new SqlHarness((await createTestDatabase('pgma_hist')).url, dir)
})

afterEach(async () => {
  await harness.close()
  dir.cleanup()
})

afterAll(() => dropTestDatabases())

/** The table as ensure() creates it, with one change. */
function historyTable(columns: Record<string, string | null>, extra = ''): string {
  const all: Record<string, string | null> = {
    version: 'text PRIMARY KEY',
    name: 'text NOT NULL',
    checksum: 'text NOT NULL',
    applied_at: 'timestamptz NOT NULL DEFAULT now()',
    execution_ms: 'integer',
    applied_by: 'text DEFAULT current_user',
    transactional: 'boolean NOT NULL DEFAULT true',
    dirty: 'boolean NOT NULL DEFAULT false',
    statements_done: 'integer',
    statements_total: 'integer',
    git_sha: 'text',
    run_id: 'text',
    repository: 'text',
    ...columns
  }
  const defs = Object.entries(all)
    .filter(([, def]) => def !== null)
    .map(([column, def]) => `${column} ${def}`)
  return `CREATE TABLE public.pg_migrate_history (${[...defs, extra].filter(Boolean).join(', ')})`
}

async function shapeError(): Promise<ActionError> {
  const error = await harness.run('validate').then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ActionError)
  return error as ActionError
}

/** Runs the hint's statements as the table's owner, then migrates: the fix must work. */
async function applyFixAndMigrate(error: ActionError): Promise<void> {
  const statements = error.hint!.split('\n').filter((line) => line.startsWith('ALTER TABLE'))
  expect(statements.length).toBeGreaterThan(0)
  for (const statement of statements) await harness.query(statement)
  const run = await harness.run()
  expect(run.result!.runs.map((r) => [r.id, r.status])).toEqual([['0001', 'applied']])
}

describeWithAnyDatabase('the history table shape, checked before anything is applied', () => {
  it('names the table and the missing columns, and its ALTER TABLE statements fix it', async () => {
    await harness.query(historyTable({ applied_by: null, statements_done: null }))
    const error = await shapeError()
    expect(error.code).toBe('history-table-shape')
    expect(error.location).toEqual({ input: 'history-table' })
    expect(error.message).toContain('The history table public.pg_migrate_history')
    expect(error.message).toContain('no column applied_by; no column statements_done')
    expect(error.hint).toContain('ALTER TABLE "public"."pg_migrate_history" ADD COLUMN "applied_by" text DEFAULT current_user;')
    expect(error.hint).toContain('set the history-table input to a new table name')
    expect((await harness.query(`SELECT to_regclass('a') IS NULL AS absent`)).rows[0].absent).toBe(true)
    await applyFixAndMigrate(error)
  })

  it('names a column of the wrong type', async () => {
    await harness.query(historyTable({ dirty: 'text NOT NULL' }))
    const error = await shapeError()
    expect(error.message).toContain('column dirty is text, not boolean')
    expect(error.hint).toContain('ALTER COLUMN "dirty" TYPE boolean USING "dirty"::boolean;')
    await applyFixAndMigrate(error)
  })

  it('refuses NOT NULL where the action records NULL, and NOT NULL columns of its own it never writes', async () => {
    await harness.query(historyTable({ git_sha: 'text NOT NULL' }, 'ticket text NOT NULL'))
    const error = await shapeError()
    expect(error.message).toContain('column git_sha is NOT NULL, but the action records NULL there')
    expect(error.message).toContain('column ticket is NOT NULL without a default, and the action does not write it')
    await applyFixAndMigrate(error)
  })

  it('refuses a table without a key on version, which could record a migration twice', async () => {
    await harness.query(historyTable({ version: 'text NOT NULL' }))
    const error = await shapeError()
    expect(error.message).toContain('no primary key or unique index on version')
    await applyFixAndMigrate(error)
  })

  it('accepts varchar and bigint columns, and reads them as text and numbers', async () => {
    await harness.query(historyTable({ version: 'varchar(64) PRIMARY KEY', execution_ms: 'bigint' }))
    const first = await harness.run()
    expect(first.result!.runs.map((r) => r.status)).toEqual(['applied'])
    const again = await harness.run('validate')
    expect(again.state.applied).toEqual([expect.objectContaining({ id: '0001', executionMs: expect.any(Number) })])
  })
})
