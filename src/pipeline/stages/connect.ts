import type pg from 'pg'
import type { Settings } from '../../inputs.js'
import type { Logger } from '../../logger.js'
import { formatMs, waitForServer, type WaitDependencies, type WaitResult } from '../../wait.js'
import type { StageResult } from '../stage.js'
import { plural } from '../../report/markdown.js'

/** The wait stage: the server answers, and the action holds its own connection. */
export interface Connected {
  /** The action's connection; it holds the migration lock and is closed by the pipeline. */
  client: pg.Client
  wait: WaitResult
}

export async function connectStage(settings: Settings, log: Logger, deps?: WaitDependencies): Promise<StageResult<'wait'>> {
  const { client, result } = await waitForServer(
    settings.databaseUrl,
    { timeoutMs: settings.waitTimeoutMs, retryDelayMs: settings.retryDelayMs, maxRetryDelayMs: settings.maxRetryDelayMs, connectTimeoutMs: settings.connectTimeoutMs },
    log,
    deps
  )
  return { result: { client, wait: result }, summary: `ready after ${plural(result.attempts, 'attempt')}, ${formatMs(result.waitedMs)}` }
}
