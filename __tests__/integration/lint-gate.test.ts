import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'

/** The fail-on-risk gate through the pipeline, against a real database: blocked means nothing applied. */

let dir: MigrationDir
let url: string

beforeEach(async () => {
  dir = new MigrationDir()
  url = (await createTestDatabase('pgma_lint')).url
})
afterEach(() => dir.cleanup())
afterAll(() => dropTestDatabases())

function run(inputs: Partial<Record<InputName, string>> = {}) {
  const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': dir.dir, extensions: '', ...inputs }
  return runPipeline((name) => all[name], { log: silentLogger(), env: {} })
}

async function appliedVersions(): Promise<string[]> {
  return withClient(url, async (c) => (await c.query(`SELECT version FROM pg_migrate_history ORDER BY version`)).rows.map((r) => r.version))
}

async function columnsOf(table: string): Promise<string[]> {
  return withClient(url, async (c) =>
    (await c.query(`SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, [table])).rows.map((r) => r.attname)
  )
}

describeWithAnyDatabase('the risk lint gate', () => {
  it('stops a pending DROP TABLE before anything of the pending set is applied; an acknowledgement lets it through', async () => {
    dir.write({ '0001_documents.sql': 'CREATE TABLE documents (id bigint PRIMARY KEY, title text);\n' })
    expect((await run()).report.status).toBe('success')
    await withClient(url, (c) => c.query(`INSERT INTO documents SELECT g, 'doc ' || g FROM generate_series(1, 500) g; ANALYZE documents`))

    dir.write({
      '0002_add_summary.sql': 'ALTER TABLE documents ADD COLUMN summary text;\n',
      '0003_drop_documents.sql': '-- replaced by the articles table\nDROP TABLE documents;\n'
    })
    const blocked = await run()
    expect(blocked.report.status).toBe('failure')
    expect(blocked.report.error).toEqual(expect.objectContaining({ stage: 'lint', code: 'lint-blocked' }))
    expect(blocked.report.error!.location).toEqual({ file: expect.stringMatching(/migrations\/0003_drop_documents\.sql$/), line: 2, revision: '0003' })
    expect(blocked.report.apply).toBeUndefined()
    // Nothing of the pending set ran: not even 0002, which is harmless on its own.
    expect(await appliedVersions()).toEqual(['0001'])
    expect(await columnsOf('documents')).toEqual(['id', 'title'])

    const summary = renderReport(blocked.report)
    expect(summary).toContain('failed at **lint**')
    expect(summary).toMatch(/drop-table`\]\(docs\/rules\/drop-table\.md\)/)
    expect(summary).toMatch(/0003_drop_documents\.sql:2/)
    expect(summary).toMatch(/table documents: ~500 rows, \d+(\.\d)? kB/)
    expect(summary).toContain('pg-migrate:allow')
    expect(summary).toContain('Stop reading and writing the table in a release first')

    dir.write({
      '0003_drop_documents.sql': '-- replaced by the articles table\n-- pg-migrate:allow drop-table reason: articles replaced it in release 12\nDROP TABLE documents;\n'
    })
    const allowed = await run()
    expect(allowed.report.status).toBe('success')
    expect(await appliedVersions()).toEqual(['0001', '0002', '0003'])
    expect(allowed.report.lint!.result.findings.find((f) => f.rule === 'drop-table')!.acknowledged!.reason).toBe('articles replaced it in release 12')
    expect(renderReport(allowed.report)).toMatch(/^## ⚠️ pg-migrate-action · migrate: applied 2 migrations, 1 lint finding to review\n/)
  })

  it('applies the same gate in plan and validate modes, and fail-on-risk lowers or lifts it', async () => {
    dir.write({ '0001_t.sql': 'CREATE TABLE t (a int);\n' })
    await run()
    dir.write({ '0002_rename.sql': 'ALTER TABLE t RENAME COLUMN a TO b;\n' })

    for (const mode of ['plan', 'validate']) {
      expect((await run({ mode })).report.status).toBe('success')
      const strict = await run({ mode, 'fail-on-risk': 'high' })
      expect(strict.report.status).toBe('failure')
      expect(strict.report.lint!.gate.blocked.map((f) => f.rule)).toEqual(['rename-column'])
    }
    const plan = await run({ mode: 'plan' })
    expect(plan.report.plan!.map((p) => p.sql)).toEqual(['ALTER TABLE t RENAME COLUMN a TO b;\n'])
    expect(plan.report.lint!.result.maxRisk).toBe('high')

    expect((await run({ 'fail-on-risk': 'high' })).report.status).toBe('failure')
    expect(await columnsOf('t')).toEqual(['a'])
    expect((await run({ 'fail-on-risk': 'none' })).report.status).toBe('success')
    expect(await columnsOf('t')).toEqual(['b'])
  })
})
