-- migrate:up
-- Free-form metadata (tenant, language, tags) for filtered retrieval: WHERE metadata @> '{"lang": "en"}'.
ALTER TABLE documents ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'::jsonb;

-- jsonb_path_ops is smaller and faster than the default opclass, and supports @> which is all we query.
CREATE INDEX documents_metadata_gin_idx ON documents USING gin (metadata jsonb_path_ops);

-- migrate:down
DROP INDEX documents_metadata_gin_idx;
ALTER TABLE documents DROP COLUMN metadata;
