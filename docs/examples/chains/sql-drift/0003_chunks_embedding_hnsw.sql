-- migrate:up
CREATE INDEX chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops);

-- migrate:down
DROP INDEX chunks_embedding_hnsw;
