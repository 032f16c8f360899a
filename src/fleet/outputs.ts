import * as core from '@actions/core'
import { riskRank, type RiskThreshold } from '../lint/rule.js'
import { redact } from '../redact.js'
import { Outputs, type OutputName } from '../runner/outputs.js'
import type { FleetReport } from './model.js'

/** The fleet's outputs: every target's row as JSON, and the totals a run on one database gives for itself. */
export function setFleetOutputs(report: FleetReport, reportPath: string | undefined, reportJsonPath: string | undefined): void {
  const set = (name: OutputName, value: string | number | undefined): void => {
    if (value !== undefined) core.setOutput(name, redact(String(value)))
  }
  set(Outputs.Targets, JSON.stringify(report.targets.map(({ callout: _callout, ...row }) => row)))
  set(
    Outputs.AppliedCount,
    report.targets.reduce((sum, t) => sum + t.applied, 0)
  )
  set(
    Outputs.PendingCount,
    report.targets.reduce((sum, t) => sum + (t.pending ?? 0), 0)
  )
  const risks = report.targets.map((t) => t.maxRisk).filter((r): r is RiskThreshold => r !== null)
  if (risks.length > 0)
    set(
      Outputs.MaxRisk,
      risks.reduce((max, r) => (r !== 'none' && (max === 'none' || riskRank(r) > riskRank(max)) ? r : max), 'none')
    )
  set(Outputs.ReportPath, reportPath)
  set(Outputs.ReportJson, reportJsonPath)
  set(Outputs.DurationMs, report.durationMs)
}
