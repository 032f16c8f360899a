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
    expect(found.map((f) => [f.risk, f.message, f.table])).toEqual([
      ['critical', 'drops table a IF EXISTS', 'table a: could not check the target (not connected)'],
      ['critical', 'drops table archive.b IF EXISTS', 'table archive.b: could not check the target (not connected)']
    ])
  })
  it('a table absent in the target is low and names IF EXISTS; one that exists stays critical', async () => {
    const found = findingsOf(await lintSql(['DROP TABLE IF EXISTS langchain_pg_embedding, documents;'], { tables: { documents: { estimatedRows: 5 } } }), 'drop-table')
    expect(found.map((f) => [f.risk, f.message, f.table])).toEqual([
      [
        'low',
        'drops table langchain_pg_embedding IF EXISTS: table langchain_pg_embedding is absent in the target, and no statement before this one in the pending set creates it; IF EXISTS makes the statement a no-op',
        'table langchain_pg_embedding: absent in the target'
      ],
      ['critical', 'drops table documents IF EXISTS', 'table documents: ~5 rows']
    ])
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
