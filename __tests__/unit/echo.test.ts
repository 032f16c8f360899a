import { describe, expect, it } from '@jest/globals'
import { echo } from '../../src/echo.js'

describe('echo: a value a message repeats (issue 16 #12)', () => {
  it('keeps a short value and cuts a long one, saying how much was left out', () => {
    expect(echo('migrate')).toBe('migrate')
    expect(echo('x'.repeat(120_000))).toBe(`${'x'.repeat(200)}… (119,800 more characters)`)
    expect(echo('abcdef', 3)).toBe('abc… (3 more characters)')
  })

  it('never cuts a surrogate pair in half', () => {
    expect(echo('ab😀cd', 3)).toBe('ab… (4 more characters)')
  })
})
