-- Counts that add up: every delete instruction read (deletes), and the rows of the same import a later delete
-- instruction withdrew before they were published (withdrawn). read = new + changed + unchanged + quarantined +
-- skipped + merged + deletes + withdrawn.
ALTER TABLE imports ADD COLUMN deletes BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE imports ADD COLUMN withdrawn BIGINT DEFAULT 0 NOT NULL;
