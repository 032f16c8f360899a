import { describe, expect, it } from '@jest/globals'
import { codePointOffsetToIndex, excerptAround, serverPositionIndex } from '../../src/sql/error-position.js'
import { OffsetMap } from '../../src/sql/parse.js'

describe('error position mapping', () => {
  it('converts code point offsets to UTF-16 indexes', () => {
    const text = 'a😀b'
    expect(codePointOffsetToIndex(text, 0)).toBe(0)
    expect(codePointOffsetToIndex(text, 1)).toBe(1)
    expect(codePointOffsetToIndex(text, 2)).toBe(3)
    expect(text[codePointOffsetToIndex(text, 2)]).toBe('b')
    expect(codePointOffsetToIndex(text, 99)).toBe(text.length)
  })

  it('maps a 1-based server position in a statement to the file line and column', () => {
    const file = "-- header\nCREATE TABLE a (x int);\nINSERT INTO a\n  VALUES ('😀', nope);\n"
    const statementStart = file.indexOf('INSERT')
    const statement = "INSERT INTO a\n  VALUES ('😀', nope)"
    // Postgres counts characters: 'nope' is character 30 (1-based) of the statement.
    const position = [...statement].indexOf('n', 20) + 1
    expect(position).toBe(30)
    const within = serverPositionIndex(statement, String(position))!
    expect(statement.slice(within, within + 4)).toBe('nope')
    expect(new OffsetMap(file).lineColumn(statementStart + within)).toEqual({ line: 4, column: 16 })
  })

  it('ignores absent or invalid positions', () => {
    expect(serverPositionIndex('x', undefined)).toBeUndefined()
    expect(serverPositionIndex('x', '0')).toBeUndefined()
    expect(serverPositionIndex('x', 'abc')).toBeUndefined()
  })

  it('renders an excerpt with the line marked and a caret under the column', () => {
    const text = ['one', 'two', 'three', 'four', 'five', 'six'].join('\n')
    expect(excerptAround(text, 3, 3)).toBe(['  1 | one', '  2 | two', '> 3 | three', '        ^', '  4 | four', '  5 | five'].join('\n'))
    expect(excerptAround(text, 1).split('\n')[0]).toBe('> 1 | one')
    // CRLF files (an Alembic revision checked out on Windows) show no stray carriage returns.
    expect(excerptAround('a = 1\r\nb = 2\r\n', 2)).toBe(['  1 | a = 1', '> 2 | b = 2', '  3 |'].join('\n'))
  })
})
