import { registerSecret } from '../redact.js'
import type { SqlParser, SqlToken } from './parse.js'

/**
 * Passwords written into migration SQL: `CREATE/ALTER ROLE|USER … PASSWORD '…'`, and
 * `OPTIONS (password '…')` of `CREATE/ALTER USER MAPPING` and `CREATE/ALTER SERVER`. PostgreSQL's own
 * lexer (libpg-query's scanner) finds them — a PASSWORD keyword followed by a string literal — so they
 * are found also in a file the grammar rejects, whose excerpt is exactly what a failure report shows.
 *
 * Statements that set a password are often inside a string themselves: the body of a `DO` block or a
 * function (the idempotent `DO $$ … IF NOT EXISTS … CREATE ROLE … PASSWORD '…'` pattern), or an
 * `EXECUTE '…'` string inside such a body. Every string literal that mentions a password is lexed
 * again as SQL, to any depth. Dynamic SQL that leaves the password out of the string is followed
 * too: `format('… PASSWORD %L', 'pw')`, `'… PASSWORD ' || quote_literal('pw')`, and a PL/pgSQL
 * variable of the same body given a literal (`pw text := 'pw'`) in place of the literal.
 */
export interface SqlSecret {
  /**
   * UTF-16 offsets of the literal (quotes included) in the scanned text; for a password inside a body
   * or an EXECUTE string, of the outermost literal that holds it.
   */
  start: number
  end: number
  /** The password as the server receives it (quotes removed, escapes resolved). */
  value: string
  /** The literal's content as written in the scanned text (inside each enclosing literal's quoting). */
  written: string
  /** Every spelling: as written, and at each level of nesting (what an error of the server quotes). */
  spellings: string[]
}

const PLACEHOLDER = /^%(?:\d+\$)?-?(?:\*(?:\d+\$)?|\d+)?[sIL]$/

/** Bodies nest a few levels at most; each level doubles the quotes, so deeper is no real SQL. */
const MAX_DEPTH = 8

export function findSqlSecrets(parser: SqlParser, source: string): SqlSecret[] {
  // Every form spells the word as written, so a text without it needs no lexer (which was the costliest
  // part of planning a long chain).
  if (!/password/i.test(source)) return []
  return scanLevel(parser, source, 0).secrets.map((s) => ({ ...s, written: s.spellings[s.spellings.length - 1] }))
}

/** Registers every password literal of `source` with the redaction (and the runner's log mask). */
export function registerSqlSecrets(parser: SqlParser, source: string): void {
  for (const secret of findSqlSecrets(parser, source)) {
    registerSecret(secret.value)
    for (const spelling of secret.spellings) registerSecret(spelling)
  }
}

/**
 * `text` with every string literal replaced by `'…'`: for SQL of another session (the one holding a
 * lock a migration waited for), where any literal may be a password and none is needed to tell what
 * the session does. A literal cut off at the end of the text is replaced too.
 */
export function maskStringLiterals(parser: SqlParser, text: string): string {
  const tokens = parser.scan(text)
  if (tokens === undefined) return text.replace(/(?:[eE]?'(?:[^']|'')*'?|\$([A-Za-z_]\w*)?\$[\s\S]*?(?:\$\1\$|$))/g, "'…'")
  let out = ''
  let at = 0
  for (const token of tokens) {
    if (token.kind !== 'SCONST' && token.kind !== 'USCONST' && token.kind !== 'BCONST' && token.kind !== 'XCONST' && token.kind !== 'UNTERMINATED') continue
    // An unterminated quoted identifier or comment is no literal.
    if (token.kind === 'UNTERMINATED' && !/^(?:[eEuUbBxX]&?)?'|^\$/.test(text.slice(token.start, token.start + 3))) continue
    out += text.slice(at, token.start) + "'…'"
    at = token.end
  }
  return out + text.slice(at)
}

interface Found {
  start: number
  end: number
  value: string
  /** Innermost first: as written at the deepest level, then quoted for each enclosing literal. */
  spellings: string[]
}

interface Level {
  secrets: Found[]
  /** The text ends with PASSWORD (and maybe an opening quote): the password is concatenated after this string. */
  passwordAtEnd: boolean
}

function scanLevel(parser: SqlParser, text: string, depth: number): Level {
  const tokens = parser.scan(text)
  if (tokens === undefined) return { secrets: fallbackSecrets(text), passwordAtEnd: false }
  const word = (t: SqlToken | undefined): string => (t ? text.slice(t.start, t.end) : '')
  const secrets: Found[] = []
  const literal = (t: SqlToken): void => {
    const { value, written } = literalValue(word(t))
    // PASSWORD '%s' in a format string: the password is an argument, found below.
    if (PLACEHOLDER.test(value)) return
    secrets.push({ start: t.start, end: t.end, value, spellings: [written] })
  }
  /** A password given as an expression: a literal, quote_literal('…'), or a variable of this text set to a literal. */
  const expression = (from: number, to: number): void => {
    const parts = tokens.slice(from, to)
    const quoted = parts.length === 4 && /^quote_(?:literal|nullable)$/i.test(word(parts[0])) && word(parts[1]) === '(' && word(parts[3]) === ')' ? parts[2] : undefined
    const single = parts.length === 1 ? parts[0] : quoted
    if (single?.kind === 'SCONST') literal(single)
    else if (single && /^[a-z_]\w*$/i.test(word(single))) for (const value of variableLiterals(tokens, text, word(single))) literal(value)
  }

  tokens.forEach((token, i) => {
    const next = tokens[i + 1]
    if (next?.kind === 'SCONST' && namesPassword(token, text)) literal(next)
    if (token.kind !== 'SCONST' || depth >= MAX_DEPTH) return
    const content = literalValue(word(token))
    if (!/password/i.test(content.value)) return
    const inner = scanLevel(parser, content.value, depth + 1)
    for (const found of inner.secrets) {
      secrets.push({
        start: token.start,
        end: token.end,
        value: found.value,
        spellings: [...found.spellings, ...quotedIn(word(token), found.spellings[found.spellings.length - 1])]
      })
    }
    if (inner.passwordAtEnd && word(next) === '||') expression(i + 2, operandEnd(tokens, text, i + 2))
    const args = formatArguments(tokens, text, i)
    for (const n of passwordPlaceholders(content.value)) if (args[n]) expression(args[n].from, args[n].to)
  })
  const last = tokens[tokens.length - 1]
  const passwordAtEnd = last !== undefined && (namesPassword(last, text) || (last.kind === 'UNTERMINATED' && namesPassword(tokens[tokens.length - 2], text)))
  return { secrets, passwordAtEnd }
}

/** The keyword `PASSWORD`, or an option name spelled `"password"` (generic options take identifiers). */
function namesPassword(token: SqlToken | undefined, source: string): boolean {
  if (!token) return false
  if (token.keyword === 'PASSWORD') return true
  return token.kind === 'IDENT' && source.slice(token.start, token.end).toLowerCase() === '"password"'
}

function literalValue(literal: string): { value: string; written: string } {
  const dollar = /^(\$[^$]*\$)([\s\S]*)\1$/.exec(literal)
  if (dollar) return { value: dollar[2], written: dollar[2] }
  const escaped = /^[eE]'/.test(literal)
  const written = literal.slice(escaped ? 2 : literal.indexOf("'") + 1, -1)
  let value = written.replace(/''/g, "'")
  if (escaped) value = value.replace(/\\(.)/g, '$1')
  return { value, written }
}

/** How `content` is spelled inside `literal`'s quotes: doubled quotes, or backslash escapes in an E'…' string. */
function quotedIn(literal: string, content: string): string[] {
  if (literal.startsWith('$')) return []
  const doubled = content.replace(/'/g, "''")
  if (!/^[eE]'/.test(literal)) return doubled === content ? [] : [doubled]
  const backslashed = content.replace(/\\/g, '\\\\').replace(/'/g, "\\'")
  return [...new Set([doubled, backslashed, content.replace(/\\/g, '\\\\').replace(/'/g, "''")])].filter((s) => s !== content)
}

/** Where the operand of a `||` that starts at `from` ends: at the next `||`, `;`, `,`, or a closing parenthesis of an outer level. */
function operandEnd(tokens: SqlToken[], text: string, from: number): number {
  let depth = 0
  for (let i = from; i < tokens.length; i++) {
    const w = text.slice(tokens[i].start, tokens[i].end)
    if (w === '(') depth++
    else if (w === ')' && depth-- === 0) return i
    else if (depth === 0 && (w === '||' || w === ';' || w === ',')) return i
  }
  return tokens.length
}

/** The token ranges of the arguments after the format string, when tokens[at] is the format string of a `format(…)` call. */
function formatArguments(tokens: SqlToken[], text: string, at: number): { from: number; to: number }[] {
  const word = (i: number): string => (tokens[i] ? text.slice(tokens[i].start, tokens[i].end) : '')
  if (word(at - 1) !== '(' || !/^format$/i.test(word(at - 2))) return []
  const args: { from: number; to: number }[] = []
  let depth = 0
  let from: number | undefined
  for (let i = at + 1; i < tokens.length; i++) {
    const w = word(i)
    if (w === '(') depth++
    else if (w === ')' && depth > 0) depth--
    else if ((w === ')' || w === ',') && depth === 0) {
      if (from !== undefined) args.push({ from, to: i })
      if (w === ')') break
      from = i + 1
    }
  }
  return args
}

/**
 * The format() arguments (0-based, after the format string) a password comes from: the placeholder
 * right after PASSWORD, `%L`, `%s` or `'%s'`, also positional (`%2$L`).
 */
function passwordPlaceholders(format: string): number[] {
  const found: number[] = []
  let next = 0
  for (const m of format.matchAll(/%(?:(\d+)\$)?(-)?(\*(?:\d+\$)?|\d+)?([sIL%])/g)) {
    if (m[4] === '%') continue
    if (m[3]?.startsWith('*')) next++
    const n = m[1] === undefined ? next : Number(m[1]) - 1
    next = n + 1
    if (/password\s+'?$/i.test(format.slice(0, m.index))) found.push(n)
  }
  return found
}

/** The literals a PL/pgSQL variable is set to in this text: `name [CONSTANT] type := '…'`, `= '…'`, `DEFAULT '…'`, or `name := '…'`. */
function variableLiterals(tokens: SqlToken[], text: string, name: string): SqlToken[] {
  const word = (i: number): string => (tokens[i] ? text.slice(tokens[i].start, tokens[i].end) : '')
  const starts = new Set([';', 'DECLARE', 'BEGIN', 'THEN', 'ELSE', 'LOOP', ''])
  const literals: SqlToken[] = []
  tokens.forEach((token, i) => {
    if (word(i).toLowerCase() !== name.toLowerCase() || !starts.has(word(i - 1).toUpperCase())) return
    for (let j = i + 1; j < tokens.length && j < i + 8 && word(j) !== ';'; j++) {
      if (word(j) !== ':=' && word(j) !== '=' && tokens[j].keyword !== 'DEFAULT') continue
      if (tokens[j + 1]?.kind === 'SCONST' && [';', ''].includes(word(j + 2))) literals.push(tokens[j + 1])
      return
    }
  })
  return literals
}

/** When the lexer cannot read a text: any literal right after the word PASSWORD, as conservatively as a pattern can. */
function fallbackSecrets(text: string): Found[] {
  const literals = /\bpassword\s+([eE]?'(?:[^'\\]|''|\\.)*'|(\$[A-Za-z_]*\$)[\s\S]*?\2)/gi
  return [...text.matchAll(literals)].map((m) => {
    const { value, written } = literalValue(m[1])
    return { start: m.index + m[0].length - m[1].length, end: m.index + m[0].length, value, spellings: [written] }
  })
}
