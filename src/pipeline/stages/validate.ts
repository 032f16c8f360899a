import { analyzeGraph, type GraphSummary } from '../../chain/graph.js'
import type { DatabaseState, Engine, EngineContext, LoadedChain, Problem, Revision } from '../../engines/engine.js'
import { ActionError } from '../../errors.js'
import type { StageResult } from '../stage.js'

export interface Validation {
  graph: GraphSummary
  state: DatabaseState
  /** Graph, engine and database problems, errors and warnings. */
  problems: Problem[]
  /** The revisions to apply, in order. */
  pending: Revision[]
}

/** The validate stage: the chain as a graph, the engine's own checks and the database's state, checked as a whole. */
export async function validateStage(engine: Engine, ctx: EngineContext, chain: LoadedChain): Promise<StageResult<'validate'>> {
  const analysis = analyzeGraph(chain.revisions)
  const staticProblems = [...analysis.problems, ...engine.checkChain(chain)]
  let state: DatabaseState
  try {
    state = await engine.readState(ctx, chain)
  } catch (error) {
    return { failure: error, known: { graph: analysis.summary, problems: staticProblems } }
  }
  const problems = [...staticProblems, ...state.problems]
  const errors = problems.filter((p) => p.severity === 'error')
  if (errors.length > 0) return { failure: chainInvalid(errors), known: { graph: analysis.summary, problems, state } }
  return {
    result: { graph: analysis.summary, state, problems, pending: engine.pending(chain, state) },
    summary: `valid; database at ${state.current.join(', ') || 'nothing applied'}`
  }
}

function chainInvalid(errors: Problem[]): ActionError {
  const first = errors[0]
  return new ActionError('chain-invalid', errors.length === 1 ? first.message : `${errors.length} problems in the migration chain; the first: ${first.message}`, {
    hint: first.hint,
    location: { file: first.file, line: first.line, revision: first.revisions[0] },
    details: errors.slice(1).map((p) => `${p.message} — ${p.hint}`)
  })
}
