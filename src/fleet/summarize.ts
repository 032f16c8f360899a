import { statSync } from 'node:fs'
import { ActionError, errorMessage, isActionError } from '../errors.js'
import { echo } from '../echo.js'
import type { FleetReport, TargetRow } from './model.js'
import { readReportJsons } from './report-json.js'

/**
 * `mode: summarize`: the report JSONs of a fleet's matrix jobs (downloaded artifacts) merged into one
 * fleet summary, as if one step had run them all. Nothing connects to a database.
 */
export function summarizeReports(reportsPath: string): FleetReport {
  const startedAt = new Date()
  const warnings: string[] = []
  try {
    const dir = reportsDirectory(reportsPath)
    const { reports, skipped } = readReportJsons(dir)
    warnings.push(...skipped)
    if (reports.length === 0) {
      throw new ActionError('reports-missing', `Input 'reports-path' (${echo(reportsPath)}) holds no pg-migrate-action report JSON.`, {
        location: { input: 'reports-path' },
        hint: "Upload each job's report-json output as an artifact (if: always()), download them all into this directory first (actions/download-artifact with pattern), then summarize."
      })
    }
    const targets: TargetRow[] = reports.flatMap((r) => r.json.targets)
    const modes = new Set(reports.map((r) => r.json.mode).filter((m) => m !== undefined))
    const failedReports = reports.filter((r) => r.json.error)
    for (const r of failedReports) warnings.push(`${r.file}: the step failed before any database ran: ${r.json.error!.message}`)
    const status = failedReports.length > 0 || targets.some((t) => t.status === 'failure') ? 'failure' : 'success'
    return {
      status,
      mode: modes.size === 1 ? [...modes][0] : undefined,
      startedAt: new Date(Math.min(...reports.map((r) => Date.parse(r.json.startedAt)).filter(Number.isFinite), startedAt.getTime())),
      // The jobs ran side by side: the longest one is the fleet's wall time.
      durationMs: Math.max(...reports.map((r) => r.json.durationMs)),
      targets,
      warnings: [`Merged ${reports.length} report${reports.length === 1 ? '' : 's'} from ${echo(reportsPath)}.`, ...warnings],
      ...commonSettings(reports.map((r) => r.json))
    }
  } catch (error) {
    return {
      status: 'failure',
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      targets: [],
      warnings,
      error: isActionError(error)
        ? { code: error.code, message: error.message, hint: error.hint, input: error.location.input }
        : { code: 'internal-error', message: `Internal error: ${errorMessage(error)}`, hint: 'This is a bug in pg-migrate-action.' }
    }
  }
}

function reportsDirectory(path: string): string {
  if (path === '') {
    throw new ActionError('invalid-input', "Input 'reports-path' is required with mode: summarize; got ''.", {
      location: { input: 'reports-path' },
      hint: 'Accepted: a directory holding the report JSON files of the jobs to merge (searched recursively).'
    })
  }
  try {
    if (statSync(path).isDirectory()) return path
  } catch {
    // Reported below, as a path that is not a directory.
  }
  throw new ActionError('reports-missing', `Input 'reports-path' (${echo(path)}) is not a directory.`, {
    location: { input: 'reports-path' },
    hint: 'Download the artifacts of the matrix jobs into it first (actions/download-artifact with pattern and path).'
  })
}

/** max-parallel, canary and on-error when every job had the same. */
function commonSettings(reports: Pick<FleetReport, 'maxParallel' | 'canary' | 'onError'>[]): Partial<FleetReport> {
  const same = <K extends 'maxParallel' | 'canary' | 'onError'>(key: K): FleetReport[K] | undefined => {
    const values = new Set(reports.map((r) => r[key]))
    return values.size === 1 ? [...values][0] : undefined
  }
  return { maxParallel: same('maxParallel'), canary: same('canary'), onError: same('onError') }
}
