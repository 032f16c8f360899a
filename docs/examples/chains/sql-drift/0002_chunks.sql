-- migrate:up
-- Edited after it was applied: the dimension changed from 3 to 1536. The database still has vector(3).
CREATE TABLE chunks (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  content     text NOT NULL,
  embedding   vector(1536)
);

-- migrate:down
DROP TABLE chunks;
