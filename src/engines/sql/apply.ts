import type pg from 'pg'
import { closeQuietly } from '../../connection.js'
import { ActionError, errorMessage } from '../../errors.js'
import { excerptAround, lineColumnAt, serverPositionInFile } from '../../sql/error-position.js'
import type { SqlStatement } from '../../sql/parse.js'
import type { EngineContext, MigrationFailure, RevisionRun } from '../engine.js'
import type { HistoryTable, Provenance } from './history.js'
import { fileLine, type PlannedMigration } from './plan.js'

/**
 * Runs planned migrations in order on fresh migration sessions (never on the action's own
 * connection, which holds the lock). The chain stops at the first failure; earlier migrations stay.
 */

export interface ApplyOutcome {
  runs: RevisionRun[]
  failure?: MigrationFailure
}

export interface ApplyOptions {
  history: HistoryTable
  provenance: Provenance
  /** For tests: replaces the backoff sleep. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/**
 * One migration session, reused while migrations succeed: a new backend per migration (connect,
 * authenticate, cold catalog caches) cost ~25 ms each, most of the per-migration overhead measured
 * in bench/. After a success the session is reset to a fresh state, so nothing one migration SETs or
 * creates as TEMP leaks into the next; after any failure it is dropped, so a retry starts clean.
 */
class MigrationSessions {
  private session: pg.Client | undefined

  constructor(private readonly ctx: EngineContext) {}

  async acquire(): Promise<pg.Client> {
    this.session ??= await this.ctx.connect()
    return this.session
  }

  /** The migration succeeded: keep the session for the next one, reset. */
  async release(): Promise<void> {
    if (!this.session) return
    try {
      await this.ctx.resetSession(this.session)
    } catch {
      await this.discard()
    }
  }

  async discard(): Promise<void> {
    const session = this.session
    this.session = undefined
    await closeQuietly(session)
  }
}

export async function applyPlanned(ctx: EngineContext, planned: PlannedMigration[], options: ApplyOptions): Promise<ApplyOutcome> {
  const runs: RevisionRun[] = planned.map((p) => ({
    id: p.migration.version,
    description: p.migration.name,
    file: p.migration.file,
    status: 'not-run',
    attempts: 0,
    transactional: p.transactional,
    notes: [...p.notes]
  }))

  // A file that cannot run as written is found before anything is applied.
  const invalidIndex = planned.findIndex((p) => p.invalid)
  if (invalidIndex >= 0) {
    const p = planned[invalidIndex]
    runs[invalidIndex].status = 'failed'
    return { runs, failure: invalidFailure(p, invalidIndex, planned.length) }
  }

  await options.history.ensure(ctx.client)
  const sessions = new MigrationSessions(ctx)
  try {
    return await applyInOrder(ctx, planned, runs, sessions, options)
  } finally {
    await sessions.discard()
  }
}

async function applyInOrder(ctx: EngineContext, planned: PlannedMigration[], runs: RevisionRun[], sessions: MigrationSessions, options: ApplyOptions): Promise<ApplyOutcome> {
  for (const [i, p] of planned.entries()) {
    const run = runs[i]
    const started = Date.now()
    const mode = p.transactional ? 'in a transaction' : 'outside a transaction, statement by statement'
    ctx.log.info(`Applying ${p.migration.file} (${mode})`)
    const failure = p.transactional ? await runTransactional(ctx, p, run, sessions, options) : await runNonTransactional(ctx, p, run, sessions, options)
    run.durationMs = Date.now() - started
    if (failure) {
      run.status = 'failed'
      ctx.log.info(`${p.migration.file} failed after ${run.durationMs} ms: ${failure.message}`)
      return { runs, failure }
    }
    run.status = 'applied'
    ctx.log.info(`${p.migration.file} applied in ${run.durationMs} ms${run.attempts > 1 ? ` (attempt ${run.attempts})` : ''}`)
  }
  return { runs }
}

/** Where a failure happened, for the report. */
interface AttemptError {
  error: unknown
  /** The statement that failed; undefined for BEGIN/COMMIT/the history row/connecting. */
  statement?: SqlStatement
  phase: 'connect' | 'begin' | 'statement' | 'history' | 'commit'
  /** Statements that completed before the failure. */
  done: number
}

async function runTransactional(
  ctx: EngineContext,
  p: PlannedMigration,
  run: RevisionRun,
  sessions: MigrationSessions,
  options: ApplyOptions
): Promise<MigrationFailure | undefined> {
  const { retries, retryDelayMs, maxRetryDelayMs } = ctx.settings
  for (let attempt = 1; ; attempt++) {
    run.attempts = attempt
    const failed = await transactionalAttempt(sessions, p, options)
    if (!failed) return undefined

    if (connectionLost(failed.error) && failed.phase === 'commit' && (await committedAnyway(ctx, p, options))) {
      run.notes.push(`The connection was lost while committing; the history table shows the migration was committed.`)
      return undefined
    }
    if (attempt > retries || !transient(failed.error)) {
      if (attempt > 1) run.notes.push(`Gave up after ${attempt} attempts.`)
      return transactionalFailure(p, failed, attempt)
    }
    const delay = backoff(attempt, retryDelayMs, maxRetryDelayMs, options.random ?? Math.random)
    const note = `Attempt ${attempt} failed with ${describeError(failed.error)}${whereShort(p, failed)}; rolled back, retrying in ${delay} ms.`
    run.notes.push(note)
    ctx.log.info(`${p.migration.file}: ${note}`)
    await (options.sleep ?? sleep)(delay)
  }
}

async function transactionalAttempt(sessions: MigrationSessions, p: PlannedMigration, options: ApplyOptions): Promise<AttemptError | undefined> {
  let session: pg.Client | undefined
  let phase: AttemptError['phase'] = 'connect'
  let current: SqlStatement | undefined
  let done = 0
  try {
    session = await sessions.acquire()
    phase = 'begin'
    await session.query(p.begin ?? 'BEGIN')
    const started = Date.now()
    phase = 'statement'
    for (const statement of p.statements) {
      current = statement
      await session.query(statement.text)
      done++
    }
    current = undefined
    phase = 'history'
    await session.query(
      options.history.insertApplied(
        {
          version: p.migration.version,
          name: p.migration.name,
          checksum: p.migration.checksum,
          executionMs: Date.now() - started,
          transactional: true,
          statements: p.statements.length
        },
        options.provenance
      )
    )
    phase = 'commit'
    await session.query('COMMIT')
    await sessions.release()
    return undefined
  } catch (error) {
    // The first error is the one reported; ROLLBACK only ends the aborted transaction.
    if (session && phase !== 'connect') await session.query('ROLLBACK').catch(() => undefined)
    await sessions.discard()
    return { error, statement: current, phase, done }
  }
}

async function committedAnyway(ctx: EngineContext, p: PlannedMigration, options: ApplyOptions): Promise<boolean> {
  try {
    return await options.history.has(ctx.client, p.migration.version)
  } catch {
    return false
  }
}

/**
 * Never retried: a statement that already ran outside a transaction stays applied, so running the
 * file again would repeat it. The history row is marked dirty first (in autocommit, on the action's
 * connection) and cleared at the end, so an interrupted run is visible to the next one.
 */
async function runNonTransactional(
  ctx: EngineContext,
  p: PlannedMigration,
  run: RevisionRun,
  sessions: MigrationSessions,
  options: ApplyOptions
): Promise<MigrationFailure | undefined> {
  run.attempts = 1
  const { history, provenance } = options
  const m = p.migration
  let session: pg.Client
  try {
    session = await sessions.acquire()
  } catch (error) {
    return nonTransactionalFailure(p, { error, phase: 'connect', done: 0 }, history)
  }
  let done = 0
  let succeeded = false
  try {
    await bookkeeping(() => history.markDirty(ctx.client, { version: m.version, name: m.name, checksum: m.checksum, statements: p.statements.length }, provenance), p, 0)
    const started = Date.now()
    for (const statement of p.statements) {
      try {
        await session.query(statement.text)
      } catch (error) {
        return nonTransactionalFailure(p, { error, statement, phase: 'statement', done }, history)
      }
      done++
      await bookkeeping(() => history.recordProgress(ctx.client, m.version, done), p, done)
    }
    await bookkeeping(() => history.markClean(ctx.client, m.version, Date.now() - started), p, done)
    succeeded = true
    return undefined
  } finally {
    if (succeeded) await sessions.release()
    else await sessions.discard()
  }
}

async function bookkeeping(fn: () => Promise<void>, p: PlannedMigration, done: number): Promise<void> {
  try {
    await fn()
  } catch (error) {
    throw new ActionError(
      'history-write-failed',
      `Recording the progress of ${p.migration.file} in the history table failed: ${errorMessage(error)}.`,
      {
        location: { file: p.migration.file, revision: p.migration.version },
        details: [`${done} of ${p.statements.length} statements of ${p.migration.file} had run outside a transaction and stay applied.`],
        hint: 'Check the history table is writable, then resolve the migration by hand (see its row in the history table).',
        cause: error
      }
    )
  }
}

function transactionalFailure(p: PlannedMigration, failed: AttemptError, attempts: number): MigrationFailure {
  const m = p.migration
  const tried = attempts > 1 ? ` (after ${attempts} attempts)` : ''
  const recovery = [`Fix ${m.file} and run again: the migrations before it stay applied and it starts from ${m.version}.`]
  if (transient(failed.error)) {
    recovery.unshift(
      sqlState(failed.error) === '55P03'
        ? 'Another session held a lock the migration needed. Find it with SELECT pid, state, query FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids(<pid>)), or raise lock-timeout / retries, then run again.'
        : 'The failure was transient; running again may succeed (consider raising retries).'
    )
  }
  return {
    ...failureLocation(p, failed),
    databaseState: `Rolled back${tried}: nothing of ${m.file} was applied; the migrations before it stay applied.`,
    recovery
  }
}

function nonTransactionalFailure(p: PlannedMigration, failed: AttemptError, history: HistoryTable): MigrationFailure {
  const m = p.migration
  const total = p.statements.length
  const base = failureLocation(p, failed)
  if (failed.phase === 'connect') {
    return { ...base, databaseState: `Nothing of ${m.file} was applied: no migration session could be opened.`, recovery: ['Check the server is reachable and run again.'] }
  }
  const ran =
    failed.done === 0
      ? 'none of its statements took effect'
      : `statements 1–${failed.done} of ${total} (up to line ${fileLine(m, p.statements[failed.done - 1].line)}) took effect and stay applied`
  const failedLine = failed.statement ? ` Statement ${failed.done + 1} (line ${fileLine(m, failed.statement.line)}) failed` : ''
  const rest = failed.done + 1 < total ? `; statements ${failed.done + 2}–${total} did not run.` : '.'
  const recovery = [
    `Check what took effect: statements 1–${failed.done} ran; statement ${failed.done + 1} failed and did not complete.`
  ]
  const index = failed.statement?.kind === 'IndexStmt' ? indexName(failed.statement) : undefined
  if (failed.statement?.noTransaction?.what === 'CREATE INDEX CONCURRENTLY') {
    recovery.push(
      `A failed CREATE INDEX CONCURRENTLY can leave an INVALID index behind: ${index ? `DROP INDEX CONCURRENTLY IF EXISTS ${index};` : 'find it with SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid; and drop it with DROP INDEX CONCURRENTLY.'}`
    )
  }
  recovery.push(
    `To retry it: undo the statements that took effect, delete its history row with ${history.sqlDelete(m.version)} fix the file and run again.`,
    `Or finish it by hand: run the remaining statements, then mark it applied with ${history.sqlMarkClean(m.version)}`
  )
  return {
    ...base,
    databaseState: `${m.file} ran outside a transaction: ${ran}.${failedLine}${rest} Its history row is marked dirty, so later runs stop until it is resolved.`,
    recovery
  }
}

function invalidFailure(p: PlannedMigration, index: number, count: number): MigrationFailure {
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

/** Revision, file, line, statement, server fields and excerpt for a failed attempt. */
function failureLocation(p: PlannedMigration, failed: AttemptError): Omit<MigrationFailure, 'databaseState' | 'recovery'> {
  const m = p.migration
  const err = failed.error as Partial<pg.DatabaseError> & Error
  let line: number | undefined
  let column: number | undefined
  if (failed.statement) {
    const inSection = serverPositionInFile(m.up.text, failed.statement.start, failed.statement.text, err.position)
    const at = inSection ?? lineColumnAt(m.up.text, failed.statement.start)
    line = fileLine(m, at.line)
    column = at.column
  }
  const detail = [err.detail, err.where ? `Context: ${err.where}` : undefined, err.internalQuery ? `Internal query: ${err.internalQuery}` : undefined]
    .filter(Boolean)
    .join('\n')
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
    serverHint: err.hint
  }
}

function phaseStatement(phase: AttemptError['phase']): string | undefined {
  return phase === 'begin' ? 'BEGIN' : phase === 'commit' ? 'COMMIT' : undefined
}

function phaseMessage(failed: AttemptError): string {
  switch (failed.phase) {
    case 'connect':
      return 'Could not open a migration session: '
    case 'history':
      return 'Recording the migration in the history table failed: '
    case 'commit':
      return 'COMMIT failed (deferred constraints and serialization checks run at commit): '
    default:
      return ''
  }
}

function whereShort(p: PlannedMigration, failed: AttemptError): string {
  return failed.statement ? ` at line ${fileLine(p.migration, failed.statement.line)}` : failed.phase === 'statement' ? '' : ` (${failed.phase})`
}

function indexName(statement: SqlStatement): string | undefined {
  const body = (statement.node as { IndexStmt?: { idxname?: string; relation?: { schemaname?: string } } }).IndexStmt
  if (!body?.idxname) return undefined
  const quote = (s: string): string => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`)
  return body.relation?.schemaname ? `${quote(body.relation.schemaname)}.${quote(body.idxname)}` : quote(body.idxname)
}

const TRANSIENT_STATES = new Set(['55P03', '40P01', '40001'])
const CONNECTION_STATES = /^(08|57P0[123])/
const CONNECTION_ERRNOS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

/** The server went away or the network failed: whatever was not committed was rolled back. */
export function connectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  if (typeof code === 'string' && (CONNECTION_STATES.test(code) || CONNECTION_ERRNOS.has(code))) return true
  const message = errorMessage(error)
  return /Connection terminated|connection timeout|Client has encountered a connection error|server closed the connection/i.test(message)
}

/** Failures after which a transactional migration was rolled back completely and may simply be retried. */
export function transient(error: unknown): boolean {
  const state = sqlState(error)
  return (state !== undefined && TRANSIENT_STATES.has(state)) || connectionLost(error)
}

/** retryDelayMs doubled per attempt, capped, with jitter so concurrent runners do not retry in step. */
export function backoff(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

function describeError(error: unknown): string {
  const state = sqlState(error)
  const names: Record<string, string> = { '55P03': 'lock_not_available', '40P01': 'deadlock_detected', '40001': 'serialization_failure' }
  const label = connectionLost(error) ? `a lost connection${state ? ` (${state})` : ''}` : `${names[state ?? ''] ?? 'SQLSTATE'} (${state})`
  return `${label}: ${errorMessage(error)}`
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
