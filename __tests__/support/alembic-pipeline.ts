import type { ApplyResult, DatabaseState, Engine, EngineContext, LoadedChain, Plan, Problem, Revision } from '../../src/engines/engine.js'
import { validateStage } from '../../src/pipeline/stages/validate.js'

export interface Validated<C> {
  chain: LoadedChain<C>
  problems: Problem[]
  state: DatabaseState
  /** Empty when the chain has errors. */
  pending: Revision[]
}

/** The pipeline's load chain and validate stages, without the rest of a run. */
export async function validate<C, P>(engine: Engine<C, P>, ctx: EngineContext): Promise<Validated<C>> {
  const chain = await engine.loadChain()
  const answer = await validateStage(engine, ctx, chain)
  if ('result' in answer) return { chain, ...answer.result }
  if (!answer.known?.state) throw answer.failure
  return { chain, problems: answer.known.problems, state: answer.known.state, pending: [] }
}

/** The engine's plan of the pending revisions, with their SQL, as lint and plan output get it; nothing is kept ready to apply. */
export async function planSql<C, P>(engine: Engine<C, P>, ctx: EngineContext, chain: LoadedChain<C>, state: DatabaseState, pending: Revision[]): Promise<Plan<P>> {
  const plan = await engine.plan(ctx, chain, state, pending)
  await plan.release?.()
  return plan
}

/** Plan and apply as migrate mode runs them. */
export async function applyPending<C, P>(engine: Engine<C, P>, ctx: EngineContext, chain: LoadedChain<C>, state: DatabaseState, pending: Revision[]): Promise<ApplyResult> {
  return engine.apply(ctx, chain, state, await engine.plan(ctx, chain, state, pending))
}

export function errorCodes(problems: Problem[]): string[] {
  return problems.filter((p) => p.severity === 'error').map((p) => p.code)
}
