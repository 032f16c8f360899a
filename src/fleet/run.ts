import { ActionError, errorMessage, isActionError } from '../errors.js'
import { readFleetInputs, readSettings, type FleetInputs, type InputName, type InputReader, type Settings } from '../inputs.js'
import type { Logger } from '../logger.js'
import { runPipeline, type PipelineDependencies, type PipelineOutcome } from '../pipeline/index.js'
import { redact } from '../redact.js'
import type { FleetError, FleetReport, FleetTarget, TargetRow } from './model.js'
import { crashedRow, notRunRow, targetRow } from './rows.js'
import { distinctTargets, listedTargets, queriedTargets } from './targets.js'

/**
 * Many databases in one step: every target gets the whole pipeline (wait, extensions, validate, lint,
 * backup, apply, checks) with its own connection and its own advisory lock, as a run on one database
 * does. The first `canary` targets run first, and the rest only if they all succeeded; at most
 * `max-parallel` run at once; with `on-error: stop`, no target starts after one failed (those running finish).
 */

export interface FleetDependencies extends Omit<PipelineDependencies, 'log'> {
  log: Logger
  /** One target's run; the real pipeline unless a test stands in. */
  runTarget?: (read: InputReader, deps: PipelineDependencies) => Promise<PipelineOutcome>
}

export const NOT_RUN = {
  canary: 'not run: a canary failed',
  stopped: 'not run: stopped after a failure (on-error: stop)',
  cancelled: 'not run: the run was cancelled'
} as const

export async function runFleet(read: InputReader, deps: FleetDependencies): Promise<FleetReport> {
  const startedAt = new Date()
  const warnings: string[] = []
  const finish = (fields: Partial<FleetReport> & Pick<FleetReport, 'targets'>): FleetReport => {
    const failed = fields.error !== undefined || fields.targets.some((t) => t.status === 'failure')
    return { status: failed ? 'failure' : 'success', startedAt, durationMs: Date.now() - startedAt.getTime(), warnings, ...fields }
  }
  let fleet: FleetInputs
  let settings: Settings
  let targets: FleetTarget[]
  try {
    fleet = readFleetInputs(read)
    ;({ settings, targets } = await resolveFleet(fleet, read, deps, warnings))
  } catch (error) {
    return finish({ targets: [], error: fleetError(error) })
  }
  const options = { mode: settings.mode, maxParallel: fleet.maxParallel, canary: fleet.canary, onError: fleet.onError }
  if (targets.length === 0) warnings.push('databases-query returned no rows: there was no database to migrate.')

  const rows = new Map<FleetTarget, TargetRow>()
  const canaries = targets.slice(0, fleet.canary)
  const rest = targets.slice(fleet.canary)
  const canarySet = new Set(canaries)
  const isCanary = (target: FleetTarget): boolean => canarySet.has(target)
  let failures = 0
  const runOne = async (target: FleetTarget): Promise<void> => {
    const row = await runTarget(target, read, deps).then(
      (outcome) => targetRow(target, isCanary(target), outcome.report),
      (error: unknown) => crashedRow(target, isCanary(target), error)
    )
    if (row.status === 'failure') failures++
    deps.log.info(redact(`${target.label}: ${row.status === 'failure' ? 'failed' : 'done'}: ${row.result.replace(/[*`]/g, '')}`))
    rows.set(target, row)
  }
  // The canaries one at a time: "first and alone" means no other target's run can hide or cause their failure.
  await runBounded(canaries, 1, () => failures === 0 && !deps.signal?.aborted, runOne)
  const restMayStart = (): boolean => !deps.signal?.aborted && (fleet.onError === 'continue' || failures === 0)
  if (failures === 0) await runBounded(rest, fleet.maxParallel, restMayStart, runOne)

  const canaryFailed = canaries.some((t) => rows.get(t)?.status === 'failure')
  const why = deps.signal?.aborted ? NOT_RUN.cancelled : canaryFailed ? NOT_RUN.canary : NOT_RUN.stopped
  return finish({ ...options, targets: targets.map((t) => rows.get(t) ?? notRunRow(t, isCanary(t), why)) })
}

/** The targets, and the settings every target shares, checked once before any target runs. */
async function resolveFleet(fleet: FleetInputs, read: InputReader, deps: FleetDependencies, warnings: string[]): Promise<{ settings: Settings; targets: FleetTarget[] }> {
  const env = deps.env ?? process.env
  const mode = (read('mode') ?? '').trim().toLowerCase()
  if (mode === 'repair') {
    throw new ActionError(
      'invalid-input',
      "Input 'mode' is repair, which records one revision by hand on one database; it cannot be combined with input 'databases' or 'databases-query'.",
      {
        location: { input: 'mode' },
        hint: 'Repair each database in a step of its own, with database-url.'
      }
    )
  }
  if (fleet.databasesQuery === undefined) {
    const targets = distinctTargets(listedTargets(fleet.databases), warnings)
    return { settings: readSettings(readerFor(read, targets[0].url), env), targets }
  }
  // database-url (or DATABASE_URL) is where the query runs: its settings are checked as a run's are.
  const settings = readSettings(readerFor(read, undefined), env)
  const rawBase = (read('database-url') ?? '').trim() || env.DATABASE_URL?.trim() || ''
  const targets = await queriedTargets(fleet.databasesQuery, settings, rawBase, deps.log, deps.wait)
  return { settings, targets: distinctTargets(targets, warnings) }
}

/** The inputs as one target's pipeline reads them: its URL as database-url, no fleet inputs. */
function readerFor(read: InputReader, url: string | undefined): InputReader {
  return (name: InputName) => {
    if (name === 'databases' || name === 'databases-query') return ''
    if (name === 'database-url' && url !== undefined) return url
    return read(name)
  }
}

async function runTarget(target: FleetTarget, read: InputReader, deps: FleetDependencies): Promise<PipelineOutcome> {
  const run = deps.runTarget ?? runPipeline
  return run(readerFor(read, target.url), { ...deps, log: targetLogger(deps.log, target.label) })
}

/** Lines of targets that run at once interleave: each carries its target, and groups (which cannot interleave) become plain lines. */
function targetLogger(log: Logger, label: string): Logger {
  const prefix = `[${label}] `
  return {
    info: (m) => log.info(prefix + m),
    warning: (m) => log.warning(prefix + m),
    debug: (m) => log.debug(prefix + m),
    group: async (title, fn) => {
      log.info(prefix + title)
      return fn()
    }
  }
}

/** Runs `work` over `items` in order, at most `limit` at once; no new item starts once `mayStart` says no. */
export async function runBounded<T>(items: T[], limit: number, mayStart: () => boolean, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length && mayStart()) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

function fleetError(error: unknown): FleetError {
  if (isActionError(error)) return { code: error.code, message: error.message, hint: error.hint, input: error.location.input }
  return { code: 'internal-error', message: `Internal error: ${errorMessage(error)}`, hint: 'This is a bug in pg-migrate-action, not in your migrations.' }
}
