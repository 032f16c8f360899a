import type pg from 'pg'
import type { ActionError } from '../../errors.js'
import { ensureExtensions, extensionsFailure, type ExtensionsResult } from '../../extensions.js'
import type { Settings } from '../../inputs.js'
import type { Logger } from '../../logger.js'
import type { StageResult } from '../stage.js'

export interface ExtensionsOutcome {
  result: ExtensionsResult
  /** Unusable extensions the run went on without, because require-extensions is false. */
  ignoredFailure?: ActionError
}

export async function extensionsStage(client: pg.Client, settings: Settings, log: Logger): Promise<StageResult<'extensions'>> {
  // Only the modes that change the database create extensions; validate and plan check they could.
  const create = settings.mode === 'migrate' || settings.mode === 'check'
  const result = await log.group('Extensions', () => ensureExtensions(client, settings.extensions, log, { create }))
  const failure = extensionsFailure(result)
  if (failure && settings.requireExtensions) return { failure, known: { result } }
  const smoke = result.smoke.length ? `; smoke test ${result.smoke.filter((c) => c.ok).length}/${result.smoke.length} passed` : ''
  return {
    result: { result, ignoredFailure: failure },
    status: failure || result.warnings.length > 0 ? 'warning' : 'ok',
    summary: result.extensions.map((e) => `${e.name} ${e.version ?? e.status}`).join(', ') + smoke
  }
}
