import type { Logger } from '../../logger.js'
import type { HistoryTable, Provenance } from './history.js'
import type { LockGuard, Verdict } from './lock-guard.js'
import type { MigrationSessions } from './sessions.js'
import type { MigrationWatch } from '../../watch/index.js'

/** What both runners (transactional and autocommit) work with. */
export interface RunnerDeps {
  sessions: MigrationSessions
  guard: LockGuard
  /** Watches each migration from the lock's session: lock waits, and progress lines for long statements. */
  watch: MigrationWatch
  history: HistoryTable
  provenance: Provenance
  /** Where the server's notices are logged as they arrive. */
  log: Logger
}

/** How one migration ended: applied by this run, found applied by another, or failed. */
export type RunnerOutcome = { status: 'applied' } | Exclude<Verdict, { status: 'go' }>
