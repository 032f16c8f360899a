import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('set-not-null', () => {
  it('flags SET NOT NULL on an existing column', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents ALTER COLUMN title SET NOT NULL;']), 'set-not-null')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/sets documents\.title NOT NULL/)
  })
  it('does not flag a column of a table created in the pending set, nor DROP NOT NULL', async () => {
    const found = findingsOf(
      await lintSql([
        "CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN s text DEFAULT 'x';\nALTER TABLE t ALTER COLUMN s SET NOT NULL;\nALTER TABLE documents ALTER COLUMN t DROP NOT NULL;"
      ]),
      'set-not-null'
    )
    expect(found).toHaveLength(0)
  })
  it('flags SET NOT NULL on a column added earlier in the pending set to a table that existed: on rows it fails (no default) or scans (a default)', async () => {
    const found = findingsOf(
      await lintSql(
        [
          "ALTER TABLE documents ADD COLUMN a text;\nALTER TABLE documents ADD COLUMN b text DEFAULT 'x';",
          'ALTER TABLE documents ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;'
        ],
        {
          tables: { documents: { hasRows: true } }
        }
      ),
      'set-not-null'
    )
    expect(found.map((f) => [f.revision, f.risk, f.message])).toEqual([
      [
        '0002',
        'high',
        'sets documents.a NOT NULL, a column added earlier in the pending set without a default to a table that already existed: the table has rows, all NULL in it, so the statement fails'
      ],
      [
        '0002',
        'high',
        'sets documents.b NOT NULL, a column added earlier in the pending set to a table that already existed: every row is scanned under an exclusive lock (ADD COLUMN … NOT NULL DEFAULT … in one statement skips the scan)'
      ]
    ])
    const newTable = await lintSql(['CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a text;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;'], { tables: {} })
    expect(findingsOf(newTable, 'set-not-null')).toEqual([])
  })
})
