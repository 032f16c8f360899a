import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { errorMessage } from '../errors.js'
import { redact } from '../redact.js'
import type { RunReport } from '../report/model.js'
import { annotation } from '../runner/annotations.js'
import type { FleetReport } from './model.js'
import { targetRow } from './rows.js'

/**
 * The report as JSON beside the markdown report (the report-json output): what a matrix job uploads
 * and `mode: summarize` merges into one fleet summary. A run on one database is a fleet of one, with
 * its whole RunReport under `run`.
 */

export const REPORT_JSON_FORMAT = 'pg-migrate-action/report'
export const REPORT_JSON_VERSION = 1

export interface ReportJson extends Omit<FleetReport, 'startedAt'> {
  format: typeof REPORT_JSON_FORMAT
  version: typeof REPORT_JSON_VERSION
  startedAt: string
  run?: RunReport
}

export function fleetReportJson(report: FleetReport): ReportJson {
  return { format: REPORT_JSON_FORMAT, version: REPORT_JSON_VERSION, ...report, startedAt: report.startedAt.toISOString() }
}

export function singleRunJson(report: RunReport): ReportJson {
  const target = { label: report.database ?? 'database-url', key: report.database ?? '', url: '' }
  return {
    format: REPORT_JSON_FORMAT,
    version: REPORT_JSON_VERSION,
    status: report.status,
    mode: report.mode,
    startedAt: report.startedAt.toISOString(),
    durationMs: report.durationMs,
    targets: [targetRow(target, false, report)],
    warnings: [],
    run: report
  }
}

/** Writes the JSON beside the markdown report (same name, .json); undefined when there is no report file or it cannot be written. */
export function writeReportJson(json: ReportJson, reportPath: string | undefined): string | undefined {
  if (!reportPath) return undefined
  const path = reportPath.replace(/\.md$/, '') + '.json'
  try {
    // A value the stages kept that JSON cannot hold (a bigint) is written as a string rather than losing the file.
    writeFileSync(path, redact(JSON.stringify(json, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 1)))
    return path
  } catch (error) {
    annotation('warning', redact(`Could not write the report JSON: ${errorMessage(error)}`))
    return undefined
  }
}

/** Every report JSON under `dir` (downloaded artifacts: one directory per job), in path order; other JSON files are named in `skipped`. */
export function readReportJsons(dir: string): { reports: { file: string; json: ReportJson }[]; skipped: string[] } {
  const reports: { file: string; json: ReportJson }[] = []
  const skipped: string[] = []
  const files = (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.json')).sort()
  for (const file of files) {
    const shown = relative(process.cwd(), join(dir, file)) || file
    try {
      const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Partial<ReportJson>
      if (json.format !== REPORT_JSON_FORMAT || !Array.isArray(json.targets)) {
        skipped.push(`${shown} is not a pg-migrate-action report (no "format": "${REPORT_JSON_FORMAT}")`)
      } else if (json.version !== REPORT_JSON_VERSION) {
        skipped.push(`${shown} is a report of format version ${String(json.version)}; this action reads version ${REPORT_JSON_VERSION}`)
      } else {
        reports.push({ file: shown, json: json as ReportJson })
      }
    } catch (error) {
      skipped.push(`${shown} could not be read as JSON: ${errorMessage(error)}`)
    }
  }
  return { reports, skipped }
}
