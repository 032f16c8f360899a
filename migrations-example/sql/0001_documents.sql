-- migrate:up
-- Source documents of the retrieval index. The action enables pgvector itself (input `extensions`);
-- the migration says so too, so the chain also works with other tools.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE documents (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_uri  text NOT NULL UNIQUE,
  title       text,
  -- sha256 of the fetched content: re-ingest only what changed.
  content_sha256 bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Semicolons inside the body are part of the function, not statement ends.
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER documents_set_updated_at
  BEFORE UPDATE ON documents
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- migrate:down
DROP TABLE documents;
DROP FUNCTION set_updated_at();
