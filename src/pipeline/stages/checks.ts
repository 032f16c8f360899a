import type pg from 'pg'
import { checksFailure, describeChecksStage, describeLoadedChecks, loadChecks, runChecks, type LoadedChecks } from '../../checks/index.js'
import type { Settings } from '../../inputs.js'
import type { Logger } from '../../logger.js'
import type { StageResult } from '../stage.js'

/**
 * Post-migration checks, in two stages: the files are read and parsed right after the inputs, so a
 * check that cannot parse stops the run before anything is applied; they run at the end, on the
 * database as the run leaves it.
 */
export async function loadChecksStage(path: string, env: NodeJS.ProcessEnv): Promise<StageResult<'load checks'>> {
  const loaded = await loadChecks(path, env)
  return { result: loaded, summary: describeLoadedChecks(loaded) }
}

/** `control`: the action's own connection, which cancels a check in flight when the run is cancelled. */
export async function checksStage(loaded: LoadedChecks, settings: Settings, control: pg.Client, log: Logger, signal?: AbortSignal): Promise<StageResult<'checks'>> {
  const outcome = await log.group('Checks', () =>
    runChecks(loaded.checks, {
      databaseUrl: settings.databaseUrl,
      connectTimeoutMs: settings.connectTimeoutMs,
      timeout: settings.checksTimeout,
      lockTimeout: settings.lockTimeout,
      log,
      control,
      signal
    })
  )
  const failure = checksFailure(outcome)
  if (failure) return { failure, known: outcome }
  return { result: outcome, ...describeChecksStage(outcome) }
}
