import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('new-nullable-column', () => {
  it('lists a nullable column added to an existing table', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents ADD COLUMN summary text;']), 'new-nullable-column')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/adds column documents\.summary/)
    expect(found[0].risk).toBe('low')
  })
  it('does not list NOT NULL columns or columns of new tables', async () => {
    const found = findingsOf(
      await lintSql(['ALTER TABLE documents ADD COLUMN a int NOT NULL DEFAULT 0;\nCREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;']),
      'new-nullable-column'
    )
    expect(found).toHaveLength(0)
  })
})
