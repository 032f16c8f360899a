import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'
import { isVectorIndex } from '../vector-index.js'

export default defineRule({
  id: 'create-index-not-concurrent',
  appliesTo: ['IndexStmt'],
  risk: 'medium',
  title: 'CREATE INDEX without CONCURRENTLY on an existing table',
  saferWay: 'Use `CREATE INDEX CONCURRENTLY` (the action runs such a file outside a transaction automatically); it takes longer but lets writes continue.',
  docs: {
    why: 'A plain CREATE INDEX holds a SHARE lock for the whole build: reads continue, but every INSERT, UPDATE and DELETE on the table waits until the index is built.',
    bad: 'CREATE INDEX documents_title_idx ON documents (title);',
    good: 'CREATE INDEX CONCURRENTLY documents_title_idx ON documents (title);'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    // Vector indexes have their own rule (vector-index-not-concurrent): their builds are far longer.
    if (!ref || body.concurrent || isVectorIndex(body)) return []
    return schema.onTable(tableKey(ref), { message: `builds index ${String(body.idxname ?? '(unnamed)')} on ${tableKey(ref)} while blocking writes` })
  }
})
