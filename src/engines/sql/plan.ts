import { ActionError } from '../../errors.js'
import { SqlSyntaxError, SqlTooLargeError, type SqlParser, type SqlStatement } from '../../sql/parse.js'
import { registerSqlSecrets } from '../../sql/secrets.js'
import { refusedInsideOwnTransaction, type TrappedStatement } from '../../sql/transaction-block.js'
import type { SqlMigration } from './files.js'
import type { HistoryEntry } from './history.js'

/**
 * How one migration file will run: its statements, and whether they run in one transaction (with
 * the history row) or one by one in autocommit. Shared by plan/lint (renderSql) and apply.
 */
export interface PlannedMigration {
  migration: SqlMigration
  /** The statements to send, in order (a wrapping BEGIN/COMMIT removed). */
  statements: SqlStatement[]
  transactional: boolean
  /** For a file wrapped in its own `BEGIN … COMMIT`: that BEGIN, so its options (isolation level) are kept. */
  begin?: string
  notes: string[]
  /** Set when the file cannot run as written; nothing of it is sent to the server. */
  invalid?: PlanError
}

export interface PlanError {
  message: string
  /** 1-based line and column in `migration.up.file`. */
  line: number
  column?: number
  hint: string
  sqlState?: string
}

/**
 * The most statements one migration may hold. The plan, the lint and the report keep every statement
 * with its parse tree, about 2 KB each (bench: 100,000 INSERTs peak at ~330 MB, 465,000 at ~1.2 GB),
 * so a larger file is refused before anything runs rather than exhaust the runner's memory.
 */
export const MAX_STATEMENTS = 100_000

/**
 * Also registers the file's password literals as secrets: planning comes before anything of a
 * pending file is shown (plan, lint, a failure excerpt).
 */
export function planMigration(parser: SqlParser, migration: SqlMigration, serverVersionNum: number): PlannedMigration {
  // The down section too: a failure excerpt near the end of the up section shows its first lines.
  for (const section of [migration.up, migration.down]) if (section) registerSqlSecrets(parser, section.text)
  let statements: SqlStatement[]
  try {
    statements = parser.parse(migration.up.text, { serverVersionNum, maxStatements: MAX_STATEMENTS })
  } catch (error) {
    if (error instanceof SqlTooLargeError) throw tooLarge(migration, error)
    if (!(error instanceof SqlSyntaxError)) throw error
    const copy = copyFromClientBefore(parser, migration.up.text, error.offset)
    if (copy) return invalid(migration, [], copyFromClientError(migration, copy))
    return invalid(migration, [], {
      message: `${error.message} (PostgreSQL parser)`,
      line: fileLine(migration, error.line),
      column: error.column,
      hint: 'Fix the SQL. Files are plain SQL: psql meta-commands such as \\connect or \\i are not supported.',
      sqlState: '42601'
    })
  }
  if (statements.length === 0) {
    return invalid(migration, [], {
      message: `${migration.file} holds no SQL statement.`,
      line: migration.up.startLine,
      hint: 'Write the migration, or delete the file if it was created by mistake.'
    })
  }

  const copy = statements.find(copiesFromClient)
  if (copy) return invalid(migration, statements, copyFromClientError(migration, copy))

  // Found here, not at apply: there the statements before it would already have run outside a transaction.
  const trapped = refusedInsideOwnTransaction(statements)[0]
  if (trapped) return invalid(migration, statements, trappedError(migration, trapped))

  const directive = migration.directives.find((d) => d.name === 'no-transaction')
  const marker = migration.up.noTransaction
  if (directive || marker) {
    const why = directive ? `-- pg-migrate:no-transaction (line ${directive.line})` : marker
    return {
      migration,
      statements,
      transactional: false,
      notes: [`Runs outside a transaction, statement by statement (${why}).`]
    }
  }

  const refusing = statements.filter((s) => s.noTransaction)
  if (refusing.length > 0) {
    const reasons = refusing.map((s) => `line ${fileLine(migration, s.line)}: ${s.noTransaction!.reason}`)
    return {
      migration,
      statements,
      transactional: false,
      notes: [`Runs outside a transaction, statement by statement, detected automatically (${reasons.join('; ')}). A failure part-way leaves the earlier statements applied.`]
    }
  }

  return unwrapTransaction(migration, statements)
}

/**
 * Each transactional migration runs in the action's own transaction together with its history row,
 * so the file's own BEGIN/COMMIT would commit early. A file wrapped in exactly one BEGIN … COMMIT
 * (golang-migrate files often are) is unwrapped; any other transaction control is refused.
 */
function unwrapTransaction(migration: SqlMigration, statements: SqlStatement[]): PlannedMigration {
  const first = statements[0]
  const last = statements[statements.length - 1]
  const wrapped = statements.length >= 2 && first.transactionControl === 'begin' && last.transactionControl === 'commit'
  const inner = wrapped ? statements.slice(1, -1) : statements
  const control = inner.find((s) => s.transactionControl && s.transactionControl !== 'savepoint')
  if (control) {
    return invalid(migration, statements, {
      message: `${migration.file} line ${fileLine(migration, control.line)}: "${firstLine(control.text)}" controls the transaction, but each migration already runs in its own transaction together with its history row.`,
      line: fileLine(migration, control.line),
      column: control.column,
      hint: 'Remove BEGIN/COMMIT/ROLLBACK from the file (SAVEPOINT is fine), or add the line -- pg-migrate:no-transaction at the top to run the file statement by statement exactly as written.'
    })
  }
  if (!wrapped) return { migration, statements, transactional: true, notes: [] }
  if (inner.length === 0) {
    return invalid(migration, statements, {
      message: `${migration.file} holds only BEGIN and COMMIT.`,
      line: fileLine(migration, first.line),
      hint: 'Write the migration between them, or delete the file.'
    })
  }
  return {
    migration,
    statements: inner,
    transactional: true,
    begin: first.text,
    notes: [`The file's own BEGIN (line ${fileLine(migration, first.line)}) and COMMIT (line ${fileLine(migration, last.line)}) are used as the migration's transaction.`]
  }
}

/** `COPY … FROM STDIN`: its rows would have to come from the client, as psql sends them. */
function copiesFromClient(statement: SqlStatement): boolean {
  const copy = (statement.node as { CopyStmt?: { is_from?: boolean; filename?: string; is_program?: boolean } }).CopyStmt
  return copy !== undefined && copy.is_from === true && copy.filename === undefined && !copy.is_program
}

/**
 * psql's inline rows after `COPY … FROM stdin;` are a syntax error for the server's grammar, at the
 * first row. The text up to there parses when the statement before the rows is such a COPY.
 */
function copyFromClientBefore(parser: SqlParser, text: string, errorOffset: number): SqlStatement | undefined {
  try {
    const before = parser.parse(text.slice(0, errorOffset))
    const last = before.at(-1)
    return last && copiesFromClient(last) ? last : undefined
  } catch (error) {
    if (error instanceof SqlSyntaxError) return undefined
    throw error
  }
}

function copyFromClientError(migration: SqlMigration, copy: SqlStatement): PlanError {
  const line = fileLine(migration, copy.line)
  return {
    message: `${migration.file} line ${line}: "${firstLine(copy.text)}" reads its rows from the client: rows written inline after it (ending with \\.) are a psql feature, and this action sends the file to the server as SQL statements.`,
    line,
    column: copy.column,
    hint: "Load the rows with INSERT … VALUES (…), or with COPY … FROM '/path/on/the/database/server' (a file the server itself can read), or run psql's \\copy in a separate workflow step."
  }
}

function trappedError(migration: SqlMigration, { statement, begin }: TrappedStatement): PlanError {
  const line = fileLine(migration, statement.line)
  return {
    message: `${migration.file} line ${line}: ${statement.noTransaction!.reason}, and the file's own BEGIN (line ${fileLine(migration, begin.line)}) opens one around it: run as written, it would fail there, after the statements before it ran outside a transaction.`,
    line,
    column: statement.column,
    hint: `Remove BEGIN and COMMIT from the file: a file holding ${statement.noTransaction!.what} runs outside a transaction, statement by statement, without them. Keep such a statement in a file of its own, so a failure leaves nothing half-applied.`
  }
}

function tooLarge(migration: SqlMigration, error: SqlTooLargeError): ActionError {
  const line = fileLine(migration, error.line)
  const count = error.limit.toLocaleString('en-US')
  return new ActionError(
    'sql-migration-too-large',
    `${migration.file} holds more than ${count} statements (statement ${(error.limit + 1).toLocaleString('en-US')} begins on line ${line}). This is a limit of the action, not a fault in the SQL: it keeps every statement with its parse tree for the plan, the lint and the report, so it refuses a migration this large before anything runs rather than exhaust the runner's memory.`,
    {
      location: { file: migration.file, line, revision: migration.version },
      hint: `Split the file into migrations of at most ${count} statements each, or load bulk data with one COPY … FROM a file on the database server (or in a separate workflow step) instead of one INSERT per row.`
    }
  )
}

function invalid(migration: SqlMigration, statements: SqlStatement[], error: PlanError): PlannedMigration {
  return { migration, statements, transactional: true, notes: [], invalid: error }
}

/** The history row of a transactional migration. */
export function historyEntry(p: PlannedMigration): HistoryEntry {
  const m = p.migration
  return { version: m.version, name: m.name, checksum: m.checksum, transactional: true, statements: p.statements.length }
}

/** A line of the up section as a line of its file. */
export function fileLine(migration: SqlMigration, sectionLine: number): number {
  return migration.up.startLine + sectionLine - 1
}

export function firstLine(text: string): string {
  const line = text.split('\n')[0]
  return line.length > 60 ? line.slice(0, 57) + '…' : line
}
