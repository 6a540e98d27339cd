-- The audit log is append-only for the application's own database account: an UPDATE, DELETE or TRUNCATE of it is
-- refused by the store itself (CJIS AU-9). Rows are kept (at least the year CJIS AU-11 asks; nothing deletes them).
-- A database administrator who drops the guard and edits a row is still found by the hash chain (GET /audit/verify).
/* sqlite */ CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
/* sqlite */ CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
/* postgresql */ CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
/* postgresql */ CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
/* postgresql */ CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
