import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('missing-lock-timeout', () => {
  it('flags the first locking statement when lock-timeout is 0 and the file sets none', async () => {
    const found = findingsOf(
      await lintSql(['CREATE TABLE t (a int);\nALTER TABLE documents ADD COLUMN x int;\nALTER TABLE documents ADD COLUMN y int;'], { lockTimeout: '0ms' }),
      'missing-lock-timeout'
    )
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/lock-timeout is 0ms/)
  })
  it('does not flag when the input sets a timeout', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents ADD COLUMN x int;'], { lockTimeout: '10s' }), 'missing-lock-timeout')
    expect(found).toHaveLength(0)
  })
  it('does not flag when the migration sets lock_timeout first (SET or set_config)', async () => {
    const found = findingsOf(
      await lintSql(["SET LOCAL lock_timeout = '2s';\nALTER TABLE documents ADD COLUMN x int;", "SELECT set_config('lock_timeout', '2s', true);\nDROP INDEX i;"], {
        lockTimeout: '0'
      }),
      'missing-lock-timeout'
    )
    expect(found).toHaveLength(0)
  })
  it('counts LOCK TABLE and REFRESH MATERIALIZED VIEW as taking locks; not on a table created in the pending set, nor REFRESH … CONCURRENTLY', async () => {
    const lock = findingsOf(await lintSql('LOCK TABLE documents IN SHARE MODE;', { lockTimeout: '0', tables: { documents: {} } }), 'missing-lock-timeout')
    expect(lock.map((f) => [f.line, f.table])).toEqual([[1, expect.stringMatching(/^table documents: /)]])
    const refresh = findingsOf(await lintSql('REFRESH MATERIALIZED VIEW document_stats;', { lockTimeout: '0', tables: { document_stats: {} } }), 'missing-lock-timeout')
    expect(refresh.map((f) => f.line)).toEqual([1])
    const quiet = await lintSql('CREATE TABLE t (id int);\nLOCK TABLE t;\nREFRESH MATERIALIZED VIEW CONCURRENTLY document_stats;', {
      lockTimeout: '0',
      tables: { document_stats: {} }
    })
    expect(findingsOf(quiet, 'missing-lock-timeout')).toEqual([])
  })
})
