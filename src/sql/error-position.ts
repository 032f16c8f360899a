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

export interface SourcePosition {
  /** 1-based. */
  line: number
  /** 1-based, in characters. */
  column: number
}

/** Line and column of a UTF-16 index in `text`. */
export function lineColumnAt(text: string, index: number): SourcePosition {
  const before = text.slice(0, Math.max(0, Math.min(index, text.length)))
  const lineStart = before.lastIndexOf('\n') + 1
  let line = 1
  for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === 10) line++
  return { line, column: [...before.slice(lineStart)].length + 1 }
}

/**
 * Where in the file a server error points: `statementStart` is the UTF-16 index in `fileText` of the
 * statement text that was sent, `statementText` that text, `position` the server's 1-based
 * `position` field (a string in node-postgres).
 */
export function serverPositionInFile(
  fileText: string,
  statementStart: number,
  statementText: string,
  position: string | number | undefined
): SourcePosition | undefined {
  const n = Number(position)
  if (position === undefined || !Number.isInteger(n) || n < 1) return undefined
  const within = codePointOffsetToIndex(statementText, n - 1)
  return lineColumnAt(fileText, statementStart + within)
}

/**
 * A few numbered lines around `line`, the line itself marked with `>` and, when `column` is known,
 * a caret under the character.
 */
export function excerptAround(fileText: string, line: number, column?: number, context = 2): string {
  const lines = fileText.split('\n')
  const first = Math.max(1, line - context)
  const last = Math.min(lines.length, line + context)
  const width = String(last).length
  const out: string[] = []
  for (let n = first; n <= last; n++) {
    const marker = n === line ? '>' : ' '
    const prefix = `${marker} ${String(n).padStart(width)} | `
    out.push(`${prefix}${lines[n - 1]}`.trimEnd())
    if (n === line && column !== undefined && column >= 1) {
      const lead = [...lines[n - 1]].slice(0, column - 1).map((c) => (c === '\t' ? '\t' : ' ')).join('')
      out.push(`${' '.repeat(prefix.length)}${lead}^`)
    }
  }
  return out.join('\n')
}
