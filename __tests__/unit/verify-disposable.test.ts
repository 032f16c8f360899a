import { describe, expect, it } from '@jest/globals'
import { looksDisposable } from '../../src/verify/index.js'

/** verify-downgrade runs only where losing the data is expected: loopback, a socket, a job's service container. */

describe('looksDisposable', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['::1', true],
    ['/var/run/postgresql', true],
    ['postgres', true],
    ['db.internal.example.com', false],
    ['10.0.0.5', false],
    ['2001:db8::1', false]
  ])('%s → %s', (host, expected) => {
    expect(looksDisposable(host)).toBe(expected)
  })
})
