import { afterAll, beforeAll, expect, it } from '@jest/globals'
import path from 'node:path'
import { createAlembicEngine } from '../../src/engines/alembic/index.js'
import { alembicSettings, openContext, removeProjects, STACKS, useStack, writeProject, type RevisionSpec } from '../support/alembic-project.js'
import { applyPending, planSql, validate } from '../support/alembic-pipeline.js'
import { describeEachNeeding } from '../support/capabilities.js'
import { createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * The key paths with real Alembic against real PostgreSQL + pgvector, once per Alembic stack:
 * Debian's 1.8 / SQLAlchemy 1.4, and 1.13 / SQLAlchemy 2.0 (what most teams run) when
 * TEST_ALEMBIC_NEW_PYTHONPATH is set.
 */
const EXAMPLE = 'migrations-example/alembic'
const EXAMPLE_ORDER = ['3f1c9a7b2d10', '8a2e4c6d0b31', 'c47d19e5a8f2', 'e91b0f3d5c77', '5d08a6e2f4b9', '0b6f2a9c3e84']
/** The order Alembic runs the branched example in (its `--sql` output), which plan and apply follow. */
const ALEMBIC_ORDER = ['3f1c9a7b2d10', '8a2e4c6d0b31', 'e91b0f3d5c77', 'c47d19e5a8f2', '5d08a6e2f4b9', '0b6f2a9c3e84']

// 0001 ─ 0002 ─ 0003 (fails: embeddings does not exist) ─ 0004
const FAILING: RevisionSpec[] = [
  {
    id: '0001',
    down: null,
    message: 'create documents',
    upgrade: ['op.execute("CREATE EXTENSION IF NOT EXISTS vector")', 'op.execute("CREATE TABLE documents (id bigint PRIMARY KEY, body text NOT NULL)")']
  },
  { id: '0002', down: '0001', message: 'add embedding column', upgrade: ['op.execute("ALTER TABLE documents ADD COLUMN embedding vector(3)")'] },
  {
    id: '0003',
    down: '0002',
    message: 'index embeddings',
    upgrade: ['op.execute("CREATE TABLE chunks (id bigint PRIMARY KEY)")', 'op.execute("CREATE INDEX embeddings_hnsw ON embeddings USING hnsw (embedding vector_l2_ops)")']
  },
  { id: '0004', down: '0003', message: 'after the failure', upgrade: ['op.execute("CREATE TABLE never (id int)")'] }
]

async function versionRows(url: string, table = 'alembic_version'): Promise<string[] | undefined> {
  return withClient(url, async (c) => {
    const exists = await c.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])
    if (!exists.rows[0].t) return undefined
    return (await c.query<{ version_num: string }>(`SELECT version_num FROM ${table} ORDER BY 1`)).rows.map((r) => r.version_num)
  })
}

async function tableExists(url: string, table: string): Promise<boolean> {
  return withClient(url, async (c) => (await c.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0].t !== null)
}

describeEachNeeding(['database'], STACKS, 'Alembic engine with $name', (stack) => {
  let restore: () => void
  beforeAll(() => {
    restore = useStack(stack)
  })
  afterAll(async () => {
    restore()
    removeProjects()
    await dropTestDatabases()
  })

  it('plans per-revision SQL offline without touching the database, then applies the example chain with its merge and times each revision', async () => {
    const db = await createTestDatabase('pgma_alembic')
    const settings = alembicSettings(db.url, EXAMPLE)
    const engine = createAlembicEngine(settings)
    const { ctx, close } = await openContext(settings)
    try {
      const { chain, problems, state, pending } = await validate(engine, ctx)
      expect(problems).toEqual([])
      expect(state).toEqual({ current: [], applied: [], versionTableExists: false, problems: [] })
      expect(pending.map((r) => r.id)).toEqual(EXAMPLE_ORDER)
      expect(chain.revisions.find((r) => r.id === '5d08a6e2f4b9')?.parents).toEqual(['c47d19e5a8f2', 'e91b0f3d5c77'])
      expect(chain.revisions.find((r) => r.id === 'c47d19e5a8f2')).toMatchObject({
        description: 'hnsw index on embeddings',
        file: path.join(EXAMPLE, 'migrations/versions/c47d19e5a8f2_hnsw_index_on_embeddings.py'),
        line: 13
      })

      const plan = await planSql(engine, ctx, chain, state, pending)
      const planned = plan.revisions
      expect(plan.notes.find((n) => n.startsWith('Alembic '))).toMatch(stack.alembic)
      expect(planned.map((p) => p.revision.id)).toEqual(ALEMBIC_ORDER)
      const bySql = new Map(planned.map((p) => [p.revision.id, p.sql ?? '']))
      expect(bySql.get('8a2e4c6d0b31')).toContain('ALTER TABLE embeddings ADD COLUMN embedding vector(3) NOT NULL;')
      expect(bySql.get('8a2e4c6d0b31')).not.toContain('CREATE TABLE documents')
      expect(bySql.get('c47d19e5a8f2')).toMatch(/^CREATE INDEX embeddings_embedding_hnsw ON embeddings USING hnsw \(embedding vector_cosine_ops\);/)
      expect(planned[0].notes.join(' ')).toContain('CREATE TABLE alembic_version')
      expect(planned.every((p) => p.transactional)).toBe(true)
      expect(await tableExists(db.url, 'alembic_version')).toBe(false)
      expect(await tableExists(db.url, 'documents')).toBe(false)

      const result = await applyPending(engine, ctx, chain, state, pending)
      expect(result.failure).toBeUndefined()
      // Plan and apply each report the versions in their own result (the report names them once).
      expect(result.notes?.filter((n) => n.startsWith('Alembic '))).toHaveLength(1)
      expect(result.current).toEqual(['0b6f2a9c3e84'])
      expect(result.runs.map((r) => [r.id, r.status])).toEqual(ALEMBIC_ORDER.map((id) => [id, 'applied']))
      for (const run of result.runs) {
        expect(run.durationMs).toEqual(expect.any(Number))
        expect(run.attempts).toBe(1)
      }
      expect(await versionRows(db.url)).toEqual(['0b6f2a9c3e84'])
      const column = await withClient(db.url, (c) =>
        c.query(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'embeddings'::regclass AND attname = 'embedding'`)
      )
      expect(column.rows[0].t).toBe('vector(3)')

      const again = await validate(engine, ctx)
      expect(again.state.current).toEqual(['0b6f2a9c3e84'])
      expect(again.state.applied.map((a) => a.id).sort()).toEqual([...EXAMPLE_ORDER].sort())
      expect(again.pending).toEqual([])
      expect(await applyPending(engine, ctx, again.chain, again.state, again.pending)).toEqual({ runs: [], current: ['0b6f2a9c3e84'] })
    } finally {
      await close()
    }
  })

  it('plans only what is left from a database part-way through the chain', async () => {
    const db = await createTestDatabase('pgma_alembic')
    const settings = alembicSettings(db.url, EXAMPLE)
    const engine = createAlembicEngine(settings)
    const { ctx, close } = await openContext(settings)
    try {
      await withClient(db.url, (c) => c.query(`CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('8a2e4c6d0b31')`))
      const { chain, state, pending, problems } = await validate(engine, ctx)
      expect(problems).toEqual([])
      expect(state.applied.map((a) => a.id)).toEqual(['3f1c9a7b2d10', '8a2e4c6d0b31'])
      expect(pending.map((r) => r.id)).toEqual(EXAMPLE_ORDER.slice(2))
      const planned = (await planSql(engine, ctx, chain, state, pending)).revisions
      expect(planned.map((p) => p.revision.id)).toEqual(ALEMBIC_ORDER.slice(2))
      expect(planned.every((p) => p.sql !== undefined && p.sql.length > 0)).toBe(true)
      expect(planned.map((p) => p.sql).join('\n')).not.toContain('CREATE TABLE embeddings')
      expect(planned[0].notes).toEqual([])
      expect(await versionRows(db.url)).toEqual(['8a2e4c6d0b31'])
    } finally {
      await close()
    }
  })

  it('names the revision that failed mid-chain with the real exception and statement, and reports that the whole upgrade rolled back', async () => {
    const dir = writeProject({ revisions: FAILING })
    const db = await createTestDatabase('pgma_alembic')
    const settings = alembicSettings(db.url, dir)
    const engine = createAlembicEngine(settings)
    const { ctx, close } = await openContext(settings)
    try {
      const { chain, state, pending, problems } = await validate(engine, ctx)
      expect(problems).toEqual([])
      const result = await applyPending(engine, ctx, chain, state, pending)
      expect(result.runs.map((r) => [r.id, r.status])).toEqual([
        ['0001', 'rolled-back'],
        ['0002', 'rolled-back'],
        ['0003', 'failed'],
        ['0004', 'not-run']
      ])
      expect(result.runs[0].notes.join(' ')).toMatch(/rolled back with 0003/)
      expect(result.runs[2].durationMs).toEqual(expect.any(Number))
      const failure = result.failure!
      expect(failure.revision).toBe('0003')
      expect(failure.file).toBe(path.relative(process.cwd(), path.join(dir, 'migrations/versions/0003_index_embeddings.py')))
      // The op.execute that failed, not the revision declaration.
      expect(failure.line).toBe(20)
      expect(failure.excerpt).toContain('> 20 |     op.execute("CREATE INDEX embeddings_hnsw')
      expect(failure.message).toBe('sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "embeddings" does not exist')
      expect(failure.statement).toBe('CREATE INDEX embeddings_hnsw ON embeddings USING hnsw (embedding vector_l2_ops)')
      expect(failure.databaseState).toMatch(/^rolled back: nothing of this run was applied/)
      expect(failure.databaseState).toContain('0001, 0002 ran but rolled back with 0003')
      expect(failure.log).toContain('Traceback (most recent call last)')
      expect(failure.log).toContain('Running upgrade 0002 -> 0003, index embeddings')
      expect(failure.recovery[0]).toContain('0003_index_embeddings.py:20 (the error above) and re-run; Alembic starts again from the first revision')
      expect(failure.databaseState).toContain("the catalog shows none of 0003's schema changes")
      // Nothing was committed, so there is nothing to downgrade; nothing of 0003 stayed, so nothing to stamp.
      expect(failure.recovery.join('\n')).not.toContain('alembic downgrade')
      expect(failure.recovery.join('\n')).not.toContain('alembic stamp')
      expect(result.current).toEqual([])
      // What the report says is what the database holds.
      expect(await versionRows(db.url)).toBeUndefined()
      expect(await tableExists(db.url, 'documents')).toBe(false)
    } finally {
      await close()
    }
  })

  it('with transaction_per_migration keeps the revisions before the failure applied and says so', async () => {
    const dir = writeProject({ revisions: FAILING, configure: 'transaction_per_migration=True' })
    const db = await createTestDatabase('pgma_alembic')
    const settings = alembicSettings(db.url, dir)
    const engine = createAlembicEngine(settings)
    const { ctx, close } = await openContext(settings)
    try {
      const { chain, state, pending } = await validate(engine, ctx)
      const result = await applyPending(engine, ctx, chain, state, pending)
      expect(result.runs.map((r) => r.status)).toEqual(['applied', 'applied', 'failed', 'not-run'])
      expect(result.current).toEqual(['0002'])
      expect(result.failure?.databaseState).toMatch(/^partly applied: 0003 was rolled back \(before this run, alembic_version recorded no revision\)/)
      expect(result.failure?.databaseState).toContain("the catalog shows none of 0003's schema changes")
      expect(result.failure?.recovery.slice(-2)).toEqual([
        'Revisions applied before the failure stay applied (alembic_version records them); the next run starts after them.',
        'To undo what this run committed (0001, 0002) once the failure is understood: `alembic downgrade base`.'
      ])
      expect(await versionRows(db.url)).toEqual(['0002'])
      expect(await tableExists(db.url, 'chunks')).toBe(false)

      // The next run starts after what stayed applied.
      const next = await validate(engine, ctx)
      expect(next.pending.map((r) => r.id)).toEqual(['0003', '0004'])
    } finally {
      await close()
    }
  })
})
