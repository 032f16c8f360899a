/** Small, escaping markdown builders: `core.summary` escapes nothing, and SQL is full of `<`, `|` and backticks. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Text safe inside a table cell: escaped, pipes protected, one line. */
export function cell(text: string | number | undefined): string {
  if (text === undefined || text === '') return ''
  return escapeHtml(String(text)).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}

/** Inline code that survives backticks and pipes inside table cells. */
export function code(text: string): string {
  return `<code>${cell(text)}</code>`
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
