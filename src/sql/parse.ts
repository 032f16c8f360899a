import type { Node, ParseResult } from 'libpg-query'
import { setFlagsFromString } from 'node:v8'
import { codePointOffsetToIndex } from './error-position.js'

/**
 * SQL analysis on the real PostgreSQL grammar (libpg-query, compiled to WASM). Splitting and the
 * no-transaction detection must be right for dollar-quoted bodies, strings and comments that hold
 * semicolons, which only the server's own parser gets right. The risk lint builds on the same result.
 *
 * The parser is ~1.7 MB of WASM: it is loaded on first use (`loadSqlParser`), so a run with nothing
 * pending never pays for it.
 */

export interface NoTransactionReason {
  /** What the statement is, e.g. `CREATE INDEX CONCURRENTLY`. */
  what: string
  /** One sentence for the report. */
  reason: string
}

export type TransactionControl = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'prepared'

export interface SqlStatement {
  /** 0-based position in the file. */
  index: number
  /** The statement exactly as written, without its terminating semicolon. */
  text: string
  /** UTF-16 (JavaScript string) offsets into the parsed text: `text === source.slice(start, end)`. */
  start: number
  end: number
  /** UTF-8 byte offsets into the parsed text, as the parser reports them. */
  startByte: number
  endByte: number
  /** 1-based line and column (in characters) of the statement's first character in the parsed text. */
  line: number
  column: number
  /** The parse node's type, e.g. `IndexStmt`, `CreateFunctionStmt`. */
  kind: string
  /** The statement's parse tree (`{ IndexStmt: {...} }`). */
  node: Node
  /** Set when Postgres refuses to run this statement inside a transaction block. */
  noTransaction?: NoTransactionReason
  /** Set for BEGIN/COMMIT/ROLLBACK/SAVEPOINT/… statements. */
  transactionControl?: TransactionControl
}

export interface ParseOptions {
  /**
   * `server_version_num` of the target server. Some statements (ALTER TYPE … ADD VALUE) can run in a
   * transaction block only on newer servers. Defaults to "new enough for everything".
   */
  serverVersionNum?: number
  /**
   * Refuse a text of more statements (SqlTooLargeError), as soon as the parse gets there: every
   * statement's tree is kept, so memory grows with their number.
   */
  maxStatements?: number
}

export class SqlSyntaxError extends Error {
  /** UTF-16 offset into the parsed text. */
  readonly offset: number
  /** 1-based. */
  readonly line: number
  readonly column: number
  constructor(message: string, offset: number, line: number, column: number) {
    super(message)
    this.name = 'SqlSyntaxError'
    this.offset = offset
    this.line = line
    this.column = column
  }
}

/** A text of more statements than `ParseOptions.maxStatements`: a limit of the action, not an error in the SQL. */
export class SqlTooLargeError extends Error {
  /** 1-based line of the first statement past the limit. */
  readonly line: number
  constructor(
    readonly limit: number,
    line: number
  ) {
    super(`more than ${limit} statements`)
    this.name = 'SqlTooLargeError'
    this.line = line
  }
}

/** One token of PostgreSQL's lexer: a keyword, identifier, literal, comment or operator. */
export interface SqlToken {
  /** UTF-16 offsets into the scanned text: `token text === source.slice(start, end)`. */
  start: number
  end: number
  /** The lexer's token name, e.g. `SCONST` (any string literal, dollar-quoted too), `C_COMMENT`, `IDENT`; or `UNTERMINATED`. */
  kind: string
  /** Upper-case keyword (`PASSWORD`) for a keyword token, undefined otherwise. */
  keyword?: string
}

export interface SqlParser {
  /** Splits `source` into statements. Throws SqlSyntaxError on text the grammar rejects. */
  parse(source: string, options?: ParseOptions): SqlStatement[]
  /**
   * The lexer's tokens, also for text the grammar rejects. A string, quoted identifier, dollar quote
   * or block comment that is never closed is one last `UNTERMINATED` token to the end of the text.
   */
  scan(source: string): SqlToken[] | undefined
}

interface LibPgQuery {
  loadModule(): Promise<void>
  parseSync(query: string): ParseResult
  scanSync(query: string): { tokens: { start: number; end: number; tokenName: string; keywordName: string; text: string }[] }
}

/** The PostgreSQL major whose grammar libpg-query carries (its own major version; a unit test keeps them equal). */
export const PARSER_POSTGRES_MAJOR = 18

let parserPromise: Promise<SqlParser> | undefined

/** Loads the WASM parser once per process. */
export function loadSqlParser(): Promise<SqlParser> {
  parserPromise ??= (async () => {
    // V8's baseline WebAssembly compiler only. Optimizing libpg-query's code costs more than the parsing
    // itself: under Node 20 ~50 MB and half the CPU of planning 200 migrations; under Node 24 a peak of
    // ~640 MB and 0.4 s (bench/README.md). Node 24 ignores `--liftoff-only` set at run time but honours
    // these two, which the runner gives no other way to pass.
    setFlagsFromString('--no-wasm-tier-up')
    setFlagsFromString('--no-wasm-dynamic-tiering')
    // A dynamic import keeps the module (and its WASM) out of runs that never parse.
    const lib = (await import('libpg-query')) as unknown as LibPgQuery
    await lib.loadModule()
    return { parse: (source, options) => parseWith(lib, source, options ?? {}), scan: (source) => scanWith(lib, source) }
  })()
  parserPromise.catch(() => {
    parserPromise = undefined
  })
  return parserPromise
}

/** True once the parser was requested in this process (for tests of the lazy load). */
export function parserRequested(): boolean {
  return parserPromise !== undefined
}

function parseWith(lib: LibPgQuery, source: string, options: ParseOptions): SqlStatement[] {
  const offsets = new OffsetMap(source)
  // The parser rejects an empty string; a text of only whitespace has no statements either way.
  if (source.trim() === '') return []
  const result = parseTree(lib, source, offsets, options.maxStatements ?? Number.MAX_SAFE_INTEGER)
  const raw = result.stmts ?? []
  const statements: SqlStatement[] = []
  for (const [index, stmt] of raw.entries()) {
    // stmt_location is omitted (proto3 default) for a statement at byte 0, and stmt_len for the last
    // statement, which then runs to the end of the text.
    const startByte = stmt.stmt_location ?? 0
    const endByte = stmt.stmt_len ? startByte + stmt.stmt_len : offsets.byteLength
    const start = offsets.charIndex(startByte)
    const end = trimEndIndex(source, start, offsets.charIndex(endByte))
    const node = stmt.stmt as Node
    const kind = Object.keys(node)[0] ?? 'Unknown'
    const body = (node as Record<string, unknown>)[kind] as Record<string, unknown>
    const { line, column } = offsets.lineColumn(start)
    statements.push({
      index,
      text: source.slice(start, end),
      start,
      end,
      startByte,
      endByte: endByte - Buffer.byteLength(source.slice(end, offsets.charIndex(endByte)), 'utf8'),
      line,
      column,
      kind,
      node,
      noTransaction: noTransactionReason(kind, body ?? {}, options.serverVersionNum ?? Number.MAX_SAFE_INTEGER),
      transactionControl: transactionControl(kind, body ?? {})
    })
  }
  return statements
}

/**
 * A pending migration is parsed by the plan and again by the lint; the tree depends only on the text,
 * so the last trees are kept (by text) and each caller builds its own statements from them.
 */
const trees = new Map<string, ParseResult>()
const TREES_KEPT = 2000

function parseTree(lib: LibPgQuery, source: string, offsets: OffsetMap, maxStatements: number): ParseResult {
  const known = trees.get(source)
  const result = known ?? (source.length <= PIECE_CHARS ? parseWhole(lib, source, offsets) : parseInPieces(lib, source, offsets, maxStatements))
  checkCount(result.stmts ?? [], maxStatements, offsets)
  if (known) return known
  if (trees.size >= TREES_KEPT) trees.delete(trees.keys().next().value as string)
  trees.set(source, result)
  return result
}

function parseWhole(lib: LibPgQuery, source: string, offsets: OffsetMap): ParseResult {
  try {
    return lib.parseSync(source)
  } catch (error) {
    throw toSyntaxError(error, offsets)
  }
}

/**
 * A text longer than this is parsed in pieces of about this size, cut right after a `;` token. One
 * call for the whole text grows the parser's WASM heap with it (past 1 GB for 50 MB of SQL, where it
 * fails with "out of memory"), and that heap never shrinks.
 */
export const PIECE_CHARS = 256 * 1024

/**
 * The pieces' statements, their locations moved to the whole text, are the whole text's statements.
 * A window ending at a line end usually parses: a cut inside a string, dollar quote, quoted identifier
 * or block comment leaves it unterminated, and one inside a statement leaves that statement the last
 * one. The statements before the last are then the text's own (the tokens up to the last one's start
 * are the same, and an LR parser has reduced them), and the next piece starts where the last began.
 * A window that does not parse is cut right after its last `;` token instead (the lexer, slower, finds
 * it): an error before the end of such a piece is the text's own, and one "at end of input" (a `;`
 * inside BEGIN ATOMIC … END or a rule's action list) extends the piece to the next cut.
 */
function parseInPieces(lib: LibPgQuery, source: string, offsets: OffsetMap, maxStatements: number): ParseResult {
  const stmts: NonNullable<ParseResult['stmts']> = []
  let version: number | undefined
  let start = 0
  let startByte = 0
  while (start < source.length) {
    const piece = nextPiece(lib, source, start, offsets)
    version ??= piece.result.version
    for (const stmt of piece.result.stmts ?? []) {
      if (startByte > 0) shiftLocations(stmt.stmt, startByte)
      stmts.push({ ...stmt, stmt_location: (stmt.stmt_location ?? 0) + startByte })
    }
    checkCount(stmts, maxStatements, offsets)
    startByte += piece.bytes
    start = piece.end
  }
  return { version, stmts }
}

/** The tree's `location` fields (byte offsets; -1 for none) are offsets into the piece: moved to the whole text. */
function shiftLocations(node: unknown, by: number): void {
  if (Array.isArray(node)) {
    for (const item of node) shiftLocations(item, by)
  } else if (node !== null && typeof node === 'object') {
    const fields = node as Record<string, unknown>
    for (const key in fields) {
      const value = fields[key]
      if (key === 'location' && typeof value === 'number') {
        if (value >= 0) fields[key] = value + by
      } else if (typeof value === 'object') shiftLocations(value, by)
    }
  }
}

function checkCount(stmts: NonNullable<ParseResult['stmts']>, maxStatements: number, offsets: OffsetMap): void {
  if (stmts.length <= maxStatements) return
  const { line } = offsets.lineColumn(offsets.charIndex(stmts[maxStatements].stmt_location ?? 0))
  throw new SqlTooLargeError(maxStatements, line)
}

/** The statements from `start` to `end`, with `end` the next piece's start and `bytes` the UTF-8 length between them. */
function nextPiece(lib: LibPgQuery, source: string, start: number, offsets: OffsetMap): { result: ParseResult; end: number; bytes: number } {
  for (let size = PIECE_CHARS; source.length - start > size; size *= 2) {
    const lineEnd = source.lastIndexOf('\n', start + size - 1)
    const text = source.slice(start, lineEnd > start ? lineEnd + 1 : start + size)
    let result: ParseResult
    try {
      result = lib.parseSync(text)
    } catch {
      return cutPiece(lib, source, start, offsets)
    }
    const list = result.stmts ?? []
    // With one statement, the window may hold only part of it: a bigger one.
    if (list.length < 2) continue
    const lastByte = list[list.length - 1].stmt_location ?? 0
    return { result: { ...result, stmts: list.slice(0, -1) }, end: start + new OffsetMap(text).charIndex(lastByte), bytes: lastByte }
  }
  const rest = source.slice(start)
  return { result: parsePiece(lib, rest, start, offsets), end: source.length, bytes: Buffer.byteLength(rest, 'utf8') }
}

/** The piece from `start` to right after a `;` token, extended while it ends inside a statement. */
function cutPiece(lib: LibPgQuery, source: string, start: number, offsets: OffsetMap): { result: ParseResult; end: number; bytes: number } {
  for (let cut = nextCut(lib, source, start); ; cut = nextCut(lib, source, cut)) {
    const text = source.slice(start, cut)
    try {
      return { result: lib.parseSync(text), end: cut, bytes: Buffer.byteLength(text, 'utf8') }
    } catch (error) {
      const inPiece = toSyntaxError(error, new OffsetMap(text))
      if (cut === source.length || !/at end of input/.test(inPiece.message)) throw inWholeText(inPiece, start, offsets)
    }
  }
}

/** Parses a piece whose errors are the text's own. */
function parsePiece(lib: LibPgQuery, text: string, start: number, offsets: OffsetMap): ParseResult {
  try {
    return lib.parseSync(text)
  } catch (error) {
    throw inWholeText(toSyntaxError(error, new OffsetMap(text)), start, offsets)
  }
}

/** A piece's syntax error at its place in the whole text. */
function inWholeText(error: SqlSyntaxError, start: number, offsets: OffsetMap): SqlSyntaxError {
  const { line, column } = offsets.lineColumn(start + error.offset)
  return new SqlSyntaxError(error.message, start + error.offset, line, column)
}

/**
 * Where a piece starting at `start` can end: right after the last `;` token of the next PIECE_CHARS
 * characters (more when they hold none), or at the end of the text. The window's own end may cut a
 * token; the tokens before its last `;` are lexed as in the whole text.
 */
function nextCut(lib: LibPgQuery, source: string, start: number): number {
  for (let size = PIECE_CHARS; ; size *= 2) {
    if (source.length - start <= size) return source.length
    const tokens = scanWith(lib, source.slice(start, start + size)) ?? []
    for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i].kind === SEMICOLON) return start + tokens[i].end
  }
}

/** The lexer's name for `;`. */
const SEMICOLON = 'ASCII_59'

function scanWith(lib: LibPgQuery, source: string): SqlToken[] | undefined {
  let raw: ReturnType<LibPgQuery['scanSync']>['tokens']
  try {
    // The scanner's JSON does not escape control characters, so a tab inside a literal would break
    // it. A space has the same length in bytes and lexes the same outside literals.
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must be replaced
    raw = lib.scanSync(source.replace(/[\u0000-\u0009\u000b-\u001f]/g, ' ')).tokens
  } catch {
    return scanUnterminated(lib, source)
  }
  const offsets = new OffsetMap(source)
  return raw.map((t) => ({
    start: offsets.charIndex(t.start),
    end: offsets.charIndex(t.end),
    kind: t.tokenName,
    keyword: t.keywordName === 'NO_KEYWORD' ? undefined : t.text.toUpperCase()
  }))
}

/**
 * The scanner only says that it failed; the parser says where: at a literal or comment that is never
 * closed, which, as the lexer reads it, runs to the end of the text.
 */
function scanUnterminated(lib: LibPgQuery, source: string): SqlToken[] | undefined {
  let start: number | undefined
  try {
    lib.parseSync(source)
  } catch (error) {
    const syntaxError = toSyntaxError(error, new OffsetMap(source))
    if (/^unterminated/.test(syntaxError.message)) start = syntaxError.offset
  }
  if (start === undefined || start >= source.length) return undefined
  const before = start > 0 ? scanWith(lib, source.slice(0, start)) : []
  return before && [...before, { start, end: source.length, kind: 'UNTERMINATED' }]
}

function toSyntaxError(error: unknown, offsets: OffsetMap): SqlSyntaxError {
  const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails
  const message = details?.message ?? (error instanceof Error ? error.message : String(error))
  // cursorPosition is a 0-based count of characters (code points), unlike the statement locations.
  const offset = codePointOffsetToIndex(offsets.source, Math.max(0, details?.cursorPosition ?? 0))
  const { line, column } = offsets.lineColumn(offset)
  return new SqlSyntaxError(message, offset, line, column)
}

/** Drops trailing whitespace so a last statement without a semicolon does not carry the file's newline. */
function trimEndIndex(source: string, start: number, end: number): number {
  let i = end
  while (i > start && /\s/.test(source[i - 1])) i--
  return i
}

type Body = Record<string, unknown>

/**
 * Statements Postgres refuses inside a transaction block ("… cannot run inside a transaction block").
 * From the server's PreventInTransactionBlock callers.
 */
export function noTransactionReason(kind: string, body: Body, serverVersionNum: number): NoTransactionReason | undefined {
  const because = (what: string): NoTransactionReason => ({ what, reason: `${what} cannot run inside a transaction block` })
  switch (kind) {
    case 'IndexStmt':
      return body.concurrent ? because('CREATE INDEX CONCURRENTLY') : undefined
    case 'DropStmt':
      return body.concurrent ? because('DROP INDEX CONCURRENTLY') : undefined
    case 'ReindexStmt': {
      if (defElemTrue(body.params, 'concurrently')) return because('REINDEX … CONCURRENTLY')
      if (body.kind === 'REINDEX_OBJECT_SYSTEM') return because('REINDEX SYSTEM')
      if (body.kind === 'REINDEX_OBJECT_DATABASE') return because('REINDEX DATABASE')
      return undefined
    }
    case 'VacuumStmt':
      // ANALYZE shares the node and may run in a transaction; VACUUM may not.
      return body.is_vacuumcmd ? because('VACUUM') : undefined
    case 'ClusterStmt':
      return body.relation ? undefined : because('CLUSTER without a table name')
    case 'AlterSystemStmt':
      return because('ALTER SYSTEM')
    case 'CreatedbStmt':
      return because('CREATE DATABASE')
    case 'DropdbStmt':
      return because('DROP DATABASE')
    case 'AlterDatabaseStmt':
      return hasDefElem(body.options, 'tablespace') ? because('ALTER DATABASE … SET TABLESPACE') : undefined
    case 'CreateTableSpaceStmt':
      return because('CREATE TABLESPACE')
    case 'DropTableSpaceStmt':
      return because('DROP TABLESPACE')
    case 'CreateSubscriptionStmt':
      return defElemFalse(body.options, 'connect') || defElemFalse(body.options, 'create_slot') ? undefined : because('CREATE SUBSCRIPTION (creating a replication slot)')
    case 'DropSubscriptionStmt':
      return because('DROP SUBSCRIPTION')
    case 'AlterSubscriptionStmt': {
      const refreshing = ['ALTER_SUBSCRIPTION_SET_PUBLICATION', 'ALTER_SUBSCRIPTION_ADD_PUBLICATION', 'ALTER_SUBSCRIPTION_DROP_PUBLICATION']
      if (body.kind === 'ALTER_SUBSCRIPTION_REFRESH') return because('ALTER SUBSCRIPTION … REFRESH PUBLICATION')
      if (refreshing.includes(String(body.kind)) && !defElemFalse(body.options, 'refresh')) {
        return because('ALTER SUBSCRIPTION … PUBLICATION (with refresh)')
      }
      return undefined
    }
    case 'AlterTableStmt':
      return detachesConcurrently(body) ? because('ALTER TABLE … DETACH PARTITION … CONCURRENTLY') : undefined
    case 'AlterEnumStmt':
      // PostgreSQL 12 lifted the restriction; the new value still cannot be used in the same transaction.
      return body.newVal !== undefined && body.oldVal === undefined && serverVersionNum < 120000
        ? {
            what: 'ALTER TYPE … ADD VALUE',
            reason: 'ALTER TYPE … ADD VALUE cannot run inside a transaction block on PostgreSQL 11 and older'
          }
        : undefined
    case 'TransactionStmt':
      return body.kind === 'TRANS_STMT_COMMIT_PREPARED' || body.kind === 'TRANS_STMT_ROLLBACK_PREPARED'
        ? because(body.kind === 'TRANS_STMT_COMMIT_PREPARED' ? 'COMMIT PREPARED' : 'ROLLBACK PREPARED')
        : undefined
    default:
      return undefined
  }
}

function transactionControl(kind: string, body: Body): TransactionControl | undefined {
  if (kind !== 'TransactionStmt') return undefined
  switch (body.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return 'begin'
    case 'TRANS_STMT_COMMIT':
      return 'commit'
    case 'TRANS_STMT_ROLLBACK':
      return 'rollback'
    case 'TRANS_STMT_SAVEPOINT':
    case 'TRANS_STMT_RELEASE':
    case 'TRANS_STMT_ROLLBACK_TO':
      return 'savepoint'
    default:
      return 'prepared'
  }
}

function defElems(list: unknown): Body[] {
  if (!Array.isArray(list)) return []
  return list.map((item) => (item as { DefElem?: Body }).DefElem).filter((d): d is Body => d !== undefined)
}

function hasDefElem(list: unknown, name: string): boolean {
  return defElems(list).some((d) => String(d.defname).toLowerCase() === name)
}

/** `(CONCURRENTLY)` or `(CONCURRENTLY true)`; a DefElem without an argument means true. */
export function defElemTrue(list: unknown, name: string): boolean {
  const elem = defElems(list).find((d) => String(d.defname).toLowerCase() === name)
  if (!elem) return false
  return elem.arg === undefined || booleanArg(elem.arg) !== false
}

function defElemFalse(list: unknown, name: string): boolean {
  const elem = defElems(list).find((d) => String(d.defname).toLowerCase() === name)
  return elem !== undefined && elem.arg !== undefined && booleanArg(elem.arg) === false
}

function booleanArg(arg: unknown): boolean | undefined {
  const a = arg as { Boolean?: { boolval?: boolean }; String?: { sval?: string }; A_Const?: Body; Integer?: { ival?: number } }
  if (a.Boolean) return a.Boolean.boolval === true
  if (a.Integer) return (a.Integer.ival ?? 0) !== 0
  const text = a.String?.sval ?? (a.A_Const?.sval as { sval?: string } | undefined)?.sval
  if (text !== undefined) return !['false', 'off', 'no', '0'].includes(text.toLowerCase())
  if (a.A_Const?.boolval) return (a.A_Const.boolval as { boolval?: boolean }).boolval === true
  return undefined
}

function detachesConcurrently(body: Body): boolean {
  const cmds = Array.isArray(body.cmds) ? body.cmds : []
  return cmds.some((c) => {
    const cmd = (c as { AlterTableCmd?: Body }).AlterTableCmd
    if (cmd?.subtype !== 'AT_DetachPartition') return false
    const def = cmd.def as { PartitionCmd?: Body } | undefined
    return def?.PartitionCmd?.concurrent === true
  })
}

/**
 * Converts between the parser's UTF-8 byte offsets, JavaScript's UTF-16 indexes and 1-based
 * line/column. Offsets arrive in increasing order, so conversion walks forward from the last one.
 */
export class OffsetMap {
  readonly byteLength: number
  private readonly lineStarts: number[]
  private cursorChar = 0
  private cursorByte = 0

  constructor(readonly source: string) {
    this.byteLength = Buffer.byteLength(source, 'utf8')
    this.lineStarts = [0]
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.lineStarts.push(i + 1)
  }

  /** UTF-16 index of a UTF-8 byte offset. */
  charIndex(byteOffset: number): number {
    if (byteOffset < this.cursorByte) {
      this.cursorByte = 0
      this.cursorChar = 0
    }
    while (this.cursorByte < byteOffset && this.cursorChar < this.source.length) {
      const code = this.source.codePointAt(this.cursorChar)!
      this.cursorByte += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
      this.cursorChar += code >= 0x10000 ? 2 : 1
    }
    return this.cursorChar
  }

  /** 1-based line and column; the column counts characters (code points), as Postgres does. */
  lineColumn(charIndex: number): { line: number; column: number } {
    let low = 0
    let high = this.lineStarts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (this.lineStarts[mid] <= charIndex) low = mid
      else high = mid - 1
    }
    const column = [...this.source.slice(this.lineStarts[low], charIndex)].length + 1
    return { line: low + 1, column }
  }
}
