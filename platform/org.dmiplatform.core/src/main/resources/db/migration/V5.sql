-- imports stage their rows in a temporary table of their own transaction (import_rows) instead
DROP TABLE import_stage;
