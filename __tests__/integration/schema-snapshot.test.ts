import { afterAll, afterEach, beforeEach, expect, it } from '@jest/globals'
import type pg from 'pg'
import { diffSnapshots, formatDiff } from '../../src/verify/diff.js'
import { takeSnapshot } from '../../src/verify/snapshot.js'
import { connectClient, createTestDatabase, describeWithAnyDatabase, dropTestDatabases } from '../support/database.js'

/** Schema snapshots from the real catalogs, and the diffs a wrong down migration leaves. */

let url: string
beforeEach(async () => {
  url = (await createTestDatabase('pgma_snapshot')).url
})
afterAll(() => dropTestDatabases())

const BASE = `
  CREATE EXTENSION IF NOT EXISTS vector;
  CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE SEQUENCE ticket_seq START 100 INCREMENT 5;
  CREATE TABLE documents (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL DEFAULT 'untitled', mood mood, embedding vector(3));
  CREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
  CREATE INDEX documents_title_idx ON documents (title);
  CREATE TABLE chunks (id serial PRIMARY KEY, document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE, body text CHECK (length(body) > 0));
  CREATE VIEW titled AS SELECT id, title FROM documents WHERE title <> 'untitled';
  CREATE FUNCTION words(t text) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT array_length(regexp_split_to_array(t, '\\s+'), 1) $$;
  CREATE TABLE pg_migrate_history (version text PRIMARY KEY);`

const EXCLUDE = { exclude: [{ schema: 'public', table: 'pg_migrate_history' }] }

/** Snapshot, up, down, snapshot: what a round trip of one migration leaves behind. */
async function roundTrip(client: pg.Client, up: string, down: string): Promise<string> {
  const before = await takeSnapshot(client, EXCLUDE)
  await client.query(up)
  await client.query(down)
  return formatDiff(diffSnapshots(before, await takeSnapshot(client, EXCLUDE)))
}

describeWithAnyDatabase('schema snapshots', () => {
  let client: pg.Client
  beforeEach(async () => {
    client = await connectClient(url)
    await client.query(BASE)
  })
  afterEach(() => client.end())

  it('records every kind of object with the definition the server prints, bookkeeping tables left out', async () => {
    const snapshot = await takeSnapshot(client, EXCLUDE)
    expect(snapshot.get('column public.documents.embedding')).toBe('vector(3)')
    expect(snapshot.get('column public.documents.title')).toBe(`text not null default 'untitled'::text`)
    expect(snapshot.get('column public.documents.id')).toBe('bigint not null generated always as identity')
    expect(snapshot.get('index public.documents_embedding_idx on documents')).toBe(
      `CREATE INDEX documents_embedding_idx ON public.documents USING hnsw (embedding vector_cosine_ops) WITH (m='16', ef_construction='64')`
    )
    expect(snapshot.get('constraint public.chunks.chunks_document_id_fkey')).toBe('FOREIGN KEY (document_id) REFERENCES documents(id) ON DELETE CASCADE')
    expect(snapshot.get('constraint public.chunks.chunks_body_check')).toBe('CHECK ((length(body) > 0))')
    expect(snapshot.get('extension vector')).toMatch(/^version \d+\.\d+\.\d+ in schema public$/)
    expect(snapshot.get('enum public.mood')).toBe(`'sad', 'ok', 'happy'`)
    expect(snapshot.get('sequence public.ticket_seq')).toBe('bigint start 100 increment 5 min 1 max 9223372036854775807')
    // PostgreSQL 16 and later print a view's columns without their table's name (PGlite is 18).
    expect(snapshot.get('view public.titled')).toMatch(/WHERE (documents\.)?title <> 'untitled'::text/)
    expect(snapshot.get('function public.words(t text)')).toContain('CREATE OR REPLACE FUNCTION public.words(t text)')
    expect([...snapshot.keys()].filter((k) => k.includes('pg_migrate_history'))).toEqual([])
    // Nothing of pgvector's own functions and types: the extension's version stands for them.
    expect([...snapshot.keys()].filter((k) => k.includes('vector_'))).toEqual([])
    expect(diffSnapshots(snapshot, await takeSnapshot(client, EXCLUDE))).toEqual([])
  })

  it('a correct down migration leaves no difference', async () => {
    expect(
      await roundTrip(
        client,
        'ALTER TABLE documents ADD COLUMN summary text; CREATE INDEX documents_summary_idx ON documents (summary)',
        'DROP INDEX documents_summary_idx; ALTER TABLE documents DROP COLUMN summary'
      )
    ).toBe('')
  })

  it('catches a down migration that drops the wrong index', async () => {
    const diff = await roundTrip(client, 'CREATE INDEX chunks_document_idx ON chunks (document_id)', 'DROP INDEX documents_title_idx')
    expect(diff).toBe(
      [
        '+ index public.chunks_document_idx on chunks: CREATE INDEX chunks_document_idx ON public.chunks USING btree (document_id)',
        '- index public.documents_title_idx on documents: CREATE INDEX documents_title_idx ON public.documents USING btree (title)'
      ].join('\n')
    )
  })

  it('catches a forgotten column', async () => {
    // PostgreSQL 18 keeps a NOT NULL as a named constraint too, so the snapshot lists it as one.
    const notNullConstraints = Number((await client.query('SHOW server_version_num')).rows[0].server_version_num) >= 180000
    expect(await roundTrip(client, 'ALTER TABLE chunks ADD COLUMN tokens int NOT NULL DEFAULT 0', 'SELECT 1')).toBe(
      ['+ column public.chunks.tokens: integer not null default 0', ...(notNullConstraints ? ['+ constraint public.chunks.chunks_tokens_not_null: NOT NULL tokens'] : [])].join(
        '\n'
      )
    )
  })

  it('catches a vector column restored with another dimension', async () => {
    const diff = await roundTrip(
      client,
      'DROP INDEX documents_embedding_idx; ALTER TABLE documents ALTER COLUMN embedding TYPE vector(5) USING NULL',
      `ALTER TABLE documents ALTER COLUMN embedding TYPE vector(4) USING NULL; CREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)`
    )
    expect(diff).toBe(['- column public.documents.embedding: vector(3)', '+ column public.documents.embedding: vector(4)'].join('\n'))
  })

  it('catches an HNSW index restored with another operator class or other WITH options', async () => {
    const diff = await roundTrip(
      client,
      'DROP INDEX documents_embedding_idx; CREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_l2_ops)',
      'DROP INDEX documents_embedding_idx; CREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_ip_ops) WITH (m = 16)'
    )
    expect(diff).toBe(
      [
        `- index public.documents_embedding_idx on documents: CREATE INDEX documents_embedding_idx ON public.documents USING hnsw (embedding vector_cosine_ops) WITH (m='16', ef_construction='64')`,
        `+ index public.documents_embedding_idx on documents: CREATE INDEX documents_embedding_idx ON public.documents USING hnsw (embedding vector_ip_ops) WITH (m='16')`
      ].join('\n')
    )
  })

  it('catches changed enums, functions and constraints; a default set back as it was is no difference', async () => {
    const diff = await roundTrip(
      client,
      `ALTER TYPE mood ADD VALUE 'angry'; ALTER TABLE documents ALTER COLUMN title SET DEFAULT 'new'; ALTER TABLE chunks DROP CONSTRAINT chunks_body_check`,
      `ALTER TABLE documents ALTER COLUMN title SET DEFAULT 'untitled'; ALTER TABLE chunks ADD CONSTRAINT chunks_body_check CHECK (length(body) > 1); CREATE OR REPLACE FUNCTION words(t text) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 0 $$`
    )
    expect(diff.split('\n').filter((l) => !l.startsWith('- function') && !l.startsWith('+ function'))).toEqual([
      '- constraint public.chunks.chunks_body_check: CHECK ((length(body) > 0))',
      '+ constraint public.chunks.chunks_body_check: CHECK ((length(body) > 1))',
      `- enum public.mood: 'sad', 'ok', 'happy'`,
      `+ enum public.mood: 'sad', 'ok', 'happy', 'angry'`
    ])
    expect(diff).toMatch(/^- function public\.words\(t text\): .*regexp_split_to_array/m)
    expect(diff).toMatch(/^\+ function public\.words\(t text\): .*SELECT 0/m)
  })
})
