import type pg from 'pg'
import type { MigrationLock } from '../../lock.js'
import type { MigrationFailure } from '../engine.js'
import { changedByAnotherRun, notStartedFailure } from './failures.js'
import { canonicalVersion } from './files.js'
import type { HistoryRow, HistoryTable } from './history.js'
import type { PlannedMigration } from './plan.js'

/** Go ahead, skip (another run applied it meanwhile), or stop. */
export type Verdict = { status: 'go' } | { status: 'applied-elsewhere' } | { status: 'failed'; failure: MigrationFailure }

/**
 * Checked before every attempt of every migration: the migration lock is still held. When it was
 * lost (its session died with the server) and re-acquired, another runner may have applied
 * migrations in between: the history is read again, and what it lists is not applied twice.
 */
export class LockGuard {
  /** The history as read after the last re-acquisition; undefined while the lock was never lost. */
  private rows: Map<string, HistoryRow> | undefined

  constructor(
    private readonly lock: MigrationLock,
    private readonly history: HistoryTable
  ) {}

  /** The lock's session: alive after `check`, it records the progress of non-transactional files. */
  get session(): pg.Client {
    return this.lock.session
  }

  async check(p: PlannedMigration): Promise<Verdict> {
    try {
      await this.hold()
    } catch (error) {
      return { status: 'failed', failure: notStartedFailure(p, error) }
    }
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
    if (!(await this.lock.ensureHeld())) return
    const rows = (await this.history.read(this.lock.session)) ?? []
    this.rows = new Map(rows.map((r) => [canonicalVersion(r.version), r]))
  }
}
