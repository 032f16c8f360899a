import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('drop-column', () => {
  it('flags dropping a column of an existing table', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents DROP COLUMN IF EXISTS legacy, ADD COLUMN x int;']), 'drop-column')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/drops column documents\.legacy/)
    expect(found[0].risk).toBe('critical')
  })
  it('does not flag a table created earlier in the pending set', async () => {
    const found = findingsOf(await lintSql(['CREATE TABLE t (a int, b int);', 'ALTER TABLE t DROP COLUMN b;']), 'drop-column')
    expect(found).toHaveLength(0)
  })
})
