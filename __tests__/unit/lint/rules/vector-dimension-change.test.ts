import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('vector-dimension-change', () => {
  it("is high when the table's rows are unknown", async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(1536);']), 'vector-dimension-change')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/changes chunks\.embedding from its current type to vector\(1536\)/)
    expect(found[0].risk).toBe('high')
  })
  it('is critical when the catalog says the table has rows, and names both dimensions', async () => {
    const found = findingsOf(
      await lintSql(['ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(1536);'], {
        tables: { chunks: { hasRows: true, estimatedRows: 1200000, totalBytes: 3.4 * 1024 ** 3, columns: new Map([['embedding', 'vector(3)']]) } }
      }),
      'vector-dimension-change'
    )
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/from vector\(3\) to vector\(1536\).*expected 1536 dimensions, not 3/)
    expect(found[0].risk).toBe('critical')
    expect(found[0].table).toBe('table chunks: ~1.2 M rows, 3.4 GB')
  })
  it('stays high on an empty table', async () => {
    const found = findingsOf(
      await lintSql(['ALTER TABLE chunks ALTER COLUMN embedding TYPE halfvec(3);'], {
        tables: { chunks: { hasRows: false, estimatedRows: 0, columns: new Map([['embedding', 'vector(3)']]) } }
      }),
      'vector-dimension-change'
    )
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/the table is empty now/)
    expect(found[0].risk).toBe('high')
  })
  it('uses the type from earlier in the pending set, and ignores an unchanged type', async () => {
    const found = findingsOf(
      await lintSql(['ALTER TABLE chunks ADD COLUMN e2 vector(3);', 'CREATE TABLE t (e vector(3));\nALTER TABLE t ALTER COLUMN e TYPE vector(4);']),
      'vector-dimension-change'
    )
    expect(found).toHaveLength(0)
  })
})
