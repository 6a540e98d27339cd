-- Step 8: who answered a resident's call (an answer is recorded once; the answerer is kept with it)
ALTER TABLE resident_calls ADD COLUMN answered_by VARCHAR(200) DEFAULT '' NOT NULL;
