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

  it('masks a password with a raw @ whole, as the longest reading, and not its one-letter head', () => {
    registerUrlSecrets('postgresql://u:p@ss@w0rd@host/db')
    expect(redact('p@ss@w0rd / p%40ss%40w0rd')).toBe('*** / ***')
    expect(redact('pipeline applied: happy path')).toBe('pipeline applied: happy path')
  })

  it.each([
    ['raw with spaces', 'postgres://u:my secret pw@h/db', ['my secret pw', 'my%20secret%20pw']],
    ['percent-encoded', 'postgres://u:s%40fe%2Fpw@h/db', ['s@fe/pw', 's%40fe%2Fpw']],
    ['unicode', 'postgres://u:pässwört@h/db', ['pässwört', 'p%C3%A4ssw%C3%B6rt']],
    ['a password= query parameter', 'postgres://u@h/db?password=s%26cr3t&sslmode=disable', ['s&cr3t', 's%26cr3t']],
    ['a libpq keyword string', "host=h password='kw secret' user=u", ['kw secret']]
  ])('masks every form of the password: %s', (_label, url, forms) => {
    registerUrlSecrets(url)
    for (const form of forms) expect(redact(`log: ${form}.`)).toBe('log: ***.')
  })

  it('redacts an unregistered URL in log text up to the last @', () => {
    expect(redact('connect postgresql://u:p@ss@w0rd@host/db failed')).toBe('connect postgresql://u:***@host/db failed')
  })
})

describe('redact on hostile input', () => {
  it('stays linear on a long run of URL-like characters', () => {
    const started = Date.now()
    expect(redact('x'.repeat(500_000) + ' postgres://u:pw@h')).toMatch(/postgres:\/\/u:\*\*\*@h$/)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('registered secrets in the spellings other tools print (issue 16 #9, #11)', () => {
  beforeEach(() => clearSecretsForTests())

  it("masks SQLAlchemy 1.4's and 2.0's rendering of a URL's password, and its JSON escaping", () => {
    const password = 'Qz7 Pw:1/@+!\'ä"\\'
    registerUrlSecrets(`postgresql://u:${encodeURIComponent(password)}@h/db`)
    // render_as_string(hide_password=False) in SQLAlchemy 1.4 (only : @ / escaped) and 2.0 (quote(safe=" +")).
    expect(redact(`postgresql://u:Qz7 Pw%3A1%2F%40+!'ä"\\@h/db`)).not.toContain('Qz7')
    expect(redact(`postgresql://u:Qz7 Pw%3A1%2F%40+%21%27%C3%A4%22%5C@h/db`)).not.toContain('Qz7')
    expect(redact(JSON.stringify({ message: `failed with ${password}` }))).not.toContain('Qz7')
  })

  it.each([
    ['a scheme with one slash', 'postgresql:/u:Pw9Secret@h/db'],
    ['a scheme without its colon', 'postgresql//u:Pw9Secret@h/db'],
    ['a bare password', 'Pw9Secret'],
    ['the @host forgotten', 'postgres://u:Pw9Secret/db']
  ])('masks the password of a value that is no valid URL: %s', (_label, value) => {
    registerUrlSecrets(value)
    expect(redact('echo Pw9Secret')).toBe('echo ***')
  })

  it('does not mask the address of an IPv6 host without credentials', () => {
    registerUrlSecrets('postgres://[fe80::abc]/db')
    expect(redact('abc] fe80')).toBe('abc] fe80')
  })
})
