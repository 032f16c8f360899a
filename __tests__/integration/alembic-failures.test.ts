import { afterAll, expect, it } from '@jest/globals'
import { createAlembicEngine } from '../../src/engines/alembic/index.js'
import { runAlembic } from '../../src/engines/alembic/run.js'
import type { ApplyResult } from '../../src/engines/engine.js'
import { alembicSettings, openContext, PYTHON, removeProjects, STACKS, useStack, writeProject, type ProjectOptions } from '../support/alembic-project.js'
import { applyPending, validate } from '../support/alembic-pipeline.js'
import { describeNeeding, itNeeding } from '../support/capabilities.js'
import { createTestDatabase, dropTestDatabases } from '../support/database.js'

/**
 * Failures whose cause is not where the traceback points: the toolchain (SQLAlchemy 1.4 running a
 * 2.0 chain, an Alembic that ignores an argument), a batch block, Alembic's transaction mode.
 * Real Alembic against real PostgreSQL.
 */
const [OLD_STACK] = STACKS

async function applyProject(options: ProjectOptions): Promise<ApplyResult> {
  const dir = writeProject(options)
  const db = await createTestDatabase('pgma_alembic_fail')
  const settings = alembicSettings(db.url, dir)
  const engine = createAlembicEngine(settings)
  const { ctx, close } = await openContext(settings)
  try {
    const { chain, state, pending } = await validate(engine, ctx)
    return await applyPending(engine, ctx, chain, state, pending)
  } finally {
    await close()
  }
}

const FIRST = { id: '0001', down: null, message: 'first', upgrade: ['op.execute("CREATE TABLE things (id int)")'] }

describeNeeding(['database', 'alembic'], 'Alembic failures, explained', () => {
  afterAll(async () => {
    removeProjects()
    await dropTestDatabases()
  })

  it('sa.UUID on SQLAlchemy 1.4: the versions next to the error and "needs SQLAlchemy ≥ 2.0" instead of "Fix revision.py"', async () => {
    const restore = useStack(OLD_STACK)
    try {
      const result = await applyProject({
        revisions: [FIRST, { id: '0002', down: '0001', message: 'uuid ids', upgrade: ['op.create_table("docs", sa.Column("id", sa.UUID(), primary_key=True))'] }]
      })
      const failure = result.failure!
      expect(failure.revision).toBe('0002')
      expect(failure.line).toBe(19)
      expect(failure.message).toMatch(/^AttributeError: module 'sqlalchemy' has no attribute 'UUID' \(Python 3\.\d+\.\d+, Alembic 1\.8\.\d+, SQLAlchemy 1\.4\.\d+\)$/)
      expect(failure.recovery[0]).toMatch(/^This chain needs SQLAlchemy ≥ 2\.0: `sqlalchemy\.UUID` exists only from SQLAlchemy 2\.0 on; this run has SQLAlchemy 1\.4\.\d+/)
      expect(failure.recovery.join(' ')).not.toMatch(/^Fix /m)
      expect(failure.recovery[0]).toContain("`pip install --upgrade 'sqlalchemy>=2.0'`")
      expect(result.runs.map((r) => [r.id, r.status])).toEqual([
        ['0001', 'rolled-back'],
        ['0002', 'failed']
      ])
    } finally {
      restore()
    }
  })

  itNeeding({ needs: ['alembic-1.13'] }, "op.drop_table(if_exists=True) on Alembic 1.13.2: Alembic's SAWarning surfaces and the advice is Alembic ≥ 1.13.3", async () => {
    const restore = useStack(STACKS[1])
    try {
      const result = await applyProject({ revisions: [FIRST, { id: '0002', down: '0001', message: 'drop if exists', upgrade: ['op.drop_table("gone_already", if_exists=True)'] }] })
      const failure = result.failure!
      expect(failure.statement).toBe('DROP TABLE gone_already')
      expect(failure.recovery[0]).toMatch(
        /^This chain needs Alembic ≥ 1\.13\.3: `op\.drop_table\(if_exists=…\)` is implemented from Alembic 1\.13\.3 on; Alembic 1\.13\.2 ignored it/
      )
      const failed = result.runs.find((r) => r.status === 'failed')!
      expect(failed.notes).toContain(
        `Alembic warned at line 19: SAWarning: Can't validate argument 'if_exists'; can't locate any SQLAlchemy dialect named 'if' (\`op.drop_table("gone_already", if_exists=True)\`)`
      )
      // A server error: the statement is there, no Python-level versions suffix on the message.
      expect(failure.message).not.toContain('(Python ')
    } finally {
      restore()
    }
  })

  it('a failing batch_op call is the line named, not the `with op.batch_alter_table` line above it', async () => {
    const restore = useStack(OLD_STACK)
    try {
      const batch = [
        'with op.batch_alter_table("things") as batch_op:', //   19
        '    batch_op.add_column(sa.Column("x", sa.Integer()))', //   20
        '    batch_op.drop_column("no_such_column")', //   21
        '    batch_op.add_column(sa.Column("y", sa.Integer()))' //   22
      ]
      const result = await applyProject({ revisions: [FIRST, { id: '0002', down: '0001', message: 'batch', upgrade: batch }] })
      expect(result.failure?.statement).toBe('ALTER TABLE things DROP COLUMN no_such_column')
      expect(result.failure?.line).toBe(21)
      expect(result.failure?.excerpt).toContain('> 21 |         batch_op.drop_column("no_such_column")')
      expect(result.failure?.recovery[0]).toMatch(/0002_batch\.py:21 \(the error above\)/)

      // Two calls of the same operation: the one whose names are in the failing statement.
      const twice = [
        'with op.batch_alter_table("things") as batch_op:',
        '    batch_op.add_column(sa.Column("x", sa.Integer()))',
        '    batch_op.add_column(sa.Column("id", sa.Integer()))'
      ]
      const again = await applyProject({ revisions: [FIRST, { id: '0002', down: '0001', message: 'batch', upgrade: twice }] })
      expect(again.failure?.statement).toBe('ALTER TABLE things ADD COLUMN id INTEGER')
      expect(again.failure?.line).toBe(21)
    } finally {
      restore()
    }
  })

  it("ends the last revision's time when Alembic's command returns, not after the interpreter's shutdown", async () => {
    const restore = useStack(OLD_STACK)
    try {
      const dir = writeProject({ revisions: [FIRST] })
      const db = await createTestDatabase('pgma_alembic_fail')
      const proc = await runAlembic({ python: PYTHON, args: ['upgrade', 'head'], cwd: dir, env: { ...process.env, DATABASE_URL: db.url.replace(/^postgres:/, 'postgresql:') } })
      expect(proc.exitCode).toBe(0)
      expect(proc.finishedAt).toEqual(expect.any(Number))
      expect(proc.finishedAt!).toBeGreaterThanOrEqual(proc.progress[0].at)
      expect(proc.finishedAt!).toBeLessThanOrEqual(proc.durationMs)
      expect(proc.log).not.toContain('PGMA-')
      expect(proc.stderr).not.toContain('PGMA-')
      expect(proc.versions?.alembic).toMatch(/^1\.8\./)
    } finally {
      restore()
    }
  })
})
