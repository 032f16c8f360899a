import type pg from 'pg'
import { cancelSignal, sleepUnlessCancelled } from '../../cancel.js'
import { BlockerWatch, backendPid } from '../../blockers.js'
import { isConnectionLost } from '../../pg-errors.js'
import type { EngineContext, RevisionRun } from '../engine.js'
import { cancelledWhileRunning, retryNote, transactionalFailure, type AttemptError } from './failures.js'
import { fileLine, firstLine, historyEntry, type PlannedMigration } from './plan.js'
import type { Watched } from '../../watch/index.js'
import { recordNotice, toServerNotice, type NoticeFields, type ServerNotice } from '../notices.js'
import type { SqlStatement } from '../../sql/parse.js'
import { RetryPolicy } from './retry.js'
import type { RunnerDeps, RunnerOutcome } from './runner.js'
import { mayChangeSessionState } from './session-state.js'
import { countingCompletions, failedPart, transactionMessage, type FailedPart, type MessagePart, type TransactionMessage } from './transaction-message.js'

/**
 * A migration in one transaction together with its history row: a failure rolls all of it back, so
 * transient failures (lock timeouts, deadlocks, lost connections) are simply tried again.
 */
export async function runTransactional(ctx: EngineContext, p: PlannedMigration, run: RevisionRun, deps: RunnerDeps): Promise<RunnerOutcome> {
  const retry = new RetryPolicy(ctx.settings)
  for (let attempt = 1; ; attempt++) {
    const verdict = await deps.guard.check(p, attempt)
    if (verdict.status !== 'go') return verdict
    run.attempts = attempt
    const failed = await transactionalAttempt(p, run, deps)
    if (!failed) return { status: 'applied' }

    const cancelled = cancelSignal(deps.guard.signal)
    if (cancelled) {
      // What the database holds, not what the error suggests: a cancel that came during COMMIT may have let it through.
      if (await deps.guard.committed(p)) return { status: 'applied' }
      const failure = transactionalFailure(p, failed, attempt)
      return { status: 'failed', failure: cancelledWhileRunning(failure, p.migration.file, cancelled, [`Run the job again: it starts from ${p.migration.version}.`]) }
    }

    if (failed.phase === 'commit' && isConnectionLost(failed.error) && (await deps.guard.committed(p))) {
      run.notes.push(`The connection was lost while committing; the history table shows the migration was committed.`)
      return { status: 'applied' }
    }
    if (!retry.allows(failed.error, attempt)) {
      if (attempt > 1) run.notes.push(`Gave up after ${attempt} attempts.`)
      return { status: 'failed', failure: transactionalFailure(p, failed, attempt) }
    }
    const delay = retry.nextDelayMs()
    const note = retryNote(p, failed, attempt, delay)
    run.notes.push(note)
    ctx.log.info(`${p.migration.file}: ${note}`)
    await sleepUnlessCancelled(delay, deps.guard.signal)
  }
}

async function transactionalAttempt(p: PlannedMigration, run: RevisionRun, deps: RunnerDeps): Promise<AttemptError | undefined> {
  const parts = [{ statements: p.statements, historyInsert: deps.history.insertAppliedSql(historyEntry(p), deps.provenance) }]
  // A retried migration reports what its last attempt was told.
  run.notices = undefined
  run.noticesLeftOut = undefined
  const sent = await sendTransaction(transactionMessage(p.begin ?? 'BEGIN', parts), parts, deps, [p], (notice, at) =>
    recordNotice(deps.log, run, noticeOf(p, notice, at.statement))
  )
  if ('error' in sent) return sent
  await deps.sessions.release(mayChangeSessionState(p.statements))
  return undefined
}

/**
 * Sends a transaction message on a migration session and returns each command's result. On failure
 * the transaction is rolled back, the session discarded, and the part that failed is named.
 */
export async function sendTransaction(
  message: TransactionMessage,
  parts: MessagePart[],
  deps: RunnerDeps,
  migrations: PlannedMigration[],
  onNotice?: (notice: NoticeFields, at: FailedPart) => void
): Promise<{ results: pg.QueryResult[] } | (AttemptError & { part?: number })> {
  let session: pg.Client
  try {
    session = await deps.sessions.acquire()
  } catch (error) {
    await deps.sessions.discard()
    return { error, phase: 'connect' }
  }
  const watch = new BlockerWatch(deps.guard.session, backendPid(session))
  const completed = { count: 0 }
  const watched = watchedMessage(session, migrations)
  // The message runs command after command: a notice comes from the one after those completed so far.
  const notice = (n: NoticeFields): void => onNotice?.(n, failedPart(message, parts, completed.count))
  session.on('notice', notice)
  try {
    // A multi-statement simple query resolves to one result per command.
    const results = await deps.sessions.running(() =>
      countingCompletions(session, () => watch.during(() => deps.watch.during(watched, () => session.query(message.text))), completed)
    )
    return { results: results as unknown as pg.QueryResult[] }
  } catch (error) {
    // The first error is the one reported; ROLLBACK only ends the aborted transaction.
    await session.query('ROLLBACK').catch(() => undefined)
    await deps.sessions.discard()
    return { error, ...failedPart(message, parts, completed.count), blockers: watch.blockers }
  } finally {
    session.off('notice', notice)
  }
}

/**
 * The server reports a message's command completions only at its end, so which migration of a
 * transaction: all message is running is not known while it runs: its waits are the transaction's,
 * counted against its first migration.
 */
function watchedMessage(session: pg.Client, migrations: PlannedMigration[]): Watched {
  const pid = backendPid(session)
  const [first] = migrations
  const one = migrations.length === 1
  return {
    pids: pid === null ? [] : [pid],
    revision: () => first.migration.version,
    describe: () => (one ? first.migration.file : `the run's one transaction (${migrations.length} migrations, transaction: all)`),
    ...(one ? {} : { scope: "the run's one transaction" })
  }
}

/** A notice raised by `statement` of `p` (undefined: by BEGIN, the history row or COMMIT). */
export function noticeOf(p: PlannedMigration, notice: NoticeFields, statement: SqlStatement | undefined): ServerNotice {
  return toServerNotice(notice, { file: p.migration.file, ...(statement ? { line: fileLine(p.migration, statement.line), statement: firstLine(statement.text) } : {}) })
}
