import { afterAll, beforeAll, expect, it } from '@jest/globals'
import type pg from 'pg'
import { pgCatalogReader } from '../../src/lint/catalog.js'
import { lintPending, type Finding } from '../../src/lint/lint.js'
import type { RuleId } from '../../src/lint/registry.js'
import { missingReason } from '../support/capabilities.js'
import { connectClient, createTestDatabase, describeWithDatabase, dropTestDatabases } from '../support/database.js'
import { sqlRevision } from '../unit/lint/helpers.js'

/**
 * Verdicts from what the database holds, against a real server: the same statements linted against
 * a database whose tables exist and hold rows, and against an empty one where they are absent. Each
 * sentence a finding says about the target is checked against the server too.
 */

let populated: pg.Client
let empty: pg.Client
let populatedUrl: string

beforeAll(async () => {
  if (missingReason(['database'])) return
  populatedUrl = (await createTestDatabase('pgma_verdict')).url
  populated = await connectClient(populatedUrl)
  empty = await connectClient((await createTestDatabase('pgma_verdict')).url)
  await populated.query(`CREATE EXTENSION IF NOT EXISTS vector;
    CREATE SCHEMA archive;
    CREATE TABLE archive.old_docs (id int);
    INSERT INTO archive.old_docs VALUES (1);
    CREATE TABLE documents (id bigint PRIMARY KEY, title text, summary text, legacy text, CONSTRAINT documents_title_nn CHECK (title IS NOT NULL));
    INSERT INTO documents SELECT g, 't' || g, 's' || g, 'l' || g FROM generate_series(1, 100) g;
    ALTER TABLE documents ADD CONSTRAINT documents_summary_nn CHECK (summary IS NOT NULL) NOT VALID;
    CREATE INDEX documents_title_idx ON documents (title);
    CREATE TABLE chunks (id bigint PRIMARY KEY, document_id bigint REFERENCES documents (id), embedding vector(3));
    INSERT INTO chunks SELECT g, g, '[1,2,3]' FROM generate_series(1, 100) g;
    CREATE TABLE chunk_notes (id bigint PRIMARY KEY, chunk_id bigint REFERENCES chunks (id));
    INSERT INTO chunk_notes SELECT g, g FROM generate_series(1, 10) g;
    CREATE TABLE documents_archive (id int);
    INSERT INTO documents_archive SELECT generate_series(1, 10);
    CREATE FUNCTION myjsonb() RETURNS jsonb LANGUAGE plpgsql AS $$ BEGIN RETURN '{}'::jsonb; END $$;
    ANALYZE;`)
})

afterAll(async () => {
  await populated?.end()
  await empty?.end()
  await dropTestDatabases()
})

async function lint(client: pg.Client, ...texts: string[]): Promise<Finding[]> {
  const result = await lintPending(
    texts.map((sql, i) => sqlRevision(String(i + 1).padStart(4, '0'), sql)),
    { engine: 'sql', lockTimeout: '10s', catalog: pgCatalogReader(client) }
  )
  return result.findings
}

/** Each destructive or locking statement with its rule and its risk on a table that exists with rows. */
const CASES: [string, RuleId, string][] = [
  ['DROP TABLE documents_archive', 'drop-table', 'critical'],
  ['DROP TABLE IF EXISTS documents_archive', 'drop-table', 'critical'],
  ['ALTER TABLE documents DROP COLUMN legacy', 'drop-column', 'critical'],
  ['ALTER TABLE IF EXISTS documents DROP COLUMN IF EXISTS legacy', 'drop-column', 'critical'],
  ['DROP INDEX documents_title_idx', 'drop-index-not-concurrent', 'medium'],
  ['DROP INDEX IF EXISTS documents_title_idx', 'drop-index-not-concurrent', 'medium'],
  ['TRUNCATE documents_archive', 'truncate', 'critical'],
  ['DELETE FROM documents_archive', 'delete-without-where', 'critical'],
  ['UPDATE documents SET legacy = NULL', 'update-without-where', 'critical'],
  ['CREATE INDEX documents_legacy_idx ON documents (legacy)', 'create-index-not-concurrent', 'medium'],
  ['ALTER TABLE documents ALTER COLUMN legacy TYPE varchar(10)', 'change-column-type', 'high'],
  ['ALTER TABLE documents RENAME COLUMN legacy TO old', 'rename-column', 'high'],
  ['ALTER TABLE documents_archive RENAME TO documents_archive_2024', 'rename-table', 'high'],
  ['VACUUM FULL documents_archive', 'vacuum-full', 'high'],
  ['CLUSTER documents USING documents_pkey', 'cluster', 'high'],
  ['DROP SCHEMA IF EXISTS archive CASCADE', 'drop-schema', 'critical'],
  ['ALTER TABLE chunks ADD CONSTRAINT chunks_document_fk2 FOREIGN KEY (document_id) REFERENCES documents (id)', 'constraint-missing-not-valid', 'medium'],
  ['ALTER TABLE documents ALTER COLUMN legacy SET NOT NULL', 'set-not-null', 'high'],
  ['ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(4)', 'vector-dimension-change', 'critical'],
  ['CREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_l2_ops)', 'vector-index-not-concurrent', 'high'],
  ['REINDEX TABLE documents', 'reindex-not-concurrent', 'medium'],
  ['REINDEX INDEX documents_title_idx', 'reindex-not-concurrent', 'medium'],
  ['ALTER TABLE documents ADD CONSTRAINT documents_legacy_key UNIQUE (legacy)', 'unique-constraint-without-index', 'high'],
  ['ALTER TABLE documents ADD COLUMN n int NOT NULL', 'not-null-column-without-default', 'high'],
  ['ALTER TABLE documents ADD COLUMN meta jsonb DEFAULT myjsonb()', 'volatile-default', 'high']
]

describeWithDatabase('lint verdicts from what the target holds', () => {
  it.each(CASES)('%s: %s at its risk on the populated table, low and "absent in the target" where it is absent', async (statement, rule, risk) => {
    const onRows = (await lint(populated, `${statement};`)).filter((f) => f.rule === rule)
    expect(onRows.map((f) => f.risk)).toEqual([risk])
    expect(onRows[0].table ?? '').not.toMatch(/could not check|absent/)

    const onNothing = (await lint(empty, `${statement};`)).filter((f) => f.rule === rule)
    const ifExists = /IF EXISTS/.test(statement)
    expect(onNothing).toEqual([
      expect.objectContaining({
        risk: 'low',
        message: expect.stringContaining(
          ifExists ? 'is absent in the target, and no statement before this one in the pending set creates it; IF EXISTS makes the statement a no-op' : 'is absent in the target'
        ),
        table: expect.stringMatching(/: absent in the target$/)
      })
    ])
    // The server agrees: with IF EXISTS a no-op, without it the statement fails, and either way nothing is lost.
    const outcome = await empty.query(statement).then(
      () => 'no-op',
      (error: Error) => error.message
    )
    expect(outcome).toMatch(ifExists ? /^no-op$/ : /does not exist/)
  })

  it('a table absent in the target that an earlier pending DO block may create is new: no finding; with the table holding rows, critical', async () => {
    const create = `DO $$ BEGIN EXECUTE format('CREATE TABLE %I (id int, legacy text)', 'dyn'); END $$;`
    const change = 'ALTER TABLE dyn DROP COLUMN legacy;\nTRUNCATE dyn;\n'
    expect((await lint(empty, create, change)).map((f) => f.rule)).toEqual([])
    await populated.query(`CREATE TABLE dyn (id int, legacy text); INSERT INTO dyn VALUES (1, 'x')`)
    try {
      expect((await lint(populated, change)).map((f) => `${f.rule} ${f.risk}`)).toEqual(['drop-column critical', 'truncate critical'])
    } finally {
      await populated.query('DROP TABLE dyn')
    }
  })

  it('when the catalog cannot be read, every rule says "could not check" and keeps its risk', async () => {
    const closed = await connectClient(populatedUrl)
    await closed.end()
    const findings = await lint(closed, 'DROP TABLE documents_archive;\nDROP INDEX documents_title_idx;\n')
    expect(findings.map((f) => [f.rule, f.risk, f.table])).toEqual([
      ['drop-table', 'critical', expect.stringMatching(/^table documents_archive: could not check the target \(the catalog could not be read: .+\)$/)],
      ['drop-index-not-concurrent', 'medium', expect.stringMatching(/^index documents_title_idx: could not check the target \(the catalog could not be read: .+\)$/)]
    ])
  })
})

describeWithDatabase('volatile defaults, TRUNCATE … CASCADE, SET NOT NULL and syntax, read from the server', () => {
  it('flags a default whose function pg_proc calls volatile, and stored generated columns; not statement_timestamp() or txid_current(); the server rewrites exactly those', async () => {
    const columns = [
      'ADD COLUMN a jsonb DEFAULT myjsonb()',
      'ADD COLUMN b timestamptz DEFAULT statement_timestamp()',
      'ADD COLUMN c bigint DEFAULT txid_current()',
      'ADD COLUMN d bigint GENERATED ALWAYS AS (id * 2) STORED'
    ]
    const findings = (await lint(populated, `ALTER TABLE documents ${columns.join(', ')};`)).filter((f) => f.rule === 'volatile-default')
    expect(findings.map((f) => f.message)).toEqual([
      'adds documents.a with the volatile default myjsonb(): it is computed for every row, so the table is rewritten',
      'adds documents.d as a stored generated column: it is computed for every row, so the table is rewritten'
    ])
    // The server's side: a rewrite gives the table a new file.
    const rewrites: boolean[] = []
    for (const column of columns) {
      await populated.query('BEGIN')
      try {
        const before = (await populated.query(`SELECT pg_relation_filenode('documents') AS f`)).rows[0].f
        await populated.query(`ALTER TABLE documents ${column}`)
        rewrites.push((await populated.query(`SELECT pg_relation_filenode('documents') AS f`)).rows[0].f !== before)
      } finally {
        await populated.query('ROLLBACK')
      }
    }
    expect(rewrites).toEqual([true, false, false, true])
  })

  it('TRUNCATE … CASCADE names the tables the cascade empties, from the foreign keys, transitively, as the server does', async () => {
    const [finding] = (await lint(populated, 'TRUNCATE documents CASCADE;')).filter((f) => f.rule === 'truncate')
    expect(finding.message).toBe('truncates documents and, through CASCADE, chunk_notes, chunks (foreign keys referencing it)')
    const notices: string[] = []
    const onNotice = (n: { message?: string }): number => notices.push(n.message ?? '')
    populated.on('notice', onNotice)
    await populated.query('BEGIN')
    try {
      await populated.query('TRUNCATE documents CASCADE')
    } finally {
      await populated.query('ROLLBACK')
      populated.off('notice', onNotice)
    }
    expect(notices.sort()).toEqual(['truncate cascades to table "chunk_notes"', 'truncate cascades to table "chunks"'])
  })

  it('SET NOT NULL after a validated CHECK (col IS NOT NULL), in the catalog or earlier in the pending set, is no finding; the server skips the scan exactly then', async () => {
    const setNotNull = async (...texts: string[]): Promise<string[]> => (await lint(populated, ...texts)).filter((f) => f.rule === 'set-not-null').map((f) => f.message)
    expect(await setNotNull('ALTER TABLE documents ALTER COLUMN title SET NOT NULL;')).toEqual([])
    // documents_summary_nn is NOT VALID: the scan runs.
    expect(await setNotNull('ALTER TABLE documents ALTER COLUMN summary SET NOT NULL;')).toEqual(['sets documents.summary NOT NULL'])
    expect(await setNotNull('ALTER TABLE documents VALIDATE CONSTRAINT documents_summary_nn;', 'ALTER TABLE documents ALTER COLUMN summary SET NOT NULL;')).toEqual([])
    expect(
      await setNotNull(
        'ALTER TABLE documents ADD CONSTRAINT documents_legacy_nn CHECK (legacy IS NOT NULL) NOT VALID;',
        'ALTER TABLE documents VALIDATE CONSTRAINT documents_legacy_nn;',
        'ALTER TABLE documents ALTER COLUMN legacy SET NOT NULL;'
      )
    ).toEqual([])
    expect(
      await setNotNull('ALTER TABLE documents ADD CONSTRAINT documents_legacy_nn CHECK (legacy IS NOT NULL) NOT VALID;\nALTER TABLE documents ALTER COLUMN legacy SET NOT NULL;')
    ).toEqual(['sets documents.legacy NOT NULL'])

    // PostgreSQL says at DEBUG1 when existing constraints prove the column has no NULL (and it skips the scan).
    const provedBy = async (statements: string[]): Promise<boolean> => {
      const notices: string[] = []
      const onNotice = (n: { message?: string }): number => notices.push(n.message ?? '')
      populated.on('notice', onNotice)
      await populated.query('BEGIN')
      try {
        await populated.query('SET LOCAL client_min_messages = debug1')
        for (const statement of statements) await populated.query(statement)
      } finally {
        await populated.query('ROLLBACK')
        populated.off('notice', onNotice)
      }
      return notices.some((n) => /are sufficient to prove that it does not contain nulls/.test(n))
    }
    expect(await provedBy(['ALTER TABLE documents ALTER COLUMN title SET NOT NULL'])).toBe(true)
    expect(await provedBy(['ALTER TABLE documents ALTER COLUMN summary SET NOT NULL'])).toBe(false)
    expect(await provedBy(['ALTER TABLE documents VALIDATE CONSTRAINT documents_summary_nn', 'ALTER TABLE documents ALTER COLUMN summary SET NOT NULL'])).toBe(true)
  })

  it('names the server version when the statement uses syntax newer than the server, without running anything', async () => {
    const version = (await populated.query(`SELECT current_setting('server_version') AS v, current_setting('server_version_num')::int AS n`)).rows[0] as { v: string; n: number }
    const findings = await lint(
      populated,
      'DROP TABLE IF EXISTS scratch;\nALTER TABLE documents ADD COLUMN v bigint GENERATED ALWAYS AS (id) VIRTUAL;\nDELETE FROM documents_archive;\n'
    )
    const syntax = findings.filter((f) => f.rule === 'syntax-error')
    const major = Math.floor(version.n / 10000)
    const newer = major < 18
    const rejected = `the target server, PostgreSQL ${version.v}, rejects this statement: syntax error at or near "VIRTUAL"; the lint's parser (PostgreSQL 18) accepts it: it uses syntax newer than PostgreSQL ${major}, so it fails at apply`
    expect(syntax.map((f) => ({ line: f.line, risk: f.risk, message: f.message }))).toEqual(newer ? [{ line: 2, risk: 'critical', message: rejected }] : [])
    // The server agrees, and asking it ran nothing: the table the pending set empties still has its rows.
    await populated.query('BEGIN')
    const outcome = await populated.query('ALTER TABLE documents ADD COLUMN v bigint GENERATED ALWAYS AS (id) VIRTUAL').then(
      () => 'accepted',
      (error: Error) => error.message
    )
    await populated.query('ROLLBACK')
    expect(outcome).toBe(newer ? 'syntax error at or near "VIRTUAL"' : 'accepted')
    expect((await populated.query('SELECT count(*)::int AS n FROM documents_archive')).rows).toEqual([{ n: 10 }])
  })

  it("asking the server to parse runs, analyses and locks nothing: it answers while another session holds the table's ACCESS EXCLUSIVE lock", async () => {
    const other = await connectClient(populatedUrl)
    try {
      await other.query('BEGIN; LOCK TABLE documents IN ACCESS EXCLUSIVE MODE')
      const started = Date.now()
      const rejected = await pgCatalogReader(populated).rejectedSyntax!([
        { text: "INSERT INTO documents (id, title) VALUES (1000, 'x')", kind: 'InsertStmt' },
        { text: 'ALTER TABLE documents ADD COLUMN v int GENERATED ALWAYS AS (1) VIRTUAL', kind: 'AlterTableStmt' },
        { text: 'UPDATE nowhere SET title = title', kind: 'UpdateStmt' },
        { text: 'DROP TABLE documents_archive', kind: 'DropStmt' },
        { text: 'ALTER TABLE documents ADD CONSTRAINT documents_id_positive CHECK (id > 0) NOT ENFORCED', kind: 'AlterTableStmt' },
        { text: 'SELECT * FROM documents', kind: 'SelectStmt' }
      ])
      expect(Date.now() - started).toBeLessThan(1000)
      // The session's last query in pg_stat_activity is not one of the migration's.
      const activity = await other.query<{ query: string }>('SELECT query FROM pg_stat_activity WHERE pid = $1', [(populated as unknown as { processID: number }).processID])
      expect(activity.rows).toEqual([{ query: 'SELECT 1' }])
      // Only the syntax of PostgreSQL 18 (VIRTUAL, NOT ENFORCED) is rejected; the missing table is not looked up.
      expect(rejected).toEqual([
        { index: 1, message: 'syntax error at or near "VIRTUAL"' },
        { index: 4, message: 'syntax error at or near "ENFORCED"' }
      ])
      expect((await populated.query('SELECT count(*)::int AS n FROM documents_archive')).rows).toEqual([{ n: 10 }])
    } finally {
      await other.end()
    }
  })
})
