import { hash } from 'node:crypto'
import { plural } from '../../report/markdown.js'
import { readFileSync, type Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { ActionError, errorMessage } from '../../errors.js'
import { loadSqlParser } from '../../sql/parse.js'

/**
 * Reads a directory of plain SQL migrations. Three layouts are accepted:
 * - `<version>_<name>.sql`: the whole file is the up migration;
 * - the same with dbmate sections `-- migrate:up` / `-- migrate:down`;
 * - golang-migrate pairs `<version>_<name>.up.sql` / `<version>_<name>.down.sql`.
 * Everything here is plain text work. Only a file whose section markers might sit inside a string,
 * dollar-quoted body or block comment needs PostgreSQL's lexer, which is then loaded (lazily).
 */

export type FileStyle = 'plain' | 'dbmate' | 'pair'

export interface Section {
  /** The section's text (line endings normalized to LF). */
  text: string
  /** 1-based line in its file where `text` begins. */
  startLine: number
  /** The file the section is in, relative to the working directory. */
  file: string
  /** The whole file (LF), for error excerpts. */
  fileText: string
  /** The marker that runs this section outside a transaction, with its line: `-- migrate:down transaction:false (line 9)`. */
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
  /** dbmate's `-- migrate:up transaction:false`. */
  dbmateNoTransaction: boolean
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
}

export const KNOWN_DIRECTIVES = ['no-transaction', 'allow'] as const

const FILE_NAME = /^(\d+)_([^/\\]+?)(\.up|\.down)?\.sql$/
const DIRECTIVE = /^--\s*pg-migrate:\s*([A-Za-z0-9_-]+)\s*$/
/** dbmate's markers, case-insensitive and with optional space after the colon: `-- Migrate: Down`. */
const DBMATE_MARKER = /^--\s*migrate:\s*(up|down)(?=\s|$)(.*)$/i
/** A comment line shaped like a marker (`-- migration:down`, `--migrate dwn`): word, colon or space, one word, options. */
const MARKER_SHAPE = /^--\s*([a-z]+)(\s*:\s*|\s+)([a-z]*)((?:\s+[\w-]+\s*:\s*[\w-]+)*)$/i
/** A marker with something glued to it: `-- migrate:down;`, `-- migrate :up`. */
const GLUED_MARKER = /^--\s*migrate\s*:\s*(up|down)/i
const VALID_MARKERS = '-- migrate:up and -- migrate:down (any case, optionally followed by transaction:false)'

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
  const entries = await listSqlFiles(absolute, directory)
  // One path.relative for the directory, not one per file: it resolves both paths each time.
  const relativeDirectory = toPosix(path.relative(cwd, absolute))
  const relative = (fileName: string): string => (relativeDirectory ? `${relativeDirectory}/${fileName}` : fileName)

  const bad = entries.filter((f) => !FILE_NAME.test(f))
  if (bad.length > 0) {
    throw new ActionError(
      'sql-bad-file-name',
      `${plural(bad.length, 'SQL file')} in ${directory} ${bad.length === 1 ? 'does' : 'do'} not match <version>_<name>.sql: ${bad.join(', ')}.`,
      {
        location: { file: relative(bad[0]) },
        hint: 'Name migrations like 0001_create_documents.sql or 20251016103800_add_chunks.sql (digits, underscore, name), or <version>_<name>.up.sql / .down.sql pairs. Move other SQL files out of the migrations directory.'
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

async function listSqlFiles(absolute: string, directory: string): Promise<string[]> {
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
  return sql
    .filter((_, i) => isFile[i])
    .map((e) => e.name)
    .sort()
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
  return finish({ version, name, style: 'pair', file: upFile, up, down, dbmateNoTransaction: false })
}

function splitPlainFile(version: string, name: string, file: string, text: string, insideLiteral: ReadonlySet<number>): SqlMigration {
  const sections = splitDbmateSections(text, file, insideLiteral)
  const up: Section = { text: sections?.up.text ?? text, startLine: sections?.up.startLine ?? 1, file, fileText: text }
  const down = sections?.down ? { ...sections.down, file, fileText: text } : undefined
  return finish({ version, name, style: sections ? 'dbmate' : 'plain', file, up, down, dbmateNoTransaction: sections?.noTransaction ?? false })
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
    const where = m.style === 'dbmate' ? ` (its -- migrate:up section, from line ${m.up.startLine})` : ''
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
  try {
    return normalizeNewlines(UTF8.decode(bytes))
  } catch {
    const at = firstInvalidUtf8(bytes)
    throw new ActionError('sql-not-utf8', `The migration file ${file} is not valid UTF-8 (first bad byte at offset ${at}).`, {
      location: { file },
      hint: 'Save the file as UTF-8 (for example: iconv -f latin1 -t utf-8). PostgreSQL migrations are sent as UTF-8.'
    })
  }
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

interface DbmateSections {
  up: { text: string; startLine: number }
  down?: { text: string; startLine: number; noTransaction?: string }
  noTransaction: boolean
}

/**
 * Undefined for a file without `-- migrate:` markers. `insideLiteral` holds the 1-based lines that
 * start inside a string, dollar-quoted body or block comment: a marker there is text, not a marker.
 */
export function splitDbmateSections(text: string, file: string, insideLiteral: ReadonlySet<number> = new Set()): DbmateSections | undefined {
  const lines = text.split('\n')
  const markers: { kind: 'up' | 'down'; line: number; options: string }[] = []
  for (const candidate of markerCandidates(lines)) {
    if (insideLiteral.has(candidate.line)) continue
    if (candidate.kind === 'look-alike') rejectLookAlike(file, candidate.line, lines[candidate.line - 1].trim())
    else markers.push({ kind: candidate.kind, line: candidate.line, options: candidate.options })
  }
  if (markers.length === 0) return undefined

  const reject = (message: string, line: number, hint: string): never => {
    throw new ActionError('sql-bad-sections', `${file}: ${message}`, { location: { file, line }, hint })
  }
  const ups = markers.filter((m) => m.kind === 'up')
  const downs = markers.filter((m) => m.kind === 'down')
  if (ups.length === 0) reject('has a -- migrate:down section but no -- migrate:up section.', downs[0].line, 'Add a -- migrate:up line before the up migration.')
  if (ups.length > 1) reject(`has ${ups.length} -- migrate:up lines (lines ${ups.map((m) => m.line).join(', ')}).`, ups[1].line, 'Keep one -- migrate:up section.')
  if (downs.length > 1) reject(`has ${downs.length} -- migrate:down lines (lines ${downs.map((m) => m.line).join(', ')}).`, downs[1].line, 'Keep one -- migrate:down section.')
  const before = lines.slice(0, markers[0].line - 1).join('\n')
  if (hasSql(before)) {
    reject(`has SQL before its first -- migrate: line (line ${markers[0].line}).`, 1, 'Move the SQL into the -- migrate:up or -- migrate:down section.')
  }

  const section = (marker: { line: number }): { text: string; startLine: number } => {
    const next = markers.find((m) => m.line > marker.line)
    const end = next ? next.line - 1 : lines.length
    return { text: lines.slice(marker.line, end).join('\n'), startLine: marker.line + 1 }
  }
  return {
    up: section(ups[0]),
    down: downs[0]
      ? { ...section(downs[0]), ...(/\btransaction\s*:\s*false\b/i.test(downs[0].options) ? { noTransaction: `${lines[downs[0].line - 1].trim()} (line ${downs[0].line})` } : {}) }
      : undefined,
    noTransaction: /\btransaction\s*:\s*false\b/i.test(ups[0].options)
  }
}

interface MarkerCandidate {
  kind: 'up' | 'down' | 'look-alike'
  /** 1-based. */
  line: number
  options: string
}

/** Marker lines and lines that look like a mistyped marker, before knowing which are inside literals. */
function markerCandidates(lines: string[]): MarkerCandidate[] {
  const candidates: MarkerCandidate[] = []
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (!line.startsWith('--')) return
    const marker = DBMATE_MARKER.exec(line)
    if (marker) candidates.push({ kind: marker[1].toLowerCase() as 'up' | 'down', line: i + 1, options: marker[2].trim() })
    else if (looksLikeMarker(line)) candidates.push({ kind: 'look-alike', line: i + 1, options: '' })
  })
  return candidates
}

/**
 * A mistyped marker would otherwise be a plain comment, so a down section would run as part of the
 * up migration. `-- migrate:` followed by one other word is one; so is a word close to "migrate"
 * followed by a word close to up/down and nothing but options (`-- migration: down`, `-- migrate dwn`).
 * Prose (`-- migrate: move the rows to b`) is not.
 */
function looksLikeMarker(line: string): boolean {
  // Markers are short; the length bound also keeps the pattern linear on long runs of spaces.
  const shape = line.length <= 120 ? MARKER_SHAPE.exec(line) : null
  if (!shape) return GLUED_MARKER.test(line)
  const [first, separator, second] = [shape[1].toLowerCase(), shape[2].trim(), shape[3].toLowerCase()]
  if (first === 'migrate' && separator === ':') return true
  const nearMigrate = first.startsWith('migrat') || editDistance(first, 'migrate') <= 2
  const nearDirection = second.length >= 2 && (editDistance(second, 'up') <= 1 || editDistance(second, 'down') <= 2)
  return nearMigrate && nearDirection
}

function rejectLookAlike(file: string, line: number, text: string): never {
  throw new ActionError(
    'sql-bad-section-marker',
    `${file}:${line}: "${text}" looks like a dbmate section marker but is not one, so everything below it would run as part of the section above it. The markers are ${VALID_MARKERS}.`,
    {
      location: { file, line },
      hint: `Write the line as -- migrate:up or -- migrate:down. If it is meant as a comment, reword it so it does not read like a marker.`
    }
  )
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
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
