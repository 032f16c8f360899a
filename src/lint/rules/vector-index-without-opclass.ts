import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'
import { indexedVectors, isVectorIndex } from '../vector-index.js'

export default defineRule({
  id: 'vector-index-without-opclass',
  appliesTo: ['IndexStmt'],
  risk: 'medium',
  title: 'A vector index without an explicit operator class',
  saferWay: 'Name the operator class that matches the distance your queries use: `vector_cosine_ops` for `<=>`, `vector_ip_ops` for `<#>`, `vector_l2_ops` for `<->`.',
  docs: {
    why: 'Without an operator class the index defaults to L2 distance (`<->`), while most applications query cosine distance (`<=>`): the index is built, takes space and time, and the queries never use it.',
    bad: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding);',
    good: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref || !isVectorIndex(body)) return []
    const table = tableKey(ref)
    return indexedVectors(body, table, schema)
      .filter((v) => v.opclass === undefined)
      .map((v) => ({ message: `indexes ${table}.${v.column} with ${String(body.accessMethod)} and the default operator class (L2 distance)` }))
  }
})
