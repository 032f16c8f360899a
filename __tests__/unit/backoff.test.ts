import { describe, expect, it } from '@jest/globals'
import { Backoff } from '../../src/backoff.js'

describe('Backoff', () => {
  it('polls at the short interval', () => {
    expect(new Backoff(100, 2000).poll()).toBe(100)
  })

  it('grows exponentially up to the cap, with jitter inside the bounds', () => {
    const top = new Backoff(100, 2000, () => 1)
    expect([1, 2, 3, 4, 5, 6, 7].map(() => top.next())).toEqual([100, 200, 400, 800, 1600, 2000, 2000])
    const bottom = new Backoff(100, 2000, () => 0)
    expect([1, 2, 3].map(() => bottom.next())).toEqual([100, 100, 100])
    const middle = new Backoff(100, 2000, () => 0.5)
    middle.next()
    expect(middle.next()).toBe(150)
  })

  it('starts over after reset', () => {
    const b = new Backoff(100, 2000, () => 1)
    b.next()
    b.next()
    b.reset()
    expect(b.next()).toBe(100)
  })
})
