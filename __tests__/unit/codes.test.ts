import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { CODES, codeDocUrl } from '../../src/codes.js'
import { errorsDocPath, renderErrorsDoc } from '../../scripts/errors-doc.js'

describe('the codes catalogue', () => {
  it('docs/errors.md is generated from it (npm run docs)', () => {
    expect(readFileSync(errorsDocPath, 'utf8')).toBe(renderErrorsDoc())
  })

  it('gives every code an anchor on the troubleshooting page', () => {
    const page = renderErrorsDoc()
    for (const code of Object.keys(CODES)) {
      expect(page).toContain(`<a id="${code}"></a>`)
      expect(codeDocUrl(code as keyof typeof CODES, {})).toBe(`docs/errors.md#${code}`)
    }
  })

  it('says for every code what it means, why it happens and what to do', () => {
    for (const [code, entry] of Object.entries(CODES)) {
      expect([code, entry.title.length > 0, entry.meaning.length > 0, entry.cause.length > 0, entry.fix.length > 0]).toEqual([code, true, true, true, true])
    }
  })
})
