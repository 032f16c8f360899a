import { describe, expect, it } from '@jest/globals'
import { lintPending } from '../../../src/lint/lint.js'
import { gate } from '../../../src/lint/gate.js'
import { describeLintStage, findingsJson, lintAnnotations, runLintStage } from '../../../src/lint/stage.js'
import type { EngineContext } from '../../../src/engines/engine.js'
import { renderLintSection, renderReport } from '../../../src/report/render.js'
import type { RunReport } from '../../../src/report/model.js'
import { findingsOf, lintSql, sqlRevision } from './helpers.js'

describe('the lint stage with nothing pending', () => {
  it('answers what lintPending answers for an empty set, without loading the rules', async () => {
    const ctx = { settings: { failOnRisk: 'high', lockTimeout: '10s' } } as EngineContext
    const stage = await runLintStage({ engine: 'sql', ctx, rendered: [] })
    expect(stage.result).toEqual(await lintPending([], { engine: 'sql', lockTimeout: '10s' }))
    expect(stage.gate).toEqual({ failOnRisk: 'high', blocked: [] })
  })
})

describe('acknowledgements', () => {
  it('a comment above a statement acknowledges that statement only; the finding stays visible, marked', async () => {
    const result = await lintSql('ALTER TABLE a ADD COLUMN x int;\n-- pg-migrate:allow drop-table reason: archived in release 41\nDROP TABLE old_a;\nDROP TABLE old_b;\n')
    const drops = findingsOf(result, 'drop-table')
    expect(drops).toEqual([
      expect.objectContaining({ line: 3, message: 'drops table old_a', acknowledged: { reason: 'archived in release 41', line: 2 } }),
      expect.objectContaining({ line: 4, message: 'drops table old_b' })
    ])
    expect(drops[1].acknowledged).toBeUndefined()
    expect(gate(result, 'critical').blocked.map((f) => f.line)).toEqual([4])
  })

  it('a comment before the first statement acknowledges the whole file', async () => {
    const result = await lintSql('-- cleanup after the v2 cut-over\n-- pg-migrate:allow drop-table reason: v1 tables unused since March\n\nDROP TABLE v1_a;\nDROP TABLE v1_b;\n')
    expect(findingsOf(result, 'drop-table').every((f) => f.acknowledged?.line === 2)).toBe(true)
    expect(gate(result, 'critical').blocked).toEqual([])
  })

  it('one inside a dollar-quoted body, a string or a block comment is text and acknowledges nothing', async () => {
    const body = ['CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$', 'BEGIN', '-- pg-migrate:allow drop-table reason: text of the function body', '  RETURN 1;', 'END $$;']
    const literal = ["SELECT 'a string", '  -- pg-migrate:allow drop-table reason: text of a string', "';"]
    const comment = ['/* a comment', '-- pg-migrate:allow drop-table reason: commented out', '*/']
    for (const text of [body, literal, comment]) {
      const result = await lintSql(['CREATE TABLE t (id int);', ...text, 'DROP TABLE important;', ''].join('\n'))
      expect(findingsOf(result, 'drop-table').map((f) => [f.line, f.acknowledged])).toEqual([[text.length + 2, undefined]])
      expect(gate(result, 'critical').blocked).toHaveLength(1)
    }
    // The same comment outside the body acknowledges the statement below it.
    const outside = await lintSql([...body, '-- pg-migrate:allow drop-table reason: archived', 'DROP TABLE important;', ''].join('\n'))
    expect(findingsOf(outside, 'drop-table')[0].acknowledged).toEqual({ reason: 'archived', line: 6 })
  })

  it('without a reason it acknowledges nothing and is itself a finding', async () => {
    const result = await lintSql('-- pg-migrate:allow drop-table\nDROP TABLE a;\n')
    expect(findingsOf(result, 'drop-table')[0].acknowledged).toBeUndefined()
    expect(findingsOf(result, 'invalid-acknowledgement')).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/gives no reason/) })])
    expect(gate(result, 'critical').blocked.map((f) => f.rule)).toEqual(['drop-table'])
  })

  it('an unknown rule id is a finding; the known ids of the same comment still count', async () => {
    const result = await lintSql('-- pg-migrate:allow drop-tabel, truncate reason: test data only\nTRUNCATE a;\n')
    expect(findingsOf(result, 'invalid-acknowledgement')).toEqual([expect.objectContaining({ message: "pg-migrate:allow names an unknown rule 'drop-tabel'" })])
    expect(findingsOf(result, 'truncate')[0].acknowledged?.reason).toBe('test data only')
  })

  it('acknowledging one rule does not acknowledge another rule on the same statement', async () => {
    const result = await lintSql('-- pg-migrate:allow truncate reason: x\nDELETE FROM a;\n')
    expect(findingsOf(result, 'delete-without-where')[0].acknowledged).toBeUndefined()
  })
})

describe('lines and order', () => {
  it('reports file lines for a dbmate up section that starts below line 1', async () => {
    const result = await lintPending([sqlRevision('0007', '-- note\nDROP TABLE a;\n', 4)], { engine: 'sql' })
    expect(result.findings[0]).toEqual(expect.objectContaining({ file: 'db/0007_m.sql', line: 5, revision: '0007', statement: 'DROP TABLE a' }))
  })

  it('treats tables created by an earlier pending revision as new in later ones', async () => {
    const result = await lintSql(['CREATE TABLE t (a int);', 'ALTER TABLE t DROP COLUMN a;\nTRUNCATE t;'])
    expect(result.findings.map((f) => f.rule)).toEqual(['new-table'])
    expect(result.maxRisk).toBe('low')
  })

  it('an empty pending set has no findings and max risk none', async () => {
    expect(await lintPending([], { engine: 'sql' })).toEqual({ findings: [], maxRisk: 'none', revisions: 0, statements: 0 })
  })
})

describe('gate', () => {
  it('blocks unacknowledged findings at or above the threshold, and none blocks nothing', async () => {
    const result = await lintSql('ALTER TABLE a ALTER COLUMN b SET NOT NULL;\nCREATE INDEX i ON a (b);\nDROP TABLE c;\n')
    expect(result.maxRisk).toBe('critical')
    expect(gate(result, 'critical').blocked.map((f) => f.rule)).toEqual(['drop-table'])
    expect(gate(result, 'high').blocked.map((f) => f.rule)).toEqual(['set-not-null', 'drop-table'])
    expect(gate(result, 'medium').blocked.map((f) => f.rule)).toEqual(['set-not-null', 'create-index-not-concurrent', 'drop-table'])
    expect(gate(result, 'none')).toEqual({ failOnRisk: 'none', blocked: [] })
    const error = gate(result, 'critical').error!
    expect(error.code).toBe('lint-blocked')
    expect(error.message).toMatch(/stopped the run before anything was applied.*db\/0001_m\.sql:3 drops table c \(drop-table, critical\)/)
    expect(error.hint).toContain('-- pg-migrate:allow drop-table reason:')
    expect(error.location).toEqual({ file: 'db/0001_m.sql', line: 3, revision: '0001' })
  })
})

describe('report', () => {
  it('links the rule pages in the action’s repository at the ref the workflow runs, as the error codes', async () => {
    const result = await lintSql('DROP TABLE chunks;\n')
    const saved = { ...process.env }
    Object.assign(process.env, { GITHUB_SERVER_URL: 'https://github.example.com', GITHUB_ACTION_REPOSITORY: 'acme/pg-migrate-action', GITHUB_ACTION_REF: 'v1.4.2' })
    try {
      const markdown = renderLintSection(result, gate(result, 'critical'))
      expect(markdown).toContain('[`drop-table`](https://github.example.com/acme/pg-migrate-action/blob/v1.4.2/docs/rules/drop-table.md)')
    } finally {
      process.env = saved
    }
  })

  it('renders findings with rule links, where, table facts, the safer way and the status', async () => {
    const result = await lintSql('-- pg-migrate:allow truncate reason: fixtures only\nTRUNCATE t;\nDROP TABLE chunks;\n', {
      tables: { chunks: { estimatedRows: 1_200_000, totalBytes: 3.4 * 1024 ** 3 } }
    })
    const markdown = renderLintSection(result, gate(result, 'critical'), { docsBase: 'https://example.test/docs/rules/' })
    expect(markdown).toContain('[`drop-table`](https://example.test/docs/rules/drop-table.md)')
    expect(markdown).toContain('`0001_m.sql:3`')
    expect(markdown).toContain('table chunks: ~1.2 M rows, 3.4 GB')
    expect(markdown).toContain('❌ **blocked**')
    expect(markdown).toContain('✔️ acknowledged (line 1): fixtures only')
    expect(markdown).toMatch(/Blocked:\*\* 1 unacknowledged finding at or above `fail-on-risk: critical`/)
    expect(markdown).toContain('`-- pg-migrate:allow <rule-id> reason: <why>`')
  })

  it('lists blocked findings first and at most 200 rows', async () => {
    const sql = Array.from({ length: 250 }, (_, i) => `CREATE TABLE t${i} (a int);`).join('\n') + '\nDROP TABLE old;\n'
    const result = await lintSql(sql)
    const markdown = renderLintSection(result, gate(result, 'critical'))
    const rows = markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Risk') && !l.startsWith('| ---'))
    expect(rows).toHaveLength(200)
    expect(rows[0]).toContain('drops table old')
    expect(markdown).toContain('… and 51 more findings: the `findings` output lists them all.')
    // The fold's title counts every low-risk finding, also those past the row limit.
    expect(markdown).toContain('<summary>250 low-risk findings: <code>new-table</code> ×250</summary>')
  })

  it('folds many low-risk findings under one line grouped by rule, keeping the others in view', async () => {
    const creates = Array.from(
      { length: 30 },
      (_, i) =>
        `CREATE TABLE very_long_table_name_number_${i} (id bigint PRIMARY KEY, v vector(3));\nCREATE INDEX very_long_index_name_${i} ON very_long_table_name_number_${i} USING hnsw (v vector_l2_ops);`
    )
    const result = await lintSql([...creates, 'CREATE INDEX i ON existing (b);'])
    const markdown = renderLintSection(result, gate(result, 'critical'))
    const [visible, folded] = markdown.split('<details>')
    expect(visible).toContain('create-index-not-concurrent')
    expect(visible).not.toContain('🔵')
    expect(folded).toMatch(/^<summary>60 low-risk findings: <code>new-table<\/code> ×30, <code>index-on-new-table<\/code> ×30<\/summary>/)
    expect(folded.match(/^\| 🔵 low /gm)).toHaveLength(60)
    // The 30 long index messages go below the table as notes a … z, aa … ad: letters, never other characters.
    const labels = [...folded.matchAll(/^- \*\*([^*]+)\.\*\*/gm)].map((m) => m[1])
    expect(labels).toHaveLength(30)
    expect(labels.slice(24)).toEqual(['y', 'z', 'aa', 'ab', 'ac', 'ad'])
    expect(folded).toContain('see note ad')
  })

  it('the lint stage shows ⚠ in the stage trail only for findings above low, like the headline', async () => {
    const low = await lintSql('CREATE TABLE a (id int);')
    expect(describeLintStage({ result: low, gate: gate(low, 'critical') })).toEqual({ status: 'ok', summary: expect.stringMatching(/^1 finding, highest risk low/) })
    const medium = await lintSql('CREATE INDEX i ON existing (b);')
    expect(describeLintStage({ result: medium, gate: gate(medium, 'critical') }).status).toBe('warning')
  })

  it('keeps a few low-risk findings in the table, unfolded', async () => {
    const result = await lintSql('CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n')
    const markdown = renderLintSection(result, gate(result, 'critical'))
    expect(markdown).not.toContain('<details>')
    expect(markdown.match(/^\| 🔵 low /gm)).toHaveLength(2)
  })

  it('the headline shows ⚠️ when there are findings even if nothing is blocked, ✅ with none or only low-risk ones', async () => {
    const base: RunReport = { status: 'success', mode: 'plan', startedAt: new Date(), durationMs: 1, stages: [], problems: [], warnings: [], pending: [] }
    const withFindings = await lintSql('CREATE TABLE t (a int);\nCREATE INDEX i ON a (b);')
    expect(renderReport({ ...base, lint: { result: withFindings, gate: gate(withFindings, 'critical') } })).toMatch(
      /^## ⚠️ pg-migrate-action · plan: 0 pending migrations, 1 lint finding to review\n/
    )
    const low = await lintSql('CREATE TABLE t (a int);')
    expect(renderReport({ ...base, lint: { result: low, gate: gate(low, 'critical') } })).toMatch(/^## ✅ /)
    const clean = await lintSql('SELECT 1;')
    expect(renderReport({ ...base, lint: { result: clean, gate: gate(clean, 'critical') } })).toMatch(/^## ✅ /)
  })

  it('outputs findings as JSON and annotations as errors at or above the threshold, warnings below', async () => {
    const result = await lintSql('CREATE TABLE n (a int);\nCREATE INDEX i ON a (b);\nDROP TABLE c;\n')
    const outcome = { result, gate: gate(result, 'critical') }
    expect(JSON.parse(findingsJson(outcome))).toEqual([
      { rule: 'new-table', risk: 'low', revision: '0001', file: 'db/0001_m.sql', line: 1, message: 'creates table n', table: null, acknowledged: null, blocked: false },
      {
        rule: 'create-index-not-concurrent',
        risk: 'medium',
        revision: '0001',
        file: 'db/0001_m.sql',
        line: 2,
        message: 'builds index i on a while blocking writes',
        table: 'table a: could not check the target (not connected)',
        acknowledged: null,
        blocked: false
      },
      {
        rule: 'drop-table',
        risk: 'critical',
        revision: '0001',
        file: 'db/0001_m.sql',
        line: 3,
        message: 'drops table c',
        table: 'table c: could not check the target (not connected)',
        acknowledged: null,
        blocked: true
      }
    ])
    expect(lintAnnotations(outcome).map((a) => [a.level, a.file, a.line, a.title])).toEqual([
      ['error', 'db/0001_m.sql', 3, 'Risk lint: drop-table (critical)'],
      ['warning', 'db/0001_m.sql', 2, 'Risk lint: create-index-not-concurrent (medium)'],
      ['notice', 'db/0001_m.sql', 1, 'Risk lint: new-table (low)']
    ])
  })
})

describe('Alembic revisions (offline SQL mapped to the revision file)', () => {
  const source = [
    '"""drop title"""', // 1
    'from alembic import op', // 2
    "revision = 'b2'", // 3
    "down_revision = 'a1'", // 4
    '', // 5
    '', // 6
    'def upgrade():', // 7
    "    op.add_column('documents', sa.Column('summary', sa.Text()))", // 8
    '    # pg-migrate:allow truncate reason: staging data only', // 9
    "    op.execute('TRUNCATE staging')", // 10
    "    op.drop_column('documents', 'title')", // 11
    ''
  ].join('\n')
  const revision = (sql: string) => ({
    revision: { id: 'b2', parents: ['a1'], dependsOn: [], branchLabels: [], description: 'drop title', file: 'alembic/versions/b2_drop_title.py', line: 3 },
    sql,
    transactional: true,
    notes: []
  })
  const lint = (sql: string, text = source) => lintPending([revision(sql)], { engine: 'alembic', readSource: () => text })

  it("maps each statement to its op. call's line, ignoring Alembic's version table writes and framing", async () => {
    const result = await lint(
      "ALTER TABLE documents ADD COLUMN summary TEXT;\n\nTRUNCATE staging;\n\nCOMMIT;\nBEGIN;\nALTER TABLE documents DROP COLUMN title;\n\nUPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';\n"
    )
    expect(result.findings.map((f) => [f.rule, f.line, f.lineNote, f.acknowledged?.reason])).toEqual([
      ['new-nullable-column', 8, undefined, undefined],
      ['truncate', 10, undefined, 'staging data only'],
      ['drop-column', 11, undefined, undefined]
    ])
    expect(result.statements).toBe(3)
  })

  it('maps several statements to one op.execute, and says so when the op. calls cannot be listed', async () => {
    const result = await lint('CREATE TABLE x (a int);\nDROP TABLE y;\n', 'revision = "b2"\n\ndef upgrade():\n    op.execute(SQL)\n')
    // Two statements from one op.execute: both belong to it.
    expect(result.findings.map((f) => [f.rule, f.line])).toEqual([
      ['new-table', 4],
      ['drop-table', 4]
    ])
    const unreadable = await lintPending([revision('DROP TABLE y;')], { engine: 'alembic', readSource: () => undefined })
    expect(unreadable.findings).toEqual([
      expect.objectContaining({ rule: 'drop-table', line: 3, lineNote: 'the op. calls of alembic/versions/b2_drop_title.py could not be listed; line 3 is the revision' })
    ])
  })

  it('a # pg-migrate:allow before def upgrade covers the whole revision', async () => {
    const text = source
      .replace('from alembic import op', 'from alembic import op\n# pg-migrate:allow drop-column reason: title is unused')
      .replace('    # pg-migrate:allow truncate reason: staging data only\n', '')
    const result = await lint('ALTER TABLE documents DROP COLUMN title;\n', text)
    expect(result.findings[0]).toEqual(expect.objectContaining({ rule: 'drop-column', acknowledged: { reason: 'title is unused', line: 3 } }))
  })
})
