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
  it('flags a type change of a column added earlier in the pending set to a table that existed (its rows are rewritten); not on a new table, and dropping such a column stays no finding', async () => {
    const result = await lintSql(['ALTER TABLE documents ADD COLUMN n int;', 'ALTER TABLE documents ALTER COLUMN n TYPE bigint;\nALTER TABLE documents DROP COLUMN n;'], {
      tables: { documents: { hasRows: true } }
    })
    expect(findingsOf(result, 'change-column-type').map((f) => f.message)).toEqual([
      'changes the type of documents.n from int4 to int8, a column added earlier in the pending set to a table that already existed: every row is rewritten (add it with its final type instead)'
    ])
    expect(findingsOf(result, 'drop-column')).toEqual([])
    const newTable = await lintSql(['CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN n int;\nALTER TABLE t ALTER COLUMN n TYPE bigint;'], { tables: {} })
    expect(findingsOf(newTable, 'change-column-type')).toEqual([])
  })
})
