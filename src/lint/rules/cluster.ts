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
  check: ({ body }) => {
    const ref = relationOf(body.relation)
    return [{ message: ref ? `rewrites ${tableKey(ref)} with CLUSTER` : 'runs CLUSTER on every previously clustered table', table: ref ? tableKey(ref) : undefined }]
  }
})
