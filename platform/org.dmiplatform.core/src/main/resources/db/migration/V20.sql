-- Every record keeps the line of the source it was read from (with import_id, the import that last changed it), the
-- warnings of the optional fields its profile had to leave out, and, for a record merged from one row per charge,
-- the offence codes of the other rows.
ALTER TABLE records ADD COLUMN source_line BIGINT;
ALTER TABLE records ADD COLUMN warnings VARCHAR(2000);
ALTER TABLE records ADD COLUMN other_codes VARCHAR(1000);
