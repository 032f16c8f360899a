import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('delete-without-where', () => {
  it('flags DELETE without WHERE', async () => {
    const found = findingsOf(await lintSql(['DELETE FROM chunks;']), 'delete-without-where')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/deletes every row of chunks/)
  })
  it('does not flag DELETE with WHERE', async () => {
    const found = findingsOf(await lintSql(['DELETE FROM chunks WHERE id < 10;']), 'delete-without-where')
    expect(found).toHaveLength(0)
  })
  it('does not flag a table created in the pending set', async () => {
    const found = findingsOf(await lintSql(['CREATE TABLE t (id int);', 'DELETE FROM t;']), 'delete-without-where')
    expect(found).toHaveLength(0)
  })
})
