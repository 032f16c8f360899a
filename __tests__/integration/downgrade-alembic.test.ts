import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { PYTHON, STACKS, removeProjects, useStack, writeProject, type RevisionSpec } from '../support/alembic-project.js'
import { describeEachNeeding } from '../support/capabilities.js'
import { createTestDatabase, dropTestDatabases, withClient } from '../support/database.js'

/** mode: downgrade with real Alembic chains (both stacks), through the pipeline, against the real server. */

afterAll(() => dropTestDatabases())

const create = (table: string): string => `op.create_table("${table}", sa.Column("id", sa.Integer, primary_key=True), sa.Column("body", sa.Text))`

const CHAIN: RevisionSpec[] = [
  { id: 'a1', down: null, message: 'documents', upgrade: [create('documents')], downgrade: ['op.drop_table("documents")'] },
  { id: 'b2', down: 'a1', message: 'chunks', upgrade: [create('chunks')], downgrade: ['op.drop_table("chunks")'] },
  {
    id: 'c3',
    down: 'b2',
    message: 'summary',
    upgrade: ['op.add_column("documents", sa.Column("summary", sa.Text))'],
    downgrade: ['op.drop_column("documents", "summary")']
  }
]

describeEachNeeding(['database'], STACKS, 'mode: downgrade, Alembic ($name)', (stack) => {
  let restore: () => void
  let url: string
  let project: string
  beforeEach(async () => {
    restore = useStack(stack)
    url = (await createTestDatabase('pgma_down_alembic')).url
  })
  afterEach(() => {
    restore()
    removeProjects()
  })

  function run(inputs: Partial<Record<InputName, string>> = {}) {
    const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': project, python: PYTHON, extensions: '', ...inputs }
    return runPipeline((name) => all[name], { log: silentLogger(), env: process.env })
  }
  const downgrade = (target: string, inputs: Partial<Record<InputName, string>> = {}) => run({ mode: 'downgrade', 'target-revision': target, 'fail-on-risk': 'none', ...inputs })

  async function held(): Promise<{ versions: string[]; tables: string[] }> {
    return withClient(url, async (c) => ({
      versions: (await c.query(`SELECT version_num FROM alembic_version`)).rows.map((r) => r.version_num),
      tables: (await c.query(`SELECT relname FROM pg_class WHERE relname IN ('documents', 'chunks') AND relkind = 'r' ORDER BY relname`)).rows.map((r) => r.relname)
    }))
  }

  it('runs alembic downgrade <target> under the lock and reports each revision reverted and the state reached', async () => {
    project = writeProject({ revisions: CHAIN })
    expect((await run()).report.error).toBeUndefined()
    const { report } = await downgrade('a1')
    expect(report.error).toBeUndefined()
    expect(report.stages.map((s) => s.name)).toEqual(['inputs', 'wait', 'extensions', 'load chain', 'lock', 'validate', 'lint', 'downgrade'])
    expect(report.downgrade!.runs.map((r) => [r.id, r.status, typeof r.durationMs])).toEqual([
      ['c3', 'reverted', 'number'],
      ['b2', 'reverted', 'number']
    ])
    expect(report.downgrade!.current).toEqual(['a1'])
    expect(await held()).toEqual({ versions: ['a1'], tables: ['documents'] })
    // The down SQL was linted from Alembic's offline downgrade, at the op. calls of downgrade().
    expect(report.lint!.result.findings.map((f) => [f.rule, f.revision, f.line])).toEqual([
      ['drop-column', 'c3', 23],
      ['drop-table', 'b2', 23]
    ])
    expect(report.chain!.notes.some((n) => stack.alembic.test(n))).toBe(true)
    expect(renderReport(report)).toContain('**Database state:** 2 migrations reverted in this run (`c3`, `b2`); now at `a1`.')
  })

  it('returns to base', async () => {
    project = writeProject({ revisions: CHAIN })
    await run()
    const { report } = await downgrade('base')
    expect(report.error).toBeUndefined()
    expect(report.downgrade!.runs.map((r) => `${r.id} ${r.status}`)).toEqual(['c3 reverted', 'b2 reverted', 'a1 reverted'])
    expect(report.downgrade!.current).toEqual([])
    expect(await held()).toEqual({ versions: [], tables: [] })
  })

  it('refuses before anything is reverted when a revision on the way has a downgrade() that does nothing or raises', async () => {
    project = writeProject({
      revisions: [CHAIN[0], { ...CHAIN[1], downgrade: ['pass'] }, { ...CHAIN[2], downgrade: ['raise NotImplementedError("one way")'] }]
    })
    await run()
    const { report } = await downgrade('base')
    expect(report.error).toEqual(expect.objectContaining({ stage: 'lint', code: 'downgrade-irreversible', location: expect.objectContaining({ revision: 'c3' }) }))
    expect(report.error!.message).toMatch(/^Cannot downgrade to base: the downgrade\(\) of \S+c3_summary\.py, \S+b2_chunks\.py do nothing or raises/)
    expect(await held()).toEqual({ versions: ['c3'], tables: ['chunks', 'documents'] })
  })

  it('refuses a target that is not an applied revision', async () => {
    project = writeProject({ revisions: CHAIN })
    await run()
    await downgrade('b2')
    for (const target of ['c3', 'zz', 'b']) {
      const { report } = await downgrade(target)
      expect([target, report.error?.code]).toEqual([target, 'downgrade-target-invalid'])
    }
    expect((await held()).versions).toEqual(['b2'])
  })

  it('blocks a downgrade() that drops a table holding rows until it is acknowledged', async () => {
    project = writeProject({ revisions: CHAIN })
    await run()
    await withClient(url, (c) => c.query(`INSERT INTO chunks VALUES (1, 'kept')`))
    const blocked = await downgrade('a1', { 'fail-on-risk': 'critical' })
    expect(blocked.report.error).toEqual(expect.objectContaining({ stage: 'lint', code: 'lint-blocked' }))
    expect(blocked.report.lint!.result.findings.find((f) => f.rule === 'drop-table')).toEqual(
      expect.objectContaining({ revision: 'b2', risk: 'critical', table: expect.stringContaining('chunks') })
    )
    expect((await held()).versions).toEqual(['c3'])

    project = writeProject({
      revisions: [
        CHAIN[0],
        { ...CHAIN[1], downgrade: ['# pg-migrate:allow drop-table reason: chunks are rebuilt from documents', 'op.drop_table("chunks")'] },
        { ...CHAIN[2], downgrade: ['# pg-migrate:allow drop-column reason: summary is recomputed', 'op.drop_column("documents", "summary")'] }
      ]
    })
    const acknowledged = await downgrade('a1', { 'fail-on-risk': 'critical' })
    expect(acknowledged.report.error).toBeUndefined()
    expect(await held()).toEqual({ versions: ['a1'], tables: ['documents'] })
  })

  it('reports a failing downgrade() at its line; Alembic rolled the whole downgrade back, and the state is read from the database', async () => {
    project = writeProject({
      revisions: [CHAIN[0], { ...CHAIN[1], downgrade: ['op.drop_table("chunks")', 'op.drop_table("no_such_table")'] }, CHAIN[2]]
    })
    await run()
    const { report } = await downgrade('base')
    expect(report.error).toEqual(expect.objectContaining({ stage: 'downgrade', code: 'revert-failed', location: expect.objectContaining({ revision: 'b2', line: 24 }) }))
    expect(report.error!.message).toMatch(/^Reverting b2 failed: .*no_such_table/)
    expect(report.downgrade!.runs.map((r) => [r.id, r.status])).toEqual([
      ['c3', 'not-run'],
      ['b2', 'failed'],
      ['a1', 'not-run']
    ])
    expect(report.downgrade!.runs[0].notes).toContain('ran, but was rolled back with b2 (Alembic runs the downgrade in one transaction)')
    expect(report.downgrade!.current).toEqual(['c3'])
    expect(await held()).toEqual({ versions: ['c3'], tables: ['chunks', 'documents'] })
    expect(renderReport(report)).toContain('**Database state:** nothing reverted in this run; now at `c3`. Rolled back: nothing was reverted; alembic_version still records c3.')
  })
})
