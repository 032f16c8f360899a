import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'cluster',
  appliesTo: ['ClusterStmt'],
  risk: 'high',
  title: 'CLUSTER',
  saferWay: 'Use pg_repack --order-by to reorder a table online, outside the migration chain.',
  docs: {
    why: 'CLUSTER rewrites the table in index order under an ACCESS EXCLUSIVE lock, blocking every read and write for as long as the rewrite takes.',
    bad: 'CLUSTER chunks USING chunks_document_id_idx;',
    good: 'ANALYZE chunks;'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref) return [{ message: 'runs CLUSTER on every previously clustered table' }]
    return schema.onTable(tableKey(ref), { message: `rewrites ${tableKey(ref)} with CLUSTER` })
  }
})
