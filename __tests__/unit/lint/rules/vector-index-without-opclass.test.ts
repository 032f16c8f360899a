import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('vector-index-without-opclass', () => {
  it('flags a vector index without an operator class', async () => {
    const found = findingsOf(await lintSql(['CREATE INDEX CONCURRENTLY a ON chunks USING ivfflat (embedding) WITH (lists = 10);']), 'vector-index-without-opclass')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/default operator class/)
  })
  it('does not flag a btree index without one', async () => {
    const found = findingsOf(await lintSql(['CREATE INDEX CONCURRENTLY a ON chunks (document_id);']), 'vector-index-without-opclass')
    expect(found).toHaveLength(0)
  })
})
