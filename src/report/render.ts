import { renderBackupSection } from '../backup/report.js'
import { renderChecksSection } from './checks.js'
import { downgradeState, renderDowngradeSection } from './downgrade.js'
import { renderRepairSection } from '../repair.js'
import { describeDatabaseEnd, renderVerifySection } from '../verify/index.js'
import { renderDriftSection } from './drift.js'
import { renderSchemaChangeSection } from './schema-changes.js'
import path from 'node:path'
import { describeBlocker } from '../blockers.js'
import { codeDocUrl, type Code } from '../codes.js'
import type { MigrationFailure, PendingRevision, RevisionRun, StepFailure } from '../engines/engine.js'
import { isBlocking, type GateResult } from '../lint/gate.js'
import type { LintResult } from '../lint/lint.js'
import { RISKS, riskRank } from '../lint/rule.js'
import { redact } from '../redact.js'
import { formatMs } from '../wait.js'
import { cell, code, details, escapeHtml, fence, plural, prose, table, truncate } from './markdown.js'
import { renderAnnotationsNote } from './annotations.js'
import { noticesNote, renderNoticesSection } from './notices.js'
import { actionDocUrl } from './links.js'
import { renderRevisionGraph } from './mermaid.js'
import type { LockResult } from '../lock.js'
import { currentAtEnd, type RunReport, type StageRecord } from './model.js'
import { echo } from '../echo.js'
import { describeLockWaits } from '../watch/lock-waits.js'

/**
 * The one place that turns a run's results into the job summary and the report file. The summary
 * is read on a red run at GitHub's ~1,000 px card width, so it is laid out failure first: the
 * headline, one callout with what failed, where, why, the database state and the next command,
 * the migrations of this run, and everything else folded.
 */

/** GitHub rejects a job summary over 1 MiB (bytes, not characters); leave room for the cut note. */
export const SUMMARY_BUDGET_BYTES = 1_000_000
const SQL_BLOCK_LIMIT = 20_000
/** SQL up to this many lines is shown inline in the plan; longer SQL is folded. */
const INLINE_SQL_LINES = 12
/** A migrations table longer than this shows the rows around what happened and folds the rest. */
const MIGRATION_ROWS_SHOWN = 12
/** Rows shown on each side of the failed migration (or after the last applied one) in a long table. */
const MIGRATION_ROWS_AROUND = 3

export function renderReport(report: RunReport): string {
  // In order of importance: when the budget runs out, the sections at the end are the ones cut.
  const parts = [
    headline(report),
    callout(report),
    renderRepairSection(report.repair),
    renderDowngradeSection(report.downgrade),
    migrationsSection(report),
    renderChecksSection(report.checks),
    renderNoticesSection(report),
    planSection(report),
    renderSchemaChangeSection(report.schemaChange),
    renderDriftSection(report.drift),
    renderVerifySection(report.verifyDowngrade),
    renderBackupSection(report.backup),
    renderAnnotationsNote(report),
    problemsSection(report),
    report.lint ? renderLintSection(report.lint.result, report.lint.gate) : '',
    warningsSection(report),
    chainSection(report),
    detailsSection(report),
    logSection(report.apply?.failure ?? report.verifyDowngrade?.failure ?? report.downgrade?.failure),
    bugSection(report)
  ].filter((p) => p.length > 0)
  return redact(withinBudget(parts))
}

/** Whole sections while they fit; a section that does not is dropped with a note, never cut mid-way. */
function withinBudget(parts: string[]): string {
  const note = '\n… the sections after this point were cut to fit the job summary limit (1 MiB); the step log has them.\n'
  let out = ''
  for (const part of parts) {
    const next = out + (out ? '\n' : '') + part
    if (Buffer.byteLength(next) + Buffer.byteLength(note) > SUMMARY_BUDGET_BYTES) return out + note
    out = next
  }
  return out
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
      table(
        ['Stage', 'Result', 'Time', 'Summary'],
        report.stages.map((s) => [s.name, s.status, formatMs(s.durationMs), cell(s.summary)])
      ),
      original ? `**The run's own error** (${escapeHtml(original.stage)}): ${escapeHtml(original.message)}${original.hint ? ` — ${escapeHtml(original.hint)}` : ''}` : ''
    ]
    return redact(lines.join('\n') + '\n')
  }
}

// ── headline ──

const TRAIL_ICON: Record<StageRecord['status'], string> = { ok: '✓', warning: '⚠', failed: '✗', skipped: '–' }

/** Status, mode and what happened in a few words; under it the stages as one line. */
function headline(report: RunReport): string {
  const mode = report.mode ? `${report.mode}: ` : ''
  const [icon, what] = headlineWords(report)
  const trail = report.stages.map((s) => `${s.name} ${TRAIL_ICON[s.status]}`).join(' → ')
  return `## ${icon} pg-migrate-action · ${mode}${what}\n` + (trail ? `\n<sub>${escapeHtml(trail)}</sub>\n` : '')
}

/** The headline's icon and words, also the pull request comment's title. */
export function headlineWords(report: RunReport): [icon: string, words: string] {
  return report.status === 'failure' ? [report.error?.code === 'cancelled' ? '🛑' : '❌', failureWords(report)] : successWords(report)
}

function failureWords(report: RunReport): string {
  const apply = report.apply
  const where = report.error?.stage ?? (apply?.failure ? 'apply' : 'unknown')
  const cancelled = report.error?.code === 'cancelled'
  const stage = cancelled ? `cancelled during **${where}**` : `failed at **${where}**`
  const down = report.downgrade
  if (down?.failure) {
    const reverted = down.runs.filter((r) => r.status === 'reverted').length
    return `${stage} ${cancelled ? 'at' : 'on'} migration ${code(down.failure.revision)} (${reverted} of ${down.runs.length} reverted)`
  }
  const checks = report.checks
  if (report.error?.stage === 'checks' && checks) {
    const failing = checks.results.filter((r) => r.status === 'failed' || r.status === 'error').length
    const applied = apply ? `, ${plural(apply.runs.filter((r) => r.status === 'applied').length, 'migration')} applied` : ''
    return `${stage}: ${failing} of ${plural(checks.results.length, 'check')} failed${applied}`
  }
  if (apply?.failure || (cancelled && apply)) {
    const applied = apply.runs.filter((r) => r.status === 'applied').length
    const at = apply.failure ? ` ${cancelled ? 'at' : 'on'} migration ${code(apply.failure.revision)}` : ''
    return `${stage}${at}` + (apply.runs.length ? ` (${applied} of ${apply.runs.length} applied)` : '')
  }
  const errors = report.problems.filter((p) => p.severity === 'error').length
  const what = report.error?.stage === 'validate' && errors > 0 ? [plural(errors, 'problem') + ' in the chain'] : []
  if (report.mode === 'migrate' && !apply) what.push('nothing applied')
  return what.length ? `${stage}: ${what.join(', ')}` : stage
}

function successWords(report: RunReport): [string, string] {
  const applied = report.apply?.runs.filter((r) => r.status === 'applied').length ?? 0
  const pending = report.pending?.length ?? 0
  const stop = offlineStop(report)
  const what =
    report.mode === 'check'
      ? 'server ready, extensions verified'
      : report.mode === 'validate'
        ? `chain valid, ${pending} pending`
        : report.mode === 'plan'
          ? `${plural(pending, 'pending migration')}` + (stop ? `, offline SQL stopped at ${code(stop.revision.id)}` : '')
          : report.repair
            ? report.repair.done
            : report.downgrade
              ? downgradeWords(report.downgrade)
              : applied > 0
                ? `applied ${plural(applied, 'migration')}`
                : 'database already up to date'
  const checks = report.checks ? `, ${plural(report.checks.results.length, 'check')} passed` : ''
  // Findings are worth a look even when nothing was blocked; low-risk ones (a new table) are only listed.
  const findings = report.lint?.result.findings.filter((f) => f.risk !== 'low').length ?? 0
  const review = [
    findings > 0 ? `${plural(findings, 'lint finding')} to review` : '',
    report.drift?.status === 'drifted' ? `drift in ${plural(report.drift.entries.length, 'object')}` : ''
  ]
  if (review.some(Boolean)) return ['⚠️', [what + checks, ...review.filter(Boolean)].join(', ')]
  return [stop ? '⚠️' : '✅', what + checks]
}

function downgradeWords(result: NonNullable<RunReport['downgrade']>): string {
  const reverted = result.runs.filter((r) => r.status === 'reverted').length
  const now = result.current.length > 0 ? result.current.map(code).join(', ') : 'base'
  return reverted === 0 ? `already at ${code(result.target)}, nothing to revert` : `reverted ${plural(reverted, 'migration')}, now at ${now}`
}

// ── the problem callout ──

/** Where a plan's offline SQL generation stopped: the revision whose note says so. */
function offlineStop(report: RunReport): { revision: PendingRevision['revision']; note: string } | undefined {
  if (report.mode !== 'plan') return undefined
  for (const p of report.plan ?? []) {
    const note = p.notes.find((n) => n.startsWith('offline SQL generation stopped here'))
    if (note) return { revision: p.revision, note }
  }
  return undefined
}

/** What failed, where, the server's error, the excerpt, the database state and the next step, once (also under each failed target of a fleet). */
export function callout(report: RunReport): string {
  const failure = report.apply?.failure ?? report.downgrade?.failure
  const error = report.error
  if (!failure && !error) return ''
  const blocks: string[] = []
  const errorProblems = error?.stage === 'validate' ? report.problems.filter((p) => p.severity === 'error') : []
  if (failure) {
    blocks.push(...failureBlocks(report, failure))
  } else if (errorProblems.length > 0) {
    errorProblems.forEach((p, i) => {
      const number = errorProblems.length > 1 ? `${i + 1}. ` : ''
      blocks.push(`**${number}${shortHashes(prose(p.message))} <sub>${codeLink(p.code)}</sub>**`)
      if (p.file) blocks.push(`In ${code(p.file + (p.line ? `:${p.line}` : ''))}`)
      if (i === 0) blocks.push(databaseState(report))
      blocks.push(...nextStep([p.hint]))
    })
  } else if (error) {
    // A failed down step carries what a failed migration does: the server's words, the lines, the SQL.
    const step = error.stage === 'verify downgrade' ? report.verifyDowngrade?.failure : undefined
    const sqlState = step?.sqlState ? ` (SQLSTATE ${code(step.sqlState)})` : ''
    blocks.push(`**${shortHashes(prose(error.message))}${sqlState}**`)
    if (error.location.file) blocks.push(`In ${code(where({ ...error.location, file: error.location.file }))}`)
    if (error.location.input) blocks.push(`Input: ${code(error.location.input)}`)
    const state =
      databaseState(report) || (error.code === 'cancelled' ? '**Database state:** no migration was applied by this run: it was cancelled before it applied anything.' : '')
    if (state) blocks.push(state)
    if (step) blocks.push(...serverBlocks(step))
    if (error.hint) blocks.push(...nextStep([error.hint]))
    for (const detail of error.details) blocks.push(shortHashes(prose(detail)))
  }
  if (error) blocks.push(`Code: ${codeLink(error.code)}`)
  return '> [!CAUTION]\n' + blocks.filter(Boolean).map(quote).join('\n>\n') + '\n'
}

/** Inline code inside HTML such as `<summary>`, where GFM does not parse markdown. */
function htmlCode(text: string): string {
  return `<code>${escapeHtml(text)}</code>`
}

/** Cell text longer than this (a note carrying SQL, a long reason) goes below the table instead. */
const LONG_CELL = 90

/**
 * Keeps rows narrow: a long cell text becomes "note a" and is written out under the table
 * (lettered, so it is not mistaken for the numbered advice). The same text keeps its letter.
 */
class CellNotes {
  private readonly notes: string[] = []

  cell(text: string): string {
    if ([...text].length <= LONG_CELL) return cell(text)
    if (!this.notes.includes(text)) this.notes.push(text)
    return `see note ${this.letter(this.notes.indexOf(text))}`
  }

  list(): string {
    return this.notes.length === 0 ? '' : '\n' + this.notes.map((n, i) => `- **${this.letter(i)}.** ${prose(n)}`).join('\n') + '\n'
  }

  /** a … z, then aa, ab, … as spreadsheet columns go: a long table has more notes than letters. */
  private letter(index: number): string {
    const head = index >= 26 ? this.letter(Math.floor(index / 26) - 1) : ''
    return head + String.fromCharCode(97 + (index % 26))
  }
}

/** A table without the columns no row fills (Notes when nothing is worth noting). */
function compactTable(header: string[], rows: string[][]): string {
  const used = header.map((_, i) => rows.some((row) => row[i] !== ''))
  return table(
    header.filter((_, i) => used[i]),
    rows.map((row) => row.filter((_, i) => used[i]))
  )
}

/** A code links to its entry on the troubleshooting page (docs/errors.md), where the fix is explained at length. */
function codeLink(value: Code): string {
  return `[${code(value)}](${codeDocUrl(value)})`
}

function failureBlocks(report: RunReport, failure: MigrationFailure): string[] {
  const sqlState = failure.sqlState ? ` (SQLSTATE ${code(failure.sqlState)})` : ''
  // A cancel's message says what was stopped; it is not the migration's failure.
  const what = report.downgrade?.failure === failure ? 'The down step of' : 'Migration'
  const title = failure.code === 'cancelled' ? prose(failure.message) : `${what} ${code(failure.revision)} failed: ${prose(failure.message)}${sqlState}`
  const blocks = [`**${title}**`, `In ${code(where(failure))}`, databaseState(report)]
  blocks.push(...serverBlocks(failure))
  blocks.push(...nextStep(failure.recovery))
  return blocks
}

function where(failure: Pick<MigrationFailure, 'line' | 'column'> & { file: string }): string {
  return `${failure.file}${failure.line ? `:${failure.line}` : ''}${failure.column ? `:${failure.column}` : ''}`
}

/** What the server and the file say about a failed statement: DETAIL and HINT, the lines around it, the SQL sent. */
function serverBlocks(failure: StepFailure & Pick<MigrationFailure, 'blockedBy'>): string[] {
  const blocks: string[] = []
  const server = [failure.detail && `Detail: ${prose(failure.detail)}`, failure.serverHint && `Server hint: ${prose(failure.serverHint)}`].filter(Boolean)
  if (server.length) blocks.push(server.join('<br>'))
  if (failure.blockedBy?.length) blocks.push(`Lock held by: ${failure.blockedBy.map((b) => prose(describeBlocker(b))).join('<br>')}`)
  const excerptLanguage = failure.file?.endsWith('.py') ? 'python' : 'sql'
  if (failure.excerpt) blocks.push(fence(truncate(failure.excerpt, SQL_BLOCK_LIMIT), excerptLanguage))
  // The statement adds something when the excerpt is not SQL (Alembic) or does not contain all of it.
  if (failure.statement && !(excerptLanguage === 'sql' && failure.excerpt?.includes(failure.statement.trim().split('\n')[0]))) {
    blocks.push(`**Statement sent to the server:**\n\n` + fence(truncate(failure.statement, SQL_BLOCK_LIMIT), 'sql'))
  }
  return blocks
}

/**
 * One line: how many revisions this run committed and where the database is now, then what the
 * engine knows about the failed one (rolled back, partly applied, dirty).
 */
function databaseState(report: RunReport): string {
  if (report.downgrade) {
    const engineSays = report.downgrade.failure ? ` ${sentence(report.downgrade.failure.databaseState)}` : ''
    return downgradeState(report.downgrade) + engineSays
  }
  const apply = report.apply
  if (apply) {
    const committed = apply.runs.filter((r) => r.status === 'applied').map((r) => r.id)
    const current = currentAtEnd(report) ?? apply.current
    const now = current.length ? `now at ${revisions(current)}` : 'no revision applied'
    const ours = committed.length > 0 ? `${committedRange(committed)} committed in this run; ${now}.` : ''
    // With nothing committed, the engine's own words (rolled back, still at …) say it all.
    const engineSays = apply.failure ? sentence(apply.failure.databaseState) : ''
    const verifySays = describeDatabaseEnd(report.verifyDowngrade)
    return `**Database state:** ${[ours || (engineSays ? '' : `${now}.`), engineSays, verifySays && sentence(verifySays)].filter(Boolean).join(' ')}`
  }
  if (!report.state) return ''
  const at = report.state.current.length ? `at ${revisions(report.state.current)}` : 'no revision applied'
  // Applying stopped with an error and left no result: the database could not be read afterwards.
  if (report.mode === 'migrate' && report.error?.stage === 'apply') {
    return `**Database state:** unknown: applying stopped and the database could not be read afterwards (before this run it was ${at}); check what it records before running again.`
  }
  if (report.mode === 'downgrade') return `**Database state:** unchanged, ${at}; this run reverted nothing.`
  return report.mode === 'migrate' ? `**Database state:** unchanged, ${at}; this run applied nothing.` : `**Database state:** ${at}.`
}

/** "1 revision, `0001`," or "11 revisions, `fab151c2af82` → `35731cac8b89`,". */
function committedRange(ids: string[]): string {
  return ids.length === 1 ? `1 revision, ${code(ids[0])},` : `${ids.length} revisions, ${code(ids[0])} → ${code(ids[ids.length - 1])},`
}

function revisions(ids: string[]): string {
  return ids.length ? ids.map(code).join(', ') : 'nothing applied'
}

function sentence(text: string): string {
  const trimmed = prose(text.trim())
  return (trimmed.charAt(0).toUpperCase() + trimmed.slice(1)).replace(/([^.])$/, '$1.')
}

/** Shell and SQL commands a step names in a code span: copied into a fenced block below it. */
const COMMAND = /^(?:[A-Z_]+=\S*\s+)?(?:alembic|python3?|pip3?|git|psql|pg_dump|dropdb|createdb|UPDATE|DELETE|INSERT|SELECT|ALTER|DROP|CREATE)\s/

/**
 * "What to do": each step as prose, its commands taken out of the sentence into a copyable
 * fenced block (GitHub puts a copy button on it), the sentence pointing at it.
 */
function nextStep(steps: string[]): string[] {
  const unique = steps.filter((s, i) => s && steps.indexOf(s) === i)
  if (unique.length === 0) return []
  const rendered = unique.map((step) => {
    const commands: string[] = []
    const text = step.replace(/(`+)([^`]+)\1/g, (span, _ticks: string, content: string) => {
      const command = content.trim()
      if (!COMMAND.test(command + ' ')) return span
      commands.push(command)
      return '§CMD§'
    })
    let n = 0
    const words = prose(text).replace(/§CMD§/g, () => (commands.length === 1 ? 'the command below' : `command ${++n} below`))
    return { words: shortHashes(words), commands }
  })
  const [first, ...rest] = rendered
  const out = [`**What to do:** ${first.words}`]
  if (first.commands.length) out.push(fence(first.commands.join('\n'), 'sh'))
  for (const step of rest) {
    out.push(step.words)
    if (step.commands.length) out.push(fence(step.commands.join('\n'), 'sh'))
  }
  return out
}

/** A checksum or hash in prose is shortened; its full value is in the fix block that needs it. */
function shortHashes(text: string): string {
  return text.replace(/\b([0-9a-f]{12})[0-9a-f]{20,}\b/g, '$1…')
}

function quote(block: string): string {
  return block
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n')
}

// ── what this run did ──

const RUN_ICON: Record<RevisionRun['status'], string> = { applied: '✅ applied', failed: '❌ failed', 'rolled-back': '↩️ rolled back', 'not-run': '⏸️ not run' }

function migrationsSection(report: RunReport): string {
  const runs = report.apply?.runs
  if (!runs || runs.length === 0) return ''
  const notesOf = (r: RevisionRun): string[] => [
    ...(r.transactional ? [] : ['runs outside a transaction']),
    ...r.notes,
    ...(r.lockWaits ? describeLockWaits(r.lockWaits, { brief: true }).map((line) => `🔒 ${line}`) : []),
    ...[noticesNote(r)].filter((n) => n !== undefined)
  ]
  const shared = sharedNote(runs.map(notesOf))
  const long = new CellNotes()
  const row = (r: RevisionRun): string[] => [
    code(r.id),
    cell(r.description),
    RUN_ICON[r.status] + (r.attempts > 1 ? ` (${plural(r.attempts, 'attempt')})` : ''),
    r.durationMs === undefined ? '' : formatMs(r.durationMs),
    notesOf(r)
      .filter((n) => n !== shared)
      .map((n) => long.cell(n))
      .join('<br>')
  ]
  const header = ['Revision', 'Description', 'Result', 'Time', 'Notes']
  const elsewhere = report.apply?.appliedElsewhere?.length
    ? `Applied by another run while this one re-acquired the lost migration lock: ${report.apply.appliedElsewhere.map(code).join(', ')}.\n\n`
    : ''
  // On a red run the callout says where the database is; on a green one this line does.
  const state = report.apply?.failure ? '' : `${databaseState(report)}\n\n`
  const intro = state + elsewhere + (shared ? `${prose(shared)} (every migration)\n\n` : '')
  const out = [`### Migrations\n\n${intro}`]
  const shown = rowsAround(runs)
  out.push(compactTable(header, shown.map(row)))
  if (shown.length < runs.length) {
    const folded = runs.length - shown.length
    out.push(`\n${details(`All ${runs.length} migrations (${folded} more)`, compactTable(header, runs.map(row)))}`)
  }
  out.push(long.list())
  return out.join('')
}

/** The note every row carries, said once above the table instead. */
function sharedNote(notes: string[][]): string | undefined {
  if (notes.length < 2) return undefined
  return notes[0].find((n) => notes.every((row) => row.includes(n)))
}

/** All rows of a short table; of a long one the rows around the failure (or the last applied), in order. */
function rowsAround(runs: RevisionRun[]): RevisionRun[] {
  if (runs.length <= MIGRATION_ROWS_SHOWN) return runs
  const failed = runs.findIndex((r) => r.status === 'failed')
  const lastApplied = runs.map((r) => r.status).lastIndexOf('applied')
  const focus = failed >= 0 ? failed : Math.max(lastApplied, 0)
  return runs.slice(Math.max(0, focus - MIGRATION_ROWS_AROUND), focus + MIGRATION_ROWS_AROUND + 1)
}

function planSection(report: RunReport): string {
  // In migrate mode the Migrations table already lists every pending revision with its outcome.
  if (report.mode !== 'plan' && report.mode !== 'validate') return ''
  const header = report.mode === 'plan' ? '### Plan' : '### Pending migrations'
  const pending = report.plan
  // Whether a revision runs in a transaction is only known once it was planned.
  if (!pending) {
    if (!report.pending?.length) return ''
    return `${header}\n\n${table(
      ['Revision', 'Description', 'File'],
      report.pending.map((r) => [code(r.id), cell(r.description), code(path.basename(r.file))])
    )}`
  }
  if (pending.length === 0) return ''
  const stop = offlineStop(report)
  const out = [`${header}\n\n`]
  if (stop) {
    // The note reads "offline SQL generation stopped here (file:line): why".
    const [, where = stop.revision.file, why = stop.note] = /^offline SQL generation stopped here(?: \(([^)]*)\))?: (.*)$/s.exec(stop.note) ?? []
    out.push(
      `> [!WARNING]\n${quote(`**Offline SQL stopped at ${code(stop.revision.id)}**, in ${code(where)}: ${prose(why)}`)}\n>\n` +
        `> The SQL of the revisions before it is complete and shown below; ${code(stop.revision.id)} and the ones after it were neither planned nor linted.\n\n`
    )
  }
  const stoppedNote = (n: string): boolean => n.startsWith('offline SQL generation stopped here') || n.startsWith('no SQL: offline generation stopped earlier')
  const notesOf = (p: PendingRevision): string[] => [...(p.transactional ? [] : ['runs outside a transaction']), ...p.notes.filter((n) => !stoppedNote(n))]
  const shared = sharedNote(pending.map(notesOf))
  if (shared) out.push(`${prose(shared)} (every migration)\n\n`)
  const long = new CellNotes()
  out.push(
    compactTable(
      ['Revision', 'Description', 'File', 'SQL', 'Notes'],
      pending.map((p) => [
        code(p.revision.id),
        cell(p.revision.description),
        code(path.basename(p.revision.file)),
        p.sql === undefined ? (stop && stoppedNote(p.notes.join(' ')) ? '⚠️ none' : 'none') : plural(p.sql.trimEnd().split('\n').length, 'line'),
        notesOf(p)
          .filter((n) => n !== shared)
          .map((n) => long.cell(n))
          .join('<br>')
      ])
    ),
    long.list()
  )
  for (const p of pending) {
    if (p.sql === undefined) continue
    const sql = fence(truncate(p.sql, SQL_BLOCK_LIMIT), 'sql')
    const inline = p.sql.trimEnd().split('\n').length <= INLINE_SQL_LINES
    out.push(
      '\n' + (inline ? `**${code(p.revision.id)} ${prose(p.revision.description)}**\n\n${sql}` : details(`${htmlCode(p.revision.id)} ${escapeHtml(p.revision.description)}`, sql))
    )
  }
  return out.join('')
}

/** The chain's problems the callout does not already tell (warnings, and all of them after another failure). */
function problemsSection(report: RunReport): string {
  const inCallout = report.error?.stage === 'validate' && !report.apply?.failure
  const problems = report.problems.filter((p) => !(inCallout && p.severity === 'error'))
  if (problems.length === 0) return ''
  const out = [`### Chain problems\n\n`]
  out.push(
    compactTable(
      ['', 'Problem', 'Where'],
      problems.map((p) => [
        p.severity === 'error' ? '❌' : '⚠️',
        `${cell(shortHashes(p.message))} <sub>${codeLink(p.code)}</sub>`,
        p.file ? code(path.basename(p.file) + (p.line ? `:${p.line}` : '')) : ''
      ])
    )
  )
  for (const p of problems)
    out.push(
      '\n' +
        nextStep([p.hint])
          .join('\n\n')
          .replace(/^\*\*What to do:\*\*/, `**${escapeHtml(p.code)}:**`) +
        '\n'
    )
  return out.join('')
}

function warningsSection(report: RunReport): string {
  // A chain problem's warning is already a row of the Chain problems table.
  const warnings = report.warnings.filter((w) => !report.problems.some((p) => p.message === w))
  if (warnings.length === 0) return ''
  return `### Warnings\n\n` + warnings.map((w) => `- ⚠️ ${prose(w)}`).join('\n') + '\n'
}

// ── details, folded ──

function chainSection(report: RunReport): string {
  const { chain, graph } = report
  if (!chain) return ''
  const current = currentAtEnd(report) ?? []
  const pending = report.apply
    ? [...report.apply.runs.filter((r) => r.status !== 'applied').map((r) => r.id), ...(report.verifyDowngrade?.end?.notApplied ?? [])]
    : (report.pending ?? []).map((r) => r.id)
  // The graph is known once validation analysed it; a run stopped before that (lock timeout) still lists the chain's facts.
  const facts = [
    plural(chain.revisions.length, 'revision'),
    graph && `${graph.roots.length === 1 ? 'root' : 'roots'} ${graph.roots.map(htmlCode).join(', ') || '—'}`,
    graph && `${graph.heads.length === 1 ? 'head' : 'heads'} ${graph.heads.map(htmlCode).join(', ') || '—'}`,
    graph?.merges.length ? `${graph.merges.length === 1 ? 'merge' : 'merges'} ${graph.merges.map(htmlCode).join(', ')}` : ''
  ].filter(Boolean)
  const body = chain.notes.map((note) => `- ${prose(note)}\n`)
  const drawn = graph && renderRevisionGraph(chain, graph, { current, pending, failed: report.apply?.failure?.revision, problems: report.problems })
  if (drawn) body.push('\n' + fence(drawn, 'mermaid'))
  // The graph is the explanation when the chain itself is what is wrong.
  const open = report.problems.some((p) => p.severity === 'error' && p.revisions.length > 1)
  return `<details${open ? ' open' : ''}><summary><b>Chain</b>: ${facts.join(' · ')}</summary>\n\n${body.join('')}\n</details>\n`
}

function lockFact(lock: LockResult): string {
  if (lock.waitedMs <= 0) return 'acquired at once'
  const holder = lock.heldBy ? prose(lock.heldBy) : undefined
  const leftRunning = lock.waitedForSessions
    ? `a migration session an earlier run left running when it ended (${prose(lock.waitedForSessions)}), then read what it left`
    : undefined
  return `waited ${formatMs(lock.waitedMs)} for ${[holder, leftRunning].filter(Boolean).join(', then for ') || 'another run'}`
}

function detailsSection(report: RunReport): string {
  const facts: string[] = []
  if (report.database) facts.push(`- Database: ${code(report.database)}${report.serverVersion ? `, PostgreSQL ${escapeHtml(report.serverVersion)}` : ''}`)
  if (report.engine) facts.push(`- Engine: ${escapeHtml(report.engine)}${report.migrationsPath ? `, ${code(echo(report.migrationsPath))}` : ''}`)
  if (report.state) facts.push(`- Database was at: ${revisions(report.state.current)}`)
  const after = report.apply ?? report.downgrade
  if (after && !after.failure) facts.push(`- Database is now at: ${revisions(currentAtEnd(report) ?? after.current)}`)
  if (report.lock) facts.push(`- Migration lock: ${lockFact(report.lock)}`)
  const wait = waitLine(report)
  if (wait) facts.push(`- ${wait}`)
  facts.push(`- Duration: ${formatMs(report.durationMs)}`)
  const parts = [facts.join('\n') + '\n', extensionsSection(report), stagesTable(report)].filter(Boolean)
  return details('<b>Run details</b>: server, extensions, readiness, stages', parts.join('\n'))
}

function waitLine(report: RunReport): string {
  const wait = report.wait
  if (!wait) return ''
  const seen = Object.entries(wait.reasons)
    .map(([reason, n]) => `${escapeHtml(reason)} ×${n}`)
    .join(', ')
  return `Readiness: ready after ${plural(wait.attempts, 'attempt')} in ${formatMs(wait.waitedMs)}${seen ? ` (before that: ${seen})` : ''}`
}

function extensionsSection(report: RunReport): string {
  const result = report.extensions
  if (!result || result.extensions.length === 0) return ''
  const rows = result.extensions.map((e) => [code(e.name), cell(e.status), cell(e.version), cell(e.schema), cell(e.message ?? '')])
  let out = `**Extensions**\n\n` + table(['Extension', 'Status', 'Version', 'Schema', 'Notes'], rows)
  const smoke = [
    ...result.smoke.map((c) => `- ${c.ok ? '✅' : '❌'} ${escapeHtml(c.name)}: ${escapeHtml(c.detail)}`),
    ...result.smokeSkipped.map((c) => `- ⏭️ ${escapeHtml(c.name)}: skipped, ${escapeHtml(c.reason)}`)
  ]
  if (smoke.length > 0) out += `\n**pgvector smoke test** (in a rolled-back transaction):\n\n` + smoke.join('\n') + '\n'
  const library = result.extensions.find((e) => e.name === 'vector')
  if (result.advisories?.length) {
    out +=
      `\n**Known advisories of the server's pgvector ${escapeHtml(library?.availableVersion ?? library?.version ?? '')}** (a warning where this run or database is concerned):\n\n` +
      result.advisories.map((a) => `- ${escapeHtml(a.id)}: ${escapeHtml(a.title)}, fixed in ${escapeHtml(a.fixedIn)} (${a.source})`).join('\n') +
      '\n'
  }
  return out
}

const STATUS_ICON: Record<StageRecord['status'], string> = { ok: '✅', warning: '⚠️', failed: '❌', skipped: '⏭️' }

/** The stages with their summaries; the failed stage's summary is the callout's error, said there. */
function stagesTable(report: RunReport): string {
  if (report.stages.length === 0) return ''
  const rows = report.stages.map((s) => [
    s.name,
    `${STATUS_ICON[s.status]} ${s.status}`,
    formatMs(s.durationMs),
    s.status === 'failed' && report.error ? 'see above' : cell(truncate(s.summary, 120))
  ])
  return `**Stages**\n\n` + table(['Stage', 'Result', 'Time', 'Summary'], rows)
}

function logSection(failure: Pick<MigrationFailure, 'log'> | undefined): string {
  if (!failure?.log) return ''
  return details('Full log', fence(truncate(failure.log, 60_000)))
}

function bugSection(report: RunReport): string {
  const error = report.error
  if (!error?.bug) return ''
  return details('This is a bug in pg-migrate-action: the stack trace', fence(error.stack ?? error.message)) + '\nPlease report it with this trace.\n'
}

const LINT_ROWS_LIMIT = 200

export const RISK_ICON = { critical: '🛑', high: '🔴', medium: '🟠', low: '🔵' } as const

export interface LintSectionOptions {
  /** Where the rule pages live; the summary links `<base><id>.md`. */
  docsBase?: string
  /** At most this many rows (the pull request comment has less room than the summary). */
  rowsLimit?: number
}

type LintFinding = LintResult['findings'][number]

/**
 * Low-risk findings (a new table, an index on it) are worth a look, not a review: past this many
 * they are folded, grouped by rule in the fold's title, so a first deploy of 200 tables does not
 * bury the findings that matter under 400 rows.
 */
const LOW_RISK_INLINE = 5

/** The risk lint's findings: what, where, how risky, how big the table is, and the safer way. */
export function renderLintSection(result: LintResult, gate: GateResult, options: LintSectionOptions = {}): string {
  const base = options.docsBase ?? ruleDocsBase()
  const rowsLimit = options.rowsLimit ?? LINT_ROWS_LIMIT
  const head = `### Risk lint\n\n`
  if (result.findings.length === 0) {
    return `${head}No findings in ${plural(result.revisions, 'pending revision')} (${plural(result.statements, 'statement')}).\n`
  }
  const out = [head]
  if (gate.blocked.length > 0) {
    out.push(
      // Plain text, not a second alert: the run's callout above already names the first blocked finding.
      `**Blocked:** ${plural(gate.blocked.length, 'unacknowledged finding')} at or above ${code('fail-on-risk: ' + gate.failOnRisk)}; nothing of the pending set was applied.\n` +
        `To let a change through once it is reviewed, put ${code('-- pg-migrate:allow <rule-id> reason: <why>')} (${code('# pg-migrate:allow …')} in an Alembic revision) above the statement, or at the top of the file for the whole file; or raise ${code('fail-on-risk')}.\n\n`
    )
  }
  // Blocked findings first, so a long list never hides what stopped the run; then by risk, highest
  // first; within a risk in the order the revisions run (file by file, line by line).
  const rank = (f: LintFinding): number => (gate.blocked.includes(f) ? 0 : RISKS.length) + RISKS.length - 1 - riskRank(f.risk)
  const ordered = result.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f)
  const isQuietLow = (f: LintFinding): boolean => f.risk === 'low' && !gate.blocked.includes(f) && !f.acknowledged
  const low = ordered.filter(isQuietLow)
  const fold = low.length > LOW_RISK_INLINE
  const notLow = fold ? ordered.filter((f) => !isQuietLow(f)) : ordered
  const prominent = notLow.slice(0, rowsLimit)
  const folded = fold ? low.slice(0, rowsLimit - prominent.length) : []
  const more = (n: number): string => `\n… and ${n} more ${n === 1 ? 'finding' : 'findings'}: the \`findings\` output lists them all.\n`
  if (prominent.length > 0) out.push(findingsTable(prominent, gate, base))
  if (fold) {
    const counts = new Map<string, number>()
    for (const f of low) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1)
    const byRule = [...counts].map(([rule, n]) => `${htmlCode(rule)} ×${n}`).join(', ')
    const body = folded.length > 0 ? findingsTable(folded, gate, base) : 'Not listed here: the table above holds as many rows as the summary shows.\n'
    const hiddenLow = notLow.length > prominent.length ? 0 : low.length - folded.length
    out.push((prominent.length > 0 ? '\n' : '') + details(`${plural(low.length, 'low-risk finding')}: ${byRule}`, body + (hiddenLow > 0 ? more(hiddenLow) : '')))
    if (notLow.length > prominent.length) out.push(more(ordered.length - prominent.length - folded.length))
  } else if (ordered.length > prominent.length) out.push(more(ordered.length - prominent.length))
  return out.join('')
}

/** A table of findings, its long cell texts below it, then the safer way, each piece of advice said once. */
function findingsTable(findings: LintFinding[], gate: GateResult, base: string): string {
  const status = (f: LintFinding): string =>
    f.acknowledged ? `✔️ acknowledged (line ${f.acknowledged.line}): ${cell(f.acknowledged.reason)}` : isBlocking(f, gate.failOnRisk) ? '❌ **blocked**' : ''
  // The same advice on several rows (every new table) is said once, under the table.
  const advice = [...new Set(findings.map((f) => f.saferWay))]
  const hasStatus = findings.some((f) => status(f) !== '')
  // A message every finding shares (nothing could be linted, and why) is said once, above the table.
  const shared = findings.length > 1 && findings.every((f) => f.message === findings[0].message) ? findings[0].message : undefined
  const footnote = (f: LintFinding): string => (advice.length > 1 ? ` <sup>${advice.indexOf(f.saferWay) + 1}</sup>` : '')
  const long = new CellNotes()
  const rows = compactTable(
    ['Risk', 'Rule', 'Where', 'Finding', ...(hasStatus ? ['Status'] : [])],
    findings.map((f) => [
      `${RISK_ICON[f.risk]} ${f.risk}`,
      `[${code(f.rule)}](${base}${f.rule}.md)`,
      code(`${path.basename(f.file)}:${f.line}`) + (f.lineNote ? `<br><sub>${cell(f.lineNote)}</sub>` : ''),
      (shared ? '' : long.cell(f.message)) + (f.table ? `<br><sub>${cell(f.table)}</sub>` : '') + footnote(f),
      ...(hasStatus ? [status(f)] : [])
    ])
  )
  return (
    (shared ? `Every finding: ${prose(shared)}\n\n` : '') +
    rows +
    long.list() +
    (advice.length > 1 ? '\n**Safer way:**\n\n' + advice.map((a, i) => `${i + 1}. ${prose(a)}`).join('\n') + '\n' : `\n**Safer way:** ${prose(advice[0])}\n`)
  )
}

/** The rule pages ship with the action: linked like the error codes. */
function ruleDocsBase(): string {
  return actionDocUrl('docs/rules/')
}
