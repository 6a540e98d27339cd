package org.dmiplatform.core.internal.imports;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.core.internal.store.RecordRows;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Staging on PostgreSQL: rows stream by {@code COPY} into a temporary table of the import's transaction (no
 * write-ahead log, no index, dropped with the transaction), while PostgreSQL stores them in its own process. A
 * statement cannot run while a COPY is open, so quarantined rows and deletes wait in a small buffer and are written
 * between two COPYs.
 *
 * <p>The first import into a site that has no records yet goes {@link #direct} instead: the rows are copied straight
 * into {@code records}, still inside the import's one transaction, so there is nothing to compare and nothing to
 * copy twice. A repeated id then stops the COPY (the key refuses it) and the import starts again, staged.
 */
final class CopyStage implements Stage {
    private static final String DELETES = "import_deletes";
    private static final int BUFFER_CHARS = 64 * 1024;
    private static final String COPY = "COPY " + TABLE + " (import_id, line, " + RecordRows.COLUMNS + ") FROM STDIN";
    private static final String COPY_DIRECT =
            "COPY records (site_id, " + RecordRows.COLUMNS + ", import_id) FROM STDIN";

    private final PGConnection pg;
    private final String importText;
    /** Direct: the site, each row's first column; staged: null. */
    private final String directSite;

    private long rows;
    private final StringBuilder buffer = new StringBuilder(BUFFER_CHARS + 4096);
    private final SideRows side;
    private final List<Runnable> pendingSide = new ArrayList<>();
    private CopyIn copy;
    private int sideRows;
    private boolean deleted;

    CopyStage(Connection c, long importId) throws SQLException {
        this(c, importId, null);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE " + TABLE + " (" + COLUMNS + ") ON COMMIT DROP");
        }
    }

    private CopyStage(Connection c, long importId, String directSite) throws SQLException {
        this.pg = c.unwrap(PGConnection.class);
        this.importText = Long.toString(importId);
        this.directSite = directSite;
        this.side = new SideRows(c, importId, "import_quarantine", DELETES);
    }

    /** Rows straight into the site's records: for a first import into a site with none. */
    static CopyStage direct(Connection c, long importId, String site) throws SQLException {
        return new CopyStage(c, importId, site);
    }

    /** A delete has nothing to withdraw from a site without records, but may withdraw a row of this import. */
    static final class NotDirect extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** The rows copied so far. */
    long rows() {
        return rows;
    }

    @Override
    public void add(CrimeRecord r) throws SQLException {
        StringBuilder b = buffer;
        rows++;
        if (directSite == null) {
            b.append(importText).append('\t').append(r.line()).append('\t');
        } else {
            text(b, directSite).append('\t');
        }
        b.append(r.kind().name()).append('\t');
        text(b, RecordRows.cut(r.sourceId(), RecordRows.MAX_SOURCE_ID)).append('\t');
        instant(b, r.occurredFrom()).append('\t');
        instant(b, r.occurredTo().orElse(null)).append('\t');
        instant(b, r.reportedAt().orElse(null)).append('\t');
        text(b, RecordRows.cut(r.code(), RecordRows.MAX_CODE)).append('\t');
        text(b, RecordRows.cut(r.codeText(), RecordRows.MAX_CODE_TEXT)).append('\t');
        b.append(r.category().name()).append('\t');
        b.append(r.partOne() ? 't' : 'f').append('\t');
        text(b, r.nibrsCode().map(v -> RecordRows.cut(v, RecordRows.MAX_NIBRS)).orElse(null))
                .append('\t');
        text(b, r.drugType().map(v -> RecordRows.cut(v, RecordRows.MAX_DRUG)).orElse(null))
                .append('\t');
        if (r.location().isPresent()) {
            b.append(r.location().get().longitude()).append('\t');
            b.append(r.location().get().latitude()).append('\t');
        } else {
            b.append("\\N\t\\N\t");
        }
        text(b, RecordRows.cut(r.address(), RecordRows.MAX_ADDRESS)).append('\t');
        text(b, RecordRows.cut(r.beat(), RecordRows.MAX_BEAT)).append('\t');
        text(b, RecordRows.cut(r.district(), RecordRows.MAX_BEAT)).append('\t');
        b.append(r.line()).append('\t');
        text(b, RecordRows.warnings(r)).append('\t');
        text(b, RecordRows.otherCodes(r));
        if (directSite != null) {
            b.append('\t').append(importText);
        }
        b.append('\n');
        if (b.length() >= BUFFER_CHARS) {
            send();
        }
    }

    private static StringBuilder instant(StringBuilder b, Instant at) {
        return at == null ? b.append("\\N") : b.append(at);
    }

    /** COPY's text format: backslash, tab and line ends escaped; null as \N. */
    private static StringBuilder text(StringBuilder b, String value) {
        if (value == null) {
            return b.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\0' -> {
                    // PostgreSQL text cannot hold NUL
                }
                default -> b.append(c);
            }
        }
        return b;
    }

    private void send() throws SQLException {
        if (buffer.length() == 0) {
            return;
        }
        if (copy == null) {
            copy = pg.getCopyAPI().copyIn(directSite == null ? COPY : COPY_DIRECT);
        }
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }

    private void endCopy() throws SQLException {
        send();
        if (copy != null) {
            copy.endCopy();
            copy = null;
        }
    }

    @Override
    public void quarantine(long line, String field, String reason, String raw) throws SQLException {
        pendingSide.add(() -> sideCall(() -> side.quarantine(line, field, reason, raw)));
        sideWritten();
    }

    @Override
    public void delete(long line, RecordKind kind, String sourceId) throws SQLException {
        if (directSite != null) {
            throw new NotDirect();
        }
        deleted = true;
        pendingSide.add(() -> sideCall(() -> side.delete(line, kind, sourceId)));
        sideWritten();
    }

    private void sideWritten() throws SQLException {
        if (++sideRows >= SideRows.BATCH) {
            writeSide();
        }
    }

    /** Ends the COPY under way, then writes the quarantined rows and deletes that waited for it. */
    private void writeSide() throws SQLException {
        if (pendingSide.isEmpty()) {
            return;
        }
        endCopy();
        try {
            pendingSide.forEach(Runnable::run);
        } catch (SideFailure e) {
            throw e.getCause();
        }
        side.flush();
        pendingSide.clear();
        sideRows = 0;
    }

    @FunctionalInterface
    private interface SqlCall {
        void run() throws SQLException;
    }

    private static void sideCall(SqlCall call) {
        try {
            call.run();
        } catch (SQLException e) {
            throw new SideFailure(e);
        }
    }

    private static final class SideFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SideFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    @Override
    public void flush() throws SQLException {
        endCopy();
        writeSide();
    }

    @Override
    public boolean hasDeletes() {
        return deleted;
    }

    @Override
    public String deletesTable() {
        return DELETES;
    }

    @Override
    public void publishSide(Connection c) {
        // quarantined rows and deletes were written in the import's own transaction
    }

    @Override
    public void close() throws SQLException {
        try {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        } finally {
            side.close();
        }
    }
}
