import { ActionError } from '../errors.js'
import { plural } from '../report/markdown.js'
import type { StageRecord } from '../report/model.js'
import type { CheckResult, ChecksOutcome } from './run.js'

/** The checks' public interface: the pipeline, the report and the runner use only these. */
export { loadChecks, describeLoadedChecks, type CheckDefinition, type LoadedChecks } from './load.js'
export { runChecks, ROWS_SHOWN, CELL_CHARS, type CheckResult, type ChecksOutcome, type CheckRows } from './run.js'

export function failingChecks(outcome: ChecksOutcome): CheckResult[] {
  return outcome.results.filter((r) => r.status === 'failed' || r.status === 'error')
}

export function describeChecksStage(outcome: ChecksOutcome): Pick<StageRecord, 'status' | 'summary'> {
  const passed = outcome.results.filter((r) => r.status === 'passed').length
  return { status: 'ok', summary: `${passed} of ${plural(outcome.results.length, 'check')} passed` }
}

/** What one failing check did, in one sentence with its place: the step's error, the annotation and the summary say it alike. */
export function checkProblem(result: CheckResult): string {
  const { check } = result
  const where = `${check.file}:${result.error?.line ?? check.line}`
  if (result.status === 'failed') {
    const count = result.rows!.more ? `more than ${result.rows!.rows.length} rows` : plural(result.rows!.rows.length, 'row')
    return `Check "${check.name}" (${where}) returned ${count}; a check passes when it returns none.`
  }
  const error = result.error!
  if (error.code === 'check-read-only') return `Check "${check.name}" (${where}) tried to write, and checks run in a read-only transaction: ${error.message}.`
  if (error.code === 'check-timeout') return `Check "${check.name}" (${where}) ran longer than checks-timeout and was stopped: ${error.message}.`
  return `Check "${check.name}" (${where}) failed with an error: ${error.message}${error.sqlState ? ` (SQLSTATE ${error.sqlState})` : ''}.`
}

const HINTS: Record<string, string> = {
  'check-failed':
    'Each row it returned breaks the rule the check states (the Checks section of the summary shows up to 10 of them): fix the data, or the migration that produced it, or the check.',
  'check-error': 'Fix the SQL of the check at that line: it runs against the database as the migrations left it.',
  'check-read-only':
    'A check only reads: write it as a SELECT of the rows that break the rule. Every check runs in one read-only transaction that is rolled back at the end, so a check can never change the database.',
  'check-timeout': 'Make the query cheaper (an index, a narrower WHERE), or raise the checks-timeout input.'
}

/** The error that fails the step: the first failing check, with the others as details. Undefined when every check passed. */
export function checksFailure(outcome: ChecksOutcome): ActionError | undefined {
  const failing = failingChecks(outcome)
  if (failing.length === 0) {
    if (!outcome.stopped) return undefined
    const notRun = outcome.results.filter((r) => r.status === 'not-run').length
    return new ActionError('check-error', `${plural(notRun, 'check')} did not run: ${outcome.stopped}.`, { hint: 'Run the job again.' })
  }
  const [first, ...others] = failing
  const code = first.status === 'failed' ? 'check-failed' : first.error!.code
  const lead = failing.length === 1 ? '' : `${failing.length} of ${outcome.results.length} checks failed; the first: `
  return new ActionError(code, lead + checkProblem(first), {
    location: { file: first.check.file, line: first.error?.line ?? first.check.line, column: first.error?.column },
    hint: HINTS[code],
    details: [...(first.error?.detail ? [`Detail: ${first.error.detail}`] : []), ...(first.error?.hint ? [`Server hint: ${first.error.hint}`] : []), ...others.map(checkProblem)]
  })
}

export interface CheckAnnotation {
  title: string
  message: string
  file: string
  line: number
  column?: number
}

/** One error annotation per failing check, at its line. */
export function checkAnnotations(outcome: ChecksOutcome | undefined): CheckAnnotation[] {
  return failingChecks(outcome ?? { results: [], timeout: '' }).map((r) => ({
    title: r.status === 'failed' ? `Check failed: ${r.check.name}` : `Check error: ${r.check.name}`,
    message: [
      checkProblem(r),
      ...(r.rows && r.rows.rows.length > 0 ? [`${r.rows.columns.join(' | ')}`, ...r.rows.rows.slice(0, 3).map((row) => row.map((v) => v ?? 'NULL').join(' | '))] : [])
    ].join('\n'),
    file: r.check.file,
    line: r.error?.line ?? r.check.line,
    column: r.error?.column
  }))
}
