import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'update-without-where',
  appliesTo: ['UpdateStmt'],
  risk: 'critical',
  title: 'UPDATE without a WHERE clause on an existing table',
  saferWay: 'Limit the rows with a WHERE clause and backfill big tables in batches outside the schema migration, so no lock is held on every row at once.',
  docs: {
    why: 'It rewrites every row of the table in one transaction: every row is locked until commit, the table bloats, and a mistake changes all the data.',
    bad: "UPDATE documents SET status = 'draft';",
    good: "UPDATE documents SET status = 'draft' WHERE status IS NULL AND id BETWEEN 1 AND 10000;"
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref || body.whereClause !== undefined) return []
    return schema.onTable(tableKey(ref), { message: `updates every row of ${tableKey(ref)}` })
  }
})
