-- merged repeats and withdrawn records (NIBRS deletes)
ALTER TABLE imports ADD COLUMN merged BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE imports ADD COLUMN deleted BIGINT DEFAULT 0 NOT NULL;

-- records the source withdrew, per import under way; emptied when it publishes or rolls back
CREATE TABLE import_deletes (
    import_id BIGINT NOT NULL,
    line BIGINT NOT NULL,
    kind VARCHAR(20) NOT NULL,
    source_id VARCHAR(100) NOT NULL
);

CREATE INDEX import_deletes_import ON import_deletes (import_id);
