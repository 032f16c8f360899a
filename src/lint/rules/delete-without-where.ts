import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'delete-without-where',
  appliesTo: ['DeleteStmt'],
  risk: 'critical',
  title: 'DELETE without a WHERE clause on an existing table',
  saferWay: 'Say which rows with a WHERE clause, and delete large sets in batches outside the schema migration.',
  docs: {
    why: 'It removes every row of the table, usually by accident: a WHERE clause lost in an edit.',
    bad: 'DELETE FROM chunks;',
    good: 'DELETE FROM chunks WHERE document_id IS NULL;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref || body.whereClause !== undefined) return []
    return schema.onTable(tableKey(ref), { message: `deletes every row of ${tableKey(ref)}` })
  }
})
