import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { clearSecretsForTests, registerUrlSecrets } from '../../src/redact.js'
import { renderReport } from '../../src/report/render.js'
import { createTestDatabase, describeWithDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'

/** Post-migration checks through the pipeline, against the real server. */

let url: string
let dir: MigrationDir
beforeEach(async () => {
  url = (await createTestDatabase('pgma_checks')).url
  dir = new MigrationDir()
  dir.write({
    '0001_documents.sql':
      'CREATE TABLE documents (id int PRIMARY KEY, title text, embedding vector(3));\n' + "INSERT INTO documents VALUES (1, 'a', '[1,2,3]'), (2, 'b', NULL), (3, 'c', NULL);\n"
  })
})
afterEach(() => dir.cleanup())
afterAll(() => dropTestDatabases())

/** Writes the check files under the run's workspace (the migrations' temp directory) and returns the path of the first. */
function checks(files: Record<string, string>): string {
  const base = path.join(dir.cwd, 'checks')
  mkdirSync(base, { recursive: true })
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(base, name)), { recursive: true })
    writeFileSync(path.join(base, name), text)
  }
  return base
}

function run(inputs: Partial<Record<InputName, string>> = {}, env: NodeJS.ProcessEnv = { GITHUB_WORKSPACE: dir.cwd }) {
  const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': dir.dir, extensions: 'vector', ...inputs }
  return runPipeline((name) => all[name], { log: silentLogger(), env })
}

const count = (sql: string): Promise<number> => withClient(url, async (c) => Number((await c.query(sql)).rows[0].n))

describeWithDatabase('post-migration checks', () => {
  it('fails the step on a check that returns rows, shows the rows and lists every check with its verdict', async () => {
    const file = checks({
      'documents.sql':
        '-- Post-deploy checks of the documents table.\n\n' +
        '-- every document has a title\nSELECT id FROM documents WHERE title IS NULL;\n\n' +
        '-- every document has an embedding\nSELECT id, title, embedding\n  FROM documents\n WHERE embedding IS NULL\n ORDER BY id;\n'
    })
    const outcome = await run({ checks: file })
    const { report } = outcome
    expect(report.status).toBe('failure')
    // The migration is applied: the checks run after it, on what it left.
    expect(report.apply?.runs.map((r) => `${r.id} ${r.status}`)).toEqual(['0001 applied'])
    expect(await count(`SELECT count(*) AS n FROM pg_migrate_history`)).toBe(1)
    expect(report.error).toEqual(
      expect.objectContaining({
        stage: 'checks',
        code: 'check-failed',
        message: expect.stringMatching(/^Check "every document has an embedding" \(\S*checks\/documents\.sql:7\) returned 2 rows; a check passes when it returns none\.$/),
        location: expect.objectContaining({ file: expect.stringMatching(/checks\/documents\.sql$/), line: 7 })
      })
    )
    expect(report.checks!.results.map((r) => [r.check.name, r.check.line, r.status])).toEqual([
      ['every document has a title', 4, 'passed'],
      ['every document has an embedding', 7, 'failed']
    ])
    expect(report.checks!.results[1].rows).toEqual({
      columns: ['id', 'title', 'embedding'],
      rows: [
        ['2', 'b', null],
        ['3', 'c', null]
      ],
      more: false
    })
    const summary = renderReport(report)
    expect(summary).toContain('failed at **checks**: 1 of 2 checks failed, 1 migration applied')
    expect(summary).toContain('### Checks\n\n1 of 2 checks passed')
    expect(summary).toMatch(/\| ✅ \| every document has a title \| `\S*checks\/documents\.sql:4` \| no rows \|/)
    expect(summary).toMatch(/\| ❌ \| every document has an embedding \| `\S*checks\/documents\.sql:7` \| 2 rows \|/)
    expect(summary).toContain('| id | title | embedding |\n| --- | --- | --- |\n| `2` | `b` | *NULL* |\n| `3` | `c` | *NULL* |')
    expect(summary).toContain('**Database state:** 1 revision, `0001`, committed in this run; now at `0001`.')
  })

  it('runs after apply when nothing was pending, and in validate and check modes', async () => {
    const file = checks({ 'ok.sql': '-- no duplicate titles\nSELECT title FROM documents GROUP BY title HAVING count(*) > 1;\n' })
    expect((await run()).report.status).toBe('success')
    for (const mode of ['migrate', 'validate', 'check']) {
      const { report } = await run({ checks: file, mode })
      expect([mode, report.error]).toEqual([mode, undefined])
      expect([mode, report.checks?.results.map((r) => r.status)]).toEqual([mode, ['passed']])
      expect([mode, report.stages.at(-1)]).toEqual([mode, expect.objectContaining({ name: 'checks', status: 'ok', summary: '1 of 1 check passed' })])
      expect(renderReport(report)).toContain(
        `${mode}: ${mode === 'migrate' ? 'database already up to date' : mode === 'validate' ? 'chain valid, 0 pending' : 'server ready, extensions verified'}, 1 check passed`
      )
    }
  })

  it('reports bad SQL at its file and line, runs the other checks, and fails the step with a code, not an internal error', async () => {
    const file = checks({
      'a.sql': '-- titles\nSELECT id FROM documents WHERE title IS NULL;\n-- wrong column\nSELECT id\n  FROM documents\n WHERE headline IS NULL;\n',
      'b.sql': 'SELECT 1 WHERE false;\n'
    })
    const { report } = await run({ checks: file })
    expect(report.error).toEqual(
      expect.objectContaining({ stage: 'checks', code: 'check-error', bug: false, location: expect.objectContaining({ file: expect.stringMatching(/checks\/a\.sql$/), line: 6 }) })
    )
    expect(report.error!.message).toMatch(/^Check "wrong column" \(\S*checks\/a\.sql:6\) failed with an error: column "headline" does not exist \(SQLSTATE 42703\)\.$/)
    expect(report.checks!.results.map((r) => [r.check.name, r.status])).toEqual([
      ['titles', 'passed'],
      ['wrong column', 'error'],
      ['SELECT 1 WHERE false', 'passed']
    ])
  })

  it('refuses a check that does not parse before anything is applied', async () => {
    const file = checks({ 'broken.sql': '-- fine\nSELECT 1 WHERE false;\n\nSELEC id FROM documents;\n' })
    const { report } = await run({ checks: file })
    expect(report.error).toEqual(expect.objectContaining({ stage: 'load checks', code: 'check-sql-invalid', location: expect.objectContaining({ line: 4 }) }))
    expect(report.apply).toBeUndefined()
    expect(await count(`SELECT count(*) AS n FROM pg_class WHERE relname = 'pg_migrate_history'`)).toBe(0)
  })

  it('refuses transaction control and SET, which would change how the checks run', async () => {
    for (const statement of ['COMMIT;', 'SET statement_timeout = 0;', 'SET TRANSACTION READ WRITE;']) {
      const { report } = await run({ checks: checks({ 'x.sql': `SELECT 1 WHERE false;\n${statement}\n` }) })
      expect([statement, report.error?.code, report.error?.location.line]).toEqual([statement, 'check-sql-invalid', 2])
    }
  })

  it('says clearly when a check tries to write, and the write does not happen', async () => {
    const file = checks({
      'writes.sql':
        "-- fix titles\nUPDATE documents SET title = 'x' WHERE title IS NULL;\n-- sneaky\nWITH d AS (DELETE FROM documents RETURNING id) SELECT id FROM d;\n-- sequence\nSELECT nextval('s');\n"
    })
    dir.write({ '0002_seq.sql': 'CREATE SEQUENCE s;\n' })
    const { report } = await run({ checks: file })
    expect(report.error).toEqual(expect.objectContaining({ code: 'check-read-only', location: expect.objectContaining({ line: 2 }) }))
    expect(report.error!.message).toMatch(
      /^3 of 3 checks failed; the first: Check "fix titles" \(\S+:2\) tried to write, and checks run in a read-only transaction: cannot execute UPDATE in a read-only transaction\.$/
    )
    expect(report.checks!.results.map((r) => r.error?.code)).toEqual(['check-read-only', 'check-read-only', 'check-read-only'])
    expect(await count(`SELECT count(*) AS n FROM documents`)).toBe(3)
    expect(await count(`SELECT last_value AS n FROM s`)).toBe(1)
    expect(renderReport(report)).toContain('| tried to write (read-only transaction) |')
  })

  it('stops a check at checks-timeout', async () => {
    const file = checks({ 'slow.sql': '-- slow\nSELECT 1 FROM pg_sleep(5);\n-- quick\nSELECT 1 WHERE false;\n' })
    const started = Date.now()
    const { report } = await run({ checks: file, 'checks-timeout': '200ms' })
    expect(Date.now() - started).toBeLessThan(4000)
    expect(report.error).toEqual(expect.objectContaining({ code: 'check-timeout', location: expect.objectContaining({ line: 2 }) }))
    expect(report.error!.message).toContain('canceling statement due to statement timeout (checks-timeout is 200ms)')
    expect(report.checks!.results.map((r) => r.status)).toEqual(['error', 'passed'])
  })

  it('shows at most 10 rows, cuts long cells and masks secrets in them', async () => {
    // As main.ts does with the database-url input before anything runs.
    registerUrlSecrets(url)
    const password = new URL(url).password
    const file = checks({
      'many.sql':
        "-- rows\nSELECT g AS n, repeat('x', 200) AS long, 'postgres://app:hunter2secret@db.internal/app' AS dsn, " + `'${password}' AS pw FROM generate_series(1, 25) AS g;\n`
    })
    const { report } = await run({ checks: file })
    const rows = report.checks!.results[0].rows!
    expect(rows.more).toBe(true)
    expect(rows.rows).toHaveLength(10)
    expect(rows.rows[0][1]).toBe('x'.repeat(79) + '…')
    expect(rows.rows[0][2]).toBe('postgres://app:***@db.internal/app')
    const summary = renderReport(report)
    expect(summary).toContain('returned more than 10 rows')
    expect(summary).toContain('The first 10 rows:')
    expect(summary).not.toContain('hunter2secret')
    expect(password.length).toBeGreaterThanOrEqual(3)
    expect(summary).not.toContain(password)
    expect(rows.rows[0][3]).toBe('***')
    clearSecretsForTests()
  })

  it('reads every .sql file under a directory, subdirectories included, in path order; names an unnamed check by its first line', async () => {
    const file = checks({ 'b/second.sql': 'SELECT 2 WHERE false;\n', 'a.sql': '/* block */ SELECT 1 WHERE false;\n', 'notes.txt': 'SELECT 1;' })
    const { report } = await run({ checks: file })
    expect(report.error).toBeUndefined()
    expect(report.checks!.results.map((r) => [path.basename(r.check.file), r.check.name])).toEqual([
      ['a.sql', 'SELECT 1 WHERE false'],
      ['second.sql', 'SELECT 2 WHERE false']
    ])
    expect(report.stages.find((s) => s.name === 'load checks')?.summary).toBe('2 checks in 2 files')
  })

  it('refuses a path outside the workspace, a link out of it and an empty directory, before anything is applied', async () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'pgma-elsewhere-'))
    try {
      writeFileSync(path.join(elsewhere, 'x.sql'), 'SELECT 1;\n')
      const outside = await run({ checks: path.join(elsewhere, 'x.sql') })
      expect(outside.report.error).toEqual(expect.objectContaining({ stage: 'load checks', code: 'checks-path-invalid', location: { input: 'checks' } }))
      expect(outside.report.error!.message).toContain('outside the workspace')

      const base = checks({ 'ok.sql': 'SELECT 1 WHERE false;\n' })
      symlinkSync(path.join(elsewhere, 'x.sql'), path.join(base, 'link.sql'))
      const linked = await run({ checks: base })
      expect(linked.report.error).toEqual(expect.objectContaining({ code: 'checks-path-invalid' }))
      expect(linked.report.error!.message).toMatch(/holds \S*link\.sql, a symbolic link to .*outside the workspace/)

      const empty = path.join(dir.cwd, 'empty')
      mkdirSync(empty)
      expect((await run({ checks: empty })).report.error).toEqual(expect.objectContaining({ code: 'checks-path-invalid' }))
      expect((await run({ checks: path.join(dir.cwd, 'missing') })).report.error).toEqual(expect.objectContaining({ code: 'checks-path-invalid' }))
      expect(await count(`SELECT count(*) AS n FROM pg_class WHERE relname = 'pg_migrate_history'`)).toBe(0)
    } finally {
      rmSync(elsewhere, { recursive: true, force: true })
    }
  })
})
