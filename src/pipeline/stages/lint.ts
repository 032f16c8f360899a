import type { DatabaseState, DowngradePlan, Engine, EngineContext, LoadedChain, Plan, Revision } from '../../engines/engine.js'
import { describeLintStage, runLintStage, type LintStageOutcome } from '../../lint/stage.js'
import type { StageResult } from '../stage.js'
import { vectorVersionFailure } from '../../vector/version-gate.js'

export interface LintOutcome extends LintStageOutcome {
  /** The pending revisions with their SQL: linted here, then shown by plan and run by apply. */
  plan: Plan
  /** mode: downgrade: the same plan, the down steps to the target (stages/downgrade.ts). */
  downgrade?: DowngradePlan
}

/**
 * The lint stage, in every mode that has a chain: the engine plans the pending revisions with their
 * SQL once, the lint reads it, and the gate stops the run before anything is applied.
 */
export async function lintStage(engine: Engine, ctx: EngineContext, chain: LoadedChain, state: DatabaseState, pending: Revision[]): Promise<StageResult<'lint'>> {
  const plan = await engine.plan(ctx, chain, state, pending)
  const linted = await runLintStage({ engine: engine.name, ctx, rendered: plan.revisions })
  const outcome = { ...linted, plan }
  const tooOld = vectorVersionFailure(linted.result.findings)
  if (tooOld) return { failure: tooOld, known: outcome }
  if (linted.gate.error) return { failure: linted.gate.error, known: outcome }
  return { result: outcome, ...describeLintStage(linted) }
}
