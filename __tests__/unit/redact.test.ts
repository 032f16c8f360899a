import { beforeEach, describe, expect, it } from '@jest/globals'
import { clearSecretsForTests, redact, registerSecret, registerUrlSecrets } from '../../src/redact.js'

describe('redact', () => {
  beforeEach(() => clearSecretsForTests())

  it('removes passwords from any URL, registered or not', () => {
    expect(redact('cannot reach postgresql+psycopg2://app:hunter2@db:5432/x')).toBe('cannot reach postgresql+psycopg2://app:***@db:5432/x')
    expect(redact('host=db password=hunter2 user=app')).toBe('host=db password=*** user=app')
  })

  it('removes a registered secret wherever it appears, also percent-encoded', () => {
    registerSecret('p@ss word')
    expect(redact('auth failed for p@ss word')).toBe('auth failed for ***')
    expect(redact('url had p%40ss%20word in it')).toBe('url had *** in it')
  })

  it('registers the password of a database URL before anything is parsed', () => {
    registerUrlSecrets('postgres://app:Zx9%21secret@db/app')
    expect(redact('server said Zx9!secret and Zx9%21secret')).toBe('server said *** and ***')
  })
})

describe('redact on hostile input', () => {
  it('stays linear on a long run of URL-like characters', () => {
    const started = Date.now()
    expect(redact('x'.repeat(500_000) + ' postgres://u:pw@h')).toMatch(/postgres:\/\/u:\*\*\*@h$/)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
