import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('unique-constraint-without-index', () => {
  it('flags ADD UNIQUE and ADD PRIMARY KEY without USING INDEX', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents ADD CONSTRAINT u UNIQUE (slug), ADD PRIMARY KEY (id);']), 'unique-constraint-without-index')
    expect(found).toHaveLength(2)
    expect(found[0].message).toMatch(/unique constraint u to documents/)
  })
  it('flags a column added with an inline PRIMARY KEY', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;']), 'unique-constraint-without-index')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/primary key/)
  })
  it('does not flag USING INDEX or a new table', async () => {
    const found = findingsOf(
      await lintSql(['ALTER TABLE documents ADD CONSTRAINT u UNIQUE USING INDEX u_idx;\nCREATE TABLE t (a int);\nALTER TABLE t ADD PRIMARY KEY (a);']),
      'unique-constraint-without-index'
    )
    expect(found).toHaveLength(0)
  })
})
