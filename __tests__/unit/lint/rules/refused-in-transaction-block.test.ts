import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql, rulesOf } from '../helpers.js'

describe('refused-in-transaction-block', () => {
  it("flags CREATE INDEX CONCURRENTLY (and VACUUM) after the file's own BEGIN, and nothing else of the file", async () => {
    const result = await lintSql('BEGIN;\nCREATE INDEX CONCURRENTLY documents_title_idx ON documents (title);\nVACUUM documents;\nCOMMIT;')
    expect(findingsOf(result, 'refused-in-transaction-block').map((f) => [f.line, f.risk, f.message])).toEqual([
      [
        2,
        'critical',
        "CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and the file's own BEGIN opens one around it: it fails at apply (the action refuses the file before anything runs)"
      ],
      [
        3,
        'critical',
        "VACUUM cannot run inside a transaction block, and the file's own BEGIN opens one around it: it fails at apply (the action refuses the file before anything runs)"
      ]
    ])
    expect(rulesOf(result)).not.toContain('unbalanced-transaction')
  })

  it('does not flag the statement on its own, after the COMMIT, nor in Alembic output (its own framing)', async () => {
    expect(findingsOf(await lintSql('CREATE INDEX CONCURRENTLY documents_title_idx ON documents (title);'), 'refused-in-transaction-block')).toEqual([])
    expect(findingsOf(await lintSql('BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);'), 'refused-in-transaction-block')).toEqual([])
    const alembic = await lintSql('BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;', { engine: 'alembic', readSource: () => undefined })
    expect(findingsOf(alembic, 'refused-in-transaction-block')).toEqual([])
  })
})
