import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('rename-column', () => {
  it('flags renaming a column of an existing table', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents RENAME COLUMN body TO content;']), 'rename-column')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/renames column documents\.body to content/)
  })
  it('does not flag a new table', async () => {
    const found = findingsOf(await lintSql(['CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;']), 'rename-column')
    expect(found).toHaveLength(0)
  })
})
