-- migrate:up
ALTER TABLE documents ADD COLUMN language text;

-- migrate:down
ALTER TABLE documents DROP COLUMN language;
