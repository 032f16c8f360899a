import { ActionError } from '../../errors.js'

/**
 * Reads an Alembic revision file without Python: only the module-level assignments Alembic itself
 * reads (`revision`, `down_revision`, `branch_labels`, `depends_on`) and the module docstring.
 * Values must be literals — strings, None, tuples or lists of strings — which is what
 * `alembic revision` writes, with or without type annotations.
 */
export interface ParsedRevisionFile {
  revision: string
  /** 1-based line of the `revision =` assignment. */
  line: number
  downRevisions: string[]
  branchLabels: string[]
  dependsOn: string[]
  /** First line of the module docstring (Alembic's message), or ''. */
  message: string
}

type Key = 'revision' | 'down_revision' | 'branch_labels' | 'depends_on'

interface Statement {
  text: string
  /** 1-based line where it starts. */
  line: number
}

/** Thrown by the literal parser; the caller turns it into an ActionError naming the file. */
class LiteralError extends Error {}

export function parseRevisionSource(source: string, file: string): ParsedRevisionFile {
  const statements = topLevelStatements(source)
  const values = new Map<Key, { value: string[] | null; line: number }>()
  for (const statement of statements) {
    const match = /^(revision|down_revision|branch_labels|depends_on)\s*(?::([^=]*))?=(?!=)([\s\S]*)$/.exec(statement.text)
    if (!match) continue
    const key = match[1] as Key
    try {
      // Python semantics: a later assignment wins.
      values.set(key, { value: parseLiteral(match[3]), line: statement.line })
    } catch (error) {
      const reason = error instanceof LiteralError ? error.message : String(error)
      throw new ActionError('alembic-revision-unreadable', `${file}:${statement.line}: cannot read ${key} statically: ${reason}.`, {
        location: { file, line: statement.line },
        hint: `Write ${key} as a literal, as \`alembic revision\` does: a quoted string, None, or a tuple of quoted strings.`
      })
    }
  }
  const revision = values.get('revision')
  if (!revision) {
    throw new ActionError('alembic-revision-unreadable', `${file} has no module-level \`revision = '…'\` assignment, so its revision id cannot be read.`, {
      location: { file },
      hint: 'Every .py file in a versions directory must be an Alembic revision. Declare `revision = "<id>"` at module level, or move the file out of the versions directory.'
    })
  }
  if (revision.value === null || revision.value.length !== 1 || revision.value[0] === '') {
    throw new ActionError('alembic-revision-unreadable', `${file}:${revision.line}: revision must be one non-empty string.`, {
      location: { file, line: revision.line },
      hint: 'Declare the id as a quoted string, e.g. `revision = "ab12cd34ef56"`.'
    })
  }
  return {
    revision: revision.value[0],
    line: revision.line,
    downRevisions: values.get('down_revision')?.value ?? [],
    branchLabels: values.get('branch_labels')?.value ?? [],
    dependsOn: values.get('depends_on')?.value ?? [],
    message: docstringMessage(statements)
  }
}

function docstringMessage(statements: Statement[]): string {
  const first = statements[0]
  if (!first) return ''
  const match = /^[rRuU]?("""|''')([\s\S]*?)\1\s*$/.exec(first.text) ?? /^[rRuU]?(["'])((?:\\.|(?!\1).)*)\1\s*$/.exec(first.text)
  if (!match) return ''
  const line = match[2].split('\n').find((l) => l.trim() !== '')
  return line?.trim() ?? ''
}

/**
 * Splits Python source into top-level logical lines (statements that start in column 0), skipping
 * comments and keeping strings, brackets and backslash continuations together.
 */
export function topLevelStatements(source: string): Statement[] {
  const statements: Statement[] = []
  let i = 0
  let line = 1
  const n = source.length
  while (i < n) {
    // At the start of a physical line.
    const startLine = line
    const topLevel = /[A-Za-z_"'([]/.test(source[i] ?? '')
    let depth = 0
    let text = ''
    // Scan one logical line.
    while (i < n) {
      const c = source[i]
      if (c === '#') {
        while (i < n && source[i] !== '\n') i++
        continue
      }
      if (c === '\\' && source[i + 1] === '\n') {
        text += ' '
        i += 2
        line++
        continue
      }
      if (c === '"' || c === "'") {
        const end = stringEnd(source, i)
        const literal = source.slice(i, end)
        line += countNewlines(literal)
        text += literal
        i = end
        continue
      }
      if (c === '(' || c === '[' || c === '{') depth++
      if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1)
      if (c === '\n') {
        line++
        i++
        if (depth === 0) break
        text += '\n'
        continue
      }
      text += c
      i++
    }
    if (topLevel && text.trim() !== '') statements.push({ text: text.trim(), line: startLine })
  }
  return statements
}

/** Index just past the string literal starting at `i` (a quote), single or triple quoted. */
function stringEnd(source: string, i: number): number {
  const quote = source[i]
  const triple = source.startsWith(quote.repeat(3), i)
  let j = i + (triple ? 3 : 1)
  while (j < source.length) {
    const c = source[j]
    if (c === '\\') {
      j += 2
      continue
    }
    if (triple) {
      if (source.startsWith(quote.repeat(3), j)) return j + 3
    } else if (c === quote) {
      return j + 1
    } else if (c === '\n') {
      return j
    }
    j++
  }
  return j
}

function countNewlines(text: string): number {
  let count = 0
  for (const c of text) if (c === '\n') count++
  return count
}

/** None → null; a string → [s]; a tuple/list (bracketed or bare) of strings → the strings. */
export function parseLiteral(text: string): string[] | null {
  const p = new LiteralParser(text)
  const value = p.expression()
  p.skipSpace()
  if (!p.done()) throw new LiteralError(`unexpected '${p.rest().slice(0, 20)}'`)
  return value
}

class LiteralParser {
  private i = 0
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length
  }

  rest(): string {
    return this.s.slice(this.i)
  }

  skipSpace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++
  }

  expression(): string[] | null {
    this.skipSpace()
    const first = this.atom()
    this.skipSpace()
    // `down_revision = 'a', 'b'` is a tuple in Python.
    if (this.s[this.i] !== ',') return first
    const items = this.requireStrings(first)
    while (this.s[this.i] === ',') {
      this.i++
      this.skipSpace()
      if (this.done()) break
      items.push(...this.requireStrings(this.atom()))
      this.skipSpace()
    }
    return items
  }

  private requireStrings(value: string[] | null): string[] {
    if (value === null) throw new LiteralError('None inside a tuple')
    return [...value]
  }

  private atom(): string[] | null {
    this.skipSpace()
    const c = this.s[this.i]
    if (c === undefined) throw new LiteralError('missing value')
    if (this.s.startsWith('None', this.i) && !/\w/.test(this.s[this.i + 4] ?? '')) {
      this.i += 4
      return null
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']'
      this.i++
      const items: string[] = []
      for (;;) {
        this.skipSpace()
        if (this.s[this.i] === close) {
          this.i++
          break
        }
        const value = this.atom()
        if (value === null) throw new LiteralError('None inside a tuple')
        items.push(...value)
        this.skipSpace()
        if (this.s[this.i] === ',') {
          this.i++
          continue
        }
        if (this.s[this.i] === close) {
          this.i++
          break
        }
        throw new LiteralError(`expected ',' or '${close}'`)
      }
      return items
    }
    const strings: string[] = []
    // Adjacent literals concatenate: 'ab' 'cd'.
    while (this.isStringStart()) {
      strings.push(this.string())
      this.skipSpace()
    }
    if (strings.length > 0) return [strings.join('')]
    throw new LiteralError(`'${this.rest().split('\n')[0].slice(0, 30)}' is not a string, None or a tuple of strings`)
  }

  private isStringStart(): boolean {
    const m = /^([rRuU]?)(["'])/.exec(this.s.slice(this.i, this.i + 2))
    return m !== null
  }

  private string(): string {
    const prefix = /^[rRuU]/.test(this.s[this.i]) ? this.s[this.i++] : ''
    const raw = prefix === 'r' || prefix === 'R'
    const quote = this.s[this.i]
    const triple = this.s.startsWith(quote.repeat(3), this.i)
    const delimiter = triple ? quote.repeat(3) : quote
    this.i += delimiter.length
    let out = ''
    while (this.i < this.s.length) {
      if (this.s.startsWith(delimiter, this.i)) {
        this.i += delimiter.length
        return out
      }
      const c = this.s[this.i]
      if (c === '\\' && !raw) {
        const next = this.s[this.i + 1]
        const escapes: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"' }
        out += escapes[next] ?? `\\${next}`
        this.i += 2
        continue
      }
      if (c === '\n' && !triple) break
      out += c
      this.i++
    }
    throw new LiteralError('unterminated string')
  }
}
