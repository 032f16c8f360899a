import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('reindex-not-concurrent', () => {
  it('flags REINDEX TABLE without CONCURRENTLY', async () => {
    const found = findingsOf(await lintSql(['REINDEX TABLE chunks;']), 'reindex-not-concurrent')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/rebuilds table chunks/)
  })
  it('does not flag REINDEX CONCURRENTLY', async () => {
    const found = findingsOf(await lintSql(['REINDEX INDEX CONCURRENTLY chunks_embedding_idx;']), 'reindex-not-concurrent')
    expect(found).toHaveLength(0)
  })
})
