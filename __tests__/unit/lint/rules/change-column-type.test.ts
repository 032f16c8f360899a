import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('change-column-type', () => {
  it('flags a type change on an existing table, with the current type from the catalog', async () => {
    const found = findingsOf(
      await lintSql(['ALTER TABLE documents ALTER COLUMN id TYPE bigint;'], { tables: { documents: { columns: new Map([['id', 'integer']]) } } }),
      'change-column-type'
    )
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/changes the type of documents\.id from integer to int8/)
  })
  it('leaves vector columns to vector-dimension-change', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(1536);']), 'change-column-type')
    expect(found).toHaveLength(0)
  })
  it('does not flag a column added earlier in the pending set', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents ADD COLUMN n int;', 'ALTER TABLE documents ALTER COLUMN n TYPE bigint;']), 'change-column-type')
    expect(found).toHaveLength(0)
  })
})
