import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'
import { isVectorIndex } from '../vector-index.js'

export default defineRule({
  id: 'vector-index-not-concurrent',
  appliesTo: ['IndexStmt'],
  risk: 'high',
  title: 'A vector index built without CONCURRENTLY on an existing table',
  saferWay:
    "Use `CREATE INDEX CONCURRENTLY … USING hnsw` (the action runs such a file outside a transaction), and raise maintenance_work_mem for the session (`SET maintenance_work_mem = '2GB'`).",
  docs: {
    why: 'HNSW and IVFFlat builds take minutes to hours on real tables; without CONCURRENTLY every INSERT, UPDATE and DELETE on the table waits for the whole build.',
    bad: 'CREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
    good: 'CREATE INDEX CONCURRENTLY chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref || body.concurrent || !isVectorIndex(body)) return []
    const table = tableKey(ref)
    return schema.onTable(table, { message: `builds ${String(body.accessMethod)} index ${String(body.idxname ?? '(unnamed)')} on ${table} while blocking writes` })
  }
})
