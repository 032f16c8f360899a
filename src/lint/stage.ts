import type { EngineContext, EngineName, PendingRevision } from '../engines/engine.js'
import type { StageRecord } from '../report/model.js'
import { readVectorServer, type VectorServer } from '../vector/server.js'
import { pgCatalogReader } from './catalog.js'
import { gate, isBlocking, type GateResult } from './gate.js'
import type { lintPending, LintResult } from './lint.js'
import { plural } from '../report/markdown.js'

/**
 * The lint stage as the pipeline calls it: lint the pending SQL (rendered once by the engine's plan,
 * which plan output and apply reuse) against the live catalog, and apply the `fail-on-risk` gate.
 */
export interface LintStageInput {
  engine: EngineName
  ctx: EngineContext
  /** Every pending revision with its SQL. */
  rendered: PendingRevision[]
  /** `downgrade`: the SQL is the down steps of mode: downgrade. */
  direction?: 'upgrade' | 'downgrade'
}

export interface LintStageOutcome {
  result: LintResult
  gate: GateResult
  /** Connected lint of a pending set: the server's pgvector and index build settings. */
  server?: VectorServer
}

export async function runLintStage({ engine, ctx, rendered, direction }: LintStageInput): Promise<LintStageOutcome> {
  // What lintPending finds in an empty pending set, without loading the rules.
  const nothingToLint: LintResult = { findings: [], maxRisk: 'none', revisions: 0, statements: 0 }
  const server = rendered.length === 0 ? undefined : await readVectorServer(ctx.client, ctx.settings)
  const result = server ? await lint(rendered, { engine, lockTimeout: ctx.settings.lockTimeout, catalog: pgCatalogReader(ctx.client), direction, server }) : nothingToLint
  return { result, gate: gate(result, ctx.settings.failOnRisk), server }
}

/** The rules are a bundle chunk of their own: a run with nothing pending (the most common one) does not load them. */
async function lint(...args: Parameters<typeof lintPending>): Promise<LintResult> {
  const { lintPending } = await import('./lint.js')
  return lintPending(...args)
}

export function describeLintStage({ result, gate }: Pick<LintStageOutcome, 'result' | 'gate'>): Pick<StageRecord, 'status' | 'summary'> {
  if (result.findings.length === 0) return { status: 'ok', summary: `no findings in ${plural(result.statements, 'statement')}` }
  const acknowledged = result.findings.filter((f) => f.acknowledged).length
  return {
    // Like the headline: low-risk findings alone (new tables) are listed, not flagged.
    status: result.maxRisk === 'low' ? 'ok' : 'warning',
    summary: `${plural(result.findings.length, 'finding')}, highest risk ${result.maxRisk}${acknowledged ? `, ${acknowledged} acknowledged` : ''}; fail-on-risk ${gate.failOnRisk}: ${gate.blocked.length === 0 ? 'nothing blocked' : `${gate.blocked.length} blocked`}`
  }
}

/** The `findings` output. */
export function findingsJson({ result, gate }: Pick<LintStageOutcome, 'result' | 'gate'>): string {
  return JSON.stringify(
    result.findings.map((f) => ({
      rule: f.rule,
      risk: f.risk,
      revision: f.revision,
      file: f.file,
      line: f.line,
      message: f.message,
      table: f.table ?? null,
      acknowledged: f.acknowledged ? f.acknowledged.reason : null,
      blocked: isBlocking(f, gate.failOnRisk)
    }))
  )
}

export interface LintAnnotation {
  level: 'error' | 'warning' | 'notice'
  title: string
  message: string
  file: string
  line: number
}

const LEVEL_ORDER = { error: 0, warning: 1, notice: 2 } as const

/**
 * One annotation per finding, most important first: `error` at or above the threshold, `warning`
 * below; low-risk findings (a new table) are `notice`s, so they neither alarm nor crowd out the rest.
 */
export function lintAnnotations({ result, gate }: Pick<LintStageOutcome, 'result' | 'gate'>): LintAnnotation[] {
  return result.findings
    .map((f): LintAnnotation => ({
      level: isBlocking(f, gate.failOnRisk) ? 'error' : f.risk === 'low' ? 'notice' : 'warning',
      title: `Risk lint: ${f.rule} (${f.risk})${f.acknowledged ? ' — acknowledged' : ''}`,
      message: [f.message, f.table, `Safer: ${f.saferWay}`, f.acknowledged ? `Acknowledged: ${f.acknowledged.reason}` : ''].filter(Boolean).join('\n'),
      file: f.file,
      line: f.line
    }))
    .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level])
}
