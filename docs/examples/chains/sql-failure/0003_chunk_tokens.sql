-- migrate:up
ALTER TABLE chunks ADD COLUMN token_count integer;

-- Backfill from the content length: a typo in the column name fails the migration here.
UPDATE chunks SET token_count = length(contents) / 4;

ALTER TABLE chunks ALTER COLUMN token_count SET NOT NULL;

-- migrate:down
ALTER TABLE chunks DROP COLUMN token_count;
