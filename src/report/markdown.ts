/** Small, escaping markdown builders: `core.summary` escapes nothing, and SQL is full of `<`, `|` and backticks. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * Prose that may carry `code spans` (hints do: "run `alembic stamp <revision>`"): HTML is escaped
 * outside the spans only, because GFM shows a span's content literally, entities included. Email
 * shapes such as `postgres@db.internal` outside spans are kept from becoming mailto links.
 */
export function prose(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const tick = text.indexOf('`', i)
    if (tick < 0) break
    const run = /^`+/.exec(text.slice(tick))![0]
    const close = findRun(text, tick + run.length, run.length)
    if (close < 0) {
      out += plainText(text.slice(i, tick + run.length))
      i = tick + run.length
      continue
    }
    out += plainText(text.slice(i, tick)) + text.slice(tick, close + run.length)
    i = close + run.length
  }
  return out + plainText(text.slice(i))
}

/** The index of the next run of exactly `length` backticks at or after `from`, or -1. */
function findRun(text: string, from: number, length: number): number {
  for (const match of text.slice(from).matchAll(/`+/g)) if (match[0].length === length) return from + match.index
  return -1
}

// GitHub autolinks `local@domain.tld`; an empty HTML comment after the @ ends the match invisibly and copies as nothing.
function plainText(text: string): string {
  return escapeHtml(text).replace(/([A-Za-z0-9._+-])@(?=[A-Za-z0-9_-]+\.)/g, '$1@<!-- -->')
}

/** Text safe inside a table cell: escaped (code spans kept), pipes protected, one line. */
export function cell(text: string | number | undefined): string {
  if (text === undefined || text === '') return ''
  return prose(String(text)).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}

/**
 * Inline code as a GFM code span: shown literally (no entities, no autolinks, no emphasis, unlike
 * `<code>` whose content GitHub parses as markdown), fenced past any backticks inside, one line,
 * pipes escaped so it also survives a table cell.
 */
export function code(text: string): string {
  if (text === '') return ''
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length))
  const ticks = '`'.repeat(longest + 1)
  // A span that starts or ends with a backtick (or a space) needs a space of padding, which GFM strips.
  const pad = /^[` ]|[` ]$/.test(flat) ? ' ' : ''
  return `${ticks}${pad}${flat}${pad}${ticks}`
}

/** `1 attempt`, `2 attempts`; `plural(2, 'query', 'queries')`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`
}

export function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return ''
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n'
}

/** A fenced block whose fence is longer than any backtick run inside it. */
export function fence(content: string, lang = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length))
  const ticks = '`'.repeat(longest + 1)
  return `${ticks}${lang}\n${content.replace(/\s+$/, '')}\n${ticks}\n`
}

export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n</details>\n`
}

/** Keeps one block from eating the job summary's 1 MiB budget. */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  return text.slice(0, maxChars) + `\n… (${text.length - maxChars} more characters cut; see the step log)`
}
