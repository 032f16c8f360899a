import { registerSecret } from '../redact.js'
import type { SqlParser, SqlToken } from './parse.js'

/**
 * Passwords written into migration SQL: `CREATE/ALTER ROLE|USER … PASSWORD '…'`, and
 * `OPTIONS (password '…')` of `CREATE/ALTER USER MAPPING` and `CREATE/ALTER SERVER`. The lexer finds
 * them (a PASSWORD keyword followed by a string literal), so they are found also in a file the
 * grammar rejects — whose excerpt is exactly what a failure report shows.
 */
export interface SqlSecret {
  /** UTF-16 offsets of the whole literal (quotes included) in the scanned text. */
  start: number
  end: number
  /** The password as the server receives it (quotes removed, escapes resolved). */
  value: string
  /** The literal's content as written between its quotes, when it differs from `value`. */
  written: string
}

export function findSqlSecrets(parser: SqlParser, source: string): SqlSecret[] {
  // Both forms spell the word as written, so a text without it needs no lexer (which was the costliest
  // part of planning a long chain).
  if (!/password/i.test(source)) return []
  const tokens = parser.scan(source)
  if (tokens === undefined) return []
  const secrets: SqlSecret[] = []
  tokens.forEach((token, i) => {
    const next = tokens[i + 1]
    if (next?.kind !== 'SCONST' || !namesPassword(token, source)) return
    const literal = source.slice(next.start, next.end)
    const { value, written } = literalValue(literal)
    secrets.push({ start: next.start, end: next.end, value, written })
  })
  return secrets
}

/** Registers every password literal of `source` with the redaction (and the runner's log mask). */
export function registerSqlSecrets(parser: SqlParser, source: string): void {
  for (const secret of findSqlSecrets(parser, source)) {
    registerSecret(secret.value)
    registerSecret(secret.written)
  }
}

/** The keyword `PASSWORD`, or an option name spelled `"password"` (generic options take identifiers). */
function namesPassword(token: SqlToken, source: string): boolean {
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
