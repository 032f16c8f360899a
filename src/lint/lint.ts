import { readFileSync } from 'node:fs'
import type { EngineName, PendingRevision } from '../engines/engine.js'
import { loadSqlParser, SqlSyntaxError, type SqlParser, type SqlStatement, type SqlToken } from '../sql/parse.js'
import { readAcknowledgements, type Acknowledgement } from './acknowledgements.js'
import { listUpgradeCalls, mapStatementsToCalls } from './alembic-ops.js'
import { firstLine, list, nodeOf, type Body } from './ast.js'
import { RULES, ruleById, type RuleId } from './registry.js'
import { riskRank, type Hit, type Risk, type RiskThreshold, type RuleDefinition } from './rule.js'
import { referencedTables, SchemaModel, type CatalogReader } from './schema-model.js'
import type { VectorServer } from '../vector/server.js'
import { vectorBuilds, type VectorBuild } from './vector-index.js'

/**
 * The lint stage: every pending revision's SQL, statement by statement, through every rule, in
 * the order the revisions will run (so "existing" means: not created earlier in the pending set).
 * Pure apart from the optional live catalog and reading Alembic revision files for line numbers.
 */

export interface Finding {
  rule: RuleId
  risk: Risk
  revision: string
  /** The migration file, relative to the working directory. */
  file: string
  line: number
  /** What this statement does, e.g. "drops table documents". */
  message: string
  saferWay: string
  /** The statement's first line. */
  statement?: string
  /** From the live catalog: "table chunks: ~1.2 M rows, 3.4 GB". */
  table?: string
  /** Why the line is approximate (Alembic revisions whose op. calls could not be matched). */
  lineNote?: string
  acknowledged?: { reason: string; line: number }
}

export interface LintResult {
  findings: Finding[]
  /** Highest risk of any finding, acknowledged or not. */
  maxRisk: RiskThreshold
  revisions: number
  statements: number
  /** Connected lint: the pending HNSW and IVFFlat builds on existing tables, with their memory estimates (for maintenance-work-mem: auto). */
  vectorBuilds?: (Omit<VectorBuild, 'session'> & { revision: string; file: string; line: number })[]
}

export interface LintOptions {
  engine: EngineName
  /** The `lock-timeout` input: some rules depend on it. */
  lockTimeout?: string
  /** Connected lint: table sizes, rows and current column types. */
  catalog?: CatalogReader
  /** Connected lint: the server's pgvector and index build settings (src/vector/server.ts). */
  server?: VectorServer
  /** Reads an Alembic revision file (for op. call lines and `# pg-migrate:allow`); defaults to the file system. */
  readSource?: (file: string) => string | undefined
}

/** Rules indexed by the statement kinds they check, so each statement only meets its own rules. */
const RULES_BY_KIND = new Map<string, RuleDefinition<RuleId>[]>()
for (const rule of RULES) for (const kind of rule.appliesTo ?? []) RULES_BY_KIND.set(kind, [...(RULES_BY_KIND.get(kind) ?? []), rule as RuleDefinition<RuleId>])

interface RevisionStatements {
  pending: PendingRevision
  statements: SqlStatement[]
  /** File line of each statement, and a note when it is approximate. */
  lines: { line: number; note?: string }[]
  acknowledgements: Acknowledgement[]
  /** Acknowledgements for the whole file. */
  fileWide: Acknowledgement[]
  /** Findings raised before the rules run: syntax errors, invalid acknowledgements, not linted. */
  findings: Finding[]
}

export async function lintPending(pending: PendingRevision[], options: LintOptions): Promise<LintResult> {
  const parser = pending.some((p) => p.sql !== undefined) ? await loadSqlParser() : undefined
  const prepared = await Promise.all(pending.map((p) => prepareRevision(p, parser, options)))
  const catalog = options.catalog ? await options.catalog.describeTables(referencedTables(prepared.flatMap((r) => r.statements))) : undefined
  const schema = new SchemaModel(catalog)
  const findings: Finding[] = []
  const builds: LintResult['vectorBuilds'] = []
  for (const revision of prepared) {
    findings.push(...lintRevision(revision, schema, options))
    if (!options.server) continue
    const { id, file } = revision.pending.revision
    for (const { session: _session, ...build } of vectorBuilds(revision.statements, schema, options.server)) {
      builds.push({ ...build, revision: id, file, line: revision.lines[build.statementIndex].line })
    }
  }
  return {
    ...(options.server ? { vectorBuilds: builds } : {}),
    findings,
    maxRisk: findings.reduce<RiskThreshold>((max, f) => (max === 'none' || riskRank(f.risk) > riskRank(max) ? f.risk : max), 'none'),
    revisions: pending.length,
    statements: prepared.reduce((n, r) => n + r.statements.length, 0)
  }
}

function lintRevision(revision: RevisionStatements, schema: SchemaModel, options: LintOptions): Finding[] {
  const { pending, statements, lines } = revision
  const findings = [...revision.findings]
  const finding = (ruleId: RuleId, hit: Hit, index: number): Finding => {
    const rule = ruleById(ruleId)!
    return {
      rule: ruleId,
      risk: hit.risk ?? rule.risk,
      revision: pending.revision.id,
      file: pending.revision.file,
      line: lines[index].line,
      message: hit.message,
      saferWay: rule.saferWay,
      statement: firstLine(statements[index].text),
      table: hit.table ? schema.describe(hit.table) : undefined,
      lineNote: lines[index].note
    }
  }
  for (const [index, statement] of statements.entries()) {
    const body = (statement.node as unknown as Record<string, Body>)[statement.kind] ?? {}
    for (const rule of RULES_BY_KIND.get(statement.kind) ?? []) {
      if (!rule.check) continue
      for (const hit of rule.check({ statement, body, schema, engine: options.engine, server: options.server })) findings.push(finding(rule.id, hit, index))
    }
    schema.apply(statement)
  }
  for (const rule of RULES) {
    if (!rule.checkRevision) continue
    for (const hit of rule.checkRevision({ statements, schema, engine: options.engine, lockTimeout: options.lockTimeout, server: options.server }))
      findings.push(finding(rule.id, hit, hit.statementIndex))
  }
  return findings.map((f) => acknowledge(f, revision)).sort((a, b) => a.line - b.line)
}

function acknowledge(finding: Finding, revision: RevisionStatements): Finding {
  const covers = (a: Acknowledgement): boolean => a.rules.includes(finding.rule)
  const fileWide = revision.fileWide.find(covers)
  // A statement-level acknowledgement covers the first statement after it.
  const statementLevel = revision.acknowledgements.find((a) => covers(a) && !finding.lineNote && nextStatementLine(revision, a.line) === finding.line)
  const by = statementLevel ?? fileWide
  return by ? { ...finding, acknowledged: { reason: by.reason, line: by.line } } : finding
}

function nextStatementLine(revision: RevisionStatements, after: number): number | undefined {
  const later = revision.lines.filter((l) => !l.note && l.line > after).map((l) => l.line)
  return later.length > 0 ? Math.min(...later) : undefined
}

async function prepareRevision(pending: PendingRevision, parser: SqlParser | undefined, options: LintOptions): Promise<RevisionStatements> {
  const { revision } = pending
  const result: RevisionStatements = { pending, statements: [], lines: [], acknowledgements: [], fileWide: [], findings: [] }
  const meta = (rule: RuleId, line: number, message: string): Finding => ({
    rule,
    risk: ruleById(rule)!.risk,
    revision: revision.id,
    file: revision.file,
    line,
    message,
    saferWay: ruleById(rule)!.saferWay
  })
  if (pending.sql === undefined || !parser) {
    const why = pending.notes.find((n) => /no SQL|no section/i.test(n)) ?? pending.notes[0] ?? 'no SQL was produced for it'
    result.findings.push(meta('not-linted', revision.line ?? 1, `not linted: ${why}`))
    const source = options.engine === 'alembic' ? (options.readSource ?? readSourceFile)(revision.file) : undefined
    if (source !== undefined) readFileAcknowledgements(result, source.split(/\r?\n/), 1, listUpgradeCalls(source)?.line ?? Number.MAX_SAFE_INTEGER, meta)
    return result
  }
  const split = await splitStatements(parser, pending.sql)
  const sqlLine = pending.sqlLine ?? 1
  if (options.engine === 'alembic') {
    const source = (options.readSource ?? readSourceFile)(revision.file)
    const statements = split.statements.filter((s) => !isAlembicBookkeeping(s))
    const upgrade = source === undefined ? undefined : listUpgradeCalls(source)
    const calls = upgrade
      ? mapStatementsToCalls(
          statements.map((s) => s.kind),
          upgrade.calls
        )
      : []
    const fallback = upgrade?.line ?? revision.line ?? 1
    const why = upgrade
      ? `no op. call of upgrade() matched this statement; line ${fallback} is upgrade()`
      : `the op. calls of ${revision.file} could not be listed; line ${fallback} is the revision`
    result.statements = statements
    result.lines = statements.map((_, i) => (calls[i] ? { line: calls[i]!.line } : { line: fallback, note: why }))
    for (const error of split.errors) result.findings.push(meta('syntax-error', fallback, `Alembic's offline SQL does not parse: ${error.message}`))
    if (source !== undefined) readFileAcknowledgements(result, source.split(/\r?\n/), 1, upgrade?.line ?? Number.MAX_SAFE_INTEGER, meta)
    return result
  }
  const statements = split.statements
  result.statements = statements
  result.lines = statements.map((s) => ({ line: sqlLine + s.line - 1 }))
  for (const error of split.errors) result.findings.push(meta('syntax-error', sqlLine + error.line - 1, `does not parse: ${error.message}`))
  const firstStatementLine = result.lines[0]?.line ?? Number.MAX_SAFE_INTEGER
  const lines = pending.sql.split('\n')
  readFileAcknowledgements(result, lines, sqlLine, firstStatementLine, meta, insideLiteral(parser, pending.sql, lines))
  return result
}

/**
 * Whether a position (line index, column) of `text` lies inside a string, dollar-quoted body or block
 * comment, as PostgreSQL's lexer reads it. The text is scanned on the first question only: most files
 * hold no acknowledgement at all.
 */
function insideLiteral(parser: SqlParser, text: string, lines: string[]): (index: number, column: number) => boolean {
  let tokens: SqlToken[] | undefined
  let lineStarts: number[] | undefined
  return (index, column) => {
    tokens ??= parser.scan(text) ?? []
    if (!lineStarts) {
      lineStarts = [0]
      for (const line of lines) lineStarts.push(lineStarts[lineStarts.length - 1] + line.length + 1)
    }
    const offset = lineStarts[index] + column
    return tokens.some((t) => t.start < offset && offset < t.end)
  }
}

function readFileAcknowledgements(
  result: RevisionStatements,
  lines: string[],
  firstLine: number,
  fileWideBefore: number,
  meta: (rule: RuleId, line: number, message: string) => Finding,
  isText?: (index: number, column: number) => boolean
): void {
  const { acknowledgements, problems } = readAcknowledgements(lines, firstLine, isText)
  for (const problem of problems) result.findings.push(meta('invalid-acknowledgement', problem.line, problem.message))
  for (const a of acknowledgements) (a.line < fileWideBefore ? result.fileWide : result.acknowledgements).push(a)
}

function readSourceFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** Alembic's writes to its version table and its transaction framing are not the revision's own. */
function isAlembicBookkeeping(statement: SqlStatement): boolean {
  if (statement.transactionControl) return true
  const body = (statement.node as unknown as Record<string, Body>)[statement.kind] ?? {}
  const touchesVersion = (value: unknown): boolean => JSON.stringify(value ?? null).includes('"version_num"')
  if (statement.kind === 'InsertStmt') return list(body.cols).some((c) => nodeOf(c, 'ResTarget')?.name === 'version_num')
  if (statement.kind === 'UpdateStmt') return list(body.targetList).some((c) => nodeOf(c, 'ResTarget')?.name === 'version_num')
  // Merges and downgrades delete version rows: DELETE FROM alembic_version WHERE alembic_version.version_num = '…'.
  if (statement.kind === 'DeleteStmt') return touchesVersion(body.whereClause)
  return false
}

interface SplitResult {
  statements: SqlStatement[]
  errors: { line: number; message: string }[]
}

/**
 * Parses the whole text; when that fails, parses it statement by statement (split at the scanner's
 * semicolons) so one broken statement is a finding and the others are still linted.
 */
async function splitStatements(parser: SqlParser, text: string): Promise<SplitResult> {
  try {
    return { statements: parser.parse(text), errors: [] }
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error
  }
  const lib = (await import('libpg-query')) as unknown as { scanSync(sql: string): { tokens: { start: number; end: number; text: string }[] } }
  const bytes = Buffer.from(text, 'utf8')
  const cuts = [0]
  try {
    for (const token of lib.scanSync(text).tokens) if (token.text === ';') cuts.push(token.end)
  } catch {
    // The scanner failed too (an unterminated string): the text is one piece.
  }
  cuts.push(bytes.length)
  const result: SplitResult = { statements: [], errors: [] }
  for (let i = 0; i + 1 < cuts.length; i++) {
    const before = bytes.subarray(0, cuts[i]).toString('utf8')
    const piece = bytes.subarray(cuts[i], cuts[i + 1]).toString('utf8')
    const lineOffset = before.split('\n').length - 1
    try {
      for (const s of parser.parse(piece)) result.statements.push({ ...s, index: result.statements.length, line: s.line + lineOffset })
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error
      result.errors.push({ line: error.line + lineOffset, message: error.message })
    }
  }
  return result
}
