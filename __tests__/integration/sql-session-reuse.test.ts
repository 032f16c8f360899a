import { afterAll, afterEach, expect, it } from '@jest/globals'
import { connectClient, createTestDatabase, describeWithAnyDatabase, dropTestDatabases, itNeedingServer, PGLITE_LACKS } from '../support/database.js'
import { MigrationDir, SqlHarness } from '../support/sql-engine.js'

/**
 * Migrations share one session while they succeed (a new backend per migration was most of the
 * per-migration overhead), but each must still start as if on a fresh connection.
 */
describeWithAnyDatabase('the SQL engine reuses its migration session', () => {
  let dir: MigrationDir
  let harness: SqlHarness
  afterEach(async () => {
    await harness?.close()
    dir?.cleanup()
  })
  afterAll(() => dropTestDatabases())

  const record = (version: string): string =>
    `INSERT INTO seen VALUES ('${version}', pg_backend_pid(), current_setting('search_path'), current_setting('lock_timeout'), current_setting('statement_timeout'), to_regclass('pg_temp.scratch') IS NOT NULL);\n`

  itNeedingServer(PGLITE_LACKS.sessions, 'on one backend, reset between migrations: no leaked SET, temp table or role; timeouts kept', async () => {
    const db = await createTestDatabase()
    dir = new MigrationDir().write({
      '0001_setup.sql':
        'CREATE TABLE seen (version text, pid int, search_path text, lock_timeout text, statement_timeout text, has_temp boolean);\n' +
        record('0001') +
        'CREATE TEMP TABLE scratch (x int);\nSET search_path TO pg_catalog;\nSET lock_timeout = 0;\n',
      '0002_after.sql': record('0002'),
      '0003_concurrently.sql': 'CREATE INDEX CONCURRENTLY seen_version ON seen (version);\n' + record('0003'),
      '0004_last.sql': record('0004')
    })
    harness = new SqlHarness(db.url, dir, { lockTimeout: '7s', statementTimeout: '42s' })
    const run = await harness.run()
    expect(run.result?.failure).toBeUndefined()
    expect(run.result?.runs.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied'])
    expect(run.result?.runs[2].transactional).toBe(false)

    const seen = (await harness.query('SELECT * FROM seen ORDER BY version')).rows
    expect(new Set(seen.map((r) => r.pid)).size).toBe(1)
    for (const row of seen) {
      expect(row).toMatchObject({ search_path: '"$user", public', lock_timeout: '7s', statement_timeout: '42s', has_temp: false })
    }
  })

  it('a TEMP table created by otherwise catalog-only DDL is gone before the next migration', async () => {
    const db = await createTestDatabase()
    dir = new MigrationDir().write({
      '0001_setup.sql': 'CREATE TABLE seen (version text, pid int, search_path text, lock_timeout text, statement_timeout text, has_temp boolean);\n',
      '0002_temp.sql': 'CREATE TABLE kept (id int);\nCREATE TEMP TABLE scratch (x int);\n',
      '0003_after.sql': record('0003')
    })
    harness = new SqlHarness(db.url, dir)
    expect((await harness.run()).result?.failure).toBeUndefined()
    expect((await harness.query('SELECT has_temp FROM seen')).rows).toEqual([{ has_temp: false }])
  })

  itNeedingServer(PGLITE_LACKS.sessions, 'a failed attempt drops the session, so the retry runs on a new one', async () => {
    const db = await createTestDatabase()
    dir = new MigrationDir().write({ '0001_setup.sql': 'CREATE TABLE held (id int);\nCREATE SEQUENCE first_pid;\nCREATE SEQUENCE retry_pid;\n' })
    harness = new SqlHarness(db.url, dir, { retries: 5, retryDelayMs: 100, maxRetryDelayMs: 200 })
    expect((await harness.run()).result?.failure).toBeUndefined()

    // setval is not rolled back, so it records each attempt's backend even when the attempt fails.
    dir.write({
      '0002_locks.sql': [
        "DO $$ BEGIN IF NOT (SELECT is_called FROM first_pid) THEN PERFORM setval('first_pid', pg_backend_pid());",
        "ELSE PERFORM setval('retry_pid', pg_backend_pid()); END IF; END $$;",
        'LOCK TABLE held IN ACCESS EXCLUSIVE MODE NOWAIT;',
        ''
      ].join('\n')
    })
    const holder = await connectClient(db.url)
    try {
      await holder.query('BEGIN; LOCK TABLE held IN ACCESS SHARE MODE')
      // Released once the first attempt has failed and its session is gone, not after a fixed delay:
      // on a loaded machine the run may reach the migration after any fixed delay.
      const watcher = await connectClient(db.url)
      let released = false
      const release = (async () => {
        for (let i = 0; i < 1500 && !released; i++) {
          const { rows } = await watcher.query<{ gone: boolean }>('SELECT is_called AND NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = last_value) AS gone FROM first_pid')
          if (rows[0].gone) break
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        await holder.query('COMMIT')
      })()
      const run = await harness.run()
      released = true
      await release
      await watcher.end()
      expect(run.result?.failure).toBeUndefined()
      const migration = run.result!.runs[0]
      expect(migration.attempts).toBeGreaterThan(1)
      expect(migration.notes.join('\n')).toMatch(/Attempt 1 failed with .*55P03.*rolled back, retrying/)
      const pids = (await harness.query('SELECT (SELECT last_value FROM first_pid) AS first, (SELECT last_value FROM retry_pid) AS retry')).rows[0]
      expect(pids.retry).not.toBe(pids.first)
    } finally {
      await holder.end()
    }
  })
})
