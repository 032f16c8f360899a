import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('set-not-null', () => {
  it('flags SET NOT NULL on an existing column', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents ALTER COLUMN title SET NOT NULL;']), 'set-not-null')
    expect(found).toHaveLength(1)
    expect(found[0].message).toMatch(/sets documents\.title NOT NULL/)
  })
  it('does not flag a column added in the pending set, nor DROP NOT NULL', async () => {
    const found = findingsOf(
      await lintSql(["ALTER TABLE documents ADD COLUMN s text DEFAULT 'x';\nALTER TABLE documents ALTER COLUMN s SET NOT NULL, ALTER COLUMN t DROP NOT NULL;"]),
      'set-not-null'
    )
    expect(found).toHaveLength(0)
  })
})
