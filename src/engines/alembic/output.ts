/**
 * Reading what Alembic prints: its `Running upgrade a -> b, message` progress lines, and the
 * Python traceback it dies with.
 */

export interface ProgressLine {
  /** The revisions upgraded from (several for a merge, none from an empty database). */
  from: string[]
  to: string
  message: string
}

// `from` is non-greedy because a message may itself contain " -> ".
const RUNNING = /Running upgrade (.*?) -> ([^\s,]+)(?:, (.*))?$/

/** Parses `INFO  [alembic.runtime.migration] Running upgrade a, b -> c, msg` or the offline `-- Running upgrade a -> c`. */
export function parseProgressLine(line: string): ProgressLine | undefined {
  const match = RUNNING.exec(line.trimEnd())
  if (!match) return undefined
  return {
    from: match[1]
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    to: match[2],
    message: match[3]?.trim() ?? ''
  }
}

export interface TracebackFrame {
  file: string
  line: number
  function: string
}

export interface ExtractedError {
  /** `sqlalchemy.exc.ProgrammingError`, or `FAILED` for Alembic's own CommandError. */
  type: string
  /** The real error, e.g. `(psycopg2.errors.UndefinedTable) relation "embeddings" does not exist`. */
  message: string
  /** The exception line as printed: `type: message`. */
  summary: string
  statement?: string
  parameters?: string
  detail?: string
  hint?: string
  /** The frames of the last traceback, outermost first. */
  frames: TracebackFrame[]
}

const FRAME = /^\s*File "(.+)", line (\d+), in (.+)$/

/** Takes the last traceback in Alembic's output apart: the final exception, its SQL and its frames. */
export function extractError(output: string): ExtractedError | undefined {
  const lines = output.split(/\r?\n/)
  let start = -1
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].startsWith('Traceback (most recent call last):')) {
      start = i
      break
    }
  }
  if (start < 0) {
    // Alembic's CommandError (bad revision, multiple heads) prints one line and no traceback.
    const failed = [...lines].reverse().find((l) => l.startsWith('FAILED: '))
    if (!failed) return undefined
    const message = failed.slice('FAILED: '.length).trim()
    return { type: 'alembic.util.exc.CommandError', message, summary: message, frames: [] }
  }
  const frames: TracebackFrame[] = []
  let i = start + 1
  for (; i < lines.length; i++) {
    const line = lines[i]
    const frame = FRAME.exec(line)
    if (frame) {
      frames.push({ file: frame[1], line: Number(frame[2]), function: frame[3] })
      continue
    }
    // Source lines and Python 3.11's ^^^^ markers are indented; the exception is not.
    if (line.startsWith(' ') || line.trim() === '') continue
    break
  }
  const body = lines.slice(i)
  // Anything Alembic logged after the exception (rare) is not part of it.
  while (body.length > 0 && (body[body.length - 1].trim() === '' || /^(INFO|WARNI|ERROR|DEBUG)\s+\[/.test(body[body.length - 1]))) body.pop()
  const summary = body[0] ?? ''
  const colon = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/.exec(summary)
  const type = colon?.[1] ?? summary
  const messageLines: string[] = [colon?.[2] ?? '']
  let statement: string[] | undefined
  let parameters: string | undefined
  let detail: string | undefined
  let hint: string | undefined
  let inSql = false
  for (const line of body.slice(1)) {
    if (line.startsWith('[SQL: ')) {
      inSql = true
      statement = [line.slice('[SQL: '.length)]
      continue
    }
    if (line.startsWith('[parameters: ')) {
      inSql = false
      parameters = line.slice('[parameters: '.length).replace(/\]$/, '')
      continue
    }
    if (line.startsWith('(Background on this error at:')) {
      inSql = false
      continue
    }
    if (inSql) {
      statement!.push(line)
      continue
    }
    if (line.startsWith('DETAIL:')) detail = line.slice('DETAIL:'.length).trim()
    else if (line.startsWith('HINT:')) hint = line.slice('HINT:'.length).trim()
    else if (line.trim() !== '') messageLines.push(line)
  }
  let sql = statement?.join('\n').trimEnd()
  if (sql?.endsWith(']')) sql = sql.slice(0, -1)
  return {
    type,
    message: messageLines.join('\n').trim() || summary,
    summary: (colon?.[2] ? `${type}: ${messageLines.join('\n').trim()}` : summary).trim(),
    statement: sql?.trim() || undefined,
    parameters,
    detail,
    hint,
    frames
  }
}
