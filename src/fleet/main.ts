import * as core from '@actions/core'
import { isFleet, isSummarize, type InputReader } from '../inputs.js'
import { runnerLogger } from '../logger.js'
import { redact } from '../redact.js'
import { annotation, ANNOTATIONS_PER_KIND } from '../runner/annotations.js'
import { writeReportFile } from '../runner/report-file.js'
import { writeSummary } from '../runner/summary.js'
import type { FleetReport } from './model.js'
import { setFleetOutputs } from './outputs.js'
import { renderFleetReport } from './render.js'
import { fleetReportJson, writeReportJson } from './report-json.js'
import { runFleet } from './run.js'
import { summarizeReports } from './summarize.js'

/** Whether the step is a fleet's (`databases`, `databases-query`) or merges fleets' reports (`mode: summarize`), rather than a run on database-url. */
export function isFleetStep(readInput: InputReader): boolean {
  return isSummarize(readInput) || isFleet(readInput)
}

/** run() for a fleet, or for `mode: summarize`: one summary, one report file and its JSON, the fleet's outputs. */
export async function runFleetAndReport(readInput: InputReader, signal: AbortSignal): Promise<void> {
  const report = isSummarize(readInput) ? summarizeReports((readInput('reports-path') ?? '').trim()) : await runFleet(readInput, { log: runnerLogger, signal })
  const markdown = renderFleetReport(report)
  const reportPath = writeReportFile(markdown)
  setFleetOutputs(report, reportPath, writeReportJson(fleetReportJson(report), reportPath))
  // One error per failed target, up to what GitHub shows for a step; the summary has them all.
  for (const row of report.targets.filter((t) => t.status === 'failure' && t.error).slice(0, ANNOTATIONS_PER_KIND - 1)) {
    annotation('error', redact(`${row.target}: ${row.error!.message}`), { title: `pg-migrate-action: ${row.target} failed` })
  }
  if ((readInput('summary') ?? '').trim().toLowerCase() !== 'false') await writeSummary(markdown)
  if (report.status === 'failure') core.setFailed(redact(fleetFailure(report)))
}

function fleetFailure(report: FleetReport): string {
  if (report.error) return `${report.error.message}${report.error.hint ? `\nWhat to do: ${report.error.hint}` : ''}`
  const failed = report.targets.filter((t) => t.status === 'failure')
  const notRun = report.targets.filter((t) => t.status === 'not-run').length
  return `${failed.length} of ${report.targets.length} databases failed (${failed
    .map((t) => t.target)
    .slice(0, 5)
    .join(', ')}${failed.length > 5 ? ', …' : ''})${notRun ? `; ${notRun} not run` : ''}. The job summary has a callout for each.`
}
