-- migrate:up
-- Approximate nearest-neighbour search by cosine distance (the <=> operator).
-- Built CONCURRENTLY so ingestion keeps writing while it builds: this cannot run in a transaction
-- block, so the action detects it and runs this file outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS chunks_embedding_hnsw_idx
  ON chunks USING hnsw (embedding vector_cosine_ops)
  WITH (m = 16, ef_construction = 64);

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS chunks_embedding_hnsw_idx;
