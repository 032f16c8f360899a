import type pg from 'pg'
import { backendPid } from '../../blockers.js'
import { cancelSignal } from '../../cancel.js'
import { closeQuietly } from '../../connection.js'
import { ActionError } from '../../errors.js'
import type { SqlParser } from '../../sql/parse.js'
import type { DatabaseState, DowngradePlan, DowngradeResult, DowngradeRun, EngineContext, MigrationFailure, PendingRevision, Revision } from '../engine.js'
import { failureLocation, type AttemptError } from './failures.js'
import { canonicalVersion, compareVersions, hasSql, readDirectives, type SqlMigration } from './files.js'
import type { HistoryTable } from './history.js'
import { fileLine, planMigration, type PlannedMigration } from './plan.js'

/**
 * `mode: downgrade` for SQL chains: the down sections of every applied migration above the target,
 * newest first. Each runs like an up section: in its own transaction together with the removal of
 * its history row, or — when it cannot run in a transaction block or is marked to run outside one —
 * statement by statement, its history row marked dirty first and removed once all of them succeeded.
 * Every migration on the way is checked for a down section before anything is reverted.
 */

/** The applied versions above `target`, newest first, and the target as the chain spells it. Throws downgrade-target-invalid. */
export function sqlDowngradeSteps(revisions: Revision[], state: DatabaseState, target: string): { target: string; versions: string[] } {
  const applied = [...state.applied].sort((a, b) => compareVersions(a.id, b.id))
  if (target === 'base') return { target, versions: applied.map((a) => a.id).reverse() }
  const key = canonicalVersion(target)
  const at = applied.find((a) => canonicalVersion(a.id) === key)
  if (!at) {
    const known = revisions.some((r) => canonicalVersion(r.id) === key)
    const now = state.current.length > 0 ? `the database is at ${state.current.join(', ')}` : 'the database has no migration applied'
    throw new ActionError(
      'downgrade-target-invalid',
      `Input 'target-revision' is '${target}', which ${known ? 'is a migration of the chain that is not applied' : 'is no version of the chain'}: ${now}. Nothing was reverted.`,
      {
        location: { input: 'target-revision' },
        hint:
          applied.length === 0
            ? 'Nothing is applied, so there is nothing to downgrade.'
            : `Use base or one of the applied versions: ${applied
                .map((a) => a.id)
                .slice(-6)
                .join(', ')}.`
      }
    )
  }
  return {
    target: at.id,
    versions: applied
      .filter((a) => compareVersions(a.id, at.id) > 0)
      .map((a) => a.id)
      .reverse()
  }
}

/** Refuses the plan, naming every migration on the way without a down section, before anything is reverted. */
function requireDownSections(migrations: SqlMigration[], target: string): void {
  const missing = migrations.filter((m) => !m.down || !hasSql(m.down.text))
  if (missing.length === 0) return
  const first = missing[0]
  const names = missing.map((m) => m.file).join(', ')
  throw new ActionError(
    'downgrade-irreversible',
    `Cannot downgrade to ${target}: ${names} ${missing.length === 1 ? 'has' : 'have'} no down section, so ${missing.length === 1 ? 'it' : 'they'} cannot be reverted. Nothing was reverted.`,
    {
      location: { file: first.file, revision: first.version },
      hint: `Write the down section (-- migrate:down, or a ${first.version}_${first.name}.down.sql file) of ${missing.map((m) => m.version).join(', ')}, or choose a target-revision at or above ${missing[0].version}; restoring the backup is the way back past a migration that cannot be undone.`
    }
  )
}

/** The migration with its down section in place of the up section, so the up section's planning (transaction, markers, directives) applies to it. */
function asDownSection(migration: SqlMigration): SqlMigration {
  const down = migration.down!
  return { ...migration, file: down.file, up: down, down: undefined, directives: readDirectives(down.text, down.startLine) }
}

/** `migrations`: those to revert, newest first, with their sections settled. */
export function planSqlDowngrade(
  migrations: SqlMigration[],
  revisions: Revision[],
  target: string,
  parser: SqlParser,
  serverVersionNum: number
): DowngradePlan<PlannedMigration[]> {
  requireDownSections(migrations, target)
  const byId = new Map(revisions.map((r) => [canonicalVersion(r.id), r]))
  const planned = migrations.map((m) => planMigration(parser, asDownSection(m), serverVersionNum))
  const steps = planned.map((p, i): PendingRevision => {
    const m = migrations[i]
    const revision = byId.get(canonicalVersion(m.version))!
    return {
      revision: { ...revision, file: p.migration.up.file },
      sql: p.migration.up.text,
      sqlLine: p.migration.up.startLine,
      transactional: p.transactional,
      notes: [...p.notes, ...(p.invalid ? [`Cannot run as written: ${p.invalid.message} (line ${p.invalid.line}).`] : [])]
    }
  })
  return { target, revisions: steps, notes: [], data: planned }
}

export async function runSqlDowngrade(ctx: EngineContext, plan: DowngradePlan<PlannedMigration[]>, history: HistoryTable): Promise<DowngradeResult> {
  const planned = plan.data
  const runs: DowngradeRun[] = plan.revisions.map((step) => ({
    id: step.revision.id,
    description: step.revision.description,
    file: step.revision.file,
    status: 'not-run',
    transactional: step.transactional,
    notes: [...step.notes]
  }))
  const finish = async (failure?: MigrationFailure): Promise<DowngradeResult> => ({ target: plan.target, runs, failure, current: await readCurrent(ctx, history) })
  if (planned.length === 0) return finish()

  // A section that cannot run as written is found before anything is reverted.
  const invalid = planned.findIndex((p) => p.invalid)
  if (invalid >= 0) {
    runs[invalid].status = 'failed'
    const p = planned[invalid]
    return finish({
      code: 'revert-failed',
      revision: p.migration.version,
      file: p.migration.up.file,
      line: p.invalid!.line,
      column: p.invalid!.column,
      sqlState: p.invalid!.sqlState,
      message: `The down section of ${p.migration.up.file} cannot run as written: ${p.invalid!.message}`,
      databaseState: 'Nothing was reverted: every down section is checked before the first one runs.',
      recovery: [p.invalid!.hint]
    })
  }

  if (!ctx.lock) throw new Error('mode: downgrade reverts migrations only while it holds the migration lock (EngineContext.lock).')
  for (const [i, p] of planned.entries()) {
    const run = runs[i]
    const version = p.migration.version
    const cancelled = cancelSignal(ctx.signal)
    if (cancelled) {
      return finish({
        code: 'cancelled',
        revision: version,
        file: p.migration.up.file,
        message: `The run was cancelled (${cancelled}) before the down section of ${p.migration.up.file} started.`,
        databaseState: `${version} and the migrations below it were not reverted.`,
        recovery: ['Run mode: downgrade again: it continues from the state reached.']
      })
    }
    if (await ctx.lock.ensureHeld()) {
      // The lock was lost and taken again: another run may have migrated meanwhile.
      const newest = ((await history.read(ctx.lock.session)) ?? []).filter((row) => !row.dirty).at(-1)?.version
      if (newest === undefined || canonicalVersion(newest) !== canonicalVersion(version)) {
        return finish({
          code: 'revert-failed',
          revision: version,
          file: p.migration.up.file,
          message: `The migration lock was lost and re-acquired, and meanwhile the newest applied migration became ${newest ?? 'none'} instead of ${version}: another run changed this database.`,
          databaseState: 'This run reverted nothing after the lock was lost.',
          recovery: ['Run again: the next run reads the state anew.']
        })
      }
    }
    const started = Date.now()
    ctx.log.info(`Reverting ${version} with the down section of ${p.migration.up.file} (${p.transactional ? 'in a transaction' : 'outside a transaction, statement by statement'})`)
    const failure = p.transactional ? await revertInTransaction(ctx, p, history) : await revertStatementByStatement(ctx, p, history)
    run.durationMs = Date.now() - started
    if (failure) {
      run.status = 'failed'
      return finish(failure)
    }
    run.status = 'reverted'
    ctx.log.info(`${version} reverted in ${run.durationMs} ms`)
  }
  return finish()
}

/** What cancels the statement in flight on each migration session, while it is open. */
const cancellers = new WeakMap<pg.Client, () => void>()

/**
 * A migration session whose statement in flight is cancelled on the server (pg_cancel_backend, sent on
 * the lock's session) when the run is cancelled: it fails, and its transaction rolls back as after any failure.
 */
async function connectCancellable(ctx: EngineContext): Promise<pg.Client> {
  const session = await ctx.connect()
  const cancel = (): void => {
    const pid = backendPid(session)
    if (pid !== null) void (ctx.lock?.session ?? ctx.client).query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined)
  }
  cancellers.set(session, cancel)
  ctx.signal?.addEventListener('abort', cancel, { once: true })
  return session
}

async function closeCancellable(ctx: EngineContext, session: pg.Client): Promise<void> {
  const cancel = cancellers.get(session)
  if (cancel) ctx.signal?.removeEventListener('abort', cancel)
  await closeQuietly(session)
}

/** The down statements and the removal of the history row, committed together or not at all. */
async function revertInTransaction(ctx: EngineContext, p: PlannedMigration, history: HistoryTable): Promise<MigrationFailure | undefined> {
  let session: pg.Client
  try {
    session = await connectCancellable(ctx)
  } catch (error) {
    return failed(ctx, p, { error, phase: 'connect' }, `Nothing of it was reverted: no migration session could be opened.`)
  }
  let current: AttemptError = { error: undefined, phase: 'begin' }
  try {
    await session.query(p.begin ?? 'BEGIN')
    for (const statement of p.statements) {
      current = { error: undefined, statement, phase: 'statement' }
      await session.query(statement.text)
    }
    current = { error: undefined, phase: 'history' }
    await history.remove(session, p.migration.version)
    current = { error: undefined, phase: 'commit' }
    await session.query('COMMIT')
    return undefined
  } catch (error) {
    await session.query('ROLLBACK').catch(() => undefined)
    return failed(
      ctx,
      p,
      { ...current, error },
      `Rolled back: nothing of the down section of ${p.migration.up.file} took effect, and ${p.migration.version} is still recorded as applied.`
    )
  } finally {
    await closeCancellable(ctx, session)
  }
}

/**
 * A down section that runs outside a transaction: its history row is marked dirty first (on the
 * lock's session), so a failure part-way is seen by the next run, and removed after the last statement.
 */
async function revertStatementByStatement(ctx: EngineContext, p: PlannedMigration, history: HistoryTable): Promise<MigrationFailure | undefined> {
  const version = p.migration.version
  const lock = ctx.lock!.session
  try {
    await lock.query(`UPDATE ${history.qualified} SET dirty = true, statements_done = 0, statements_total = $2 WHERE version = $1`, [version, p.statements.length])
  } catch (error) {
    return failed(ctx, p, { error, phase: 'history' }, `Nothing of it was reverted: it runs outside a transaction, so it starts only once its history row is marked.`)
  }
  let session: pg.Client
  try {
    session = await connectCancellable(ctx)
  } catch (error) {
    return failed(ctx, p, { error, phase: 'connect' }, `Nothing of it was reverted, but its history row is marked dirty: ${history.sqlMarkClean(version)} clears it.`)
  }
  try {
    for (const [i, statement] of p.statements.entries()) {
      try {
        await session.query(statement.text)
      } catch (error) {
        const done = i === 0 ? 'no statement of its down section took effect' : `statements 1–${i} of its down section took effect and stay`
        return {
          ...failed(
            ctx,
            p,
            { error, statement, phase: 'statement' },
            `${p.migration.up.file}'s down section ran outside a transaction: ${done}; statement ${i + 1} failed. Its history row is marked dirty, so later runs stop until it is resolved.`
          ),
          recovery: [
            `Finish reverting by hand (the statements from line ${fileLine(p.migration, statement.line)} of ${p.migration.up.file} on), then record ${version} as not applied with mode: repair, repair-revision: ${version}, repair-action: mark-pending.`,
            `Or redo statements 1–${i} by hand and record it as applied again with mode: repair, repair-action: mark-applied.`
          ]
        }
      }
      await history.recordProgress(lock, version, i + 1)
    }
    await history.remove(lock, version)
    return undefined
  } catch (error) {
    return failed(
      ctx,
      p,
      { error, phase: 'history' },
      `Every statement of its down section took effect, but its history row could not be updated: it is still recorded (dirty) as applied; ${history.sqlDelete(version)} removes it.`
    )
  } finally {
    await closeCancellable(ctx, session)
  }
}

function failed(ctx: EngineContext, p: PlannedMigration, attempt: AttemptError, databaseState: string): MigrationFailure {
  const location = failureLocation(p, attempt)
  const cancelled = cancelSignal(ctx.signal)
  return {
    ...location,
    code: cancelled ? 'cancelled' : 'revert-failed',
    message: cancelled ? `The run was cancelled (${cancelled}) while the down section of ${p.migration.up.file} ran.` : location.message,
    databaseState,
    recovery: [
      `Fix the down section of ${p.migration.up.file} and run mode: downgrade again: it continues from ${p.migration.version}.`,
      "If the down section cannot be fixed, restore the backup taken before the deploy (the README's rollback section gives the restore)."
    ]
  }
}

async function readCurrent(ctx: EngineContext, history: HistoryTable): Promise<string[]> {
  const rows = (await history.read(ctx.lock?.session ?? ctx.client)) ?? []
  const newest = rows.at(-1)
  return newest ? [newest.version] : []
}
