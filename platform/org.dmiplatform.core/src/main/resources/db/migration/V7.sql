-- an import keeps its file until it publishes, so one interrupted by a crash can run again; records are read
-- newest first across kinds, so their time index leads with the time
ALTER TABLE imports ADD COLUMN file VARCHAR(1000);
ALTER TABLE imports ADD COLUMN file_owned BOOLEAN DEFAULT FALSE NOT NULL;
DROP INDEX records_site_time;
CREATE INDEX records_site_time ON records (site_id, occurred_from, kind, source_id);
