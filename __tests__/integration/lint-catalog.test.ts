import { afterAll, beforeAll, expect, it } from '@jest/globals'
import type pg from 'pg'
import { pgCatalogReader } from '../../src/lint/catalog.js'
import { lintPending } from '../../src/lint/lint.js'
import type { RelationRef } from '../../src/lint/ast.js'
import type { CatalogRequest } from '../../src/lint/schema-model.js'
import { missingReason } from '../support/capabilities.js'
import { connectClient, createTestDatabase, describeWithAnyDatabase, dropTestDatabases, itNeedingServer, PGLITE_LACKS } from '../support/database.js'
import { sqlRevision } from '../unit/lint/helpers.js'

/** The connected lint reads the live catalog: existence, rows, size and current column types. */

let client: pg.Client
const request = (tables: RelationRef[]): CatalogRequest => ({ tables, indexes: [], schemas: [], functions: [], cascades: [], domains: [] })
let url: string

beforeAll(async () => {
  if (missingReason(['database-or-pglite'])) return
  url = (await createTestDatabase('pgma_lintcat')).url
  client = await connectClient(url)
  await client.query(`CREATE EXTENSION IF NOT EXISTS vector;
    CREATE SCHEMA app;
    CREATE TABLE chunks (id bigint PRIMARY KEY, body text, embedding vector(3));
    INSERT INTO chunks SELECT g, repeat('x', 200), ARRAY[g, g, g]::vector FROM generate_series(1, 2000) g;
    ANALYZE chunks;
    CREATE TABLE app."Mixed Case" (e halfvec(8));
    CREATE TABLE fresh (e vector(3));
    INSERT INTO fresh VALUES ('[1,2,3]');`)
})

afterAll(async () => {
  await client?.end()
  await dropTestDatabases()
})

describeWithAnyDatabase('connected lint', () => {
  it('reads rows, size and column types of existing tables, quoted names too, and leaves out missing ones', async () => {
    const facts = (await pgCatalogReader(client).read(request([{ name: 'chunks' }, { schema: 'app', name: 'Mixed Case' }, { name: 'fresh' }, { name: 'nope' }]))).tables
    expect([...facts.keys()].sort()).toEqual(['app.Mixed Case', 'chunks', 'fresh'])
    const chunks = facts.get('chunks')!
    expect(chunks.estimatedRows).toBe(2000)
    expect(chunks.hasRows).toBe(true)
    expect(chunks.totalBytes).toBeGreaterThan(400_000)
    expect(chunks.columns.get('embedding')).toBe('vector(3)')
    expect(facts.get('app.Mixed Case')!.columns.get('e')).toBe('halfvec(8)')
    expect(facts.get('app.Mixed Case')!.hasRows).toBe(false)
    // Never analyzed: the estimate is unknown, but the table is known to have rows.
    expect(facts.get('fresh')!.estimatedRows).toBeUndefined()
    expect(facts.get('fresh')!.hasRows).toBe(true)
  })

  itNeedingServer(PGLITE_LACKS.sessions, 'does not wait for a table another session holds locked: it goes without its size and row probe', async () => {
    const other = await connectClient(url)
    try {
      await other.query('BEGIN; LOCK TABLE chunks IN ACCESS EXCLUSIVE MODE')
      const started = Date.now()
      const facts = (await pgCatalogReader(client).read(request([{ name: 'chunks' }]))).tables
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(facts.get('chunks')).toEqual(expect.objectContaining({ estimatedRows: 2000, totalBytes: undefined, hasRows: undefined }))
      expect(facts.get('chunks')!.columns.get('embedding')).toBe('vector(3)')
    } finally {
      await other.end()
    }
  })

  it('flags a vector dimension change on a populated table as critical, with the table size and both dimensions', async () => {
    const result = await lintPending([sqlRevision('0009', 'ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(1536);\n')], { engine: 'sql', catalog: pgCatalogReader(client) })
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'vector-dimension-change',
        risk: 'critical',
        line: 1,
        message: expect.stringContaining(
          'changes chunks.embedding from vector(3) to vector(1536); the table has rows, and each one fails the cast ("expected 1536 dimensions, not 3")'
        ),
        table: expect.stringMatching(/^table chunks: ~2\.0 k rows, \d+(\.\d)? kB$/)
      })
    ])
    // The server agrees: the change fails on these rows.
    await expect(client.query('ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(1536)')).rejects.toThrow(/expected 1536 dimensions, not 3/)
  })

  it('is high, not critical, when the table is empty', async () => {
    const result = await lintPending([sqlRevision('0009', 'ALTER TABLE app."Mixed Case" ALTER COLUMN e TYPE halfvec(16);\n')], { engine: 'sql', catalog: pgCatalogReader(client) })
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'vector-dimension-change', risk: 'high', message: expect.stringContaining('from halfvec(8) to halfvec(16); the table is empty now') })
    ])
  })
})
