import type pg from 'pg'
import type { MigrationLock } from '../../lock.js'
import type { MigrationFailure } from '../engine.js'
import { cancelSignal } from '../../cancel.js'
import { cancelledBeforeStart, changedByAnotherRun, notStartedFailure } from './failures.js'
import { canonicalVersion } from './files.js'
import type { HistoryRow, HistoryTable } from './history.js'
import type { PlannedMigration } from './plan.js'

/** Go ahead, skip (another run applied it meanwhile), or stop. */
export type Verdict = { status: 'go' } | { status: 'applied-elsewhere' } | { status: 'failed'; failure: MigrationFailure }

/**
 * How long a confirmed lock is trusted for a transactional migration's first attempt while its
 * session stays open: the pg_locks query was one more round trip per migration. Losing the lock
 * means losing its session, which closes it (server restart, terminated backend), and a lost server
 * fails the migration too, whose retry checks for real; the interval bounds the time a silently
 * dead connection could go unnoticed.
 */
const TRUST_MS = 1000

/**
 * Checked before every attempt of every migration: the migration lock is still held. When it was
 * lost (its session died with the server) and re-acquired, another runner may have applied
 * migrations in between: the history is read again, and what it lists is not applied twice.
 */
export class LockGuard {
  /** The history as read after the last re-acquisition; undefined while the lock was never lost. */
  private rows: Map<string, HistoryRow> | undefined
  /** The lock session last confirmed, when, and whether it has closed since. */
  private confirmed: { session: pg.Client; at: number; closed: boolean } | undefined

  /** `signal`: a cancelled run starts no further migration. */
  constructor(
    private readonly lock: MigrationLock,
    private readonly history: HistoryTable,
    readonly signal?: AbortSignal
  ) {}

  /** The lock's session: alive after `check`, it records the progress of non-transactional files. */
  get session(): pg.Client {
    return this.lock.session
  }

  /** `attempt` > 1 follows a failure, after which the lock is always checked on the server. */
  async check(p: PlannedMigration, attempt: number): Promise<Verdict> {
    const cancelled = cancelSignal(this.signal)
    if (cancelled) return { status: 'failed', failure: cancelledBeforeStart(p, cancelled) }
    try {
      if (!(p.transactional && attempt === 1 && (await this.trustedAfterPendingEvents()))) await this.hold()
    } catch (error) {
      return { status: 'failed', failure: notStartedFailure(p, error) }
    }
    return this.verdict(p)
  }

  /**
   * transaction: all — the lock checked once before each attempt of the whole run; the versions
   * another run applied while the lock was lost are left out of the attempt.
   */
  async checkAll(planned: PlannedMigration[], attempt: number): Promise<{ status: 'go'; appliedElsewhere: string[] } | { status: 'failed'; failure: MigrationFailure }> {
    const cancelled = cancelSignal(this.signal)
    if (cancelled) return { status: 'failed', failure: cancelledBeforeStart(planned[0], cancelled) }
    try {
      if (!(attempt === 1 && (await this.trustedAfterPendingEvents()))) await this.hold()
    } catch (error) {
      return { status: 'failed', failure: notStartedFailure(planned[0], error) }
    }
    const appliedElsewhere: string[] = []
    for (const p of planned) {
      const verdict = this.verdict(p)
      if (verdict.status === 'failed') return verdict
      if (verdict.status === 'applied-elsewhere') appliedElsewhere.push(p.migration.version)
    }
    return { status: 'go', appliedElsewhere }
  }

  private verdict(p: PlannedMigration): Verdict {
    const row = this.rows?.get(canonicalVersion(p.migration.version))
    if (!row) return { status: 'go' }
    if (row.dirty || row.checksum !== p.migration.checksum) return { status: 'failed', failure: changedByAnotherRun(p, row, this.history) }
    return { status: 'applied-elsewhere' }
  }

  /** After the connection was lost at COMMIT: whether the commit went through. */
  async committed(p: PlannedMigration): Promise<boolean> {
    try {
      await this.hold()
      return await this.history.has(this.lock.session, p.migration.version)
    } catch {
      return false
    }
  }

  private async hold(): Promise<void> {
    const reacquired = await this.lock.ensureHeld()
    this.confirm()
    if (!reacquired) return
    const rows = (await this.history.read(this.lock.session)) ?? []
    this.rows = new Map(rows.map((r) => [canonicalVersion(r.version), r]))
  }

  /** A close that arrived together with the last migration's result is handled first. */
  private async trustedAfterPendingEvents(): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve))
    return this.trusted()
  }

  private trusted(): boolean {
    const c = this.confirmed
    return c !== undefined && !c.closed && c.session === this.lock.session && Date.now() - c.at < TRUST_MS
  }

  private confirm(): void {
    const session = this.lock.session
    if (this.confirmed?.session === session) {
      this.confirmed.at = Date.now()
      return
    }
    const confirmed = { session, at: Date.now(), closed: false }
    session.once('end', () => (confirmed.closed = true))
    this.confirmed = confirmed
  }
}
