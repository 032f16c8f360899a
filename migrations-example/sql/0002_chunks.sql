-- migrate:up
-- Documents split into passages, each with its embedding (1536 dimensions, e.g. text-embedding-3-small).
CREATE TABLE chunks (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id  bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  ordinal      integer NOT NULL CHECK (ordinal >= 0),
  content      text NOT NULL,
  token_count  integer NOT NULL CHECK (token_count > 0),
  embedding    vector(1536),
  UNIQUE (document_id, ordinal)
);

-- The foreign key is not indexed by Postgres; deleting a document would scan chunks without it.
CREATE INDEX chunks_document_id_idx ON chunks (document_id);

-- migrate:down
DROP TABLE chunks;
