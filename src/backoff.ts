/**
 * Exponential backoff with jitter between `minMs` and `maxMs`. `poll()` returns the short interval
 * for cheap failures; `next()` grows for costly ones. Randomness is injected for tests.
 */
export class Backoff {
  private failures = 0

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random
  ) {}

  /** The short interval: cheap failures are polled, not backed off. */
  poll(): number {
    return this.minMs
  }

  /** Full jitter over [min, min·2^n] capped at max — spreads concurrent jobs apart. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** this.failures)
    this.failures++
    return Math.round(this.minMs + this.random() * (ceiling - this.minMs))
  }

  reset(): void {
    this.failures = 0
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
