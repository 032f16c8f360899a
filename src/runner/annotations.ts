import * as core from '@actions/core'
import { checkAnnotations } from '../checks/index.js'
import { lintAnnotations } from '../lint/stage.js'
import { noticeText } from '../engines/notices.js'
import { redact } from '../redact.js'
import { noticeAdvice, noticeTitle, warningNotices } from '../report/notices.js'
import type { AnnotationKind, AnnotationsLeftOut, RunReport } from '../report/model.js'
import { lockTarget, seconds, sessionName, waitsOverLockTimeout, type LockWaits } from '../watch/lock-waits.js'
import { describeEntry } from '../report/drift.js'

/** GitHub shows at most this many annotations of each kind (error, warning, notice) per step and drops the rest. */
export const ANNOTATIONS_PER_KIND = 10

interface Annotation {
  kind: AnnotationKind
  source: 'failure' | 'check' | 'lint' | 'problem' | 'lock-wait' | 'notice' | 'drift'
  message: string
  properties: core.AnnotationProperties
}

export interface AnnotationPlan {
  shown: Annotation[]
  leftOut?: AnnotationsLeftOut
}

/** What the run has already annotated (the logger's warnings, a report file that could not be written). */
const issued: Record<AnnotationKind, number> = { error: 0, warning: 0, notice: 0 }

/** Every annotation the action makes goes through here, so that the plan knows how many GitHub will still show. */
export function annotation(kind: AnnotationKind, message: string, properties?: core.AnnotationProperties): void {
  issued[kind]++
  core[kind](message, properties)
}

/** Only for tests, which call run() many times in one process: forget what was annotated. */
export function clearAnnotationsForTests(): void {
  issued.error = issued.warning = issued.notice = 0
}

/**
 * Which of the failed migration, the lint findings and the chain problems get pinned to their file
 * and line: the failed migration first, then the rest most important first, as many of each kind as
 * GitHub still shows after what the run already annotated and, on a red run, setFailed's own error.
 * What does not fit is counted, for the report to say so and point to where every one is listed.
 */
export function planAnnotations(report: RunReport, spent: Readonly<Record<AnnotationKind, number>> = issued): AnnotationPlan {
  const candidates: Annotation[] = []
  const failure = report.apply?.failure ?? report.downgrade?.failure
  const what = report.apply?.failure ? 'Migration' : 'The down step of'
  // A cancel is not the file's fault: the step's error says it, nothing is pinned to the file.
  if (failure && failure.code !== 'cancelled') {
    candidates.push({
      kind: 'error',
      source: 'failure',
      message: [failure.message, failure.detail, failure.serverHint && `Hint: ${failure.serverHint}`].filter(Boolean).join('\n'),
      properties: {
        title: `${what} ${failure.revision} failed${failure.sqlState ? ` (${failure.sqlState})` : ''}`,
        file: failure.file,
        startLine: failure.line,
        startColumn: failure.column
      }
    })
  }
  // Each failing check at its line: the step fails for them.
  for (const a of checkAnnotations(report.checks)) {
    candidates.push({ kind: 'error', source: 'check', message: a.message, properties: { title: a.title, file: a.file, startLine: a.line, startColumn: a.column } })
  }
  for (const run of report.apply?.runs ?? []) {
    const message = run.lockWaits && lockWaitAnnotation(run.id, run.lockWaits)
    if (message) candidates.push({ kind: 'warning', source: 'lock-wait', message, properties: { title: `Lock wait longer than lock-timeout in ${run.id}`, file: run.file } })
  }
  // The server's warnings during the run (an HNSW build that spilled to disk) come before the lint's forecasts.
  for (const { run, notice } of warningNotices(report)) {
    candidates.push({
      kind: 'warning',
      source: 'notice',
      message: [`${notice.severity}: ${noticeText(notice)}`, noticeAdvice(notice)].filter(Boolean).join('\n'),
      properties: { title: noticeTitle(run, notice), file: notice.file, startLine: notice.line }
    })
  }
  // Drift on the migration that creates the object: where a reviewer would look for it.
  const files = new Map((report.chain?.revisions ?? []).map((r) => [r.id, r.file]))
  for (const entry of report.drift?.entries ?? []) {
    const file = entry.createdBy && files.get(entry.createdBy)
    if (!file) continue
    candidates.push({
      kind: report.drift?.policy === 'fail' ? 'error' : 'warning',
      source: 'drift',
      message: `Drift: ${describeEntry(entry)}.`,
      properties: { title: `Schema drift: ${entry.object}`, file }
    })
  }
  for (const a of report.lint ? lintAnnotations(report.lint) : []) {
    candidates.push({ kind: a.level, source: 'lint', message: a.message, properties: { title: a.title, file: a.file, startLine: a.line } })
  }
  for (const problem of report.problems.filter((p) => p.file)) {
    candidates.push({
      kind: problem.severity,
      source: 'problem',
      message: `${problem.message}\n${problem.hint}`,
      properties: { title: `Migration chain: ${problem.code}`, file: problem.file, startLine: problem.line }
    })
  }

  const room: Record<AnnotationKind, number> = {
    error: ANNOTATIONS_PER_KIND - spent.error - (report.status === 'failure' ? 1 : 0),
    warning: ANNOTATIONS_PER_KIND - spent.warning,
    notice: ANNOTATIONS_PER_KIND - spent.notice
  }
  const shown: Annotation[] = []
  const left: Annotation[] = []
  for (const candidate of candidates) (room[candidate.kind]-- > 0 ? shown : left).push(candidate)
  if (left.length === 0) return { shown }
  const count = (keep: (a: Annotation) => boolean): number => left.filter(keep).length
  return {
    shown,
    leftOut: {
      perKind: ANNOTATIONS_PER_KIND,
      total: left.length,
      of: candidates.length,
      kinds: { error: count((a) => a.kind === 'error'), warning: count((a) => a.kind === 'warning'), notice: count((a) => a.kind === 'notice') },
      findings: count((a) => a.source === 'lint'),
      problems: count((a) => a.source === 'problem'),
      lockWaits: count((a) => a.source === 'lock-wait'),
      notices: count((a) => a.source === 'notice')
    }
  }
}

/**
 * One warning per migration whose lock waits outlasted lock-timeout (the sessions it kept waiting, or
 * its own wait where env.py or a SET overrode it), the longest named; undefined when none did.
 */
function lockWaitAnnotation(revision: string, waits: LockWaits): string | undefined {
  const over = waitsOverLockTimeout(waits)
  if (over.length === 0) return undefined
  const [{ wait, migrationWaited }] = [...over].sort((a, b) => b.wait.waitedMs - a.wait.waitedMs)
  const limit = `longer than lock-timeout (${waits.lockTimeout.text})`
  const scope = waits.scope ? ` (${waits.scope})` : ''
  const first = migrationWaited
    ? `Migration ${revision}${scope} waited ${seconds(wait.waitedMs)} for ${lockTarget(wait)}${wait.heldBy?.length ? `, held by ${wait.heldBy.map((s) => sessionName(s)).join(', ')}` : ''}, ${limit}.`
    : `While migration ${revision}${scope} ran, ${sessionName(wait)} waited ${seconds(wait.waitedMs)} for ${lockTarget(wait)}, ${limit}: its queries stalled behind the migration's lock.`
  const more = over.length > 1 ? ` ${over.length - 1} more ${over.length === 2 ? 'wait' : 'waits'} outlasted lock-timeout; the job summary lists them.` : ''
  return first + more
}

/** Pins the planned annotations to their files and lines in the pull request. */
export function annotate(plan: AnnotationPlan): void {
  for (const a of plan.shown) {
    annotation(a.kind, redact(a.message), { ...a.properties, title: a.properties.title && redact(a.properties.title) })
  }
  if (plan.leftOut) {
    core.info(`${plan.leftOut.total} of ${plan.leftOut.of} annotations were left out: GitHub shows ${ANNOTATIONS_PER_KIND} of each kind per step. The job summary lists every one.`)
  }
}
