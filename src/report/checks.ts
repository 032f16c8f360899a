import { checkProblem, failingChecks, ROWS_SHOWN, type CheckResult, type ChecksOutcome } from '../checks/index.js'
import { cell, code, plural, table } from './markdown.js'

/**
 * The post-migration checks: each with ✅ or ❌ and its place, then the rows each failing check
 * returned (at most ROWS_SHOWN, cells already cut and masked when they were read).
 */

const ICON: Record<CheckResult['status'], string> = { passed: '✅', failed: '❌', error: '❌', 'not-run': '⏸️' }

export function renderChecksSection(outcome: ChecksOutcome | undefined): string {
  if (!outcome) return ''
  const passed = outcome.results.filter((r) => r.status === 'passed').length
  const intro =
    `${passed} of ${plural(outcome.results.length, 'check')} passed` +
    ` (one read-only transaction, rolled back; statement_timeout ${code(outcome.timeout)} per check)` +
    (outcome.stopped ? `; the rest did not run: ${cell(outcome.stopped)}` : '') +
    '.'
  const rows = outcome.results.map((r) => [ICON[r.status], cell(r.check.name), code(`${r.check.file}:${r.error?.line ?? r.check.line}`), cell(verdict(r))])
  const out = [`### Checks\n\n${intro}\n\n${table(['', 'Check', 'Where', 'Result'], rows)}`]
  for (const r of failingChecks(outcome)) {
    out.push(`\n**❌ ${cell(r.check.name)}** — ${cell(checkProblem(r))}\n`)
    if (r.error?.detail || r.error?.hint)
      out.push(`\n${[r.error.detail && `Detail: ${cell(r.error.detail)}`, r.error.hint && `Server hint: ${cell(r.error.hint)}`].filter(Boolean).join('<br>')}\n`)
    if (r.rows && r.rows.rows.length > 0) {
      const note = r.rows.more ? `The first ${ROWS_SHOWN} rows:\n\n` : ''
      out.push(
        `\n${note}${table(
          r.rows.columns.map((c) => cell(c) || ' '),
          r.rows.rows.map((row) => row.map(value))
        )}`
      )
    }
  }
  return out.join('')
}

function verdict(r: CheckResult): string {
  switch (r.status) {
    case 'passed':
      return 'no rows'
    case 'failed':
      return r.rows!.more ? `more than ${ROWS_SHOWN} rows` : plural(r.rows!.rows.length, 'row')
    case 'not-run':
      return 'not run'
    default:
      return r.error!.code === 'check-read-only' ? 'tried to write (read-only transaction)' : r.error!.code === 'check-timeout' ? 'timed out' : `error: ${r.error!.message}`
  }
}

/** Data, shown literally: a code span keeps `<`, `*` and backticks from being read as markdown. */
function value(text: string | null): string {
  if (text === null) return '*NULL*'
  return text === '' ? '*(empty)*' : code(text)
}
