import type pg from 'pg'
import type { SqlStatement } from '../../sql/parse.js'
import type { AttemptError } from './failures.js'

/**
 * Transactional migrations as one simple-query message — BEGIN, the statements, the history row,
 * COMMIT — so a migration (or, with transaction: all, the whole run) costs one round trip instead of
 * one per statement. The server stops at the first error and skips the rest of the message, so what
 * failed is told by how many commands completed before it; its `position` counts from the start of
 * the message and is moved back onto the statement.
 */
export interface TransactionMessage {
  text: string
  /** UTF-16 offset in `text` of each statement, every part's in order. */
  starts: number[]
  /** For each part: how many commands come before its first statement (BEGIN is command 0). */
  firstCommands: number[]
}

/** One migration's share of the message. */
export interface MessagePart {
  /** Commands sent before its statements (a session reset, a timing mark). */
  before?: string[]
  statements: SqlStatement[]
  historyInsert: string
}

/** A newline before each `;`: a statement may end in a `--` comment. */
const SEPARATOR = '\n;\n'

export function transactionMessage(begin: string, parts: MessagePart[]): TransactionMessage {
  const chunks = [begin]
  let length = begin.length + SEPARATOR.length
  let commands = 1
  const starts: number[] = []
  const firstCommands: number[] = []
  const add = (command: string): number => {
    const start = length
    chunks.push(command)
    length += command.length + SEPARATOR.length
    commands++
    return start
  }
  for (const part of parts) {
    for (const command of part.before ?? []) add(command)
    firstCommands.push(commands)
    for (const statement of part.statements) starts.push(add(statement.text))
    add(part.historyInsert)
  }
  chunks.push('COMMIT')
  return { text: chunks.join(SEPARATOR), starts, firstCommands }
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

export interface FailedPart extends Pick<AttemptError, 'phase' | 'statement' | 'positionOffset'> {
  /** The index of the part (migration) that failed; undefined for BEGIN and COMMIT. */
  part?: number
}

/**
 * Where the message failed, from the number of commands completed before the error: BEGIN, then
 * for each part its commands before, its statements and its history row, then COMMIT.
 */
export function failedPart(message: TransactionMessage, parts: MessagePart[], completed: number): FailedPart {
  if (completed === 0) return { phase: 'begin' }
  let statementsBefore = 0
  for (const [part, { statements }] of parts.entries()) {
    const index = completed - message.firstCommands[part]
    if (index < 0) return { part, phase: 'reset' }
    if (index < statements.length) {
      // The server counts code points; the statement's own position is counted from its first one.
      const positionOffset = [...message.text.slice(0, message.starts[statementsBefore + index])].length
      return { part, phase: 'statement', statement: statements[index], positionOffset }
    }
    if (index === statements.length) return { part, phase: 'history' }
    statementsBefore += statements.length
  }
  return { phase: 'commit' }
}

/** The index, among the message's commands, of each part's history row. */
export function historyCommands(message: TransactionMessage, parts: MessagePart[]): number[] {
  return parts.map((part, i) => message.firstCommands[i] + part.statements.length)
}
