import type { DatabaseState, Engine, EngineContext, LoadedChain } from '../../engines/engine.js'
import type { StageResult } from '../stage.js'

/** The drift stage (validate, and migrate before anything is applied): the target against a replay of its applied migrations. */
export async function driftStage(engine: Engine, ctx: EngineContext, chain: LoadedChain, state: DatabaseState): Promise<StageResult<'drift'>> {
  // A bundle chunk of its own: scratch databases, pg_dump and replays.
  const { checkDrift, describeDriftStage, driftFailure } = await import('../../scratch/drift.js')
  const result = await ctx.log.group('Drift: the database against a replay of its applied migrations', () => checkDrift({ engine, ctx, chain, state }))
  const failure = driftFailure(result)
  if (failure) return { failure, known: result }
  return { result, ...describeDriftStage(result) }
}
