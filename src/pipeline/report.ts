import type { Chain } from '../engines/engine.js'
import { isActionError } from '../errors.js'
import type { ReportedError, RunReport, StageRecord } from '../report/model.js'
import type { RecordedOutcomes, StageFailure } from './stage.js'
import { echo } from '../echo.js'
import { driftWarning } from '../report/drift.js'
import { schemaChangeWarning } from '../report/schema-changes.js'

export interface RunRecord {
  startedAt: Date
  durationMs: number
  stages: StageRecord[]
  outcomes: RecordedOutcomes
  failure?: StageFailure
  /** What went wrong while the run cleaned up after its stages (stopping the engine). */
  cleanupWarnings?: string[]
}

/** The one place that turns what the stages returned into the report model. */
export function buildReport({ startedAt, durationMs, stages, outcomes, failure, cleanupWarnings = [] }: RunRecord): RunReport {
  const settings = outcomes.inputs
  const selected = outcomes['load chain']
  const chain = selected && 'chain' in selected ? selected.chain : undefined
  const validation = outcomes.validate
  const plan = outcomes.plan
  const lint = outcomes.lint
  const extensions = outcomes.extensions
  const url = settings?.databaseUrl
  return {
    status: failure ? 'failure' : 'success',
    mode: settings?.mode,
    engine: selected?.engine.name,
    database: url && `${echo(url.user)}@${echo(url.host)}:${url.port}/${echo(url.database)}`,
    migrationsPath: selected && settings && echo(settings.migrationsPath),
    startedAt,
    durationMs,
    stages,
    serverVersion: outcomes.wait?.wait.serverVersion,
    wait: outcomes.wait?.wait,
    extensions: extensions?.result,
    chain:
      chain &&
      ({
        engine: chain.engine,
        directory: chain.directory,
        revisions: chain.revisions,
        notes: unique([...chain.notes, ...(lint?.plan.notes ?? []), ...(outcomes.apply?.notes ?? [])])
      } satisfies Chain),
    graph: validation?.graph,
    state: validation?.state,
    problems: validation?.problems ?? [],
    lock: outcomes.lock?.result,
    pending: validation && 'pending' in validation ? validation.pending : undefined,
    plan: plan?.revisions,
    apply: outcomes.apply,
    repair: outcomes.repair,
    backup: outcomes.backup,
    schemaChange: outcomes['schema change'],
    drift: outcomes.drift?.result,
    verifyDowngrade: outcomes['verify downgrade'],
    downgrade: outcomes.downgrade,
    checks: outcomes.checks,
    lint: lint && { result: lint.result, gate: lint.gate },
    error: failure && reportedError(failure.stage, failure.error),
    warnings: [
      ...(settings?.warnings ?? []),
      ...(extensions?.result.warnings ?? []),
      ...(extensions?.ignoredFailure ? [`${extensions.ignoredFailure.message} (continuing: require-extensions is false)`] : []),
      ...(validation?.problems ?? []).filter((p) => p.severity === 'warning').map((p) => p.message),
      ...[driftWarning(outcomes.drift?.result), schemaChangeWarning(outcomes['schema change'])].filter((w) => w !== undefined),
      ...cleanupWarnings
    ]
  }
}

export function reportedError(stage: ReportedError['stage'], error: unknown): ReportedError {
  if (isActionError(error)) {
    return { stage, code: error.code, message: error.message, hint: error.hint, details: error.details, location: error.location, bug: false, stack: error.stack }
  }
  return {
    stage,
    code: 'internal-error',
    message: `Internal error: ${error instanceof Error ? error.message : String(error)}`,
    hint: 'This is a bug in pg-migrate-action, not in your migrations.',
    details: [],
    location: {},
    bug: true,
    stack: error instanceof Error ? error.stack : undefined
  }
}

function unique(lines: string[]): string[] {
  return [...new Set(lines)]
}
