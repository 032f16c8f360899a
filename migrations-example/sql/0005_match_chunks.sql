-- migrate:up
-- The retrieval query as a function, so applications share one definition:
--   SELECT * FROM match_chunks($1::vector, 10, '{"lang": "en"}');
CREATE FUNCTION match_chunks(query_embedding vector(1536), match_count integer DEFAULT 10, filter jsonb DEFAULT '{}')
RETURNS TABLE (chunk_id bigint, document_id bigint, content text, similarity double precision)
LANGUAGE sql STABLE
AS $$
  SELECT c.id, c.document_id, c.content, 1 - (c.embedding <=> query_embedding) AS similarity
    FROM chunks c
    JOIN documents d ON d.id = c.document_id
   WHERE d.metadata @> filter
     AND c.embedding IS NOT NULL
   ORDER BY c.embedding <=> query_embedding
   LIMIT match_count;
$$;

-- migrate:down
DROP FUNCTION match_chunks(vector, integer, jsonb);
