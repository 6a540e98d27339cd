-- The timeline orders events by when they happened, not when they were entered: occurred_at is when the event
-- happened (where a time is known), happened_on the day (for events known to the day: a meeting, a letter mailed, a
-- violation), recorded_at when the entry was made. Entries made before this version happened when recorded.
ALTER TABLE timeline ADD COLUMN recorded_at TIMESTAMP WITH TIME ZONE;
UPDATE timeline SET recorded_at = occurred_at;
ALTER TABLE timeline ADD COLUMN happened_on DATE;
