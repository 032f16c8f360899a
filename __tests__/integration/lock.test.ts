import { afterAll, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
// @ts-expect-error -- plain ESM script without type declarations
import { runAction } from '../../scripts/run-action.mjs'
import { ActionError } from '../../src/errors.js'
import { LOCK_KEY, MigrationLock, acquireMigrationLock } from '../../src/lock.js'
import { silentLogger } from '../../src/logger.js'
import { describeNeeding } from '../support/capabilities.js'
import { connectClient, createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { ScratchServer } from '../support/scratch-server.js'
import { sqlSettings } from '../support/sql-engine.js'
import { type ActionRun } from '../support/action-run.js'

const connect = connectClient

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const pidOf = async (client: pg.Client): Promise<number> => (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
/** Holders of the migration lock in the test's own database (other suites hold the same key in theirs). */
const holders = async (client: pg.Client): Promise<number[]> =>
  (
    await client.query(
      'SELECT pid FROM pg_locks WHERE locktype = $1 AND classid = $2 AND objid = $3 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())',
      ['advisory', ...LOCK_KEY]
    )
  ).rows.map((r) => r.pid)

describeWithDatabase('the migration lock', () => {
  afterAll(() => dropTestDatabases())

  it('waits for the holder, names it, times out at the bound, and is acquired once released', async () => {
    const db = await createTestDatabase()
    const holder = await connect(db.url, 'other-runner')
    const waiter = await connect(db.url, 'this-runner')
    try {
      await acquireMigrationLock(holder, { timeoutMs: 1000, minPollMs: 20, maxPollMs: 100 }, silentLogger())

      const started = Date.now()
      const error = await acquireMigrationLock(waiter, { timeoutMs: 600, minPollMs: 20, maxPollMs: 100 }, silentLogger()).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(ActionError)
      expect((error as ActionError).code).toBe('lock-timeout')
      expect((error as ActionError).message).toContain('(other-runner)')
      expect(Date.now() - started).toBeGreaterThanOrEqual(550)

      // While waiting, the waiter holds no snapshot: the holder's CREATE INDEX CONCURRENTLY must not wait on it.
      await holder.query('CREATE TABLE t (id int)')
      const waiting = acquireMigrationLock(waiter, { timeoutMs: 10_000, minPollMs: 20, maxPollMs: 100 }, silentLogger())
      await new Promise((resolve) => setTimeout(resolve, 300))
      await holder.query(`SET lock_timeout = '3s'`)
      await holder.query('CREATE INDEX CONCURRENTLY t_id ON t (id)')
      await holder.query('SELECT pg_advisory_unlock($1, $2)', [...LOCK_KEY])
      const result = await waiting
      expect(result.waitedMs).toBeGreaterThan(0)
      expect(result.heldBy).toContain('other-runner')
      expect(await holders(holder)).toEqual([await pidOf(waiter)])
    } finally {
      await holder.end()
      await waiter.end()
    }
  })
})

describeWithDatabase('a migration lock whose session dies', () => {
  afterAll(() => dropTestDatabases())

  it('is re-acquired by ensureHeld, after waiting for the runner that took it meanwhile', async () => {
    const db = await createTestDatabase()
    const log: string[] = []
    const lock = new MigrationLock(sqlSettings(db.url, { waitTimeoutMs: 10_000, retryDelayMs: 20, maxRetryDelayMs: 100 }), silentLogger(log))
    const other = await connectClient(db.url, 'other-runner')
    try {
      await lock.acquire()
      expect(await lock.ensureHeld()).toBe(false)
      const lost = await pidOf(lock.session)
      await other.query('SELECT pg_terminate_backend($1)', [lost])
      while (!(await other.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [...LOCK_KEY])).rows[0].ok) await sleep(20)
      const release = setTimeout(() => void other.query('SELECT pg_advisory_unlock($1, $2)', [...LOCK_KEY]), 400)

      const started = Date.now()
      expect(await lock.ensureHeld()).toBe(true)
      clearTimeout(release)
      expect(Date.now() - started).toBeGreaterThanOrEqual(350)
      const now = await pidOf(lock.session)
      expect(now).not.toBe(lost)
      expect(await holders(other)).toEqual([now])
      expect(log.join('\n')).toContain('The migration lock was lost')
      expect(log.join('\n')).toContain('(other-runner)')
      expect(await lock.ensureHeld()).toBe(false)
    } finally {
      await lock.release()
      await other.end()
    }
  })

  it("says so when the server refuses the lock's own session (a connection limit)", async () => {
    const db = await createTestDatabase()
    const role = `pgma_limited_${Math.random().toString(36).slice(2, 8)}`
    await withClient(db.url, (c) => c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'limited-pw' CONNECTION LIMIT 0`))
    try {
      const url = new URL(db.url)
      url.username = role
      url.password = 'limited-pw'
      const error = await new MigrationLock(sqlSettings(url.toString()), silentLogger()).acquire().then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toMatchObject({ code: 'lock-session-failed' })
      expect((error as ActionError).message).toContain('too many connections')
      expect((error as ActionError).hint).toContain('max_connections')
    } finally {
      await withClient(db.url, (c) => c.query(`DROP ROLE ${role}`))
    }
  })

  it('stops with lock-lost when another runner keeps it past wait-timeout', async () => {
    const db = await createTestDatabase()
    const lock = new MigrationLock(sqlSettings(db.url, { waitTimeoutMs: 500, retryDelayMs: 20, maxRetryDelayMs: 100 }), silentLogger())
    const other = await connectClient(db.url, 'other-runner')
    try {
      await lock.acquire()
      await other.query('SELECT pg_terminate_backend($1)', [await pidOf(lock.session)])
      while (!(await other.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [...LOCK_KEY])).rows[0].ok) await sleep(20)
      const error = await lock.ensureHeld().then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toMatchObject({ code: 'lock-lost' })
      expect((error as ActionError).message).toContain('(other-runner)')
    } finally {
      await lock.release()
      await other.end()
    }
  })
})

describeNeeding(['database', 'scratch-server'], 'the migration lock across a server restart (bundled action)', () => {
  it('the run that reconnects re-acquires the lock and re-reads the history: with a second runner started right after, every migration is applied once and both runs succeed', async () => {
    const server = await ScratchServer.create()
    const work = mkdtempSync(join(tmpdir(), 'pgma-restart-'))
    try {
      server.start()
      mkdirSync(join(work, 'migrations'))
      const effect = (version: string): string => `INSERT INTO side_effects VALUES ('${version}');`
      const files: Record<string, string> = {
        '0001_setup.sql': `CREATE TABLE side_effects (version text);\n${effect('0001')}`,
        '0002_slow.sql': `${effect('0002')}\nSELECT pg_sleep(3);`,
        '0003_next.sql': effect('0003'),
        '0004_last.sql': effect('0004')
      }
      for (const [name, sql] of Object.entries(files)) writeFileSync(join(work, 'migrations', name), sql)
      // The first run retries only after the second one has started, so the second takes the lock first.
      const inputs = {
        'database-url': server.url,
        'migrations-path': 'migrations',
        extensions: '',
        'wait-timeout': '60',
        retries: '3',
        'retry-delay': '4000',
        'max-retry-delay': '4000'
      }

      const first = runAction({ inputs, cwd: work }) as Promise<ActionRun>
      for (let i = 0; server.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep%' AND pid <> pg_backend_pid()").trim() !== '1'; i++) {
        if (i > 300) throw new Error('the first run never reached 0002')
        await sleep(50)
      }
      server.stop('fast')
      server.start()
      const second = runAction({ inputs, cwd: work }) as Promise<ActionRun>
      const [a, b] = await Promise.all([first, second])

      expect([a.exitCode, b.exitCode]).toEqual([0, 0])
      expect(a.stdout).toContain('The migration lock was lost')
      const counts = await withClient(server.url, async (c) => ({
        effects: (await c.query('SELECT version, count(*)::int AS n FROM side_effects GROUP BY 1 ORDER BY 1')).rows,
        history: (await c.query('SELECT version, count(*)::int AS n FROM public.pg_migrate_history GROUP BY 1 ORDER BY 1')).rows
      }))
      const once = ['0001', '0002', '0003', '0004'].map((version) => ({ version, n: 1 }))
      expect(counts.effects).toEqual(once)
      expect(counts.history).toEqual(once)
      expect(Number(a.outputs['applied-count']) + Number(b.outputs['applied-count'])).toBe(4)
      expect([a.outputs['current-version'], b.outputs['current-version']]).toEqual(['0004', '0004'])
      expect(a.summary).toContain('## ✅')
      expect(b.summary).toContain('## ✅')
    } finally {
      server.destroy()
      rmSync(work, { recursive: true, force: true })
    }
  }, 120_000)
})

describeWithDatabase('the migration lock, taken while a migration of an earlier run still runs', () => {
  afterAll(() => dropTestDatabases())

  it('waits for a busy migration session (not an idle one), names it, and stops at wait-timeout with the way out', async () => {
    const db = await createTestDatabase()
    const busy = await connectClient(db.url, 'pg-migrate-action migration')
    const idle = await connectClient(db.url, 'pg-migrate-action (alembic)')
    const log: string[] = []
    try {
      const busyPid = await pidOf(busy)
      const sleeping = busy.query('SELECT pg_sleep(30)').catch(() => undefined)
      while (!(await idle.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [busyPid])).rowCount) await sleep(20)

      const timedOut = new MigrationLock(sqlSettings(db.url, { waitTimeoutMs: 800, retryDelayMs: 20, maxRetryDelayMs: 100 }), silentLogger(log))
      const error = await timedOut.acquire().then(
        () => undefined,
        (e: unknown) => e
      )
      await timedOut.release()
      expect(error).toMatchObject({ code: 'migration-still-running' })
      expect((error as ActionError).message).toMatch(
        new RegExp(
          `^A migration of an earlier run was still running on this database after wait-timeout \\(0\\.8 s\\): pid ${busyPid} \\(pg-migrate-action migration, active for [\\d.]+ s\\)\\. Nothing was applied by this run\\.$`
        )
      )
      expect((error as ActionError).hint).toContain(`SELECT pg_terminate_backend(pid) FROM unnest(ARRAY[${busyPid}]) AS pid`)
      expect(log.join('\n')).toContain(`A migration of an earlier run is still running on this database (pid ${busyPid} (pg-migrate-action migration, active for`)

      const lock = new MigrationLock(sqlSettings(db.url, { waitTimeoutMs: 10_000, retryDelayMs: 20, maxRetryDelayMs: 100 }), silentLogger())
      const end = setTimeout(() => void idle.query('SELECT pg_cancel_backend($1)', [busyPid]), 400)
      try {
        const result = await lock.acquire()
        expect(result.waitedForSessions).toMatch(new RegExp(`^pid ${busyPid} \\(pg-migrate-action migration, active for`))
        expect(result.waitedMs).toBeGreaterThanOrEqual(350)
        expect(await holders(idle)).toEqual([await pidOf(lock.session)])
      } finally {
        clearTimeout(end)
        await lock.release()
      }
      await sleeping
    } finally {
      await busy.end()
      await idle.end()
    }
  })
})
