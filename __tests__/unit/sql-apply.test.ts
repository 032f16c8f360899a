import { describe, expect, it } from '@jest/globals'
import { RetryPolicy } from '../../src/engines/sql/retry.js'

const pgError = (code: string): Error => Object.assign(new Error('x'), { code })

describe('retry policy', () => {
  it('retries transient failures while attempts remain', () => {
    const policy = new RetryPolicy({ retries: 2, retryDelayMs: 100, maxRetryDelayMs: 2000 })
    expect([1, 2, 3].map((attempt) => policy.allows(pgError('55P03'), attempt))).toEqual([true, true, false])
    expect(policy.allows(new Error('Connection terminated unexpectedly'), 1)).toBe(true)
    expect(policy.allows(pgError('42P01'), 1)).toBe(false)
    expect(new RetryPolicy({ retries: 0, retryDelayMs: 100, maxRetryDelayMs: 2000 }).allows(pgError('40P01'), 1)).toBe(false)
  })

  it('grows the delay per attempt up to max-retry-delay, the bounds of the readiness wait', () => {
    const policy = new RetryPolicy({ retries: 20, retryDelayMs: 100, maxRetryDelayMs: 2000 })
    const delays = Array.from({ length: 40 }, () => policy.nextDelayMs())
    expect(delays.every((d) => d >= 100 && d <= 2000)).toBe(true)
    // Full jitter: over forty attempts the ceiling reaches max-retry-delay, so a restart of seconds is covered.
    expect(delays.slice(5).some((d) => d > 400)).toBe(true)
  })
})
