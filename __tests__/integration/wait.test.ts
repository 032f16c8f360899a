import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDatabaseUrl } from '../../src/database-url.js'
import { ActionError } from '../../src/errors.js'
import { silentLogger } from '../../src/logger.js'
import { waitForServer, type WaitOptions } from '../../src/wait.js'
import { describeNeeding } from '../support/capabilities.js'
import { SCRATCH_PASSWORD, ScratchServer } from '../support/scratch-server.js'

const fast: WaitOptions = { timeoutMs: 30_000, retryDelayMs: 50, maxRetryDelayMs: 500, connectTimeoutMs: 5000 }

async function expectActionError(promise: Promise<unknown>): Promise<ActionError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError)
    return error as ActionError
  }
  throw new Error('expected the wait to fail')
}

describeNeeding(['scratch-server'], 'waitForServer against a real PostgreSQL that is not there yet', () => {
  let server: ScratchServer

  beforeAll(async () => {
    server = await ScratchServer.create()
  })
  afterAll(() => server?.destroy())

  it('waits for a late-starting server', async () => {
    server.stop()
    let startedAt = 0
    const starter = setTimeout(() => {
      server.start({ wait: false })
      startedAt = Date.now()
    }, 1500)
    const lines: string[] = []
    const { client, result } = await waitForServer(parseDatabaseUrl(server.url), fast, silentLogger(lines))
    clearTimeout(starter)
    try {
      expect(result.attempts).toBeGreaterThan(3)
      expect(result.reasons['connection refused']).toBeGreaterThan(0)
      expect(result.serverVersion).toMatch(/^15\./)
      expect(startedAt).toBeGreaterThan(0)
      expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1)
      // Refusals are logged compactly, not once per 50 ms attempt.
      expect(lines.filter((l) => l.includes('connection refused')).length).toBeLessThan(result.attempts)
    } finally {
      await client.end()
    }
  })

  it('is not fooled by an init server that listens only on the unix socket, then restarts', async () => {
    server.stop()
    server.start({ tcp: false })
    expect(server.psql('SELECT 1')).toBe('1\n')
    setTimeout(() => {
      server.stop()
      server.start({ tcp: true, wait: false })
    }, 1000)
    const { client, result } = await waitForServer(parseDatabaseUrl(server.url), fast, silentLogger())
    try {
      expect(result.attempts).toBeGreaterThan(1)
      expect((await client.query(`SELECT current_setting('listen_addresses') AS l`)).rows[0].l).toBe('127.0.0.1')
    } finally {
      await client.end()
    }
  })

  it('gives up at wait-timeout with the attempts and the last error', async () => {
    server.stop()
    const started = Date.now()
    const error = await expectActionError(waitForServer(parseDatabaseUrl(server.url), { ...fast, timeoutMs: 1000 }, silentLogger()))
    expect(Date.now() - started).toBeLessThan(2500)
    expect(error.code).toBe('server-not-ready')
    expect(error.message).toMatch(/not ready within wait-timeout \(1 s\) after \d+ attempts; last error: connection refused/)
    expect(error.hint).toContain('ports:')
  })

  it('fails fast on a wrong password, without the password anywhere in the error', async () => {
    server.start()
    const wrong = 'Wr0ng-Secret-Value'
    const started = Date.now()
    const error = await expectActionError(waitForServer(parseDatabaseUrl(`postgres://postgres:${wrong}@127.0.0.1:${server.port}/postgres`), fast, silentLogger()))
    expect(Date.now() - started).toBeLessThan(3000)
    expect(error.code).toBe('auth-failed')
    expect(error.message).toContain('password authentication failed')
    expect(error.hint).toContain('POSTGRES_PASSWORD')
    const everything = JSON.stringify({ m: error.message, h: error.hint, d: error.details })
    expect(everything).not.toContain(wrong)
    expect(everything).not.toContain(SCRATCH_PASSWORD)
  })

  it('connects over the unix socket of a URL with credentials and an empty host, as libpq does', async () => {
    server.start()
    const url = parseDatabaseUrl(`postgresql://postgres:${SCRATCH_PASSWORD}@/postgres?host=${server.dir}&port=${server.port}`)
    expect(url.host).toBe(server.dir)
    const { client } = await waitForServer(url, fast, silentLogger())
    try {
      // inet_client_addr() is NULL on a unix-socket connection.
      expect((await client.query('SELECT inet_client_addr() AS addr')).rows[0].addr).toBeNull()
    } finally {
      await client.end()
    }
  })

  it('waits for a unix socket that is not there yet, and names it when it never appears', async () => {
    server.stop()
    const error = await expectActionError(
      waitForServer(parseDatabaseUrl(`postgresql://postgres@/postgres?host=${server.dir}&port=${server.port}`), { ...fast, timeoutMs: 1000 }, silentLogger())
    )
    expect(error.code).toBe('server-not-ready')
    expect(error.message).toContain('no server socket in that directory')
    expect(error.hint).toContain(`${server.dir}/.s.PGSQL.${server.port}`)
  })

  it('fails at once when the server wants a password and the URL has none', async () => {
    server.start()
    const started = Date.now()
    const error = await expectActionError(waitForServer(parseDatabaseUrl(`postgres://postgres@127.0.0.1:${server.port}/postgres`), fast, silentLogger()))
    expect(Date.now() - started).toBeLessThan(3000)
    expect(error.code).toBe('auth-failed')
    expect(error.message).toContain('the server asks for a password, but database-url has none')
    expect(error.message).not.toContain('client password must be a string')
    expect(error.hint).toContain('postgres://user:PASSWORD@host')
  })

  it('says the URL has no password when MD5 authentication fails without one', async () => {
    server.start()
    const hba = join(server.dir, 'data', 'pg_hba.conf')
    writeFileSync(hba, `host all md5user 127.0.0.1/32 md5\n${readFileSync(hba, 'utf8')}`)
    server.psql(`SET password_encryption = 'md5'; CREATE ROLE md5user LOGIN PASSWORD 'md5-Secret-1'; SELECT pg_reload_conf()`)
    const error = await expectActionError(waitForServer(parseDatabaseUrl(`postgres://md5user@127.0.0.1:${server.port}/postgres`), fast, silentLogger()))
    expect(error.code).toBe('auth-failed')
    expect(error.message).toContain('password authentication failed, and database-url has no password')
    const withWrongPassword = await expectActionError(waitForServer(parseDatabaseUrl(`postgres://md5user:nope@127.0.0.1:${server.port}/postgres`), fast, silentLogger()))
    expect(withWrongPassword.message).not.toContain('has no password')
  })

  it.each(['verify-full', 'prefer'])('fails at once on sslmode=%s against a server without TLS, naming that sslmode', async (sslmode) => {
    server.start()
    const started = Date.now()
    const error = await expectActionError(waitForServer(parseDatabaseUrl(`${server.url}?sslmode=${sslmode}`), fast, silentLogger()))
    expect(Date.now() - started).toBeLessThan(3000)
    expect(error.code).toBe('tls-failed')
    expect(error.message).toContain('does not accept TLS')
    expect(error.hint).toContain(`sslmode=${sslmode}`)
    expect(error.hint).toContain('sslmode=disable')
    expect(error.hint).not.toContain('sslmode=require from')
  })

  it('fails fast on a database that does not exist', async () => {
    server.start()
    const error = await expectActionError(waitForServer(parseDatabaseUrl(server.url.replace(/\/postgres$/, '/no_such_db')), fast, silentLogger()))
    expect(error.code).toBe('database-missing')
    expect(error.message).toContain('no_such_db')
    expect(error.hint).toContain('POSTGRES_DB')
  })
})
