package org.dmiplatform.core.internal.records;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;

/**
 * Staging on the embedded H2: JDBC batches into a temporary table of the import's transaction, kept on disk (so
 * memory does not grow with the file) and dropped when the transaction ends.
 */
final class BatchStage implements Stage {
    private final long importId;
    private final PreparedStatement rows;
    private final SideRows side;
    private int pendingRows;

    BatchStage(Connection c, long importId) throws SQLException {
        this.importId = importId;
        try (Statement st = c.createStatement()) {
            // a table left by an import on this pooled connection that did not end its transaction cleanly
            st.execute("DROP TABLE IF EXISTS " + TABLE);
            st.execute(
                    "CREATE CACHED LOCAL TEMPORARY TABLE " + TABLE + " (" + COLUMNS + ") ON COMMIT DROP TRANSACTIONAL");
        }
        this.rows = c.prepareStatement("INSERT INTO " + TABLE + " (import_id, line, kind, source_id, occurred_from,"
                + " occurred_to, reported_at, code, code_text, category, part_one, nibrs_code, drug_type, longitude, latitude,"
                + " address, beat, district) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.side = new SideRows(c, importId);
    }

    @Override
    public void add(CrimeRecord r) throws SQLException {
        rows.setLong(1, importId);
        rows.setLong(2, r.line());
        rows.setString(3, r.kind().name());
        rows.setString(4, Stage.cut(r.sourceId(), 100));
        rows.setObject(5, utc(r.occurredFrom()));
        setInstant(6, r.occurredTo().orElse(null));
        setInstant(7, r.reportedAt().orElse(null));
        rows.setString(8, Stage.cut(r.code(), 100));
        rows.setString(9, Stage.cut(r.codeText(), 300));
        rows.setString(10, r.category().name());
        rows.setBoolean(11, r.partOne());
        rows.setString(12, r.nibrsCode().map(v -> Stage.cut(v, 8)).orElse(null));
        rows.setString(13, r.drugType().map(v -> Stage.cut(v, 60)).orElse(null));
        if (r.location().isPresent()) {
            rows.setDouble(14, r.location().get().longitude());
            rows.setDouble(15, r.location().get().latitude());
        } else {
            rows.setNull(14, Types.DOUBLE);
            rows.setNull(15, Types.DOUBLE);
        }
        rows.setString(16, Stage.cut(r.address(), 300));
        rows.setString(17, Stage.cut(r.beat(), 40));
        rows.setString(18, Stage.cut(r.district(), 40));
        rows.addBatch();
        if (++pendingRows == SideRows.BATCH) {
            rows.executeBatch();
            pendingRows = 0;
        }
    }

    private void setInstant(int index, Instant value) throws SQLException {
        if (value == null) {
            rows.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            rows.setObject(index, utc(value));
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    public void quarantine(long line, String field, String reason, String raw) throws SQLException {
        side.quarantine(line, field, reason, raw);
    }

    @Override
    public void delete(long line, RecordKind kind, String sourceId) throws SQLException {
        side.delete(line, kind, sourceId);
    }

    @Override
    public boolean hasDeletes() {
        return side.hasDeletes();
    }

    @Override
    public void flush() throws SQLException {
        if (pendingRows > 0) {
            rows.executeBatch();
            pendingRows = 0;
        }
        side.flush();
    }

    @Override
    public void close() throws SQLException {
        try {
            rows.close();
        } finally {
            side.close();
        }
    }
}
