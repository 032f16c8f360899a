import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { cpSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { describeNeeding } from '../support/capabilities.js'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases, itNeedingServer, PGLITE_LACKS, withClient } from '../support/database.js'
import { ScratchServer } from '../support/scratch-server.js'
import { MigrationDir, SqlHarness } from '../support/sql-engine.js'

/** Real PostgreSQL + pgvector: every test migrates its own fresh database. */

let dir: MigrationDir
let harness: SqlHarness
let url: string

async function fresh(overrides: ConstructorParameters<typeof SqlHarness>[2] = {}): Promise<SqlHarness> {
  await harness?.close()
  harness = new SqlHarness(url, dir, overrides)
  return harness
}

beforeEach(async () => {
  dir = new MigrationDir()
  url = (await createTestDatabase('pgma_sql')).url
  harness = new SqlHarness(url, dir)
})

afterEach(async () => {
  await harness.close()
  dir.cleanup()
})

afterAll(async () => {
  await dropTestDatabases()
})

async function tableExists(name: string): Promise<boolean> {
  const r = await harness.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [name])
  return r.rows[0].e
}

describeWithAnyDatabase('SQL engine against PostgreSQL', () => {
  it('applies the example pgvector chain, records history, and finds nothing to do on a re-run', async () => {
    cpSync(path.resolve('migrations-example/sql'), dir.dir, { recursive: true })
    const previous = { sha: process.env.GITHUB_SHA, run: process.env.GITHUB_RUN_ID, repo: process.env.GITHUB_REPOSITORY }
    process.env.GITHUB_SHA = 'abc123'
    process.env.GITHUB_RUN_ID = '42'
    process.env.GITHUB_REPOSITORY = 'acme/rag'
    let first
    try {
      first = await harness.run()
    } finally {
      for (const [key, value] of [
        ['GITHUB_SHA', previous.sha],
        ['GITHUB_RUN_ID', previous.run],
        ['GITHUB_REPOSITORY', previous.repo]
      ] as const) {
        if (value === undefined) delete process.env[key]
        else process.env[key] = value
      }
    }
    expect(first.problems).toEqual([])
    expect(first.state.versionTableExists).toBe(false)
    expect(first.result!.failure).toBeUndefined()
    expect(first.result!.runs.map((r) => [r.id, r.status, r.transactional])).toEqual([
      ['0001', 'applied', true],
      ['0002', 'applied', true],
      ['0003', 'applied', false],
      ['0004', 'applied', true],
      ['0005', 'applied', true]
    ])
    expect(first.result!.runs[2].notes.join(' ')).toMatch(/outside a transaction.*line 5: CREATE INDEX CONCURRENTLY cannot run inside a transaction block/)
    expect(first.result!.current).toEqual(['0005'])
    for (const run of first.result!.runs) expect(run.durationMs).toBeGreaterThanOrEqual(0)

    const index = await harness.query(
      `SELECT i.indisvalid, am.amname, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
        WHERE c.relname = 'chunks_embedding_hnsw_idx'`
    )
    expect(index.rows[0]).toMatchObject({ indisvalid: true, amname: 'hnsw' })
    expect(index.rows[0].def).toContain('vector_cosine_ops')

    // The schema works: the trigger and the search function.
    const vec = (x: number): string => `[${Array.from({ length: 1536 }, (_, i) => (i === 0 ? x : 0.001)).join(',')}]`
    await harness.query(`INSERT INTO documents (source_uri, content_sha256, metadata) VALUES ('s3://a', '\\x00', '{"lang":"en"}')`)
    await harness.query(`INSERT INTO chunks (document_id, ordinal, content, token_count, embedding) SELECT id, 0, 'hello', 1, $1 FROM documents`, [vec(1)])
    const match = await harness.query(`SELECT content, similarity FROM match_chunks($1::vector, 5, '{"lang":"en"}')`, [vec(1)])
    expect(match.rows).toHaveLength(1)
    expect(match.rows[0].similarity).toBeCloseTo(1, 5)

    const rows = await harness.query(
      `SELECT version, name, checksum, execution_ms, transactional, dirty, git_sha, run_id, repository, applied_by FROM public.pg_migrate_history ORDER BY version`
    )
    expect(rows.rows.map((r) => r.version)).toEqual(['0001', '0002', '0003', '0004', '0005'])
    expect(rows.rows[0]).toMatchObject({ name: 'documents', git_sha: 'abc123', run_id: '42', repository: 'acme/rag', dirty: false, transactional: true, applied_by: 'postgres' })
    expect(rows.rows[2]).toMatchObject({ transactional: false, dirty: false })
    expect(rows.rows[0].checksum).toBe(first.chain.revisions[0].checksum)
    expect(rows.rows[0].checksum).toMatch(/^[0-9a-f]{64}$/)

    const again = await (await fresh()).run()
    expect(again.problems).toEqual([])
    expect(again.state.current).toEqual(['0005'])
    expect(again.result).toEqual({ runs: [], current: ['0005'] })
  })

  it('stops at a failing migration: earlier ones stay, the failing one leaves nothing, a re-run after the fix completes', async () => {
    dir.write({
      '0001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);',
      '0002_b.sql': 'CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nINSERT INTO a (id, missing_column) VALUES (1, 2);\n',
      '0003_c.sql': 'CREATE TABLE c (id int);'
    })
    const first = await harness.run()
    const { runs, failure } = first.result!
    expect(runs.map((r) => [r.id, r.status, r.attempts])).toEqual([
      ['0001', 'applied', 1],
      ['0002', 'failed', 1],
      ['0003', 'not-run', 0]
    ])
    expect(failure).toMatchObject({
      revision: '0002',
      file: 'migrations/0002_b.sql',
      sqlState: '42703',
      message: 'column "missing_column" of relation "a" does not exist',
      statement: 'INSERT INTO a (id, missing_column) VALUES (1, 2)',
      line: 3,
      column: 20
    })
    expect(failure!.databaseState).toBe('Rolled back: nothing of migrations/0002_b.sql was applied; the migrations before it stay applied.')
    expect(failure!.excerpt).toContain('> 3 | INSERT INTO a (id, missing_column) VALUES (1, 2);')
    expect(first.result!.current).toEqual(['0001'])
    expect(await tableExists('a')).toBe(true)
    expect(await tableExists('b')).toBe(false)
    expect(await tableExists('c')).toBe(false)
    expect((await harness.history()).map((r) => r.version)).toEqual(['0001'])

    dir.write({ '0002_b.sql': 'CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nINSERT INTO a (id) VALUES (1);\n' })
    const second = await (await fresh()).run()
    expect(second.problems).toEqual([])
    expect(second.result!.runs.map((r) => [r.id, r.status])).toEqual([
      ['0002', 'applied'],
      ['0003', 'applied']
    ])
    expect((await harness.history()).map((r) => r.version)).toEqual(['0001', '0002', '0003'])
    expect((await harness.query('SELECT count(*)::int AS n FROM b')).rows[0].n).toBe(1)
  })

  it('names the failed statement when the server gives no position, and a deferred constraint as a COMMIT failure', async () => {
    // A migration goes to the server as one message: the failed statement is told by the commands completed before it.
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a VALUES (1);\nSELECT 1 / (SELECT count(*) - 1 FROM a);\nCREATE TABLE never (id int);\n' })
    const runtime = (await harness.run()).result!.failure
    expect(runtime).toMatchObject({ sqlState: '22012', statement: 'SELECT 1 / (SELECT count(*) - 1 FROM a)', line: 3, column: 1 })
    expect(runtime!.excerpt).toContain('> 3 | SELECT 1 / (SELECT count(*) - 1 FROM a);')
    expect(await tableExists('a')).toBe(false)

    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY, parent int REFERENCES a DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO a VALUES (1, 2);\n' })
    const atCommit = (await harness.run()).result!.failure
    expect(atCommit).toMatchObject({ sqlState: '23503', statement: 'COMMIT' })
    expect(atCommit!.message).toMatch(/^COMMIT failed \(deferred constraints/)
    expect(await tableExists('a')).toBe(false)
    expect(await harness.history()).toEqual([])
  })

  itNeedingServer(PGLITE_LACKS.terminate, 'notices the lock session died during a migration and re-acquires the lock before the next one', async () => {
    // The lock is not queried before every migration: its session closing must be enough to check again.
    dir.write({
      '0001_kill_lock.sql':
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pg-migrate-action lock' AND datname = current_database();\nSELECT pg_sleep(0.3);\n",
      '0002_next.sql': 'CREATE TABLE next (id int);\n'
    })
    const run = await harness.run()
    expect(run.result!.failure).toBeUndefined()
    expect(run.result!.runs.map((r) => r.status)).toEqual(['applied', 'applied'])
    const log = run.log.join('\n')
    expect(log).toContain('The migration lock was lost')
    expect(log.indexOf('Migration lock re-acquired')).toBeLessThan(log.indexOf('migrations/0002_next.sql applied'))
  })

  it('runs a dollar-quoted function body with semicolons, strings and comments as one statement', async () => {
    dir.write({
      '0001_fn.sql': [
        'CREATE TABLE notes (body text);',
        'CREATE FUNCTION add_note(t text) RETURNS int LANGUAGE plpgsql AS $fn$',
        'DECLARE n int;',
        'BEGIN',
        "  INSERT INTO notes VALUES (t || ';' || $$inner; quoted$$); -- a comment; with semicolon",
        '  /* block; comment */',
        '  SELECT count(*) INTO n FROM notes;',
        '  RETURN n;',
        'END;',
        '$fn$;',
        "SELECT add_note('first; note');"
      ].join('\n')
    })
    const run = await harness.run()
    expect(run.result!.failure).toBeUndefined()
    expect(run.result!.runs[0].transactional).toBe(true)
    const rows = await harness.query('SELECT body FROM notes')
    expect(rows.rows).toEqual([{ body: 'first; note;inner; quoted' }])
  })

  it('refuses a migration whose file changed after it was applied, naming the file and both checksums', async () => {
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int);' })
    const first = await harness.run()
    const appliedChecksum = first.chain.revisions[0].checksum
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id bigint);', '0002_b.sql': 'CREATE TABLE b (id int);' })
    const second = await (await fresh()).run()
    const problem = second.problems.find((p) => p.code === 'checksum-mismatch')!
    expect(problem.severity).toBe('error')
    expect(problem.file).toBe('migrations/0001_a.sql')
    expect(problem.message).toContain('migrations/0001_a.sql')
    expect(problem.message).toContain(appliedChecksum)
    expect(problem.message).toContain(second.chain.revisions[0].checksum)
    expect(problem.hint).toContain(`UPDATE "public"."pg_migrate_history" SET checksum = '${second.chain.revisions[0].checksum}' WHERE version = '0001';`)
    expect(second.result).toBeUndefined()
    expect(await tableExists('b')).toBe(false)
  })

  it('does not report drift when only line endings changed (CRLF checkout)', async () => {
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n' })
    await harness.run()
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n' })
    const second = await (await fresh()).run()
    expect(second.problems).toEqual([])
  })

  it('refuses when an applied migration file is gone', async () => {
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int);', '0002_b.sql': 'CREATE TABLE b (id int);' })
    await harness.run()
    dir.remove('0002_b.sql')
    dir.write({ '0003_c.sql': 'CREATE TABLE c (id int);' })
    const second = await (await fresh()).run()
    const problem = second.problems.find((p) => p.code === 'missing-migration-file')!
    expect(problem).toMatchObject({ severity: 'error', revisions: ['0002'] })
    expect(problem.message).toContain('0002 (b)')
    expect(problem.hint).toContain(`DELETE FROM "public"."pg_migrate_history" WHERE version = '0002';`)
    expect(await tableExists('c')).toBe(false)
  })

  it('refuses a pending migration older than the newest applied one, unless allow-out-of-order', async () => {
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int);', '0003_c.sql': 'CREATE TABLE c (id int);' })
    await harness.run()
    dir.write({ '0002_b.sql': 'CREATE TABLE b (id int);', '0004_d.sql': 'CREATE TABLE d (id int);' })
    const refused = await (await fresh()).run()
    const problem = refused.problems.find((p) => p.code === 'out-of-order')!
    expect(problem).toMatchObject({ severity: 'error', revisions: ['0002'], file: 'migrations/0002_b.sql' })
    expect(problem.hint).toContain('allow-out-of-order')
    expect(refused.result).toBeUndefined()
    expect(await tableExists('b')).toBe(false)

    const allowed = await (await fresh({ allowOutOfOrder: true })).run()
    expect(allowed.problems.map((p) => [p.code, p.severity])).toEqual([['out-of-order', 'warning']])
    expect(allowed.result!.runs.map((r) => [r.id, r.status])).toEqual([
      ['0002', 'applied'],
      ['0004', 'applied']
    ])
    expect(allowed.result!.current).toEqual(['0004'])
  })

  itNeedingServer(PGLITE_LACKS.sessions, 'fails with a clear lock timeout after retrying, leaving nothing half-applied', async () => {
    dir.write({
      '0001_busy.sql': 'CREATE TABLE busy (id int);'
    })
    await harness.run()
    dir.write({ '0002_alter.sql': 'CREATE TABLE side_effect (id int);\nALTER TABLE busy ADD COLUMN note text;\n' })

    const holder = new pg.Client({ connectionString: url })
    await holder.connect()
    try {
      await holder.query('BEGIN')
      await holder.query('LOCK TABLE busy IN ACCESS EXCLUSIVE MODE')
      const run = await (await fresh({ lockTimeout: '100ms', retries: 2, retryDelayMs: 10, maxRetryDelayMs: 20 })).run()
      const { runs, failure } = run.result!
      expect(runs[0]).toMatchObject({ id: '0002', status: 'failed', attempts: 3 })
      expect(runs[0].notes.filter((n) => /^Attempt \d failed with lock_not_available \(55P03\).*at line 2; rolled back, retrying in \d+ ms\.$/.test(n))).toHaveLength(2)
      expect(failure).toMatchObject({ sqlState: '55P03', message: 'canceling statement due to lock timeout', line: 2, statement: 'ALTER TABLE busy ADD COLUMN note text' })
      expect(failure!.databaseState).toContain('Rolled back (after 3 attempts): nothing of migrations/0002_alter.sql was applied')
      expect(failure!.recovery[0]).toContain('lock-timeout')
    } finally {
      await holder.query('ROLLBACK')
      await holder.end()
    }
    expect(await tableExists('side_effect')).toBe(false)
    expect((await harness.history()).map((r) => r.version)).toEqual(['0001'])
  })

  itNeedingServer(PGLITE_LACKS.sessions, 'succeeds on a retry when the lock is released between attempts', async () => {
    dir.write({ '0001_busy.sql': 'CREATE TABLE busy (id int);' })
    await harness.run()
    dir.write({ '0002_alter.sql': 'ALTER TABLE busy ADD COLUMN note text;' })
    const holder = new pg.Client({ connectionString: url })
    await holder.connect()
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE busy IN ACCESS EXCLUSIVE MODE')
    // Released once a migration session has queued behind the lock (and timed out), whatever the stages before apply took.
    const watcher = new pg.Client({ connectionString: url })
    await watcher.connect()
    const queued = async (): Promise<boolean> =>
      (
        await watcher.query(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted AND l.relation = 'busy'::regclass AND a.application_name = 'pg-migrate-action migration'`
        )
      ).rows[0].n > 0
    let stop = false
    const releaseOnQueue = (async () => {
      while (!stop && !(await queued())) await new Promise((resolve) => setTimeout(resolve, 10))
      await new Promise((resolve) => setTimeout(resolve, 150))
      await holder.query('ROLLBACK')
    })()
    try {
      const run = await (await fresh({ lockTimeout: '100ms', retries: 10, retryDelayMs: 100, maxRetryDelayMs: 200 })).run()
      await releaseOnQueue
      expect(run.result!.failure).toBeUndefined()
      expect(run.result!.runs[0].status).toBe('applied')
      expect(run.result!.runs[0].attempts).toBeGreaterThan(1)
      expect(run.result!.runs[0].notes[0]).toMatch(/^Attempt 1 failed with lock_not_available \(55P03\)/)
    } finally {
      stop = true
      await releaseOnQueue.catch(() => undefined)
      await watcher.end()
      await holder.end()
    }
  })

  it('maps the server error position to the file line and column, through non-ASCII text and dbmate sections', async () => {
    dir.write({
      '0001_pos.sql': [
        '-- migrate:up',
        "CREATE TABLE café (naïve text DEFAULT '😀😀');",
        '',
        'SELECT naïve,',
        '       no_such_column',
        '  FROM café;',
        '-- migrate:down',
        'DROP TABLE café;'
      ].join('\n')
    })
    const { failure } = (await harness.run()).result!
    expect(failure).toMatchObject({ sqlState: '42703', line: 5, column: 8, file: 'migrations/0001_pos.sql' })
    expect(failure!.excerpt).toBe(['  3 |', '  4 | SELECT naïve,', '> 5 |        no_such_column', '             ^', '  6 |   FROM café;', '  7 | -- migrate:down'].join('\n'))
  })

  it('maps an error inside a PL/pgSQL body to its line in the file', async () => {
    dir.write({
      '0001_fn.sql': ['CREATE FUNCTION broken() RETURNS int LANGUAGE plpgsql AS $$', 'BEGIN', '  RETURN 1 +;', 'END;', '$$;'].join('\n')
    })
    const { failure } = (await harness.run()).result!
    expect(failure).toMatchObject({ sqlState: '42601', line: 3 })
    expect(failure!.excerpt).toContain('> 3 |   RETURN 1 +;')
  })

  it('runs a CONCURRENTLY file statement by statement; a failure leaves it dirty with recovery steps until resolved', async () => {
    dir.write({
      '0001_t.sql': 'CREATE TABLE t (id int, v int);\nINSERT INTO t VALUES (1, 1), (2, 1);',
      '0002_idx.sql': ['CREATE INDEX CONCURRENTLY t_id_idx ON t (id);', 'CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v);', 'CREATE INDEX CONCURRENTLY t_v_idx ON t (v);'].join(
        '\n'
      ),
      '0003_after.sql': 'CREATE TABLE after_idx (id int);'
    })
    const first = await harness.run()
    const { runs, failure } = first.result!
    expect(runs.map((r) => [r.id, r.status, r.transactional])).toEqual([
      ['0001', 'applied', true],
      ['0002', 'failed', false],
      ['0003', 'not-run', true]
    ])
    expect(failure).toMatchObject({ sqlState: '23505', line: 2, statement: 'CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v)' })
    expect(failure!.databaseState).toContain('statements 1–1 of 3 (up to line 1) took effect and stay applied')
    expect(failure!.databaseState).toContain('Statement 2 (line 2) failed; statements 3–3 did not run.')
    expect(failure!.recovery.join('\n')).toContain('DROP INDEX CONCURRENTLY IF EXISTS public.t_v_key;')
    expect(await harness.history()).toEqual([
      { version: '0001', dirty: false, statements_done: 2 },
      { version: '0002', dirty: true, statements_done: 1 }
    ])
    // The index from statement 1 exists; the failed unique index is left INVALID, as Postgres does.
    const indexes = await harness.query(`SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 't'::regclass ORDER BY 1`)
    expect(indexes.rows).toEqual([
      { relname: 't_id_idx', indisvalid: true },
      { relname: 't_v_key', indisvalid: false }
    ])

    // The next run refuses to do anything and says how to recover, with the real table name.
    dir.write({ '0002_idx.sql': ['CREATE INDEX CONCURRENTLY IF NOT EXISTS t_id_idx ON t (id);', 'CREATE INDEX CONCURRENTLY t_v_idx ON t (v);'].join('\n') })
    const blocked = await (await fresh()).run()
    const dirty = blocked.problems.find((p) => p.code === 'dirty-migration')!
    expect(dirty.severity).toBe('error')
    expect(dirty.message).toContain('1 of its 3 statements completed')
    expect(dirty.hint).toContain(`UPDATE "public"."pg_migrate_history" SET dirty = false, statements_done = statements_total WHERE version = '0002';`)
    expect(dirty.hint).toContain(`DELETE FROM "public"."pg_migrate_history" WHERE version = '0002';`)
    expect(blocked.result).toBeUndefined()
    expect(await tableExists('after_idx')).toBe(false)

    // Recover as the hint says: undo, delete the row, re-run.
    await harness.query('DROP INDEX CONCURRENTLY t_v_key')
    await harness.query(`DELETE FROM "public"."pg_migrate_history" WHERE version = '0002'`)
    const fixed = await (await fresh()).run()
    expect(fixed.problems.filter((p) => p.code !== 'checksum-mismatch')).toEqual([])
    expect(fixed.result!.runs.map((r) => [r.id, r.status])).toEqual([
      ['0002', 'applied'],
      ['0003', 'applied']
    ])
    expect(await harness.history()).toEqual([
      { version: '0001', dirty: false, statements_done: 2 },
      { version: '0002', dirty: false, statements_done: 2 },
      { version: '0003', dirty: false, statements_done: 1 }
    ])
  })

  it('honours -- pg-migrate:no-transaction and reports it', async () => {
    dir.write({ '0001_a.sql': '-- pg-migrate:no-transaction\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);' })
    const run = await harness.run('plan')
    expect(run.rendered!.map((p) => [p.revision.id, p.transactional])).toEqual([['0001', false]])
    expect(run.rendered![0].notes[0]).toContain('-- pg-migrate:no-transaction (line 1)')
    const applied = await (await fresh()).run()
    expect(applied.result!.runs[0]).toMatchObject({ status: 'applied', transactional: false })
    expect(await harness.history()).toEqual([{ version: '0001', dirty: false, statements_done: 2 }])
  })

  it('reports unknown directives as an error problem', async () => {
    dir.write({ '0001_a.sql': '-- pg-migrate:no-transactions\nCREATE TABLE a (id int);' })
    const run = await harness.run()
    expect(run.problems.map((p) => [p.code, p.line])).toEqual([['unknown-directive', 1]])
  })

  it('plan mode renders SQL and transactionality without touching the database', async () => {
    dir.write({ '0001_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n', '0002_b.sql': 'VACUUM;' })
    const run = await harness.run('plan')
    expect(run.rendered!.map((p) => [p.revision.id, p.transactional, p.sql])).toEqual([
      ['0001', true, 'CREATE TABLE a (id int);'],
      ['0002', false, 'VACUUM;']
    ])
    expect(run.rendered!.map((p) => p.sqlLine)).toEqual([2, 1])
    expect(run.rendered![1].notes[0]).toContain('line 1: VACUUM cannot run inside a transaction block')
    expect(await tableExists('public.pg_migrate_history')).toBe(false)
    expect(await tableExists('a')).toBe(false)
  })

  it('finds a syntax error before applying anything of the run', async () => {
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int);', '0002_b.sql': 'CREATE TABLE b (id int);\nCREAT TABLE c (id int);' })
    const { runs, failure } = (await harness.run()).result!
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      ['0001', 'not-run'],
      ['0002', 'failed']
    ])
    expect(failure).toMatchObject({ revision: '0002', line: 2, column: 1, sqlState: '42601' })
    expect(failure!.message).toContain('syntax error at or near "CREAT"')
    expect(failure!.databaseState).toContain('Nothing was applied')
    expect(await tableExists('a')).toBe(false)
  })

  it("uses a file's own BEGIN … COMMIT as the transaction and refuses a stray COMMIT", async () => {
    dir.write({ '0001_a.up.sql': 'BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n', '0001_a.down.sql': 'DROP TABLE a;' })
    const ok = await harness.run()
    expect(ok.result!.runs[0]).toMatchObject({ status: 'applied', transactional: true })
    expect(ok.result!.runs[0].notes[0]).toContain("The file's own BEGIN (line 1) and COMMIT (line 3)")

    dir.write({ '0002_b.up.sql': 'CREATE TABLE b (id int);\nCOMMIT;\nCREATE TABLE c (id int);\n' })
    const bad = await (await fresh()).run()
    expect(bad.result!.failure).toMatchObject({ revision: '0002', line: 2, file: 'migrations/0002_b.up.sql' })
    expect(bad.result!.failure!.recovery[0]).toContain('-- pg-migrate:no-transaction')
    expect(await tableExists('b')).toBe(false)
  })

  it('quotes the history table name and creates its schema', async () => {
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int);' })
    const h = await fresh({ historyTable: { schema: 'Ops', table: 'MigrationHistory' } })
    const run = await h.run()
    expect(run.result!.runs[0].status).toBe('applied')
    expect(await tableExists('"Ops"."MigrationHistory"')).toBe(true)
    expect(await tableExists('public.pg_migrate_history')).toBe(false)
    const again = await (await fresh({ historyTable: { schema: 'Ops', table: 'MigrationHistory' } })).run()
    expect(again.state.current).toEqual(['0001'])
    expect(again.result!.runs).toEqual([])
  })

  it('refuses a history table that belongs to another tool', async () => {
    await harness.query('CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)')
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int);' })
    await expect((await fresh({ historyTable: { schema: 'public', table: 'schema_migrations' } })).run()).rejects.toMatchObject({
      code: 'history-table-incompatible'
    })
  })

  itNeedingServer(PGLITE_LACKS.terminate, 'retries after the connection is lost mid-migration and applies it once', async () => {
    dir.write({ '0001_slow.sql': 'CREATE TABLE slow (id int);\nSELECT pg_sleep(0.4);\nINSERT INTO slow VALUES (1);' })
    const killer = new pg.Client({ connectionString: url })
    await killer.connect()
    let killed = 0
    const database = new URL(url).pathname.slice(1)
    const watch = setInterval(() => {
      if (killed > 0) return
      void killer
        .query(
          `SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg-migrate-action migration' AND query LIKE '%SELECT pg_sleep%'`,
          [database]
        )
        .then((r) => {
          killed += r.rows.filter((row) => row.t).length
        })
        .catch(() => undefined)
    }, 50)
    try {
      const run = await (await fresh({ retries: 2 })).run()
      expect(killed).toBe(1)
      expect(run.result!.failure).toBeUndefined()
      expect(run.result!.runs[0]).toMatchObject({ status: 'applied', attempts: 2 })
      expect(run.result!.runs[0].notes[0]).toMatch(/^Attempt 1 failed with a lost connection \(57P01\)/)
    } finally {
      clearInterval(watch)
      await killer.end()
    }
    expect((await harness.query('SELECT count(*)::int AS n FROM slow')).rows[0].n).toBe(1)
  })
})

describeWithAnyDatabase('SQL engine: what a failure reports', () => {
  it("counts a no-transaction file's own BEGIN … COMMIT as one unit: a failure inside rolls the block back, and the report says so", async () => {
    dir.write({
      '0001_block.sql': [
        '-- pg-migrate:no-transaction',
        'CREATE TABLE before_block (id int);',
        'BEGIN;',
        'CREATE TABLE in_block (id int);',
        'INSERT INTO in_block VALUES (1);',
        'SELECT 1 / 0;',
        'COMMIT;',
        'CREATE TABLE after_block (id int);'
      ].join('\n')
    })
    const { runs, failure } = (await harness.run()).result!
    expect(runs.map((r) => r.status)).toEqual(['failed'])
    expect(failure).toMatchObject({ sqlState: '22012', line: 6 })
    expect(failure!.databaseState).toContain('statements 1–1 of 7 (up to line 2) took effect and stay applied.')
    expect(failure!.databaseState).toContain("Statements 2–4 ran inside the file's own transaction (BEGIN at line 3), which was rolled back")
    expect(failure!.databaseState).toContain('Statement 5 (line 6) failed; statements 6–7 did not run.')
    expect(failure!.recovery[0]).toBe('Check what took effect: statements 1–1 ran and stay applied; statement 5 failed and did not complete.')
    expect(await tableExists('before_block')).toBe(true)
    expect(await tableExists('in_block')).toBe(false)
    // statements_done counts what took effect, for whoever resolves the dirty row.
    expect(await harness.history()).toEqual([{ version: '0001', dirty: true, statements_done: 1 }])
  })

  it('applies a no-transaction file whose own transaction commits, and refuses one whose BEGIN is never committed', async () => {
    dir.write({ '0001_ok.sql': '-- pg-migrate:no-transaction\nBEGIN;\nCREATE TABLE committed_block (id int);\nCOMMIT;\nCREATE TABLE after_commit (id int);' })
    expect((await harness.run()).result!.runs.map((r) => r.status)).toEqual(['applied'])
    expect(await harness.history()).toEqual([{ version: '0001', dirty: false, statements_done: 4 }])

    dir.write({ '0002_open.sql': '-- pg-migrate:no-transaction\nCREATE TABLE outside (id int);\nBEGIN;\nCREATE TABLE never_committed (id int);' })
    const { runs, failure } = (await (await fresh()).run()).result!
    expect(runs.map((r) => r.status)).toEqual(['failed'])
    expect(failure!.message).toContain("The file's BEGIN at line 3 has no COMMIT")
    expect(failure!.databaseState).toContain('statements 1–1 of 3 (up to line 2) took effect')
    expect(await tableExists('outside')).toBe(true)
    expect(await tableExists('never_committed')).toBe(false)
    expect((await harness.history()).at(-1)).toEqual({ version: '0002', dirty: true, statements_done: 1 })
  })

  itNeedingServer(PGLITE_LACKS.sessions, 'names the session that held the lock a migration timed out on: pid, application, state, query, how long', async () => {
    dir.write({ '0001_busy.sql': 'CREATE TABLE busy (id int);' })
    await harness.run()
    dir.write({ '0002_alter.sql': 'ALTER TABLE busy ADD COLUMN note text;' })
    const holder = new pg.Client({ connectionString: url, application_name: 'nightly-report' })
    await holder.connect()
    try {
      const holderPid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number
      await holder.query('BEGIN')
      await holder.query('LOCK TABLE busy IN ACCESS EXCLUSIVE MODE')
      const { failure } = (await (await fresh({ lockTimeout: '1s', retries: 0 })).run()).result!
      expect(failure!.sqlState).toBe('55P03')
      expect(failure!.blockedBy).toEqual([
        { pid: holderPid, applicationName: 'nightly-report', state: 'idle in transaction', query: 'LOCK TABLE busy IN ACCESS EXCLUSIVE MODE', runningForMs: expect.any(Number) }
      ])
      expect(failure!.blockedBy![0].runningForMs).toBeGreaterThan(500)
      expect(failure!.recovery[0]).toMatch(
        new RegExp(`^Held the lock the migration needed: pid ${holderPid} \\(nightly-report, idle in transaction for \\d+\\.\\d s\\): LOCK TABLE busy`)
      )
      expect(failure!.recovery[0]).toContain(`pg_terminate_backend(pid) FROM unnest(ARRAY[${holderPid}])`)
      expect(failure!.recovery.join('\n')).not.toContain('<pid>')
    } finally {
      await holder.query('ROLLBACK')
      await holder.end()
    }
  })

  it('returns a failed history write as a failure that keeps what was applied', async () => {
    dir.write({
      '0001_a.sql': 'CREATE TABLE a (id int);',
      '0002_freeze.sql': [
        '-- pg-migrate:no-transaction',
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'history is frozen'; END $$;",
        'CREATE TRIGGER refuse BEFORE UPDATE ON public.pg_migrate_history FOR EACH ROW EXECUTE FUNCTION refuse();',
        'CREATE TABLE later (id int);'
      ].join('\n')
    })
    const { runs, failure } = (await harness.run()).result!
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      ['0001', 'applied'],
      ['0002', 'failed']
    ])
    expect(failure!.message).toBe('Recording the migration in the history table failed: history is frozen')
    expect(failure!.databaseState).toContain('statements 1–2 of 3 (up to line 3) took effect and stay applied.')
    expect(failure!.recovery.join('\n')).toContain(`UPDATE "public"."pg_migrate_history" SET dirty = false`)
    expect(await tableExists('later')).toBe(false)
  })
})

describeWithAnyDatabase('SQL engine with a restricted role', () => {
  itNeedingServer(PGLITE_LACKS.roles, 'runs with a role that may write the existing history table but create nothing in the schema', async () => {
    dir.write({ '0001_a.sql': 'CREATE TABLE a (id int);' })
    await harness.run()
    const role = `pgma_app_${Math.random().toString(36).slice(2, 8)}`
    await harness.query(`CREATE ROLE ${role} LOGIN PASSWORD 'app-pw'`)
    try {
      await harness.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`)
      await harness.query(`GRANT SELECT, INSERT, UPDATE ON public.pg_migrate_history TO ${role}`)
      await harness.query(`GRANT SELECT, UPDATE ON a TO ${role}`)
      dir.write({ '0002_b.sql': 'UPDATE a SET id = id + 1;' })
      const restricted = new URL(url)
      restricted.username = role
      restricted.password = 'app-pw'
      const h = new SqlHarness(restricted.toString(), dir)
      try {
        const run = await h.run()
        expect(run.result!.failure).toBeUndefined()
        expect(run.result!.runs.map((r) => r.status)).toEqual(['applied'])
      } finally {
        await h.close()
      }
      const who = await harness.query(`SELECT applied_by FROM public.pg_migrate_history WHERE version = '0002'`)
      expect(who.rows[0].applied_by).toBe(role)
    } finally {
      await harness.query(`DROP OWNED BY ${role}`)
      await harness.query(`DROP ROLE ${role}`)
    }
  })
})

describeNeeding(['database', 'scratch-server'], 'SQL engine across a server restart', () => {
  it('waits for the server to be ready again before retrying a migration whose connection was lost', async () => {
    const server = await ScratchServer.create()
    const h = new SqlHarness(server.url, dir, { retries: 1, retryDelayMs: 50, maxRetryDelayMs: 200, waitTimeoutMs: 30_000 })
    try {
      server.start()
      dir.write({ '0001_slow.sql': 'CREATE TABLE slow (id int);\nSELECT pg_sleep(1);\nINSERT INTO slow VALUES (1);' })
      const running = h.run()
      for (let i = 0; server.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep%' AND pid <> pg_backend_pid()").trim() !== '1'; i++) {
        if (i > 300) throw new Error('the migration never reached pg_sleep')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      server.stop('fast')
      // Down for longer than both attempts' backoff together: only waiting for readiness gets through.
      await new Promise((resolve) => setTimeout(resolve, 2500))
      server.start()
      const run = await running
      expect(run.result!.failure).toBeUndefined()
      expect(run.result!.runs[0]).toMatchObject({ status: 'applied', attempts: 2 })
      expect(run.result!.runs[0].notes[0]).toMatch(/^Attempt 1 failed with a lost connection/)
      expect(run.log.join('\n')).toContain('The migration lock was lost')
      const slow = await withClient(server.url, (c) => c.query('SELECT count(*)::int AS n FROM slow'))
      expect(slow.rows[0].n).toBe(1)
    } finally {
      await h.close()
      server.destroy()
    }
  }, 60_000)
})
