package org.dmiplatform.core.internal.records;

import java.sql.Connection;
import java.sql.SQLException;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;

/**
 * Where an import's rows, quarantined rows and deletes are written, within the import's transaction: nothing of it
 * is visible, and all of it goes, if the import does not publish.
 */
interface Stage extends AutoCloseable {
    /** The temporary table the rows are staged in; each import's transaction has its own. */
    String TABLE = "import_rows";

    String COLUMNS = "import_id BIGINT NOT NULL, line BIGINT NOT NULL, kind VARCHAR(20) NOT NULL,"
            + " source_id VARCHAR(100) NOT NULL, occurred_from TIMESTAMP WITH TIME ZONE NOT NULL,"
            + " occurred_to TIMESTAMP WITH TIME ZONE, reported_at TIMESTAMP WITH TIME ZONE, code VARCHAR(100) NOT NULL,"
            + " code_text VARCHAR(300) NOT NULL, category VARCHAR(20) NOT NULL, part_one BOOLEAN NOT NULL,"
            + " nibrs_code VARCHAR(8), drug_type VARCHAR(60), longitude DOUBLE PRECISION, latitude DOUBLE PRECISION,"
            + " address VARCHAR(300) NOT NULL, beat VARCHAR(40) NOT NULL, district VARCHAR(40) NOT NULL";

    /** Staging for the database the connection is to: PostgreSQL's COPY where it can, JDBC batches elsewhere. */
    static Stage open(Connection c, long importId) throws SQLException {
        if (Publish.isPostgres(c)) {
            return new CopyStage(c, importId);
        }
        return new BatchStage(c, importId);
    }

    void add(CrimeRecord record) throws SQLException;

    void quarantine(long line, String field, String reason, String raw) throws SQLException;

    void delete(long line, RecordKind kind, String sourceId) throws SQLException;

    /** Writes what is still buffered. */
    void flush() throws SQLException;

    boolean hasDeletes();

    @Override
    void close() throws SQLException;

    static String cut(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() <= max ? value : value.substring(0, max);
    }
}
