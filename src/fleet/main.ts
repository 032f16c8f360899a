import * as core from '@actions/core'
import type { InputReader } from '../inputs.js'
import { runnerLogger } from '../logger.js'
import { redact } from '../redact.js'
import { annotation, ANNOTATIONS_PER_KIND } from '../runner/annotations.js'
import { writeReportFile } from '../runner/report-file.js'
import { writeSummary } from '../runner/summary.js'
import type { FleetReport } from './model.js'
import { setFleetOutputs } from './outputs.js'
import { renderFleetReport } from './render.js'
import { runFleet } from './run.js'

/** run() for a fleet (`databases` or `databases-query`): one summary, one report file, the fleet's outputs. */
export async function runFleetAndReport(readInput: InputReader, signal: AbortSignal): Promise<void> {
  const report = await runFleet(readInput, { log: runnerLogger, signal })
  const markdown = renderFleetReport(report)
  setFleetOutputs(report, writeReportFile(markdown))
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
