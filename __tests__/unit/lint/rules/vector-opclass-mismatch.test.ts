import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('vector-opclass-mismatch', () => {
  it('flags vector ops on a halfvec column (live catalog) and halfvec ops on a vector column', async () => {
    const found = findingsOf(
      await lintSql(['CREATE INDEX CONCURRENTLY a ON chunks USING hnsw (embedding vector_cosine_ops);\nCREATE INDEX CONCURRENTLY b ON chunks USING hnsw (v halfvec_l2_ops);'], {
        tables: {
          chunks: {
            columns: new Map([
              ['embedding', 'halfvec(3)'],
              ['v', 'vector(3)']
            ])
          }
        }
      }),
      'vector-opclass-mismatch'
    )
    expect(found).toHaveLength(2)
    expect(found[0].message).toMatch(/halfvec\(3\)\) with vector_cosine_ops/)
  })
  it("does not flag a matching class, an expression cast to the class's type, or an unknown column type", async () => {
    const found = findingsOf(
      await lintSql([
        'CREATE TABLE t (e vector(3));\nCREATE INDEX a ON t USING hnsw (e vector_l2_ops);\nCREATE INDEX b ON t USING hnsw ((e::halfvec(3)) halfvec_l2_ops);\nCREATE INDEX CONCURRENTLY c ON other USING hnsw (x vector_l2_ops);'
      ]),
      'vector-opclass-mismatch'
    )
    expect(found).toHaveLength(0)
  })
})
