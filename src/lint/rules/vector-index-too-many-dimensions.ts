import { relationOf, tableKey } from '../ast.js'
import { defineRule } from '../rule.js'
import { indexedVectors, isVectorIndex } from '../vector-index.js'

/** pgvector's limits for HNSW and IVFFlat (README "Indexing"). */
const LIMITS: Record<string, number> = { vector: 2000, halfvec: 4000, bit: 64000 }

export default defineRule({
  id: 'vector-index-too-many-dimensions',
  appliesTo: ['IndexStmt'],
  risk: 'high',
  title: 'An HNSW or IVFFlat index on more dimensions than the method supports',
  saferWay:
    'Index a halfvec expression instead (`(embedding::halfvec(3072)) halfvec_cosine_ops`, up to 4,000 dimensions), or reduce the dimension (e.g. `subvector`, or a smaller embedding model).',
  docs: {
    why: 'pgvector refuses to build HNSW/IVFFlat indexes on more than 2,000 dimensions for vector (4,000 for halfvec): "column cannot have more than 2000 dimensions for hnsw index". The migration fails at the build, possibly after earlier statements were applied.',
    bad: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3072));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);',
    good: 'CREATE TABLE chunks (id bigint PRIMARY KEY, embedding vector(3072));\nCREATE INDEX chunks_embedding_idx ON chunks USING hnsw ((embedding::halfvec(3072)) halfvec_cosine_ops);'
  },
  check: ({ body, schema }) => {
    const ref = relationOf(body.relation)
    if (!ref || !isVectorIndex(body)) return []
    const table = tableKey(ref)
    return indexedVectors(body, table, schema)
      .filter((v) => v.type?.dimensions !== undefined && LIMITS[v.type.family] !== undefined && v.type.dimensions > LIMITS[v.type.family])
      .map((v) => ({
        message: `indexes ${table}.${v.column} as ${v.typeText} with ${String(body.accessMethod)}, which supports at most ${LIMITS[v.type!.family]} dimensions for ${v.type!.family}`,
        table
      }))
  }
})
