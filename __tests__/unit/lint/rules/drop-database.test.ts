import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('drop-database', () => {
  it('flags DROP DATABASE', async () => {
    const found = findingsOf(await lintSql(['DROP DATABASE IF EXISTS staging;']), 'drop-database')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/drops database staging/)
  })
  it('does not flag CREATE DATABASE', async () => {
    const found = findingsOf(await lintSql(['CREATE DATABASE staging;']), 'drop-database')
    expect(found).toHaveLength(0)
  })
})
