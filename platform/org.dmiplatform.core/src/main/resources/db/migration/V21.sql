-- Why an import's rows were skipped (its profile's skip rules), listed like the quarantine's reasons: one line per
-- reason, "rows<TAB>first line<TAB>why".
ALTER TABLE imports ADD COLUMN skip_reasons VARCHAR(4000) DEFAULT '' NOT NULL;
