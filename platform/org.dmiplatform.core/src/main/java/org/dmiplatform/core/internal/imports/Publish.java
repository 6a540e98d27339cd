package org.dmiplatform.core.internal.imports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.core.internal.storage.Dialect;
import org.dmiplatform.core.internal.storage.Sql;
import org.dmiplatform.core.internal.store.RecordRows;

/**
 * Publishes an import's staged rows into the site's records, in the publishing transaction. Each source id once: the
 * row read first (or, when the adapter merges repeats, the most serious row, Part I if any of the rows is) wins, and
 * later ones are quarantined as
 * duplicates; a record identical to the stored one is left alone, so re-importing changes nothing. PostgreSQL
 * updates what changed, then inserts what is new; SQLite does both in one pass ({@code INSERT ... ON CONFLICT}).
 */
final class Publish {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Publish.class);

    private Publish() {}

    /** @param withdrawn staged rows of this import that a later delete instruction withdrew before publishing */
    record Counts(
            long inserted, long updated, long unchanged, long duplicates, long merged, long deleted, long withdrawn) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0);
    }

    /** The programme's precedence of categories ({@link Category}'s order), for merging repeated rows. */
    private static final String RANK = rank();

    private static String rank() {
        StringBuilder sql = new StringBuilder("CASE category");
        for (Category category : Category.values()) {
            sql.append(" WHEN '").append(category.name()).append("' THEN ").append(category.ordinal());
        }
        return sql.append(" END").toString();
    }

    private static String changed(Dialect dialect) {
        String not = " " + dialect.distinctFrom() + " ";
        StringBuilder out = new StringBuilder();
        for (String column : RecordRows.COLUMNS.split(", ")) {
            // the line a record was read from says where it is, not what it is: a row that moved is not a change
            if (column.equals("kind") || column.equals("source_id") || column.equals("source_line")) {
                continue;
            }
            out.append(out.length() == 0 ? "" : " OR ")
                    .append("r.")
                    .append(column)
                    .append(not)
                    .append("s.")
                    .append(column);
        }
        return out.toString();
    }

    private static String assignments() {
        StringBuilder out = new StringBuilder();
        for (String column : RecordRows.COLUMNS.split(", ")) {
            if (column.equals("kind") || column.equals("source_id")) {
                continue;
            }
            out.append(column).append(" = s.").append(column).append(", ");
        }
        return out.toString();
    }

    /**
     * @param merge rows sharing an id are one record ({@link org.dmiplatform.api.records.RecordsAdapter#mergesRepeats})
     *     rather than duplicates to quarantine
     */
    static Counts publish(Connection c, Dialect dialect, String site, long importId, boolean merge, Stage stage)
            throws SQLException {
        boolean postgres = dialect == Dialect.POSTGRESQL;
        String table = Stage.TABLE;
        String deletes = stage.deletesTable();
        if (postgres) {
            // the planner must know how many rows were staged, or it joins them row by row
            update(c, "SET LOCAL work_mem = '64MB'");
            update(c, "ANALYZE " + table);
        }
        stage.publishSide(c);
        long deleted = 0;
        long withdrawn = 0;
        if (stage.hasDeletes()) {
            // a delete withdraws what the same import staged before it; what follows it stands
            withdrawn = update(
                    c,
                    "DELETE FROM " + table + " WHERE import_id = ? AND EXISTS (SELECT 1 FROM " + deletes + " d"
                            + " WHERE d.import_id = " + table + ".import_id AND d.kind = " + table + ".kind"
                            + " AND d.source_id = " + table + ".source_id AND d.line > " + table + ".line)",
                    importId);
            deleted = update(
                    c,
                    "DELETE FROM records WHERE site_id = ? AND EXISTS (SELECT 1 FROM " + deletes
                            + " d WHERE d.import_id = ?"
                            + " AND d.kind = records.kind AND d.source_id = records.source_id AND NOT EXISTS (SELECT 1 FROM "
                            + table
                            + " s WHERE s.import_id = d.import_id AND s.kind = d.kind AND s.source_id = d.source_id))",
                    site,
                    importId);
            if (postgres) {
                update(c, "DELETE FROM " + deletes + " WHERE import_id = ?", importId);
            }
        }
        long staged = count(c, "SELECT COUNT(*) FROM " + table + " WHERE import_id = ?", importId);
        boolean repeats = count(
                        c,
                        "SELECT COUNT(*) FROM (SELECT kind, source_id FROM " + table
                                + " WHERE import_id = ? GROUP BY kind, source_id HAVING COUNT(*) > 1) d",
                        importId)
                > 0;
        long duplicates = 0;
        String source = "(SELECT * FROM " + table + " WHERE import_id = " + importId + ")";
        if (repeats) {
            if (!merge) {
                duplicates = update(
                        c,
                        "INSERT INTO import_quarantine (import_id, line, field, reason, raw)"
                                + " SELECT ?, line, 'sourceId', 'the id ' || source_id || ' was already read on line '"
                                + " || CAST(first_line AS VARCHAR(20)) || '; the first row counts', ''"
                                + " FROM (SELECT line, source_id, ROW_NUMBER() OVER (PARTITION BY kind, source_id ORDER BY line) AS rn,"
                                + " MIN(line) OVER (PARTITION BY kind, source_id) AS first_line FROM " + table
                                + " WHERE import_id = ?) d WHERE rn > 1",
                        importId,
                        importId);
            }
            update(c, "DROP TABLE IF EXISTS import_first");
            update(
                    c,
                    "CREATE TEMPORARY TABLE import_first" + (postgres ? " ON COMMIT DROP" : "") + " AS SELECT * FROM"
                            + " (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY kind, source_id ORDER BY "
                            + (merge ? RANK + ", " : "") + "line) AS rn FROM " + table + " s WHERE import_id = "
                            + importId + ") d WHERE rn = 1");
            if (merge) {
                // one rule for every adapter: a record merged from several offences is Part I if any of them is
                update(
                        c,
                        "UPDATE import_first SET part_one = TRUE WHERE NOT part_one AND EXISTS (SELECT 1 FROM " + table
                                + " s WHERE s.import_id = ? AND s.kind = import_first.kind"
                                + " AND s.source_id = import_first.source_id AND s.part_one)",
                        importId);
                // and keeps the codes of its other rows
                update(
                        c,
                        "UPDATE import_first SET other_codes = (SELECT "
                                + (postgres
                                        ? "left(string_agg(DISTINCT s.code, ',' ORDER BY s.code), "
                                        : "substr(group_concat(DISTINCT s.code ORDER BY s.code), 1, ")
                                + RecordRows.MAX_OTHER_CODES + ")"
                                + " FROM " + table + " s WHERE s.import_id = ? AND s.kind = import_first.kind"
                                + " AND s.source_id = import_first.source_id AND s.code <> import_first.code)",
                        importId);
            }
            update(c, "ANALYZE import_first");
            source = "import_first";
        }
        long distinct = repeats ? count(c, "SELECT COUNT(*) FROM " + source + " f") : staged;
        long inserted;
        long updated;
        if (postgres) {
            // an UPDATE of what changed, then an INSERT of what is new: two hash joins, faster here than ON CONFLICT
            updated = update(
                    c,
                    "UPDATE records AS r SET " + assignments() + "import_id = ? FROM " + source
                            + " s WHERE r.site_id = ? AND r.kind = s.kind AND r.source_id = s.source_id AND ("
                            + changed(dialect) + ")",
                    importId,
                    site);
            inserted = update(
                    c,
                    "INSERT INTO records (site_id, " + RecordRows.COLUMNS + ", import_id) SELECT ?, "
                            + RecordRows.columns("s") + ", ? FROM " + source
                            + " s WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.site_id = ? AND r.kind = s.kind"
                            + " AND r.source_id = s.source_id)",
                    site,
                    importId,
                    site);
        } else {
            // one pass, one look-up of the key per row: new rows inserted, changed ones updated, the rest left alone
            long before = count(c, "SELECT COUNT(*) FROM records WHERE site_id = ?", site);
            long written = update(
                    c,
                    "INSERT INTO records AS r (site_id, " + RecordRows.COLUMNS + ", import_id) SELECT ?, "
                            + RecordRows.columns("s") + ", ? FROM " + source + " s WHERE true"
                            + " ON CONFLICT (site_id, kind, source_id) DO UPDATE SET "
                            + assignments().replace("= s.", "= excluded.") + "import_id = excluded.import_id"
                            + " WHERE " + changed(dialect).replace("s.", "excluded."),
                    site,
                    importId);
            inserted = count(c, "SELECT COUNT(*) FROM records WHERE site_id = ?", site) - before;
            updated = written - inserted;
        }
        if (repeats && !postgres) {
            update(c, "DROP TABLE import_first");
        }
        return new Counts(
                inserted,
                updated,
                distinct - inserted - updated,
                duplicates,
                merge ? staged - distinct : 0,
                deleted,
                withdrawn);
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        long start = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } finally {
            took(start, sql);
        }
    }

    private static long update(Connection c, String sql, Object... args) throws SQLException {
        long start = System.nanoTime();
        try {
            if (args.length == 0) {
                try (Statement st = c.createStatement()) {
                    st.execute(sql);
                    return Math.max(0, st.getUpdateCount());
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Sql.bind(ps, args);
                return ps.executeUpdate();
            }
        } finally {
            took(start, sql);
        }
    }

    private static void took(long start, String sql) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "{} ms: {}",
                    (System.nanoTime() - start) / 1_000_000,
                    sql.length() > 90 ? sql.substring(0, 90) : sql);
        }
    }
}
