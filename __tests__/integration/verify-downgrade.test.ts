import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { InputName } from '../../src/inputs.js'
import { silentLogger } from '../../src/logger.js'
import { runPipeline } from '../../src/pipeline/index.js'
import { renderReport } from '../../src/report/render.js'
import { PYTHON, STACKS, removeProjects, useStack, writeProject } from '../support/alembic-project.js'
import { describeEachNeeding } from '../support/capabilities.js'
import { createTestDatabase, describeWithAnyDatabase, dropTestDatabases, withClient } from '../support/database.js'
import { MigrationDir } from '../support/sql-engine.js'

/** verify-downgrade through the pipeline, against the real server and real Alembic. */

let url: string
let dir: MigrationDir
beforeEach(async () => {
  url = (await createTestDatabase('pgma_verify')).url
  dir = new MigrationDir()
})
afterEach(() => dir.cleanup())
afterAll(() => dropTestDatabases())

function run(inputs: Partial<Record<InputName, string>> = {}) {
  const all: Partial<Record<InputName, string>> = { 'database-url': url, 'migrations-path': dir.dir, extensions: 'vector', 'verify-downgrade': 'pending', ...inputs }
  return runPipeline((name) => all[name], { log: silentLogger(), env: process.env })
}

const dbmate = (up: string, down?: string): string => `-- migrate:up\n${up}\n${down === undefined ? '' : `\n-- migrate:down\n${down}\n`}`

const DOCUMENTS = dbmate(
  'CREATE TABLE documents (id bigint PRIMARY KEY, title text NOT NULL, embedding vector(3));\nCREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_cosine_ops) WITH (m = 16);\nCREATE INDEX documents_title_idx ON documents (title);',
  'DROP TABLE documents;'
)

describeWithAnyDatabase('verify-downgrade, SQL chains', () => {
  it('passes a chain whose down sections undo their upgrades, and leaves the database at head', async () => {
    dir.write({
      '0001_documents.sql': DOCUMENTS,
      '0002_chunks.sql': dbmate(
        'CREATE TABLE chunks (id serial PRIMARY KEY, document_id bigint REFERENCES documents (id), body text);\nALTER TABLE documents ADD COLUMN summary text;',
        'ALTER TABLE documents DROP COLUMN summary;\nDROP TABLE chunks;'
      )
    })
    const outcome = await run()
    expect(outcome.report.error).toBeUndefined()
    expect(outcome.report.status).toBe('success')
    expect(outcome.report.verifyDowngrade).toEqual(expect.objectContaining({ status: 'passed', scope: 'pending', revisions: ['0001', '0002'] }))
    expect(outcome.report.verifyDowngrade!.steps.map((s) => `${s.direction} ${s.revision}`)).toEqual([
      'down 0002',
      'down 0001',
      'up 0001',
      'down 0001',
      'up 0001',
      'up 0002',
      'down 0002',
      'up 0002'
    ])
    const stages = outcome.report.stages.map((s) => s.name)
    expect(stages.slice(stages.indexOf('snapshot'))).toEqual(['snapshot', 'apply', 'schema change', 'verify downgrade'])
    expect(await withClient(url, async (c) => (await c.query(`SELECT version FROM pg_migrate_history ORDER BY version`)).rows.map((r) => r.version))).toEqual(['0001', '0002'])
    expect(renderReport(outcome.report)).toContain('### Down-migration round trip (pending)')
  })

  it.each([
    ['a forgotten column', 'ALTER TABLE documents ADD COLUMN summary text;', 'SELECT 1;', ['+ column public.documents.summary: text']],
    [
      'a dropped wrong index',
      'CREATE INDEX documents_id_title_idx ON documents (id, title);',
      'DROP INDEX documents_title_idx;',
      [
        '+ index public.documents_id_title_idx on documents: CREATE INDEX documents_id_title_idx ON public.documents USING btree (id, title)',
        '- index public.documents_title_idx on documents: CREATE INDEX documents_title_idx ON public.documents USING btree (title)'
      ]
    ],
    [
      'a vector column restored with another dimension',
      'DROP INDEX documents_embedding_idx;\nALTER TABLE documents ALTER COLUMN embedding TYPE vector(5) USING NULL;',
      'ALTER TABLE documents ALTER COLUMN embedding TYPE vector(4) USING NULL;\nCREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_cosine_ops) WITH (m = 16);',
      ['- column public.documents.embedding: vector(3)', '+ column public.documents.embedding: vector(4)']
    ],
    [
      'an HNSW index restored with another operator class',
      'DROP INDEX documents_embedding_idx;\nCREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_l2_ops);',
      'DROP INDEX documents_embedding_idx;\nCREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_ip_ops) WITH (m = 16);',
      [
        `- index public.documents_embedding_idx on documents: CREATE INDEX documents_embedding_idx ON public.documents USING hnsw (embedding vector_cosine_ops) WITH (m='16')`,
        `+ index public.documents_embedding_idx on documents: CREATE INDEX documents_embedding_idx ON public.documents USING hnsw (embedding vector_ip_ops) WITH (m='16')`
      ]
    ]
  ])('fails on %s, naming the migration and showing the diff', async (_what, up, down, diff) => {
    dir.write({ '0001_documents.sql': DOCUMENTS, '0002_change.sql': dbmate(up, down) })
    const outcome = await run()
    expect(outcome.report.status).toBe('failure')
    expect(outcome.report.error).toEqual(expect.objectContaining({ stage: 'verify downgrade', code: 'downgrade-mismatch' }))
    expect(outcome.report.error!.location).toEqual({ revision: '0002', file: expect.stringMatching(/migrations\/0002_change\.sql$/) })
    expect(outcome.report.error!.message).toMatch(/^verify-downgrade: The down step of 0002 does not restore the schema its upgrade started from \(\d differences?\)\.$/)
    expect(outcome.report.verifyDowngrade!.diff).toBe(diff.join('\n'))
    const summary = renderReport(outcome.report)
    expect(summary).toContain('```diff\n' + diff.join('\n') + '\n```')
  })

  it('runs a down section that cannot run in a transaction block statement by statement, and says what stayed when it fails', async () => {
    dir.write({
      '0001_documents.sql': DOCUMENTS,
      '0002_concurrently.sql': dbmate(
        'CREATE INDEX CONCURRENTLY documents_id_title_idx ON documents (id, title);',
        'DROP INDEX CONCURRENTLY documents_id_title_idx;\nDROP INDEX CONCURRENTLY documents_missing_idx;'
      )
    })
    const outcome = await run()
    expect(outcome.report.error).toEqual(expect.objectContaining({ stage: 'verify downgrade', code: 'downgrade-failed', location: expect.objectContaining({ revision: '0002' }) }))
    expect(outcome.report.error!.message).toMatch(
      /^verify-downgrade: The down step of 0002 failed: the down section of \S+0002_concurrently\.sql failed at line 6: index "documents_missing_idx" does not exist; it ran outside a transaction, so the statements before it stay applied$/
    )
    const left = await withClient(url, async (c) => ({
      versions: (await c.query(`SELECT version FROM pg_migrate_history ORDER BY version`)).rows.map((r) => r.version),
      index: (await c.query(`SELECT to_regclass('documents_id_title_idx') AS index`)).rows[0].index
    }))
    expect(left).toEqual({ versions: ['0001', '0002'], index: null })
    // Still recorded, so not upgraded again; the summary says the index is gone, as the catalog does.
    expect(renderReport(outcome.report)).toContain(
      '**Database state:** 2 revisions, `0001` → `0002`, committed in this run; now at `0002`. The round trip stopped: the database records every revision the apply left, and the schema differs from the one the apply produced: index public.documents_id_title_idx on documents removed.'
    )
  })

  it('reports a migration without a down section as irreversible, a finding rather than a failure, and ends at head', async () => {
    dir.write({
      '0001_documents.sql': 'CREATE TABLE documents (id bigint PRIMARY KEY, title text);\n',
      '0002_summary.sql': dbmate('ALTER TABLE documents ADD COLUMN summary text;', 'ALTER TABLE documents DROP COLUMN summary;')
    })
    const outcome = await run()
    expect(outcome.report.status).toBe('success')
    expect(outcome.report.verifyDowngrade).toEqual(expect.objectContaining({ status: 'irreversible', revision: '0001' }))
    expect(outcome.report.verifyDowngrade!.problem).toMatch(
      /^0001 cannot be downgraded: .*0001_documents\.sql has no down section .*verify-downgrade stopped there; the revisions below it were not checked\.$/
    )
    expect(outcome.report.verifyDowngrade!.steps.map((s) => `${s.direction} ${s.revision} ${s.outcome.status}`)).toEqual(['down 0002 ok', 'down 0001 irreversible', 'up 0002 ok'])
    expect(await withClient(url, async (c) => (await c.query(`SELECT version FROM pg_migrate_history ORDER BY version`)).rows.map((r) => r.version))).toEqual(['0001', '0002'])
    expect(
      await withClient(url, async (c) =>
        (await c.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'documents'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`)).rows.map((r) => r.attname)
      )
    ).toEqual(['id', 'title', 'summary'])
    expect(outcome.report.stages.at(-1)).toEqual(expect.objectContaining({ name: 'verify downgrade', status: 'warning' }))
  })

  it('refuses a database that had applied migrations before this run, unless allow-destructive-verify is true', async () => {
    dir.write({ '0001_documents.sql': DOCUMENTS })
    expect((await run({ 'verify-downgrade': 'none' })).report.status).toBe('success')
    dir.write({ '0002_summary.sql': dbmate('ALTER TABLE documents ADD COLUMN summary text;', 'ALTER TABLE documents DROP COLUMN summary;') })
    const refused = await run()
    expect(refused.report.error).toEqual(expect.objectContaining({ stage: 'snapshot', code: 'verify-target-not-disposable', location: { input: 'verify-downgrade' } }))
    expect(refused.report.error!.message).toContain('the database already had 1 applied migration(s) before this run (at 0001)')
    expect(refused.report.apply).toBeUndefined()

    const allowed = await run({ 'allow-destructive-verify': 'true' })
    expect(allowed.report.status).toBe('success')
    expect(allowed.report.verifyDowngrade).toEqual(expect.objectContaining({ status: 'passed', revisions: ['0002'] }))
  })

  it('refuses a database holding migrations recorded in another history table, and drops nothing', async () => {
    // The issue's case: the same chain first applied with another history-table, 1,000 rows written since.
    dir.write({
      '0001_items.sql': dbmate(
        'CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY);\nINSERT INTO items SELECT generate_series(1, 1000) ON CONFLICT DO NOTHING;',
        'DROP TABLE items;'
      )
    })
    expect((await run({ 'verify-downgrade': 'none', 'history-table': 'app_history' })).report.status).toBe('success')

    const refused = await run({ 'verify-downgrade': 'all' })
    expect(refused.report.error).toEqual(expect.objectContaining({ stage: 'snapshot', code: 'verify-target-not-disposable' }))
    expect(refused.report.error!.message).toContain('the database is not empty: it holds 2 tables (public.app_history, a migration history table; public.items)')
    expect(refused.report.apply).toBeUndefined()
    expect(await withClient(url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM items`)).rows[0].n)).toBe(1000)
    expect(await withClient(url, async (c) => (await c.query(`SELECT to_regclass('pg_migrate_history') AS t`)).rows[0].t)).toBeNull()
  })

  it('refuses a database that holds tables no migration created', async () => {
    await withClient(url, (c) => c.query(`CREATE SCHEMA sales; CREATE TABLE sales.customers (id int); INSERT INTO sales.customers VALUES (1)`))
    dir.write({ '0001_documents.sql': DOCUMENTS })
    const refused = await run()
    expect(refused.report.error).toEqual(expect.objectContaining({ stage: 'snapshot', code: 'verify-target-not-disposable' }))
    expect(refused.report.error!.message).toContain('the database is not empty: it holds 1 table (sales.customers)')
    expect(refused.report.apply).toBeUndefined()
  })

  it('decides on the address the host resolves to: 127.0.0.1 spelled as a number is loopback', async () => {
    dir.write({ '0001_documents.sql': DOCUMENTS })
    for (const host of ['2130706433', '0x7f000001']) {
      const numeric = new URL(url)
      numeric.hostname = host
      const outcome = await run({ 'database-url': numeric.toString() })
      expect(outcome.report.error).toBeUndefined()
      expect(outcome.report.verifyDowngrade).toEqual(expect.objectContaining({ status: 'passed' }))
      await withClient(url, (c) => c.query(`DROP TABLE documents, pg_migrate_history`))
    }
  })
})

describeEachNeeding(['database'], STACKS.slice(0, 1), 'verify-downgrade, Alembic ($name)', (stack) => {
  let restore: () => void
  beforeEach(() => {
    restore = useStack(stack)
  })
  afterEach(() => {
    restore()
    removeProjects()
  })

  describe('round trip through alembic downgrade', () => {
    const create = 'op.create_table("items", sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.Text))'

    it('passes a chain with correct downgrades', async () => {
      const project = writeProject({
        revisions: [
          { id: 'a1', down: null, message: 'items', upgrade: [create], downgrade: ['op.drop_table("items")'] },
          {
            id: 'b2',
            down: 'a1',
            message: 'unique code',
            upgrade: ['op.create_unique_constraint("items_code_key", "items", ["code"])'],
            downgrade: ['op.drop_constraint("items_code_key", "items", type_="unique")']
          }
        ]
      })
      const outcome = await run({ 'migrations-path': project, python: PYTHON, extensions: '' })
      expect(outcome.report.error).toBeUndefined()
      expect(outcome.report.verifyDowngrade).toEqual(expect.objectContaining({ status: 'passed', revisions: ['a1', 'b2'] }))
    })

    it('names the revision whose autogenerated op.drop_constraint(None, …) fails on downgrade', async () => {
      const project = writeProject({
        revisions: [
          { id: 'a1', down: null, message: 'items', upgrade: [create], downgrade: ['op.drop_table("items")'] },
          {
            id: 'b2',
            down: 'a1',
            message: 'unique code',
            upgrade: ['op.create_unique_constraint(None, "items", ["code"])'],
            downgrade: ['op.drop_constraint(None, "items", type_="unique")']
          }
        ]
      })
      const outcome = await run({ 'migrations-path': project, python: PYTHON, extensions: '' })
      expect(outcome.report.error).toEqual(expect.objectContaining({ stage: 'verify downgrade', code: 'downgrade-failed', location: expect.objectContaining({ revision: 'b2' }) }))
      expect(outcome.report.error!.message).toMatch(/^verify-downgrade: The down step of b2 failed: alembic downgrade b2@-1 failed: .+/)
    })
  })
})
