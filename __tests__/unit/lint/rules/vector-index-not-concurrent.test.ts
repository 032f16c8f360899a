import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('vector-index-not-concurrent', () => {
  it('flags a non-concurrent HNSW index on an existing table', async () => {
    const found = findingsOf(await lintSql(['CREATE INDEX chunks_e ON chunks USING hnsw (embedding vector_cosine_ops);']), 'vector-index-not-concurrent')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/builds hnsw index chunks_e on chunks while blocking writes/)
    expect(found[0].risk).toBe('high')
  })
  it('does not flag CONCURRENTLY or a table created in the pending set', async () => {
    const found = findingsOf(
      await lintSql([
        'CREATE INDEX CONCURRENTLY a ON chunks USING hnsw (embedding vector_cosine_ops);\nCREATE TABLE t (e vector(3));\nCREATE INDEX b ON t USING hnsw (e vector_cosine_ops);'
      ]),
      'vector-index-not-concurrent'
    )
    expect(found).toHaveLength(0)
  })
})
