import { describe, expect, it } from '@jest/globals'
import { findingsOf, lintSql } from '../helpers.js'

describe('syntax-error', () => {
  it('flags the statement that does not parse at its file line, and still lints the others', async () => {
    const result = await lintSql(['SELECT 1;\nCREATE TABLE (;\nDROP TABLE documents;'])
    const found = findingsOf(result, 'syntax-error')
    expect(found).toHaveLength(1)
    expect(found[0].line).toBe(2)
    expect(findingsOf(result, 'drop-table')).toEqual([expect.objectContaining({ line: 3 })])
    expect(found[0].message).toMatch(/syntax error at or near/)
    expect(found[0].risk).toBe('critical')
  })
  it('does not flag valid SQL with semicolons in strings and dollar quotes', async () => {
    const found = findingsOf(await lintSql(["CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'a;b' $$;"]), 'syntax-error')
    expect(found).toHaveLength(0)
  })
})
