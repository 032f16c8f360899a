import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('unbalanced-transaction', () => {
  it('flags a BEGIN without COMMIT', async () => {
    const found = findingsOf(await lintSql(['SELECT 1;\nBEGIN;\nCREATE TABLE t (id int);']), 'unbalanced-transaction')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/BEGIN without a COMMIT/)
  })
  it('flags a COMMIT without BEGIN', async () => {
    const found = findingsOf(await lintSql(['CREATE TABLE t (id int);\nCOMMIT;']), 'unbalanced-transaction')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/COMMIT without a BEGIN/)
  })
  it('does not flag a file wrapped in BEGIN \u2026 COMMIT, nor savepoints', async () => {
    const found = findingsOf(await lintSql(['BEGIN;\nSAVEPOINT s;\nCREATE TABLE t (id int);\nRELEASE SAVEPOINT s;\nCOMMIT;']), 'unbalanced-transaction')
    expect(found).toHaveLength(0)
  })
  it('ignores transaction control in Alembic output (its own framing)', async () => {
    const found = findingsOf(
      await lintSql(['COMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);\nBEGIN;'], { engine: 'alembic', readSource: () => undefined }),
      'unbalanced-transaction'
    )
    expect(found).toHaveLength(0)
  })
  it('BEGIN; BEGIN; COMMIT is one finding (the nested BEGIN), not also a BEGIN without COMMIT: PostgreSQL ignores the second BEGIN', async () => {
    const found = findingsOf(await lintSql(['BEGIN;\nBEGIN;\nCREATE TABLE t (id int);\nCOMMIT;']), 'unbalanced-transaction')
    expect(found.map((f) => [f.line, f.message])).toEqual([[2, 'BEGIN inside a transaction that is already open (PostgreSQL only warns and ignores it)']])
    const twice = findingsOf(await lintSql(['BEGIN;\nBEGIN;\nCOMMIT;\nCOMMIT;']), 'unbalanced-transaction')
    expect(twice.map((f) => [f.line, f.message])).toEqual([
      [2, 'BEGIN inside a transaction that is already open (PostgreSQL only warns and ignores it)'],
      [4, 'COMMIT without a BEGIN earlier in the file']
    ])
  })
})
