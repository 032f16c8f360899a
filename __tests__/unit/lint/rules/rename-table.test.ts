import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('rename-table', () => {
  it('flags renaming an existing table', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE docs RENAME TO documents;']), 'rename-table')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/renames table docs to documents/)
  })
  it('does not flag a column rename or a new table', async () => {
    const found = findingsOf(await lintSql(['CREATE TABLE t (a int);\nALTER TABLE t RENAME TO u;\nALTER TABLE x RENAME COLUMN a TO b;']), 'rename-table')
    expect(found).toHaveLength(0)
  })
})
