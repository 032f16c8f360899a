import { hash } from 'node:crypto'
import { plural } from '../../report/markdown.js'
import { readFileSync, type Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { ActionError, errorMessage } from '../../errors.js'
import { loadSqlParser } from '../../sql/parse.js'
import { requireInsideWorkspace } from '../../workspace.js'
import { isMistake, markerCandidates, markerName, rejectMarkerMistake, type Marker, type MarkerCandidate, type MarkerDialect } from './markers.js'

/**
 * Reads a directory of plain SQL migrations. These layouts are accepted:
 * - `<version>_<name>.sql` (or `<version>-<name>.sql`, as sql-migrate names them): the whole file is the up migration;
 * - the same with sections: dbmate's `-- migrate:up` / `-- migrate:down`, goose's `-- +goose Up` /
 *   `-- +goose Down` or sql-migrate's `-- +migrate Up` / `-- +migrate Down` (markers.ts reads them);
 * - golang-migrate pairs `<version>_<name>.up.sql` / `<version>_<name>.down.sql`.
 * Everything here is plain text work. Only a file whose section markers might sit inside a string,
 * dollar-quoted body or block comment needs PostgreSQL's lexer, which is then loaded (lazily).
 */

export type FileStyle = 'plain' | MarkerDialect | 'pair'

export interface Section {
  /** The section's text (line endings normalized to LF). */
  text: string
  /** 1-based line in its file where `text` begins. */
  startLine: number
  /** The file the section is in, relative to the working directory. */
  file: string
  /** The whole file (LF), for error excerpts. */
  fileText: string
  /**
   * The marker that runs this section outside a transaction, with its line: `-- migrate:up
   * transaction:false (line 1)`, `-- +goose NO TRANSACTION (line 1)`, `-- +migrate Up notransaction (line 3)`.
   */
  noTransaction?: string
}

export interface Directive {
  name: string
  line: number
}

export interface SqlMigration {
  /** Digits as written in the file name, e.g. `0001`. */
  version: string
  name: string
  style: FileStyle
  /** The up file, relative to the working directory (forward slashes). */
  file: string
  up: Section
  down?: Section
  /** sha256 (hex) of the up section. */
  checksum: string
  /** `-- pg-migrate:<name>` comments at the top of the up section. */
  directives: Directive[]
  /**
   * Set when the sections were split with every marker taken at its word, although one after the
   * up marker might sit inside a literal (only with `provisionalSplits`): `settleSections` gives the
   * lexer's split. The up marker itself is certain, so only where the up section ends is in doubt.
   */
  provisional?: boolean
}

export interface LoadOptions {
  /**
   * Leave files whose section markers only PostgreSQL's lexer can place split provisionally,
   * instead of loading the parser for them: a history row with the same checksum confirms the split.
   */
  provisionalSplits?: boolean
  /** Files (and the directory) resolving outside it are refused before they are read. Defaults to `cwd`. */
  workspace?: string
}

export const KNOWN_DIRECTIVES = ['no-transaction', 'allow'] as const

const FILE_NAME = /^(\d+)[_-]([^/\\]+?)(\.up|\.down)?\.sql$/
const DIRECTIVE = /^--\s*pg-migrate:\s*([A-Za-z0-9_-]+)\s*$/

/** Numeric order for versions of any length: `0002` < `10` < `20251016103800`. */
export function compareVersions(a: string, b: string): number {
  const x = canonicalVersion(a)
  const y = canonicalVersion(b)
  if (x.length !== y.length) return x.length - y.length
  return x < y ? -1 : x > y ? 1 : 0
}

/** `0001` and `1` are the same version. Leading zeros that precede a digit go (the regex /^0+(?=\d)/, without one per comparison of a sort). */
export function canonicalVersion(version: string): string {
  let start = 0
  while (version.charCodeAt(start) === 48 && isDigit(version.charCodeAt(start + 1))) start++
  return start === 0 ? version : version.slice(start)
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/**
 * Checksums are taken over the up section with CRLF normalized to LF: a checkout with
 * core.autocrlf on Windows must not look like a changed migration.
 */
export function checksumOf(upText: string): string {
  return hash('sha256', normalizeNewlines(upText), 'hex')
}

export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n/g, '\n')
}

export async function loadSqlMigrations(directory: string, cwd = process.cwd(), options: LoadOptions = {}): Promise<SqlMigration[]> {
  const absolute = path.resolve(cwd, directory)
  const workspace = options.workspace ?? cwd
  requireInsideWorkspace(absolute, workspace, `The migrations directory ${directory}`, { input: 'migrations-path' }, 'migrations-path-outside-workspace')
  const { entries, links } = await listSqlFiles(absolute, directory)
  // One path.relative for the directory, not one per file: it resolves both paths each time.
  const relativeDirectory = toPosix(path.relative(cwd, absolute))
  const relative = (fileName: string): string => (relativeDirectory ? `${relativeDirectory}/${fileName}` : fileName)
  // Only a link can leave the directory, which is inside.
  for (const link of links) requireInsideWorkspace(inDirectory(absolute, link), workspace, `The migration file ${relative(link)} is a symbolic link that`, { file: relative(link) })

  const bad = entries.filter((f) => !FILE_NAME.test(f))
  if (bad.length > 0) {
    throw new ActionError(
      'sql-bad-file-name',
      `${plural(bad.length, 'SQL file')} in ${directory} ${bad.length === 1 ? 'does' : 'do'} not match <version>_<name>.sql: ${bad.join(', ')}.`,
      {
        location: { file: relative(bad[0]) },
        hint: 'Name migrations like 0001_create_documents.sql, 20251016103800_add_chunks.sql or 20251016103800-add-chunks.sql (digits, underscore or hyphen, name), or <version>_<name>.up.sql / .down.sql pairs. Move other SQL files out of the migrations directory.'
      }
    )
  }

  const groups = new Map<string, { version: string; name: string; plain?: string; up?: string; down?: string }>()
  const byVersion = new Map<string, string[]>()
  for (const fileName of entries) {
    const [, version, name, suffix] = FILE_NAME.exec(fileName)!
    const key = `${version}_${name}`
    const group = groups.get(key) ?? { version, name }
    if (suffix === '.up') group.up = fileName
    else if (suffix === '.down') group.down = fileName
    else group.plain = fileName
    groups.set(key, group)
    const canonical = canonicalVersion(version)
    const files = byVersion.get(canonical) ?? []
    if (suffix !== '.down') files.push(fileName)
    byVersion.set(canonical, files)
  }

  for (const group of groups.values()) {
    if (group.plain && (group.up || group.down)) {
      const others = [group.up, group.down].filter(Boolean).join(' and ')
      throw new ActionError('sql-duplicate-version', `${group.plain} and ${others} define the same migration twice.`, {
        location: { file: relative(group.plain) },
        hint: 'Keep either the single file (with -- migrate:up / -- migrate:down sections) or the .up.sql/.down.sql pair.'
      })
    }
    if (group.down && !group.up) {
      throw new ActionError('sql-missing-up', `${group.down} has no matching ${group.version}_${group.name}.up.sql.`, {
        location: { file: relative(group.down) },
        hint: 'Add the up file, or remove the down file.'
      })
    }
  }

  const duplicates = [...byVersion.values()].filter((files) => files.length > 1)
  if (duplicates.length > 0) {
    const lines = duplicates.map((files) => files.join(' and '))
    throw new ActionError('sql-duplicate-version', `Several migrations share a version: ${lines.join('; ')}.`, {
      location: { file: relative(duplicates[0][1]) },
      hint: 'Every migration needs its own version number; renumber the newer file (versions compare as numbers, so 0001 and 1 are the same).'
    })
  }

  const migrations: SqlMigration[] = []
  for (const group of groups.values()) {
    migrations.push(await loadGroup(absolute, relative, group, options))
  }
  return migrations.sort((a, b) => compareVersions(a.version, b.version))
}

/** The SQL files of the directory, sorted, and which of them are symbolic links. */
async function listSqlFiles(absolute: string, directory: string): Promise<{ entries: string[]; links: string[] }> {
  let entries: Dirent[]
  try {
    entries = await readdir(absolute, { withFileTypes: true })
  } catch (error) {
    throw new ActionError('migrations-path-missing', `The migrations directory ${directory} cannot be read: ${errorMessage(error)}.`, {
      location: { input: 'migrations-path' },
      hint: 'Set migrations-path to the directory that holds the <version>_<name>.sql files, relative to the repository root (and check out the repository first).'
    })
  }
  const sql = entries.filter((e) => e.name.toLowerCase().endsWith('.sql'))
  // Only links need a stat (the directory listing gives every other entry's type); subdirectories and dangling links are not migrations.
  const isFile = await Promise.all(sql.map(async (e) => (e.isSymbolicLink() ? ((await stat(path.join(absolute, e.name)).catch(() => undefined))?.isFile() ?? false) : e.isFile())))
  const files = sql.filter((_, i) => isFile[i])
  return {
    entries: files.map((e) => e.name).sort(),
    links: files.filter((e) => e.isSymbolicLink()).map((e) => e.name)
  }
}

/** A file the directory listing named: path.join would normalize the whole path again for each of them. */
function inDirectory(absoluteDirectory: string, fileName: string): string {
  return absoluteDirectory.endsWith(path.sep) ? absoluteDirectory + fileName : absoluteDirectory + path.sep + fileName
}

async function loadGroup(
  absolute: string,
  relative: (fileName: string) => string,
  group: { version: string; name: string; plain?: string; up?: string; down?: string },
  options: LoadOptions
): Promise<SqlMigration> {
  const { version, name } = group
  if (group.plain) {
    const file = relative(group.plain)
    const text = readText(inDirectory(absolute, group.plain), file)
    const lines = text.split('\n')
    const suspects = suspectMarkers(lines)
    if (suspects.length > 0 && options.provisionalSplits) {
      const provisional = provisionalSplit(version, name, file, text, suspects)
      if (provisional) return provisional
    }
    return splitPlainFile(version, name, file, text, await linesInsideLiterals(text, lines, suspects))
  }
  const upFile = relative(group.up!)
  const upText = readText(inDirectory(absolute, group.up!), upFile)
  const up: Section = { text: upText, startLine: 1, file: upFile, fileText: upText }
  let down: Section | undefined
  if (group.down) {
    const downFile = relative(group.down)
    const downText = readText(inDirectory(absolute, group.down), downFile)
    down = { text: downText, startLine: 1, file: downFile, fileText: downText }
  }
  return finish({ version, name, style: 'pair', file: upFile, up, down })
}

function splitPlainFile(version: string, name: string, file: string, text: string, insideLiteral: ReadonlySet<number>): SqlMigration {
  const sections = splitSections(text, file, insideLiteral)
  const up: Section = { ...(sections?.up ?? { text, startLine: 1 }), file, fileText: text }
  const down = sections?.down ? { ...sections.down, file, fileText: text } : undefined
  return finish({ version, name, style: sections?.dialect ?? 'plain', file, up, down })
}

/**
 * Every marker taken at its word, when that split stands on its own: the up marker comes before any
 * line that may open a literal (so it is a marker), and no marker-like line would be an error (the
 * lexer's split, which can only drop markers, could not fail either). Undefined otherwise.
 */
function provisionalSplit(version: string, name: string, file: string, text: string, suspects: MarkerCandidate[]): SqlMigration | undefined {
  let split: SqlMigration
  try {
    split = splitPlainFile(version, name, file, text, new Set())
  } catch {
    return undefined
  }
  const upMarkerLine = split.up.startLine - 1
  return suspects.every((s) => s.line > upMarkerLine) ? { ...split, provisional: true } : undefined
}

/**
 * The lexer's split of a provisionally split file. The history's checksum can stand in for it: equal
 * up sections hash alike, and the up section a run applied ended where its lexer put a marker (or at
 * the end of the file, after SQL the server accepted, so outside any literal); lexed from the same
 * certain up marker, the file splits there again.
 */
export async function settleSections(migration: SqlMigration): Promise<SqlMigration> {
  if (!migration.provisional) return migration
  const { version, name, file } = migration
  const text = migration.up.fileText
  const lines = text.split('\n')
  return splitPlainFile(version, name, file, text, await linesInsideLiterals(text, lines, suspectMarkers(lines)))
}

function finish(m: Omit<SqlMigration, 'checksum' | 'directives'>): SqlMigration {
  if (!hasSql(m.up.text)) {
    const where = m.style === 'plain' || m.style === 'pair' ? '' : ` (its ${markerName(m.style, 'up')} section, from line ${m.up.startLine})`
    throw new ActionError('sql-empty-migration', `The up migration of ${m.file}${where} is empty: it holds no SQL.`, {
      location: { file: m.file, line: m.up.startLine, revision: m.version },
      hint: 'Write the migration, or delete the file if it was created by mistake.'
    })
  }
  return { ...m, checksum: checksumOf(m.up.text), directives: readDirectives(m.up.text, m.up.startLine) }
}

/**
 * Read synchronously: migrations are small files, and for 1,000 of them a blocking read took a
 * fifth of the time (and an eighth of the CPU) of reading them in parallel through the thread pool
 * (bench/README.md); nothing else waits on the event loop while the chain loads.
 */
/** `fatal` rejects invalid UTF-8 instead of silently inserting U+FFFD into the SQL; a BOM is dropped. One for all files: each decode starts afresh. */
const UTF8 = new TextDecoder('utf-8', { fatal: true })

function readText(absolutePath: string, file: string): string {
  let bytes: Buffer
  try {
    bytes = readFileSync(absolutePath)
  } catch (error) {
    throw new ActionError('sql-unreadable-file', `The migration file ${file} cannot be read: ${errorMessage(error)}.`, {
      location: { file },
      hint: 'Check the file exists and is readable by the runner user.'
    })
  }
  let text: string
  try {
    text = normalizeNewlines(UTF8.decode(bytes))
  } catch {
    const at = firstInvalidUtf8(bytes)
    throw new ActionError('sql-not-utf8', `The migration file ${file} is not valid UTF-8 (first bad byte at offset ${at}).`, {
      location: { file },
      hint: 'Save the file as UTF-8 (for example: iconv -f latin1 -t utf-8). PostgreSQL migrations are sent as UTF-8.'
    })
  }
  rejectNulByte(text, file)
  return text
}

/**
 * PostgreSQL's parser reads C strings: it stops at a NUL byte, so everything after one would be
 * silently dropped, and the file recorded as applied although only its beginning ran.
 */
function rejectNulByte(text: string, file: string): void {
  const at = text.indexOf('\0')
  if (at === -1) return
  const before = text.slice(0, at)
  const line = before.split('\n').length
  const column = at - before.lastIndexOf('\n')
  throw new ActionError(
    'sql-nul-byte',
    `${file}:${line}: the migration file holds a NUL byte (line ${line}, column ${column}); PostgreSQL would stop reading the SQL there and the rest of the file would silently not run.`,
    {
      location: { file, line, column },
      hint: 'Remove the NUL byte. A file saved as UTF-16 is full of them: save it as UTF-8 (for example: iconv -f utf-16 -t utf-8).'
    }
  )
}

function firstInvalidUtf8(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let low = 0
  let high = bytes.length
  // The longest valid prefix, give or take one multi-byte sequence.
  while (low < high) {
    const mid = (low + high + 1) >> 1
    try {
      decoder.decode(bytes.subarray(0, mid))
      low = mid
    } catch {
      high = mid - 1
    }
  }
  return low
}

interface SectionText {
  text: string
  startLine: number
  noTransaction?: string
}

interface MarkedSections {
  dialect: MarkerDialect
  up: SectionText
  down?: SectionText
}

/**
 * Undefined for a file without section markers. `insideLiteral` holds the 1-based lines that start
 * inside a string, dollar-quoted body or block comment: a marker there is text, not a marker.
 * Each tool's rules hold: one up marker, at most one down marker after it (dbmate: in any order), no
 * SQL before the first, StatementBegin/StatementEnd paired within a section, and one tool per file.
 * StatementBegin/StatementEnd only group statements for tools that split at semicolons; PostgreSQL's
 * parser splits them here, so the lines stay in the section as the comments they are.
 */
export function splitSections(text: string, file: string, insideLiteral: ReadonlySet<number> = new Set()): MarkedSections | undefined {
  const lines = text.split('\n')
  const markers: Marker[] = []
  for (const candidate of markerCandidates(lines)) {
    if (insideLiteral.has(candidate.line)) continue
    if (isMistake(candidate)) rejectMarkerMistake(file, candidate)
    else markers.push(candidate)
  }
  if (markers.length === 0) return undefined

  const reject = (message: string, line: number, hint: string): never => {
    throw new ActionError('sql-bad-sections', `${file}: ${message}`, { location: { file, line }, hint })
  }
  const dialects = [...new Set(markers.map((m) => m.dialect))]
  if (dialects.length > 1) {
    const firsts = dialects.map((d) => markers.find((m) => m.dialect === d)!)
    reject(
      `mixes the markers of ${dialects.join(' and ')} (${firsts.map((m) => `"${m.text}" on line ${m.line}`).join(', ')}).`,
      firsts[1].line,
      'Use the markers of one tool in a file.'
    )
  }
  const dialect = dialects[0]
  const name = (kind: Marker['kind']): string => markerName(dialect, kind)
  const ups = markers.filter((m) => m.kind === 'up')
  const downs = markers.filter((m) => m.kind === 'down')
  if (ups.length === 0) reject(`has ${markers[0].text} (line ${markers[0].line}) but no ${name('up')} line.`, markers[0].line, `Add a ${name('up')} line before the up migration.`)
  if (ups.length > 1) reject(`has ${ups.length} ${name('up')} lines (lines ${ups.map((m) => m.line).join(', ')}).`, ups[1].line, `Keep one ${name('up')} section.`)
  if (downs.length > 1) reject(`has ${downs.length} ${name('down')} lines (lines ${downs.map((m) => m.line).join(', ')}).`, downs[1].line, `Keep one ${name('down')} section.`)
  if (dialect !== 'dbmate' && downs.length > 0 && downs[0].line < ups[0].line) {
    reject(
      `has its ${name('down')} line (line ${downs[0].line}) before its ${name('up')} line (line ${ups[0].line}).`,
      downs[0].line,
      `Put the up migration first, then ${name('down')} and the down migration.`
    )
  }
  checkStatementBlocks(markers, ups[0], reject, name)

  const boundaries = markers.filter((m) => m.kind === 'up' || m.kind === 'down')
  const before = lines.slice(0, boundaries[0].line - 1).join('\n')
  if (hasSql(before)) {
    reject(`has SQL before its first ${name(boundaries[0].kind)} line (line ${boundaries[0].line}).`, 1, `Move the SQL into the ${name('up')} or ${name('down')} section.`)
  }
  // goose: NO TRANSACTION anywhere in the file holds for both directions.
  const fileWide = markers.find((m) => m.kind === 'no-transaction')
  const section = (marker: Marker): SectionText => {
    const next = boundaries.find((m) => m.line > marker.line)
    const end = next ? next.line - 1 : lines.length
    const by = marker.noTransaction ? marker : fileWide
    return { text: lines.slice(marker.line, end).join('\n'), startLine: marker.line + 1, ...(by ? { noTransaction: `${by.text} (line ${by.line})` } : {}) }
  }
  return { dialect, up: section(ups[0]), down: downs[0] ? section(downs[0]) : undefined }
}

/** StatementBegin opens a block inside the up or down section and StatementEnd closes it, before the next section starts. */
function checkStatementBlocks(markers: Marker[], up: Marker, reject: (message: string, line: number, hint: string) => never, name: (kind: Marker['kind']) => string): void {
  let open: Marker | undefined
  for (const m of markers) {
    if (m.kind === 'statement-begin') {
      if (m.line < up.line)
        reject(`has ${name('statement-begin')} (line ${m.line}) before its ${name('up')} line.`, m.line, `Move it below ${name('up')}, to the statement it begins.`)
      if (open)
        reject(`has ${name('statement-begin')} (line ${m.line}) inside the block opened on line ${open.line}.`, m.line, `Close the first block with ${name('statement-end')}.`)
      open = m
    } else if (m.kind === 'statement-end') {
      if (!open)
        reject(
          `has ${name('statement-end')} (line ${m.line}) without a ${name('statement-begin')} before it.`,
          m.line,
          `Add ${name('statement-begin')} before the statement, or remove the line.`
        )
      open = undefined
    } else if ((m.kind === 'up' || m.kind === 'down') && open) {
      reject(
        `does not close the block opened by ${name('statement-begin')} on line ${open.line} before ${name(m.kind)} (line ${m.line}).`,
        open.line,
        `Add ${name('statement-end')} after the statement.`
      )
    }
  }
  if (open) reject(`does not close the block opened by ${name('statement-begin')} on line ${open.line}.`, open.line, `Add ${name('statement-end')} after the statement.`)
}

/**
 * The marker-like lines that follow a line that may leave a literal open: only PostgreSQL's lexer
 * can tell whether they are markers. Most files have none, so loading a chain stays parser-free.
 */
function suspectMarkers(lines: string[]): MarkerCandidate[] {
  const candidates = markerCandidates(lines)
  if (candidates.length === 0) return []
  const firstOpener = lines.findIndex(mayLeaveLiteralOpen)
  return candidates.filter((c) => firstOpener >= 0 && c.line > firstOpener + 1)
}

/** The suspect lines (1-based) that start inside a literal or block comment, found by PostgreSQL's own lexer (loaded only for suspects). */
async function linesInsideLiterals(text: string, lines: string[], suspects: MarkerCandidate[]): Promise<Set<number>> {
  const inside = new Set<number>()
  if (suspects.length === 0) return inside

  // Without tokens every marker counts; the section holding the broken SQL then fails to parse.
  const tokens = (await loadSqlParser()).scan(text) ?? []
  const lineStarts = [0]
  for (const line of lines) lineStarts.push(lineStarts[lineStarts.length - 1] + line.length + 1)
  for (const { line } of suspects) {
    const offset = lineStarts[line - 1]
    if (tokens.some((t) => t.start < offset && offset < t.end)) inside.add(line)
  }
  return inside
}

/**
 * Conservative: false only when the line cannot end inside a string, quoted identifier, dollar
 * quote or block comment — after removing its closed simple strings and identifiers, no quote, `$`
 * or `/*` is left.
 */
function mayLeaveLiteralOpen(line: string): boolean {
  return /['"$]|\/\*/.test(line.replace(/'[^'\\\n]*'|"[^"\n]*"/g, ''))
}

/** `-- pg-migrate:<name>` lines in the comment block at the top of the section. */
export function readDirectives(text: string, startLine: number): Directive[] {
  const directives: Directive[] = []
  // Line by line from the top, not text.split: the comment block is short, the migration may be long.
  for (let start = 0, i = 0; start <= text.length; i++) {
    const end = text.indexOf('\n', start)
    const line = text.slice(start, end === -1 ? text.length : end).trim()
    start = end === -1 ? text.length + 1 : end + 1
    if (line === '') continue
    if (!line.startsWith('--')) break
    const m = DIRECTIVE.exec(line)
    if (m) directives.push({ name: m[1].toLowerCase(), line: startLine + i })
  }
  return directives
}

/**
 * True when the text holds anything but whitespace and comments. A small scanner, not a SQL parser:
 * it only has to tell "empty" from "not empty", and strings cannot start before the first token.
 */
export function hasSql(text: string): boolean {
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (/\s/.test(c) || c === ';') {
      i++
    } else if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i)
      i = nl === -1 ? text.length : nl + 1
    } else if (text.startsWith('/*', i)) {
      // Postgres block comments nest.
      let depth = 0
      while (i < text.length) {
        if (text.startsWith('/*', i)) {
          depth++
          i += 2
        } else if (text.startsWith('*/', i)) {
          depth--
          i += 2
          if (depth === 0) break
        } else i++
      }
    } else {
      return true
    }
  }
  return false
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}
