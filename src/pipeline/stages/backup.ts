import type pg from 'pg'
import { describeBackupStage } from '../../backup/report.js'
import type { Settings } from '../../inputs.js'
import type { RiskThreshold } from '../../lint/rule.js'
import type { Logger } from '../../logger.js'
import type { StageResult } from '../stage.js'

/** The backup stage (migrate mode, backup not never): after the lint gate, before anything is applied. */
export async function backupStage(
  settings: Settings,
  maxRisk: RiskThreshold,
  pendingCount: number,
  serverVersionNum: number,
  client: pg.Client,
  env: NodeJS.ProcessEnv,
  log: Logger
): Promise<StageResult<'backup'>> {
  // A bundle chunk of its own (with @actions/exec): most runs never back up.
  const { runBackup } = await import('../../backup/index.js')
  const { readDatabaseLocale } = await import('../../backup/restore.js')
  const locale = settings.backup === 'never' || pendingCount === 0 ? undefined : await readDatabaseLocale(client)
  const result = await runBackup({ policy: settings.backup, maxRisk, pendingCount, databaseUrl: settings.databaseUrl, serverVersionNum, locale, env, log })
  return { result, ...describeBackupStage(result) }
}
