import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('vacuum-full', () => {
  it('flags VACUUM FULL', async () => {
    const found = findingsOf(await lintSql(['VACUUM FULL chunks;']), 'vacuum-full')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/VACUUM FULL on chunks/)
  })
  it('does not flag plain VACUUM or ANALYZE', async () => {
    const found = findingsOf(await lintSql(['VACUUM (ANALYZE) chunks;\nANALYZE chunks;']), 'vacuum-full')
    expect(found).toHaveLength(0)
  })
  it('reads the value of FULL: (FULL false) is a plain VACUUM, (FULL true) and (FULL, ANALYZE) are VACUUM FULL', async () => {
    const found = findingsOf(
      await lintSql(['VACUUM (FULL false) chunks;\nVACUUM (FULL off, ANALYZE) chunks;\nVACUUM (FULL true) chunks;\nVACUUM (FULL, ANALYZE) chunks;']),
      'vacuum-full'
    )
    expect(found.map((f) => f.line)).toEqual([3, 4])
  })
})
