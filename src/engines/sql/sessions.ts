import type pg from 'pg'
import { backendPid } from '../../blockers.js'
import { closeQuietly } from '../../connection.js'
import type { EngineContext } from '../engine.js'

/** How often a cancelled run repeats its cancel request while the statement has not stopped yet. */
const CANCEL_REPEAT_MS = 250

/**
 * One migration session, reused while migrations succeed: a new backend per migration (connect,
 * authenticate, cold catalog caches) cost ~25 ms each, most of the per-migration overhead measured
 * in bench/. After a success that may have changed the session (SET, TEMP objects, …: see
 * session-state.ts) it is reset to a fresh state, so nothing leaks into the next migration; after
 * any failure it is dropped, so a retry starts clean.
 *
 * A cancelled run (ctx.signal) stops the statement in flight with pg_cancel_backend, sent on the
 * lock's session: the statement fails, and its transaction is rolled back as after any failure.
 * Closing the connection instead would leave the backend running the statement — and a migration
 * sent as one message would even commit — after the action released the lock.
 */
export class MigrationSessions {
  private session: pg.Client | undefined
  private inFlight = 0
  private readonly onCancel = (): void => void this.cancelInFlight()

  constructor(private readonly ctx: EngineContext) {
    ctx.signal?.addEventListener('abort', this.onCancel, { once: true })
  }

  async acquire(): Promise<pg.Client> {
    this.session ??= await this.ctx.connect()
    return this.session
  }

  /** Runs a statement on the session; a cancel of the run stops it on the server. */
  async running<T>(query: () => Promise<T>): Promise<T> {
    this.inFlight++
    try {
      if (this.ctx.signal?.aborted) void this.cancelInFlight()
      return await query()
    } finally {
      this.inFlight--
    }
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

  /** The run is over: the session is closed and a later cancel has nothing to stop. */
  async close(): Promise<void> {
    this.ctx.signal?.removeEventListener('abort', this.onCancel)
    await this.discard()
  }

  /**
   * A cancel that reaches the backend between two statements of a message, or before the statement
   * arrived, is ignored by the server: it is repeated until the statement has stopped.
   */
  private async cancelInFlight(): Promise<void> {
    const via = this.controlSession()
    while (this.inFlight > 0 && this.session) {
      const pid = backendPid(this.session)
      if (pid === null) return
      await via.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined)
      await new Promise((resolve) => setTimeout(resolve, CANCEL_REPEAT_MS))
    }
  }

  /** The lock's session while it is held (it is idle while a migration runs), else the action's own connection. */
  private controlSession(): pg.Client {
    try {
      return this.ctx.lock?.session ?? this.ctx.client
    } catch {
      return this.ctx.client
    }
  }
}
