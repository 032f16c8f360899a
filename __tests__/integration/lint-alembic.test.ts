import { afterAll, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { PYTHON, removeProjects, revisionFileName, revisionSource, writeProject, type RevisionSpec } from '../support/alembic-project.js'
import { describeNeeding, itNeeding } from '../support/capabilities.js'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases, withClient } from '../support/database.js'

/** The lint of Alembic chains (offline SQL mapped back to the revision file), and of the example chains. */

afterAll(async () => {
  removeProjects()
  await dropTestDatabases()
})

function run(url: string, migrationsPath: string, inputs: Partial<Record<InputName, string>> = {}) {
  const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': migrationsPath, extensions: 'vector', python: PYTHON, ...inputs }
  return runPipeline((name) => all[name], { log: silentLogger(), env: {} })
}

function lineOf(file: string, text: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  )
}

const CREATE: RevisionSpec = {
  id: 'a1',
  message: 'documents',
  upgrade: ["op.create_table('documents', sa.Column('id', sa.Integer, primary_key=True), sa.Column('title', sa.Text))"]
}

describeNeeding(['database', 'alembic'], 'risk lint of Alembic revisions', () => {
  it('flags op.drop_column at its line in the revision file, stops before anything is applied, and honours # pg-migrate:allow', async () => {
    const { url } = await createTestDatabase('pgma_lintal')
    const dir = writeProject({ revisions: [CREATE] })
    expect((await run(url, dir)).report.status).toBe('success')

    const spec: RevisionSpec = {
      id: 'b2',
      down: 'a1',
      message: 'summary instead of title',
      upgrade: ["op.add_column('documents', sa.Column('summary', sa.Text(), nullable=True))", "op.drop_column('documents', 'title')"]
    }
    const file = path.join(dir, 'migrations', 'versions', revisionFileName(spec))
    writeFileSync(file, revisionSource(spec))
    const blocked = await run(url, dir)
    expect(blocked.report.status).toBe('failure')
    const findings = blocked.report.lint!.result.findings
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ['new-nullable-column', lineOf(file, 'op.add_column')],
      ['drop-column', lineOf(file, 'op.drop_column')]
    ])
    expect(findings[1]).toEqual(expect.objectContaining({ file: path.relative(process.cwd(), file), revision: 'b2', message: 'drops column documents.title', risk: 'critical' }))
    expect(findings[1].table).toMatch(/^table documents: (empty|~0 rows)/)
    await withClient(url, async (c) => {
      expect((await c.query('SELECT version_num FROM alembic_version')).rows).toEqual([{ version_num: 'a1' }])
      expect(
        (await c.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'documents'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`)).rows.map((r) => r.attname)
      ).toEqual(['id', 'title'])
    })

    writeFileSync(file, revisionSource({ ...spec, upgrade: [spec.upgrade![0], '# pg-migrate:allow drop-column reason: title moved to summary in release 9', spec.upgrade![1]] }))
    const allowed = await run(url, dir)
    expect(allowed.report.status).toBe('success')
    expect(allowed.report.lint!.result.findings.find((f) => f.rule === 'drop-column')!.acknowledged).toEqual({
      reason: 'title moved to summary in release 9',
      line: lineOf(file, 'pg-migrate:allow')
    })
    await withClient(url, async (c) => expect((await c.query('SELECT version_num FROM alembic_version')).rows).toEqual([{ version_num: 'b2' }]))
  })

  it('says "not linted" for a revision whose offline SQL cannot be produced, and lints the revisions before it', async () => {
    const { url } = await createTestDatabase('pgma_lintal')
    const dir = writeProject({
      revisions: [
        CREATE,
        {
          id: 'b2',
          down: 'a1',
          message: 'reads the database',
          upgrade: ["n = op.get_bind().execute(sa.text('SELECT count(*) FROM documents')).scalar()", "op.execute('SELECT %d' % n)"]
        }
      ]
    })
    const result = await run(url, dir, { mode: 'plan' })
    expect(result.report.status).toBe('success')
    const notLinted = result.report.lint!.result.findings.filter((f) => f.rule === 'not-linted')
    // Offline generation stops at b2; a1's SQL, produced before, is planned and linted.
    expect(notLinted.map((f) => f.revision)).toEqual(['b2'])
    expect(notLinted[0]).toEqual(
      expect.objectContaining({ risk: 'high', message: expect.stringMatching(/^not linted: offline SQL generation stopped here \(.*b2_.*\.py:\d+\): AttributeError/) })
    )
    expect(result.report.plan!.map((p) => p.sql !== undefined)).toEqual([true, false])
    expect(result.report.lint!.result.findings.find((f) => f.revision === 'a1')?.rule).toBe('new-table')
    const summary = renderReport(result.report)
    expect(summary).toMatch(/^## ⚠️ pg-migrate-action · plan: 2 pending migrations, offline SQL stopped at `b2`/)
    expect(summary).toContain('> **Offline SQL stopped at `b2`**')
  })
})

describeWithAnyDatabase('the example chains', () => {
  it('SQL: lint with only low-risk findings (everything is created in the pending set)', async () => {
    const { url } = await createTestDatabase('pgma_lintex')
    const result = await run(url, 'migrations-example/sql', { mode: 'plan' })
    expect(result.report.status).toBe('success')
    expect(result.report.lint!.result.findings.map((f) => `${f.revision} ${f.rule} ${f.line}`)).toEqual([
      '0001 create-extension 4',
      '0001 new-table 6',
      '0002 new-table 3',
      '0002 index-on-new-table 14',
      '0003 index-on-new-table 5',
      '0004 index-on-new-table 6'
    ])
  })

  itNeeding({ needs: ['alembic'] }, 'Alembic: lint with only low-risk findings, on the lines of their op. calls', async () => {
    const { url } = await createTestDatabase('pgma_lintex')
    const result = await run(url, 'migrations-example/alembic', { mode: 'plan' })
    expect(result.report.status).toBe('success')
    const findings = result.report.lint!.result.findings
    expect(findings.every((f) => f.risk === 'low' && !f.lineNote)).toBe(true)
    expect(findings.map((f) => `${f.revision} ${f.rule}`)).toEqual([
      '3f1c9a7b2d10 create-extension',
      '3f1c9a7b2d10 new-table',
      '8a2e4c6d0b31 new-table',
      'c47d19e5a8f2 index-on-new-table',
      'e91b0f3d5c77 index-on-new-table'
    ])
    const hnsw = findings.find((f) => f.revision === 'c47d19e5a8f2')!
    expect(readFileSync(hnsw.file, 'utf8').split('\n')[hnsw.line - 1]).toContain('op.execute("CREATE INDEX embeddings_embedding_hnsw')
  })
})
