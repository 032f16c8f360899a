-- migrate:up
CREATE TABLE chunks (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  content     text NOT NULL,
  embedding   vector(3)
);

-- migrate:down
DROP TABLE chunks;
