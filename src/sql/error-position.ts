/**
 * Maps a server error back to the migration file. Postgres reports `position` as a 1-based count of
 * characters (code points) into the query text it received; JavaScript strings index UTF-16 units,
 * so the two differ as soon as the text holds characters outside the Basic Multilingual Plane.
 */

/** UTF-16 index into `text` of the 0-based code point offset `codePoints` (clamped to the text). */
export function codePointOffsetToIndex(text: string, codePoints: number): number {
  let index = 0
  for (let seen = 0; seen < codePoints && index < text.length; seen++) {
    index += (text.codePointAt(index) ?? 0) >= 0x10000 ? 2 : 1
  }
  return index
}

/**
 * Where in the sent statement a server error points, as a UTF-16 index into `statementText`:
 * `position` is the server's 1-based `position` field (a string in node-postgres). Undefined when
 * the error carries no position.
 */
export function serverPositionIndex(statementText: string, position: string | number | undefined): number | undefined {
  const n = Number(position)
  if (position === undefined || !Number.isInteger(n) || n < 1) return undefined
  return codePointOffsetToIndex(statementText, n - 1)
}

/**
 * A few numbered lines around `line`, the line itself marked with `>` and, when `column` is known,
 * a caret under the character.
 */
export function excerptAround(fileText: string, line: number, column?: number, context = 2): string {
  const lines = fileText.split(/\r?\n/)
  const first = Math.max(1, line - context)
  const last = Math.min(lines.length, line + context)
  const width = String(last).length
  const out: string[] = []
  for (let n = first; n <= last; n++) {
    const marker = n === line ? '>' : ' '
    const prefix = `${marker} ${String(n).padStart(width)} | `
    out.push(`${prefix}${lines[n - 1]}`.trimEnd())
    if (n === line && column !== undefined && column >= 1) {
      const lead = [...lines[n - 1]]
        .slice(0, column - 1)
        .map((c) => (c === '\t' ? '\t' : ' '))
        .join('')
      out.push(`${' '.repeat(prefix.length)}${lead}^`)
    }
  }
  return out.join('\n')
}
