import { readFileSync } from 'node:fs'
import type pg from 'pg'
import { closeQuietly } from '../../connection.js'
import { ActionError, errorMessage } from '../../errors.js'
import { isConnectionLost } from '../../pg-errors.js'
import { waitForServer } from '../../wait.js'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { CancelledError, cancelSignal } from '../../cancel.js'
import { ancestorsOf } from '../../chain/graph.js'
import { redact } from '../../redact.js'
import { excerptAround } from '../../sql/error-position.js'
import type { ApplyResult, Chain, EngineContext, MigrationFailure, Revision, RevisionRun } from '../engine.js'
import { extractError, extractWarnings, parseProgressLine, toolchainAdvice, type ExtractedError, type PythonWarning, type TracebackFrame } from './output.js'
import type { RevisionSource } from './project.js'
import { cancelledUpgradeResult, endInterpreterSessions } from './cancel.js'
import type { AlembicProcess } from './run.js'
import type { AlembicNotice, AlembicSession, RevisionPause } from './session.js'
import { recordNotice, toServerNotice } from '../notices.js'
import { readVersionRows, versionTableName, type VersionTable } from './version-table.js'
import { RevisionBoundaries, type LeftBehind } from './boundaries.js'
import { describeChanges } from '../../verify/diff.js'
import { MIGRATION_APPLICATION_NAMES } from '../../lock.js'
import type { Logger } from '../../logger.js'
import { MigrationWatch, type Watched } from '../../watch/index.js'

/**
 * `alembic upgrade head` in the interpreter that planned it, then the truth from the version table:
 * Alembic on PostgreSQL runs the whole upgrade in one transaction by default, so after a failure the
 * revisions that "ran" before it may have been rolled back with it.
 */
export interface ApplyOptions {
  session: AlembicSession
  envPy: string
  sources: Map<string, RevisionSource>
  table: VersionTable
  /** PGOPTIONS for the upgrade's connections (session settings resolved after the lint). */
  pgOptions?: string
}

/** What the database showed after a failed upgrade, beyond the version table. */
export interface AfterFailure {
  /** What stayed committed of the revision that was running; undefined when the schema before it could not be read. */
  left?: LeftBehind
  /** Alembic's session was closed under it (a server restart, a terminated backend, the network). */
  connectionLost?: boolean
  /** The action's own sessions were closed too: the state was read on a new connection. */
  reconnected?: boolean
}

/** How psycopg2 and psycopg say that the server ended the session or went away. */
const CONNECTION_LOST =
  /server closed the connection unexpectedly|terminating connection due to administrator command|connection already closed|SSL SYSCALL error: EOF detected|could not receive data from server|consuming input failed|the database system is shutting down/i

export async function applyAlembic(ctx: EngineContext, chain: Chain, before: string[], pending: Revision[], options: ApplyOptions): Promise<ApplyResult> {
  if (pending.length === 0) return { runs: [], current: before }
  const moved = await movedWhileLockWasLost(ctx, before, options.table).catch(async (error: unknown) => {
    await options.session.stop()
    throw error
  })
  if (moved) {
    await options.session.stop()
    return changedByAnotherRun(pending, before, moved, options)
  }
  const notStarted = cancelSignal(ctx.signal)
  if (notStarted) throw new CancelledError(notStarted, 'alembic upgrade head did not start')
  const exclude = [{ schema: options.table.schema ?? '', table: options.table.table }]
  const boundaries = new RevisionBoundaries(options.table, exclude)
  // A reading is the action's time, not the revision's: it comes off the revision's duration.
  const readingMs = new Map<string, number>()
  // On a server that serves all clients on one backend (PGlite) another session cannot read while
  // Alembic's transaction is open: it reads once, before Alembic starts.
  const shared = await sharedBackend(ctx)
  if (shared) await boundaries.pause(reader(ctx), pending[0].id, 'start')
  const pause: RevisionPause | undefined = shared
    ? undefined
    : async (revision, where) => {
        const start = Date.now()
        await boundaries.pause(reader(ctx), revision, where)
        readingMs.set(revision, (readingMs.get(revision) ?? 0) + Date.now() - start)
      }
  const watch = new MigrationWatch(() => reader(ctx), { lockTimeout: ctx.settings.lockTimeout, log: ctx.log })
  const running = runningRevision(ctx.log, pending)
  const notices = new RevisionNotices(chain, running.log)
  const env = options.pgOptions === undefined ? undefined : { PGOPTIONS: options.pgOptions }
  const proc = await ctx.log.group('alembic upgrade head', () =>
    watch.during(running.watched, () => options.session.upgrade(running.log, pause, ctx.signal, env, (notice) => notices.record(notice)))
  )
  const cancelled = cancelSignal(ctx.signal)
  if (cancelled && proc.exitCode !== 0) {
    const endedSessions = await endInterpreterSessions(reader(ctx))
    const after = (await readVersionRows(reader(ctx), options.table)) ?? []
    return settled(
      watch,
      notices,
      cancelledUpgradeResult({ chain, before, after, pending, proc, sources: options.sources, table: options.table, signal: cancelled, endedSessions })
    )
  }
  const reading = await readAfterUpgrade(ctx, options.table)
  try {
    const left = proc.exitCode === 0 ? undefined : await boundaries.leftByLast(reading.client).catch(() => undefined)
    const connectionLost = reading.reconnected || (proc.exitCode !== 0 && CONNECTION_LOST.test(extractError(proc.stderr + '\n' + proc.stdout)?.message ?? ''))
    const result = settled(watch, notices, buildResult(chain, before, reading.rows, pending, proc, { ...options, left, connectionLost, reconnected: reading.reconnected }))
    for (const run of result.runs) if (run.durationMs !== undefined) run.durationMs = Math.max(0, run.durationMs - (readingMs.get(run.id) ?? 0))
    if (result.failure?.line) result.failure.excerpt = await excerpt(result.failure.file, result.failure.line)
    return result
  } finally {
    if (reading.reconnected) await closeQuietly(reading.client)
  }
}

/** Whether the action's sessions share one backend, as every client of PGlite does. */
async function sharedBackend(ctx: EngineContext): Promise<boolean> {
  if (!ctx.lock) return false
  const pid = async (client: pg.Client): Promise<number> => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid
  return (await pid(ctx.client).catch(() => -1)) === (await pid(ctx.lock.session).catch(() => -2))
}

/** The session the action reads on while Alembic runs: the lock's, which outlives a restart it survived, else the run's own. */
function reader(ctx: EngineContext): pg.Client {
  return ctx.lock?.session ?? ctx.client
}

/**
 * The version table once Alembic is done. A server restart during the upgrade closes the action's
 * sessions too: then the table is read on a new connection, once the server answers again
 * (wait-timeout) — without the migration lock, which went with the old session.
 */
async function readAfterUpgrade(ctx: EngineContext, table: VersionTable): Promise<{ client: pg.Client; rows: string[]; reconnected: boolean }> {
  const client = reader(ctx)
  try {
    return { client, rows: (await readVersionRows(client, table)) ?? [], reconnected: false }
  } catch (error) {
    if (!isConnectionLost(error)) throw error
  }
  const { settings } = ctx
  ctx.log.info('The connection to the server was lost during the upgrade; reconnecting to read what was committed (wait-timeout).')
  const { client: fresh } = await waitForServer(
    settings.databaseUrl,
    { timeoutMs: settings.waitTimeoutMs, retryDelayMs: settings.retryDelayMs, maxRetryDelayMs: settings.maxRetryDelayMs, connectTimeoutMs: settings.connectTimeoutMs },
    { ...ctx.log, group: (_title, fn) => fn() }
  ).catch((error: unknown) => {
    throw new ActionError(
      'migration-connection-lost',
      `The connection to the server was lost while Alembic ran, and the server did not answer again within wait-timeout (${settings.waitTimeoutMs / 1000} s): what was committed is unknown.`,
      {
        hint: `Once the server is back, run again: Alembic continues from what ${versionTableName(table)} records (mode: validate shows it without applying anything).`,
        details: [errorMessage(error)],
        cause: error
      }
    )
  })
  try {
    return { client: fresh, rows: (await readVersionRows(fresh, table)) ?? [], reconnected: true }
  } catch (error) {
    await closeQuietly(fresh)
    throw error
  }
}

/**
 * Alembic's sessions are watched by the application_name the action gives them (PGAPPNAME), and a
 * wait is counted against the revision whose "Running upgrade" line came last: the lock may have
 * been taken by an earlier revision of the same transaction.
 */
function runningRevision(log: Logger, pending: Revision[]): { log: Logger; watched: Watched } {
  let current = pending[0]
  const byId = new Map(pending.map((r) => [r.id, r]))
  return {
    log: {
      ...log,
      info: (line) => {
        const started = parseProgressLine(line)
        if (started) current = byId.get(started.to) ?? current
        log.info(line)
      }
    },
    watched: {
      applicationName: MIGRATION_APPLICATION_NAMES.alembic,
      revision: () => current.id,
      describe: () => `revision ${current.id} (${current.file})`
    }
  }
}

function settled(watch: MigrationWatch, notices: RevisionNotices, result: ApplyResult): ApplyResult {
  for (const run of result.runs) {
    watch.settle(run)
    notices.settle(run)
  }
  return result
}

/** The statement's first line, cut as the SQL engine cuts it. */
function statementStart(statement: string): string {
  const line = statement.split('\n')[0]
  return line.length > 60 ? line.slice(0, 57) + '…' : line
}

/** The server's notices of each revision, logged as they arrive and kept for its run, as the SQL engine keeps them. */
class RevisionNotices {
  private readonly kept = new Map<string, Pick<RevisionRun, 'notices' | 'noticesLeftOut'>>()

  constructor(
    private readonly chain: Chain,
    private readonly log: Logger
  ) {}

  record(notice: AlembicNotice): void {
    const file = this.chain.revisions.find((r) => r.id === notice.revision)?.file ?? notice.revision
    let run = this.kept.get(notice.revision)
    if (!run) this.kept.set(notice.revision, (run = {}))
    const where = { file, ...(notice.line === undefined ? {} : { line: notice.line }), ...(notice.statement ? { statement: statementStart(notice.statement) } : {}) }
    recordNotice(this.log, run, toServerNotice(notice, where))
  }

  settle(run: RevisionRun): void {
    const kept = this.kept.get(run.id)
    if (!kept) return
    run.notices = kept.notices
    if (kept.noticesLeftOut) run.noticesLeftOut = kept.noticesLeftOut
  }
}

/**
 * The migration lock is checked right before Alembic starts, as before every migration of the SQL
 * engine. When it had been lost and is taken again, another run may have migrated meanwhile: the
 * version table's rows when they moved since the plan, else undefined.
 */
async function movedWhileLockWasLost(ctx: EngineContext, before: string[], table: VersionTable): Promise<string[] | undefined> {
  if (!ctx.lock || !(await ctx.lock.ensureHeld())) return undefined
  // Losing the lock usually means the server restarted, which closed the run's own connection too.
  const now = (await readVersionRows(ctx.lock.session, table)) ?? []
  const same = now.length === before.length && now.every((id) => before.includes(id))
  return same ? undefined : now
}

function changedByAnotherRun(pending: Revision[], before: string[], now: string[], options: Pick<ApplyOptions, 'table' | 'sources'>): ApplyResult {
  const tableName = versionTableName(options.table)
  const at = (ids: string[]): string => (ids.length === 0 ? 'no revision' : ids.join(', '))
  return {
    current: now,
    runs: pending.map((r) => ({
      id: r.id,
      description: r.description,
      file: r.file,
      status: 'not-run',
      attempts: 1,
      transactional: !options.sources.get(r.id)?.autocommit,
      notes: []
    })),
    failure: {
      revision: pending[0].id,
      file: pending[0].file,
      line: pending[0].line,
      message: `The migration lock was lost and re-acquired before Alembic started, and meanwhile ${tableName} moved from ${at(before)} to ${at(now)}: another run migrated this database.`,
      databaseState: `unchanged by this run: ${tableName} records ${at(now)}`,
      recovery: ['Run again: the next run plans and lints what is still pending from the new state.']
    }
  }
}

/** A few numbered lines of `file` around `line`, for the summary. */
export async function excerpt(file: string, line: number): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined)
  return text === undefined ? undefined : excerptAround(text, line)
}

/** What happened, from the process output and the version table before and after (and the failed revision's file). */
export function buildResult(
  chain: Chain,
  before: string[],
  after: string[],
  pending: Revision[],
  proc: AlembicProcess,
  options: Pick<ApplyOptions, 'sources' | 'table' | 'envPy'> & AfterFailure
): ApplyResult {
  const appliedBefore = ancestorsOf(chain.revisions, before)
  const appliedAfter = ancestorsOf(chain.revisions, after)
  const nowApplied = new Set(pending.filter((r) => appliedAfter.has(r.id) && !appliedBefore.has(r.id)).map((r) => r.id))
  const durations = progressDurations(proc)
  const ran = new Set(proc.progress.map((p) => p.to))
  const tableName = versionTableName(options.table)
  const at = (ids: string[]): string => (ids.length === 0 ? 'no revision' : ids.join(', '))

  const error = proc.exitCode === 0 ? undefined : extractError(proc.stderr + '\n' + proc.stdout)
  const warnings = extractWarnings(proc.stderr)
  const failedId = proc.exitCode === 0 ? undefined : failingRevision(error, proc, pending, nowApplied, options.sources)
  const runs: RevisionRun[] = pending.map((revision) => {
    const source = options.sources.get(revision.id)
    const notes: string[] = []
    let status: RevisionRun['status']
    if (nowApplied.has(revision.id)) status = 'applied'
    else if (revision.id === failedId) status = 'failed'
    else if (ran.has(revision.id)) status = 'rolled-back'
    else status = 'not-run'
    if (status === 'rolled-back') notes.push(`ran, but was rolled back with ${failedId ?? 'the failed upgrade'} (Alembic runs the upgrade in one transaction)`)
    if (status === 'applied' && !ran.has(revision.id)) notes.push('no "Running upgrade" line from Alembic (logging below INFO?), so no duration')
    if (source?.autocommit) notes.push('uses autocommit_block(): part of it runs outside the migration transaction')
    if (source) notes.push(...warningsIn(warnings, source.absolutePath).map(formatWarning))
    return {
      id: revision.id,
      description: revision.description,
      file: revision.file,
      status,
      durationMs: status === 'not-run' ? undefined : durations.get(revision.id),
      attempts: 1,
      transactional: !source?.autocommit,
      notes
    }
  })

  if (proc.exitCode === 0) {
    const missing = pending.filter((r) => !nowApplied.has(r.id))
    if (missing.length === 0) return { runs, current: after }
    // Alembic succeeded, yet the table the action reads did not move: env.py migrated something else.
    const first = missing[0]
    return {
      runs: runs.map((r) => (r.status === 'applied' ? r : { ...r, status: 'not-run' as const })),
      current: after,
      failure: {
        revision: first.id,
        file: first.file,
        line: first.line,
        message:
          `Alembic exited successfully, but ${tableName} in this database still records ${at(after)}: ` +
          `${missing.map((r) => r.id).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not recorded as applied.`,
        databaseState: `unknown: Alembic reported success, but the version table ${tableName} was not updated to head`,
        recovery: [
          `Check that ${path.relative(process.cwd(), options.envPy)} connects with the DATABASE_URL environment variable (the action sets it) rather than sqlalchemy.url.`,
          `Check that env.py and the action use the same version table (${tableName}; set version_table in alembic.ini or the alembic-version-table input).`
        ],
        log: proc.log
      }
    }
  }

  const failedRevision = pending.find((r) => r.id === failedId)
  const failedSource = failedId ? options.sources.get(failedId) : undefined
  const failedLine = failedSource ? lineInRevision(error, failedSource) : undefined
  const rolledBack = runs.filter((r) => r.status === 'rolled-back').map((r) => r.id)
  const committed = [...nowApplied]
  // What of the failed revision stayed is read from the catalog (boundaries.ts), not from how Alembic said it would run.
  // A reading from before an earlier revision still tells, as long as the version table has not moved since.
  const reading = options.left
  const sinceFailed = failedId !== undefined && reading?.revision === failedId
  const left = reading && (sinceFailed || sameRows(reading.rows, after)) ? reading.changes : undefined
  const leftList = left && describeChanges(left)
  const since = reading?.revision === pending[0]?.id ? 'since this run started' : `since ${reading?.revision} started`
  const stayed = sinceFailed
    ? `${failedId} failed part-way: ${leftList} stayed committed`
    : `${failedId ?? 'the upgrade'} failed, and ${leftList} stayed committed (changed ${since})`
  const withLost = options.connectionLost ? ' with the lost connection' : ''
  let databaseState: string
  if (committed.length === 0) {
    databaseState =
      left && left.length > 0
        ? `nothing of this run is recorded as applied (${tableName} still records ${at(after)}), but ${stayed}`
        : left === undefined
          ? `nothing of this run is recorded as applied; ${tableName} still records ${at(after)}`
          : `rolled back${withLost}: nothing of this run was applied; ${tableName} still records ${at(after)}`
    if (rolledBack.length > 0)
      databaseState += ` (${idList(rolledBack)} ran but ${left === undefined ? `${rolledBack.length === 1 ? 'is' : 'are'} not recorded` : `rolled back with ${failedId}`})`
  } else {
    // The report lists what was committed, from the runs; this says what they cannot.
    const failed = failedId ?? 'the failing revision'
    const how = left === undefined ? `${failed} did not complete` : left.length > 0 ? stayed : `${failed} was rolled back${withLost}`
    databaseState = `partly applied: ${how} (before this run, ${tableName} recorded ${at(before)})`
  }
  if (failedId && left === undefined) {
    databaseState += `; whether any statement of ${committed.length > 0 ? 'it' : failedId} stayed committed could not be read from the database`
  } else if (left?.length === 0) databaseState += sinceFailed ? `; the catalog shows none of ${failedId}'s schema changes` : `; the catalog shows no schema change ${since}`
  if (options.reconnected) databaseState += ` (read on a new connection once the server answered again)`
  if (left && left.length > 0 && sinceFailed) {
    const failedRun = runs.find((r) => r.id === failedId)
    failedRun?.notes.push(`part of it stayed committed: ${leftList}`)
  }

  const advice = toolchainAdvice(error, failedSource ? warningsIn(warnings, failedSource.absolutePath) : warnings, proc.versions)
  const continues = after.length === 0 ? 'Alembic starts again from the first revision' : `Alembic continues from ${after.join(', ')}`
  const recovery = [
    options.connectionLost
      ? `Run again once the server is stable: ${continues}.${options.reconnected ? ' The migration lock went with the lost connection: make sure no other run is migrating this database meanwhile.' : ''}`
      : advice
        ? `This chain needs ${advice.needs}: ${advice.reason}. Upgrade it where the action runs (e.g. \`pip install --upgrade '${advice.requirement}'\` or the alembic-requirements file), then re-run; the revision itself may be fine.`
        : failedRevision
          ? `Fix ${failedRevision.file}${failedLine ? `:${failedLine}` : ''} (the error above) and re-run; ${continues}.`
          : `Fix the error above (it happened outside a revision, e.g. in env.py or while connecting) and re-run.`,
    // Not the revision's fault when the server went away: nothing to reproduce.
    options.connectionLost
      ? ''
      : `Reproduce locally from ${path.relative(process.cwd(), options.envPy).replace(/\/?[^/]*\/env\.py$/, '') || '.'}: \`DATABASE_URL=<url> python -m alembic upgrade head\``
  ].filter(Boolean)
  if (left && left.length > 0) {
    recovery.splice(1, 0, `Before re-running, undo what stayed${sinceFailed ? ` of ${failedId}` : ''} (${leftList}): the re-run runs all of ${failedId ?? 'it'} again.`)
  }
  if (committed.length > 0) recovery.push(`Revisions applied before the failure stay applied (${tableName} records them); the next run starts after them.`)
  // A toolchain mismatch is fixed by upgrading the toolchain, not by stamping the revision; a revision
  // of which nothing stayed is not finished by hand: stamping it would record objects that do not exist.
  recovery.push(...stampCommands(advice || left?.length === 0 || (left && !sinceFailed) ? undefined : failedId, before, committed))

  const envFrame = failedRevision ? undefined : [...(error?.frames ?? [])].reverse().find((f) => samePath(f.file, options.envPy))
  const exception = error ? error.summary : `Alembic exited with code ${proc.exitCode} without a Python traceback; see the log.`
  // A Python-level error (no statement reached the server) often depends on the toolchain: name it.
  const toolchain = error && !error.statement && proc.versions ? ` (Python ${proc.versions.python}, Alembic ${proc.versions.alembic}, SQLAlchemy ${proc.versions.sqlalchemy})` : ''
  const failure: MigrationFailure = {
    code: options.connectionLost ? 'migration-connection-lost' : undefined,
    // The interface needs a revision: when env.py failed first, name the one that was about to run.
    revision: failedId ?? pending[0].id,
    file: failedRevision?.file ?? path.relative(process.cwd(), options.envPy),
    line: failedRevision ? (failedLine ?? failedRevision.line) : envFrame?.line,
    statement: error?.statement ? redact(error.statement) : undefined,
    message: redact(
      (options.connectionLost
        ? `The connection to the server was lost while Alembic ran ${failedId ?? 'the upgrade'} (a server restart, a failover, a terminated session or a network failure): `
        : failedRevision
          ? ''
          : `Alembic failed before running ${pending[0].id}: `) +
        exception +
        toolchain
    ),
    detail: error?.detail ? redact(error.detail) : undefined,
    serverHint: error?.hint ? redact(error.hint) : undefined,
    databaseState,
    recovery,
    log: proc.log
  }
  return { runs, failure, current: after }
}

/**
 * The line of `source` the traceback points at: its deepest frame in the file, or inside a
 * `with op.batch_alter_table` block the batch_op call that failed. Undefined when the traceback
 * does not pass through the file.
 */
export function lineInRevision(error: ExtractedError | undefined, source: RevisionSource): number | undefined {
  const frame = [...(error?.frames ?? [])].reverse().find((f) => samePath(f.file, source.absolutePath))
  if (!frame) return undefined
  return batchOperationLine(readText(source.absolutePath), frame.line, error?.frames ?? [], error?.statement) ?? frame.line
}

/** The revision file deepest in the traceback, when a revision's own code is in it. */
export function revisionInTraceback(error: ExtractedError | undefined, sources: Map<string, RevisionSource>): RevisionSource | undefined {
  for (const frame of [...(error?.frames ?? [])].reverse()) {
    for (const source of sources.values()) if (samePath(frame.file, source.absolutePath)) return source
  }
  return undefined
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

function warningsIn(warnings: PythonWarning[], file: string): PythonWarning[] {
  return warnings.filter((w) => samePath(w.file, file))
}

function formatWarning(warning: PythonWarning): string {
  return `Alembic warned at line ${warning.line}: ${warning.category}: ${warning.message}${warning.source ? ` (\`${warning.source}\`)` : ''}`
}

/** Alembic operations whose batch_op counterparts have other names. */
const BATCH_OPERATIONS: Record<string, RegExp> = {
  add_constraint: /^create_(foreign_key|unique_constraint|check_constraint|primary_key|exclude_constraint)$/,
  drop_constraint: /^drop_constraint$/
}

/**
 * A `with op.batch_alter_table(...) as batch_op:` block runs its operations when the block exits,
 * so the traceback points at the `with` line. The failing call is the `batch_op.<operation>(` in
 * the block that matches the operation Alembic was executing (and the statement's names, when
 * several match); the `with` line stays when it cannot be told.
 */
export function batchOperationLine(text: string | undefined, withLine: number, frames: TracebackFrame[], statement: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const lines = text.split(/\r?\n/)
  const header = /^(\s*)(?:async\s+)?with\s.*batch_alter_table\s*\(.*\bas\s+(\w+)\s*:/.exec(lines[withLine - 1] ?? '')
  if (!header) return undefined
  const [, indent, alias] = header
  const calls: { line: number; operation: string; text: string }[] = []
  for (let i = withLine; i < lines.length; i++) {
    const text = lines[i]
    if (text.trim() !== '' && !text.startsWith(indent + ' ') && !text.startsWith(indent + '\t')) break
    const call = new RegExp(`\\b${alias}\\.(\\w+)\\s*\\(`).exec(text)
    if (call) calls.push({ line: i + 1, operation: call[1], text })
    else if (calls.length > 0) calls[calls.length - 1].text += '\n' + text
  }
  const flush = frames.findIndex((f) => f.function === 'flush')
  const executing = flush >= 0 ? frames[flush + 1]?.function : undefined
  const matching = executing ? calls.filter((c) => (BATCH_OPERATIONS[executing] ?? new RegExp(`^${executing}$`)).test(c.operation)) : calls
  const named = (c: { text: string }): boolean => {
    const literals = [...c.text.matchAll(/["'](\w+)["']/g)].map((m) => m[1].toLowerCase())
    return statement !== undefined && literals.length > 0 && literals.every((l) => statement.toLowerCase().includes(l))
  }
  const chosen = matching.length === 1 ? matching[0] : (matching.find(named) ?? (calls.length === 1 ? calls[0] : undefined))
  return chosen?.line
}

/**
 * The Alembic commands for the two ways out, with the revision ids filled in: record the failed
 * revision as done after finishing it by hand, or go back to where this run started.
 */
function stampCommands(failedId: string | undefined, before: string[], committed: string[]): string[] {
  const commands: string[] = []
  if (failedId) {
    commands.push(
      `If you complete ${failedId} by hand instead (e.g. the part of it that did not run), record it as applied without running it with \`alembic stamp ${failedId}\`, or run this action with \`mode: repair\` and \`repair-revision: ${failedId}\`.`
    )
  }
  // downgrade takes one target; with several branch heads before the run there is no single command to give.
  if (committed.length > 0 && before.length <= 1) {
    const start = before[0] ?? 'base'
    commands.push(`To undo what this run committed (${idList(committed)}) once the failure is understood: \`alembic downgrade ${start}\`.`)
  }
  return commands
}

/** Each revision's time: from its "Running upgrade" line to the next one, or to the end of Alembic's command. */
function progressDurations(proc: AlembicProcess): Map<string, number> {
  const durations = new Map<string, number>()
  proc.progress.forEach((p, i) => {
    // The last one ends when Alembic's command returned, not after the interpreter's shutdown.
    const end = i + 1 < proc.progress.length ? proc.progress[i + 1].at : (proc.finishedAt ?? proc.durationMs)
    durations.set(p.to, Math.max(0, end - p.at))
  })
  return durations
}

/**
 * Which revision failed: the revision file deepest in the traceback, else the last "Running
 * upgrade" line, else the first pending revision not applied.
 */
function failingRevision(
  error: ExtractedError | undefined,
  proc: AlembicProcess,
  pending: Revision[],
  nowApplied: Set<string>,
  sources: Map<string, RevisionSource>
): string | undefined {
  const inTraceback = revisionInTraceback(error, sources)
  if (inTraceback) return inTraceback.revision.id
  const last = proc.progress[proc.progress.length - 1]
  if (last && !nowApplied.has(last.to)) return last.to
  // No revision in the traceback and none started: env.py failed first (import error, connection
  // refused, a missing variable). Guessing a revision would send the user to the wrong file.
  if (proc.progress.length === 0) return undefined
  return pending.find((r) => !nowApplied.has(r.id))?.id
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b)
}

function sameRows(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id))
}

/** A few revisions by name; a long run (a 60-revision chain) by count and its ends, to keep the summary's state line one line. */
function idList(ids: string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.length} revisions, ${ids[0]} … ${ids[ids.length - 1]}`
}
