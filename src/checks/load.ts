import { readFileSync, realpathSync, statSync, type Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { echo } from '../echo.js'
import { normalizeNewlines } from '../engines/sql/files.js'
import { ActionError, errorMessage } from '../errors.js'
import { plural } from '../report/markdown.js'
import { loadSqlParser, SqlSyntaxError, type SqlStatement } from '../sql/parse.js'
import { registerSqlSecrets } from '../sql/secrets.js'

/**
 * Post-migration checks as dbt's data tests write them: each statement of the `checks` file (or of
 * each `.sql` file under the `checks` directory) is one check, a query for the rows that violate a
 * rule, so it passes when it returns none. The `-- ` comment line right above a statement names it.
 * Everything is read and parsed before the run connects, so a check that cannot parse stops the run
 * before anything is applied.
 */

export interface CheckDefinition {
  /** The comment line above the statement, or its first line when it has none. */
  name: string
  /** Relative to the working directory, forward slashes: the annotation's path. */
  file: string
  /** 1-based line of the statement's first character in `file`. */
  line: number
  column: number
  /** The statement as written, without its semicolon. */
  sql: string
  /**
   * `cursor`: a query, read through a cursor so a check matching millions of rows sends only the few
   * shown. `direct`: any other statement (a write, EXPLAIN, SHOW), sent as written, so a write fails
   * on the read-only transaction with the server's own words.
   */
  runAs: 'cursor' | 'direct'
}

export interface LoadedChecks {
  /** The input as given. */
  path: string
  files: string[]
  checks: CheckDefinition[]
}

/**
 * Statements that would change how the checks themselves run (end the read-only transaction, lift
 * the timeout) or that the driver cannot take (COPY's data stream): never a check.
 */
const NOT_A_CHECK: Record<string, string> = {
  TransactionStmt: 'controls the transaction the checks run in',
  VariableSetStmt: 'changes a setting of the session the checks run in (statement_timeout, the read-only transaction)',
  CopyStmt: "is a COPY, whose rows the action's driver cannot stream"
}

/** The repository checkout on a runner; the working directory elsewhere. */
function workspaceOf(env: NodeJS.ProcessEnv): string {
  return env.GITHUB_WORKSPACE || process.cwd()
}

export async function loadChecks(given: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<LoadedChecks> {
  const absolute = path.resolve(cwd, given)
  const workspace = realPath(path.resolve(cwd, workspaceOf(env)))
  const refuse = (problem: string, hint: string): never => {
    throw new ActionError('checks-path-invalid', `Input 'checks' names '${echo(given)}', which ${problem}.`, { location: { input: 'checks' }, hint })
  }
  let stats
  try {
    stats = statSync(absolute)
  } catch {
    return refuse(
      `does not exist (${echo(absolute)}; working directory ${cwd})`,
      'Check out the repository first and set checks relative to its root, to a .sql file or a directory of them.'
    )
  }
  if (outside(realPath(absolute), workspace)) {
    return refuse(
      `resolves to ${echo(realPath(absolute))}, outside the workspace ${workspace}`,
      'Keep the checks in the repository and set checks relative to its root; the action reads no SQL from outside the checkout.'
    )
  }
  const absoluteFiles = stats.isDirectory() ? await sqlFilesUnder(absolute) : [absolute]
  if (absoluteFiles.length === 0) {
    return refuse('is a directory holding no .sql file', 'Put the checks into .sql files in that directory, or point checks at the right one.')
  }
  for (const file of absoluteFiles) {
    if (outside(realPath(file), workspace)) {
      return refuse(
        `holds ${toPosix(path.relative(cwd, file))}, a symbolic link to ${echo(realPath(file))}, outside the workspace ${workspace}`,
        'Replace the link with the file itself: the action reads no SQL from outside the checkout.'
      )
    }
  }
  const parser = await loadSqlParser()
  const checks: CheckDefinition[] = []
  const files = absoluteFiles.map((file) => toPosix(path.relative(cwd, file)))
  for (const [i, absoluteFile] of absoluteFiles.entries()) {
    const file = files[i]
    const text = readText(absoluteFile, file)
    registerSqlSecrets(parser, text)
    let statements: SqlStatement[]
    try {
      statements = parser.parse(text)
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error
      throw new ActionError('check-sql-invalid', `${file}:${error.line}: the check does not parse: ${error.message} (PostgreSQL parser).`, {
        location: { file, line: error.line, column: error.column },
        hint: 'Fix the SQL of the check. Check files are plain SQL, one query per check: psql meta-commands such as \\set are not supported.'
      })
    }
    if (statements.length === 0) {
      throw new ActionError('check-sql-invalid', `${file} holds no SQL statement, so it checks nothing.`, {
        location: { file, line: 1 },
        hint: 'Write the checks (one query per check, each returning the rows that violate it), or delete the file.'
      })
    }
    statements.forEach((statement, index) => checks.push(toCheck(file, text, statement, statements[index - 1])))
  }
  return { path: given, files, checks }
}

function toCheck(file: string, text: string, statement: SqlStatement, previous: SqlStatement | undefined): CheckDefinition {
  const refused = NOT_A_CHECK[statement.kind]
  const where = `${file}:${statement.line}`
  if (refused) {
    throw new ActionError('check-sql-invalid', `${where}: "${firstLine(statement.text)}" ${refused}; a check is a query that returns the rows breaking a rule.`, {
      location: { file, line: statement.line, column: statement.column },
      hint: 'Remove the statement: every check already runs in one read-only transaction with the checks-timeout, rolled back at the end. Write each check as a SELECT of the rows that violate it.'
    })
  }
  return {
    name: nameAbove(text, statement, previous) ?? firstLine(statement.text),
    file,
    line: statement.line,
    column: statement.column,
    sql: statement.text,
    runAs: isPlainQuery(statement) ? 'cursor' : 'direct'
  }
}

/**
 * The last line between the previous statement and this one, when it is a `--` comment. Only whole
 * lines count: a comment after the previous statement's semicolon belongs to that statement.
 */
function nameAbove(text: string, statement: SqlStatement, previous: SqlStatement | undefined): string | undefined {
  const gap = text.slice(previous?.end ?? 0, statement.start).split('\n')
  const lines = (previous ? gap.slice(1) : gap).map((l) => l.trim()).filter((l) => l !== '')
  const last = lines.at(-1)
  const name = last?.startsWith('--') ? last.replace(/^-+\s*/, '').trim() : ''
  return name === '' ? undefined : name
}

/**
 * A SELECT a cursor can run: no SELECT … INTO (creates a table) and no data-modifying WITH (DECLARE
 * refuses it with a message about cursors): those go as written and fail as writes.
 */
function isPlainQuery(statement: SqlStatement): boolean {
  if (statement.kind !== 'SelectStmt') return false
  const body = (statement.node as { SelectStmt?: { intoClause?: unknown; withClause?: { ctes?: unknown[] } } }).SelectStmt ?? {}
  if (body.intoClause) return false
  const writes = (cte: unknown): boolean => {
    const query = (cte as { CommonTableExpr?: { ctequery?: Record<string, unknown> } }).CommonTableExpr?.ctequery ?? {}
    return ['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'].some((kind) => kind in query)
  }
  return !(body.withClause?.ctes ?? []).some(writes)
}

/** Every .sql file under the directory, in path order (subdirectories included, links followed to files). */
async function sqlFilesUnder(directory: string): Promise<string[]> {
  let entries: Dirent[]
  try {
    entries = await readdir(directory, { withFileTypes: true, recursive: true })
  } catch (error) {
    throw new ActionError('checks-path-invalid', `The checks directory ${directory} cannot be read: ${errorMessage(error)}.`, {
      location: { input: 'checks' },
      hint: 'Check the directory is readable by the runner user.'
    })
  }
  const files = entries
    .filter((e) => e.name.toLowerCase().endsWith('.sql'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => {
      try {
        return statSync(file).isFile()
      } catch {
        return false
      }
    })
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** `fatal`: invalid UTF-8 is refused instead of turning into U+FFFD in the SQL. */
const UTF8 = new TextDecoder('utf-8', { fatal: true })

function readText(absolute: string, file: string): string {
  let bytes: Buffer
  try {
    bytes = readFileSync(absolute)
  } catch (error) {
    throw new ActionError('checks-path-invalid', `The check file ${file} cannot be read: ${errorMessage(error)}.`, {
      location: { input: 'checks', file },
      hint: 'Check the file exists and is readable by the runner user.'
    })
  }
  let text: string
  try {
    text = normalizeNewlines(UTF8.decode(bytes))
  } catch {
    throw new ActionError('checks-path-invalid', `The check file ${file} is not valid UTF-8.`, {
      location: { input: 'checks', file },
      hint: 'Save the file as UTF-8 (for example: iconv -f latin1 -t utf-8).'
    })
  }
  if (text.includes('\0')) {
    // The server reads C strings: everything after a NUL byte would silently not be part of the check.
    throw new ActionError('checks-path-invalid', `The check file ${file} holds a NUL byte.`, {
      location: { input: 'checks', file },
      hint: 'Save the file as UTF-8 text (a file saved as UTF-16 is full of NUL bytes).'
    })
  }
  return text
}

function realPath(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

function outside(resolved: string, workspace: string): boolean {
  const fromRoot = path.relative(workspace, resolved)
  return fromRoot === '..' || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot)
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}

function firstLine(text: string): string {
  const line = text.split('\n')[0].trim()
  return line.length > 80 ? line.slice(0, 77) + '…' : line
}

export function describeLoadedChecks(loaded: LoadedChecks): string {
  return `${plural(loaded.checks.length, 'check')} in ${plural(loaded.files.length, 'file')}`
}
