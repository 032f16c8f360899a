import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('drop-table', () => {
  it('flags dropping an existing table, with its size from the catalog', async () => {
    const found = findingsOf(await lintSql(['DROP TABLE documents;'], { tables: { documents: { estimatedRows: 1234567, totalBytes: 3.4 * 1024 ** 3 } } }), 'drop-table')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/drops table documents/)
    expect(found[0].table).toBe('table documents: ~1.2 M rows, 3.4 GB')
  })
  it('flags each table of a multi-table drop, schema-qualified too', async () => {
    const found = findingsOf(await lintSql(['DROP TABLE IF EXISTS a, archive.b CASCADE;']), 'drop-table')
    expect(found).toHaveLength(2)
    expect(found.map((f) => f.message)).toEqual(['drops table a', 'drops table archive.b'])
  })
  it('does not flag a table created earlier in the pending set', async () => {
    const found = findingsOf(await lintSql(['CREATE TABLE scratch (id int);', 'DROP TABLE scratch;']), 'drop-table')
    expect(found).toHaveLength(0)
  })
  it('does not flag dropping a view or an index', async () => {
    const found = findingsOf(await lintSql(['DROP VIEW v; DROP INDEX CONCURRENTLY i;']), 'drop-table')
    expect(found).toHaveLength(0)
  })
})
