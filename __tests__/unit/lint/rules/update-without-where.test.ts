import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('update-without-where', () => {
  it('flags UPDATE without WHERE', async () => {
    const found = findingsOf(await lintSql(['UPDATE documents SET title = upper(title);']), 'update-without-where')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/updates every row of documents/)
  })
  it('does not flag UPDATE with WHERE', async () => {
    const found = findingsOf(await lintSql(["UPDATE documents SET title = '' WHERE title IS NULL;"]), 'update-without-where')
    expect(found).toHaveLength(0)
  })
})
