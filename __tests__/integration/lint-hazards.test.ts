import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals'
import type pg from 'pg'
import type { InputName } from '../../src/inputs.js'
import { pgCatalogReader } from '../../src/lint/catalog.js'
import { lintPending, type Finding } from '../../src/lint/lint.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { missingReason } from '../support/capabilities.js'
import { connectClient, createTestDatabase, describeWithDatabase, dropTestDatabases } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'
import { sqlRevision } from '../unit/lint/helpers.js'

/**
 * The hazards the lint used to miss and the noise it used to make (issue 17), each linted against a
 * database whose tables exist and hold rows, and each checked against what the server does with the
 * statement: the locks it takes, whether it rewrites, scans or fails.
 */

let db: pg.Client
let url: string

beforeAll(async () => {
  if (missingReason(['database'])) return
  url = (await createTestDatabase('pgma_hazard')).url
  db = await connectClient(url)
  await db.query(`CREATE DOMAIN doc_status AS int;
    CREATE TABLE owners (id bigint PRIMARY KEY);
    INSERT INTO owners SELECT generate_series(1, 50);
    CREATE TABLE documents (id bigint PRIMARY KEY, title text, owner_id bigint, status doc_status);
    INSERT INTO documents SELECT g, 't' || g, 1 + g % 50, 1 FROM generate_series(1, 100) g;
    CREATE INDEX documents_title_idx ON documents (title);
    CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
    CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    INSERT INTO events SELECT g, date '2024-01-01' + g FROM generate_series(1, 100) g;
    CREATE MATERIALIZED VIEW document_stats AS SELECT count(*) AS n FROM documents;
    ANALYZE;`)
})

afterAll(async () => {
  await db?.end()
  await dropTestDatabases()
})

async function lint(texts: string[], lockTimeout = '10s'): Promise<Finding[]> {
  const result = await lintPending(
    texts.map((sql, i) => sqlRevision(String(i + 1).padStart(4, '0'), sql)),
    { engine: 'sql', lockTimeout, catalog: pgCatalogReader(db) }
  )
  return result.findings
}

const summary = (findings: Finding[]): string[] => findings.map((f) => `${f.rule} ${f.risk}`)

/** Runs the statements in a transaction that is rolled back, and returns what `inspect` saw before the rollback. */
async function inTransaction<T>(statements: string[], inspect: () => Promise<T>): Promise<T> {
  await db.query('BEGIN')
  try {
    for (const statement of statements) await db.query(statement)
    return await inspect()
  } finally {
    await db.query('ROLLBACK')
  }
}

const locksHeld = async (): Promise<string[]> =>
  (
    await db.query<{ l: string }>(
      `SELECT relation::regclass::text || ' ' || mode AS l FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation::regclass::text IN ('owners', 'documents', 'events', 'events_2024') ORDER BY 1`
    )
  ).rows.map((r) => r.l)

const filenode = async (table: string): Promise<string> => (await db.query<{ f: string }>(`SELECT pg_relation_filenode($1::regclass)::text AS f`, [table])).rows[0].f

describeWithDatabase('lint misses closed (issue 17), against a database whose tables hold rows', () => {
  it('ADD COLUMN … REFERENCES is a foreign key added without NOT VALID: the server locks the referenced table too; ADD COLUMN then ADD CONSTRAINT … NOT VALID is not flagged and validates nothing', async () => {
    const statement = 'ALTER TABLE documents ADD COLUMN editor_id bigint REFERENCES owners (id)'
    const findings = (await lint([`${statement};`])).filter((f) => f.rule === 'constraint-missing-not-valid')
    expect(findings.map((f) => [f.risk, f.message])).toEqual([
      [
        'medium',
        'adds column documents.editor_id with a foreign key to owners, validating every row under lock; it also locks owners against writes (SHARE ROW EXCLUSIVE) until it commits'
      ]
    ])
    expect(await inTransaction([statement], locksHeld)).toEqual(expect.arrayContaining(['documents AccessExclusiveLock', 'owners ShareRowExclusiveLock']))

    const notValid = 'ALTER TABLE documents ADD COLUMN editor_id bigint, ADD CONSTRAINT documents_editor_fk FOREIGN KEY (editor_id) REFERENCES owners (id) NOT VALID'
    expect(summary(await lint([`${notValid};`]))).toEqual(['new-nullable-column low'])
    const validated = await inTransaction([notValid], async () => (await db.query(`SELECT convalidated FROM pg_constraint WHERE conname = 'documents_editor_fk'`)).rows)
    expect(validated).toEqual([{ convalidated: false }])
  })

  it('NOT VALID then VALIDATE CONSTRAINT in the same migration: flagged on the VALIDATE; the server still holds the ADD’s ACCESS EXCLUSIVE lock while it validates', async () => {
    const add = 'ALTER TABLE documents ADD CONSTRAINT documents_title_nn CHECK (title IS NOT NULL) NOT VALID'
    const validate = 'ALTER TABLE documents VALIDATE CONSTRAINT documents_title_nn'
    const findings = await lint([`${add};\n${validate};`])
    expect(findings.filter((f) => f.rule === 'validate-in-same-transaction').map((f) => [f.line, f.risk])).toEqual([[2, 'medium']])
    expect(await inTransaction([add, validate], locksHeld)).toContain('documents AccessExclusiveLock')
    // In two migrations (two transactions) the VALIDATE alone takes SHARE UPDATE EXCLUSIVE: not flagged.
    expect((await lint([`${add};`, `${validate};`])).filter((f) => f.rule === 'validate-in-same-transaction')).toEqual([])
    await db.query(add)
    try {
      expect(await inTransaction([validate], locksHeld)).toEqual(['documents ShareUpdateExclusiveLock'])
    } finally {
      await db.query('ALTER TABLE documents DROP CONSTRAINT documents_title_nn')
    }
  })

  it('a column added to an existing table earlier in the pending set, then SET NOT NULL or ALTER TYPE: flagged; the server fails the first and rewrites for the second', async () => {
    const findings = await lint([
      'ALTER TABLE documents ADD COLUMN slug text;',
      'ALTER TABLE documents ALTER COLUMN slug SET NOT NULL;',
      'ALTER TABLE documents ADD COLUMN n int;\nALTER TABLE documents ALTER COLUMN n TYPE bigint;'
    ])
    expect(findings.filter((f) => f.rule !== 'new-nullable-column').map((f) => [f.revision, f.rule, f.risk, f.message])).toEqual([
      [
        '0002',
        'set-not-null',
        'high',
        'sets documents.slug NOT NULL, a column added earlier in the pending set without a default to a table that already existed: the table has rows, all NULL in it, so the statement fails'
      ],
      [
        '0003',
        'change-column-type',
        'high',
        'changes the type of documents.n from int4 to int8, a column added earlier in the pending set to a table that already existed: every row is rewritten (add it with its final type instead)'
      ]
    ])
    const failure = await inTransaction(['ALTER TABLE documents ADD COLUMN slug text'], () =>
      db.query('ALTER TABLE documents ALTER COLUMN slug SET NOT NULL').then(
        () => 'accepted',
        (error: Error) => error.message
      )
    )
    expect(failure).toBe('column "slug" of relation "documents" contains null values')
    const before = await filenode('documents')
    expect(await inTransaction(['ALTER TABLE documents ADD COLUMN n int', 'ALTER TABLE documents ALTER COLUMN n TYPE bigint'], () => filenode('documents'))).not.toBe(before)
    // On a table created in the pending set there are no rows: neither is flagged.
    const created = await lint([
      'CREATE TABLE fresh (id int);\nALTER TABLE fresh ADD COLUMN slug text;\nALTER TABLE fresh ALTER COLUMN slug SET NOT NULL, ALTER COLUMN slug TYPE varchar(10);'
    ])
    expect(created.filter((f) => f.rule === 'set-not-null' || f.rule === 'change-column-type')).toEqual([])
  })

  it('option values: REINDEX (CONCURRENTLY false) is a plain REINDEX (it runs in a transaction block), VACUUM (FULL false) is no VACUUM FULL (no rewrite)', async () => {
    const findings = await lint(['REINDEX (CONCURRENTLY false) TABLE documents;', 'VACUUM (FULL false) documents;', 'VACUUM (FULL true) owners;'])
    expect(findings.map((f) => [f.revision, f.rule, f.risk])).toEqual([
      ['0001', 'reindex-not-concurrent', 'medium'],
      ['0003', 'vacuum-full', 'high']
    ])
    expect(await inTransaction(['REINDEX (CONCURRENTLY false) TABLE documents'], async () => 'ran in a transaction block')).toBe('ran in a transaction block')
    const documents = await filenode('documents')
    const owners = await filenode('owners')
    await db.query('VACUUM (FULL false) documents')
    await db.query('VACUUM (FULL true) owners')
    expect(await filenode('documents')).toBe(documents)
    expect(await filenode('owners')).not.toBe(owners)
  })

  it('DETACH PARTITION without CONCURRENTLY: flagged; the server takes ACCESS EXCLUSIVE on the parent and the partition', async () => {
    const statement = 'ALTER TABLE events DETACH PARTITION events_2024'
    expect((await lint([`${statement};`])).map((f) => [f.rule, f.risk, f.message])).toEqual([
      ['detach-partition-not-concurrent', 'medium', 'detaches partition events_2024 from events under an ACCESS EXCLUSIVE lock on both']
    ])
    expect(await inTransaction([statement], locksHeld)).toEqual(['events AccessExclusiveLock', 'events_2024 AccessExclusiveLock'])
    expect(await lint([`${statement} CONCURRENTLY;`])).toEqual([])
  })

  it('ALTER DOMAIN … ADD CONSTRAINT without NOT VALID: flagged with the columns the server checks, under a lock that blocks writes to their tables', async () => {
    const statement = 'ALTER DOMAIN doc_status ADD CONSTRAINT doc_status_known CHECK (VALUE IN (1, 2))'
    expect((await lint([`${statement};`])).map((f) => [f.rule, f.risk, f.message])).toEqual([
      [
        'constraint-missing-not-valid',
        'medium',
        'adds check constraint doc_status_known to domain doc_status, validating every row of documents.status under a lock that blocks writes'
      ]
    ])
    expect(await inTransaction([statement], locksHeld)).toContain('documents ShareLock')
    // A row that breaks it makes the server say which column it checked.
    await db.query('UPDATE documents SET status = 3 WHERE id = 1')
    try {
      await expect(db.query(statement)).rejects.toThrow('column "status" of table "documents" contains values that violate the new constraint')
    } finally {
      await db.query('UPDATE documents SET status = 1 WHERE id = 1')
    }
    expect(await lint([`${statement} NOT VALID;`])).toEqual([])
  })

  it('LOCK TABLE and REFRESH MATERIALIZED VIEW take locks: with lock-timeout 0 and none set in the file, missing-lock-timeout', async () => {
    const lockTable = await lint(['LOCK TABLE documents IN SHARE MODE;'], '0')
    expect(summary(lockTable)).toEqual(['missing-lock-timeout medium'])
    expect(lockTable[0].table).toMatch(/^table documents: ~100 rows/)
    expect(summary(await lint(['REFRESH MATERIALIZED VIEW document_stats;'], '0'))).toEqual(['missing-lock-timeout medium'])
    expect(await lint(["SET lock_timeout = '2s';\nLOCK TABLE documents IN SHARE MODE;\nREFRESH MATERIALIZED VIEW document_stats;"], '0')).toEqual([])
  })
})

describeWithDatabase('lint noise removed (issue 17), against a database whose tables hold rows', () => {
  it('ADD COLUMN … SERIAL has its default: no "NOT NULL without a default" (the server fills every row); the rewrite is still said', async () => {
    const statement = 'ALTER TABLE documents ADD COLUMN seq serial NOT NULL'
    expect(summary(await lint([`${statement};`]))).toEqual(['volatile-default high'])
    const before = await filenode('documents')
    const after = await inTransaction([statement], async () => [
      await filenode('documents'),
      (await db.query('SELECT count(*)::int AS n FROM documents WHERE seq IS NULL')).rows[0].n
    ])
    expect(after).toEqual([expect.not.stringMatching(`^${before}$`), 0])
  })

  it('BEGIN; BEGIN; COMMIT is one finding, the nested BEGIN: the server only warns, and the one COMMIT ends the transaction', async () => {
    expect((await lint(['BEGIN;\nBEGIN;\nCOMMIT;\n'])).map((f) => [f.rule, f.line])).toEqual([['unbalanced-transaction', 2]])
    const notices: string[] = []
    const onNotice = (n: { message?: string }): number => notices.push(n.message ?? '')
    db.on('notice', onNotice)
    try {
      await db.query('BEGIN')
      await db.query('BEGIN')
      await db.query('COMMIT')
      expect((await db.query<{ s: string }>('SELECT now() = statement_timestamp() AS s')).rows).toEqual([{ s: true }])
    } finally {
      db.off('notice', onNotice)
    }
    expect(notices).toEqual(['there is already a transaction in progress'])
  })

  it('REINDEX SYSTEM is not advised CONCURRENTLY: the server refuses it for system catalogs', async () => {
    expect((await lint(['REINDEX SYSTEM;'])).filter((f) => f.rule === 'reindex-not-concurrent')).toEqual([])
    const database = (await db.query<{ d: string }>('SELECT current_database() AS d')).rows[0].d
    await expect(db.query(`REINDEX SYSTEM CONCURRENTLY ${database}`)).rejects.toThrow('cannot reindex system catalogs concurrently')
  })
})

describeWithDatabase('BEGIN; CREATE INDEX CONCURRENTLY …; COMMIT; through the pipeline', () => {
  let dir: MigrationDir
  afterEach(() => dir?.cleanup())

  const run = (target: string, inputs: Partial<Record<InputName, string>> = {}) => {
    const all: Partial<Record<InputName, string>> = { 'database-url': target, 'migrations-path': dir.dir, engine: 'sql', extensions: '', ...inputs }
    return runPipeline((name) => all[name], { log: silentLogger(), env: {} })
  }

  it('is a critical finding that blocks by default; with the gate off, the plan says it cannot run and nothing of the run is applied or left dirty', async () => {
    const target = await createTestDatabase('pgma_hazard')
    dir = new MigrationDir().write({
      '0001_items.sql': 'CREATE TABLE items (id int);\n',
      '0002_index.sql': 'BEGIN;\nCREATE INDEX CONCURRENTLY items_id_idx ON items (id);\nCOMMIT;\n'
    })
    const blocked = await run(target.url)
    expect(blocked.report.status).toBe('failure')
    expect(blocked.report.lint?.result.findings.filter((f) => f.risk === 'critical').map((f) => [f.rule, f.revision, f.line])).toEqual([
      ['refused-in-transaction-block', '0002', 2]
    ])

    const plan = await run(target.url, { mode: 'plan', 'fail-on-risk': 'none' })
    const planned = renderReport(plan.report)
    expect(planned).toContain('Cannot run as written')
    expect(planned).not.toMatch(/Runs outside a transaction/)

    const applied = await run(target.url, { 'fail-on-risk': 'none' })
    expect(applied.report.status).toBe('failure')
    expect(applied.report.apply?.runs.map((r) => [r.id, r.status])).toEqual([
      ['0001', 'not-run'],
      ['0002', 'failed']
    ])
    const client = await connectClient(target.url)
    try {
      const state = await client.query(`SELECT to_regclass('items') AS items, to_regclass('items_id_idx') AS idx, to_regclass('pg_migrate_history') AS history`)
      expect(state.rows).toEqual([{ items: null, idx: null, history: null }])
    } finally {
      await client.end()
    }
  })
})
