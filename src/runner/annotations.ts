import * as core from './commands.js'
import { lintAnnotations } from '../lint/stage.js'
import { redact } from '../redact.js'
import { describeEntry } from '../report/drift.js'
import type { RunReport } from '../report/model.js'

/** GitHub shows at most 10 annotations of a kind per step; a few stay free for the runner's own. */
export const MAX_ANNOTATIONS = 8

/** Pins the failed migration and the chain problems to their files and lines in the pull request. */
export function annotate(report: RunReport): void {
  let budget = MAX_ANNOTATIONS
  const failure = report.apply?.failure
  if (failure) {
    core.error(redact([failure.message, failure.detail, failure.serverHint && `Hint: ${failure.serverHint}`].filter(Boolean).join('\n')), {
      title: redact(`Migration ${failure.revision} failed${failure.sqlState ? ` (${failure.sqlState})` : ''}`),
      file: failure.file,
      startLine: failure.line,
      startColumn: failure.column
    })
    budget--
  }
  // Blocking lint findings first.
  for (const a of report.lint ? lintAnnotations(report.lint) : []) {
    if (budget-- <= 0) break
    core[a.level](redact(a.message), { title: redact(a.title), file: a.file, startLine: a.line })
  }
  for (const problem of report.problems.filter((p) => p.file)) {
    if (budget-- <= 0) break
    const annotation = { title: `Migration chain: ${problem.code}`, file: problem.file, startLine: problem.line }
    const text = redact(`${problem.message}\n${problem.hint}`)
    if (problem.severity === 'error') core.error(text, annotation)
    else core.warning(text, annotation)
  }
  // Drift on the migration that creates the object: where a reviewer would look for it.
  const files = new Map((report.chain?.revisions ?? []).map((r) => [r.id, r.file]))
  for (const entry of report.drift?.entries ?? []) {
    const file = entry.createdBy && files.get(entry.createdBy)
    if (!file) continue
    if (budget-- <= 0) break
    const text = redact(`Drift: ${describeEntry(entry)}.`)
    const annotation = { title: `Schema drift: ${entry.object}`, file }
    if (report.drift?.policy === 'fail') core.error(text, annotation)
    else core.warning(text, annotation)
  }
}
