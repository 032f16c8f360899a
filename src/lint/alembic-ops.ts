import { topLevelStatements } from '../engines/alembic/revision-file.js'

/**
 * The `op.` calls of an Alembic revision's upgrade(), with their lines, so findings in the offline
 * SQL can point at the call that produced them. Read with the revision file parser's statement
 * splitter: indentation is dropped first, so calls inside `with` blocks are listed too.
 */
export interface OpCall {
  name: string
  line: number
}

export interface UpgradeFunction {
  /** 1-based line of `def upgrade`. */
  line: number
  calls: OpCall[]
  /** The first line of a statement other than `pass` or a docstring: upgrade() does something. */
  firstCodeLine?: number
}

/** Calls that emit no SQL of their own. */
const SILENT = new Set(['get_bind', 'get_context', 'batch_alter_table', 'f', 'inline_literal', 'implementation_for', 'invoke'])

/** `fn`: `downgrade` for the down SQL of mode: downgrade. */
export function listUpgradeCalls(source: string, fn: 'upgrade' | 'downgrade' = 'upgrade'): UpgradeFunction | undefined {
  const upgrade = readFunction(source, fn)
  return upgrade && { line: upgrade.line, calls: upgrade.calls.map(({ name, line }) => ({ name, line })), firstCodeLine: upgrade.firstCodeLine }
}

/** An `op.` (or `batch_op.`) call with the text of its arguments. */
export interface OpCallWithArguments extends OpCall {
  /** `op.create_foreign_key(…)`, or `batch_op.…` inside `with op.batch_alter_table(…)` (no table argument). */
  receiver: 'op' | 'batch_op'
  /** The call's top-level arguments as written (`None`, `'chunks'`, `type_='foreignkey'`). */
  args: string[]
}

/** The op calls of `def upgrade()` or `def downgrade()`, with their arguments. */
export function listCalls(source: string, fn: 'upgrade' | 'downgrade'): OpCallWithArguments[] {
  return readFunction(source, fn)?.calls ?? []
}

/** The body of a module-level `def fn(…)`, dedented, and the 0-based line of its `def`; undefined when there is none. */
export function functionSource(source: string, fn: string): { start: number; body: string } | undefined {
  const lines = source.split(/\r?\n/)
  const header = new RegExp(`^def\\s+${fn}\\s*\\(`)
  const start = lines.findIndex((l) => header.test(l))
  if (start < 0) return undefined
  let end = start + 1
  while (end < lines.length && !/^[^\s#]/.test(lines[end])) end++
  const body = lines
    .slice(start + 1, end)
    .map((l) => l.trimStart())
    .join('\n')
  return { start, body }
}

function readFunction(source: string, fn: string): { line: number; calls: OpCallWithArguments[]; firstCodeLine?: number } | undefined {
  const found = functionSource(source, fn)
  if (!found) return undefined
  const { start, body } = found
  const calls: OpCallWithArguments[] = []
  let firstCodeLine: number | undefined
  for (const statement of topLevelStatements(body)) {
    const match = /^(?:with\s+)?(op|batch_op)\.(\w+)\s*\(/.exec(statement.text)
    if (match && !SILENT.has(match[2]))
      calls.push({ name: match[2], receiver: match[1] as 'op' | 'batch_op', line: start + 1 + statement.line, args: topLevelArguments(statement.text.slice(match[0].length)) })
    if (firstCodeLine === undefined && !/^(pass\b|(?:[rRuU]?)(?:"""|'''|"|'))/.test(statement.text.trim())) firstCodeLine = start + 1 + statement.line
  }
  return { line: start + 1, calls, firstCodeLine }
}

/** Splits `a, [b, c], d=e)` at its top-level commas, up to the call's closing parenthesis. */
function topLevelArguments(text: string): string[] {
  const args: string[] = []
  let depth = 0
  let current = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1)
      const stop = end < 0 ? text.length : end
      current += text.slice(i, stop + 1)
      i = stop
      continue
    }
    if (c === '(' || c === '[' || c === '{') depth++
    if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) break
      depth--
    }
    if (c === ',' && depth === 0) {
      args.push(current.trim())
      current = ''
      continue
    }
    current += c
  }
  if (current.trim() !== '') args.push(current.trim())
  return args
}

/** Statement kinds each op can emit; ops not listed (execute, custom ops) may emit anything. */
const EMITS: Record<string, string[]> = {
  create_table: ['CreateStmt', 'IndexStmt', 'CommentStmt', 'CreateEnumStmt'],
  drop_table: ['DropStmt'],
  add_column: ['AlterTableStmt', 'CommentStmt', 'CreateEnumStmt', 'IndexStmt'],
  drop_column: ['AlterTableStmt'],
  alter_column: ['AlterTableStmt', 'RenameStmt', 'CommentStmt'],
  create_index: ['IndexStmt'],
  drop_index: ['DropStmt'],
  rename_table: ['RenameStmt'],
  create_foreign_key: ['AlterTableStmt'],
  create_unique_constraint: ['AlterTableStmt'],
  create_primary_key: ['AlterTableStmt'],
  create_check_constraint: ['AlterTableStmt'],
  create_exclude_constraint: ['AlterTableStmt'],
  drop_constraint: ['AlterTableStmt'],
  bulk_insert: ['InsertStmt'],
  create_table_comment: ['CommentStmt'],
  drop_table_comment: ['CommentStmt']
}

function emits(call: OpCall, kind: string): boolean {
  const kinds = EMITS[call.name]
  return kinds === undefined || kinds.includes(kind)
}

/**
 * Maps each statement (by kind, in order) to the op call that produced it: one to one when the
 * counts agree, else in order by what each op can emit. Undefined where no call fits.
 */
export function mapStatementsToCalls(kinds: string[], calls: OpCall[]): (OpCall | undefined)[] {
  if (kinds.length === calls.length) return [...calls]
  let next = 0
  return kinds.map((kind) => {
    for (let q = next; q < calls.length; q++) {
      if (emits(calls[q], kind)) {
        next = q + 1
        return calls[q]
      }
    }
    // One call may emit several statements (create_table with its indexes).
    if (next > 0 && emits(calls[next - 1], kind)) return calls[next - 1]
    return undefined
  })
}
