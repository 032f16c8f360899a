import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { PYTHON, STACKS, removeProjects, useStack, writeProject, type RevisionSpec } from '../support/alembic-project.js'
import { describeEachNeeding } from '../support/capabilities.js'
import { createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'

/**
 * issue 16 #2: whether a failed Alembic revision left anything behind is read from the database (the
 * catalog before the revision started and after the failure, the version table), not from Alembic's
 * "Will assume non-transactional DDL". With transactional_ddl=False Alembic still runs each revision in
 * a transaction of its own and rolls it back; autocommit_block() and an AUTOCOMMIT connection commit
 * as they go. Real Alembic 1.8 and 1.13 through the pipeline; every claim is checked in the database.
 */

afterAll(() => dropTestDatabases())

const FIRST: RevisionSpec = { id: '0001', down: null, message: 'things', upgrade: ['op.execute("CREATE TABLE things (id int)")'] }
const HALF: RevisionSpec = {
  id: '0002',
  down: '0001',
  message: 'half',
  upgrade: ['op.execute("CREATE TABLE half_done (id int)")', 'op.execute("SELECT * FROM nope")']
}
const HALF_IN_AUTOCOMMIT: RevisionSpec = {
  ...HALF,
  upgrade: ['with op.get_context().autocommit_block():', '    op.execute("CREATE TABLE half_done (id int)")', 'op.execute("SELECT * FROM nope")']
}

interface Variant {
  name: string
  configure?: string
  /** env.py runs on an AUTOCOMMIT connection: every statement commits as it runs. */
  autocommitConnection?: boolean
  second: RevisionSpec
  /** What the database holds afterwards. */
  recorded: string[]
  halfDoneStays: boolean
}

const VARIANTS: Variant[] = [
  { name: 'the default env.py (one transaction)', second: HALF, recorded: [], halfDoneStays: false },
  { name: 'transactional_ddl=False', configure: 'transactional_ddl=False', second: HALF, recorded: ['0001'], halfDoneStays: false },
  {
    name: 'transactional_ddl=False, transaction_per_migration=False',
    configure: 'transactional_ddl=False, transaction_per_migration=False',
    second: HALF,
    recorded: ['0001'],
    halfDoneStays: false
  },
  {
    name: 'transactional_ddl=False, transaction_per_migration=True',
    configure: 'transactional_ddl=False, transaction_per_migration=True',
    second: HALF,
    recorded: ['0001'],
    halfDoneStays: false
  },
  { name: 'transaction_per_migration=True', configure: 'transaction_per_migration=True', second: HALF, recorded: ['0001'], halfDoneStays: false },
  // autocommit_block() commits the migration transaction first: 0001 with it, then what runs inside the block.
  { name: 'autocommit_block() in the failing revision', second: HALF_IN_AUTOCOMMIT, recorded: ['0001'], halfDoneStays: true },
  { name: 'an AUTOCOMMIT connection', autocommitConnection: true, second: HALF, recorded: ['0001'], halfDoneStays: true }
]

describeEachNeeding(['database'], STACKS, 'a failed Alembic revision: what stayed, read from the database ($name)', (stack) => {
  let restore: () => void
  beforeEach(() => {
    restore = useStack(stack)
  })
  afterEach(() => {
    restore()
    removeProjects()
  })

  /** Runs the chain through the pipeline; the version table and whether half_done exists, from the database. */
  async function run(variant: Variant) {
    const project = writeProject({ configure: variant.configure, revisions: [FIRST, variant.second] })
    if (variant.autocommitConnection) {
      const envPy = path.join(project, 'migrations', 'env.py')
      const text = readFileSync(envPy, 'utf8').replace(
        'with engine.connect() as connection:',
        'with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:'
      )
      writeFileSync(envPy, text)
    }
    const db = await createTestDatabase('pgma_alembic_partial')
    const inputs: Partial<Record<InputName, string>> = { 'database-url': db.url, 'migrations-path': project, python: PYTHON, extensions: '' }
    const outcome = await runPipeline((name) => inputs[name], { log: silentLogger(), env: process.env })
    expect(outcome.report.error).toEqual(expect.objectContaining({ stage: 'apply', code: 'migration-failed' }))
    const truth = await withClient(db.url, async (c) => ({
      recorded: (await c.query<{ v: string }>(`SELECT version_num AS v FROM alembic_version`).catch(() => ({ rows: [] }))).rows.map((r) => r.v),
      halfDone: (await c.query<{ t: string | null }>(`SELECT to_regclass('half_done')::text AS t`)).rows[0].t !== null
    }))
    expect(truth).toEqual({ recorded: variant.recorded, halfDone: variant.halfDoneStays })
    expect(outcome.report.apply!.current).toEqual(truth.recorded)
    const summary = renderReport(outcome.report)
    expect(summary).toContain(truth.recorded.length > 0 ? `now at \`${truth.recorded.join('`, `')}\`` : 'alembic_version still records no revision')
    return { failure: outcome.report.apply!.failure!, summary, truth }
  }

  it.each(VARIANTS.filter((v) => !v.halfDoneStays))(
    '$name: rolled back, and said so',
    async (variant) => {
      const { failure, summary, truth } = await run(variant)
      expect(failure.databaseState).toMatch(truth.recorded.length > 0 ? /^partly applied: 0002 was rolled back / : /^rolled back: nothing of this run was applied/)
      expect(failure.databaseState).toContain("the catalog shows none of 0002's schema changes")
      // A revision of which nothing stayed must not be stamped: alembic_version would record a table that does not exist.
      expect(failure.recovery.join('\n')).not.toContain('alembic stamp')
      expect(summary).not.toMatch(/stay committed|stayed committed|failed part-way/)
    },
    60_000
  )

  it.each(VARIANTS.filter((v) => v.halfDoneStays))(
    '$name: what stayed is listed, with both ways out',
    async (variant) => {
      const { failure, summary } = await run(variant)
      expect(failure.databaseState).toContain('0002 failed part-way: table public.half_done added stayed committed')
      expect(failure.recovery.join('\n')).toContain('`alembic stamp 0002`')
      expect(failure.recovery.join('\n')).toContain('undo what stayed of 0002 (table public.half_done added)')
      expect(summary).toContain('stayed committed')
    },
    60_000
  )
})
