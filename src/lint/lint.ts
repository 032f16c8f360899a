import { readFileSync } from 'node:fs'
import type { EngineName, PendingRevision } from '../engines/engine.js'
import { loadSqlParser, PARSER_POSTGRES_MAJOR, SqlSyntaxError, type SqlParser, type SqlStatement, type SqlToken } from '../sql/parse.js'
import { readAcknowledgements, type Acknowledgement } from './acknowledgements.js'
import { listUpgradeCalls, mapStatementsToCalls } from './alembic-ops.js'
import path from 'node:path'
import { plural } from '../report/markdown.js'
import { redact } from '../redact.js'
import { firstLine, list, nodeOf, relationOf, tableKey, type Body } from './ast.js'
import { RULES, ruleById, type RuleId } from './registry.js'
import { riskRank, type Hit, type Risk, type RiskThreshold, type RuleDefinition } from './rule.js'
import { catalogRequest, SchemaModel, type CatalogReader, type SyntaxRejection, type Verdict } from './schema-model.js'
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
  /** Connected lint: which objects exist, table sizes, rows and current column types, the server's own parser. */
  catalog?: CatalogReader
  /** `downgrade`: the SQL is Alembic's downgrade() (mode: downgrade), whose op. calls give the lines. */
  direction?: 'upgrade' | 'downgrade'
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
  /** Statement index → why the target server's parser rejects it. */
  serverRejects: Map<number, string>
  /** What of the revision the lint could not read (its SQL, a statement that does not parse): it may create anything. */
  unread?: string
  /** A finding of the lint's own on this revision. */
  meta: (rule: RuleId, line: number, message: string) => Finding
}

export async function lintPending(pending: PendingRevision[], options: LintOptions): Promise<LintResult> {
  const parser = pending.some((p) => p.sql !== undefined) ? await loadSqlParser() : undefined
  const prepared = await Promise.all(pending.map((p) => prepareRevision(p, parser, options)))
  addNotLintedFindings(prepared)
  const schema = await readSchema(prepared, options)
  await addServerSyntaxFindings(prepared, schema, options)
  const findings: Finding[] = []
  const builds: LintResult['vectorBuilds'] = []
  for (const revision of prepared) {
    if (revision.unread) schema.markUnread(revision.pending.revision.id, revision.unread)
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

/** The live catalog for every object the pending statements name; without it (not connected, or the read failed) every verdict is "could not check". */
async function readSchema(prepared: RevisionStatements[], options: LintOptions): Promise<SchemaModel> {
  if (!options.catalog) return new SchemaModel()
  try {
    return new SchemaModel(await options.catalog.read(catalogRequest(prepared.flatMap((r) => r.statements))))
  } catch (error) {
    return new SchemaModel(undefined, `the catalog could not be read: ${redact(error instanceof Error ? error.message : String(error))}`)
  }
}

/**
 * The lint's parser may know newer syntax than the target server (it carries the grammar of
 * PostgreSQL PARSER_POSTGRES_MAJOR): the server parses every statement too (without running it), and
 * a statement it rejects is a finding that names its version, instead of a failure at apply.
 */
async function addServerSyntaxFindings(prepared: RevisionStatements[], schema: SchemaModel, options: LintOptions): Promise<void> {
  if (!options.catalog?.rejectedSyntax || schema.serverVersion === undefined) return
  const all = prepared.flatMap((revision) => revision.statements.map((statement, index) => ({ revision, statement, index })))
  if (all.length === 0) return
  let rejected: SyntaxRejection[]
  try {
    rejected = await options.catalog.rejectedSyntax(all.map(({ statement }) => ({ text: statement.text, kind: statement.kind })))
  } catch {
    // The server could not be asked: its apply will say.
    return
  }
  const version = schema.serverVersion
  const major = Number.parseInt(version, 10)
  for (const { index, message } of rejected) {
    const { revision, index: statementIndex } = all[index]
    const newer = Number.isFinite(major) && major < PARSER_POSTGRES_MAJOR
    revision.serverRejects.set(
      statementIndex,
      `the target server, PostgreSQL ${version}, rejects this statement: ${redact(message)}` +
        (newer
          ? `; the lint's parser (PostgreSQL ${PARSER_POSTGRES_MAJOR}) accepts it: it uses syntax newer than PostgreSQL ${major}, so it fails at apply`
          : '; it fails at apply')
    )
  }
}

/**
 * One fact once: when offline SQL generation stopped, one not-linted finding on the revision where
 * it stopped names the stop, why, how many revisions after it are unlinted and the command that
 * writes their SQL, instead of one identical finding per revision.
 */
function addNotLintedFindings(prepared: RevisionStatements[]): void {
  const groups = new Map<string, RevisionStatements[]>()
  for (const revision of prepared) {
    const stop = revision.pending.offlineStop
    if (revision.pending.sql !== undefined || !stop) continue
    const key = `${stop.revision ?? ''}\n${stop.rerun}`
    groups.set(key, [...(groups.get(key) ?? []), revision])
  }
  for (const group of groups.values()) {
    const stop = group[0].pending.offlineStop!
    const at = group.find((r) => r.pending.revision.id === stop.revision) ?? group[0]
    const later = group.filter((r) => r !== at).map((r) => r.pending.revision.id)
    const where = stop.file ? ` (${stop.file}${stop.line ? `:${stop.line}` : ''})` : ''
    const stoppedAt =
      at.pending.revision.id === stop.revision
        ? `Alembic's offline SQL generation stopped at this revision${where}`
        : `Alembic's offline SQL generation stopped ${stop.revision ? `at ${stop.revision}` : 'before the first revision'}${where}`
    const rest =
      later.length === 0
        ? 'no later pending revision is affected'
        : `${plural(later.length, 'later pending revision')} ${later.length === 1 ? 'is' : 'are'} not linted either (${listSome(later)}); \`${stop.rerun}\` writes the SQL of the revisions after it to review`
    const line = stop.line !== undefined && stop.file !== undefined && sameFile(stop.file, at.pending.revision.file) ? stop.line : (at.pending.revision.line ?? 1)
    at.findings.push(at.meta('not-linted', line, `not linted: ${stoppedAt}: ${stop.message}${stop.reason ? `; ${stop.reason}` : ''}; ${rest}`))
  }
}

function listSome(ids: string[], shown = 5): string {
  return ids.length <= shown ? ids.join(', ') : `${ids.slice(0, shown).join(', ')} and ${ids.length - shown} more`
}

function sameFile(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b)
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
      table: hit.facts ?? (hit.table ? schema.describe(hit.table) : undefined),
      lineNote: lines[index].note
    }
  }
  const verdicts: (Verdict | undefined)[] = []
  for (const [index, statement] of statements.entries()) {
    const body = (statement.node as unknown as Record<string, Body>)[statement.kind] ?? {}
    const rejected = revision.serverRejects.get(index)
    if (rejected) findings.push(finding('syntax-error', { message: rejected }, index))
    for (const rule of RULES_BY_KIND.get(statement.kind) ?? []) {
      if (!rule.check) continue
      for (const hit of rule.check({ statement, body, schema, engine: options.engine, server: options.server })) findings.push(finding(rule.id, hit, index))
    }
    const table = statementTable(statement.kind, body)
    verdicts.push(table === undefined ? undefined : schema.tableVerdict(table))
    schema.apply(statement, pending.revision.id)
  }
  for (const rule of RULES) {
    if (!rule.checkRevision) continue
    for (const hit of rule.checkRevision({
      statements,
      schema,
      verdicts,
      engine: options.engine,
      transactional: pending.transactional,
      lockTimeout: options.lockTimeout,
      server: options.server
    }))
      findings.push(finding(rule.id, hit, hit.statementIndex))
  }
  return findings.map((f) => acknowledge(f, revision)).sort((a, b) => a.line - b.line)
}

/** The table a statement locks first, for revision-wide rules (missing-lock-timeout). */
function statementTable(kind: string, body: Body): string | undefined {
  const ref = relationOf(body.relation) ?? (kind === 'TruncateStmt' || kind === 'LockStmt' ? relationOf(nodeOf(list(body.relations)[0], 'RangeVar')) : undefined)
  return ref && (kind !== 'AlterTableStmt' || body.objtype !== 'OBJECT_INDEX') && kind !== 'ReindexStmt' ? tableKey(ref) : undefined
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
  const meta = (rule: RuleId, line: number, message: string): Finding => ({
    rule,
    risk: ruleById(rule)!.risk,
    revision: revision.id,
    file: revision.file,
    line,
    message,
    saferWay: ruleById(rule)!.saferWay
  })
  const result: RevisionStatements = { pending, statements: [], lines: [], acknowledgements: [], fileWide: [], findings: [], serverRejects: new Map(), meta }
  if (pending.sql === undefined || !parser) {
    const why = pending.notes.find((n) => /no SQL|no section/i.test(n)) ?? pending.notes[0] ?? 'no SQL was produced for it'
    result.unread = 'it has no SQL'
    // A stop of offline generation is said once, for every revision it left without SQL (addNotLintedFindings).
    if (!pending.offlineStop) result.findings.push(meta('not-linted', revision.line ?? 1, `not linted: ${why}`))
    const source = options.engine === 'alembic' ? (options.readSource ?? readSourceFile)(revision.file) : undefined
    if (source !== undefined) {
      readFileAcknowledgements(result, source.split(/\r?\n/), 1, listUpgradeCalls(source, options.direction)?.line ?? Number.MAX_SAFE_INTEGER, meta)
      addSourceFindings(result, source)
    }
    return result
  }
  const split = await splitStatements(parser, pending.sql)
  const sqlLine = pending.sqlLine ?? 1
  if (options.engine === 'alembic') {
    const source = (options.readSource ?? readSourceFile)(revision.file)
    const statements = split.statements.filter((s) => !isAlembicBookkeeping(s))
    const upgrade = source === undefined ? undefined : listUpgradeCalls(source, options.direction)
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
    // op. calls that wrote no offline SQL (an `if context.is_offline_mode()` guard, dynamic SQL), or
    // code that wrote none at all: what they create in the database, the lint cannot see.
    const silent = upgrade?.calls.find((call) => !calls.includes(call))
    if (silent) result.unread = `op.${silent.name} at line ${silent.line} wrote no offline SQL`
    else if (statements.length === 0 && upgrade?.firstCodeLine !== undefined) result.unread = `upgrade() runs code from line ${upgrade.firstCodeLine} but wrote no offline SQL`
    for (const error of split.errors) result.findings.push(meta('syntax-error', fallback, `Alembic's offline SQL does not parse: ${error.message}`))
    if (split.errors.length > 0) result.unread = 'a statement that does not parse'
    if (source !== undefined) {
      readFileAcknowledgements(result, source.split(/\r?\n/), 1, upgrade?.line ?? Number.MAX_SAFE_INTEGER, meta)
      addSourceFindings(result, source)
    }
    return result
  }
  const statements = split.statements
  result.statements = statements
  result.lines = statements.map((s) => ({ line: sqlLine + s.line - 1 }))
  for (const error of split.errors) result.findings.push(meta('syntax-error', sqlLine + error.line - 1, `does not parse: ${error.message}`))
  if (split.errors.length > 0) result.unread = 'a statement that does not parse'
  const firstStatementLine = result.lines[0]?.line ?? Number.MAX_SAFE_INTEGER
  const lines = pending.sql.split('\n')
  readFileAcknowledgements(result, lines, sqlLine, firstStatementLine, meta, insideLiteral(parser, pending.sql, lines))
  return result
}

/** Rules that read the revision file itself (an Alembic revision's op calls, downgrade() included). */
function addSourceFindings(result: RevisionStatements, source: string): void {
  for (const rule of RULES) {
    if (!rule.checkSource) continue
    for (const hit of rule.checkSource({ source })) result.findings.push({ ...result.meta(rule.id, hit.line, hit.message), risk: hit.risk ?? rule.risk })
  }
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
