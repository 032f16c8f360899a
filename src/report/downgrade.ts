import type { DowngradeResult, DowngradeRun } from '../engines/engine.js'
import { formatMs } from '../wait.js'
import { cell, code, plural, prose, table } from './markdown.js'

/**
 * mode: downgrade: every down step with its outcome, newest first, and the state reached, as read
 * from the database after the last step.
 */

const RESULT: Record<DowngradeRun['status'], string> = { reverted: '↩️ reverted', failed: '❌ failed', 'not-run': '⏸️ not reverted' }

/** One line: what this run reverted and where the database is now. */
export function downgradeState(result: DowngradeResult): string {
  const reverted = result.runs.filter((r) => r.status === 'reverted').map((r) => r.id)
  const now = result.current.length > 0 ? `now at ${result.current.map(code).join(', ')}` : 'no migration applied now (base)'
  const what = reverted.length > 0 ? `${plural(reverted.length, 'migration')} reverted in this run (${reverted.map(code).join(', ')}); ` : 'nothing reverted in this run; '
  return `**Database state:** ${what}${now}.`
}

export function renderDowngradeSection(result: DowngradeResult | undefined): string {
  if (!result) return ''
  const title = `### Downgrade to ${code(result.target)}\n\n`
  if (result.runs.length === 0) return `${title}The database was already at ${code(result.target)}: nothing to revert.\n`
  const rows = result.runs.map((r) => [
    code(r.id),
    cell(r.description),
    RESULT[r.status],
    r.durationMs === undefined ? '' : formatMs(r.durationMs),
    [...(r.transactional ? [] : ['outside a transaction']), ...r.notes].map((n) => cell(n)).join('<br>')
  ])
  const used = ['Revision', 'Description', 'Result', 'Time', 'Notes'].map((_, i) => rows.some((row) => row[i] !== ''))
  const header = ['Revision', 'Description', 'Result', 'Time', 'Notes'].filter((_, i) => used[i])
  // On a red run the callout says where the database is; on a green one this line does.
  const state = result.failure ? '' : `${prose(downgradeState(result))}\n\n`
  return `${title}${state}${table(
    header,
    rows.map((row) => row.filter((_, i) => used[i]))
  )}`
}
