import type { DatabaseState, Engine, EngineContext, LoadedChain, Revision } from '../../engines/engine.js'
import type { PreparedScratch } from '../../scratch/replay.js'
import { bookkeepingTables, takeSnapshot, type Snapshot } from '../../verify/snapshot.js'
import type { StageResult } from '../stage.js'

/** The schema change stage (plan, validate): the pending migrations run on a scratch copy of the target, whose catalogs are compared. */
export async function pendingSchemaChangeStage(
  engine: Engine,
  ctx: EngineContext,
  chain: LoadedChain,
  state: DatabaseState,
  pending: Revision[],
  serverVersionNum: number,
  env: NodeJS.ProcessEnv,
  replay?: PreparedScratch
): Promise<StageResult<'schema change'>> {
  if (pending.length === 0) return { result: { status: 'skipped', reason: 'nothing is pending', revisions: [], changes: [] }, status: 'skipped', summary: 'nothing is pending' }
  // A bundle chunk of its own: scratch databases, pg_dump and replays.
  const { describeSchemaChangeStage, pendingSchemaChange } = await import('../../scratch/schema-change.js')
  const result = await ctx.log.group('Schema change of the pending migrations, on a scratch database', () =>
    pendingSchemaChange({ engine, ctx, chain, state, pending, serverVersionNum, env, replay })
  )
  return { result, ...describeSchemaChangeStage(result) }
}

/** The schema change stage (migrate, after apply): what this run changed in the target. */
export async function appliedSchemaChangeStage(ctx: EngineContext, chain: LoadedChain, before: Snapshot, applied: string[]): Promise<StageResult<'schema change'>> {
  const { appliedSchemaChange, describeSchemaChangeStage } = await import('../../scratch/schema-change.js')
  const result = await appliedSchemaChange(ctx, chain, before, applied)
  return { result, ...describeSchemaChangeStage(result) }
}

/** migrate: the target's schema before apply, for what this run changed; undefined when it cannot be read (the change is then not shown). */
export async function schemaBeforeApply(ctx: EngineContext, chain: LoadedChain): Promise<Snapshot | undefined> {
  return takeSnapshot(ctx.client, { exclude: bookkeepingTables(chain) }).catch(() => undefined)
}
