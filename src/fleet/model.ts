import type { ErrorCode } from '../codes.js'
import type { Mode } from '../inputs.js'
import type { RiskThreshold } from '../lint/rule.js'

/** Many databases in one step (`databases`, `databases-query`): what the fleet summary and the `targets` output are built from. */

/** A database the fleet migrates. */
export interface FleetTarget {
  /** `user@host:port/database`, never the password: the name the summary, the log and the outputs use. */
  label: string
  /** What this target's pipeline gets as database-url; holds the password, so it is never rendered or output. */
  url: string
  /** `host:port/database`: the same database listed twice is migrated once. */
  key: string
}

export type TargetStatus = 'success' | 'failure' | 'not-run'

/**
 * One target's line of the fleet table, kept instead of its whole RunReport (a thousand reports
 * with their SQL would not fit in memory for long); also the `targets` output and what report-json carries.
 */
export interface TargetRow {
  target: string
  status: TargetStatus
  canary: boolean
  /** The revisions the database recorded before the run, as validation read them; null when the run did not get that far. */
  from: string[] | null
  /** The revisions it records at the end (read from the database); null when not known. */
  to: string[] | null
  applied: number
  /** Still pending after the run (plan and validate: would be applied); null when not known. */
  pending: number | null
  durationMs: number | null
  maxRisk: RiskThreshold | null
  /** How long the run waited for the migration lock another run held (a second fleet over the same database); null when it took none. */
  lockWaitMs: number | null
  /** The pgvector version the database has after the run; null when it has none or the run did not get that far. */
  pgvector: string | null
  /** The headline of the target's own report (markdown), or why it did not run. */
  result: string
  error?: { code: ErrorCode; stage: string; message: string }
  /** A failed target's callout (markdown), folded under the table. */
  callout?: string
}

/** The fleet's own failure, before any target ran: an invalid input, a `databases-query` that failed. */
export interface FleetError {
  code: ErrorCode
  message: string
  hint?: string
  input?: string
}

export interface FleetReport {
  status: 'success' | 'failure'
  mode?: Mode
  startedAt: Date
  durationMs: number
  maxParallel?: number
  canary?: number
  onError?: 'stop' | 'continue'
  /** In the order the fleet was given, not the order the runs finished. */
  targets: TargetRow[]
  error?: FleetError
  warnings: string[]
}
