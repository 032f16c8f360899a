import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

/** Volatility as the target's pg_proc has it (here a fake catalog; __tests__/integration/lint-verdicts.test.ts reads the real one). */
const PG_PROC = { clock_timestamp: 'v', now: 's', statement_timestamp: 's', txid_current: 's', myjsonb: 'v', gen_random_uuid: 'v' } as const
const documents = { documents: { estimatedRows: 10 } }

describe('volatile-default', () => {
  it('flags a volatile default and a serial column', async () => {
    const found = findingsOf(
      await lintSql(['ALTER TABLE documents ADD COLUMN created timestamptz DEFAULT clock_timestamp(), ADD COLUMN n bigserial;'], { tables: documents, volatility: PG_PROC }),
      'volatile-default'
    )
    expect(found).toHaveLength(2)
    expect(found[0].message).toMatch(/volatile default clock_timestamp\(\)/)
  })

  it('reads volatility from the catalog, not a name list: a user function declared volatile is flagged, stable built-ins are not', async () => {
    const found = findingsOf(
      await lintSql(
        [
          "ALTER TABLE documents ADD COLUMN meta jsonb DEFAULT myjsonb(), ADD COLUMN seen timestamptz DEFAULT statement_timestamp(), ADD COLUMN tx bigint DEFAULT txid_current(), ADD COLUMN created timestamptz DEFAULT now(), ADD COLUMN s text DEFAULT 'x';"
        ],
        { tables: documents, volatility: PG_PROC }
      ),
      'volatile-default'
    )
    expect(found.map((f) => f.message)).toEqual(['adds documents.meta with the volatile default myjsonb(): it is computed for every row, so the table is rewritten'])
  })

  it('a function created earlier in the pending set counts with the volatility it is declared with (VOLATILE by default)', async () => {
    const found = findingsOf(
      await lintSql(
        [
          "CREATE FUNCTION mk() RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE FUNCTION fixed() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1';",
          'ALTER TABLE documents ADD COLUMN a int DEFAULT mk(), ADD COLUMN b int DEFAULT fixed();'
        ],
        { tables: documents, volatility: PG_PROC }
      ),
      'volatile-default'
    )
    expect(found.map((f) => f.message)).toEqual([expect.stringContaining('documents.a with the volatile default mk()')])
  })

  it('identity and stored generated columns rewrite the table too', async () => {
    const found = findingsOf(
      await lintSql(['ALTER TABLE documents ADD COLUMN id2 bigint GENERATED ALWAYS AS IDENTITY, ADD COLUMN total int GENERATED ALWAYS AS (length(title)) STORED;'], {
        tables: documents
      }),
      'volatile-default'
    )
    expect(found.map((f) => f.message)).toEqual([
      'adds documents.id2 as an identity column: every row gets a sequence value, so the table is rewritten',
      'adds documents.total as a stored generated column: it is computed for every row, so the table is rewritten'
    ])
  })

  it('not connected: says the volatility could not be checked rather than guessing', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents ADD COLUMN created timestamptz DEFAULT now();']), 'volatile-default')
    expect(found.map((f) => [f.risk, f.message])).toEqual([['high', expect.stringContaining('now(), whose volatility could not be checked (not connected)')]])
  })

  it('does not flag a stable or constant default (now() is stable)', async () => {
    const found = findingsOf(
      await lintSql(["ALTER TABLE documents ADD COLUMN created timestamptz DEFAULT now(), ADD COLUMN s text DEFAULT 'x';"], { tables: documents, volatility: PG_PROC }),
      'volatile-default'
    )
    expect(found).toHaveLength(0)
  })
})
