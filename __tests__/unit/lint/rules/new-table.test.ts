import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('new-table', () => {
  it('lists new tables, also CREATE TABLE AS', async () => {
    const found = findingsOf(await lintSql(['CREATE TABLE documents (id int);\nCREATE TABLE copy AS SELECT 1 AS a;']), 'new-table')
    expect(found).toHaveLength(2)
    expect(found[0].message).toMatch(/creates table documents/)
    expect(found[0].risk).toBe('low')
  })
  it('does not flag other statements', async () => {
    const found = findingsOf(await lintSql(['CREATE VIEW v AS SELECT 1;']), 'new-table')
    expect(found).toHaveLength(0)
  })
})
