import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('invalid-acknowledgement', () => {
  it('flags a missing reason, an unknown rule and an empty allow', async () => {
    const found = findingsOf(
      await lintSql(['-- pg-migrate:allow drop-table\n-- pg-migrate:allow no-such-rule reason: x\n-- pg-migrate:allow\nSELECT 1;']),
      'invalid-acknowledgement'
    )
    expect(found).toHaveLength(3)
    expect(found[0].message).toMatch(/gives no reason/)
  })
  it('does not flag a valid acknowledgement of several rules', async () => {
    const found = findingsOf(await lintSql(['-- pg-migrate:allow drop-table, truncate reason: archived\nSELECT 1;']), 'invalid-acknowledgement')
    expect(found).toHaveLength(0)
  })
})
