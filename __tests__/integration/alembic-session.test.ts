import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createAlembicEngine } from '../../src/engines/alembic/index.js'
import type { InputName } from '../../src/inputs.js'
import { LOCK_APPLICATION_NAME, LOCK_KEY, MigrationLock } from '../../src/lock.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { alembicSettings, openContext, PYTHON, removeProjects, STACKS, useStack, writeProject, type RevisionSpec } from '../support/alembic-project.js'
import { validate } from '../support/alembic-pipeline.js'
import { describeEachNeeding } from '../support/capabilities.js'
import { createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * In migrate mode one Python process plans (offline SQL for lint) and, told `go`, applies. Observed
 * for real: `python` is a wrapper script that records the pid of every interpreter it starts.
 */
const CHAIN: RevisionSpec[] = [
  { id: '0001', down: null, message: 'documents', upgrade: ["op.create_table('documents', sa.Column('id', sa.Integer, primary_key=True))"] },
  { id: '0002', down: '0001', message: 'chunks', upgrade: ["op.create_table('chunks', sa.Column('id', sa.Integer, primary_key=True))"] },
  { id: '0003', down: '0002', message: 'index', upgrade: ["op.create_index('chunks_id_idx', 'chunks', ['id'])"] }
]

let bin: string
let python: string
let starts: string

/** The pids of the interpreters the wrapper started since the last call. */
function started(): number[] {
  if (!existsSync(starts)) return []
  const pids = readFileSync(starts, 'utf8').trim().split('\n').filter(Boolean).map(Number)
  rmSync(starts)
  return pids
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** What the database holds of the chain: the version rows (undefined without a version table) and the tables. */
async function applied(url: string): Promise<{ versions?: string[]; tables: string[] }> {
  return withClient(url, async (c) => {
    const exists = (await c.query<{ t: string | null }>("SELECT to_regclass('alembic_version')::text AS t")).rows[0].t !== null
    const versions = exists ? (await c.query<{ v: string }>('SELECT version_num AS v FROM alembic_version')).rows.map((r) => r.v) : undefined
    const tables = (await c.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE tablename IN ('documents', 'chunks') ORDER BY 1")).rows.map((r) => r.t)
    return { versions, tables }
  })
}

beforeAll(() => {
  bin = mkdtempSync(path.join(os.tmpdir(), 'pgma-counting-python-'))
  starts = path.join(bin, 'starts')
  python = path.join(bin, 'python3')
  // exec keeps the pid: the one recorded is the interpreter's own.
  writeFileSync(python, `#!/bin/sh\necho $$ >> '${starts}'\nexec '${PYTHON}' "$@"\n`)
  chmodSync(python, 0o755)
})

afterAll(() => rmSync(bin, { recursive: true, force: true }))

describeEachNeeding(['database'], STACKS, 'One Alembic process per run with $name', (stack) => {
  let restore: () => void
  beforeAll(() => {
    restore = useStack(stack)
  })
  afterAll(async () => {
    restore()
    removeProjects()
    await dropTestDatabases()
  })

  const pipeline = (url: string, dir: string, inputs: Partial<Record<InputName, string>> = {}) => {
    const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': dir, extensions: '', python, ...inputs }
    return runPipeline((name) => all[name], { log: silentLogger(), env: process.env })
  }

  it('starts Python exactly once for a migrate run: offline SQL, lint, then the upgrade', async () => {
    const { url } = await createTestDatabase('pgma_alsess')
    const dir = writeProject({ revisions: CHAIN })
    started()
    const { report } = await pipeline(url, dir)
    expect(report.error).toBeUndefined()
    expect(report.apply?.runs.map((r) => [r.id, r.status])).toEqual([
      ['0001', 'applied'],
      ['0002', 'applied'],
      ['0003', 'applied']
    ])
    expect(report.apply?.runs.every((r) => r.durationMs !== undefined)).toBe(true)
    expect(started()).toHaveLength(1)
    expect(await applied(url)).toEqual({ versions: ['0003'], tables: ['chunks', 'documents'] })
  })

  it('applies nothing and lets the interpreter exit when the lint gate stops the run', async () => {
    const { url } = await createTestDatabase('pgma_alsess')
    const dir = writeProject({ revisions: CHAIN })
    started()
    const { report } = await pipeline(url, dir, { 'fail-on-risk': 'low' })
    expect(report.error?.code).toBe('lint-blocked')
    const pids = started()
    expect(pids).toHaveLength(1)
    expect(alive(pids[0])).toBe(false)
    expect(await applied(url)).toEqual({ versions: undefined, tables: [] })
  })

  it('stop: a released plan applies nothing, and its waiting interpreter exits', async () => {
    const { url } = await createTestDatabase('pgma_alsess')
    const settings = alembicSettings(url, writeProject({ revisions: CHAIN }), { python })
    const engine = createAlembicEngine(settings)
    const t = await openContext(settings)
    try {
      const { chain, state, pending } = await validate(engine, t.ctx)
      started()
      const plan = await engine.plan(t.ctx, chain, state, pending)
      expect(plan.revisions.map((r) => r.sql)).toEqual([
        expect.stringContaining('CREATE TABLE documents'),
        expect.stringContaining('CREATE TABLE chunks'),
        expect.stringContaining('CREATE INDEX')
      ])
      const [pid] = started()
      expect(alive(pid)).toBe(true)
      expect(await applied(url)).toEqual({ versions: undefined, tables: [] })
      await plan.release?.()
      expect(alive(pid)).toBe(false)
      expect(await applied(url)).toEqual({ versions: undefined, tables: [] })
      await expect(engine.apply(t.ctx, chain, state, plan)).rejects.toMatchObject({ code: 'alembic-session-lost' })
      expect(await applied(url)).toEqual({ versions: undefined, tables: [] })
    } finally {
      await t.close()
    }
  })

  it('stop: an interpreter that does not exit (env.py left a thread running) is killed, so the lock can be released', async () => {
    const { url } = await createTestDatabase('pgma_alsess')
    // env.py starts a non-daemon thread that outlives everything: Python waits for it at exit.
    const hang = "**(__import__('threading').Thread(target=__import__('time').sleep, args=(3600,)).start() or {})"
    const settings = alembicSettings(url, writeProject({ revisions: CHAIN, configure: hang }), { python })
    const engine = createAlembicEngine(settings)
    const t = await openContext(settings)
    try {
      const { chain, state, pending } = await validate(engine, t.ctx)
      started()
      const plan = await engine.plan(t.ctx, chain, state, pending)
      const [pid] = started()
      await plan.release?.()
      expect(alive(pid)).toBe(false)
      expect(await applied(url)).toEqual({ versions: undefined, tables: [] })
    } finally {
      await t.close()
    }
  }, 30_000)

  it('fails with a clear error and applies nothing when the interpreter dies before go', async () => {
    const { url } = await createTestDatabase('pgma_alsess')
    const settings = alembicSettings(url, writeProject({ revisions: CHAIN }), { python })
    const engine = createAlembicEngine(settings)
    const t = await openContext(settings)
    try {
      const { chain, state, pending } = await validate(engine, t.ctx)
      started()
      const plan = await engine.plan(t.ctx, chain, state, pending)
      const [pid] = started()
      process.kill(pid, 'SIGKILL')
      await expect(engine.apply(t.ctx, chain, state, plan)).rejects.toMatchObject({
        code: 'alembic-session-lost',
        message: `The Python process that prepared the Alembic upgrade (${python}) was killed (SIGKILL) before it began the upgrade; nothing was applied.`,
        location: { input: 'python' },
        hint: expect.stringMatching(/^Run the job again/)
      })
      expect(await applied(url)).toEqual({ versions: undefined, tables: [] })
    } finally {
      await t.close()
    }
  })

  it('takes a lost migration lock again right before the upgrade', async () => {
    const { url } = await createTestDatabase('pgma_alsess')
    const settings = alembicSettings(url, writeProject({ revisions: CHAIN }), { python })
    const engine = createAlembicEngine(settings)
    const lock = new MigrationLock(settings, silentLogger())
    await lock.acquire()
    const t = await openContext(settings)
    try {
      const ctx = { ...t.ctx, lock }
      const { chain, state, pending } = await validate(engine, ctx)
      const plan = await engine.plan(ctx, chain, state, pending)
      await terminateLockSession(url)
      const result = await engine.apply(ctx, chain, state, plan)
      expect(result.failure).toBeUndefined()
      expect(await applied(url)).toEqual({ versions: ['0003'], tables: ['chunks', 'documents'] })
      expect(await lockHolders(url)).toEqual([LOCK_APPLICATION_NAME])
    } finally {
      await lock.release()
      await t.close()
    }
  })

  // A server restart ends every session, the run's own connection too: the version table is read on the lock's new session.
  it.each([
    ['the lock session', LOCK_APPLICATION_NAME],
    ['every session', undefined]
  ])('runs nothing when another run migrated while the lock was lost (%s ended)', async (_, application) => {
    const { url } = await createTestDatabase('pgma_alsess')
    const settings = alembicSettings(url, writeProject({ revisions: CHAIN }), { python })
    const engine = createAlembicEngine(settings)
    const lock = new MigrationLock(settings, silentLogger())
    await lock.acquire()
    const t = await openContext(settings)
    try {
      const ctx = { ...t.ctx, lock }
      const { chain, state, pending } = await validate(engine, ctx)
      const plan = await engine.plan(ctx, chain, state, pending)
      await terminateSessions(url, application)
      // The other run, in the meantime: 0001 applied.
      await withClient(url, async (c) => {
        await c.query('CREATE TABLE documents (id int PRIMARY KEY)')
        await c.query("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('0001')")
      })
      const result = await engine.apply(ctx, chain, state, plan)
      expect(result.runs.map((r) => r.status)).toEqual(['not-run', 'not-run', 'not-run'])
      expect(result.current).toEqual(['0001'])
      expect(result.failure?.message).toBe(
        'The migration lock was lost and re-acquired before Alembic started, and meanwhile alembic_version moved from no revision to 0001: another run migrated this database.'
      )
      expect(await applied(url)).toEqual({ versions: ['0001'], tables: ['documents'] })
    } finally {
      await lock.release()
      await t.close()
    }
  })
})

async function terminateLockSession(url: string): Promise<void> {
  await terminateSessions(url, LOCK_APPLICATION_NAME)
}

/** Ends the sessions of one application on the test database, or all of them but this one. */
async function terminateSessions(url: string, application: string | undefined): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ($1::text IS NULL OR application_name = $1)',
      [application ?? null]
    )
  })
}

/** The application names of the sessions holding the migration lock on this database. */
async function lockHolders(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ name: string }>(
      `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a USING (pid)
        WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.granted AND a.datname = current_database()`,
      [LOCK_KEY[0], LOCK_KEY[1]]
    )
    return rows.map((r) => r.name)
  })
}
