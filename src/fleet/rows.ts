import { errorMessage } from '../errors.js'
import { redact } from '../redact.js'
import { prose } from '../report/markdown.js'
import { currentAtEnd, type RunReport } from '../report/model.js'
import { callout, headlineWords } from '../report/render.js'
import type { FleetTarget, TargetRow } from './model.js'

/** One target's line of the fleet table, from its own report: the same numbers its own outputs would give. */
export function targetRow(target: FleetTarget, canary: boolean, report: RunReport): TargetRow {
  const applied = report.apply?.runs.filter((r) => r.status === 'applied').length ?? 0
  const known = report.state !== undefined || report.apply !== undefined
  const notApplied = report.apply
    ? report.apply.runs.filter((r) => r.status !== 'applied').length + (report.verifyDowngrade?.end?.notApplied.length ?? 0)
    : (report.pending?.length ?? 0)
  const reverted = report.downgrade?.runs.filter((r) => r.status === 'reverted').length ?? 0
  const error = report.error
  return {
    target: target.label,
    status: report.status,
    canary,
    from: report.state?.current ?? null,
    to: known || report.downgrade ? (currentAtEnd(report) ?? null) : null,
    applied,
    pending: known || report.downgrade ? notApplied + reverted : null,
    durationMs: report.durationMs,
    maxRisk: report.lint?.result.maxRisk ?? null,
    lockWaitMs: report.lock?.waitedMs ?? null,
    pgvector: report.extensions?.extensions.find((e) => e.name === 'vector')?.version ?? null,
    result: headlineWords(report)[1],
    ...(error ? { error: { code: error.code, stage: error.stage, message: redact(error.message) } } : {}),
    ...(report.status === 'failure' ? { callout: callout(report) } : {})
  }
}

/** A target the fleet did not start, and why. */
export function notRunRow(target: FleetTarget, canary: boolean, why: string): TargetRow {
  return {
    target: target.label,
    status: 'not-run',
    canary,
    from: null,
    to: null,
    applied: 0,
    pending: null,
    durationMs: null,
    maxRisk: null,
    lockWaitMs: null,
    pgvector: null,
    result: why
  }
}

/** The pipeline reports its own failures; one that escaped it is a bug, shown on its target rather than ending the fleet. */
export function crashedRow(target: FleetTarget, canary: boolean, error: unknown): TargetRow {
  const message = redact(`Internal error: ${errorMessage(error)}`)
  return {
    ...notRunRow(target, canary, 'failed: internal error'),
    status: 'failure',
    error: { code: 'internal-error', stage: 'report', message },
    callout: `> [!CAUTION]\n> **${prose(message)}**\n>\n> This is a bug in pg-migrate-action, not in your migrations.\n`
  }
}
