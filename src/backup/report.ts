import { formatBytes } from '../lint/schema-model.js'
import { cell, code, fence, table } from '../report/markdown.js'
import type { StageRecord } from '../report/model.js'
import { formatMs } from '../wait.js'
import type { BackupResult } from './index.js'

/** How the backup shows in the stages table and in its own summary section. */

export function describeBackupStage(result: BackupResult): Pick<StageRecord, 'status' | 'summary'> {
  if (result.status === 'skipped') return { status: 'skipped', summary: result.reason }
  return { status: 'ok', summary: `${formatBytes(result.sizeBytes ?? 0)} in ${formatMs(result.durationMs ?? 0)} (${result.reason})` }
}

export function renderBackupSection(result: BackupResult | undefined): string {
  if (!result || result.status !== 'written') return ''
  const rows = [
    ['File', code(result.path ?? '')],
    ['Size', formatBytes(result.sizeBytes ?? 0)],
    ['Took', formatMs(result.durationMs ?? 0)],
    ['Why', cell(result.reason)]
  ]
  if (result.client) rows.push(['Client', `${code(result.client.pgDump)} ${cell(result.client.version)}`])
  return (
    `### Backup\n\n` +
    table(['', ''], rows) +
    `\nThe dump holds the database's data; it lives in this job's RUNNER_TEMP and is gone when the job ends unless you upload it. ` +
    `To restore it, the commands below restore the dump into a new database and then, in one transaction, swap it in by renaming: ` +
    `everything created after the dump is gone from the database (the history table agrees), and the current database is kept as ${code(result.replacedDatabase ?? '')} until you drop it. ` +
    `Nothing changes unless every step succeeds. They need a role that may create databases and owns this one, no other session connected to it (stop the application first), ` +
    `and the password from PGPASSWORD or ~/.pgpass; database-level settings and grants (ALTER DATABASE … SET, GRANT … ON DATABASE) are not copied.\n\n` +
    fence(result.restoreCommand ?? '', 'sh')
  )
}
