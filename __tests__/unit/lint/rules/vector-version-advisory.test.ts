import { describe, expect, it } from '@jest/globals'
import type { VectorServer } from '../../../../src/vector/server.js'
import { advisoriesFor } from '../../../../src/vector/versions.js'
import { findingsOf, lintSql } from '../helpers.js'

const server = (version: string, workers = 2): VectorServer =>
  ({ installed: version, available: version, maxParallelMaintenanceWorkers: workers, maxParallelMaintenanceWorkersFrom: 'server' }) as unknown as VectorServer
const big = { chunks: { estimatedRows: 1_000_000, hasRows: true, totalBytes: 2 * 1024 ** 3, columns: new Map([['embedding', 'vector(128)']]) } }
const HNSW = 'CREATE INDEX ON chunks USING hnsw (embedding vector_l2_ops);'

describe('vector-version-advisory', () => {
  it('flags a parallel HNSW build on an affected version, with the advisory and its source', async () => {
    const [finding] = findingsOf(await lintSql(HNSW, { tables: big, server: server('0.8.0') }), 'vector-version-advisory')
    expect(finding.message).toBe(
      'builds HNSW on chunks with up to 2 parallel workers on pgvector 0.8.0, affected by CVE-2026-3172: buffer overflow in parallel HNSW index builds (can leak data of other relations or crash the server), fixed in 0.8.2 (https://github.com/pgvector/pgvector/issues/959): upgrade pgvector, or build without parallel workers (max-parallel-maintenance-workers: 0)'
    )
  })

  it('stays quiet for fixed or unaffected versions, without parallel workers, and for tables too small for them', async () => {
    for (const version of ['0.8.2', '0.5.1']) expect(findingsOf(await lintSql(HNSW, { tables: big, server: server(version) }), 'vector-version-advisory')).toEqual([])
    expect(findingsOf(await lintSql(HNSW, { tables: big, server: server('0.8.0', 0) }), 'vector-version-advisory')).toEqual([])
    expect(findingsOf(await lintSql(`SET max_parallel_maintenance_workers = 0;\n${HNSW}`, { tables: big, server: server('0.8.0') }), 'vector-version-advisory')).toEqual([])
    const small = { chunks: { ...big.chunks, totalBytes: 1024 * 1024 } }
    expect(findingsOf(await lintSql(HNSW, { tables: small, server: server('0.8.0') }), 'vector-version-advisory')).toEqual([])
    expect(findingsOf(await lintSql(['CREATE TABLE chunks (e vector(3));', HNSW], { server: server('0.8.0') }), 'vector-version-advisory')).toEqual([])
  })
})

describe('the advisory table', () => {
  it('knows which versions each advisory concerns', () => {
    expect(advisoriesFor('0.8.0').map((a) => a.id)).toEqual(['CVE-2026-3172', 'pgvector 0.8.3', 'pgvector 0.8.4', 'CVE-2026-18022'])
    expect(advisoriesFor('0.8.3').map((a) => a.id)).toEqual(['pgvector 0.8.4', 'CVE-2026-18022'])
    expect(advisoriesFor('0.5.1', 'hnsw-parallel-build')).toEqual([])
    expect(advisoriesFor('0.8.7')).toEqual([])
    expect(advisoriesFor(undefined)).toEqual([])
  })
})
