import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('index-on-new-table', () => {
  it('lists an index on a table created in the pending set', async () => {
    const found = findingsOf(await lintSql(['CREATE TABLE t (a int);', 'CREATE INDEX t_a ON t (a);']), 'index-on-new-table')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/creates index t_a on t, created in this pending set/)
    expect(found[0].risk).toBe('low')
  })
  it('does not list an index on an existing table', async () => {
    const found = findingsOf(await lintSql(['CREATE INDEX CONCURRENTLY t_a ON documents (a);']), 'index-on-new-table')
    expect(found).toHaveLength(0)
  })
})
