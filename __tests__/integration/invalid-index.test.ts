import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'

/**
 * A CREATE INDEX CONCURRENTLY that fails leaves an INVALID index: the summary names the one the
 * server holds (read from pg_index) with the command that drops it, and running the migration again
 * drops it before building the index, instead of failing with "already exists".
 */
describeWithDatabase('a failed CREATE INDEX CONCURRENTLY and its INVALID index', () => {
  let url: string
  let dir: MigrationDir
  beforeEach(async () => {
    url = (await createTestDatabase('pgma_invalid')).url
    dir = new MigrationDir()
  })
  afterEach(() => dir.cleanup())
  afterAll(() => dropTestDatabases())

  const run = (inputs: Partial<Record<InputName, string>> = {}, log: string[] = []) => {
    const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': dir.dir, extensions: '', 'fail-on-risk': 'none', ...inputs }
    return runPipeline((name) => all[name], { log: silentLogger(log), env: {} })
  }
  const indexesOfT = () =>
    withClient(
      url,
      async (c) =>
        (await c.query(`SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 't'::regclass ORDER BY 1`)).rows
    )

  it('names the INVALID index it left with DROP INDEX CONCURRENTLY, and a retry after mark-pending drops it and builds the index', async () => {
    dir.write({
      '0001_t.sql': 'CREATE TABLE t (id int, v int);\nINSERT INTO t VALUES (1, 1), (2, 1);\n',
      '0002_key.sql': '-- the duplicate values of v make the build fail after its first phase\nCREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v);\n',
      '0003_after.sql': 'CREATE TABLE after_key (id int);\n'
    })
    const failed = await run()
    const failure = failed.report.apply!.failure!
    expect(failure).toMatchObject({ revision: '0002', sqlState: '23505', line: 2 })
    expect(failure.databaseState).toContain(
      'It left the INVALID index public.t_v_key behind (pg_index.indisvalid is false): queries do not use it, but every write to the table still updates it.'
    )
    expect(failure.recovery).toContain(
      'Drop the INVALID index it left: DROP INDEX CONCURRENTLY IF EXISTS public.t_v_key; Or leave it: when this migration runs again, the action drops it before the CREATE INDEX CONCURRENTLY.'
    )
    const summary = renderReport(failed.report)
    expect(summary).toContain('It left the INVALID index public.t_v_key behind')
    expect(summary).toContain('DROP INDEX CONCURRENTLY IF EXISTS public.t_v_key;')
    // What the summary says the server holds.
    expect(await indexesOfT()).toEqual([{ name: 't_v_key', valid: false }])

    // The data is fixed; the migration is marked pending and runs again, file unchanged.
    await withClient(url, (c) => c.query('UPDATE t SET v = id'))
    expect((await run({ mode: 'repair', 'repair-action': 'mark-pending', 'repair-revision': '0002' })).report.status).toBe('success')
    const log: string[] = []
    const retried = await run({}, log)
    expect(retried.report.error).toBeUndefined()
    expect(retried.report.apply!.runs.map((r) => [r.id, r.status])).toEqual([
      ['0002', 'applied'],
      ['0003', 'applied']
    ])
    const note =
      'Dropped the INVALID index public.t_v_key an earlier failed CREATE INDEX CONCURRENTLY left (pg_index.indisvalid was false) before building it again: DROP INDEX CONCURRENTLY IF EXISTS public.t_v_key;'
    expect(retried.report.apply!.runs[0].notes).toContain(note)
    expect(log.join('\n')).toContain(note)
    expect(renderReport(retried.report)).toContain('Dropped the INVALID index public.t_v_key')
    expect(await indexesOfT()).toEqual([{ name: 't_v_key', valid: true }])
  })

  it('names the INVALID index the server named for an unnamed CREATE INDEX CONCURRENTLY, and leaves older INVALID indexes out', async () => {
    dir.write({ '0001_t.sql': 'CREATE TABLE t (id int, v int);\nINSERT INTO t VALUES (1, 1), (2, 1);\n' })
    expect((await run()).report.status).toBe('success')
    // An INVALID index of the table from before this migration: not its doing, so not named as its leftover.
    await withClient(url, (c) => c.query('CREATE UNIQUE INDEX CONCURRENTLY older_key ON t (v)').catch(() => undefined))
    dir.write({ '0002_key.sql': 'CREATE UNIQUE INDEX CONCURRENTLY ON t (v);\n' })
    const failed = await run()
    const failure = failed.report.apply!.failure!
    expect(failure.databaseState).toContain('It left the INVALID index public.t_v_idx behind (pg_index.indisvalid is false)')
    expect(failure.recovery).toContain('Drop the INVALID index it left: DROP INDEX CONCURRENTLY IF EXISTS public.t_v_idx;')
    expect(failure.databaseState).not.toContain('older_key')
    expect(await indexesOfT()).toEqual([
      { name: 'older_key', valid: false },
      { name: 't_v_idx', valid: false }
    ])
  })
})
