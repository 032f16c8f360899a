import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { PYTHON, removeProjects, STACKS, useStack, writeProject, type RevisionSpec } from '../support/alembic-project.js'
import { describeEachNeeding } from '../support/capabilities.js'
import { createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'
import {
  actionSessions,
  alive,
  backendRunning,
  leftIn,
  lockHolders,
  noActionSessionsLeft,
  RecordingPython,
  startAction,
  waitFor,
  type StartedRun
} from '../support/killable-run.js'

/**
 * The Alembic engine under `kill -9` and a runner's cancel (SIGINT, SIGTERM) of the bundle, run as
 * the runner runs it, during `alembic upgrade head`: the interpreter must end with the action, and the
 * next run must neither migrate beside what is left nor report it as its own.
 */
const SLEEP = "op.execute('SELECT pg_sleep(%s)' % __import__('os').environ.get('PGMA_TEST_SLEEP', '0'))"
const CHAIN: RevisionSpec[] = [
  { id: '0001', down: null, message: 'documents', upgrade: ["op.create_table('documents', sa.Column('id', sa.Integer, primary_key=True))"] },
  { id: '0002', down: '0001', message: 'chunks', upgrade: ["op.create_table('chunks', sa.Column('id', sa.Integer, primary_key=True))", SLEEP] },
  { id: '0003', down: '0002', message: 'index', upgrade: ["op.create_index('chunks_id_idx', 'chunks', ['id'])"] }
]
const PER_MIGRATION = 'transaction_per_migration=True'

/** What the database holds of the chain. */
async function applied(url: string): Promise<{ versions?: string[]; tables: string[] }> {
  return withClient(url, async (c) => {
    const exists = (await c.query<{ t: string | null }>("SELECT to_regclass('alembic_version')::text AS t")).rows[0].t !== null
    const versions = exists ? (await c.query<{ v: string }>('SELECT version_num AS v FROM alembic_version')).rows.map((r) => r.v) : undefined
    const tables = (await c.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE tablename IN ('documents', 'chunks') ORDER BY 1")).rows.map((r) => r.t)
    return { versions, tables }
  })
}

const pythons: RecordingPython[] = []
const started: StartedRun[] = []

afterEach(() => {
  for (const run of started.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL')
    rmSync(run.tmp, { recursive: true, force: true })
  }
  for (const python of pythons) for (const pid of python.pids()) if (alive(pid)) process.kill(pid, 'SIGKILL')
})

afterAll(() => {
  for (const python of pythons.splice(0)) python.remove()
})

function start(url: string, dir: string, python: RecordingPython, sleepSeconds: number): StartedRun {
  const run = startAction({
    // drift: off: its replay would start one more interpreter, and these tests count the interpreters.
    inputs: { 'database-url': url, 'migrations-path': '.', engine: 'alembic', extensions: '', python: python.path, 'wait-timeout': '60', drift: 'off' },
    cwd: dir,
    env: { PGMA_TEST_SLEEP: String(sleepSeconds) }
  })
  started.push(run)
  return run
}

function recordingPython(how: 'exec' | 'fork'): RecordingPython {
  const python = new RecordingPython(PYTHON, how)
  pythons.push(python)
  return python
}

async function interpretersEnded(python: RecordingPython): Promise<void> {
  await waitFor('the interpreters to end', () => (python.pids().every((pid) => !alive(pid)) ? true : undefined), 5000)
}

describeEachNeeding(['database'], STACKS, 'Alembic engine: the action killed (kill -9) during the upgrade, with $name', (stack) => {
  let restore: () => void
  beforeAll(() => {
    restore = useStack(stack)
  })
  afterAll(async () => {
    restore()
    removeProjects()
    await dropTestDatabases()
  })

  // exec: the interpreter is the action's child (PR_SET_PDEATHSIG); fork: a wrapper's child, which only the stdin watchdog ends.
  it.each(['exec', 'fork'] as const)(
    'the interpreter (started by %s) dies with it; the next run waits for the statement it left running, then applies what is not committed',
    async (how) => {
      const { url } = await createTestDatabase('pgma_killalembic')
      const dir = writeProject({ revisions: CHAIN, configure: PER_MIGRATION })
      const python = recordingPython(how)
      const killed = start(url, dir, python, 4)
      const orphan = await waitFor('0002 to reach pg_sleep', () => backendRunning(url, 'pg_sleep(4)'))
      expect(orphan.app).toBe('pg-migrate-action (alembic)')
      killed.child.kill('SIGKILL')
      expect((await killed.result).signal).toBe('SIGKILL')
      expect(python.pids()).toHaveLength(1)
      await interpretersEnded(python)
      // The statement it sent is still running: the server notices the dead client only when it answers it.
      expect((await backendRunning(url, 'pg_sleep(4)'))?.pid).toBe(orphan.pid)

      const next = await start(url, dir, python, 0).result
      expect(next.exitCode).toBe(0)
      expect(next.stdout).toContain(`A migration of an earlier run is still running on this database (pid ${orphan.pid} (pg-migrate-action (alembic), active for`)
      // 0001 was committed by the killed run (transaction_per_migration); 0002's transaction died with its session.
      expect(await applied(url)).toEqual({ versions: ['0003'], tables: ['chunks', 'documents'] })
      expect(next.outputs).toMatchObject({ 'applied-count': '2', 'current-version': '0003' })
      expect(next.summary).toContain('## ✅ pg-migrate-action · migrate: applied 2 migrations')
      expect(next.summary).toContain('**Database state:** 2 revisions, `0002` → `0003`, committed in this run; now at `0003`.')
      expect(python.pids()).toHaveLength(2)
      await interpretersEnded(python)
      await noActionSessionsLeft(url)
    },
    90_000
  )
})

describeEachNeeding(['database'], STACKS, 'Alembic engine: a cancelled run (the runner’s SIGINT or SIGTERM) during the upgrade, with $name', (stack) => {
  let restore: () => void
  beforeAll(() => {
    restore = useStack(stack)
  })
  afterAll(async () => {
    restore()
    removeProjects()
    await dropTestDatabases()
  })

  it.each([
    ['SIGINT', 'exec'],
    ['SIGTERM', 'fork']
  ] as const)(
    '%s (interpreter started by %s): the interpreter is stopped, its session ended, the lock released, and the report says cancelled and what the database holds',
    async (signal, how) => {
      const { url } = await createTestDatabase('pgma_cancelalembic')
      const dir = writeProject({ revisions: CHAIN, configure: PER_MIGRATION })
      const python = recordingPython(how)
      const run = start(url, dir, python, 30)
      await waitFor('0002 to reach pg_sleep', () => backendRunning(url, 'pg_sleep(30)'))
      const signalled = Date.now()
      run.child.kill(signal)
      const result = await run.result
      expect(Date.now() - signalled).toBeLessThan(5000)
      expect(result.exitCode).toBe(1)
      await interpretersEnded(python)

      expect(await applied(url)).toEqual({ versions: ['0001'], tables: ['documents'] })
      expect(await actionSessions(url)).toEqual([])
      expect(await lockHolders(url)).toEqual([])
      expect(leftIn(run.tmp)).toEqual([])
      expect(result.summary).toContain('## 🛑 pg-migrate-action · migrate: cancelled during **apply** at migration `0002` (1 of 3 applied)')
      expect(result.summary).toMatch(
        new RegExp(
          `\\*\\*The run was cancelled \\(${signal}\\) during alembic upgrade head, while 0002 was running: the Python interpreter was stopped and its database session \\(pid \\d+\\) ended\\.\\*\\*`
        )
      )
      expect(result.summary).toContain(
        '**Database state:** 1 revision, `0001`, committed in this run; now at `0001`. Stopped by the cancel: 0002 was rolled back with its open transaction; the version table alembic_version records 0001.'
      )
      expect(result.summary).toContain('**What to do:** Run the job again: Alembic continues from 0001.')
      expect(result.outputs).toMatchObject({ 'applied-count': '1', 'pending-count': '2', 'current-version': '0001' })

      const next = await start(url, dir, python, 0).result
      expect(next.exitCode).toBe(0)
      expect(next.stdout).not.toContain('A migration of an earlier run is still running')
      expect(await applied(url)).toEqual({ versions: ['0003'], tables: ['chunks', 'documents'] })
      expect(next.outputs).toMatchObject({ 'applied-count': '2', 'current-version': '0003' })
    },
    90_000
  )

  it('SIGTERM with the upgrade in one transaction (env.py’s default): nothing of the run is committed, and the report says so', async () => {
    const { url } = await createTestDatabase('pgma_cancelalembic')
    const dir = writeProject({ revisions: CHAIN })
    const python = recordingPython('exec')
    const run = start(url, dir, python, 30)
    await waitFor('0002 to reach pg_sleep', () => backendRunning(url, 'pg_sleep(30)'))
    run.child.kill('SIGTERM')
    const result = await run.result
    expect(result.exitCode).toBe(1)
    await interpretersEnded(python)
    expect(await applied(url)).toEqual({ versions: undefined, tables: [] })
    expect(result.summary).toContain('## 🛑 pg-migrate-action · migrate: cancelled during **apply** at migration `0002` (0 of 3 applied)')
    expect(result.summary).toContain(
      '**Database state:** Stopped by the cancel: 0002 was rolled back with its open transaction (0001 ran before it in that transaction and went with it); the version table alembic_version records no revision.'
    )
    expect(result.summary).toMatch(/\| `0001` \| documents \| ↩️ rolled back \|/)
    expect(result.outputs).toMatchObject({ 'applied-count': '0', 'pending-count': '3', 'current-version': '' })
    expect(await actionSessions(url)).toEqual([])
  }, 60_000)
})
