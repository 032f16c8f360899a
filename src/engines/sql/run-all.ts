import { cancelSignal, sleepUnlessCancelled } from '../../cancel.js'
import { resetSessionCommands } from '../../connection.js'
import { errorMessage } from '../../errors.js'
import { isConnectionLost } from '../../pg-errors.js'
import { plural } from '../../report/markdown.js'
import { migrationSessionSettings } from '../context.js'
import type { EngineContext, MigrationFailure, RevisionRun } from '../engine.js'
import type { ApplyOutcome } from './apply.js'
import { cancelledWhileRunning, retryNote, runFailure, type AttemptError } from './failures.js'
import { MARK_MIGRATION_STARTED } from './history.js'
import { historyEntry, type PlannedMigration } from './plan.js'
import { RetryPolicy } from './retry.js'
import type { RunnerDeps } from './runner.js'
import { mayChangeSessionState } from './session-state.js'
import { noticeOf, sendTransaction } from './run-transactional.js'
import { recordNotice, type ServerNotice } from '../notices.js'
import { historyCommands, transactionMessage, type MessagePart } from './transaction-message.js'

/**
 * transaction: all — every pending migration and its history row in one transaction, sent as one
 * simple-query message: one round trip for the whole run, and all or nothing. A failure rolls all
 * of it back, so a transient one (lock timeout, deadlock, lost connection) is retried from the
 * start, as a single transactional migration is. Each migration still starts with the session as a
 * fresh connection has it: after one that may have changed it, the reset runs inside the transaction.
 */
export async function applyAllInOneTransaction(ctx: EngineContext, planned: PlannedMigration[], runs: RevisionRun[], deps: RunnerDeps): Promise<ApplyOutcome> {
  const retry = new RetryPolicy(ctx.settings)
  let appliedElsewhere: string[] = []
  const outcome = (failure?: MigrationFailure): ApplyOutcome => ({ runs: runs.filter((r) => !appliedElsewhere.includes(r.id)), failure, appliedElsewhere })
  for (let attempt = 1; ; attempt++) {
    const verdict = await deps.guard.checkAll(planned, attempt)
    if (verdict.status === 'failed') {
      // Cancelled before this attempt: nothing of it ran (an earlier attempt was rolled back whole).
      if (verdict.failure.code !== 'cancelled') runs.find((r) => r.id === verdict.failure.revision)!.status = 'failed'
      return outcome(verdict.failure)
    }
    appliedElsewhere = verdict.appliedElsewhere
    const pending = planned.filter((p) => !appliedElsewhere.includes(p.migration.version))
    const pendingRuns = runs.filter((r) => !appliedElsewhere.includes(r.id))
    if (pending.length === 0) return outcome()
    for (const run of pendingRuns) run.attempts = attempt
    if (attempt === 1) noteUnusedBegins(pending, pendingRuns)

    const started = Date.now()
    ctx.log.info(`Applying ${plural(pending.length, 'migration')} in one transaction (transaction: all)${attempt > 1 ? `, attempt ${attempt}` : ''}`)
    for (const run of pendingRuns) Object.assign(run, { notices: undefined, noticesLeftOut: undefined })
    const result = await attemptAll(ctx, pending, deps, (part, notice) => recordNotice(deps.log, pendingRuns[part], notice))
    if (!('error' in result)) {
      pendingRuns.forEach((run, i) => Object.assign(run, { status: 'applied', durationMs: result.durationsMs[i] }))
      ctx.log.info(`${plural(pending.length, 'migration')} applied and committed together in ${Date.now() - started} ms`)
      return outcome()
    }

    const failed = result
    const failedIndex = failed.part ?? (failed.phase === 'commit' ? pending.length - 1 : 0)
    const failedRun = pendingRuns[failedIndex]
    if (failed.phase === 'commit' && isConnectionLost(failed.error) && (await deps.guard.committed(pending[failedIndex]))) {
      for (const run of pendingRuns) run.status = 'applied'
      failedRun.notes.push(`The connection was lost while committing; the history table shows the run's transaction was committed.`)
      return outcome()
    }
    const cancelled = cancelSignal(ctx.signal)
    if (cancelled || !retry.allows(failed.error, attempt)) {
      markFailed(pendingRuns, failedIndex, failed)
      failedRun.durationMs = Date.now() - started
      if (attempt > 1) failedRun.notes.push(`Gave up after ${attempt} attempts.`)
      ctx.log.info(`${pending[failedIndex].migration.file} failed; the whole run is rolled back: ${errorMessage(failed.error)}`)
      const failure = runFailure(pending, failedIndex, failed, attempt)
      const again = [`Run the job again: it starts again from ${pending[0].migration.version}, all ${pending.length} migrations in one transaction.`]
      return outcome(cancelled ? cancelledWhileRunning(failure, pending[failedIndex].migration.file, cancelled, again) : failure)
    }
    const delay = retry.nextDelayMs()
    const note = `${retryNote(pending[failedIndex], failed, attempt, delay)} The whole run is tried again.`
    failedRun.notes.push(note)
    ctx.log.info(`${pending[failedIndex].migration.file}: ${note}`)
    await sleepUnlessCancelled(delay, ctx.signal)
  }
}

/** The failed migration; those before it ran and were rolled back with it, unless nothing ran at all. */
function markFailed(runs: RevisionRun[], failedIndex: number, failed: AttemptError): void {
  const ranBefore = failed.phase !== 'connect' && failed.phase !== 'begin'
  runs.forEach((run, i) => (run.status = i === failedIndex ? 'failed' : i < failedIndex && ranBefore ? 'rolled-back' : 'not-run'))
}

/** A later file's own BEGIN with options (an isolation level): only the first one opens the transaction. */
function noteUnusedBegins(pending: PlannedMigration[], runs: RevisionRun[]): void {
  pending.forEach(({ begin }, i) => {
    if (i === 0 || !begin || isPlainBegin(begin)) return
    runs[i].notes.push(`Its own "${begin.trim()}" is not used: with transaction: all the run's one transaction is opened by the first pending migration's BEGIN.`)
  })
}

type AllAttempt = { durationsMs: (number | undefined)[] } | (AttemptError & { part?: number })

async function attemptAll(ctx: EngineContext, pending: PlannedMigration[], deps: RunnerDeps, onNotice: (part: number, notice: ServerNotice) => void): Promise<AllAttempt> {
  const parts = messageParts(ctx, pending, deps)
  // A file's own BEGIN can carry options (an isolation level) only when it opens the transaction.
  const message = transactionMessage(pending[0].begin ?? 'BEGIN', parts)
  // BEGIN's and COMMIT's notices (part undefined) go with the first and the last migration.
  const sent = await sendTransaction(message, parts, deps, pending, (notice, at) => {
    const part = at.part ?? (at.phase === 'begin' ? 0 : pending.length - 1)
    onNotice(part, noticeOf(pending[part], notice, at.statement))
  })
  if ('error' in sent) return sent
  return { durationsMs: historyCommands(message, parts).map((i) => sent.results[i]?.rows[0]?.execution_ms) }
}

/** Each migration: the session reset when the one before may have changed it, its timing mark, its statements and its history row. */
function messageParts(ctx: EngineContext, pending: PlannedMigration[], deps: RunnerDeps): MessagePart[] {
  const reset = resetSessionCommands(migrationSessionSettings(ctx.settings))
  return pending.map((p, i) => ({
    before: i > 0 && mayChangeSessionState(pending[i - 1].statements) ? [...reset, MARK_MIGRATION_STARTED] : [MARK_MIGRATION_STARTED],
    statements: p.statements,
    historyInsert: deps.history.insertAppliedInRunSql(historyEntry(p), deps.provenance)
  }))
}

/** BEGIN, BEGIN WORK, START TRANSACTION…: no isolation level or access mode that would be lost. */
function isPlainBegin(begin: string): boolean {
  const words = begin
    .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ')
    .trim()
    .replace(/\s+/g, ' ')
  return /^(begin|start transaction)( work| transaction)?$/i.test(words)
}
