-- the per-person records of V17 are read person by person and intervention by intervention
CREATE INDEX incident_notes_person ON incident_notes (person_id);
CREATE INDEX person_addresses_person ON person_addresses (person_id);
CREATE INDEX call_in_deadlines_person ON call_in_deadlines (person_id);
