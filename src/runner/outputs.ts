import * as core from '@actions/core'
import { findingsJson } from '../lint/stage.js'
import { redact } from '../redact.js'
import { currentAtEnd, type RunReport } from '../report/model.js'

/** The action's outputs, as action.yml declares them (a test holds the two together). */
export const Outputs = {
  ServerVersion: 'server-version',
  ExtensionVersions: 'extension-versions',
  AppliedCount: 'applied-count',
  Applied: 'applied',
  PendingCount: 'pending-count',
  CurrentVersion: 'current-version',
  MaxRisk: 'max-risk',
  Findings: 'findings',
  BackupPath: 'backup-path',
  ReportPath: 'report-path',
  DurationMs: 'duration-ms',
  PrCommentPath: 'pr-comment-path',
  Targets: 'targets',
  ReportJson: 'report-json'
} as const

export type OutputName = (typeof Outputs)[keyof typeof Outputs]

/** Sets every output the run knows a value for; also after a failure, so later steps can react. */
export function setOutputs(report: RunReport, reportPath: string | undefined, reportJsonPath?: string): void {
  const set = (name: OutputName, value: string | number | undefined): void => {
    if (value !== undefined) core.setOutput(name, redact(String(value)))
  }
  set(Outputs.ServerVersion, report.serverVersion)
  if (report.extensions) {
    set(Outputs.ExtensionVersions, JSON.stringify(Object.fromEntries(report.extensions.extensions.filter((e) => e.version).map((e) => [e.name, e.version]))))
  }
  const applied = report.apply?.runs.filter((r) => r.status === 'applied') ?? []
  if (report.state || report.apply || report.downgrade) {
    set(Outputs.AppliedCount, applied.length)
    set(Outputs.Applied, JSON.stringify(applied.map((r) => ({ revision: r.id, description: r.description, durationMs: r.durationMs ?? null }))))
    // A round trip that stopped part-way may have left migrations of this run undone.
    const undone = report.verifyDowngrade?.end?.notApplied.length ?? 0
    // mode: downgrade: what was reverted is pending again.
    const reverted = report.downgrade?.runs.filter((r) => r.status === 'reverted').length ?? 0
    const notApplied = report.apply ? report.apply.runs.filter((r) => r.status !== 'applied').length + undone : (report.pending?.length ?? 0) + reverted
    set(Outputs.PendingCount, notApplied)
    set(Outputs.CurrentVersion, (currentAtEnd(report) ?? []).join(','))
  }
  if (report.lint) {
    set(Outputs.MaxRisk, report.lint.result.maxRisk)
    set(Outputs.Findings, findingsJson(report.lint))
  }
  set(Outputs.BackupPath, report.backup?.path)
  set(Outputs.ReportPath, reportPath)
  set(Outputs.ReportJson, reportJsonPath)
  set(Outputs.DurationMs, report.durationMs)
}
