import { describe, expect, it } from '@jest/globals'
import { lintPending } from '../../../../src/lint/lint.js'
import { fakeCatalog, findingsOf, lintSql, sqlRevision } from '../helpers.js'

const ADD = 'ALTER TABLE documents ADD CONSTRAINT documents_title_nn CHECK (title IS NOT NULL) NOT VALID;'
const VALIDATE = 'ALTER TABLE documents VALIDATE CONSTRAINT documents_title_nn;'

describe('validate-in-same-transaction', () => {
  it('flags VALIDATE CONSTRAINT in the migration that added the constraint NOT VALID, on the VALIDATE, naming the lock held', async () => {
    const found = findingsOf(await lintSql(`${ADD}\n${VALIDATE}`, { tables: { documents: {} } }), 'validate-in-same-transaction')
    expect(found.map((f) => [f.line, f.risk, f.message])).toEqual([
      [
        2,
        'medium',
        'validates documents_title_nn in the transaction that added it NOT VALID: the ACCESS EXCLUSIVE lock the ADD took on documents is held while every row is checked: reads and writes wait'
      ]
    ])
    const fk = findingsOf(
      await lintSql('ALTER TABLE chunks ADD CONSTRAINT chunks_doc_fk FOREIGN KEY (document_id) REFERENCES documents (id) NOT VALID, VALIDATE CONSTRAINT chunks_doc_fk;', {
        tables: { documents: {}, chunks: {} }
      }),
      'validate-in-same-transaction'
    )
    expect(fk.map((f) => f.message)).toEqual([
      'validates chunks_doc_fk in the transaction that added it NOT VALID: the SHARE ROW EXCLUSIVE locks the ADD took on chunks and documents are held while every row is checked: writes to both wait'
    ])
  })

  it('does not flag the VALIDATE in a later migration, one of a file that runs statement by statement, nor on a table created in the pending set', async () => {
    expect(findingsOf(await lintSql([ADD, VALIDATE], { tables: { documents: {} } }), 'validate-in-same-transaction')).toEqual([])
    const outside = await lintPending([{ ...sqlRevision('0001', `${ADD}\n${VALIDATE}`), transactional: false }], {
      engine: 'sql',
      catalog: fakeCatalog({ tables: { documents: {} } })
    })
    expect(findingsOf(outside, 'validate-in-same-transaction')).toEqual([])
    const created = await lintSql(`CREATE TABLE documents (id int, title text);\n${ADD}\n${VALIDATE}`, { tables: {} })
    expect(findingsOf(created, 'validate-in-same-transaction')).toEqual([])
  })
})
