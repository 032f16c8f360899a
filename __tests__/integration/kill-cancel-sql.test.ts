import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LOCK_KEY } from '../../src/lock.js'
import { connectClient, createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { actionSessions, backendRunning, leftIn, lockHolders, noActionSessionsLeft, startAction, waitFor, type StartedRun } from '../support/killable-run.js'

/**
 * The SQL engine under a runner's cancel (SIGINT, then SIGTERM) and under `kill -9`, run as the
 * runner runs the bundle; then the database is checked, and a second run started right after.
 */
let work: string
let url: string
const started: StartedRun[] = []

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'pgma-kill-sql-'))
  mkdirSync(join(work, 'migrations'))
  ;({ url } = await createTestDatabase('pgma_killsql'))
})

afterEach(() => {
  for (const run of started.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL')
    rmSync(run.tmp, { recursive: true, force: true })
  }
  rmSync(work, { recursive: true, force: true })
})

afterAll(() => dropTestDatabases())

function write(files: Record<string, string>): void {
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(work, 'migrations', name), sql)
}

function start(inputs: Record<string, string> = {}): StartedRun {
  const run = startAction({ inputs: { 'database-url': url, 'migrations-path': 'migrations', extensions: '', 'wait-timeout': '60', ...inputs }, cwd: work })
  started.push(run)
  return run
}

async function history(): Promise<[string, boolean][]> {
  return withClient(url, async (c) => (await c.query('SELECT version, dirty FROM public.pg_migrate_history ORDER BY version')).rows.map((r) => [r.version, r.dirty]))
}

async function tables(): Promise<string[]> {
  return withClient(url, async (c) =>
    (await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'pg_migrate_history' ORDER BY 1`)).rows.map((r) => r.tablename)
  )
}

const CHAIN = {
  '0001_first.sql': 'CREATE TABLE first (id int);',
  '0002_data.sql': 'CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT pg_sleep(30);',
  '0003_last.sql': 'CREATE TABLE last (id int);'
}

describeWithDatabase('SQL engine: a cancelled run (the runner’s SIGINT or SIGTERM)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: the statement is stopped on the server, its migration rolled back, the lock released, and the report says cancelled and what the database holds',
    async (signal) => {
      write(CHAIN)
      const run = start()
      const sleeping = await waitFor('0002 to reach pg_sleep', () => backendRunning(url, 'pg_sleep(30)'))
      expect(sleeping.app).toBe('pg-migrate-action migration')
      const signalled = Date.now()
      run.child.kill(signal)
      const result = await run.result
      // Well inside the 7.5 s the runner gives before SIGTERM, and the 2.5 s after it.
      expect(Date.now() - signalled).toBeLessThan(5000)
      expect(result.exitCode).toBe(1)

      expect(await history()).toEqual([['0001', false]])
      expect(await tables()).toEqual(['first'])
      expect(await actionSessions(url)).toEqual([])
      expect(await lockHolders(url)).toEqual([])
      expect(leftIn(run.tmp)).toEqual([])

      expect(result.summary).toContain('## 🛑 pg-migrate-action · migrate: cancelled during **apply** at migration `0002` (1 of 3 applied)')
      expect(result.summary).toContain(
        `**The run was cancelled (${signal}) while migrations/0002_data.sql was running; the server stopped it (canceling statement due to user request).**`
      )
      expect(result.summary).toContain(
        '**Database state:** 1 revision, `0001`, committed in this run; now at `0001`. Rolled back: nothing of migrations/0002_data.sql was applied; the migrations before it stay applied.'
      )
      expect(result.summary).toContain('**What to do:** Run the job again: it starts from 0002.')
      expect(result.summary).toMatch(/\| `0002` \| data \| ↩️ rolled back \| [^|]+ \| stopped by the cancel \|/)
      expect(result.summary).toContain('[`cancelled`]')
      expect(result.summary).not.toContain('Fix ')
      expect(result.outputs).toMatchObject({ 'applied-count': '1', 'pending-count': '2', 'current-version': '0001' })
      expect(result.stdout).toContain(`::error::The run was cancelled (${signal})`)
      expect(result.stdout).not.toContain('::error title=Migration')

      // The next run, started right after, applies the rest.
      write({ '0002_data.sql': CHAIN['0002_data.sql'].replace('pg_sleep(30)', 'pg_sleep(0)') })
      const next = await start().result
      expect(next.exitCode).toBe(0)
      expect(next.outputs).toMatchObject({ 'applied-count': '2', 'current-version': '0003' })
      expect(await history()).toEqual([
        ['0001', false],
        ['0002', false],
        ['0003', false]
      ])
    },
    60_000
  )

  it('a file run statement by statement is stopped part-way, marked dirty, and the report says which statements took effect', async () => {
    write({
      '0001_first.sql': 'CREATE TABLE first (id int);',
      '0002_index.sql': 'CREATE TABLE made (id int);\nSELECT pg_sleep(30);\nCREATE INDEX CONCURRENTLY made_id ON made (id);'
    })
    const run = start()
    await waitFor('0002 to reach pg_sleep', () => backendRunning(url, 'pg_sleep(30)'))
    run.child.kill('SIGTERM')
    const result = await run.result
    expect(result.exitCode).toBe(1)

    expect(await history()).toEqual([
      ['0001', false],
      ['0002', true]
    ])
    expect(await tables()).toEqual(['first', 'made'])
    const done = await withClient(url, async (c) => (await c.query(`SELECT statements_done AS n FROM public.pg_migrate_history WHERE version = '0002'`)).rows[0].n)
    expect(done).toBe(1)
    expect(await actionSessions(url)).toEqual([])
    expect(await lockHolders(url)).toEqual([])
    expect(result.summary).toContain(
      '**The run was cancelled (SIGTERM) while migrations/0002_index.sql was running; the server stopped it (canceling statement due to user request).**'
    )
    expect(result.summary).toContain(
      '**Database state:** 1 revision, `0001`, committed in this run; now at `0001`. Migrations/0002_index.sql ran outside a transaction: statements 1–1 of 3 (up to line 1) took effect and stay applied. Statement 2 (line 2) was stopped; statements 3–3 did not run. Its history row is marked dirty'
    )
    expect(result.summary).toContain('mode: repair')
  }, 60_000)

  it('a run cancelled while it waits for the lock stops at once, applies nothing and says so', async () => {
    write(CHAIN)
    const holder = await connectClient(url, 'other-runner')
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [...LOCK_KEY])
      const run = start()
      await waitFor('the run to wait for the lock', () => (run.output().includes('Another migration run holds the lock') ? true : undefined))
      const signalled = Date.now()
      run.child.kill('SIGINT')
      const result = await run.result
      expect(Date.now() - signalled).toBeLessThan(3000)
      expect(result.exitCode).toBe(1)
      expect(result.summary).toContain('## 🛑 pg-migrate-action · migrate: cancelled during **lock**: nothing applied')
      expect(result.summary).toContain('**The run was cancelled (SIGINT): the run stopped before its next step.**')
      expect(result.summary).toContain('**Database state:** no migration was applied by this run: it was cancelled before it applied anything.')
      expect(await withClient(url, async (c) => (await c.query(`SELECT to_regclass('pg_migrate_history') AS t`)).rows[0].t)).toBeNull()
      expect(await actionSessions(url)).toEqual([])
    } finally {
      await holder.end()
    }
  }, 60_000)
})

describeWithDatabase('SQL engine: a killed run (kill -9) whose migration the server is still running', () => {
  it('the next run waits for the migration the killed run left running, then applies only what is still pending', async () => {
    write({ ...CHAIN, '0002_data.sql': CHAIN['0002_data.sql'].replace('pg_sleep(30)', 'pg_sleep(4)') })
    const killed = start()
    const orphan = await waitFor('0002 to reach pg_sleep', () => backendRunning(url, 'pg_sleep(4)'))
    killed.child.kill('SIGKILL')
    const gone = await killed.result
    expect(gone.signal).toBe('SIGKILL')
    // The lock went with the killed run's lock session; its migration session did not.
    await waitFor('the killed run’s lock to be released', async () => ((await lockHolders(url)).length === 0 ? true : undefined))
    expect((await actionSessions(url)).map((s) => [s.pid, s.app, s.state])).toEqual([[orphan.pid, 'pg-migrate-action migration', 'active']])

    const next = start()
    const result = await next.result
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(`A migration of an earlier run is still running on this database (pid ${orphan.pid} (pg-migrate-action migration, active for`)
    expect(result.stdout).toMatch(/The earlier run's migration session ended after \d+ ms; reading what it left\./)
    // The killed run's migration was one message, BEGIN … COMMIT: the server committed it after the run was gone.
    expect(await history()).toEqual([
      ['0001', false],
      ['0002', false],
      ['0003', false]
    ])
    expect(await withClient(url, async (c) => (await c.query('SELECT count(*)::int AS n FROM half_done')).rows[0].n)).toBe(1)
    expect(result.outputs).toMatchObject({ 'applied-count': '1', 'current-version': '0003' })
    expect(result.summary).toContain('## ✅ pg-migrate-action · migrate: applied 1 migration')
    expect(result.summary).toContain(`- Migration lock: waited `)
    expect(result.summary).toContain(`for a migration session an earlier run left running when it ended (pid ${orphan.pid} (pg-migrate-action migration, active for`)
    await noActionSessionsLeft(url)
  }, 60_000)
})
