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
  check: ({ body, schema }) => {
    const cascade = body.behavior === 'DROP_CASCADE'
    return list(body.relations)
      .map((r) => relationOf(nodeOf(r, 'RangeVar')))
      .filter((r) => r !== undefined)
      .map((r) => tableKey(r!))
      .flatMap((table) => {
        const presence = schema.tableVerdict(table).presence
        if (!cascade || presence === 'new' || presence === 'absent') return schema.onTable(table, { message: `truncates ${table}` })
        const reached = schema.cascadeOf(table)
        const also =
          reached === undefined
            ? ' and, through CASCADE, every table whose foreign keys reference it (which ones could not be checked)'
            : reached.length === 0
              ? ' (CASCADE reaches no other table: none references it)'
              : ` and, through CASCADE, ${reached.join(', ')} (foreign keys referencing it)`
        return schema.onTable(table, { message: `truncates ${table}${also}` })
      })
  }
})
