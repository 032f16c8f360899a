import { existsSync, readFileSync } from 'node:fs'

/** What `scripts/run-action.mjs` returns for one run of the bundle as the runner runs it. */
export interface ActionRun {
  exitCode: number
  /** The signal that ended the process, when one did (a test's kill -9). */
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  summary: string
  outputs: Record<string, string>
  durationMs: number
}

/**
 * Everything the runner would show or keep, less the `::add-mask::` commands that tell it what to mask:
 * the log, the job summary, the outputs and the report file (report-path, uploaded as an artifact or posted as a comment).
 */
export function visible(result: ActionRun): string {
  const reportPath = result.outputs['report-path']
  const report = reportPath && existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : ''
  return result.stdout.replace(/^::add-mask::.*$/gm, '') + result.stderr + result.summary + JSON.stringify(result.outputs) + report
}
