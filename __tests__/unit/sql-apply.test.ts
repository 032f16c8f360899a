import { describe, expect, it } from '@jest/globals'
import { backoff, connectionLost, sqlState, transient } from '../../src/engines/sql/apply.js'

describe('retry policy', () => {
  it('doubles the delay per attempt, caps it, and jitters within the upper half', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoff(a, 100, 500, () => 1))).toEqual([100, 200, 400, 500, 500])
    expect([1, 2, 3].map((a) => backoff(a, 100, 500, () => 0))).toEqual([50, 100, 200])
  })

  it('retries lock timeouts, deadlocks, serialization failures and lost connections only', () => {
    const pgError = (code: string): Error => Object.assign(new Error('x'), { code })
    expect(transient(pgError('55P03'))).toBe(true)
    expect(transient(pgError('40P01'))).toBe(true)
    expect(transient(pgError('40001'))).toBe(true)
    expect(transient(pgError('57P01'))).toBe(true)
    expect(transient(pgError('08006'))).toBe(true)
    expect(transient(pgError('ECONNRESET'))).toBe(true)
    expect(transient(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(transient(pgError('57014'))).toBe(false) // statement_timeout
    expect(transient(pgError('42P01'))).toBe(false)
    expect(transient(pgError('23505'))).toBe(false)
    expect(connectionLost(pgError('55P03'))).toBe(false)
    expect(sqlState(pgError('ECONNRESET'))).toBeUndefined()
    expect(sqlState(pgError('42P01'))).toBe('42P01')
  })
})
