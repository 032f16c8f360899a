-- migrate:up
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE documents (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_uri text NOT NULL UNIQUE,
  title      text
);

-- migrate:down
DROP TABLE documents;
