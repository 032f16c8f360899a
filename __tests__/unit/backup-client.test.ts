import { describe, expect, it } from '@jest/globals'
import { chooseClient, installStep, parseClientVersion, type PgDumpClient } from '../../src/backup/client.js'
import type { ActionError } from '../../src/errors.js'

const client = (major: number, dir: string): PgDumpClient => ({ pgDump: `${dir}/pg_dump`, pgRestore: `${dir}/pg_restore`, major, version: `${major}.1` })

describe('the pg_dump client for a backup', () => {
  it.each([
    ['pg_dump (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)', { major: 15, version: '15.8' }],
    ['pg_dump (PostgreSQL) 17.2 (Ubuntu 17.2-1.pgdg24.04+1)', { major: 17, version: '17.2' }],
    ['pg_dump (PostgreSQL) 18beta1', { major: 18, version: '18' }],
    ['something else', undefined]
  ])('reads the version of %s', (output, expected) => {
    expect(parseClientVersion(output)).toEqual(expected)
  })

  it('picks the newest client at least as new as the server, the first found among equals', () => {
    const found = [client(14, '/usr/bin'), client(17, '/usr/lib/postgresql/17/bin'), client(17, '/opt/pg17/bin'), client(16, '/usr/lib/postgresql/16/bin')]
    expect(chooseClient(found, 16).pgDump).toBe('/usr/lib/postgresql/17/bin/pg_dump')
    expect(chooseClient(found, 17).pgDump).toBe('/usr/lib/postgresql/17/bin/pg_dump')
  })

  it('refuses when every client is older than the server, with the install step for that major version', () => {
    let error: ActionError | undefined
    try {
      chooseClient([client(14, '/usr/bin')], 17)
    } catch (e) {
      error = e as ActionError
    }
    expect(error?.code).toBe('backup-client-missing')
    expect(error?.message).toContain('found only /usr/bin/pg_dump (14.1)')
    expect(error?.hint).toContain(installStep(17))
    expect(installStep(17)).toBe(
      'sudo apt-get install -y postgresql-common && sudo /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y && sudo apt-get install -y postgresql-client-17'
    )
    expect(() => chooseClient([], 15)).toThrow('no pg_dump with a pg_restore next to it was found')
  })
})
