import { afterAll, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { runAlembic } from '../../src/engines/alembic/run.js'
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

  it('says "not linted" once, on the revision where offline SQL stopped, counting the revisions after it, with a command Alembic accepts', async () => {
    const { url } = await createTestDatabase('pgma_lintal')
    const dir = writeProject({
      revisions: [
        CREATE,
        {
          id: 'b2',
          down: 'a1',
          message: 'reads the database',
          upgrade: ["n = op.get_bind().execute(sa.text('SELECT count(*) FROM documents')).scalar()", "op.execute('SELECT %d' % n)"]
        },
        { id: 'c3', down: 'b2', message: 'after', upgrade: ["op.add_column('documents', sa.Column('c3', sa.Text))"] },
        { id: 'd4', down: 'c3', message: 'after that', upgrade: ["op.add_column('documents', sa.Column('d4', sa.Text))"] }
      ]
    })
    const result = await run(url, dir, { mode: 'plan' })
    expect(result.report.status).toBe('success')
    const notLinted = result.report.lint!.result.findings.filter((f) => f.rule === 'not-linted')
    // Offline generation stops at b2; a1's SQL, produced before, is planned and linted; c3 and d4 are counted, not repeated.
    const b2 = path.join(dir, 'migrations', 'versions', 'b2_reads_the_database.py')
    expect(notLinted).toEqual([
      expect.objectContaining({
        revision: 'b2',
        risk: 'high',
        line: lineOf(b2, 'op.get_bind()'),
        message: expect.stringMatching(
          /^not linted: Alembic's offline SQL generation stopped at this revision \(.*b2_reads_the_database\.py:\d+\): AttributeError: 'NoneType' object has no attribute 'scalar'; it reads the database .*; 2 later pending revisions are not linted either \(c3, d4\); `alembic upgrade b2:head --sql` writes the SQL of the revisions after it to review$/
        )
      })
    ])
    expect(result.report.plan!.map((p) => p.sql !== undefined)).toEqual([true, false, false, false])
    expect(result.report.lint!.result.findings.find((f) => f.revision === 'a1')?.rule).toBe('new-table')
    const summary = renderReport(result.report)
    expect(summary).toMatch(/^## ⚠️ pg-migrate-action · plan: 4 pending migrations, offline SQL stopped at `b2`/)
    expect(summary).toContain('> **Offline SQL stopped at `b2`**')

    // The suggested command is one Alembic accepts, and it writes the SQL of c3 and d4.
    const rerun = await runAlembic({
      python: PYTHON,
      args: ['upgrade', 'b2:head', '--sql'],
      cwd: dir,
      env: { ...process.env, DATABASE_URL: url.replace(/^postgres:/, 'postgresql:') }
    })
    expect(rerun.exitCode).toBe(0)
    expect(rerun.stdout).toContain('ALTER TABLE documents ADD COLUMN c3 TEXT')
    expect(rerun.stdout).toContain('ALTER TABLE documents ADD COLUMN d4 TEXT')
    expect(rerun.stdout).not.toContain('count(*)')
  })
})

describeNeeding(['database', 'alembic'], 'an autogenerated unnamed constraint', () => {
  it('op.create_foreign_key(None, …) with op.drop_constraint(None, …) in downgrade(): the finding says the downgrade will fail, and verify-downgrade shows it does', async () => {
    const { url } = await createTestDatabase('pgma_lintal')
    const chunks: RevisionSpec = {
      id: 'b2',
      down: 'a1',
      message: 'chunks',
      upgrade: ["op.create_table('chunks', sa.Column('id', sa.Integer, primary_key=True), sa.Column('document_id', sa.Integer))"],
      downgrade: ["op.drop_table('chunks')"]
    }
    const fk: RevisionSpec = {
      id: 'c3',
      down: 'b2',
      message: 'chunks fk',
      upgrade: ["op.create_foreign_key(None, 'chunks', 'documents', ['document_id'], ['id'])"],
      downgrade: ["op.drop_constraint(None, 'chunks', type_='foreignkey')"]
    }
    const dir = writeProject({ revisions: [{ ...CREATE, downgrade: ["op.drop_table('documents')"] }, chunks, fk] })
    const result = await run(url, dir, { 'fail-on-risk': 'none', 'verify-downgrade': 'pending' })
    const file = path.join(dir, 'migrations', 'versions', revisionFileName(fk))
    const [finding] = result.report.lint!.result.findings.filter((f) => f.rule === 'unnamed-constraint')
    expect(finding).toEqual(
      expect.objectContaining({
        revision: 'c3',
        risk: 'medium',
        line: lineOf(file, 'op.create_foreign_key'),
        message: expect.stringContaining(
          `leaves the name to PostgreSQL (chunks_document_id_fkey), and op.drop_constraint(None, 'chunks') in downgrade() (line ${lineOf(file, 'op.drop_constraint')}) cannot be emitted (SQLAlchemy: "it has no name"): the downgrade of this revision will fail`
        )
      })
    )
    // Applied as written: PostgreSQL named the constraint as the finding says; the downgrade then fails on it.
    await withClient(url, async (c) => {
      expect((await c.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'chunks'::regclass AND contype = 'f'`)).rows).toEqual([{ conname: 'chunks_document_id_fkey' }])
    })
    expect(result.report.status).toBe('failure')
    expect(JSON.stringify([result.report.verifyDowngrade, result.report.error])).toMatch(/it has no name/)
  })
})

describeNeeding(['database', 'alembic'], "Alembic's own order of a branched graph", () => {
  it('plans the revisions in the order Alembic runs them, so what comes after the stop is what Alembic never reached', async () => {
    const { url } = await createTestDatabase('pgma_lintal')
    const select = (id: string): string => `op.execute("SELECT '${id}'")`
    const dir = writeProject({
      revisions: [
        { id: 'a', down: null, upgrade: [select('a')] },
        { id: 'b1', down: 'a', upgrade: [select('b1')] },
        { id: 'b2', down: 'b1', upgrade: [select('b2')] },
        { id: 'c1', down: 'a', upgrade: [select('c1')] },
        { id: 'c2', down: 'c1', upgrade: ["n = op.get_bind().execute(sa.text('SELECT 1')).scalar()"] },
        { id: 'm', down: ['b2', 'c2'], upgrade: [select('m')] },
        { id: 'd', down: 'm', upgrade: [select('d')] }
      ]
    })
    const result = await run(url, dir, { mode: 'plan' })
    expect(result.report.status).toBe('success')
    // Alembic runs the c branch first: c2 stops it before b1 and b2.
    expect(result.report.plan!.map((p) => `${p.revision.id}${p.sql === undefined ? '' : ' sql'}`)).toEqual(['a sql', 'c1 sql', 'c2', 'b1', 'b2', 'm', 'd'])
    expect(result.report.lint!.result.findings.filter((f) => f.rule === 'not-linted')).toEqual([
      expect.objectContaining({
        revision: 'c2',
        message: expect.stringContaining('4 later pending revisions are not linted either (b1, b2, m, d); `alembic upgrade c2:head --sql`')
      })
    ])
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
      // In Alembic's order of the branched example: e91b0f3d5c77 runs before c47d19e5a8f2.
      'e91b0f3d5c77 index-on-new-table',
      'c47d19e5a8f2 index-on-new-table'
    ])
    const hnsw = findings.find((f) => f.revision === 'c47d19e5a8f2')!
    expect(readFileSync(hnsw.file, 'utf8').split('\n')[hnsw.line - 1]).toContain('op.execute("CREATE INDEX embeddings_embedding_hnsw')
  })
})
