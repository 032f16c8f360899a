import { renderBackupSection } from '../backup/report.js'
import { renderRepairSection } from '../repair.js'
import { renderVerifySection } from '../verify/index.js'
import { describeBlocker } from '../blockers.js'
import { codeDocUrl, type Code } from '../codes.js'
import type { MigrationFailure, PendingRevision, Problem, RevisionRun } from '../engines/engine.js'
import { isBlocking, type GateResult } from '../lint/gate.js'
import type { LintResult } from '../lint/lint.js'
import { redact } from '../redact.js'
import { formatMs } from '../wait.js'
import { cell, code, details, escapeHtml, fence, table, truncate } from './markdown.js'
import { renderRevisionGraph } from './mermaid.js'
import type { RunReport, StageRecord } from './model.js'

/** The one place that turns a run's results into the job summary and the report file. */

const SUMMARY_BUDGET = 900_000
const SQL_BLOCK_LIMIT = 20_000

export function renderReport(report: RunReport): string {
  const parts = [
    headline(report),
    errorSection(report),
    overview(report),
    stagesSection(report.stages),
    failureSection(report.apply?.failure),
    report.lint ? renderLintSection(report.lint.result, report.lint.gate) : '',
    renderRepairSection(report.repair),
    renderBackupSection(report.backup),
    renderVerifySection(report.verifyDowngrade),
    migrationsSection(report),
    problemsSection(report.problems),
    chainSection(report),
    planSection(report),
    waitSection(report),
    extensionsSection(report),
    warningsSection(report.warnings),
    bugSection(report)
  ]
  let markdown = parts.filter((p) => p && p.length > 0).join('\n')
  if (markdown.length > SUMMARY_BUDGET) {
    markdown = markdown.slice(0, SUMMARY_BUDGET) + '\n\n… the report was cut to fit the job summary limit; the full text is in the step log.\n'
  }
  return redact(markdown)
}

/**
 * A renderer bug must not cost the user the summary: fall back to a minimal report that still
 * carries the run's own error, and mark the run failed so the bug is seen.
 */
export function renderReportSafely(report: RunReport, render: (report: RunReport) => string = renderReport): string {
  try {
    return render(report)
  } catch (error) {
    const original = report.error
    report.status = 'failure'
    report.error ??= {
      stage: 'report',
      code: 'internal-error',
      message: `Internal error while rendering the report: ${error instanceof Error ? error.message : String(error)}`,
      hint: 'This is a bug in pg-migrate-action, not in your migrations; the step log has every stage.',
      details: [],
      location: {},
      bug: true,
      stack: error instanceof Error ? error.stack : undefined
    }
    const lines = [
      `## ❌ pg-migrate-action: the report could not be rendered`,
      '',
      `Rendering failed with: ${escapeHtml(error instanceof Error ? error.message : String(error))}. This is a bug in pg-migrate-action.`,
      '',
      table(['Stage', 'Result', 'Time', 'Summary'], report.stages.map((s) => [s.name, s.status, formatMs(s.durationMs), cell(s.summary)])),
      original ? `**The run's own error** (${escapeHtml(original.stage)}): ${escapeHtml(original.message)}${original.hint ? ` — ${escapeHtml(original.hint)}` : ''}` : ''
    ]
    return redact(lines.join('\n') + '\n')
  }
}

function headline(report: RunReport): string {
  const applied = report.apply?.runs.filter((r) => r.status === 'applied').length ?? 0
  const pending = report.pending?.length ?? 0
  if (report.status === 'failure') {
    const stage = report.error?.stage ?? 'unknown'
    return `## ❌ pg-migrate-action failed at **${stage}**\n`
  }
  const what =
    report.mode === 'check'
      ? 'server ready, extensions verified'
      : report.mode === 'validate'
        ? `chain valid, ${pending} pending`
        : report.mode === 'plan'
          ? `plan: ${pending} pending migration${pending === 1 ? '' : 's'}`
          : report.repair
            ? `repair: ${report.repair.done}`
            : applied > 0
            ? `applied ${applied} migration${applied === 1 ? '' : 's'}`
            : 'database already up to date'
  // Findings are worth a look even when nothing was blocked; low-risk ones (a new table) are only listed.
  const findings = report.lint?.result.findings.filter((f) => f.risk !== 'low').length ?? 0
  if (findings > 0) return `## ⚠️ pg-migrate-action: ${what}, ${findings} lint finding${findings === 1 ? '' : 's'} to review\n`
  return `## ✅ pg-migrate-action: ${what}\n`
}

function errorSection(report: RunReport): string {
  const error = report.error
  if (!error) return ''
  const lines = [`> [!CAUTION]`, `> **${escapeHtml(error.message)}**`]
  if (error.location.file) lines.push(`> In ${code(error.location.file + (error.location.line ? `:${error.location.line}` : ''))}`)
  if (error.location.input) lines.push(`> Input: ${code(error.location.input)}`)
  if (error.hint) lines.push(`>`, `> **What to do:** ${escapeHtml(error.hint)}`)
  lines.push(`>`, `> Code: ${codeLink(error.code)}`)
  for (const detail of error.details) lines.push(`>`, `> ${escapeHtml(detail)}`)
  return lines.join('\n') + '\n'
}

/** A code links to its entry on the troubleshooting page, where the fix is explained at length. */
function codeLink(value: Code): string {
  return `[${code(value)}](${codeDocUrl(value)})`
}

function overview(report: RunReport): string {
  const rows: string[][] = []
  if (report.database) rows.push(['Database', code(report.database)])
  if (report.serverVersion) rows.push(['Server', `PostgreSQL ${cell(report.serverVersion)}`])
  if (report.mode) rows.push(['Mode', cell(report.mode)])
  if (report.engine) rows.push(['Engine', `${cell(report.engine)}${report.migrationsPath ? ` — ${code(report.migrationsPath)}` : ''}`])
  if (report.state) rows.push(['Database was at', report.state.current.length ? report.state.current.map(code).join(', ') : 'nothing applied'])
  if (report.apply) rows.push(['Database is now at', report.apply.current.length ? report.apply.current.map(code).join(', ') : 'nothing applied'])
  if (report.apply?.appliedElsewhere?.length) {
    rows.push(['Applied by another run', `${report.apply.appliedElsewhere.map(code).join(', ')} (while this run re-acquired the lost migration lock)`])
  }
  if (report.lock) {
    rows.push(['Migration lock', report.lock.waitedMs > 0 ? `waited ${formatMs(report.lock.waitedMs)} for ${cell(report.lock.heldBy)}` : 'acquired at once'])
  }
  rows.push(['Duration', formatMs(report.durationMs)])
  return table(['', ''], rows)
}

const STATUS_ICON: Record<StageRecord['status'], string> = { ok: '✅', warning: '⚠️', failed: '❌', skipped: '⏭️' }

function stagesSection(stages: StageRecord[]): string {
  if (stages.length === 0) return ''
  return `### Stages\n\n` + table(['Stage', 'Result', 'Time', 'Summary'], stages.map((s) => [s.name, `${STATUS_ICON[s.status]} ${s.status}`, formatMs(s.durationMs), cell(s.summary)]))
}

function failureSection(failure: MigrationFailure | undefined): string {
  if (!failure) return ''
  const out = [`### Failed migration: ${code(failure.revision)}\n\n`]
  const where = `${failure.file}${failure.line ? `:${failure.line}` : ''}${failure.column ? `:${failure.column}` : ''}`
  const rows: string[][] = [
    ['File', code(where)],
    ['Error', `${failure.sqlState ? `${code(failure.sqlState)} ` : ''}${cell(failure.message)}`]
  ]
  if (failure.detail) rows.push(['Detail', cell(failure.detail)])
  if (failure.serverHint) rows.push(['Server hint', cell(failure.serverHint)])
  if (failure.blockedBy?.length) rows.push(['Lock held by', cell(failure.blockedBy.map(describeBlocker).join('\n'))])
  rows.push(['Database state', cell(failure.databaseState)])
  out.push(table(['', ''], rows))
  const excerptLanguage = failure.file.endsWith('.py') ? 'python' : 'sql'
  if (failure.excerpt) out.push(`\n**${escapeHtml(failure.file)}, around line ${failure.line ?? '?'}:**\n\n` + fence(truncate(failure.excerpt, SQL_BLOCK_LIMIT), excerptLanguage))
  // The statement adds something when the excerpt is not SQL (Alembic) or does not contain all of it.
  if (failure.statement && !(excerptLanguage === 'sql' && failure.excerpt?.includes(failure.statement.trim().split('\n')[0]))) {
    out.push(`\n**Statement sent to the server:**\n\n` + fence(truncate(failure.statement, SQL_BLOCK_LIMIT), 'sql'))
  }
  if (failure.recovery.length) out.push(`\n**How to recover:**\n\n` + failure.recovery.map((step, i) => `${i + 1}. ${escapeHtml(step)}`).join('\n') + '\n')
  if (failure.log) out.push('\n' + details('Full log', fence(truncate(failure.log, 60_000))))
  return out.join('')
}

function migrationsSection(report: RunReport): string {
  const runs = report.apply?.runs
  if (!runs || runs.length === 0) return ''
  const icon = (r: RevisionRun): string => (r.status === 'applied' ? '✅ applied' : r.status === 'failed' ? '❌ failed' : '⏸️ not run')
  return (
    `### Migrations\n\n` +
    table(
      ['Revision', 'Description', 'Result', 'Time', 'Tx', 'Notes'],
      runs.map((r) => [
        code(r.id),
        cell(r.description),
        icon(r) + (r.attempts > 1 ? ` (${r.attempts} attempts)` : ''),
        r.durationMs === undefined ? '' : formatMs(r.durationMs),
        r.transactional ? 'yes' : '**no**',
        cell(r.notes.join('\n'))
      ])
    )
  )
}

function problemsSection(problems: Problem[]): string {
  if (problems.length === 0) return ''
  return (
    `### Chain problems\n\n` +
    table(
      ['', 'Problem', 'Where', 'What to do'],
      problems.map((p) => [
        p.severity === 'error' ? '❌' : '⚠️',
        `${codeLink(p.code)} ${cell(p.message)}`,
        p.file ? code(p.file + (p.line ? `:${p.line}` : '')) : '',
        cell(p.hint)
      ])
    )
  )
}

function chainSection(report: RunReport): string {
  const { chain, graph } = report
  if (!chain) return ''
  const current = report.apply?.current ?? report.state?.current ?? []
  const pending = report.apply ? report.apply.runs.filter((r) => r.status !== 'applied').map((r) => r.id) : (report.pending ?? []).map((r) => r.id)
  // The graph is known once validation analysed it; a run stopped before that (lock timeout) still lists the chain's facts.
  const facts = [
    `${chain.revisions.length} revision${chain.revisions.length === 1 ? '' : 's'}`,
    graph && `root${graph.roots.length === 1 ? '' : 's'} ${graph.roots.map(code).join(', ') || '—'}`,
    graph && `head${graph.heads.length === 1 ? '' : 's'} ${graph.heads.map(code).join(', ') || '—'}`,
    graph?.merges.length ? `merges ${graph.merges.map(code).join(', ')}` : ''
  ].filter(Boolean)
  const out = [`### Chain\n\n${facts.join(' · ')}\n`]
  for (const note of chain.notes) out.push(`- ${escapeHtml(note)}\n`)
  const drawn = graph && renderRevisionGraph(chain, graph, { current, pending, failed: report.apply?.failure?.revision, problems: report.problems })
  if (drawn) out.push('\n' + fence(drawn, 'mermaid'))
  return out.join('')
}

function planSection(report: RunReport): string {
  // In migrate mode the Migrations table already lists every pending revision with its outcome.
  if (report.mode !== 'plan' && report.mode !== 'validate') return ''
  const header = report.mode === 'plan' ? '### Plan: pending migrations' : '### Pending migrations'
  // Whether a revision runs in a transaction is only known once it was planned.
  if (report.plan) {
    if (report.plan.length === 0) return ''
    const rows = table(
      ['Revision', 'Description', 'File', 'Transaction', 'Notes'],
      report.plan.map((p) => [code(p.revision.id), cell(p.revision.description), code(p.revision.file), p.transactional ? 'yes' : '**no**', cell(p.notes.join('\n'))])
    )
    const sql = report.plan
      .filter((p) => p.sql !== undefined)
      .map((p: PendingRevision) => details(`${escapeHtml(p.revision.id)} — ${escapeHtml(p.revision.description)}`, fence(truncate(p.sql!, SQL_BLOCK_LIMIT), 'sql')))
    return `${header}\n\n${rows}\n${sql.join('')}`
  }
  if (!report.pending || report.pending.length === 0) return ''
  return `${header}\n\n${table(['Revision', 'Description', 'File'], report.pending.map((r) => [code(r.id), cell(r.description), code(r.file)]))}\n`
}

function waitSection(report: RunReport): string {
  const wait = report.wait
  if (!wait) return ''
  const seen = Object.entries(wait.reasons)
    .map(([reason, n]) => `${escapeHtml(reason)} ×${n}`)
    .join(', ')
  return (
    `### Readiness\n\n` +
    `Ready after **${wait.attempts}** attempt${wait.attempts === 1 ? '' : 's'} in **${formatMs(wait.waitedMs)}**` +
    (seen ? ` (before that: ${seen})` : '') +
    '.\n'
  )
}

function extensionsSection(report: RunReport): string {
  const result = report.extensions
  if (!result || result.extensions.length === 0) return ''
  const rows = result.extensions.map((e) => [code(e.name), cell(e.status), cell(e.version), cell(e.schema), cell(e.message ?? '')])
  let out = `### Extensions\n\n` + table(['Extension', 'Status', 'Version', 'Schema', 'Notes'], rows)
  const smoke = [
    ...result.smoke.map((c) => `- ${c.ok ? '✅' : '❌'} ${escapeHtml(c.name)}: ${escapeHtml(c.detail)}`),
    ...result.smokeSkipped.map((c) => `- ⏭️ ${escapeHtml(c.name)}: skipped, ${escapeHtml(c.reason)}`)
  ]
  if (smoke.length > 0) out += `\n**pgvector smoke test** (in a rolled-back transaction):\n\n` + smoke.join('\n') + '\n'
  return out
}

function warningsSection(warnings: string[]): string {
  if (warnings.length === 0) return ''
  return `### Warnings\n\n` + warnings.map((w) => `- ⚠️ ${escapeHtml(w)}`).join('\n') + '\n'
}

function bugSection(report: RunReport): string {
  const error = report.error
  if (!error?.bug) return ''
  return details('This is a bug in pg-migrate-action: the stack trace', fence(error.stack ?? error.message)) + '\nPlease report it with this trace.\n'
}

const LINT_ROWS_LIMIT = 200

const RISK_ICON = { critical: '🛑', high: '🔴', medium: '🟠', low: '🔵' } as const

export interface LintSectionOptions {
  /** Where the rule pages live; the summary links `<base><id>.md`. */
  docsBase?: string
}

/** The risk lint's findings: what, where, how risky, how big the table is, and the safer way. */
export function renderLintSection(result: LintResult, gate: GateResult, options: LintSectionOptions = {}): string {
  const base = options.docsBase ?? ruleDocsBase()
  const head = `### Risk lint\n\n`
  if (result.findings.length === 0) {
    return `${head}No findings in ${result.revisions} pending revision${result.revisions === 1 ? '' : 's'} (${result.statements} statement${result.statements === 1 ? '' : 's'}).\n`
  }
  const out = [head]
  if (gate.blocked.length > 0) {
    out.push(
      `> [!CAUTION]\n> **Blocked:** ${gate.blocked.length} unacknowledged finding${gate.blocked.length === 1 ? '' : 's'} at or above ${code('fail-on-risk: ' + gate.failOnRisk)}; nothing of the pending set was applied.\n` +
        `> To let a change through once it is reviewed, put ${code('-- pg-migrate:allow <rule-id> reason: <why>')} (${code('# pg-migrate:allow …')} in an Alembic revision) above the statement, or at the top of the file for the whole file; or raise ${code('fail-on-risk')}.\n\n`
    )
  }
  const status = (f: LintResult['findings'][number]): string =>
    f.acknowledged ? `✔️ acknowledged (line ${f.acknowledged.line}): ${cell(f.acknowledged.reason)}` : isBlocking(f, gate.failOnRisk) ? '❌ **blocked**' : ''
  // Blocked findings first, so a long list never hides what stopped the run.
  const ordered = [...gate.blocked, ...result.findings.filter((f) => !gate.blocked.includes(f))]
  out.push(
    table(
      ['Risk', 'Rule', 'Where', 'Finding', 'Safer way', 'Status'],
      ordered.slice(0, LINT_ROWS_LIMIT).map((f) => [
        `${RISK_ICON[f.risk]} ${f.risk}`,
        `[${code(f.rule)}](${base}${f.rule}.md)`,
        code(`${f.file}:${f.line}`) + (f.lineNote ? `<br><sub>${cell(f.lineNote)}</sub>` : ''),
        cell(f.message) + (f.table ? `<br><sub>${cell(f.table)}</sub>` : '') + (f.statement ? `<br>${code(f.statement)}` : ''),
        cell(f.saferWay),
        status(f)
      ])
    )
  )
  if (ordered.length > LINT_ROWS_LIMIT) out.push(`\n… and ${ordered.length - LINT_ROWS_LIMIT} more finding(s): the \`findings\` output lists them all.\n`)
  return out.join('')
}

/** The action's own repository when it runs as an action (the rule pages ship with it), else relative. */
function ruleDocsBase(): string {
  const repo = process.env.GITHUB_ACTION_REPOSITORY
  if (!repo) return 'docs/rules/'
  return `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo}/blob/${process.env.GITHUB_ACTION_REF || 'main'}/docs/rules/`
}
