package org.dmiplatform.core.internal.imports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.core.internal.storage.Dialect;
import org.dmiplatform.core.internal.store.RecordRows;

/**
 * Staging on the embedded SQLite store: JDBC batches into temporary tables of the import's connection. SQLite keeps
 * them in a file of their own, beside the store and outside its write-ahead log, so reading a file of millions of
 * rows takes no lock on the records (other writers go on) and no memory beyond SQLite's page cache. Only the publish
 * that follows takes the store's write lock, for one transaction. A crash loses the temporary tables and nothing else.
 */
final class SqliteStage implements Stage {
    private static final String QUARANTINE = "temp.import_quarantine_rows";
    private static final String DELETES = "temp.import_delete_rows";

    private final Connection connection;
    private final long importId;
    private final PreparedStatement rows;
    private final SideRows side;
    private int pendingRows;
    private boolean open;

    SqliteStage(Connection c, long importId) throws SQLException {
        this.connection = c;
        this.importId = importId;
        try (Statement st = c.createStatement()) {
            // tables an earlier import on this pooled connection may have left behind
            st.execute("DROP TABLE IF EXISTS temp." + TABLE);
            st.execute("DROP TABLE IF EXISTS " + QUARANTINE);
            st.execute("DROP TABLE IF EXISTS " + DELETES);
            st.execute("CREATE TEMP TABLE " + TABLE + " (" + COLUMNS + ")");
            st.execute("CREATE TEMP TABLE import_quarantine_rows (import_id BIGINT NOT NULL, line BIGINT NOT NULL,"
                    + " field VARCHAR(100) NOT NULL, reason VARCHAR(500) NOT NULL, raw VARCHAR(2000) NOT NULL)");
            st.execute("CREATE TEMP TABLE import_delete_rows (import_id BIGINT NOT NULL, line BIGINT NOT NULL,"
                    + " kind VARCHAR(20) NOT NULL, source_id VARCHAR(100) NOT NULL)");
            // one transaction on the temporary tables only: fast, and it locks nothing of the store
            st.execute("BEGIN DEFERRED");
            open = true;
        }
        this.rows = c.prepareStatement("INSERT INTO temp." + TABLE + " (import_id, line, " + RecordRows.COLUMNS
                + ") VALUES (?, ?, " + RecordRows.placeholders() + ")");
        this.side = new SideRows(c, importId, QUARANTINE, DELETES);
    }

    @Override
    public void add(CrimeRecord r) throws SQLException {
        rows.setLong(1, importId);
        rows.setLong(2, r.line());
        RecordRows.bind(rows, 3, r, Dialect.SQLITE);
        rows.addBatch();
        if (++pendingRows == SideRows.BATCH) {
            rows.executeBatch();
            pendingRows = 0;
        }
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
    public String deletesTable() {
        return DELETES;
    }

    @Override
    public void flush() throws SQLException {
        if (pendingRows > 0) {
            rows.executeBatch();
            pendingRows = 0;
        }
        side.flush();
        try (Statement st = connection.createStatement()) {
            st.execute("COMMIT");
            open = false;
            if (side.hasDeletes()) {
                // a delete withdraws the rows of the same id staged before it: found by id
                st.execute("CREATE INDEX temp.import_rows_key ON " + TABLE + " (kind, source_id, line)");
            }
        }
    }

    @Override
    public void publishSide(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_quarantine (import_id, line, field, reason,"
                + " raw) SELECT import_id, line, field, reason, raw FROM " + QUARANTINE + " ORDER BY line")) {
            ps.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            rows.close();
            side.close();
        } finally {
            try (Statement st = connection.createStatement()) {
                if (open) {
                    st.execute("ROLLBACK");
                }
                st.execute("DROP TABLE IF EXISTS temp." + TABLE);
                st.execute("DROP TABLE IF EXISTS " + QUARANTINE);
                st.execute("DROP TABLE IF EXISTS " + DELETES);
            }
        }
    }
}
