import type pg from 'pg'
import type { SqlStatement } from '../../sql/parse.js'
import type { AttemptError } from './failures.js'

/**
 * A transactional migration as one simple-query message — BEGIN, its statements, the history row,
 * COMMIT — so it costs one round trip instead of one per statement. The server stops at the first
 * error and skips the rest of the message, so what failed is told by how many commands completed
 * before it; its `position` counts from the start of the message and is moved back onto the statement.
 */
export interface TransactionMessage {
  text: string
  /** UTF-16 offset in `text` of each statement. */
  starts: number[]
}

/** A newline before each `;`: a statement may end in a `--` comment. */
const SEPARATOR = '\n;\n'

export function transactionMessage(begin: string, statements: SqlStatement[], historyInsert: string): TransactionMessage {
  let text = begin + SEPARATOR
  const starts: number[] = []
  for (const statement of statements) {
    starts.push(text.length)
    text += statement.text + SEPARATOR
  }
  return { text: `${text}${historyInsert}${SEPARATOR}COMMIT`, starts }
}

/** Counts the commands the server completed on `session` while `run` was in flight. */
export async function countingCompletions<T>(session: pg.Client, run: () => Promise<T>, completed: { count: number }): Promise<T> {
  const onComplete = (): void => {
    completed.count++
  }
  session.connection.on('commandComplete', onComplete)
  try {
    return await run()
  } finally {
    session.connection.off('commandComplete', onComplete)
  }
}

/**
 * Where the message failed, from the number of commands completed before the error: BEGIN, then
 * each statement, then the history row, then COMMIT.
 */
export function failedPart(message: TransactionMessage, statements: SqlStatement[], completed: number): Pick<AttemptError, 'phase' | 'statement' | 'positionOffset'> {
  if (completed === 0) return { phase: 'begin' }
  const index = completed - 1
  if (index < statements.length) {
    // The server counts code points; the statement's own position is counted from its first one.
    const positionOffset = [...message.text.slice(0, message.starts[index])].length
    return { phase: 'statement', statement: statements[index], positionOffset }
  }
  return { phase: index === statements.length ? 'history' : 'commit' }
}
