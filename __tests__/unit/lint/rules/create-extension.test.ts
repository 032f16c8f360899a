import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('create-extension', () => {
  it('lists CREATE EXTENSION IF NOT EXISTS', async () => {
    const found = findingsOf(await lintSql(['CREATE EXTENSION IF NOT EXISTS vector;']), 'create-extension')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/creates extension vector if it does not exist/)
    expect(found[0].risk).toBe('low')
  })
  it('leaves CREATE EXTENSION vector without IF NOT EXISTS to its own rule', async () => {
    const found = findingsOf(await lintSql(['CREATE EXTENSION vector;']), 'create-extension')
    expect(found).toHaveLength(0)
  })
})
