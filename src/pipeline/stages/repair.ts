import type { Engine, EngineContext, LoadedChain } from '../../engines/engine.js'
import type { RepairRequest } from '../../inputs.js'
import { describeRepairStage, runRepair } from '../../repair.js'
import type { StageResult } from '../stage.js'

/** The repair stage (mode: repair), in place of validate and apply. */
export async function repairStage(engine: Engine, ctx: EngineContext, chain: LoadedChain, request: RepairRequest): Promise<StageResult<'repair'>> {
  const result = await runRepair({ engine, ctx, chain, request })
  return { result, ...describeRepairStage(result) }
}
