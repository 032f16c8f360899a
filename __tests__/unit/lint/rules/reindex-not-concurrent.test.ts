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
  it('reads the value of CONCURRENTLY: (CONCURRENTLY false) is a plain REINDEX, (CONCURRENTLY true) and (CONCURRENTLY on) are not', async () => {
    const found = findingsOf(
      await lintSql([
        'REINDEX (CONCURRENTLY false) TABLE chunks;\nREINDEX (CONCURRENTLY true) TABLE chunks;\nREINDEX (CONCURRENTLY on) INDEX chunks_pkey;\nREINDEX (VERBOSE) TABLE chunks;'
      ]),
      'reindex-not-concurrent'
    )
    expect(found.map((f) => [f.line, f.message])).toEqual([
      [1, 'rebuilds table chunks without CONCURRENTLY'],
      [4, 'rebuilds table chunks without CONCURRENTLY']
    ])
  })
  it('does not advise CONCURRENTLY where PostgreSQL refuses it: REINDEX SYSTEM and system catalogs', async () => {
    const found = findingsOf(await lintSql(['REINDEX SYSTEM;\nREINDEX TABLE pg_catalog.pg_class;\nREINDEX DATABASE;']), 'reindex-not-concurrent')
    expect(found.map((f) => f.line)).toEqual([3])
  })
})
