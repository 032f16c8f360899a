import type { SqlStatement } from './parse.js'

export interface TrappedStatement {
  /** A statement PostgreSQL refuses inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …). */
  statement: SqlStatement
  /** The file's own BEGIN that opened the transaction around it. */
  begin: SqlStatement
}

/**
 * Statements PostgreSQL refuses inside a transaction block that the file itself puts inside one:
 * after its own BEGIN and before the COMMIT (or ROLLBACK) that ends it. Run statement by statement,
 * as such a file is, the BEGIN opens the block and the statement fails there.
 */
export function refusedInsideOwnTransaction(statements: SqlStatement[]): TrappedStatement[] {
  const trapped: TrappedStatement[] = []
  let begin: SqlStatement | undefined
  for (const statement of statements) {
    // A nested BEGIN is ignored by PostgreSQL: the first one opened the block.
    if (statement.transactionControl === 'begin') begin ??= statement
    else if (statement.transactionControl === 'commit' || statement.transactionControl === 'rollback') begin = undefined
    else if (begin && statement.noTransaction) trapped.push({ statement, begin })
  }
  return trapped
}
