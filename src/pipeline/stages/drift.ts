import type { DatabaseState, Engine, EngineContext, LoadedChain } from '../../engines/engine.js'
import type { PreparedScratch } from '../../scratch/replay.js'
import type { DriftOutcome } from '../../scratch/outcomes.js'
import type { StageResult } from '../stage.js'

export interface DriftStageOutcome {
  result: DriftOutcome
  /** validate: the scratch database holding the replay, when it matched the database; the schema change runs the pending migrations there. */
  replay?: PreparedScratch
}

/**
 * The drift stage (validate, and migrate before anything is applied): the target against a replay
 * of its applied migrations. `keepReplay`: hand a replay that matches the database on (the pipeline disposes of it).
 */
export async function driftStage(engine: Engine, ctx: EngineContext, chain: LoadedChain, state: DatabaseState, keepReplay: boolean): Promise<StageResult<'drift'>> {
  // A bundle chunk of its own: scratch databases, pg_dump and replays.
  const { checkDrift, describeDriftStage, driftFailure } = await import('../../scratch/drift.js')
  const check = await ctx.log.group('Drift: the database against a replay of its applied migrations', () => checkDrift({ engine, ctx, chain, state, keepReplay }))
  const failure = driftFailure(check.result)
  if (failure) return { failure, known: check }
  return { result: check, ...describeDriftStage(check.result) }
}
