import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('ivfflat-on-empty-table', () => {
  it('flags IVFFlat on a table that the catalog says is empty', async () => {
    const found = findingsOf(
      await lintSql(['CREATE INDEX CONCURRENTLY a ON chunks USING ivfflat (e vector_l2_ops) WITH (lists = 100);'], { tables: { chunks: { hasRows: false } } }),
      'ivfflat-on-empty-table'
    )
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/chunks, which is empty/)
  })
  it('does not flag IVFFlat on a table with rows, or HNSW', async () => {
    const found = findingsOf(
      await lintSql(['CREATE INDEX CONCURRENTLY a ON chunks USING ivfflat (e vector_l2_ops);\nCREATE TABLE t (e vector(3));\nCREATE INDEX b ON t USING hnsw (e vector_l2_ops);'], {
        tables: { chunks: { hasRows: true } }
      }),
      'ivfflat-on-empty-table'
    )
    expect(found).toHaveLength(0)
  })
})
