import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('volatile-default', () => {
  it('flags a volatile default and a serial column', async () => {
    const found = findingsOf(await lintSql(['ALTER TABLE documents ADD COLUMN created timestamptz DEFAULT clock_timestamp(), ADD COLUMN n bigserial;']), 'volatile-default')
    expect(found).toHaveLength(2)
    expect(found[0].message).toMatch(/volatile default clock_timestamp\(\)/)
  })
  it('does not flag a stable or constant default (now() is stable)', async () => {
    const found = findingsOf(await lintSql(["ALTER TABLE documents ADD COLUMN created timestamptz DEFAULT now(), ADD COLUMN s text DEFAULT 'x';"]), 'volatile-default')
    expect(found).toHaveLength(0)
  })
})
