import type pg from 'pg'
import type { RevisionRun } from '../engines/engine.js'
import { durationMs } from '../inputs.js'
import type { Logger } from '../logger.js'
import { describeLockWaits, LockWaitLog, type LockWaits } from './lock-waits.js'
import { ProgressLines } from './progress.js'
import { readLockWaits, readProgress, type MigrationSessionsFilter } from './queries.js'

/**
 * While a migration runs, another session watches it (the lock's, idle meanwhile): every
 * WATCH_SAMPLE_MS which sessions wait for a lock the migration holds or queued for, and what the
 * migration itself waits for; every PROGRESS_INTERVAL_MS a line in the log for a statement that has
 * run for more than half of it, with the progress of an index build. A migration that ends within
 * WATCH_FIRST_SAMPLE_MS — nearly all of them — costs a timer and no query.
 *
 * The observer session is shared: the cancel path sends pg_cancel_backend on it, and the SQL engine
 * its history bookkeeping between statements. node-postgres queues a session's queries, and the
 * watcher keeps at most one of its own in flight, so a cancel waits for one sample at most (a few ms).
 */

/** The first look: a shorter wait is not worth a line, and most migrations are over by then. */
export const WATCH_FIRST_SAMPLE_MS = 100
export const WATCH_SAMPLE_MS = 200
export const PROGRESS_INTERVAL_MS = 10_000
/** For tests only: progress lines every this many ms instead of every 10 s. */
export const PROGRESS_INTERVAL_VARIABLE = 'PGMA_TEST_PROGRESS_INTERVAL_MS'
/** For tests and the bench only: `off` runs migrations unwatched, to measure what watching costs. */
export const WATCH_VARIABLE = 'PGMA_TEST_WATCH'
/** How long the end of a migration waits for a sample in flight, should the observer's connection hang. */
const SETTLE_MS = 1000

export interface WatchOptions {
  /** The lock-timeout input: a wait longer than it becomes a warning annotation. */
  lockTimeout: string
  log: Logger
  env?: NodeJS.ProcessEnv
}

/** The migration being watched: its sessions, and what is running in them now. */
export interface Watched extends MigrationSessionsFilter {
  /** The revision running now, which a wait seen now is counted against. */
  revision: () => string
  /** How a progress line names what runs: "migrations/0004_index.sql" or "revision abc123 (versions/abc123_index.py)". */
  describe: () => string
  /** transaction: all — the waits belong to the run's one transaction, whichever migration took the lock. */
  scope?: string
}

export class MigrationWatch {
  private readonly logs = new Map<string, LockWaitLog>()
  private readonly lockTimeout: LockWaits['lockTimeout']
  private readonly enabled: boolean
  private readonly progressMs: number

  /** `observer`: the session to watch from, asked for at every look (a re-acquired migration lock has a new one). */
  constructor(
    private readonly observer: () => pg.Client,
    private readonly options: WatchOptions
  ) {
    const env = options.env ?? process.env
    this.lockTimeout = { text: options.lockTimeout, ms: durationMs(options.lockTimeout) }
    this.enabled = env[WATCH_VARIABLE] !== 'off'
    const interval = Number(env[PROGRESS_INTERVAL_VARIABLE])
    this.progressMs = Number.isInteger(interval) && interval >= 2 * WATCH_SAMPLE_MS ? interval : PROGRESS_INTERVAL_MS
  }

  /** Runs `run` (a migration's statement or message, or Alembic's upgrade) under watch. */
  async during<T>(watched: Watched, run: () => Promise<T>): Promise<T> {
    if (!this.enabled) return run()
    const started = Date.now()
    const progress = new ProgressLines()
    const half = this.progressMs / 2
    let looks = 0
    let stopped = false
    let timer: NodeJS.Timeout | undefined
    let sampling: Promise<void> = Promise.resolve()
    const look = async (): Promise<void> => {
      try {
        const client = this.observer()
        const at = Date.now()
        const rows = await readLockWaits(client, watched)
        this.logFor(watched).add(rows, at)
        if (Date.now() - started >= (looks + 1) * half) {
          looks++
          await this.progress(client, watched, progress, looks % 2 === 0)
        }
      } catch (error) {
        // The observer's session is gone (the server restarted, the lock was lost): the engine finds out on its own.
        stopped = true
        this.options.log.debug(`Stopped watching the migration: ${error instanceof Error ? error.message : String(error)}`)
      }
      if (!stopped) timer = setTimeout(tick, WATCH_SAMPLE_MS)
    }
    const tick = (): void => {
      sampling = look()
    }
    timer = setTimeout(tick, WATCH_FIRST_SAMPLE_MS)
    try {
      return await run()
    } finally {
      stopped = true
      clearTimeout(timer)
      let settled: NodeJS.Timeout | undefined
      await Promise.race([sampling, new Promise<void>((resolve) => (settled = setTimeout(resolve, SETTLE_MS)))])
      clearTimeout(settled)
    }
  }

  /**
   * Once a migration is over: its lock waits onto its run (for the Migrations table and the
   * annotations), and a line each in the log. A migration nobody waited for and that waited for
   * nobody gets nothing.
   */
  settle(run: RevisionRun): void {
    const log = this.logs.get(run.id)
    if (!log || log.empty) return
    run.lockWaits = log.result(this.lockTimeout)
    for (const line of describeLockWaits(run.lockWaits)) this.options.log.info(`${run.id}: ${line}`)
  }

  private logFor(watched: Watched): LockWaitLog {
    const revision = watched.revision()
    let log = this.logs.get(revision)
    if (!log) this.logs.set(revision, (log = new LockWaitLog(watched.scope)))
    return log
  }

  /** Every other look writes a line per migration session whose statement has run for longer than half the interval. */
  private async progress(client: pg.Client, watched: Watched, lines: ProgressLines, write: boolean): Promise<void> {
    const at = Date.now()
    for (const row of await readProgress(client, watched)) {
      if (!write || (row.ms ?? 0) < this.progressMs / 2) lines.note(row, at)
      else this.options.log.info(`Still running: ${watched.describe()}, ${lines.line(row, at)}`)
    }
  }
}
