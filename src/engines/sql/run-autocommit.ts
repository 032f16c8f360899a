import type pg from 'pg'
import { BlockerWatch, backendPid } from '../../blockers.js'
import type { SqlStatement } from '../../sql/parse.js'
import type { RevisionRun } from '../engine.js'
import { cancelSignal } from '../../cancel.js'
import { autocommitCancelled, autocommitFailure, cancelledWhileRunning, historyStartFailure, type AttemptError, type AutocommitEffect } from './failures.js'
import { fileLine, type PlannedMigration } from './plan.js'
import type { RunnerDeps, RunnerOutcome } from './runner.js'
import { noticeOf } from './run-transactional.js'
import { recordNotice, type NoticeFields } from '../notices.js'
import { concurrentIndexOf, dropIndexCommand, invalidBefore, invalidLeftBehind, leftoverInvalidIndex, type InvalidBefore } from './invalid-index.js'

/**
 * A file that runs outside a transaction, statement by statement. Never retried: a statement that
 * already ran stays applied, so running the file again would repeat it. The history row is marked
 * dirty first and cleared at the end, on the lock's session (never on the migration session, where
 * the file's own BEGIN would take the bookkeeping into its transaction), so an interrupted run is
 * visible to the next one.
 */
export async function runAutocommit(p: PlannedMigration, run: RevisionRun, deps: RunnerDeps): Promise<RunnerOutcome> {
  const verdict = await deps.guard.check(p, 1)
  if (verdict.status !== 'go') return verdict
  run.attempts = 1
  const { history, guard } = deps
  const m = p.migration
  const effect = new FileTransactions(p.statements)
  const fail = (failed: AttemptError, invalid?: string[]): RunnerOutcome => ({
    status: 'failed',
    failure: autocommitFailure(p, failed, effect.result(), history, 'failed', invalid)
  })

  let session: pg.Client
  try {
    session = await deps.sessions.acquire()
  } catch (error) {
    return fail({ error, phase: 'connect' })
  }
  let succeeded = false
  let current: SqlStatement | undefined
  const notice = (n: NoticeFields): void => recordNotice(deps.log, run, noticeOf(p, n, current))
  session.on('notice', notice)
  try {
    try {
      await history.markDirty(guard.session, { version: m.version, name: m.name, checksum: m.checksum, statements: p.statements.length }, deps.provenance)
    } catch (error) {
      return { status: 'failed', failure: historyStartFailure(p, error, history) }
    }
    const started = Date.now()
    const pid = backendPid(session)
    const watch = new BlockerWatch(guard.session, pid)
    for (const [i, statement] of p.statements.entries()) {
      current = statement
      const cancelled = cancelSignal(guard.signal)
      if (cancelled) {
        effect.stop(i)
        return { status: 'failed', failure: autocommitCancelled(p, effect.result(), history, cancelled) }
      }
      let before: InvalidBefore | undefined
      try {
        before = await prepareConcurrentIndex(session, statement, run, deps)
        const watched = { pids: pid === null ? [] : [pid], revision: () => m.version, describe: () => `${m.file}, statement at line ${fileLine(m, statement.line)}` }
        await deps.sessions.running(() => watch.during(() => deps.watch.during(watched, () => session.query(statement.text))))
      } catch (error) {
        effect.stop(i)
        const failed: AttemptError = { error, statement, phase: 'statement', blockers: watch.blockers }
        const invalid = before ? await invalidLeftBehind(guard.session, before).catch(() => undefined) : undefined
        const stopped = cancelSignal(guard.signal)
        if (!stopped) return fail(failed, invalid)
        return { status: 'failed', failure: cancelledWhileRunning(autocommitFailure(p, failed, effect.result(), history, 'was stopped', invalid), m.file, stopped) }
      }
      if (!effect.completed(i)) continue
      try {
        await history.recordProgress(guard.session, m.version, i + 1)
      } catch (error) {
        effect.stop(i + 1)
        return fail({ error, phase: 'history' })
      }
    }
    const unclosed = effect.openBegin()
    if (unclosed) {
      effect.stop(p.statements.length)
      return fail({
        error: new Error(`The file's BEGIN at line ${fileLine(m, unclosed.line)} has no COMMIT: what ran after it is rolled back when the session closes.`),
        phase: 'statement'
      })
    }
    try {
      await history.markClean(guard.session, m.version, Date.now() - started)
    } catch (error) {
      effect.stop(p.statements.length)
      return fail({ error, phase: 'history' })
    }
    succeeded = true
    return { status: 'applied' }
  } finally {
    session.off('notice', notice)
    // Closing a failed session also rolls back a transaction the file had opened.
    if (succeeded) await deps.sessions.release(true)
    else await deps.sessions.discard()
  }
}

/**
 * Before a CREATE INDEX CONCURRENTLY: drops the INVALID index of the same name an earlier failed
 * build left on the table (the statement would fail with "already exists", or skip with IF NOT
 * EXISTS), and notes which INVALID indexes the table has, so a failure can name the one it leaves.
 */
async function prepareConcurrentIndex(session: pg.Client, statement: SqlStatement, run: RevisionRun, deps: RunnerDeps): Promise<InvalidBefore | undefined> {
  const index = concurrentIndexOf(statement)
  if (!index) return undefined
  const leftover = await leftoverInvalidIndex(session, index)
  if (leftover) {
    const note = `Dropped the INVALID index ${leftover} an earlier failed CREATE INDEX CONCURRENTLY left (pg_index.indisvalid was false) before building it again: ${dropIndexCommand(leftover)}`
    await deps.sessions.running(() => session.query(dropIndexCommand(leftover)))
    deps.log.info(note)
    run.notes.push(note)
  }
  return invalidBefore(session, index)
}

/**
 * What of a file run statement by statement stays applied, given its own BEGIN … COMMIT blocks: a
 * statement inside a block takes effect only when the block commits; a ROLLBACK, a failure inside
 * the block or the end of the session undoes it.
 */
class FileTransactions {
  private readonly applied: number[] = []
  private readonly rolledBack: AutocommitEffect['rolledBack'] = []
  private begin: number | undefined
  private stoppedAt: number

  constructor(private readonly statements: SqlStatement[]) {
    this.stoppedAt = statements.length
  }

  /** Statement `i` completed. True when its effect is settled: no block of the file is open. */
  completed(i: number): boolean {
    const control = this.statements[i].transactionControl
    if (this.begin === undefined) {
      if (control === 'begin') {
        this.begin = i
        return false
      }
      this.applied.push(i)
      return true
    }
    if (control === 'commit') {
      for (let j = this.begin; j <= i; j++) this.applied.push(j)
    } else if (control === 'rollback') {
      this.rolledBack.push({ from: this.begin, to: i })
    } else {
      return false
    }
    this.begin = undefined
    return true
  }

  openBegin(): SqlStatement | undefined {
    return this.begin === undefined ? undefined : this.statements[this.begin]
  }

  /** The run stopped before statement `i`; an open block goes with the session. */
  stop(i: number): void {
    this.stoppedAt = i
    if (this.begin !== undefined) this.rolledBack.push({ from: this.begin, to: i - 1 })
    this.begin = undefined
  }

  result(): AutocommitEffect {
    return { applied: [...this.applied], rolledBack: [...this.rolledBack], stoppedAt: this.stoppedAt }
  }
}
