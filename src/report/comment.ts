import path from 'node:path'
import { codeDocUrl } from '../codes.js'
import type { RevisionRun } from '../engines/engine.js'
import { isBlocking } from '../lint/gate.js'
import type { LintResult } from '../lint/lint.js'
import { riskRank, type Risk } from '../lint/rule.js'
import { redact } from '../redact.js'
import { renderVerifySection } from '../verify/index.js'
import { cell, code, plural, prose, table, truncate } from './markdown.js'
import { currentAtEnd, type RunReport } from './model.js'
import { renderDriftSection } from './drift.js'
import { headlineWords, renderLintSection, RISK_ICON } from './render.js'
import { renderSchemaChangeSection } from './schema-changes.js'

/**
 * The pull request comment: the run's judgement where reviewers decide. Short by design (the job
 * summary has the rest, one link away) and under GitHub's limit for a comment: sections are added in
 * order of importance while they fit, a section that does not is left out whole (findings: cut at a
 * row), and a line says what was left out.
 */

/** GitHub refuses a comment body over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536
/** Room kept for the line that says what was left out. */
const NOTE_ROOM = 1_000
/** A message or hint longer than this (a huge server error) is cut: the summary has it whole. */
const MESSAGE_CHARS = 2_000
/** A pending set longer than this shows its first rows and a count (a first deploy of 500 migrations). */
const MIGRATION_ROWS = 50
const PROBLEM_ROWS = 10
/** As many finding rows as the job summary shows. */
const LINT_ROWS = 200

export interface CommentMarkerParts {
  workflow: string
  job: string
  migrationsPath: string
}

/**
 * The hidden first line that finds the comment again: one comment per pull request, workflow, job and
 * chain. Percent-encoded, so no value can end the HTML comment (`-->`) or span lines.
 */
export function commentMarker({ workflow, job, migrationsPath }: CommentMarkerParts): string {
  const normalized = path.posix.normalize(migrationsPath.replace(/\\/g, '/')).replace(/(.)\/+$/, '$1')
  const part = (key: string, value: string): string => `${key}=${encodeURIComponent(value)}`
  return `<!-- pg-migrate-action:pr-comment ${part('workflow', workflow)} ${part('job', job)} ${part('path', normalized)} -->`
}

/** Rows of the schema change and drift tables in the comment; the job summary has them all. */
const COMMENT_SCHEMA_ROWS = 40

export interface CommentContext {
  /** From commentMarker: the body's first line. */
  marker: string
  /** The run's page, where its job summary is. */
  runUrl?: string
  /** The pull request's head commit the run checked. */
  commit?: string
}

interface Section {
  /** How the note names it when it is left out. */
  name: string
  /** The section's text for the room left, or undefined when even its shortest form does not fit. */
  fit: (room: number) => { text: string; cut?: string } | undefined
}

export function renderComment(report: RunReport, context: CommentContext): string {
  const head = redact([context.marker, headline(report), lead(report), footer(report, context)].filter(Boolean).join('\n\n'))
  const sections: Section[] = [
    whole('Pending migrations', migrationsSection(report)),
    findingsSection(report),
    whole('Schema changes', renderSchemaChangeSection(report.schemaChange, { heading: '#### Schema changes', maxRows: COMMENT_SCHEMA_ROWS, maxDiffChars: 0 })),
    whole('Drift', renderDriftSection(report.drift, { heading: '#### Drift', maxRows: COMMENT_SCHEMA_ROWS })),
    whole('Down-migration round trip', renderVerifySection(report.verifyDowngrade))
  ]
  const parts = [head]
  const leftOut: string[] = []
  let used = head.length
  for (const section of sections) {
    const room = MAX_COMMENT_CHARS - NOTE_ROOM - used - 2
    const fitted = section.fit(room)
    if (fitted === undefined) {
      leftOut.push(section.name)
      continue
    }
    if (!fitted.text) continue
    if (fitted.cut) leftOut.push(fitted.cut)
    parts.push(fitted.text)
    used += fitted.text.length + 2
  }
  if (leftOut.length > 0) {
    const summary = context.runUrl ? `The [job summary](${context.runUrl})` : 'The job summary'
    parts.push(
      `> [!NOTE]\n> Left out to stay under GitHub's limit of ${MAX_COMMENT_CHARS.toLocaleString('en-US')} characters for a comment: ${leftOut.join('; ')}. ${summary} has everything.`
    )
  }
  return parts.join('\n\n').replace(/\n*$/, '\n')
}

/** A section shown whole or not at all; redacted before it is measured, since redaction changes lengths. */
function whole(name: string, markdown: string): Section {
  const text = redact(markdown.trim())
  return { name, fit: (room) => (text.length <= room ? { text } : undefined) }
}

function headline(report: RunReport): string {
  const [icon, words] = headlineWords(report)
  return `### ${icon} pg-migrate-action · ${report.mode ? `${report.mode}: ` : ''}${words}`
}

/** What would happen or happened, and where the database is: read from it, never assumed. */
function lead(report: RunReport): string {
  const lines: string[] = []
  const error = report.error
  if (error) {
    lines.push(`**${prose(truncate(error.message, MESSAGE_CHARS))}** <sub>[${code(error.code)}](${codeDocUrl(error.code)})</sub>`)
    const problems = error.stage === 'validate' ? report.problems.filter((p) => p.severity === 'error') : []
    for (const p of problems.slice(0, PROBLEM_ROWS))
      lines.push(`- ${prose(truncate(p.message, MESSAGE_CHARS))}${p.file ? ` (${code(path.basename(p.file) + (p.line ? `:${p.line}` : ''))})` : ''}`)
    if (problems.length > PROBLEM_ROWS) lines.push(`- … and ${problems.length - PROBLEM_ROWS} more problems`)
    if (error.hint) lines.push(`**What to do:** ${prose(truncate(error.hint, MESSAGE_CHARS))}`)
  }
  const state = databaseState(report)
  if (state) lines.push(state)
  return lines.join('\n\n')
}

function databaseState(report: RunReport): string {
  const at = (ids: string[]): string => (ids.length ? `at ${ids.map(code).join(', ')}` : 'at no revision (nothing applied yet)')
  const apply = report.apply
  if (apply) {
    const applied = apply.runs.filter((r) => r.status === 'applied').length
    // After a round trip that stopped part-way the database is not where the apply left it.
    const end = currentAtEnd(report) ?? apply.current
    const now = `The database is now ${at(end)}.`
    if (apply.failure)
      return `This run applied ${plural(applied, 'migration')} of ${apply.runs.length} before ${code(apply.failure.revision)} failed (${prose(apply.failure.databaseState)}). ${now}`
    return applied > 0 ? `This run applied ${plural(applied, 'migration')}. ${now}` : `Nothing to apply: the database is ${at(end)}.`
  }
  const state = report.state
  if (!state) return ''
  const pending = report.pending?.length ?? 0
  const database = `the database this job checked is ${at(state.current)}`
  if (report.mode === 'plan' || report.mode === 'validate') {
    return pending > 0
      ? `Nothing was applied (mode ${report.mode}); ${database}. Migrating would apply ${plural(pending, 'pending migration')}.`
      : `Nothing was applied (mode ${report.mode}); ${database}, with nothing pending.`
  }
  return `Nothing was applied; ${database}.`
}

function footer(report: RunReport, context: CommentContext): string {
  const parts = [
    context.runUrl ? `[Job summary](${context.runUrl}) of the run` : 'The job summary of the run has the full report',
    context.commit ? `commit ${code(context.commit.slice(0, 12))}` : '',
    report.migrationsPath ? `chain ${code(report.migrationsPath)}` : '',
    'this comment is updated on every run'
  ]
  return `<sub>${parts.filter(Boolean).join(' · ')}</sub>`
}

// ── the pending migrations, with their risk ──

const RESULT: Record<RevisionRun['status'], string> = { applied: '✅ applied', failed: '❌ failed', 'rolled-back': '↩️ rolled back', 'not-run': '⏸️ not run' }

interface MigrationRow {
  id: string
  description: string
  file: string
  result?: string
}

function migrationsSection(report: RunReport): string {
  const rows: MigrationRow[] = report.apply
    ? report.apply.runs.map((r) => ({ id: r.id, description: r.description, file: r.file, result: RESULT[r.status] }))
    : (report.plan?.map((p) => p.revision) ?? report.pending ?? []).map((r) => ({ id: r.id, description: r.description, file: r.file }))
  if (rows.length === 0) return ''
  const lint = report.lint
  const header = ['Revision', 'Description', 'File', ...(rows[0].result ? ['Result'] : []), ...(lint ? ['Risk'] : [])]
  const shown = rows
    .slice(0, MIGRATION_ROWS)
    .map((r) => [
      code(r.id),
      cell(r.description),
      code(path.basename(r.file)),
      ...(r.result ? [r.result] : []),
      ...(lint ? [riskCell(lint.result, lint.gate.failOnRisk, r.id)] : [])
    ])
  const title = report.apply ? '#### Migrations of this run' : '#### Pending migrations'
  const more = rows.length > shown.length ? `\n… and ${rows.length - shown.length} more, listed in the job summary.\n` : ''
  return `${title}\n\n${table(header, shown)}${more}`
}

/** The highest risk among a revision's findings, and whether one of them blocks the run. */
function riskCell(result: LintResult, failOnRisk: Parameters<typeof isBlocking>[1], revision: string): string {
  const findings = result.findings.filter((f) => f.revision === revision)
  if (findings.length === 0) return 'none'
  const top = findings.reduce<Risk>((max, f) => (riskRank(f.risk) > riskRank(max) ? f.risk : max), 'low')
  const blocked = findings.filter((f) => isBlocking(f, failOnRisk)).length
  return `${RISK_ICON[top]} ${top} (${plural(findings.length, 'finding')}${blocked ? `, ${blocked} **blocked**` : ''})`
}

// ── findings, blocked ones first ──

/** The summary's lint section, blocked findings first; when it does not fit, with fewer rows and a count of the rest. */
function findingsSection(report: RunReport): Section {
  return {
    name: 'Findings',
    fit: (room) => {
      const lint = report.lint
      if (!lint) return { text: '' }
      const total = lint.result.findings.length
      // No findings: one line. Else as many rows as fit, halving, and what was left out.
      for (let rowsLimit = Math.max(Math.min(total, LINT_ROWS), 1); rowsLimit >= 1; rowsLimit = Math.floor(rowsLimit / 2)) {
        const text = redact(renderLintSection(lint.result, lint.gate, { rowsLimit }).trim())
        if (text.length <= room) return { text, cut: rowsLimit < total ? `${plural(total - rowsLimit, 'finding')} after the first ${rowsLimit}` : undefined }
      }
      return undefined
    }
  }
}
