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
  it('flags ADD COLUMN … REFERENCES (a column constraint cannot be NOT VALID), naming the referenced table it locks; not ADD COLUMN then ADD CONSTRAINT … NOT VALID', async () => {
    const found = findingsOf(
      await lintSql(
        [
          'ALTER TABLE chunks ADD COLUMN owner_id bigint REFERENCES owners (id);\nALTER TABLE chunks ADD COLUMN editor_id bigint, ADD CONSTRAINT chunks_editor_fk FOREIGN KEY (editor_id) REFERENCES owners (id) NOT VALID;'
        ],
        {
          tables: { chunks: {}, owners: {} }
        }
      ),
      'constraint-missing-not-valid'
    )
    expect(found.map((f) => [f.line, f.risk, f.message])).toEqual([
      [
        1,
        'medium',
        'adds column chunks.owner_id with a foreign key to owners, validating every row under lock; it also locks owners against writes (SHARE ROW EXCLUSIVE) until it commits'
      ]
    ])
  })
  it('flags ALTER DOMAIN … ADD CONSTRAINT without NOT VALID on a domain in use, naming its columns; low when no column uses it; nothing on a new domain or with NOT VALID', async () => {
    const text =
      'ALTER DOMAIN status ADD CONSTRAINT status_known CHECK (VALUE IN (1, 2));\nALTER DOMAIN unused ADD CONSTRAINT unused_positive CHECK (VALUE > 0);\nALTER DOMAIN status ADD CONSTRAINT status_small CHECK (VALUE < 10) NOT VALID;\nCREATE DOMAIN fresh AS int;\nALTER DOMAIN fresh ADD CONSTRAINT fresh_positive CHECK (VALUE > 0);'
    const found = findingsOf(await lintSql(text, { domains: { status: ['documents.status', 'chunks.status'], unused: [] } }), 'constraint-missing-not-valid')
    expect(found.map((f) => [f.line, f.risk, f.message])).toEqual([
      [1, 'medium', 'adds check constraint status_known to domain status, validating every row of documents.status, chunks.status under a lock that blocks writes'],
      [2, 'low', 'adds check constraint unused_positive to domain unused, which no column uses yet']
    ])
    const absent = findingsOf(await lintSql('ALTER DOMAIN nowhere ADD CONSTRAINT c CHECK (VALUE > 0);', { domains: {} }), 'constraint-missing-not-valid')
    expect(absent.map((f) => [f.risk, f.message])).toEqual([
      [
        'low',
        'adds check constraint c to domain nowhere, validating every column of that type under a lock that blocks writes: domain nowhere is absent in the target, and no statement before this one in the pending set creates it; the statement fails unless something creates it first'
      ]
    ])
  })
})
