import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('vector-index-too-many-dimensions', () => {
  it('flags HNSW on vector(3072) from the pending set, and IVFFlat on a halfvec cast above 4000', async () => {
    const found = findingsOf(
      await lintSql([
        'CREATE TABLE c (e vector(3072));',
        'CREATE INDEX a ON c USING hnsw (e vector_cosine_ops);\nCREATE INDEX b ON c USING ivfflat ((e::halfvec(4096)) halfvec_l2_ops);'
      ]),
      'vector-index-too-many-dimensions'
    )
    expect(found).toHaveLength(2)
    expect(found[0].message).toMatch(/at most 2000 dimensions for vector/)
  })
  it('uses the live column type', async () => {
    const found = findingsOf(
      await lintSql(['CREATE INDEX CONCURRENTLY a ON chunks USING hnsw (embedding vector_l2_ops);'], { tables: { chunks: { columns: new Map([['embedding', 'vector(2001)']]) } } }),
      'vector-index-too-many-dimensions'
    )
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/vector\(2001\)/)
  })
  it('does not flag 2000 dimensions, a halfvec expression, or a btree', async () => {
    const found = findingsOf(
      await lintSql([
        'CREATE TABLE c (e vector(2000), f vector(3072));',
        'CREATE INDEX a ON c USING hnsw (e vector_l2_ops);\nCREATE INDEX b ON c USING hnsw ((f::halfvec(3072)) halfvec_l2_ops);\nCREATE INDEX d ON c (f);'
      ]),
      'vector-index-too-many-dimensions'
    )
    expect(found).toHaveLength(0)
  })
})
