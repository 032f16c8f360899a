import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('truncate', () => {
  it('flags TRUNCATE of existing tables', async () => {
    const found = findingsOf(await lintSql(['TRUNCATE chunks, documents RESTART IDENTITY;']), 'truncate')
    expect(found).toHaveLength(2)
    expect(found[0].message).toMatch(/truncates chunks/)
  })
  it('TRUNCATE … CASCADE names the tables the cascade empties, from the catalog; not connected, it says it could not check which', async () => {
    const connected = findingsOf(
      await lintSql(['TRUNCATE documents, tags CASCADE;'], { tables: { documents: {}, tags: {} }, cascades: { documents: ['chunk_notes', 'chunks'], tags: [] } }),
      'truncate'
    )
    expect(connected.map((f) => f.message)).toEqual([
      'truncates documents and, through CASCADE, chunk_notes, chunks (foreign keys referencing it)',
      'truncates tags (CASCADE reaches no other table: none references it)'
    ])
    const offline = findingsOf(await lintSql(['TRUNCATE documents CASCADE;']), 'truncate')
    expect(offline.map((f) => f.message)).toEqual(['truncates documents and, through CASCADE, every table whose foreign keys reference it (which ones could not be checked)'])
  })
  it('does not flag a new table', async () => {
    const found = findingsOf(await lintSql(['CREATE TABLE staging (id int);\nTRUNCATE staging;']), 'truncate')
    expect(found).toHaveLength(0)
  })
})
