import { Backoff } from '../../backoff.js'
import type { Settings } from '../../inputs.js'
import { isTransientMigrationError } from '../../pg-errors.js'

/**
 * When a failed transactional attempt is tried again, and after how long. The delays grow to
 * max-retry-delay, the bounds of the readiness wait; after a lost connection the lock check before
 * the next attempt also waits for the server to be ready again (up to wait-timeout), so a server
 * restart of a few seconds does not use up the retries.
 */
export class RetryPolicy {
  private readonly backoff: Backoff

  constructor(private readonly settings: Pick<Settings, 'retries' | 'retryDelayMs' | 'maxRetryDelayMs'>) {
    this.backoff = new Backoff(settings.retryDelayMs, settings.maxRetryDelayMs)
  }

  /** Whether attempt number `attempt`, which failed with `error`, is followed by another. */
  allows(error: unknown, attempt: number): boolean {
    return attempt <= this.settings.retries && isTransientMigrationError(error)
  }

  nextDelayMs(): number {
    return this.backoff.next()
  }
}
