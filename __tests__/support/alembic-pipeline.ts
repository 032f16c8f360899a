import { analyzeGraph } from '../../src/chain/graph.js'
import type { Chain, DatabaseState, Engine, EngineContext, Problem, Revision } from '../../src/engines/engine.js'

export interface Validated {
  chain: Chain
  problems: Problem[]
  state: DatabaseState
  pending: Revision[]
}

/** The orchestrator's order up to (not including) plan/apply: load, engine checks, graph checks, state, pending. */
export async function validate(engine: Engine, ctx: EngineContext): Promise<Validated> {
  const chain = await engine.loadChain()
  const problems = [...engine.checkChain(chain), ...analyzeGraph(chain.revisions).problems]
  const state = await engine.readState(ctx, chain)
  problems.push(...state.problems)
  return { chain, problems, state, pending: engine.pending(chain, state) }
}

export function errorCodes(problems: Problem[]): string[] {
  return problems.filter((p) => p.severity === 'error').map((p) => p.code)
}
