import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { connectClient, createTestDatabase, describeWithAnyDatabase, dropTestDatabases, itNeedingServer, PGLITE_LACKS } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'

/**
 * transaction: all — every pending migration and its history row in one transaction: all applied
 * together, or nothing at all.
 */
describeWithAnyDatabase('the SQL engine with transaction: all', () => {
  let dir: MigrationDir
  afterEach(() => dir?.cleanup())
  afterAll(() => dropTestDatabases())

  const pipeline = (url: string, inputs: Partial<Record<InputName, string>> = {}) => {
    const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': dir.dir, engine: 'sql', transaction: 'all', ...inputs }
    return runPipeline((name) => all[name], { log: silentLogger(), env: {} })
  }

  const query = async (url: string, sql: string): Promise<Record<string, unknown>[]> => {
    const client = await connectClient(url)
    try {
      return (await client.query(sql)).rows
    } finally {
      await client.end()
    }
  }

  it('applies every pending migration and its history row in one transaction, each migration on a reset session', async () => {
    const db = await createTestDatabase()
    dir = new MigrationDir().write({
      '0001_items.sql': 'CREATE TABLE items (id bigint PRIMARY KEY, embedding vector(3));\nSET search_path TO pg_catalog;\n',
      '0002_slow.sql': 'CREATE TABLE slow (id int);\nSELECT pg_sleep(0.3);\n',
      '0003_wrapped.sql': 'BEGIN ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE wrapped (id int);\nCOMMIT;\n'
    })
    const { report } = await pipeline(db.url)
    expect(report.error).toBeUndefined()
    expect(report.apply?.runs.map((r) => [r.id, r.status, r.attempts])).toEqual([
      ['0001', 'applied', 1],
      ['0002', 'applied', 1],
      ['0003', 'applied', 1]
    ])

    // One transaction wrote the history rows and created the tables: they share its xmin.
    const history = await query(db.url, 'SELECT version, xmin::text AS xmin, execution_ms FROM pg_migrate_history ORDER BY version')
    const tables = await query(db.url, "SELECT relname, xmin::text AS xmin FROM pg_class WHERE relname IN ('items', 'slow', 'wrapped') AND relnamespace = 'public'::regnamespace")
    expect(history.map((r) => r.version)).toEqual(['0001', '0002', '0003'])
    expect(tables).toHaveLength(3)
    expect(new Set([...history, ...tables].map((r) => r.xmin)).size).toBe(1)

    // Each row's execution time is its own migration's, not the time since the run's BEGIN.
    const ms = Object.fromEntries(history.map((r) => [r.version, Number(r.execution_ms)]))
    expect(ms['0002']).toBeGreaterThanOrEqual(300)
    expect(ms['0003']).toBeLessThan(300)
    expect(report.apply?.runs.map((r) => r.durationMs)).toEqual([ms['0001'], ms['0002'], ms['0003']])

    // A later file's own BEGIN cannot set the isolation level of a transaction already running: the report says so.
    expect(report.apply?.runs[2].notes).toContain(
      `Its own "BEGIN ISOLATION LEVEL SERIALIZABLE" is not used: with transaction: all the run's one transaction is opened by the first pending migration's BEGIN.`
    )
  })

  it('rolls everything back when a migration in the middle fails, and says so with the file, line and column', async () => {
    const db = await createTestDatabase()
    dir = new MigrationDir().write({
      '0001_items.sql': 'CREATE TABLE items (id bigint PRIMARY KEY);\n',
      '0002_broken.sql': 'ALTER TABLE items ADD COLUMN title text;\nUPDATE items\n   SET title = upper(nosuchcolumn);\n',
      '0003_later.sql': 'CREATE TABLE later (id int);\n'
    })
    const { report } = await pipeline(db.url, { extensions: '' })
    expect(report.error?.code).toBe('migration-failed')
    expect(report.apply?.runs.map((r) => [r.id, r.status])).toEqual([
      ['0001', 'rolled-back'],
      ['0002', 'failed'],
      ['0003', 'not-run']
    ])
    expect(report.apply?.failure).toMatchObject({ revision: '0002', file: expect.stringMatching(/migrations\/0002_broken\.sql$/), line: 3, column: 22, sqlState: '42703' })
    expect(report.apply?.current).toEqual([])

    expect(await query(db.url, 'SELECT version FROM pg_migrate_history')).toEqual([])
    expect(await query(db.url, "SELECT to_regclass('items') AS items, to_regclass('later') AS later")).toEqual([{ items: null, later: null }])

    const summary = renderReport(report)
    expect(summary).toContain('**Database state:** Rolled back: with transaction: all nothing of this run was applied (0001 ran and was rolled back with it; 0003 did not run).')
    expect(summary).toContain('| `0001` | items | ↩️ rolled back |')
    expect(summary).toContain('the run starts again from 0001, all 3 migrations in one transaction')
  })

  itNeedingServer(PGLITE_LACKS.sessions, 'retries the whole run from the start after a transient failure', async () => {
    const db = await createTestDatabase()
    // setval is not rolled back: it marks that the first attempt has started.
    await query(db.url, 'CREATE TABLE held (id int); CREATE SEQUENCE started')
    dir = new MigrationDir().write({
      '0001_first.sql': "CREATE TABLE first (id int);\nSELECT setval('started', 1);\n",
      '0002_locks.sql': 'LOCK TABLE held IN ACCESS EXCLUSIVE MODE NOWAIT;\n'
    })
    const holder = await connectClient(db.url)
    const watcher = await connectClient(db.url)
    try {
      await holder.query('BEGIN; LOCK TABLE held IN ACCESS SHARE MODE')
      // Released once the first attempt has started and its transaction has ended, not after a fixed delay:
      // on a loaded machine the run may reach the migration after any fixed delay.
      let done = false
      const release = (async () => {
        for (let i = 0; i < 1500 && !done; i++) {
          const { rows } = await watcher.query<{ failed: boolean }>(
            `SELECT (SELECT is_called FROM started) AND NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pg-migrate-action migration' AND xact_start IS NOT NULL) AS failed`
          )
          if (rows[0].failed) break
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        await holder.query('COMMIT')
      })()
      const { report } = await pipeline(db.url, { extensions: '', retries: '5', 'retry-delay': '100', 'max-retry-delay': '200' })
      done = true
      await release
      expect(report.error).toBeUndefined()
      const [first, locks] = report.apply!.runs
      expect(first.attempts).toBeGreaterThan(1)
      expect(locks.notes.join('\n')).toMatch(/Attempt 1 failed with .*55P03.*rolled back, retrying .*The whole run is tried again/)
    } finally {
      await holder.end()
      await watcher.end()
    }
    const history = await query(db.url, 'SELECT version, xmin::text AS xmin FROM pg_migrate_history ORDER BY version')
    expect(history.map((r) => r.version)).toEqual(['0001', '0002'])
    expect(new Set(history.map((r) => r.xmin)).size).toBe(1)
  })

  itNeedingServer(PGLITE_LACKS.terminate, 'runs the whole transaction again when its connection is lost part-way', async () => {
    const db = await createTestDatabase()
    // A sequence is not rolled back: the first attempt sleeps until its backend is terminated, the retry does not.
    await query(db.url, 'CREATE SEQUENCE attempts')
    dir = new MigrationDir().write({
      '0001_first.sql': 'CREATE TABLE first (id int);\n',
      '0002_slow.sql': "SELECT pg_sleep(CASE WHEN nextval('attempts') = 1 THEN 30 ELSE 0 END);\nCREATE TABLE second (id int);\n"
    })
    const running = pipeline(db.url, { extensions: '', retries: '2', 'retry-delay': '50', 'max-retry-delay': '100' })
    const observer = await connectClient(db.url)
    try {
      for (let terminated = false; !terminated; await new Promise((resolve) => setTimeout(resolve, 50))) {
        const sleeping = await observer.query(
          `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pg-migrate-action migration' AND wait_event = 'PgSleep'`
        )
        terminated = sleeping.rows.some((r) => r.done)
      }
    } finally {
      await observer.end()
    }
    const { report } = await running
    expect(report.error).toBeUndefined()
    expect(report.apply?.runs.map((r) => [r.status, r.attempts])).toEqual([
      ['applied', 2],
      ['applied', 2]
    ])
    expect(report.apply?.runs[1].notes.join('\n')).toMatch(/Attempt 1 failed with a lost connection \(57P01\).*The whole run is tried again/)
    const history = await query(db.url, 'SELECT version, xmin::text AS xmin FROM pg_migrate_history ORDER BY version')
    expect(history.map((r) => r.version)).toEqual(['0001', '0002'])
    expect(new Set(history.map((r) => r.xmin)).size).toBe(1)
  })

  it('refuses a pending migration that cannot run in a transaction before anything is applied', async () => {
    const db = await createTestDatabase()
    dir = new MigrationDir().write({
      '0001_items.sql': 'CREATE TABLE items (id bigint PRIMARY KEY, title text);\n',
      '0002_index.sql': '-- the index\nCREATE INDEX CONCURRENTLY items_title ON items (title);\n',
      '0003_later.sql': 'CREATE TABLE later (id int);\n'
    })
    const { report } = await pipeline(db.url, { extensions: '' })
    expect(report.error).toMatchObject({
      code: 'transaction-all-non-transactional',
      location: { file: expect.stringMatching(/migrations\/0002_index\.sql$/), line: 2, revision: '0002' }
    })
    expect(report.error?.message).toContain(`line 2 "CREATE INDEX CONCURRENTLY items_title ON items (title)" cannot run inside a transaction block`)
    expect(report.error?.hint).toContain('transaction: per-migration')
    expect(report.apply?.runs.map((r) => r.status)).toEqual(['not-run', 'failed', 'not-run'])
    expect(await query(db.url, "SELECT to_regclass('items') AS items, to_regclass('pg_migrate_history') AS history")).toEqual([{ items: null, history: null }])
    expect(renderReport(report)).toContain(
      '**Database state:** Nothing was applied: the run was refused before it started (1 migration before it and 1 migration after it were not run either).'
    )

    // mode: plan (and validate) tell before a migrate run is refused.
    const plan = (await pipeline(db.url, { extensions: '', mode: 'plan' })).report.plan
    expect(plan?.[1].notes).toContain('transaction: all refuses it: it cannot run in the one transaction of the run.')
  })

  it('refuses a file marked to run outside a transaction, naming the marker', async () => {
    const db = await createTestDatabase()
    dir = new MigrationDir().write({ '0001_vacuum.sql': '-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\nSELECT 1;\n' })
    const { report } = await pipeline(db.url, { extensions: '' })
    expect(report.error).toMatchObject({ code: 'transaction-all-non-transactional', location: { line: 1 } })
    expect(report.error?.message).toContain('is marked to run outside a transaction (-- migrate:up transaction:false)')
  })

  describe('transaction: per-migration (the default)', () => {
    it('keeps the migrations before a failing one, each in its own transaction', async () => {
      const db = await createTestDatabase()
      dir = new MigrationDir().write({
        '0001_items.sql': 'CREATE TABLE items (id bigint PRIMARY KEY);\n',
        '0002_broken.sql': 'SELECT nosuchcolumn FROM items;\n'
      })
      const { report } = await pipeline(db.url, { extensions: '', transaction: '' })
      expect(report.apply?.runs.map((r) => r.status)).toEqual(['applied', 'failed'])
      expect(await query(db.url, 'SELECT version FROM pg_migrate_history')).toEqual([{ version: '0001' }])
    })
  })
})
