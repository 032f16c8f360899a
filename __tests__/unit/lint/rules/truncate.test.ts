import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('truncate', () => {
  it('flags TRUNCATE of existing tables', async () => {
    const found = findingsOf(await lintSql(['TRUNCATE chunks, documents RESTART IDENTITY;']), 'truncate')
    expect(found).toHaveLength(2)
    expect(found[0].message).toMatch(/truncates chunks/)
  })
  it('does not flag a new table', async () => {
    const found = findingsOf(await lintSql(['CREATE TABLE staging (id int);\nTRUNCATE staging;']), 'truncate')
    expect(found).toHaveLength(0)
  })
})
