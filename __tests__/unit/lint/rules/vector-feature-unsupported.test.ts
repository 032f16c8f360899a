import { describe, expect, it } from '@jest/globals'
import type { VectorServer } from '../../../../src/vector/server.js'
import { vectorVersionFailure } from '../../../../src/vector/version-gate.js'
import { findingsOf, lintSql } from '../helpers.js'

const at = (installed: string | undefined, available: string): VectorServer => ({ installed, available, maxParallelMaintenanceWorkers: 0 }) as unknown as VectorServer

describe('vector-feature-unsupported', () => {
  it('maps each feature to the version it came in', async () => {
    const sql = [
      'CREATE INDEX ON chunks USING hnsw (embedding vector_l2_ops);',
      'ALTER TABLE chunks ADD COLUMN small halfvec(3);',
      'CREATE TABLE s (e sparsevec(5));',
      'CREATE INDEX ON bits USING hnsw (b bit_hamming_ops);',
      'SELECT binary_quantize(embedding) FROM chunks;',
      "SET hnsw.iterative_scan = 'relaxed_order';",
      "ALTER DATABASE app SET ivfflat.iterative_scan = 'relaxed_order';",
      "SELECT set_config('hnsw.max_scan_tuples', '20000', false);"
    ].join('\n')
    const old = findingsOf(await lintSql(sql, { server: at('0.4.4', '0.4.4') }), 'vector-feature-unsupported')
    expect(old.map((f) => [f.line, f.message.slice(0, f.message.indexOf(','))])).toEqual([
      [1, 'uses HNSW indexes'],
      [2, 'uses the halfvec type'],
      [3, 'uses the sparsevec type'],
      [4, 'uses HNSW indexes'],
      [4, 'uses indexing bit vectors (bit_hamming_ops'],
      [5, 'uses binary_quantize'],
      [6, 'uses iterative index scans (hnsw.iterative_scan'],
      [7, 'uses iterative index scans (hnsw.iterative_scan'],
      [8, 'uses iterative index scans (hnsw.iterative_scan']
    ])
    expect(findingsOf(await lintSql(sql, { server: at('0.7.4', '0.7.4') }), 'vector-feature-unsupported').map((f) => f.line)).toEqual([6, 7, 8])
    expect(findingsOf(await lintSql(sql, { server: at('0.8.0', '0.8.0') }), 'vector-feature-unsupported')).toEqual([])
  })

  it('tells an extension that was never updated from a library that is too old', async () => {
    const [objects] = findingsOf(await lintSql('CREATE TABLE s (e halfvec(3));', { server: at('0.6.2', '0.8.0') }), 'vector-feature-unsupported')
    expect(objects.message).toBe(
      'uses the halfvec type, which needs pgvector 0.7.0 (https://github.com/pgvector/pgvector/blob/master/CHANGELOG.md#070-2024-04-29); the vector extension in this database is 0.6.2 while the server ships 0.8.0: run ALTER EXTENSION vector UPDATE first (by hand, or in a migration before this one)'
    )
    const [library] = findingsOf(await lintSql("SET hnsw.iterative_scan = 'strict_order';", { server: at('0.7.4', '0.7.4') }), 'vector-feature-unsupported')
    expect(library.message).toContain("the server's pgvector library is 0.7.4: upgrade the pgvector package on the server")
  })

  it('follows CREATE EXTENSION and ALTER EXTENSION … UPDATE in the pending set, across revisions', async () => {
    const server = at('0.6.2', '0.8.0')
    expect(findingsOf(await lintSql(['ALTER EXTENSION vector UPDATE;', 'CREATE TABLE s (e halfvec(3));'], { server }), 'vector-feature-unsupported')).toEqual([])
    expect(
      findingsOf(await lintSql(["ALTER EXTENSION vector UPDATE TO '0.6.2';", 'CREATE TABLE s (e halfvec(3));'], { server: at('0.5.0', '0.8.0') }), 'vector-feature-unsupported')
    ).toHaveLength(1)
    // Not created yet: CREATE EXTENSION gives the server's version.
    expect(findingsOf(await lintSql(['CREATE EXTENSION vector;', 'CREATE TABLE s (e halfvec(3));'], { server: at(undefined, '0.8.0') }), 'vector-feature-unsupported')).toEqual([])
    expect(
      findingsOf(await lintSql(["CREATE EXTENSION vector VERSION '0.6.0';", 'CREATE TABLE s (e halfvec(3));'], { server: at(undefined, '0.8.0') }), 'vector-feature-unsupported')
    ).toHaveLength(1)
  })

  it('stops the run whatever fail-on-risk and acknowledgements say, naming the statement', async () => {
    const result = await lintSql('-- pg-migrate:allow vector-feature-unsupported reason: we know\nCREATE TABLE s (e halfvec(3));', { server: at('0.6.2', '0.8.0') })
    const error = vectorVersionFailure(result.findings)!
    expect(error.code).toBe('vector-version-too-old')
    expect(error.message).toMatch(/^Stopped before anything was applied: db\/0001_m\.sql:2 uses the halfvec type/)
    expect(error.hint).toBe('Run ALTER EXTENSION vector UPDATE in this database (by hand, or in a migration before this one), and run the job again.')
    expect(vectorVersionFailure([])).toBeUndefined()
  })
})
