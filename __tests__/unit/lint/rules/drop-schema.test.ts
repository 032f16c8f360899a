import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('drop-schema', () => {
  it('flags DROP SCHEMA', async () => {
    const found = findingsOf(await lintSql(['DROP SCHEMA IF EXISTS analytics CASCADE;']), 'drop-schema')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/drops schema analytics/)
  })
  it('does not flag CREATE SCHEMA', async () => {
    const found = findingsOf(await lintSql(['CREATE SCHEMA analytics;']), 'drop-schema')
    expect(found).toHaveLength(0)
  })
})
