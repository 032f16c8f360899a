import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('vector-extension-without-if-not-exists', () => {
  it('flags CREATE EXTENSION vector', async () => {
    const found = findingsOf(await lintSql(['CREATE EXTENSION vector WITH SCHEMA extensions;']), 'vector-extension-without-if-not-exists')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/without IF NOT EXISTS/)
    expect(found[0].risk).toBe('high')
  })
  it('does not flag other extensions or IF NOT EXISTS', async () => {
    const found = findingsOf(await lintSql(['CREATE EXTENSION pg_trgm;\nCREATE EXTENSION IF NOT EXISTS vector;']), 'vector-extension-without-if-not-exists')
    expect(found).toHaveLength(0)
  })
})
