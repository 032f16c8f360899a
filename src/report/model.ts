import type { BackupResult } from '../backup/index.js'
import type { ErrorCode } from '../codes.js'
import type { ChecksOutcome } from '../checks/index.js'
import type { ApplyResult, Chain, DatabaseState, DowngradeResult, EngineName, PendingRevision, Problem, RepairResult, Revision } from '../engines/engine.js'
import type { VerifyOutcome } from '../verify/index.js'
import type { DriftOutcome, SchemaChangeOutcome } from '../scratch/outcomes.js'
import type { ErrorLocation } from '../errors.js'
import type { Mode } from '../inputs.js'
import type { ExtensionsResult } from '../extensions.js'
import type { LockResult } from '../lock.js'
import type { WaitResult } from '../wait.js'
import type { GraphSummary } from '../chain/graph.js'
import type { GateResult } from '../lint/gate.js'
import type { LintResult } from '../lint/lint.js'

/** The stages of one run, in pipeline order (src/pipeline/index.ts runs them). */
export const STAGES = [
  'inputs',
  'load checks',
  'wait',
  'extensions',
  'load chain',
  'lock',
  'repair',
  'validate',
  'lint',
  'drift',
  'plan',
  'backup',
  'snapshot',
  'apply',
  'schema change',
  'verify downgrade',
  'downgrade',
  'checks'
] as const
export type StageName = (typeof STAGES)[number]

export interface StageRecord {
  name: StageName
  status: 'ok' | 'warning' | 'failed' | 'skipped'
  durationMs: number
  /** One line: what the stage found or did. */
  summary: string
}

export interface ReportedError {
  stage: StageName | 'report'
  code: ErrorCode
  message: string
  hint?: string
  details: string[]
  location: ErrorLocation
  /** True when the error is a bug in the action rather than the user's problem. */
  bug: boolean
  stack?: string
}

export type AnnotationKind = 'error' | 'warning' | 'notice'

/** The annotations GitHub would not have shown (it shows a limited number of each kind per step), so none was made. */
export interface AnnotationsLeftOut {
  /** GitHub's limit per kind and step. */
  perKind: number
  total: number
  /** How many the run had to make. */
  of: number
  kinds: Record<AnnotationKind, number>
  /** Of the left-out ones: lint findings, chain problems, lock waits and server notices (the failed migration is always annotated). */
  findings: number
  problems: number
  lockWaits: number
  notices: number
}

/** Everything a run learned. Built from stage results only; rendered once, in report/render.ts. */
export interface RunReport {
  status: 'success' | 'failure'
  mode?: Mode
  engine?: EngineName
  database?: string
  migrationsPath?: string
  startedAt: Date
  durationMs: number
  stages: StageRecord[]
  serverVersion?: string
  wait?: WaitResult
  extensions?: ExtensionsResult
  chain?: Chain
  graph?: GraphSummary
  state?: DatabaseState
  problems: Problem[]
  lock?: LockResult
  /** The revisions validation found pending, in the order they run. */
  pending?: Revision[]
  /** How each pending revision runs, with its SQL; absent when the run stopped before planning (validate mode). */
  plan?: PendingRevision[]
  apply?: ApplyResult
  /** `mode: repair`: what was recorded, with the rows before and after. */
  repair?: RepairResult
  /** What the pending migrations change in the schema (plan, validate), or what this run changed (migrate). */
  schemaChange?: SchemaChangeOutcome
  /** The target against a replay of its applied migrations (validate, migrate before apply). */
  drift?: DriftOutcome
  /** verify-downgrade: the round trip of the down migrations after the upgrade. */
  verifyDowngrade?: VerifyOutcome
  /** `mode: downgrade`: the down steps run, and the state reached (read from the database). */
  downgrade?: DowngradeResult
  /** The post-migration checks (the `checks` input), each passed or failed with the rows it returned. */
  checks?: ChecksOutcome
  /** The pg_dump taken before applying, or why none was. */
  backup?: BackupResult
  /** The risk lint of the pending set and what the gate made of it. */
  lint?: { result: LintResult; gate: GateResult }
  error?: ReportedError
  warnings: string[]
  /** Set by the runner side before rendering (src/runner/annotations.ts). */
  annotationsLeftOut?: AnnotationsLeftOut
}

/**
 * The revision(s) the database records at the end of the run: read after verify-downgrade when it
 * ran (a round trip that stopped may leave it elsewhere), else what the apply or the downgrade read,
 * else validation.
 */
export function currentAtEnd(report: RunReport): string[] | undefined {
  return report.verifyDowngrade?.end?.current ?? report.downgrade?.current ?? report.apply?.current ?? report.state?.current
}
