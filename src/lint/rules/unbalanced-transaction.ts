import { defineRule } from '../rule.js'

export default defineRule({
  id: 'unbalanced-transaction',
  risk: 'critical',
  title: 'A BEGIN without its COMMIT (or a COMMIT without its BEGIN) inside a migration file',
  saferWay:
    'Let the action run each migration in its own transaction and remove BEGIN/COMMIT from the file; if the file must control transactions, balance every BEGIN with a COMMIT.',
  docs: {
    why: 'An unbalanced BEGIN leaves a transaction open after the file, so later statements and the history row commit (or roll back) together with it in ways nobody planned; a stray COMMIT commits half a migration.',
    bad: 'BEGIN;\nALTER TABLE documents ADD COLUMN title text;',
    good: 'BEGIN;\nALTER TABLE documents ADD COLUMN title text;\nCOMMIT;'
  },
  checkRevision: ({ statements, engine }) => {
    // Alembic's offline output frames migrations with its own BEGIN/COMMIT (autocommit_block too).
    if (engine === 'alembic') return []
    const hits = []
    let open: number | undefined
    for (const [i, s] of statements.entries()) {
      if (s.transactionControl === 'begin') {
        // PostgreSQL ignores a nested BEGIN (with a warning): the first COMMIT ends the one transaction.
        if (open !== undefined) hits.push({ statementIndex: i, message: 'BEGIN inside a transaction that is already open (PostgreSQL only warns and ignores it)' })
        else open = i
      } else if (s.transactionControl === 'commit' || s.transactionControl === 'rollback') {
        if (open === undefined) hits.push({ statementIndex: i, message: `${s.transactionControl.toUpperCase()} without a BEGIN earlier in the file` })
        open = undefined
      }
    }
    if (open !== undefined) hits.push({ statementIndex: open, message: 'BEGIN without a COMMIT later in the file' })
    return hits
  }
})
