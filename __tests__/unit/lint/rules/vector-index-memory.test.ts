import { describe, expect, it } from '@jest/globals'
import type { VectorServer } from '../../../../src/vector/server.js'
import { findingsOf, lintSql } from '../helpers.js'

const server: VectorServer = {
  installed: '0.8.0',
  available: '0.8.0',
  maintenanceWorkMemKb: 64 * 1024,
  maintenanceWorkMemFrom: 'server',
  serverMaintenanceWorkMemKb: 64 * 1024,
  autoMaxKb: 2 * 1024 * 1024,
  maxParallelMaintenanceWorkers: 2,
  maxParallelMaintenanceWorkersFrom: 'server',
  maxParallelWorkers: 8,
  maxWorkerProcesses: 8
}
const chunks = (rows: number, type = 'vector(128)') => ({ chunks: { estimatedRows: rows, hasRows: rows > 0, columns: new Map([['embedding', type]]) } })
const HNSW = 'CREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_l2_ops);'

describe('vector-index-memory', () => {
  it('estimates an HNSW build from the rows and dimensions and names the setting that fits it', async () => {
    const [finding] = findingsOf(await lintSql(HNSW, { tables: chunks(200_000), server }), 'vector-index-memory')
    // 200,000 × (520-byte vector + 770 bytes of graph at m 16) ≈ 246 MB; with 10 % to spare, 271MB.
    expect(finding.message).toBe(
      "builds HNSW on chunks.embedding (vector(128)): its graph needs ~247 MB (200,000 rows × ~1,290 bytes (m 16)); maintenance_work_mem is 64MB (the server's), so the graph spills to disk part-way and the build slows down many times. Set the input maintenance-work-mem: 271MB (or auto) if the database server has that much memory free; the build may use 2 parallel workers (max_parallel_maintenance_workers, the server's)."
    )
    expect(finding.risk).toBe('medium')
  })

  it('prefers the counted rows to a stale estimate, and stays quiet when the build fits', async () => {
    const counted = { chunks: { ...chunks(200_000).chunks, countedRows: 1000 } }
    expect(findingsOf(await lintSql(HNSW, { tables: counted, server }), 'vector-index-memory')).toEqual([])
    expect(findingsOf(await lintSql(HNSW, { tables: chunks(10_000), server }), 'vector-index-memory')).toEqual([])
  })

  it('follows the maintenance-work-mem input, auto up to its cap, and a SET in the migration', async () => {
    const tables = chunks(200_000)
    const enough = { ...server, maintenanceWorkMemKb: 512 * 1024, maintenanceWorkMemFrom: 'input' as const }
    expect(findingsOf(await lintSql(HNSW, { tables, server: enough }), 'vector-index-memory')).toEqual([])
    const auto = { ...server, maintenanceWorkMemFrom: 'auto' as const, autoMaxKb: 128 * 1024 }
    expect(findingsOf(await lintSql(HNSW, { tables, server: auto }), 'vector-index-memory')[0].message).toContain(
      'maintenance-work-mem: auto stops at maintenance-work-mem-max 128MB, so the graph spills'
    )
    expect(findingsOf(await lintSql(HNSW, { tables, server: { ...server, maintenanceWorkMemFrom: 'auto' } }), 'vector-index-memory')).toEqual([])
    expect(findingsOf(await lintSql(`SET maintenance_work_mem = '1GB';\n${HNSW}`, { tables, server }), 'vector-index-memory')).toEqual([])
    expect(findingsOf(await lintSql(`SET maintenance_work_mem = '100MB';\n${HNSW}`, { tables, server }), 'vector-index-memory')[0]).toMatchObject({
      line: 2,
      message: expect.stringContaining('maintenance_work_mem is 100MB (set by the migration)')
    })
  })

  it('uses halfvec sizes, the index m, and says when parallel workers are limited', async () => {
    const halfvec = findingsOf(
      await lintSql('CREATE INDEX ON chunks USING hnsw ((embedding::halfvec(1536)) halfvec_cosine_ops) WITH (m = 32);', {
        tables: chunks(100_000, 'vector(1536)'),
        server: { ...server, maxParallelMaintenanceWorkers: 16, maxParallelMaintenanceWorkersFrom: 'input' }
      }),
      'vector-index-memory'
    )[0]
    // 100,000 × (3,080 + 258 + 32 × 32) bytes.
    expect(halfvec.message).toContain('(halfvec(1536)): its graph needs ~416 MB (100,000 rows × ~4,362 bytes (m 32))')
    expect(halfvec.message).toContain(
      'may use 16 parallel workers (max_parallel_maintenance_workers, the input), of which max_parallel_workers 8 / max_worker_processes 8 let 8 start'
    )
  })

  it('says an IVFFlat build fails when its k-means does not fit', async () => {
    const [finding] = findingsOf(
      await lintSql('CREATE INDEX ON chunks USING ivfflat (embedding vector_l2_ops) WITH (lists = 1000);', { tables: chunks(1_000_000, 'vector(1536)'), server }),
      'vector-index-memory'
    )
    // 50,000 samples × 6,152 bytes + 50,000 × 1,000 floats dominate.
    expect(finding.message).toMatch(/^builds IVFFLAT on chunks\.embedding \(vector\(1536\)\): its k-means needs ~(\d+) MB \(k-means over 50,000 sampled rows into 1,000 lists\)/)
    expect(finding.message).toContain('the build fails with "memory required is')
  })

  it('needs the live catalog: new tables, unknown rows and no server facts give no finding', async () => {
    expect(findingsOf(await lintSql(HNSW, { tables: chunks(200_000) }), 'vector-index-memory')).toEqual([])
    expect(findingsOf(await lintSql(['CREATE TABLE chunks (id int, embedding vector(128));', HNSW], { server }), 'vector-index-memory')).toEqual([])
    expect(findingsOf(await lintSql(HNSW, { tables: { chunks: { columns: new Map([['embedding', 'vector(128)']]) } }, server }), 'vector-index-memory')).toEqual([])
  })
})
