import type { DatabaseState, DowngradePlan, DowngradeResult, Engine, EngineContext, LoadedChain, MigrationFailure } from '../../engines/engine.js'
import { ActionError } from '../../errors.js'
import { describeLintStage, runLintStage } from '../../lint/stage.js'
import { plural } from '../../report/markdown.js'
import type { StageResult } from '../stage.js'

/**
 * mode: downgrade, part 1 (the lint stage): the engine plans the down steps to the target — refusing
 * an invalid target or a migration without a down step before anything is reverted — and the risk
 * lint reads their SQL, so a down section that drops a table holding rows needs an acknowledgement.
 */
export async function downgradeLintStage(engine: Engine, ctx: EngineContext, chain: LoadedChain, state: DatabaseState, target: string): Promise<StageResult<'lint'>> {
  const plan = await engine.planDowngrade(ctx, chain, state, target)
  const linted = await runLintStage({ engine: engine.name, ctx, rendered: plan.revisions, direction: 'downgrade' })
  const outcome = { ...linted, plan, downgrade: plan }
  if (linted.gate.error) return { failure: linted.gate.error, known: outcome }
  return { result: outcome, ...describeLintStage(linted) }
}

/** mode: downgrade, part 2: the down steps under the migration lock; the state reached is read from the database. */
export async function downgradeStage(engine: Engine, ctx: EngineContext, chain: LoadedChain, state: DatabaseState, plan: DowngradePlan): Promise<StageResult<'downgrade'>> {
  const count = plan.revisions.length
  const result: DowngradeResult =
    count === 0
      ? { target: plan.target, runs: [], current: state.current }
      : await ctx.log.group(`Reverting ${plural(count, 'migration')} down to ${plan.target}`, () => engine.downgrade(ctx, chain, state, plan))
  if (result.failure) return { failure: revertFailed(result.failure), known: result }
  const at = result.current.length > 0 ? result.current.join(', ') : 'no revision applied'
  return { result, summary: count === 0 ? `already at ${plan.target}; nothing to revert` : `reverted ${plural(count, 'migration')}; now at ${at}` }
}

function revertFailed(failure: MigrationFailure): ActionError {
  const message = failure.code === 'cancelled' ? failure.message : `Reverting ${failure.revision} failed: ${failure.message}`
  return new ActionError(failure.code ?? 'revert-failed', message, {
    location: { file: failure.file, line: failure.line, column: failure.column, revision: failure.revision },
    hint: failure.recovery[0],
    details: [failure.databaseState]
  })
}
