import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('enum-add-value', () => {
  it('flags ADD VALUE', async () => {
    const found = findingsOf(await lintSql(["ALTER TYPE status ADD VALUE IF NOT EXISTS 'archived' AFTER 'published';"]), 'enum-add-value')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/adds 'archived' to enum status/)
  })
  it('does not flag RENAME VALUE', async () => {
    const found = findingsOf(await lintSql(["ALTER TYPE status RENAME VALUE 'old' TO 'new';"]), 'enum-add-value')
    expect(found).toHaveLength(0)
  })
})
