import { ActionError } from '../errors.js'
import type { Finding, LintResult } from './lint.js'
import { riskRank, type RiskThreshold } from './rule.js'

/**
 * The policy: an unacknowledged finding at or above `fail-on-risk` stops the run before anything of
 * the pending set is applied.
 */
export interface GateResult {
  failOnRisk: RiskThreshold
  /** Unacknowledged findings at or above the threshold. */
  blocked: Finding[]
  /** Set when the run must stop. */
  error?: ActionError
}

export function isBlocking(finding: Finding, failOnRisk: RiskThreshold): boolean {
  return failOnRisk !== 'none' && !finding.acknowledged && riskRank(finding.risk) >= riskRank(failOnRisk)
}

export function gate(result: LintResult, failOnRisk: RiskThreshold): GateResult {
  const blocked = result.findings.filter((f) => isBlocking(f, failOnRisk))
  if (blocked.length === 0) return { failOnRisk, blocked }
  const first = blocked[0]
  const error = new ActionError(
    'lint-blocked',
    `The risk lint stopped the run before anything was applied: ${blocked.length === 1 ? '1 finding' : `${blocked.length} findings`} at or above fail-on-risk '${failOnRisk}'; the first: ${first.file}:${first.line} ${first.message} (${first.rule}, ${first.risk}).`,
    {
      location: { file: first.file, line: first.line, revision: first.revision },
      hint: `Make the change the safer way (${first.saferWay}) or, once reviewed, acknowledge it above the statement with \`${first.file.endsWith('.py') ? '#' : '--'} pg-migrate:allow ${first.rule} reason: <why it is safe>\`; fail-on-risk sets the threshold.`,
      details: blocked.slice(1).map((f) => `${f.file}:${f.line} ${f.message} (${f.rule}, ${f.risk})`)
    }
  )
  return { failOnRisk, blocked, error }
}
