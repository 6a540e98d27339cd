package org.dmiplatform.core.internal.storage;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Copies the H2 store of an earlier version into a new, empty embedded store: the new store is migrated to the H2
 * store's schema version, every table is copied row by row in one transaction (streamed, in batches), and only then
 * are the later migrations applied, so that they transform the copied data exactly as they would have in H2.
 */
final class LegacyH2Copy {
    private static final int BATCH = 2000;

    private LegacyH2Copy() {}

    record Result(int version, int tables, long rows) {}

    static Result copy(DataSource h2, Connection sqlite, Migrations migrations) throws SQLException {
        try (Connection from = h2.getConnection()) {
            int version = version(from);
            if (version > migrations.latest()) {
                throw new SQLException("the H2 store is at schema version " + version + ", newer than this platform's "
                        + migrations.latest());
            }
            if (migrations.apply(sqlite, Dialect.SQLITE, version) != version) {
                throw new SQLException("cannot build the embedded store at the H2 store's schema version " + version);
            }
            Set<String> inH2 = tables(from);
            boolean autoCommit = sqlite.getAutoCommit();
            sqlite.setAutoCommit(false);
            int tables = 0;
            long rows = 0;
            try {
                try (Statement st = sqlite.createStatement()) {
                    // rows arrive table by table; references are checked when the copy commits
                    st.execute("PRAGMA defer_foreign_keys = ON");
                }
                for (String table : sqliteTables(sqlite)) {
                    if (!inH2.contains(table.toUpperCase(Locale.ROOT))) {
                        continue;
                    }
                    rows += copyTable(from, sqlite, table);
                    tables++;
                }
                sqlite.commit();
            } catch (SQLException | RuntimeException e) {
                sqlite.rollback();
                throw new SQLException("copying the H2 store failed, nothing was copied: " + e.getMessage(), e);
            } finally {
                sqlite.setAutoCommit(autoCommit);
            }
            return new Result(version, tables, rows);
        }
    }

    private static int version(Connection h2) throws SQLException {
        try (Statement st = h2.createStatement();
                ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_history")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new SQLException("the H2 file is not a DMI Platform store (no schema_history): " + e.getMessage(), e);
        }
    }

    private static Set<String> tables(Connection h2) throws SQLException {
        Set<String> out = new TreeSet<>();
        DatabaseMetaData meta = h2.getMetaData();
        try (ResultSet rs = meta.getTables(null, "PUBLIC", "%", new String[] {"TABLE", "BASE TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME").toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static List<String> sqliteTables(Connection sqlite) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = sqlite.createStatement();
                ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                        + " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_history' ORDER BY name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> columns(Connection sqlite, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = sqlite.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                out.add(rs.getString("name"));
            }
        }
        return out;
    }

    private static long copyTable(Connection h2, Connection sqlite, String table) throws SQLException {
        List<String> columns = columns(sqlite, table);
        String names = String.join(", ", columns);
        try (Statement wipe = sqlite.createStatement()) {
            // rows a migration seeded (the audit chain's head) are replaced by the copied ones
            wipe.execute("DELETE FROM " + table);
        }
        long rows = 0;
        try (Statement read = h2.createStatement();
                ResultSet rs = read.executeQuery("SELECT " + names + " FROM " + table);
                PreparedStatement write = sqlite.prepareStatement("INSERT INTO " + table + " (" + names + ") VALUES ("
                        + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")")) {
            int pending = 0;
            while (rs.next()) {
                for (int i = 1; i <= columns.size(); i++) {
                    Sql.set(write, i, value(rs.getObject(i)));
                }
                write.addBatch();
                rows++;
                if (++pending == BATCH) {
                    write.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
        return rows;
    }

    /** H2's values as the embedded store keeps them. */
    private static Object value(Object h2) {
        if (h2 instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (h2 instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (h2 instanceof LocalDateTime t) {
            return t;
        }
        if (h2 instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (h2 instanceof java.sql.Clob || h2 instanceof java.sql.Blob) {
            throw new IllegalStateException("large objects are not part of the DMI schema");
        }
        return h2;
    }
}
