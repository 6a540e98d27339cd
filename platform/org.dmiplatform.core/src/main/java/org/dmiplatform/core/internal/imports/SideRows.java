package org.dmiplatform.core.internal.imports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.core.internal.store.RecordRows;

/** An import's quarantined rows and deletes, written in batches within its transaction. */
final class SideRows implements AutoCloseable {
    static final int BATCH = 2000;

    private final long importId;
    private final PreparedStatement quarantine;
    private final PreparedStatement deletes;
    private int pendingQuarantine;
    private int pendingDeletes;
    private boolean deleted;

    /**
     * @param quarantineTable where quarantined rows go ({@code import_id, line, field, reason, raw})
     * @param deletesTable where deletes wait ({@code import_id, line, kind, source_id})
     */
    SideRows(Connection c, long importId, String quarantineTable, String deletesTable) throws SQLException {
        this.importId = importId;
        this.quarantine = c.prepareStatement(
                "INSERT INTO " + quarantineTable + " (import_id, line, field, reason, raw) VALUES (?, ?, ?, ?, ?)");
        this.deletes = c.prepareStatement(
                "INSERT INTO " + deletesTable + " (import_id, line, kind, source_id) VALUES (?, ?, ?, ?)");
    }

    void quarantine(long line, String field, String reason, String raw) throws SQLException {
        quarantine.setLong(1, importId);
        quarantine.setLong(2, line);
        quarantine.setString(3, RecordRows.cut(field, 100));
        quarantine.setString(4, RecordRows.cut(reason, 500));
        quarantine.setString(5, RecordRows.cut(raw, 2000));
        quarantine.addBatch();
        if (++pendingQuarantine == BATCH) {
            quarantine.executeBatch();
            pendingQuarantine = 0;
        }
    }

    void delete(long line, RecordKind kind, String sourceId) throws SQLException {
        deleted = true;
        deletes.setLong(1, importId);
        deletes.setLong(2, line);
        deletes.setString(3, kind.name());
        deletes.setString(4, RecordRows.cut(sourceId, RecordRows.MAX_SOURCE_ID));
        deletes.addBatch();
        if (++pendingDeletes == BATCH) {
            deletes.executeBatch();
            pendingDeletes = 0;
        }
    }

    boolean hasDeletes() {
        return deleted;
    }

    void flush() throws SQLException {
        if (pendingQuarantine > 0) {
            quarantine.executeBatch();
            pendingQuarantine = 0;
        }
        if (pendingDeletes > 0) {
            deletes.executeBatch();
            pendingDeletes = 0;
        }
    }

    @Override
    public void close() throws SQLException {
        quarantine.close();
        deletes.close();
    }
}
