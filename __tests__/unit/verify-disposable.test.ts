import { describe, expect, it } from '@jest/globals'
import type { LookupAddress } from 'node:dns'
import { hostNotDisposable, type HostLookup } from '../../src/verify/disposable.js'

/**
 * verify-downgrade runs only where losing the data is expected. The host is judged by the addresses
 * it resolves to, as the driver would connect, never by how it is spelled.
 */

describe('hostNotDisposable, with the system resolver', () => {
  it.each(['localhost', '127.0.0.1', '127.0.0.53', '::1', '2130706433', '0x7f000001', '0177.0.0.1', '127.1', '/var/run/postgresql'])('%s is loopback or a socket', async (host) => {
    expect(await hostNotDisposable(host)).toBeUndefined()
  })

  it.each([
    ['167772161', '10.0.0.1'],
    ['0x0a000001', '10.0.0.1'],
    ['012.0.0.1', '10.0.0.1'],
    ['10.1', '10.0.0.1'],
    ['10.0.0.5', '10.0.0.5'],
    ['2001:db8::1', '2001:db8::1']
  ])('%s resolves to %s, which is neither loopback nor a service container', async (host, address) => {
    expect(await hostNotDisposable(host)).toBe(`the host ${host} resolves to ${address}, which is not loopback`)
  })
})

describe('hostNotDisposable, with a resolver standing in for the job network', () => {
  const resolver =
    (table: Record<string, string[]>): HostLookup =>
    async (host) => {
      const addresses = table[host]
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
      return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }))
    }

  it('accepts a one-label service container name on a private network (the database must still be empty)', async () => {
    const lookup = resolver({ postgres: ['172.18.0.2'], db: ['10.1.0.7', 'fd00::7'] })
    expect(await hostNotDisposable('postgres', lookup)).toBeUndefined()
    expect(await hostNotDisposable('db', lookup)).toBeUndefined()
  })

  it('refuses a one-label name with a public address, a dotted name on a private one, and mixed loopback and remote addresses', async () => {
    const lookup = resolver({ prod: ['203.0.113.9'], 'db.internal.example.com': ['10.0.0.9'], localhost: ['127.0.0.1', '192.0.2.1'] })
    expect(await hostNotDisposable('prod', lookup)).toBe('the host prod resolves to 203.0.113.9, which is neither loopback nor a private address')
    expect(await hostNotDisposable('db.internal.example.com', lookup)).toBe(
      'the host db.internal.example.com resolves to 10.0.0.9, which is not loopback (only a one-label service container name may be a private address)'
    )
    expect(await hostNotDisposable('localhost', lookup)).toBe('the host localhost resolves to 127.0.0.1, 192.0.2.1, which is neither loopback nor a private address')
  })

  it('refuses a host that does not resolve, with the resolver error', async () => {
    expect(await hostNotDisposable('nowhere', resolver({}))).toBe('the host nowhere does not resolve (getaddrinfo ENOTFOUND nowhere)')
  })
})
