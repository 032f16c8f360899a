import type { DatabaseState, Engine, EngineContext, LoadedChain, Revision } from '../../engines/engine.js'
import type { Settings } from '../../inputs.js'
import { describeVerifyStage, prepareVerify, readDatabaseEnd, runVerifyDowngrade, verifyFailure, type VerifyOutcome, type VerifyPreparation } from '../../verify/index.js'
import type { StageResult } from '../stage.js'

/** verify-downgrade, part 1: refuse a target that is not disposable, and record the schema before applying. */
export async function snapshotStage(settings: Settings, state: DatabaseState, ctx: EngineContext, chain: LoadedChain): Promise<StageResult<'snapshot'>> {
  const result = await prepareVerify(settings, state, ctx.client, chain)
  return { result, summary: `${result.before.size} schema objects recorded for verify-downgrade: ${result.scope}` }
}

/** verify-downgrade, part 2: the round trip of the down migrations, after a successful apply. */
export async function verifyDowngradeStage(
  engine: Engine,
  ctx: EngineContext,
  chain: LoadedChain,
  preparation: VerifyPreparation,
  applied: Revision[]
): Promise<StageResult<'verify downgrade'>> {
  let result: VerifyOutcome
  try {
    result = await ctx.log.group('verify-downgrade', () => runVerifyDowngrade({ engine, ctx, chain, preparation, applied }))
  } catch (error) {
    // Stopped by an error of its own, part-way down perhaps: the report still says where the database is.
    const end = await readDatabaseEnd(engine, ctx, chain, applied).catch(() => undefined)
    return { failure: error, known: { status: 'failed', scope: preparation.scope, revisions: applied.map((r) => r.id), steps: [], end } }
  }
  const failure = verifyFailure(result)
  if (failure) return { failure, known: result }
  return { result, ...describeVerifyStage(result) }
}
