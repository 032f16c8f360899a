import { list, nodeOf, relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'truncate',
  appliesTo: ['TruncateStmt'],
  risk: 'critical',
  title: 'Truncates an existing table',
  saferWay: 'Delete the rows you mean to delete with a WHERE clause (in batches for big tables), or acknowledge the truncate with a reason after a backup.',
  docs: {
    why: 'Every row is removed at once under an ACCESS EXCLUSIVE lock; nothing but a backup brings them back.',
    bad: 'TRUNCATE chunks;',
    good: "DELETE FROM chunks WHERE created_at < now() - interval '90 days';"
  },
  check: ({ body, schema }) =>
    list(body.relations)
      .map((r) => relationOf(nodeOf(r, 'RangeVar')))
      .filter((r) => r !== undefined)
      .map((r) => tableKey(r!))
      .filter((table) => !schema.isNewTable(table))
      .map((table) => ({ message: `truncates ${table}`, table }))
})
