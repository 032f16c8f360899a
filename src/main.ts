import * as core from '@actions/core'
import { abortOnCancelSignals } from './cancel.js'
import { isFleetStep, runFleetAndReport } from './fleet/main.js'
import { singleRunJson, writeReportJson } from './fleet/report-json.js'
import { fleetLines, type InputName } from './inputs.js'
import { runnerLogger } from './logger.js'
import { runPipeline } from './pipeline/index.js'
import { redact, registerSecret, registerUrlSecrets } from './redact.js'
import type { RunReport } from './report/model.js'
import { renderReportSafely } from './report/render.js'
import { annotate, planAnnotations } from './runner/annotations.js'
import { setOutputs } from './runner/outputs.js'
import { commentOnPullRequest } from './runner/pr-comment.js'
import { writeReportFile } from './runner/report-file.js'
import { writeSummary } from './runner/summary.js'

/**
 * The entry point the runner calls: read the inputs, run the pipeline, hand the report to the runner.
 * Resolves to whether the run was cancelled (SIGINT/SIGTERM), after which the process should exit.
 */
export async function run(): Promise<{ cancelled: boolean }> {
  // The environment fallback for database-url; masked before anything can print it.
  registerUrlSecrets(process.env.DATABASE_URL ?? '')
  // Kept until the report is out: a second signal while it is written must not cut it short.
  const cancel = abortOnCancelSignals()
  try {
    await runAndReport(cancel.signal)
  } finally {
    cancel.dispose()
  }
  return { cancelled: cancel.signal.aborted }
}

async function runAndReport(signal: AbortSignal): Promise<void> {
  if (isFleetStep(readInput)) return runFleetAndReport(readInput, signal)
  const { report, settings } = await runPipeline(readInput, { log: runnerLogger, signal })

  const annotations = planAnnotations(report)
  report.annotationsLeftOut = annotations.leftOut
  const markdown = renderReportSafely(report)
  const reportPath = writeReportFile(markdown)
  setOutputs(report, reportPath, writeReportJson(singleRunJson(report), reportPath))
  annotate(annotations)
  // Invalid inputs still get a summary: that is where the user looks for what went wrong.
  if (settings?.summary ?? true) await writeSummary(markdown)
  await commentOnPullRequest(report, readInput)
  if (report.status === 'failure') core.setFailed(redact(failureMessage(report)))
}

/**
 * The runner gives every input action.yml declares, with its default when the workflow omits it,
 * so an empty value is one the workflow chose (e.g. `extensions: ''`).
 */
function readInput(name: InputName): string {
  const value = core.getInput(name)
  if (name === 'database-url' || name === 'shadow-database-url') registerUrlSecrets(value)
  if (name === 'github-token') registerSecret(value)
  if (name === 'databases') for (const line of fleetLines(value)) registerUrlSecrets(line)
  return value
}

function failureMessage(report: RunReport): string {
  const e = report.error
  return e ? `${e.message}${e.hint ? `\nWhat to do: ${e.hint}` : ''}` : 'pg-migrate-action failed'
}
