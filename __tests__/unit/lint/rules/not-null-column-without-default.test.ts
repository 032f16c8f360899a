import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('not-null-column-without-default', () => {
  it('flags ADD COLUMN \u2026 NOT NULL without DEFAULT', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents ADD COLUMN status text NOT NULL;']), 'not-null-column-without-default')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/adds documents\.status NOT NULL without a default/)
  })
  it('does not flag a default, an identity, or a new table', async () => {
    const found = findingsOf(
      await lintSql([
        'ALTER TABLE documents ADD COLUMN a int NOT NULL DEFAULT 0, ADD COLUMN b bigint GENERATED ALWAYS AS IDENTITY NOT NULL;\nCREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN c int NOT NULL;'
      ]),
      'not-null-column-without-default'
    )
    expect(found).toHaveLength(0)
  })
  it('does not flag a serial column: its default is its sequence (volatile-default reports the rewrite)', async () => {
    const result = await lintSql(['ALTER TABLE documents ADD COLUMN n serial NOT NULL, ADD COLUMN m bigserial PRIMARY KEY, ADD COLUMN s smallserial;'])
    expect(findingsOf(result, 'not-null-column-without-default')).toEqual([])
    expect(findingsOf(result, 'new-nullable-column')).toEqual([])
    expect(findingsOf(result, 'volatile-default').map((f) => f.message)).toEqual([
      'adds documents.n as serial: every row gets a sequence value, so the table is rewritten',
      'adds documents.m as bigserial: every row gets a sequence value, so the table is rewritten',
      'adds documents.s as smallserial: every row gets a sequence value, so the table is rewritten'
    ])
  })
})
