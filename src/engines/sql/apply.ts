import type { EngineContext, MigrationFailure, RevisionRun } from '../engine.js'
import { invalidFailure, outsideTransactionRefusal } from './failures.js'
import type { HistoryTable, Provenance } from './history.js'
import { LockGuard } from './lock-guard.js'
import type { PlannedMigration } from './plan.js'
import { applyAllInOneTransaction } from './run-all.js'
import { runAutocommit } from './run-autocommit.js'
import { runTransactional } from './run-transactional.js'
import type { RunnerDeps } from './runner.js'
import { MigrationSessions } from './sessions.js'
import { MigrationWatch } from '../../watch/index.js'

/**
 * Runs planned migrations in order on migration sessions (never on the action's own connection or
 * the lock's). The chain stops at the first failure; earlier migrations stay — unless transaction:
 * all puts them all in one transaction (run-all.ts), which a failure rolls back as a whole.
 */

export interface ApplyOutcome {
  /** One entry per planned migration, except those another run applied while this one reconnected. */
  runs: RevisionRun[]
  failure?: MigrationFailure
  /** Versions found applied by another run after the lost migration lock was re-acquired. */
  appliedElsewhere: string[]
}

export interface ApplyOptions {
  history: HistoryTable
  provenance: Provenance
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
    runs[invalidIndex].status = 'failed'
    return { runs, failure: invalidFailure(planned[invalidIndex], invalidIndex, planned.length), appliedElsewhere: [] }
  }

  if (ctx.settings.transaction === 'all') {
    const outsideIndex = planned.findIndex((p) => !p.transactional)
    if (outsideIndex >= 0) {
      runs[outsideIndex].status = 'failed'
      return { runs, failure: outsideTransactionRefusal(planned[outsideIndex], outsideIndex, planned.length), appliedElsewhere: [] }
    }
  }

  if (!ctx.lock) throw new Error('The SQL engine applies migrations only while it holds the migration lock (EngineContext.lock).')
  const guard = new LockGuard(ctx.lock, options.history, ctx.signal)
  await options.history.ensure(guard.session)
  const sessions = new MigrationSessions(ctx)
  const watch = new MigrationWatch(() => guard.session, { lockTimeout: ctx.settings.lockTimeout, log: ctx.log })
  try {
    const deps = { sessions, guard, watch, log: ctx.log, ...options }
    if (ctx.settings.transaction !== 'all') return await applyInOrder(ctx, planned, runs, deps)
    const outcome = await applyAllInOneTransaction(ctx, planned, runs, deps)
    for (const run of outcome.runs) watch.settle(run)
    return outcome
  } finally {
    await sessions.close()
  }
}

async function applyInOrder(ctx: EngineContext, planned: PlannedMigration[], runs: RevisionRun[], deps: RunnerDeps): Promise<ApplyOutcome> {
  const appliedElsewhere: string[] = []
  const outcome = (failure?: MigrationFailure): ApplyOutcome => ({ runs: runs.filter((r) => !appliedElsewhere.includes(r.id)), failure, appliedElsewhere })
  for (const [i, p] of planned.entries()) {
    const run = runs[i]
    const started = Date.now()
    const mode = p.transactional ? 'in a transaction' : 'outside a transaction, statement by statement'
    ctx.log.info(`Applying ${p.migration.file} (${mode})`)
    const result = p.transactional ? await runTransactional(ctx, p, run, deps) : await runAutocommit(p, run, deps)
    run.durationMs = Date.now() - started
    deps.watch.settle(run)
    if (result.status === 'applied-elsewhere') {
      appliedElsewhere.push(run.id)
      ctx.log.info(`${p.migration.file} was applied by another run while this one re-acquired the migration lock; skipped.`)
      continue
    }
    if (result.status === 'failed') {
      run.status = 'failed'
      if (result.failure.code === 'cancelled') {
        // Cancelled before it began, it did not run; stopped in a transaction, it left nothing.
        if (run.attempts === 0) run.status = 'not-run'
        else if (p.transactional) run.status = 'rolled-back'
        if (run.attempts > 0) run.notes.push('stopped by the cancel')
      }
      ctx.log.info(`${p.migration.file} failed after ${run.durationMs} ms: ${result.failure.message}`)
      return outcome(result.failure)
    }
    run.status = 'applied'
    ctx.log.info(`${p.migration.file} applied in ${run.durationMs} ms${run.attempts > 1 ? ` (attempt ${run.attempts})` : ''}`)
  }
  return outcome()
}
