import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { PROGRESS_INTERVAL_VARIABLE } from '../../src/watch/index.js'
import type { ActionRun } from '../support/action-run.js'
import { PYTHON, removeProjects, STACKS, useStack, writeProject, type RevisionSpec } from '../support/alembic-project.js'
import { describeEachNeeding } from '../support/capabilities.js'
import { connectClient, createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { waitFor } from '../support/killable-run.js'
import { MigrationDir, SqlHarness } from '../support/sql-engine.js'

/**
 * The migration watcher on the real server: who waited for a migration's locks (the reader is named
 * by its application_name, with the table and the lock it wanted), what the migration waited for,
 * and progress lines for a long statement — an HNSW build with its phase, blocks and time left. The
 * progress interval is shortened through PGMA_TEST_PROGRESS_INTERVAL_MS (a variable for tests only).
 */

const PROGRESS_MS = '400'

/** The sessions that hold `mode` on `table`, granted, on the test's database. */
async function holding(url: string, table: string, mode: string, app: string): Promise<number | undefined> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a USING (pid)
        WHERE l.granted AND l.mode = $2 AND l.relation = to_regclass($1) AND a.application_name LIKE $3`,
      [table, mode, app]
    )
    return rows[0]?.pid
  })
}

/** Whether a session with application_name `app` waits for a lock on the test's database. */
async function waiting(url: string, app: string): Promise<true | undefined> {
  return withClient(url, async (c) => {
    const { rows } = await c.query(`SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted AND a.application_name = $1`, [app])
    return rows.length > 0 ? true : undefined
  })
}

/** Once a migration session holds ACCESS EXCLUSIVE on `table`: a reader named api-server selects from it (and waits). */
async function readerBehindMigration(url: string, table: string): Promise<{ reader: pg.Client; pid: number; read: Promise<unknown> }> {
  await waitFor(`the migration to lock ${table}`, () => holding(url, table, 'AccessExclusiveLock', 'pg-migrate-action%'), 60_000)
  const reader = await connectClient(url, 'api-server')
  const pid = (await reader.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid
  return { reader, pid, read: reader.query(`SELECT count(*) FROM ${table}`) }
}

/** A table of `rows` random vector(32) rows: an HNSW index on it takes a few seconds here. */
const VECTORS = (table: string, rows: number): string =>
  `CREATE EXTENSION IF NOT EXISTS vector;\nCREATE TABLE ${table} AS SELECT i AS id, ARRAY(SELECT random()::real FROM generate_series(1, 32) WHERE i > 0)::vector(32) AS embedding FROM generate_series(1, ${rows}) i;`

let previousInterval: string | undefined
beforeAll(() => {
  previousInterval = process.env[PROGRESS_INTERVAL_VARIABLE]
  process.env[PROGRESS_INTERVAL_VARIABLE] = PROGRESS_MS
})
afterAll(async () => {
  if (previousInterval === undefined) delete process.env[PROGRESS_INTERVAL_VARIABLE]
  else process.env[PROGRESS_INTERVAL_VARIABLE] = previousInterval
  removeProjects()
  await dropTestDatabases()
})

describeWithDatabase('Migration watch, SQL engine: lock waits and progress', () => {
  let dir: MigrationDir
  let harness: SqlHarness
  let url: string

  async function fresh(overrides: ConstructorParameters<typeof SqlHarness>[2]): Promise<SqlHarness> {
    await harness.close()
    harness = new SqlHarness(url, dir, overrides)
    return harness
  }

  beforeEach(async () => {
    dir = new MigrationDir()
    url = (await createTestDatabase('pgma_watch')).url
    harness = new SqlHarness(url, dir)
  })
  afterEach(async () => {
    await harness.close()
    dir.cleanup()
  })

  it('a migration that blocks a reader names the reader, the table, the lock it wanted and how long it waited', async () => {
    dir.write({
      '0001_chunks.sql': 'CREATE TABLE chunks (id int);',
      '0002_lock.sql': 'LOCK TABLE chunks IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(2);'
    })
    const run = harness.run()
    const { reader, pid, read } = await readerBehindMigration(url, 'chunks')
    try {
      const { result } = await run
      await read
      const [first, second] = result!.runs
      expect(first.lockWaits).toBeUndefined()
      expect(second.lockWaits!.blocked).toEqual([
        { pid, applicationName: 'api-server', mode: 'AccessShareLock', lockType: 'relation', relation: 'chunks', waitedMs: expect.any(Number) }
      ])
      // The reader arrived once the lock was taken and waited until the commit, ~2 s later; the last look is up to 200 ms before.
      expect(second.lockWaits!.blocked[0].waitedMs).toBeGreaterThan(1000)
      expect(second.lockWaits!.waited).toEqual([])
      expect(harness.log).toContainEqual(
        expect.stringMatching(new RegExp(`^0002: blocked 1 session, longest \\d\\.\\d s: api-server \\(pid ${pid}\\) waiting for AccessShareLock on chunks$`))
      )
    } finally {
      await reader.end()
    }
  }, 60_000)

  it('a migration that waits for a lock another session holds shows what it waited for and who held it, and the reader queued behind it', async () => {
    dir.write({ '0001_busy.sql': 'CREATE TABLE busy (id int);' })
    await harness.run()
    dir.write({ '0002_alter.sql': 'ALTER TABLE busy ADD COLUMN note text;' })
    const holder = await connectClient(url, 'nightly-report')
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE busy IN ACCESS SHARE MODE')
    const reader = await connectClient(url, 'api-server')
    try {
      const run = harness.run()
      await waitFor('the migration to wait for its lock', () => waiting(url, 'pg-migrate-action migration'), 60_000)
      // Behind the migration's queued ACCESS EXCLUSIVE request, a plain read waits too: the migration blocks it.
      const read = reader.query('SELECT count(*) FROM busy')
      await waitFor('the reader to queue', () => waiting(url, 'api-server'))
      await new Promise((resolve) => setTimeout(resolve, 1200))
      await holder.query('COMMIT')
      const { result } = await run
      await read
      const waits = result!.runs.at(-1)!.lockWaits!
      expect(waits.waited).toEqual([
        {
          pid: expect.any(Number),
          applicationName: 'pg-migrate-action migration',
          mode: 'AccessExclusiveLock',
          lockType: 'relation',
          relation: 'busy',
          waitedMs: expect.any(Number),
          heldBy: [{ pid: holderPid, applicationName: 'nightly-report' }]
        }
      ])
      expect(waits.waited[0].waitedMs).toBeGreaterThan(1000)
      expect(waits.blocked.map((b) => [b.applicationName, b.mode, b.relation])).toEqual([['api-server', 'AccessShareLock', 'busy']])
      expect(harness.log).toContainEqual(
        expect.stringMatching(new RegExp(`^0002: waited \\d\\.\\d s for AccessExclusiveLock on busy, held by nightly-report \\(pid ${holderPid}\\)$`))
      )
      expect(
        await withClient(url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'busy'::regclass AND attname = 'note'`)).rows[0].n)
      ).toBe(1)
    } finally {
      await holder.end()
      await reader.end()
    }
  }, 60_000)

  it('transaction: all — the waits are the run’s one transaction’s, shown at its first migration', async () => {
    await withClient(url, (c) => c.query('CREATE TABLE chunks (id int)'))
    dir.write({
      '0001_first.sql': 'CREATE TABLE first (id int);',
      '0002_lock.sql': 'LOCK TABLE chunks IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(2);',
      '0003_last.sql': 'CREATE TABLE last (id int);'
    })
    const run = (await fresh({ transaction: 'all' })).run()
    const { reader, read } = await readerBehindMigration(url, 'chunks')
    try {
      const { result } = await run
      await read
      expect(result!.runs.map((r) => [r.id, r.status, r.lockWaits?.scope, r.lockWaits?.blocked.map((b) => [b.applicationName, b.mode, b.relation])])).toEqual([
        ['0001', 'applied', "the run's one transaction", [['api-server', 'AccessShareLock', 'chunks']]],
        ['0002', 'applied', undefined, undefined],
        ['0003', 'applied', undefined, undefined]
      ])
      expect(harness.log).toContainEqual(
        expect.stringMatching(/^0001: the run's one transaction blocked 1 session, longest \d\.\d s: api-server \(pid \d+\) waiting for AccessShareLock on chunks$/)
      )
    } finally {
      await reader.end()
    }
  }, 60_000)

  it('a long HNSW build logs progress lines: elapsed time, phase, blocks done and the time left in the phase', async () => {
    dir.write({
      '0001_items.sql': VECTORS('items', 6000),
      '0002_index.sql': '-- an HNSW index\nCREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_l2_ops) WITH (ef_construction = 128);',
      '0003_concurrently.sql': 'SELECT 1;\nCREATE INDEX CONCURRENTLY items_embedding_cosine ON items USING hnsw (embedding vector_cosine_ops) WITH (ef_construction = 128);'
    })
    const { result } = await harness.run()
    expect(result!.runs.map((r) => r.status)).toEqual(['applied', 'applied', 'applied'])
    const lines = harness.log.filter((l) => l.startsWith('Still running: '))
    const inTransaction = lines.filter((l) => l.startsWith('Still running: migrations/0002_index.sql, running for '))
    expect(inTransaction.length).toBeGreaterThan(0)
    expect(inTransaction.join('\n')).toMatch(/: CREATE INDEX on items: building index: loading tuples, blocks [\d,]+ of [\d,]+ \(\d+ %\)/)
    expect(lines.join('\n')).toMatch(/building index: loading tuples, blocks [\d,]+ of [\d,]+ \(\d+ %\), [\d,]+ tuples done; (about \d+ (s|min)|less than 1 s) left in this phase/)
    // Outside a transaction the statement is known: the line names it.
    expect(lines.join('\n')).toMatch(
      /^Still running: migrations\/0003_concurrently\.sql, statement at line 2, running for \d+ s: CREATE INDEX CONCURRENTLY on items \(index items_embedding_cosine\): /m
    )
  }, 180_000)
})

describeWithDatabase('Migration watch, the bundle as the runner runs it (every action.yml default as INPUT_*)', () => {
  let work: string
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'pgma-watch-'))
    mkdirSync(join(work, 'migrations'))
  })
  afterEach(() => rmSync(work, { recursive: true, force: true }))

  it('the summary names the blocked reader next to the migration, a wait longer than lock-timeout is a warning annotation, and progress lines are logged', async () => {
    const { url } = await createTestDatabase('pgma_watch')
    writeFileSync(join(work, 'migrations', '0001_chunks.sql'), 'CREATE TABLE chunks (id int);')
    writeFileSync(join(work, 'migrations', '0002_lock.sql'), 'LOCK TABLE chunks IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(3);')
    const run = runAction({
      inputs: { 'database-url': url, 'migrations-path': 'migrations', 'lock-timeout': '1s' },
      cwd: work,
      env: { [PROGRESS_INTERVAL_VARIABLE]: '1000' }
    }) as Promise<ActionRun>
    const { reader, pid, read } = await readerBehindMigration(url, 'chunks')
    try {
      const result = await run
      await read
      expect(result.exitCode).toBe(0)
      expect(result.summary).toMatch(/\| `0002` \| lock \| ✅ applied \| [^|]+ \| 🔒 blocked 1 session, longest \d\.\d s: api-server waiting for AccessShareLock on chunks \|/)
      expect(result.stdout).toMatch(
        new RegExp(
          `^::warning title=Lock wait longer than lock-timeout in 0002,file=migrations/0002_lock.sql::While migration 0002 ran, api-server \\(pid ${pid}\\) waited \\d\\.\\d s for AccessShareLock on chunks, longer than lock-timeout \\(1s\\): its queries stalled behind the migration's lock\\.$`,
          'm'
        )
      )
      expect(result.stdout).toMatch(/^Still running: migrations\/0002_lock\.sql, running for [123] s$/m)
      expect(result.stdout).toMatch(new RegExp(`^0002: blocked 1 session, longest 2\\.\\d s: api-server \\(pid ${pid}\\) waiting for AccessShareLock on chunks$`, 'm'))
    } finally {
      await reader.end()
    }
  }, 60_000)
})

/** `chunks` exists before the run: Alembic's one transaction would keep a table it creates invisible to the reader. */
const LOCKING: RevisionSpec[] = [
  { id: '0001', down: null, message: 'documents', upgrade: ["op.create_table('documents', sa.Column('id', sa.Integer, primary_key=True))"] },
  { id: '0002', down: '0001', message: 'lock', upgrade: ["op.execute('LOCK TABLE chunks IN ACCESS EXCLUSIVE MODE')", "op.execute('SELECT pg_sleep(2)')"] },
  { id: '0003', down: '0002', message: 'after', upgrade: ["op.create_table('after', sa.Column('id', sa.Integer, primary_key=True))"] }
]

describeEachNeeding(['database'], STACKS, 'Migration watch, Alembic engine with $name (the bundle, every action.yml default)', (stack) => {
  let restore: () => void
  beforeAll(() => {
    restore = useStack(stack)
  })
  afterAll(() => restore())

  it('Alembic’s session is watched by its application_name: the blocked reader is named at the revision that ran, and the long statement logs progress', async () => {
    const { url } = await createTestDatabase('pgma_watch')
    await withClient(url, (c) => c.query('CREATE TABLE chunks (id int)'))
    const project = writeProject({ revisions: LOCKING })
    const run = runAction({
      inputs: { 'database-url': url, 'migrations-path': '.', engine: 'alembic', extensions: '', python: PYTHON },
      cwd: project,
      env: { [PROGRESS_INTERVAL_VARIABLE]: '1000' }
    }) as Promise<ActionRun>
    const { reader, pid, read } = await readerBehindMigration(url, 'chunks')
    try {
      const result = await run
      await read
      expect(result.exitCode).toBe(0)
      expect(result.summary).toMatch(/\| `0002` \| lock \| ✅ applied \| [^|]+ \| 🔒 blocked 1 session, longest \d\.\d s: api-server waiting for AccessShareLock on chunks \|/)
      expect(result.summary).not.toMatch(/\| `000[13]` \|[^\n]*🔒/)
      expect(result.stdout).toMatch(new RegExp(`^0002: blocked 1 session, longest \\d\\.\\d s: api-server \\(pid ${pid}\\) waiting for AccessShareLock on chunks$`, 'm'))
      expect(result.stdout).toMatch(/^Still running: revision 0002 \(migrations\/versions\/0002_lock\.py\), running for 1 s$/m)
      // lock-timeout (10s by default) was not reached: no annotation.
      expect(result.stdout).not.toContain('Lock wait longer than lock-timeout')
    } finally {
      await reader.end()
    }
  }, 90_000)
})
