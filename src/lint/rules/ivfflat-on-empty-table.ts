import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'

export default defineRule({
  id: 'ivfflat-on-empty-table',
  appliesTo: ['IndexStmt'],
  risk: 'medium',
  title: 'An IVFFlat index on a table that is new or empty',
  saferWay: 'Use HNSW (no training step), or build the IVFFlat index after the table holds representative data, and rebuild it (REINDEX CONCURRENTLY) as the data grows.',
  docs: {
    why: 'IVFFlat learns its list centres from the rows present at build time. Built on an empty or tiny table ("ivfflat index created with little data"), the lists are trained on nothing and recall stays poor until the index is rebuilt.',
    bad: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);',
    good: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref || String(body.accessMethod).toLowerCase() !== 'ivfflat') return []
    const table = tableKey(ref)
    const verdict = schema.tableVerdict(table)
    if (verdict.presence === 'new') return [{ message: `builds IVFFlat on ${table}, ${verdict.why ?? 'created in this pending set'}: its lists are trained on no rows` }]
    if (schema.hasRows(table) === false) return [{ message: `builds IVFFlat on ${table}, which is empty: its lists are trained on no rows`, table }]
    return []
  }
})
