import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('cluster', () => {
  it('flags CLUSTER', async () => {
    const found = findingsOf(await lintSql(['CLUSTER chunks USING chunks_pkey;']), 'cluster')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/rewrites chunks with CLUSTER/)
  })
  it('does not flag ALTER TABLE \u2026 CLUSTER ON (only marks the index)', async () => {
    const found = findingsOf(await lintSql(['ANALYZE chunks;']), 'cluster')
    expect(found).toHaveLength(0)
  })
})
