import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('drop-index-not-concurrent', () => {
  it('flags DROP INDEX without CONCURRENTLY', async () => {
    const found = findingsOf(await lintSql(['DROP INDEX IF EXISTS public.documents_title_idx;']), 'drop-index-not-concurrent')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/drops index documents_title_idx/)
  })
  it('does not flag CONCURRENTLY or an index created in the pending set', async () => {
    const found = findingsOf(await lintSql(['DROP INDEX CONCURRENTLY a;', 'CREATE INDEX CONCURRENTLY b ON t (x);', 'DROP INDEX b;']), 'drop-index-not-concurrent')
    expect(found).toHaveLength(0)
  })
})
