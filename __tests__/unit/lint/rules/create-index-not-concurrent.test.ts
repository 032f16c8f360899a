import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('create-index-not-concurrent', () => {
  it('flags CREATE INDEX on an existing table', async () => {
    const found = findingsOf(await lintSql(['CREATE UNIQUE INDEX documents_slug ON documents (slug);']), 'create-index-not-concurrent')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/builds index documents_slug on documents/)
  })
  it('does not flag CONCURRENTLY, a new table, or a vector index (own rule)', async () => {
    const found = findingsOf(
      await lintSql([
        'CREATE INDEX CONCURRENTLY a ON documents (slug);\nCREATE TABLE t (a int);\nCREATE INDEX b ON t (a);\nCREATE INDEX CONCURRENTLY c ON chunks USING hnsw (e vector_l2_ops);\nCREATE INDEX d ON chunks USING hnsw (e vector_l2_ops);'
      ]),
      'create-index-not-concurrent'
    )
    expect(found).toHaveLength(0)
  })
})
