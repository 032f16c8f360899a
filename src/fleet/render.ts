import { codeDocUrl } from '../codes.js'
import { redact } from '../redact.js'
import { cell, code, escapeHtml, plural, prose, table } from '../report/markdown.js'
import { RISK_ICON, SUMMARY_BUDGET_BYTES } from '../report/render.js'
import { formatMs } from '../wait.js'
import type { FleetReport, TargetRow, TargetStatus } from './model.js'

/**
 * The fleet's job summary: one headline, one table of every target (the failed ones first), then each
 * failed target's callout folded, as its own report would show it. Within GitHub's 1 MiB summary: the
 * table keeps the failed rows and as many others as fit, the callouts as many as fit after it.
 */

/** The table may take this much; the callouts what is left. */
const TABLE_BUDGET_BYTES = 600_000
const STATUS_ICON: Record<TargetStatus, string> = { failure: '❌', 'not-run': '⏭️', success: '✅' }
const ORDER: Record<TargetStatus, number> = { failure: 0, 'not-run': 1, success: 2 }

export function renderFleetReport(report: FleetReport): string {
  const parts = [headline(report), fleetCallout(report), targetsTable(report), warningsSection(report)].filter((p) => p.length > 0)
  let out = parts.join('\n')
  const failed = report.targets.filter((t) => t.status === 'failure' && t.callout)
  if (failed.length > 0) {
    out += '\n### Failed targets\n'
    let shown = 0
    for (const row of failed) {
      const section = `\n<details><summary>❌ ${escapeHtml(row.target)}: ${escapeHtml(plainWords(row.result))}</summary>\n\n${row.callout}\n</details>\n`
      if (Buffer.byteLength(out) + Buffer.byteLength(section) + 400 > SUMMARY_BUDGET_BYTES) break
      out += section
      shown++
    }
    if (shown < failed.length) {
      out += `\n… the details of ${plural(failed.length - shown, 'more failed target')} were cut to fit the job summary limit (1 MiB); the step log and the targets output have them.\n`
    }
  }
  return redact(out)
}

function headline(report: FleetReport): string {
  const count = (status: TargetStatus): number => report.targets.filter((t) => t.status === status).length
  const changed = report.targets.filter((t) => t.status === 'success' && t.applied > 0).length
  const icon = report.status === 'failure' ? '❌' : report.warnings.length > 0 ? '⚠️' : '✅'
  const mode = report.mode ? `${report.mode} ` : ''
  const words =
    report.error && report.targets.length === 0
      ? [`failed before any database ran`]
      : [
          count('failure') ? `${count('failure')} failed` : '',
          report.mode === 'migrate' ? (changed ? `${changed} migrated` : '') : count('success') ? `${count('success')} succeeded` : '',
          report.mode === 'migrate' && count('success') - changed ? `${count('success') - changed} already up to date` : '',
          count('not-run') ? `${count('not-run')} not run` : ''
        ].filter(Boolean)
  const what = `${mode}${plural(report.targets.length, 'database')}${words.length ? `: ${words.join(', ')}` : ''}`
  const settings = [
    report.maxParallel !== undefined ? `max-parallel ${report.maxParallel}` : '',
    report.canary !== undefined ? `canary ${report.canary}` : '',
    report.onError ? `on-error ${report.onError}` : '',
    formatMs(report.durationMs)
  ].filter(Boolean)
  return `## ${icon} pg-migrate-action · ${what}\n\n<sub>${escapeHtml(settings.join(' · '))}</sub>\n`
}

/** The fleet's own failure (an input, the query), before any target ran. */
function fleetCallout(report: FleetReport): string {
  const error = report.error
  if (!error) return ''
  const blocks = [
    `**${prose(error.message)}**`,
    error.input ? `Input: ${code(error.input)}` : '',
    '**Database state:** no database was changed: the fleet stopped before any target ran.',
    error.hint ? `**Next step:** ${prose(error.hint)}` : '',
    `Code: [${code(error.code)}](${codeDocUrl(error.code)})`
  ].filter(Boolean)
  return '> [!CAUTION]\n' + blocks.map((b) => `> ${b}`).join('\n>\n') + '\n'
}

function targetsTable(report: FleetReport): string {
  if (report.targets.length === 0) return ''
  const rows = [...report.targets].sort((a, b) => ORDER[a.status] - ORDER[b.status])
  // One server for the whole fleet (the usual tenant layout): named once, the table keeps the database names.
  const servers = new Set(rows.map((r) => serverOf(r.target)))
  const shared = servers.size === 1 ? [...servers][0] : undefined
  const name = (row: TargetRow): string => (shared ? row.target.slice(shared.length) : row.target)
  const header = ['Target', 'From → To', 'Applied', 'Duration', 'Lock wait', 'Max risk', 'pgvector', 'Result']
  const lines: string[][] = []
  let bytes = 0
  for (const row of rows) {
    const line = [
      `${STATUS_ICON[row.status]} ${code(name(row))}${row.canary ? ' <sub>canary</sub>' : ''}`,
      row.from === null && row.to === null ? '' : `${revisions(row.from)} → ${revisions(row.to)}`,
      row.status === 'not-run' ? '' : String(row.applied),
      row.durationMs === null ? '' : formatMs(row.durationMs),
      row.lockWaitMs ? formatMs(row.lockWaitMs) : '',
      row.maxRisk === null ? '' : row.maxRisk === 'none' ? 'none' : `${RISK_ICON[row.maxRisk]} ${row.maxRisk}`,
      row.pgvector === null ? '' : cell(row.pgvector),
      row.status === 'not-run' ? cell(row.result) : row.result.replace(/\r?\n/g, ' ')
    ]
    bytes += Buffer.byteLength(line.join(' | ')) + 6
    if (bytes > TABLE_BUDGET_BYTES) break
    lines.push(line)
  }
  const cut = rows.length - lines.length
  const where = shared ? `All targets are on ${code(shared.replace(/\/$/, ''))}.\n\n` : ''
  const note = cut > 0 ? `\n… ${plural(cut, 'more target')} (none of them failed) left out to fit the job summary limit; the targets output lists every one.\n` : ''
  // A column no row fills (no lock waited for, no pgvector) is left out.
  const used = header.map((_, i) => lines.some((line) => line[i] !== ''))
  const shown = (cells: string[]): string[] => cells.filter((_, i) => used[i] || i === 0)
  return where + table(shown(header), lines.map(shown)) + note
}

/** `user@host:port/` of a label `user@host:port/database`. */
function serverOf(label: string): string {
  const slash = label.indexOf('/', label.lastIndexOf(':'))
  return slash < 0 ? label : label.slice(0, slash + 1)
}

function revisions(ids: string[] | null): string {
  if (ids === null) return '?'
  return ids.length === 0 ? 'base' : ids.map(code).join(', ')
}

function warningsSection(report: FleetReport): string {
  if (report.warnings.length === 0) return ''
  return `### Warnings\n\n` + report.warnings.map((w) => `- ⚠️ ${prose(w)}`).join('\n') + '\n'
}

/** A result in a `<summary>`, where markdown is not parsed. */
function plainWords(markdown: string): string {
  return markdown.replace(/\*\*/g, '').replace(/`/g, '')
}
