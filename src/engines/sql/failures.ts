import type pg from 'pg'
import type { CancelSignal } from '../../cancel.js'
import { describeBlocker, type BlockingSession } from '../../blockers.js'
import { quoteQualified } from '../../connection.js'
import { errorMessage, isActionError } from '../../errors.js'
import { describeMigrationError, isTransientMigrationError, sqlState } from '../../pg-errors.js'
import { excerptAround, serverPositionIndex } from '../../sql/error-position.js'
import { plural } from '../../report/markdown.js'
import { OffsetMap, type SqlStatement } from '../../sql/parse.js'
import type { MigrationFailure } from '../engine.js'
import type { HistoryRow, HistoryTable } from './history.js'
import { fileLine, firstLine, type PlannedMigration } from './plan.js'
import { dropIndexCommand } from './invalid-index.js'

/**
 * The failure narratives: what went wrong, where in the file, what the database looks like now and
 * how to recover — one function per way a migration can fail.
 */

/** Where an attempt failed, for the report. */
export interface AttemptError {
  error: unknown
  /** The statement that failed; undefined for BEGIN/COMMIT/the history row/connecting. */
  statement?: SqlStatement
  /** `reset`: transaction: all, the session reset before a migration (after one that may have changed the session). */
  phase: 'connect' | 'begin' | 'reset' | 'statement' | 'history' | 'commit'
  /** Code points sent before the statement in the same message: the server's `position` counts from the message's start. */
  positionOffset?: number
  /** Sessions seen blocking the failed statement while it waited. */
  blockers?: BlockingSession[]
}

/** What stays applied of a file run statement by statement (0-based statement indexes). */
export interface AutocommitEffect {
  applied: number[]
  /** Statements inside the file's own BEGIN … that were rolled back with it. */
  rolledBack: { from: number; to: number }[]
  /** Where the run stopped: the failed statement, or the number of statements when all ran. */
  stoppedAt: number
}

export function transactionalFailure(p: PlannedMigration, failed: AttemptError, attempts: number): MigrationFailure {
  const m = p.migration
  const tried = attempts > 1 ? ` (after ${attempts} attempts)` : ''
  const recovery = [`Fix ${m.file} and run again: the run starts from ${m.version}.`]
  if (sqlState(failed.error) === '55P03') recovery.unshift(lockTimeoutAdvice(failed.blockers ?? []))
  else if (isTransientMigrationError(failed.error)) recovery.unshift('The failure was transient; running again may succeed (consider raising retries).')
  return {
    ...failureLocation(p, failed),
    databaseState: `Rolled back${tried}: nothing of ${m.file} was applied; the migrations before it stay applied.`,
    recovery
  }
}

/**
 * transaction: all — the run's one transaction failed in `planned[failedIndex]` (the first migration
 * when it failed before any statement, the last at COMMIT): all of it is rolled back.
 */
export function runFailure(planned: PlannedMigration[], failedIndex: number, failed: AttemptError, attempts: number): MigrationFailure {
  const p = planned[failedIndex]
  const tried = attempts > 1 ? ` (after ${attempts} attempts)` : ''
  const ran = failed.phase === 'connect' || failed.phase === 'begin' ? [] : planned.slice(0, failedIndex)
  const notRun = planned.slice(failedIndex + 1)
  const what = [ran.length > 0 && `${versionSpan(ran)} ran and ${ran.length === 1 ? 'was' : 'were'} rolled back with it`, notRun.length > 0 && `${versionSpan(notRun)} did not run`]
  const told = what.filter(Boolean).join('; ')
  const recovery = [`Fix ${p.migration.file} and run again: the run starts again from ${planned[0].migration.version}, all ${planned.length} migrations in one transaction.`]
  if (sqlState(failed.error) === '55P03') recovery.unshift(lockTimeoutAdvice(failed.blockers ?? []))
  else if (isTransientMigrationError(failed.error)) recovery.unshift('The failure was transient; running again may succeed (consider raising retries).')
  return {
    ...failureLocation(p, failed),
    databaseState: `Rolled back${tried}: with transaction: all nothing of this run was applied${told ? ` (${told})` : ''}.`,
    recovery
  }
}

/** transaction: all, but `p` runs outside a transaction: the run is refused before anything is applied. */
export function outsideTransactionRefusal(p: PlannedMigration, index: number, count: number): MigrationFailure {
  const m = p.migration
  const statement = p.statements.find((s) => s.noTransaction)
  const directive = m.directives.find((d) => d.name === 'no-transaction')
  const line = statement ? fileLine(m, statement.line) : (directive?.line ?? m.up.startLine - 1)
  const why = statement
    ? `"${firstLine(statement.text)}" cannot run inside a transaction block (${statement.noTransaction!.what})`
    : `is marked to run outside a transaction (${directive ? '-- pg-migrate:no-transaction' : '-- migrate:up transaction:false'})`
  const others = count > 1 ? ` (${plural(index, 'migration')} before it and ${plural(count - index - 1, 'migration')} after it were not run either)` : ''
  return {
    code: 'transaction-all-non-transactional',
    revision: m.version,
    file: m.up.file,
    line,
    column: statement?.column,
    statement: statement?.text,
    excerpt: excerptAround(m.up.fileText, line, statement?.column),
    message: `Input 'transaction' is 'all' (every pending migration in one transaction), but ${m.file} line ${line} ${why}.`,
    databaseState: `Nothing was applied: the run was refused before it started${others}.`,
    recovery: [
      `Split the chain: apply the migrations before ${m.version} in one run and ${m.file} in a later one, or use transaction: per-migration (the default) for this run.`,
      statement?.noTransaction?.what === 'CREATE INDEX CONCURRENTLY'
        ? `On a table created in the same run (nothing reads it yet), a plain CREATE INDEX without CONCURRENTLY runs in the transaction.`
        : ''
    ].filter(Boolean)
  }
}

/** "0003", "0003 and 0004", "0003 … 0007 (5 migrations)". */
function versionSpan(planned: PlannedMigration[]): string {
  const versions = planned.map((p) => p.migration.version)
  if (versions.length <= 2) return versions.join(' and ')
  return `${versions[0]} … ${versions.at(-1)} (${versions.length} migrations)`
}

function lockTimeoutAdvice(blockers: BlockingSession[]): string {
  if (blockers.length === 0) {
    return 'Another session held a lock the migration needed and was gone before it could be identified. Sessions that block others show in SELECT pid, state, query FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0; or raise lock-timeout / retries, then run again.'
  }
  const who = blockers.map(describeBlocker).join('; ')
  const pids = blockers.map((b) => b.pid).join(', ')
  return `Held the lock the migration needed: ${who}. Let it finish, or end it with SELECT pg_terminate_backend(pid) FROM unnest(ARRAY[${pids}]) AS pid; or raise lock-timeout / retries, then run again.`
}

/** `how`: the failing statement failed, or was stopped by a cancel. */
export function autocommitFailure(
  p: PlannedMigration,
  failed: AttemptError,
  effect: AutocommitEffect,
  history: HistoryTable,
  how: 'failed' | 'was stopped' = 'failed',
  /** The INVALID indexes the failed CREATE INDEX CONCURRENTLY left, read from pg_index; undefined when not read. */
  invalidLeft?: string[]
): MigrationFailure {
  const m = p.migration
  const base = failureLocation(p, failed)
  if (failed.phase === 'connect') {
    return { ...base, databaseState: `Nothing of ${m.file} was applied: no migration session could be opened.`, recovery: ['Check the server is reachable and run again.'] }
  }
  const failedNumber = effect.stoppedAt + 1
  const failedLine = failed.statement ? ` Statement ${failedNumber} (line ${fileLine(m, failed.statement.line)}) ${how}` : ''
  const rest = failedNumber < p.statements.length ? `; statements ${failedNumber + 1}–${p.statements.length} did not run.` : '.'
  const recovery = [`Check what took effect: ${tookEffect(p, effect, 'short')}${failed.statement ? `; statement ${failedNumber} ${how} and did not complete` : ''}.`]
  if (invalidLeft?.length) {
    const named = failed.statement && indexName(failed.statement) !== undefined
    recovery.push(
      `Drop the INVALID ${invalidLeft.length === 1 ? 'index' : 'indexes'} it left: ${invalidLeft.map(dropIndexCommand).join(' ')}${named ? ' Or leave it: when this migration runs again, the action drops it before the CREATE INDEX CONCURRENTLY.' : ''}`
    )
  } else if (invalidLeft === undefined && failed.statement?.noTransaction?.what === 'CREATE INDEX CONCURRENTLY') {
    const index = indexName(failed.statement)
    recovery.push(
      `A failed CREATE INDEX CONCURRENTLY can leave an INVALID index behind: ${index ? `DROP INDEX CONCURRENTLY IF EXISTS ${index};` : 'find it with SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid; and drop it with DROP INDEX CONCURRENTLY.'}`
    )
  }
  recovery.push(
    `To retry it: undo the statements that took effect, delete its history row with ${history.sqlDelete(m.version)} fix the file and run again.`,
    `Or finish it by hand: run the remaining statements, then mark it applied with ${history.sqlMarkClean(m.version)}`,
    `Either way the action can record it for you: run it once with mode: repair, repair-revision: ${m.version} and repair-action: mark-pending (retry) or mark-applied (finished by hand).`
  )
  return {
    ...base,
    databaseState: `${m.file} ran outside a transaction: ${tookEffect(p, effect, 'long')}.${rolledBackText(p, effect)}${failedLine}${failed.statement ? rest : ''}${invalidText(invalidLeft)} Its history row is marked dirty, so later runs stop until it is resolved.`,
    recovery
  }
}

/** The run was cancelled between two statements of a file run statement by statement: the ones before stay, the rest did not run. */
export function autocommitCancelled(p: PlannedMigration, effect: AutocommitEffect, history: HistoryTable, signal: CancelSignal): MigrationFailure {
  const m = p.migration
  const next = effect.stoppedAt
  const { recovery } = autocommitFailure(p, { error: new Error('cancelled'), phase: 'statement' }, effect, history)
  const line = fileLine(m, p.statements[next].line)
  return {
    code: 'cancelled',
    revision: m.version,
    file: m.up.file,
    line,
    excerpt: excerptAround(m.up.fileText, line),
    message: `The run was cancelled (${signal}) while ${m.file} was running, before its statement ${next + 1} of ${p.statements.length} started.`,
    databaseState: `${m.file} ran outside a transaction: ${tookEffect(p, effect, 'long')}.${rolledBackText(p, effect)} Statements ${next + 1}–${p.statements.length} did not run. Its history row is marked dirty, so later runs stop until it is resolved.`,
    recovery
  }
}

/** Recording that a file run statement by statement has started failed: none of it ran. */
export function historyStartFailure(p: PlannedMigration, error: unknown, history: HistoryTable): MigrationFailure {
  const m = p.migration
  return {
    revision: m.version,
    file: m.up.file,
    sqlState: sqlState(error),
    message: `Recording the start of ${m.file} in the history table ${history.display} failed: ${errorMessage(error)}`,
    databaseState: `Nothing of ${m.file} was applied: it runs outside a transaction, so it is started only once its history row is written; the migrations before it stay applied.`,
    recovery: [`Check the history table ${history.display} is writable by the database user (INSERT, UPDATE), then run again.`]
  }
}

export function invalidFailure(p: PlannedMigration, index: number, count: number): MigrationFailure {
  const e = p.invalid!
  const m = p.migration
  const others = count > 1 ? ` No migration of this run was started (${index} before it and ${count - index - 1} after it were not run either).` : ''
  return {
    revision: m.version,
    file: m.up.file,
    line: e.line,
    column: e.column,
    excerpt: excerptAround(m.up.fileText, e.line, e.column),
    sqlState: e.sqlState,
    message: e.message,
    serverHint: undefined,
    databaseState: `Nothing was applied: ${m.file} cannot run as written.${others}`,
    recovery: [e.hint, 'Then run again.']
  }
}

/** The lock check before a migration failed: the lock is gone, or the history cannot be re-read. */
export function notStartedFailure(p: PlannedMigration, error: unknown): MigrationFailure {
  const m = p.migration
  return {
    revision: m.version,
    file: m.up.file,
    message: errorMessage(error),
    databaseState: `Nothing of ${m.file} was applied: without the migration lock it could race another run. The migrations before it stay applied.`,
    recovery: [isActionError(error) && error.hint ? error.hint : 'Run again once the server is reachable.']
  }
}

/** The run was cancelled before `p` started: neither it nor the migrations after it ran. */
export function cancelledBeforeStart(p: PlannedMigration, signal: CancelSignal): MigrationFailure {
  const m = p.migration
  return {
    code: 'cancelled',
    revision: m.version,
    file: m.up.file,
    message: `The run was cancelled (${signal}) before ${m.file} started.`,
    databaseState: `Nothing of ${m.file} was applied, nor of the migrations after it; the migrations before it stay applied.`,
    recovery: [`Run the job again: it starts from ${m.version}.`]
  }
}

/**
 * The run was cancelled while the migration of `failure` ran, and the server stopped its statement
 * (pg_cancel_backend). The engine's narrative of what the database holds stays — rolled back, or
 * dirty for a file run statement by statement — only the cause changes; `recovery` is the way out
 * when the engine's own (which assumes the SQL is at fault) does not fit.
 */
export function cancelledWhileRunning(failure: MigrationFailure, file: string, signal: CancelSignal, recovery?: string[]): MigrationFailure {
  return {
    ...failure,
    code: 'cancelled',
    message: `The run was cancelled (${signal}) while ${file} was running; the server stopped it (${failure.message}).`,
    blockedBy: undefined,
    recovery: recovery ?? failure.recovery
  }
}

/** After re-acquiring a lost lock, the history shows another run left this migration in another state. */
export function changedByAnotherRun(p: PlannedMigration, row: HistoryRow, history: HistoryTable): MigrationFailure {
  const m = p.migration
  const what = row.dirty ? 'half-applied (its row is dirty)' : `applied from a different file (checksum ${row.checksum}, the file has ${m.checksum})`
  return {
    revision: m.version,
    file: m.up.file,
    message: `While this run reconnected, another run took the migration lock and left ${m.file} ${what}.`,
    databaseState: `This run did not apply ${m.file}; the migrations before it stay applied.`,
    recovery: [
      row.dirty
        ? `Resolve the half-applied migration (see its row in ${history.display}; the next run explains how), then run again.`
        : 'Two different versions of the chain ran against this database: check which commit the other run applied, then run again.'
    ]
  }
}

/** "Attempt 1 failed with lock_not_available (55P03): … at line 2; rolled back, retrying in 120 ms." */
export function retryNote(p: PlannedMigration, failed: AttemptError, attempt: number, delayMs: number): string {
  const where = failed.statement ? ` at line ${fileLine(p.migration, failed.statement.line)}` : failed.phase === 'statement' ? '' : ` (${failed.phase})`
  return `Attempt ${attempt} failed with ${describeMigrationError(failed.error)}: ${errorMessage(failed.error)}${where}; rolled back, retrying in ${delayMs} ms.`
}

/** Revision, file, line, statement, server fields and excerpt for a failed attempt. */
export function failureLocation(p: PlannedMigration, failed: AttemptError): Omit<MigrationFailure, 'databaseState' | 'recovery'> {
  const m = p.migration
  const err = failed.error as Partial<pg.DatabaseError> & Error
  let line: number | undefined
  let column: number | undefined
  if (failed.statement) {
    const within = serverPositionIndex(failed.statement.text, err.position === undefined ? undefined : Number(err.position) - (failed.positionOffset ?? 0))
    const at = within === undefined ? failed.statement : new OffsetMap(m.up.text).lineColumn(failed.statement.start + within)
    line = fileLine(m, at.line)
    column = at.column
  }
  const detail = [err.detail, err.where ? `Context: ${err.where}` : undefined, err.internalQuery ? `Internal query: ${err.internalQuery}` : undefined].filter(Boolean).join('\n')
  return {
    revision: m.version,
    file: m.up.file,
    line,
    column,
    statement: failed.statement?.text ?? phaseStatement(failed.phase),
    excerpt: line !== undefined ? excerptAround(m.up.fileText, line, column) : undefined,
    sqlState: sqlState(failed.error),
    message: phaseMessage(failed) + errorMessage(failed.error),
    detail: detail || undefined,
    serverHint: err.hint,
    blockedBy: failed.blockers?.length ? failed.blockers : undefined
  }
}

function phaseStatement(phase: AttemptError['phase']): string | undefined {
  return phase === 'begin' ? 'BEGIN' : phase === 'commit' ? 'COMMIT' : undefined
}

function phaseMessage(failed: AttemptError): string {
  switch (failed.phase) {
    case 'connect':
      return 'Could not open a migration session: '
    case 'reset':
      return 'Resetting the session before the migration failed: '
    case 'history':
      return 'Recording the migration in the history table failed: '
    case 'commit':
      return 'COMMIT failed (deferred constraints and serialization checks run at commit): '
    default:
      return ''
  }
}

/** "statements 1–2 of 5 (up to line 3) took effect and stay applied", or "… ran" for the recovery step. */
function tookEffect(p: PlannedMigration, effect: AutocommitEffect, style: 'long' | 'short'): string {
  const numbers = effect.applied.map((i) => i + 1)
  if (numbers.length === 0) return 'none of its statements took effect'
  const prefix = numbers.every((n, i) => n === i + 1)
  const list = prefix ? `1–${numbers.length}` : ranges(numbers)
  if (style === 'short') return `statements ${list} ran and stay applied`
  const upTo = prefix ? ` (up to line ${fileLine(p.migration, p.statements[numbers.length - 1].line)})` : ''
  return `statements ${list} of ${p.statements.length}${upTo} took effect and stay applied`
}

/** The file's own transactions that did not commit: their statements ran but left nothing behind. */
function rolledBackText(p: PlannedMigration, effect: AutocommitEffect): string {
  return effect.rolledBack
    .filter((block) => block.to >= block.from)
    .map((block) => {
      const begin = fileLine(p.migration, p.statements[block.from].line)
      return ` Statements ${block.from + 1}–${block.to + 1} ran inside the file's own transaction (BEGIN at line ${begin}), which was rolled back: they left nothing behind.`
    })
    .join('')
}

/** [1, 2, 3, 5] → "1–3, 5" */
function ranges(numbers: number[]): string {
  const out: string[] = []
  for (let i = 0; i < numbers.length;) {
    let j = i
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++
    out.push(i === j ? String(numbers[i]) : `${numbers[i]}–${numbers[j]}`)
    i = j + 1
  }
  return out.join(', ')
}

/** " It left the INVALID index public.t_v_key behind (…)." */
function invalidText(invalidLeft: string[] | undefined): string {
  if (!invalidLeft?.length) return ''
  const one = invalidLeft.length === 1
  return ` It left the INVALID ${one ? 'index' : 'indexes'} ${invalidLeft.join(', ')} behind (pg_index.indisvalid is false): queries do not use ${one ? 'it' : 'them'}, but every write to the table still updates ${one ? 'it' : 'them'}.`
}

function indexName(statement: SqlStatement): string | undefined {
  const body = (statement.node as { IndexStmt?: { idxname?: string; relation?: { schemaname?: string } } }).IndexStmt
  return body?.idxname ? quoteQualified(body.relation?.schemaname ?? '', body.idxname) : undefined
}
