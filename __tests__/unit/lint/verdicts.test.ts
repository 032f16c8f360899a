import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { OfflineStopNote, PendingRevision } from '../../../src/engines/engine.js'
import { gate } from '../../../src/lint/gate.js'
import { lintPending } from '../../../src/lint/lint.js'
import { renderLintSection } from '../../../src/report/render.js'
import { PARSER_POSTGRES_MAJOR } from '../../../src/sql/parse.js'
import { fakeCatalog, findingsOf, lintSql, sqlRevision } from './helpers.js'

/**
 * The one place that decides new, existing, absent or unknown (src/lint/schema-model.ts), as every
 * rule sees it; the real catalog's side is __tests__/integration/lint-verdicts.test.ts.
 */
describe('new, existing, absent or unknown, decided once for every rule', () => {
  const documents = { documents: { estimatedRows: 100, columns: new Map([['legacy', 'text']]) } }

  it('not connected: every rule keeps its risk and says it could not check', async () => {
    const result = await lintSql('DROP TABLE a;\nALTER TABLE b DROP COLUMN c;\nDROP INDEX i;\nDROP SCHEMA s;\n')
    expect(result.findings.map((f) => [f.rule, f.risk, f.table])).toEqual([
      ['drop-table', 'critical', 'table a: could not check the target (not connected)'],
      ['drop-column', 'critical', 'table b: could not check the target (not connected)'],
      ['drop-index-not-concurrent', 'medium', 'index i: could not check the target (not connected)'],
      ['drop-schema', 'critical', 'schema s: could not check the target (not connected)']
    ])
  })

  it('connected: absent objects are low and never blocked, existing ones keep their risk', async () => {
    const result = await lintSql(
      'ALTER TABLE documents DROP COLUMN legacy, DROP COLUMN gone;\nALTER TABLE nowhere DROP COLUMN x;\nDROP INDEX documents_legacy_idx, missing_idx;\n',
      {
        tables: documents,
        indexes: { documents_legacy_idx: 'documents' }
      }
    )
    expect(result.findings.map((f) => [f.rule, f.risk, f.message])).toEqual([
      ['drop-column', 'critical', 'drops column documents.legacy'],
      [
        'drop-column',
        'low',
        'drops column documents.gone: column documents.gone is absent in the target, and no statement before this one in the pending set creates it; the statement fails unless something creates it first'
      ],
      ['drop-column', 'low', expect.stringContaining('drops column nowhere.x: table nowhere is absent in the target')],
      ['drop-index-not-concurrent', 'medium', 'drops index documents_legacy_idx under an exclusive lock on table documents'],
      ['drop-index-not-concurrent', 'low', expect.stringContaining('drops index missing_idx under an exclusive lock on its table: index missing_idx is absent in the target')]
    ])
    expect(result.findings[3].table).toBe('table documents: ~100 rows')
    expect(gate(result, 'low').blocked.map((f) => f.risk)).toEqual(['critical', 'low', 'low', 'medium', 'low'])
    expect(gate(result, 'critical').blocked.map((f) => f.message)).toEqual(['drops column documents.legacy'])
  })

  it('follows the pending set: renamed tables and columns keep existing, dropped ones are gone, new schemas hold new tables', async () => {
    const result = await lintSql(
      [
        'ALTER TABLE documents RENAME TO docs;\nALTER TABLE docs RENAME COLUMN legacy TO old;\nALTER TABLE docs DROP COLUMN old;',
        'DROP TABLE docs;\nTRUNCATE docs;',
        'CREATE SCHEMA staging;\nCREATE TABLE staging.t (a int);\nALTER TABLE staging.t DROP COLUMN a;\nDROP TABLE staging.u;'
      ],
      { tables: documents }
    )
    expect(result.findings.filter((f) => f.risk !== 'low' || f.rule !== 'new-table').map((f) => `${f.rule} ${f.risk}: ${f.message}`)).toEqual([
      'rename-table high: renames table documents to docs',
      'rename-column high: renames column docs.legacy to old',
      'drop-column critical: drops column docs.old',
      'drop-table critical: drops table docs',
      'truncate low: truncates docs: table docs is dropped or renamed earlier in the pending set; the statement fails unless something creates it first',
      'drop-table low: drops table staging.u: table staging.u is absent in the target, and no statement before this one in the pending set creates it; the statement fails unless something creates it first'
    ])
  })

  it('what a revision the lint could not read may create is new once it is absent from the target: a revision without SQL, a DO block, op. calls that wrote no offline SQL', async () => {
    const noSql: PendingRevision = { ...sqlRevision('0001', ''), sql: undefined, notes: ["Alembic's offline output has no section for 0001"] }
    const after = await lintPending([noSql, sqlRevision('0002', 'ALTER TABLE made_there DROP COLUMN x;\nALTER TABLE documents DROP COLUMN legacy;')], {
      engine: 'sql',
      catalog: fakeCatalog({ tables: documents })
    })
    expect(after.findings.map((f) => `${f.rule} ${f.risk}`)).toEqual(['not-linted high', 'drop-column critical'])

    const guarded = [
      'from alembic import context, op',
      "revision = 'b1'",
      '',
      'def upgrade():',
      '    if context.is_offline_mode():',
      '        return',
      '    op.execute("CREATE TABLE made_there (x int)")',
      ''
    ].join('\n')
    const alembic = (id: string, sql: string): PendingRevision => ({
      revision: { id, parents: [], dependsOn: [], branchLabels: [], description: id, file: `versions/${id}.py`, line: 2 },
      sql,
      transactional: true,
      notes: []
    })
    const offlineGuard = await lintPending([alembic('b1', ''), alembic('c2', 'ALTER TABLE made_there DROP COLUMN x;')], {
      engine: 'alembic',
      catalog: fakeCatalog({}),
      readSource: (file) => (file === 'versions/b1.py' ? guarded : "def upgrade():\n    op.drop_column('made_there', 'x')\n")
    })
    expect(offlineGuard.findings).toEqual([])
    // Without the guard's revision before it, the same drop is on a table absent in the target.
    const alone = await lintPending([alembic('c2', 'ALTER TABLE made_there DROP COLUMN x;')], { engine: 'alembic', catalog: fakeCatalog({}), readSource: () => undefined })
    expect(alone.findings.map((f) => `${f.rule} ${f.risk}`)).toEqual(['drop-column low'])
  })

  it('missing-lock-timeout judges each statement by its table before it ran, not after the revision', async () => {
    const found = findingsOf(await lintSql('ALTER TABLE documents ADD COLUMN n int;\nDROP TABLE documents;\n', { tables: documents, lockTimeout: '0' }), 'missing-lock-timeout')
    expect(found.map((f) => f.line)).toEqual([1])
  })
})

describe('not-linted: one fact once', () => {
  const stop: OfflineStopNote = {
    revision: '0003',
    file: 'versions/0003_backfill.py',
    line: 20,
    message: "AttributeError: 'NoneType' object has no attribute 'fetchall'",
    reason: 'it reads the database',
    rerun: 'alembic upgrade 0003:head --sql'
  }
  const revision = (id: string, withStop: boolean): PendingRevision => ({
    revision: { id, parents: [], dependsOn: [], branchLabels: [], description: id, file: `versions/${id}_backfill.py`, line: 5 },
    sql: withStop ? undefined : 'SELECT 1;',
    transactional: true,
    notes: [],
    ...(withStop ? { offlineStop: stop } : {})
  })

  it('names the revision, the file:line and why, counts the revisions after it and gives a command Alembic accepts', async () => {
    const pending = [revision('0002', false), revision('0003', true), ...['0004', '0005', '0006', '0007', '0008', '0009', '0010'].map((id) => revision(id, true))]
    const result = await lintPending(pending, { engine: 'alembic', readSource: () => undefined })
    expect(findingsOf(result, 'not-linted')).toEqual([
      expect.objectContaining({
        revision: '0003',
        file: 'versions/0003_backfill.py',
        line: 20,
        message:
          "not linted: Alembic's offline SQL generation stopped at this revision (versions/0003_backfill.py:20): AttributeError: 'NoneType' object has no attribute 'fetchall'; it reads the database; 7 later pending revisions are not linted either (0004, 0005, 0006, 0007, 0008 and 2 more); `alembic upgrade 0003:head --sql` writes the SQL of the revisions after it to review"
      })
    ])
  })

  it('a revision without SQL for another reason keeps its own finding', async () => {
    const result = await lintPending([{ ...revision('0002', false), sql: undefined, notes: ["Alembic's offline output has no section for 0002"] }], {
      engine: 'alembic',
      readSource: () => undefined
    })
    expect(findingsOf(result, 'not-linted').map((f) => f.message)).toEqual(["not linted: Alembic's offline output has no section for 0002"])
  })
})

describe("the server's grammar", () => {
  it('a statement the server rejects is a syntax-error finding naming its version', async () => {
    const reader = {
      ...fakeCatalog({ tables: {}, serverVersion: '15.8' }),
      rejectedSyntax: async (statements: { text: string }[]) =>
        statements.flatMap((s, index) => (/VIRTUAL/.test(s.text) ? [{ index, message: 'syntax error at or near "VIRTUAL"' }] : []))
    }
    const result = await lintPending([sqlRevision('0001', 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN v int GENERATED ALWAYS AS (a) VIRTUAL;\n')], {
      engine: 'sql',
      catalog: reader
    })
    expect(findingsOf(result, 'syntax-error')).toEqual([
      expect.objectContaining({
        line: 2,
        message: `the target server, PostgreSQL 15.8, rejects this statement: syntax error at or near "VIRTUAL"; the lint's parser (PostgreSQL ${PARSER_POSTGRES_MAJOR}) accepts it: it uses syntax newer than PostgreSQL 15, so it fails at apply`
      })
    ])
  })

  it("PARSER_POSTGRES_MAJOR is libpg-query's major version, the grammar it carries", () => {
    const version = (JSON.parse(readFileSync('node_modules/libpg-query/package.json', 'utf8')) as { version: string }).version
    expect(Number.parseInt(version, 10)).toBe(PARSER_POSTGRES_MAJOR)
  })
})

describe('reading the findings', () => {
  it('sorts the summary by risk, blocked first, then in the order the revisions run', async () => {
    const result = await lintSql([
      'CREATE TABLE n (a int);\nCREATE INDEX i ON a (b);',
      'ALTER TABLE a ALTER COLUMN b SET NOT NULL;\nDROP TABLE c;',
      'DROP TABLE d;\nCREATE INDEX j ON a (b);'
    ])
    const markdown = renderLintSection(result, gate(result, 'critical'))
    const rows = markdown.split('\n').filter((l) => /^\| \S+ (low|medium|high|critical) /.test(l))
    expect(rows.map((r) => /^\| \S+ (\w+) \| \[`([\w-]+)`\].*?`(\w+\.sql:\d+)`/.exec(r)!.slice(1).join(' '))).toEqual([
      'critical drop-table 0002_m.sql:2',
      'critical drop-table 0003_m.sql:1',
      'high set-not-null 0002_m.sql:1',
      'medium create-index-not-concurrent 0001_m.sql:2',
      'medium create-index-not-concurrent 0003_m.sql:2',
      'low new-table 0001_m.sql:1'
    ])
  })
})
