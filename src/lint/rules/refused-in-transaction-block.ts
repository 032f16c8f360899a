import { refusedInsideOwnTransaction } from '../../sql/transaction-block.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'refused-in-transaction-block',
  risk: 'critical',
  title: "A statement PostgreSQL refuses inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …) after the file's own BEGIN",
  saferWay:
    'Remove BEGIN and COMMIT from the file: the action runs a file holding such a statement outside a transaction, statement by statement, by itself. Keep the statement in a file of its own.',
  docs: {
    why: 'CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY, VACUUM and a few others fail with "cannot run inside a transaction block". The action runs a file holding one outside a transaction, statement by statement, but the file\'s own BEGIN opens a transaction block again, and the statement fails there. The action refuses such a file before anything of the run is applied.',
    bad: 'BEGIN;\nCREATE INDEX CONCURRENTLY documents_title_idx ON documents (title);\nCOMMIT;',
    good: 'CREATE INDEX CONCURRENTLY documents_title_idx ON documents (title);'
  },
  checkRevision: ({ statements, engine }) => {
    // Alembic frames revisions itself (autocommit_block for these); its framing is not in the statements linted.
    if (engine === 'alembic') return []
    return refusedInsideOwnTransaction(statements).map(({ statement }) => ({
      statementIndex: statements.indexOf(statement),
      message: `${statement.noTransaction!.reason}, and the file's own BEGIN opens one around it: it fails at apply (the action refuses the file before anything runs)`
    }))
  }
})
