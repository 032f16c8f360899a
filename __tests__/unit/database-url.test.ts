import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { parse as pgParse } from 'pg-connection-string'
import { parseDatabaseUrl } from '../../src/database-url.js'
import { ActionError } from '../../src/errors.js'
import { NEW_PYTHONPATH, PYTHON } from '../support/alembic-project.js'
import { describeNeeding, itNeeding } from '../support/capabilities.js'
import { clientConfig } from '../../src/connection.js'

function refused(url: string): ActionError {
  try {
    parseDatabaseUrl(url)
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError)
    return error as ActionError
  }
  throw new Error(`expected ${url} to be refused`)
}

const everything = (error: ActionError): string => JSON.stringify({ message: error.message, hint: error.hint, details: error.details })

/** What SQLAlchemy reads from a URL, through the same make_url Alembic's env.py calls. */
function sqlAlchemyParts(
  url: string,
  pythonPath?: string
): { user: string; password: string; host: string | null; port: number | null; database: string; query: Record<string, string> } {
  const script = `import json, sys
from sqlalchemy.engine import make_url
u = make_url(sys.argv[1])
print(json.dumps({"user": u.username, "password": u.password, "host": u.host, "port": u.port, "database": u.database, "query": dict(u.query)}))`
  const env = pythonPath === undefined ? process.env : { ...process.env, PYTHONPATH: pythonPath }
  return JSON.parse(execFileSync(PYTHON, ['-c', script, url], { encoding: 'utf8', env }))
}

describeNeeding(['alembic'], 'parseDatabaseUrl: one reading of the credentials for the action, pg and SQLAlchemy', () => {
  it.each([
    ['percent-encoded @ / ? # % :', 'postgresql://u:p%40ss%2Fw%3Fo%23r%25d%3A@db.internal:5433/app', 'p@ss/w?o#r%d:'],
    ['raw spaces and unicode', 'postgres://u:pä ss wört@db.internal:5433/app', 'pä ss wört'],
    ['a raw colon after the first', 'postgres://u:a:b:c@db.internal:5433/app', 'a:b:c'],
    ['a password= query parameter', 'postgres://u@db.internal:5433/app?password=s%26cr%20t&sslmode=disable', 's&cr t']
  ])('%s: the driver and SQLAlchemy decode the password the action parsed', (_label, raw, password) => {
    const url = parseDatabaseUrl(raw)
    expect(url).toMatchObject({ user: 'u', password, host: 'db.internal', port: 5433, database: 'app' })
    const pg = pgParse(url.forPg)
    expect({ user: pg.user, password: pg.password, host: pg.host, port: pg.port, database: pg.database }).toEqual({
      user: 'u',
      password,
      host: 'db.internal',
      port: '5433',
      database: 'app'
    })
    // SQLAlchemy 1.4+ rejects the postgres scheme Heroku-style URLs use.
    expect(url.forSqlAlchemy).toMatch(/^postgresql:\/\//)
    expect(sqlAlchemyParts(url.forSqlAlchemy)).toMatchObject({ user: 'u', password, host: 'db.internal', port: 5433, database: 'app' })
    expect(url.display).not.toContain(encodeURIComponent(password))
  })

  it.each(['a+b', 'a:b,c=d', 'a b', 'a@b/c', 'a%2Bb', "it's#ä"])('the database %j reaches pg and SQLAlchemy by that name, not percent-encoded', (name) => {
    const url = parseDatabaseUrl(`postgresql://u:pw@h:5433/${encodeURIComponent(name)}`)
    expect(url.database).toBe(name)
    expect(clientConfig(url, { connectTimeoutMs: 1000 }).database).toBe(name)
    expect(sqlAlchemyParts(url.forSqlAlchemy).database).toBe(name)
  })

  itNeeding({ needs: ['alembic-1.13'] }, 'SQLAlchemy 2.0 reads the database name as SQLAlchemy 1.4 does', () => {
    const url = parseDatabaseUrl(`postgresql://u:pw@h:5433/${encodeURIComponent('a+b:c,d=e f')}`)
    expect(sqlAlchemyParts(url.forSqlAlchemy, NEW_PYTHONPATH)).toMatchObject({ user: 'u', password: 'pw', database: 'a+b:c,d=e f' })
  })

  it('keeps the SQLAlchemy driver and the other query parameters for Alembic', () => {
    const url = parseDatabaseUrl('postgres+psycopg2://u:p%2Bw@h/db?sslmode=disable&application_name=ci%20run')
    expect(url.driver).toBe('psycopg2')
    expect(url.forSqlAlchemy).toBe('postgresql+psycopg2://u:p%2Bw@h:5432/db?sslmode=disable&application_name=ci%20run')
    expect(sqlAlchemyParts(url.forSqlAlchemy)).toMatchObject({ password: 'p+w', query: { sslmode: 'disable', application_name: 'ci run' } })
  })

  it.each([
    ['a host= query parameter and an empty host', 'postgresql://u:pw@/db?host=/var/run/postgresql'],
    ['a percent-encoded directory as the host', 'postgresql://u:pw@%2Fvar%2Frun%2Fpostgresql/db']
  ])('takes a unix-socket directory from %s, as libpq does', (_label, raw) => {
    const url = parseDatabaseUrl(raw)
    expect(url).toMatchObject({ host: '/var/run/postgresql', port: 5432, database: 'db', user: 'u', password: 'pw' })
    expect(pgParse(url.forPg)).toMatchObject({ host: '/var/run/postgresql', port: '5432', user: 'u', password: 'pw', database: 'db' })
    expect(sqlAlchemyParts(url.forSqlAlchemy)).toMatchObject({ user: 'u', password: 'pw', database: 'db', query: { host: '/var/run/postgresql', port: '5432' } })
  })

  it('reads an IPv6 address in brackets', () => {
    expect(parseDatabaseUrl('postgres://u:pw@[::1]:5433/db')).toMatchObject({ host: '::1', port: 5433 })
    expect(pgParse(parseDatabaseUrl('postgres://u:pw@[::1]:5433/db').forPg)).toMatchObject({ host: '::1', port: '5433' })
  })

  it('names the TLS setting for messages', () => {
    expect(parseDatabaseUrl('postgres://u:pw@h/db?sslmode=verify-full').tls).toBe('sslmode=verify-full')
    expect(parseDatabaseUrl('postgres://u:pw@h/db?ssl=true').tls).toBe('ssl=true')
    expect(parseDatabaseUrl('postgres://u:pw@h/db').tls).toBeUndefined()
  })
})

describe('parseDatabaseUrl refuses what the runner cannot pass on safely, without echoing the password', () => {
  it.each([
    ['a raw @', 'postgresql://u:p@ss@w0rd@host/db', ["'@'"], ['%40'], ['p@ss', 'ss@w0rd', 'w0rd']],
    ['a raw % that starts no escape', 'postgres://u:100%pure@h/db', ["'%'"], ['%25'], ['100', 'pure']],
    ['a raw ?', 'postgres://u:wh?t3ver@h/db', ["'?'"], ['%3F'], ['wh?t', 't3ver']],
    ['a raw /', 'postgres://u:sl/ash3d@h/db', ["'/'"], ['%2F'], ['sl/', 'ash3d']],
    ['a raw #', 'postgres://u:ha#sh3d@h/db', ["'#'"], ['%23'], ['ha#', 'sh3d']],
    ['several at once', 'postgres://u:a@b/c?d#e%zz@h/db', ["'@'", "'/'", "'?'", "'#'", "'%'"], ['%40', '%2F', '%3F', '%23', '%25'], ['a@b', 'e%zz']]
  ])('a password with %s', (_label, raw, named, encodings, hidden) => {
    const error = refused(raw)
    expect(error.code).toBe('invalid-input')
    expect(error.location.input).toBe('database-url')
    expect(error.message).toContain('password')
    for (const c of named) expect(error.message).toContain(c)
    for (const e of encodings) expect(error.hint).toContain(e)
    for (const h of hidden) expect(everything(error)).not.toContain(h)
  })

  it.each([
    ['a scheme with one slash', 'postgresql:/u:Pw9Secret@host:5432/db', "starts with 'postgresql:/' where postgresql:// belongs"],
    ['a scheme without its colon', 'postgresql//u:Pw9Secret@host/db', "starts with 'postgresql//' where postgresql:// belongs"],
    ['a scheme without slashes', 'postgres:u:Pw9Secret@host/db', "starts with 'postgres:' where postgres:// belongs"],
    ['a bare password', 'Pw9Secret', 'does not start with postgres:// or postgresql://'],
    ['a password that starts like a scheme', 'postgresPw9Secret', 'does not start with postgres:// or postgresql://'],
    ['a password holding ://', 'Pw9Secret://x', 'has a scheme other than postgres:// or postgresql://'],
    ['another database', 'mysql://u:Pw9Secret@host/db', 'has the scheme mysql://'],
    ['the JDBC form', 'jdbc:postgresql://host/db?user=u&password=Pw9Secret', 'the JDBC form'],
    ['no @ before the host: the password read as the port', 'postgres://u:Pw9Secret/db', 'a port that is not a number (not shown'],
    ['an sslmode value that is no word', 'postgres://u@h/db?sslmode=Pw9Secret!', 'an sslmode value, which is not an sslmode']
  ])('refuses %s and never repeats the value', (_label, raw, message) => {
    const error = refused(raw)
    expect(error.code).toBe('invalid-input')
    expect(error.message).toContain(message)
    expect(everything(error)).not.toContain('Pw9Secret')
  })

  it('names the DATABASE_URL environment variable when the value came from there', () => {
    const error = (() => {
      try {
        parseDatabaseUrl('Pw9Secret', { fromEnvironment: true })
      } catch (e) {
        return e as ActionError
      }
      throw new Error('expected a refusal')
    })()
    expect(error.message).toMatch(/^The DATABASE_URL environment variable \(used because input 'database-url' is empty\) must be a PostgreSQL URL/)
    expect(everything(error)).not.toContain('Pw9Secret')
  })

  it('cuts a long file path in a TLS parameter', () => {
    const error = refused(`postgres://u:pw@h/db?sslrootcert=/${'x'.repeat(5000)}`)
    expect(error.message).toContain('… (4,801 more characters)')
    expect(error.message.length).toBeLessThan(500)
  })

  it('names the user name when the raw character is there', () => {
    const error = refused('postgres://us/er:pw@h/db')
    expect(error.message).toContain("user name with '/'")
    expect(everything(error)).not.toContain('us/er')
  })

  it('refuses percent-escapes that are not UTF-8 instead of failing with "URI malformed"', () => {
    const error = refused('postgres://u:%C3%28x@h/db')
    expect(error.message).toContain('not UTF-8')
    expect(error.message).not.toMatch(/malformed/i)
  })

  it('explains an @ after the credentials, which moves where they end', () => {
    const error = refused('postgres://u:pw@h/db?application_name=me@ci')
    expect(error.hint).toContain('an @ after them')
  })

  it.each([
    ['postgres://u:pw@h:99999/db', "the port '99999'"],
    ['postgres://u:pw@h:0/db', "the port '0'"],
    ['postgres://u:pw@h:54x/db', 'a port that is not a number'],
    ['postgres://u:pw@h/db?port=70000', "the port '70000'"]
  ])('%s: names the port', (raw, part) => {
    const error = refused(raw)
    expect(error.message).toContain(part)
    expect(error.hint).toContain('1 to 65535')
    expect(error.hint).not.toContain('percent')
  })

  it.each([
    ['postgres://u:pw@h1:5432,h2:5432/db', 'several hosts'],
    ['postgres://u:pw@h/db#frag', 'a # after the host'],
    ['postgres://u:pw@h/db?sslmode=verify', 'sslmode=verify, which is not an sslmode'],
    ['postgres://u:pw@h/db?sslrootcert=/missing/root.crt', 'sslrootcert=/missing/root.crt, but that file does not exist'],
    ['postgres://u:pw@h/d%zzb', 'database name with a %'],
    ['postgres://u:pw@h/db?secret-piece&sslmode=disable', 'query parameter without a name=value form']
  ])('%s: says which part is wrong', (raw, message) => {
    const error = refused(raw)
    expect(error.message).toContain(message)
    expect(error.message).not.toContain('secret-piece')
  })

  it('accepts a certificate file that exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgma-cert-'))
    try {
      writeFileSync(join(dir, 'root.crt'), 'not checked here')
      expect(parseDatabaseUrl(`postgres://u:pw@h/db?sslmode=verify-full&sslrootcert=${join(dir, 'root.crt')}`).tls).toBe('sslmode=verify-full')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('parseDatabaseUrl without a user in the URL', () => {
  it('logs in as PGUSER, as libpq would, and names that user everywhere', () => {
    const url = parseDatabaseUrl('postgres://:pw@db.internal:5433/app', { env: { PGUSER: 'deployer' } })
    expect(url.user).toBe('deployer')
    expect(pgParse(url.forPg)).toMatchObject({ user: 'deployer', password: 'pw', database: 'app' })
    expect(url.forSqlAlchemy).toBe('postgresql://deployer:pw@db.internal:5433/app')
    expect(url.display).toBe('postgresql://deployer:***@db.internal:5433/app')
  })

  it('then as the operating-system user, not as postgres', () => {
    const url = parseDatabaseUrl('postgres://db.internal/app', { env: {} })
    expect(url.user).toBe(userInfo().username)
    expect(pgParse(url.forPg).user).toBe(userInfo().username)
  })

  it('the URL’s user wins over PGUSER', () => {
    expect(parseDatabaseUrl('postgres://app@db.internal/app', { env: { PGUSER: 'deployer' } }).user).toBe('app')
    expect(parseDatabaseUrl('postgres://db.internal/app?user=app', { env: { PGUSER: 'deployer' } }).user).toBe('app')
  })
})
