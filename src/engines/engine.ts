import type pg from 'pg'
import type { BlockingSession } from '../blockers.js'
import type { ErrorCode, ProblemCode } from '../codes.js'
import type { QualifiedName, RepairRequest, Settings } from '../inputs.js'
import type { MigrationLock } from '../lock.js'
import type { LockWaits } from '../watch/lock-waits.js'
import type { Logger } from '../logger.js'
import type { ServerNotice } from './notices.js'

/**
 * Every engine (plain SQL files, Alembic, …) implements this one interface. The rest of the pipeline
 * only sees revisions, a graph of parents, the database's applied state, per-revision SQL and an
 * apply result; it never knows which engine it has.
 */
export type EngineName = 'sql' | 'alembic'

export interface Revision {
  /** SQL engine: the version (`0001`); Alembic: the revision id. */
  id: string
  /** Parent revision ids; empty for a root. A merge has several. */
  parents: string[]
  /** Alembic `depends_on`: must be applied first, but is not a parent. */
  dependsOn: string[]
  branchLabels: string[]
  /** The file name's description or the revision's docstring message. */
  description: string
  /** Path relative to the working directory (the repository root on a runner), for annotations. */
  file: string
  /** The line that declares the revision, when known. */
  line?: number
  /** SQL engine: sha256 of the up section. */
  checksum?: string
}

export interface Chain {
  engine: EngineName
  /** The migrations directory as given (relative to the working directory). */
  directory: string
  /** Every revision found, in file order. */
  revisions: Revision[]
  /** Engine facts worth a line in the report, e.g. Alembic's script_location and version table. */
  notes: string[]
  /** The table the engine records applied revisions in (schema '' = the default schema), left out of schema snapshots. */
  versionTable?: QualifiedName
}

/**
 * A chain as its engine loaded it. `data` is the engine's own (the parsed files, the Alembic
 * project): the pipeline hands it back to the same engine, so later calls run exactly what was
 * validated, and no engine has to remember anything between calls.
 */
export interface LoadedChain<Data = unknown> extends Chain {
  readonly data: Data
}

export interface Problem {
  /** A code from the catalogue (src/codes.ts), e.g. `multiple-heads`, `checksum-mismatch`. */
  code: ProblemCode
  severity: 'error' | 'warning'
  message: string
  /** What to do about it. */
  hint: string
  revisions: string[]
  file?: string
  line?: number
}

export interface AppliedRevision {
  id: string
  description?: string
  checksum?: string
  appliedAt?: Date
  executionMs?: number
  /** Left half-done by a failed non-transactional migration. */
  dirty?: boolean
}

export interface DatabaseState {
  /** The revision(s) the database is at: Alembic's version rows, the SQL engine's newest applied version. */
  current: string[]
  /** Every revision the database has applied that the engine can name, oldest first. */
  applied: AppliedRevision[]
  /** False on a database that was never migrated. */
  versionTableExists: boolean
  /** Disagreements between the files and the database (unknown stamped revision, checksum drift, …). */
  problems: Problem[]
}

export interface PendingRevision {
  revision: Revision
  /** The SQL the revision runs, for plan and lint; absent when it cannot be produced offline. */
  sql?: string
  /** 1-based line of `revision.file` where `sql` begins (after a `-- migrate:up` line), so lint can point at file lines. */
  sqlLine?: number
  /** False when it must run outside a transaction block (CONCURRENTLY, VACUUM, …). */
  transactional: boolean
  /** Why it is non-transactional, or other facts for the plan. */
  notes: string[]
  /**
   * Set on the revision where the engine's offline SQL generation stopped and on every pending
   * revision after it (the same object): their SQL is missing, for one reason said once.
   */
  offlineStop?: OfflineStopNote
}

/** Where and why offline SQL generation (Alembic's `--sql`) stopped, for one lint finding. */
export interface OfflineStopNote {
  /** The revision being generated when it stopped; undefined when it stopped before any (env.py). */
  revision?: string
  /** The file and line the traceback names. */
  file?: string
  line?: number
  message: string
  /** Why, when it is a known offline-mode limitation. */
  reason?: string
  /** A command the tool accepts that writes the SQL of the revisions after the stop, e.g. `alembic upgrade 0003:head --sql`. */
  rerun: string
}

export interface RevisionRun {
  id: string
  description: string
  file: string
  /** `rolled-back`: it ran, but the failure rolled it back with the run's single transaction. */
  status: 'applied' | 'failed' | 'rolled-back' | 'not-run'
  durationMs?: number
  /** 1 on a first-try success; more when a transient failure was retried. */
  attempts: number
  transactional: boolean
  /** One line per retry and anything else worth reporting. */
  notes: string[]
  /** Who waited for its locks while it ran, and what it waited for (src/watch); absent when nobody did. */
  lockWaits?: LockWaits
  /** What the server said while it ran (NOTICE, WARNING), with the statement that raised it; of a retried migration, its last attempt's. */
  notices?: ServerNotice[]
  /** Notices beyond the NOTICES_KEPT first ones. */
  noticesLeftOut?: number
}

export interface MigrationFailure {
  /** The catalogue code the run fails with, when more specific than `migration-failed`. */
  code?: ErrorCode
  revision: string
  file: string
  /** 1-based line in `file` where the failing statement (or error position) is. */
  line?: number
  column?: number
  /** The failing statement. */
  statement?: string
  /** A few lines of the file around `line`, for the summary. */
  excerpt?: string
  /** SQLSTATE, when the server raised it. */
  sqlState?: string
  /** The real first error, never "current transaction is aborted". */
  message: string
  detail?: string
  serverHint?: string
  /** After a lock timeout: the sessions that held the lock the migration waited for. */
  blockedBy?: BlockingSession[]
  /** What the database looks like now, e.g. "rolled back: nothing of 0003 was applied". */
  databaseState: string
  /** Steps to recover. */
  recovery: string[]
  /** A tool's full output (Alembic), shown collapsed. */
  log?: string
}

export interface ApplyResult {
  /** One entry per pending revision, in order: applied, failed, or not run. */
  runs: RevisionRun[]
  failure?: MigrationFailure
  /** The database's revision(s) afterwards. */
  current: string[]
  /** Pending revisions another run applied while this one re-acquired a lost migration lock (not in `runs`). */
  appliedElsewhere?: string[]
  /** Facts learned while applying (e.g. the Alembic and Python versions), for the report's chain notes. */
  notes?: string[]
}

/** The pending revisions as the engine will run them, produced once and handed to plan output, lint and apply. */
export interface Plan<Data = unknown> {
  revisions: PendingRevision[]
  /** Facts learned while planning (tool versions, a prepared environment), for the report's chain notes. */
  notes: string[]
  /** The engine's own planning result, handed back to its `apply`. */
  readonly data: Data
  /**
   * Frees what the plan keeps ready for `apply` (the Alembic engine's waiting interpreter) without
   * applying anything; a no-op after `apply`. The pipeline calls it when the run ends.
   */
  release?: () => Promise<void>
}

/** `mode: repair`: what was recorded for one revision, with the bookkeeping rows before and after. */
export interface RepairResult {
  revision: string
  /** What was done, one sentence, e.g. "cleared the dirty flag of 0002 and recorded the checksum of its current file". */
  done: string
  /** False when the table already said what was asked (the run still reports it). */
  changed: boolean
  /** The SQL or Alembic command that made the change. */
  command: string
  /** The history / version table's rows for the revision (SQL) or all its rows (Alembic), as a small table. */
  columns: string[]
  before: string[][]
  after: string[][]
}

/**
 * What a failed verify-downgrade step knows, as much as an apply failure does: the file and line,
 * the SQL sent, the server's SQLSTATE, DETAIL and HINT, the tool's log.
 */
export type StepFailure = Pick<MigrationFailure, 'message'> &
  Partial<Pick<MigrationFailure, 'file' | 'line' | 'column' | 'statement' | 'excerpt' | 'sqlState' | 'detail' | 'serverHint' | 'log'>>
/** `mode: downgrade`: the applied revisions above the target, newest first, each with its down SQL for the lint. */
export interface DowngradePlan<Data = unknown> extends Plan<Data> {
  /** `base`, or the revision id as the chain declares it. */
  target: string
}

/** `mode: downgrade`: one revision's down step. */
export interface DowngradeRun {
  id: string
  description: string
  /** The file holding its down step (a `.down.sql` file, the migration file, the Alembic revision). */
  file: string
  status: 'reverted' | 'failed' | 'not-run'
  durationMs?: number
  transactional: boolean
  notes: string[]
}

export interface DowngradeResult {
  target: string
  /** One entry per revision to revert, newest first. */
  runs: DowngradeRun[]
  failure?: MigrationFailure
  /** The revision(s) the database is at afterwards, read from it. */
  current: string[]
}

/** verify-downgrade: one revision's down or up step. */
export type StepOutcome =
  | { status: 'ok' }
  /** No down step to run (no down section; an Alembic merge): a finding, not a crash. */
  | { status: 'irreversible'; reason: string }
  | ({ status: 'failed' } & StepFailure)

export interface EngineContext {
  settings: Settings
  /** The action's own connection, for reading the database's state. Do not run migrations on it. */
  client: pg.Client
  /** Held in migrate mode only. Check it before each migration: a server restart loses it. */
  lock?: MigrationLock
  /** Opens a fresh migration session with lock_timeout and statement_timeout already set. */
  connect: () => Promise<pg.Client>
  /** Returns a session from `connect` to its fresh state (settings, temp tables, role), for reuse. */
  resetSession: (session: pg.Client) => Promise<void>
  log: Logger
  /**
   * Aborted when the runner cancels the run. `apply` then stops what is in flight (the statement is
   * cancelled on the server, an interpreter killed and its session ended), starts nothing more, and
   * returns a `cancelled` failure that says what the database holds.
   */
  signal?: AbortSignal
}

/**
 * Engines are stateless between calls: what one call learns is returned (a loaded chain, a plan) and
 * passed back in by the pipeline. Methods, not function properties, so an engine with its own `Data`
 * types is still an `Engine`.
 */
export interface Engine<ChainData = unknown, PlanData = unknown, DowngradeData = unknown> {
  readonly name: EngineName
  /** Reads the chain from disk. Files that cannot be read are an ActionError naming them. */
  loadChain(): Promise<LoadedChain<ChainData>>
  /** Engine-specific static checks (the generic graph checks run separately in the validate stage). */
  checkChain(chain: LoadedChain<ChainData>): Problem[]
  /** Reads what the database has applied. A missing version/history table means an empty database. */
  readState(ctx: EngineContext, chain: LoadedChain<ChainData>): Promise<DatabaseState>
  /** The revisions still to apply, in the order they will run. */
  pending(chain: LoadedChain<ChainData>, state: DatabaseState): Revision[]
  /** How each pending revision will run, and its SQL, without changing the database. */
  plan(ctx: EngineContext, chain: LoadedChain<ChainData>, state: DatabaseState, pending: Revision[]): Promise<Plan<PlanData>>
  /** Applies the plan. A migration failure is returned in `failure`, not thrown. */
  apply(ctx: EngineContext, chain: LoadedChain<ChainData>, state: DatabaseState, plan: Plan<PlanData>): Promise<ApplyResult>
  /**
   * Records `revision` as applied or pending after the user fixed the database by hand, without
   * running it. Called with the migration lock held; `revision` is from the chain.
   */
  repair(ctx: EngineContext, chain: LoadedChain<ChainData>, revision: Revision, request: RepairRequest): Promise<RepairResult>
  /**
   * `mode: downgrade`: the down steps from the database's state to `target` (`base` or an applied
   * revision), newest first, with their SQL, without changing the database. Throws an ActionError
   * (downgrade-target-invalid, downgrade-irreversible) when the way down cannot be taken.
   */
  planDowngrade(ctx: EngineContext, chain: LoadedChain<ChainData>, state: DatabaseState, target: string): Promise<DowngradePlan<DowngradeData>>
  /** Runs the plan under the migration lock. A failing down step is returned in `failure`, not thrown. */
  downgrade(ctx: EngineContext, chain: LoadedChain<ChainData>, state: DatabaseState, plan: DowngradePlan<DowngradeData>): Promise<DowngradeResult>
  /** verify-downgrade: undo `revision`, a head (no applied revision descends from it), and record it as not applied; other heads stay. */
  downgradeOne(ctx: EngineContext, chain: LoadedChain<ChainData>, revision: Revision): Promise<StepOutcome>
  /** verify-downgrade: apply `revision`, whose parents are applied, and nothing after it. */
  upgradeOne(ctx: EngineContext, chain: LoadedChain<ChainData>, revision: Revision): Promise<StepOutcome>
  /**
   * Scratch databases (schema change, drift): apply `revisions`, oldest first, to the database of
   * `ctx` the way apply would, with its own history or version table. Never given the target's context.
   */
  upgradeTo(ctx: EngineContext, chain: LoadedChain<ChainData>, revisions: Revision[]): Promise<StepOutcome>
}
