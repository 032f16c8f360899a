import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'
import { indexedVectors, isVectorIndex } from '../vector-index.js'

export default defineRule({
  id: 'vector-opclass-mismatch',
  appliesTo: ['IndexStmt'],
  risk: 'high',
  title: "A vector index whose operator class does not match the column's type",
  saferWay:
    'Use the operator class of the indexed type: `vector_*_ops` for vector, `halfvec_*_ops` for halfvec (or a `::halfvec(n)` expression), `sparsevec_*_ops` for sparsevec, `bit_*_ops` for bit.',
  docs: {
    why: 'pgvector operator classes are per type: `vector_cosine_ops` on a halfvec column fails with "operator class … does not accept data type halfvec", and the migration stops there.',
    bad: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding halfvec(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
    good: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding halfvec(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding halfvec_cosine_ops);'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref || !isVectorIndex(body)) return []
    const table = tableKey(ref)
    return indexedVectors(body, table, schema)
      .filter((v) => {
        const family = /^(vector|halfvec|sparsevec|bit)_/.exec(v.opclass ?? '')?.[1]
        return family !== undefined && v.type !== undefined && family !== v.type.family
      })
      .map((v) => ({ message: `indexes ${table}.${v.column} (${v.typeText}) with ${v.opclass}, an operator class for another type`, table }))
  }
})
