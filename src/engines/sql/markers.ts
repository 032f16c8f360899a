import { ActionError } from '../../errors.js'

/**
 * Section markers, line by line: dbmate's `-- migrate:up` / `-- migrate:down`, goose's annotations
 * (`-- +goose Up`, `Down`, `StatementBegin`, `StatementEnd`, `NO TRANSACTION`) and sql-migrate's
 * (`-- +migrate Up`, `Down`, `StatementBegin`, `StatementEnd`, `Up notransaction`), each read as its
 * own tool reads it. A line that only looks like one (another case or spacing the tool would not
 * accept, a block comment, a fullwidth colon, an invisible character) would be a plain comment to the
 * tool, so a down section below it would run as part of up: it is refused with the marker to write.
 */

export type MarkerDialect = 'dbmate' | 'goose' | 'sql-migrate'
export type MarkerKind = 'up' | 'down' | 'statement-begin' | 'statement-end' | 'no-transaction'

export interface Marker {
  kind: MarkerKind
  dialect: MarkerDialect
  /** 1-based. */
  line: number
  /** dbmate's `transaction:false`, sql-migrate's `notransaction` on this up or down marker. */
  noTransaction: boolean
  /** The line as written, trimmed. */
  text: string
}

/** A line that reads like a marker but is not one to its tool (or is one this action does not support). */
export interface MarkerMistake {
  kind: 'look-alike' | 'unsupported'
  dialect: MarkerDialect
  line: number
  text: string
  /** What is wrong with it, when that is not obvious from the line. */
  why?: string
  /** The marker to write instead. */
  suggestion: string
}

export type MarkerCandidate = Marker | MarkerMistake

export function isMistake(candidate: MarkerCandidate): candidate is MarkerMistake {
  return candidate.kind === 'look-alike' || candidate.kind === 'unsupported'
}

const TOOL: Record<MarkerDialect, string> = { dbmate: 'a dbmate section marker', goose: 'a goose annotation', 'sql-migrate': 'an sql-migrate marker' }

export const VALID_MARKERS: Record<MarkerDialect, string> = {
  dbmate: '-- migrate:up and -- migrate:down (any case, optionally followed by transaction:false)',
  goose: '-- +goose Up, -- +goose Down, -- +goose StatementBegin, -- +goose StatementEnd and -- +goose NO TRANSACTION (any case, at the very start of the line)',
  'sql-migrate':
    '-- +migrate Up and -- +migrate Down (optionally followed by notransaction), -- +migrate StatementBegin and -- +migrate StatementEnd (written exactly so, at the very start of the line)'
}

/** How a marker of each kind is written, for messages. */
export function markerName(dialect: MarkerDialect, kind: MarkerKind): string {
  const names: Record<MarkerDialect, Partial<Record<MarkerKind, string>>> = {
    dbmate: { up: '-- migrate:up', down: '-- migrate:down' },
    goose: {
      up: '-- +goose Up',
      down: '-- +goose Down',
      'statement-begin': '-- +goose StatementBegin',
      'statement-end': '-- +goose StatementEnd',
      'no-transaction': '-- +goose NO TRANSACTION'
    },
    'sql-migrate': { up: '-- +migrate Up', down: '-- +migrate Down', 'statement-begin': '-- +migrate StatementBegin', 'statement-end': '-- +migrate StatementEnd' }
  }
  return names[dialect][kind] ?? kind
}

/** dbmate's markers, case-insensitive and with optional space after the colon: `-- Migrate: Down`. */
const DBMATE_MARKER = /^--\s*migrate:\s*(up|down)(?=\s|$)(.*)$/i
/** A comment line shaped like a marker (`-- migration:down`, `--migrate dwn`): word, colon or space, one word, options. */
const MARKER_SHAPE = /^--\s*([a-z]+)(\s*:\s*|\s+)([a-z]*)((?:\s+[\w-]+\s*:\s*[\w-]+)*)$/i
/** A marker with something glued to it: `-- migrate:down;`, `-- migrate :up`. */
const GLUED_MARKER = /^--\s*migrate\s*:\s*(up|down)/i

/** goose's annotations as it compares them (case-insensitively, after removing every `--` and the first `+goose`). */
const GOOSE_ANNOTATIONS: Record<string, MarkerKind | 'envsub'> = {
  up: 'up',
  down: 'down',
  statementbegin: 'statement-begin',
  statementend: 'statement-end',
  'no transaction': 'no-transaction',
  'envsub on': 'envsub',
  'envsub off': 'envsub'
}
const SQL_MIGRATE_PREFIX = '-- +migrate '
const SQL_MIGRATE_COMMANDS: Record<string, MarkerKind> = { Up: 'up', Down: 'down', StatementBegin: 'statement-begin', StatementEnd: 'statement-end' }

/** Marker lines and lines that look like one, before knowing which are inside literals. */
export function markerCandidates(lines: string[]): MarkerCandidate[] {
  const candidates: MarkerCandidate[] = []
  for (let i = 0; i < lines.length; i++) {
    const candidate = classifyLine(lines[i], i + 1)
    if (candidate) candidates.push(candidate)
  }
  return candidates
}

function classifyLine(raw: string, line: number): MarkerCandidate | undefined {
  const trimmed = raw.trim()
  if (trimmed === '') return undefined
  // Most lines are SQL: an ASCII line that does not start a comment cannot be a marker or look like one.
  if (trimmed.charCodeAt(0) < 128 && !trimmed.startsWith('--') && !trimmed.startsWith('/*')) return undefined
  if (trimmed.startsWith('--')) {
    const exact = exactMarker(raw, trimmed, line)
    if (exact) return exact
  }
  return lookAlike(trimmed, line)
}

/** The line as its tool reads it: a marker, a mistake the tool itself would make or refuse, or undefined. */
function exactMarker(raw: string, trimmed: string, line: number): MarkerCandidate | undefined {
  const dbmate = DBMATE_MARKER.exec(trimmed)
  if (dbmate) {
    const kind = dbmate[1].toLowerCase() as 'up' | 'down'
    return { kind, dialect: 'dbmate', line, text: trimmed, noTransaction: /\btransaction\s*:\s*false\b/i.test(dbmate[2]) }
  }
  if (raw.includes('+goose')) return gooseAnnotation(raw, trimmed, line)
  if (raw.startsWith(SQL_MIGRATE_PREFIX)) return sqlMigrateCommand(raw, trimmed, line)
  return undefined
}

/** goose: a line starting with `--` and holding `+goose` is an annotation, or goose refuses the file. */
function gooseAnnotation(raw: string, trimmed: string, line: number): MarkerCandidate {
  const command = raw.replaceAll('--', '').replace('+goose', '').trim()
  const known = GOOSE_ANNOTATIONS[command.toLowerCase()]
  const mistake = (why: string): MarkerMistake => ({ kind: 'look-alike', dialect: 'goose', line, text: trimmed, why, suggestion: gooseSuggestion(command) })
  if (/^\s/.test(raw)) return mistake('goose reads annotations only at the very start of the line')
  if (command.includes('+goose')) return mistake('it holds two annotations')
  if (known === undefined) return mistake(`goose has no annotation "${command}"`)
  if (known === 'envsub') {
    return {
      kind: 'unsupported',
      dialect: 'goose',
      line,
      text: trimmed,
      why: "the action sends the SQL as written and does not substitute environment variables, so the migration would not be goose's",
      suggestion: 'the values written into the SQL (and the line removed)'
    }
  }
  return { kind: known, dialect: 'goose', line, text: trimmed, noTransaction: false }
}

/** sql-migrate: `-- +migrate <Command> [options]`, the command written exactly so; it ignores any other command. */
function sqlMigrateCommand(raw: string, trimmed: string, line: number): MarkerCandidate {
  const [command = '', ...options] = raw.slice(SQL_MIGRATE_PREFIX.length).trim().split(/\s+/)
  const kind = SQL_MIGRATE_COMMANDS[command]
  const mistake = (why: string): MarkerMistake => ({ kind: 'look-alike', dialect: 'sql-migrate', line, text: trimmed, why, suggestion: sqlMigrateSuggestion(raw.slice(3)) })
  if (kind === undefined) return mistake(`sql-migrate reads only Up, Down, StatementBegin and StatementEnd, written exactly so, and would ignore "${command}"`)
  const unknown = options.filter((o) => !(o === 'notransaction' && (kind === 'up' || kind === 'down')))
  if (unknown.length > 0) return mistake(`sql-migrate would ignore "${unknown.join(' ')}"`)
  return { kind, dialect: 'sql-migrate', line, text: trimmed, noTransaction: options.includes('notransaction') }
}

/**
 * A line that its tool would read as a plain comment (or refuse), but a reader takes for a marker:
 * compared after folding fullwidth and other look-alike characters to ASCII and dropping invisible ones.
 */
function lookAlike(trimmed: string, line: number): MarkerMistake | undefined {
  const odd = oddCharacter(trimmed)
  let text = odd === undefined ? trimmed : foldToAscii(trimmed)
  let why = odd
  if (text.startsWith('/*') && text.endsWith('*/') && text.length >= 4) {
    text = `-- ${text
      .slice(2, -2)
      .trim()
      .replace(/^-+\s*/, '')}`
    why ??= 'it is a block comment: markers are -- line comments'
  }
  if (!text.startsWith('--')) return undefined
  const body = text.slice(2).trim()
  const mistake = (dialect: MarkerDialect, suggestion: string): MarkerMistake => ({ kind: 'look-alike', dialect, line, text: trimmed, why, suggestion })

  const goose = /^(\+?)\s*goose\b\s*(.*)$/i.exec(body)
  if (goose && (goose[1] === '+' || GOOSE_ANNOTATIONS[goose[2].toLowerCase()] !== undefined)) return mistake('goose', gooseSuggestion(goose[2]))
  const sqlMigrate = /^\+\s*migrate\b\s*(.*)$/i.exec(body)
  if (sqlMigrate) return mistake('sql-migrate', sqlMigrateSuggestion(sqlMigrate[1]))
  if (DBMATE_MARKER.test(text) || looksLikeDbmateMarker(text)) return mistake('dbmate', dbmateSuggestion(body))
  return undefined
}

/**
 * A mistyped marker would otherwise be a plain comment, so a down section would run as part of the
 * up migration. `-- migrate:` followed by one other word is one; so is a word close to "migrate"
 * followed by a word close to up/down and nothing but options (`-- migration: down`, `-- migrate dwn`).
 * Prose (`-- migrate: move the rows to b`) is not.
 */
function looksLikeDbmateMarker(line: string): boolean {
  // Markers are short; the length bound also keeps the pattern linear on long runs of spaces.
  const shape = line.length <= 120 ? MARKER_SHAPE.exec(line) : null
  if (!shape) return GLUED_MARKER.test(line)
  const [first, separator, second] = [shape[1].toLowerCase(), shape[2].trim(), shape[3].toLowerCase()]
  if (first === 'migrate' && separator === ':') return true
  const nearMigrate = first.startsWith('migrat') || editDistance(first, 'migrate') <= 2
  const nearDirection = second.length >= 2 && (editDistance(second, 'up') <= 1 || editDistance(second, 'down') <= 2)
  return nearMigrate && nearDirection
}

/** The first character that is not printable ASCII, named, for the message; undefined when there is none. */
function oddCharacter(text: string): string | undefined {
  const odd = /[^\x20-\x7e]/u.exec(text)
  if (!odd) return undefined
  const code = odd[0].codePointAt(0)!
  return `it holds the character U+${code.toString(16).toUpperCase().padStart(4, '0')} where a marker has plain ASCII`
}

/**
 * Fullwidth forms and compatibility characters through NFKC (`：` to `:`, `＋` to `+`), other colons,
 * dashes and pluses to theirs, invisible format characters (zero-width space, BOM) dropped, and any
 * letter still not ASCII (a Cyrillic `а` in "migrаte") to `x`, which the edit distance then weighs.
 */
function foldToAscii(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(/\p{Cf}/gu, '')
      .replace(/[\u02d0\u0589\u05c3\u2236\ua789\ufe13\ufe55]/g, ':')
      // Word processors turn `--` into an en or em dash.
      .replace(/[\u2013-\u2015\ufe58]/g, '--')
      .replace(/[\u2010-\u2012\u2212\ufe63]/g, '-')
      .replace(/[\u2795\ufb29]/g, '+')
      .replace(/\s+/g, ' ')
      .replace(/[^\x20-\x7e]/g, 'x')
  )
}

function direction(word: string): 'up' | 'down' | undefined {
  const w = word.toLowerCase().replace(/[^a-z]/g, '')
  if (w === '') return undefined
  if (w.startsWith('down')) return 'down'
  if (w.startsWith('up') || (editDistance(w, 'up') <= 1 && !w.startsWith('d'))) return 'up'
  if (editDistance(w, 'down') <= 2) return 'down'
  return undefined
}

function dbmateSuggestion(body: string): string {
  const word = /migr?a?t?[a-z]*\s*:?\s*([a-z]+)/i.exec(body)?.[1]
  const to = word === undefined ? undefined : direction(word)
  return to ? `-- migrate:${to}` : '-- migrate:up or -- migrate:down'
}

function gooseSuggestion(command: string): string {
  const key = command
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  const kind = GOOSE_ANNOTATIONS[key] ?? GOOSE_ANNOTATIONS[key.replace(/ /g, '')] ?? (key === 'notransaction' ? 'no-transaction' : direction(key.split(' ')[0] ?? ''))
  return kind && kind !== 'envsub' ? markerName('goose', kind) : '-- +goose Up or -- +goose Down'
}

function sqlMigrateSuggestion(rest: string): string {
  const words = rest
    .replace(/^\s*\+?\s*migrate\b/i, '')
    .trim()
    .split(/\s+/)
  const byKey = new Map(Object.entries(SQL_MIGRATE_COMMANDS).map(([name, kind]) => [name.toLowerCase(), kind]))
  const kind = byKey.get(words[0]?.toLowerCase() ?? '') ?? direction(words[0] ?? '')
  if (!kind) return '-- +migrate Up or -- +migrate Down'
  const noTransaction = (kind === 'up' || kind === 'down') && words.slice(1).some((w) => w.toLowerCase().replace(/[^a-z]/g, '') === 'notransaction')
  return markerName('sql-migrate', kind) + (noTransaction ? ' notransaction' : '')
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

/** Refuses a look-alike or unsupported marker, naming the file, line, and the marker to write. */
export function rejectMarkerMistake(file: string, mistake: MarkerMistake): never {
  const where = `${file}:${mistake.line}: "${mistake.text}"`
  if (mistake.kind === 'unsupported') {
    throw new ActionError('sql-unsupported-marker', `${where} is ${TOOL[mistake.dialect]} this action does not support: ${mistake.why}.`, {
      location: { file, line: mistake.line },
      hint: `Replace it with ${mistake.suggestion}. The supported markers are ${VALID_MARKERS[mistake.dialect]}.`
    })
  }
  throw new ActionError(
    'sql-bad-section-marker',
    `${where} looks like ${TOOL[mistake.dialect]} but is not one${mistake.why ? ` (${mistake.why})` : ''}, so everything below it would run as part of the section above it. Write it as ${mistake.suggestion}. The markers are ${VALID_MARKERS[mistake.dialect]}.`,
    {
      location: { file, line: mistake.line },
      hint: `Write the line as ${mistake.suggestion}. If it is meant as a comment, reword it so it does not read like a marker.`
    }
  )
}
