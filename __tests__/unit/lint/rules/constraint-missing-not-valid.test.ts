import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('constraint-missing-not-valid', () => {
  it('flags a foreign key and a check without NOT VALID', async () => {
    const found = findingsOf(
      await lintSql(['ALTER TABLE chunks ADD CONSTRAINT fk FOREIGN KEY (d) REFERENCES documents (id), ADD CONSTRAINT c CHECK (n > 0);']),
      'constraint-missing-not-valid'
    )
    expect(found).toHaveLength(2)
    expect(found[0].message).toMatch(/foreign key fk to chunks/)
  })
  it('does not flag NOT VALID, VALIDATE CONSTRAINT, or a new table', async () => {
    const found = findingsOf(
      await lintSql([
        'ALTER TABLE chunks ADD CONSTRAINT fk FOREIGN KEY (d) REFERENCES documents (id) NOT VALID, ADD CONSTRAINT c CHECK (n > 0) NOT VALID;\nALTER TABLE chunks VALIDATE CONSTRAINT fk;\nCREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);'
      ]),
      'constraint-missing-not-valid'
    )
    expect(found).toHaveLength(0)
  })
})
