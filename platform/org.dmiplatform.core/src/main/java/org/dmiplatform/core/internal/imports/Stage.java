package org.dmiplatform.core.internal.imports;

import java.sql.Connection;
import java.sql.SQLException;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.core.internal.storage.Dialect;
import org.dmiplatform.core.internal.store.RecordRows;

/**
 * Where an import's rows, quarantined rows and deletes wait until it publishes: nothing of it is visible, and all of
 * it goes, if the import does not publish.
 */
interface Stage extends AutoCloseable {
    /** The temporary table the rows are staged in; each import's connection has its own. */
    String TABLE = "import_rows";

    String COLUMNS = "import_id BIGINT NOT NULL, line BIGINT NOT NULL, " + RecordRows.DECLARATIONS;

    /**
     * Staging for the store: PostgreSQL's COPY, inside the import's one transaction; on SQLite, JDBC batches into
     * temporary tables outside any transaction on the records, so other writers are not held up while the file is
     * read (see {@link SqliteStage}).
     */
    static Stage open(Connection c, long importId, Dialect dialect) throws SQLException {
        return dialect == Dialect.POSTGRESQL ? new CopyStage(c, importId) : new SqliteStage(c, importId);
    }

    void add(CrimeRecord record) throws SQLException;

    void quarantine(long line, String field, String reason, String raw) throws SQLException;

    void delete(long line, RecordKind kind, String sourceId) throws SQLException;

    /** Writes what is still buffered: the file has been read. */
    void flush() throws SQLException;

    boolean hasDeletes();

    /** The table the deletes wait in ({@code import_id, line, kind, source_id}). */
    String deletesTable();

    /** In the publishing transaction: brings what waited outside it (SQLite's quarantined rows) into the store. */
    void publishSide(Connection c) throws SQLException;

    @Override
    void close() throws SQLException;
}
