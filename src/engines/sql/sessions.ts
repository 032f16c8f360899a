import type pg from 'pg'
import { closeQuietly } from '../../connection.js'
import type { EngineContext } from '../engine.js'

/**
 * One migration session, reused while migrations succeed: a new backend per migration (connect,
 * authenticate, cold catalog caches) cost ~25 ms each, most of the per-migration overhead measured
 * in bench/. After a success that may have changed the session (SET, TEMP objects, …: see
 * session-state.ts) it is reset to a fresh state, so nothing leaks into the next migration; after
 * any failure it is dropped, so a retry starts clean.
 */
export class MigrationSessions {
  private session: pg.Client | undefined

  constructor(private readonly ctx: EngineContext) {}

  async acquire(): Promise<pg.Client> {
    this.session ??= await this.ctx.connect()
    return this.session
  }

  /** The migration succeeded: keep the session for the next one, reset when it may have changed. */
  async release(reset: boolean): Promise<void> {
    if (!this.session || !reset) return
    try {
      await this.ctx.resetSession(this.session)
    } catch {
      await this.discard()
    }
  }

  /** Closing the session also rolls back whatever it left open. */
  async discard(): Promise<void> {
    const session = this.session
    this.session = undefined
    await closeQuietly(session)
  }
}
