import * as core from './commands.js'
import { checkAnnotations } from '../checks/index.js'
import { lintAnnotations } from '../lint/stage.js'
import { redact } from '../redact.js'
import type { RunReport } from '../report/model.js'

/** GitHub shows at most 10 annotations of a kind per step; a few stay free for the runner's own. */
export const MAX_ANNOTATIONS = 8

/** Pins the failed migration and the chain problems to their files and lines in the pull request. */
export function annotate(report: RunReport): void {
  let budget = MAX_ANNOTATIONS
  const failure = report.apply?.failure ?? report.downgrade?.failure
  const what = report.apply?.failure ? 'Migration' : 'The down step of'
  // A cancel is not the file's fault: the step's error says it, nothing is pinned to the file.
  if (failure && failure.code !== 'cancelled') {
    core.error(redact([failure.message, failure.detail, failure.serverHint && `Hint: ${failure.serverHint}`].filter(Boolean).join('\n')), {
      title: redact(`${what} ${failure.revision} failed${failure.sqlState ? ` (${failure.sqlState})` : ''}`),
      file: failure.file,
      startLine: failure.line,
      startColumn: failure.column
    })
    budget--
  }
  // Each failing check at its line: the step fails for them.
  for (const a of checkAnnotations(report.checks)) {
    if (budget-- <= 0) break
    core.error(redact(a.message), { title: redact(a.title), file: a.file, startLine: a.line, startColumn: a.column })
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
}
