import type { Settings } from '../../inputs.js'
import { MigrationLock, type LockResult } from '../../lock.js'
import type { Logger } from '../../logger.js'
import { formatMs } from '../../wait.js'
import type { StageResult } from '../stage.js'

export interface HeldLock {
  /** Handed to the engines (they check it before each migration) and released by the pipeline. */
  lock: MigrationLock
  result: LockResult
}

/** The lock stage (migrate mode): one run at a time per database, on a session of its own. */
export async function lockStage(settings: Settings, log: Logger, signal?: AbortSignal): Promise<StageResult<'lock'>> {
  const lock = new MigrationLock(settings, log, signal)
  try {
    const result = await lock.acquire()
    const waitedFor = result.waitedForSessions ? 'the migration an earlier run left running' : 'another run'
    return { result: { lock, result }, summary: result.waitedMs > 0 ? `waited ${formatMs(result.waitedMs)} for ${waitedFor}` : 'acquired' }
  } catch (error) {
    // Not acquired, but its session may be open (a lock timeout): close it.
    await lock.release()
    throw error
  }
}
