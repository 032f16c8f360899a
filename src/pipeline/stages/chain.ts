import type { Engine, LoadedChain } from '../../engines/engine.js'
import type { Settings } from '../../inputs.js'
import type { StageResult } from '../stage.js'
import { plural } from '../../report/markdown.js'

export interface ChainOutcome {
  engine: Engine
  chain: LoadedChain
}

/** The load chain stage: pick the engine for the migrations directory and read the chain from disk. */
export async function loadChainStage(settings: Settings, selectEngine: (settings: Settings) => Engine | Promise<Engine>): Promise<StageResult<'load chain'>> {
  const engine = await selectEngine(settings)
  let chain: LoadedChain
  try {
    chain = await engine.loadChain()
  } catch (error) {
    return { failure: error, known: { engine } }
  }
  return { result: { engine, chain }, summary: `${plural(chain.revisions.length, 'revision')} in ${chain.directory} (engine ${engine.name})` }
}
