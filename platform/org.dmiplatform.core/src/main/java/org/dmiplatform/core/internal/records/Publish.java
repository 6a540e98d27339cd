package org.dmiplatform.core.internal.records;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.dmiplatform.api.records.Category;

/**
 * Publishes an import's staged rows into the site's records. Each source id once: the row read first (or, when the
 * adapter merges repeats, the most serious row) wins, and later ones are quarantined as duplicates; a record
 * identical to the stored one is left alone, so re-importing changes nothing. PostgreSQL updates what changed and
 * inserts what is new; other databases (H2) {@code MERGE}.
 */
final class Publish {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Publish.class);

    private Publish() {}

    record Counts(long inserted, long updated, long unchanged, long duplicates, long merged, long deleted) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);
    }

    private static final String COLUMNS =
            "kind, source_id, occurred_from, occurred_to, reported_at, code, code_text, category, part_one,"
                    + " nibrs_code, drug_type, longitude, latitude, address, beat, district";

    private static final String VALUES =
            "s.kind, s.source_id, s.occurred_from, s.occurred_to, s.reported_at, s.code, s.code_text, s.category,"
                    + " s.part_one, s.nibrs_code, s.drug_type, s.longitude, s.latitude, s.address, s.beat, s.district";

    /** The programme's precedence of categories ({@link Category}'s order), for merging repeated rows. */
    private static final String RANK = rank();

    private static String rank() {
        StringBuilder sql = new StringBuilder("CASE category");
        for (Category category : Category.values()) {
            sql.append(" WHEN '").append(category.name()).append("' THEN ").append(category.ordinal());
        }
        return sql.append(" END").toString();
    }

    private static final String CHANGED =
            "r.occurred_from IS DISTINCT FROM s.occurred_from OR r.occurred_to IS DISTINCT FROM s.occurred_to"
                    + " OR r.reported_at IS DISTINCT FROM s.reported_at OR r.code IS DISTINCT FROM s.code OR r.code_text IS DISTINCT FROM s.code_text"
                    + " OR r.category IS DISTINCT FROM s.category OR r.part_one IS DISTINCT FROM s.part_one OR r.nibrs_code IS DISTINCT FROM s.nibrs_code"
                    + " OR r.drug_type IS DISTINCT FROM s.drug_type OR r.longitude IS DISTINCT FROM s.longitude OR r.latitude IS DISTINCT FROM s.latitude"
                    + " OR r.address IS DISTINCT FROM s.address OR r.beat IS DISTINCT FROM s.beat OR r.district IS DISTINCT FROM s.district";

    static boolean isPostgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
    }

    /**
     * @param merge rows sharing an id are one record ({@link org.dmiplatform.api.records.RecordsAdapter#mergesRepeats})
     *     rather than duplicates to quarantine
     */
    static Counts publish(Connection c, String site, long importId, boolean merge, Stage stage) throws SQLException {
        boolean postgres = isPostgres(c);
        String table = Stage.TABLE;
        if (postgres) {
            // the planner must know how many rows were staged, or it joins them row by row
            update(c, "SET LOCAL work_mem = '64MB'");
            update(c, "ANALYZE " + table);
        }
        long deleted = 0;
        if (stage.hasDeletes()) {
            // a delete withdraws what the same import staged before it; what follows it stands
            update(
                    c,
                    "DELETE FROM " + table + " WHERE import_id = ? AND EXISTS (SELECT 1 FROM import_deletes d"
                            + " WHERE d.import_id = " + table + ".import_id AND d.kind = " + table + ".kind"
                            + " AND d.source_id = " + table + ".source_id AND d.line > " + table + ".line)",
                    importId);
            deleted = update(
                    c,
                    "DELETE FROM records WHERE site_id = ? AND EXISTS (SELECT 1 FROM import_deletes d WHERE d.import_id = ?"
                            + " AND d.kind = records.kind AND d.source_id = records.source_id AND NOT EXISTS (SELECT 1 FROM "
                            + table
                            + " s WHERE s.import_id = d.import_id AND s.kind = d.kind AND s.source_id = d.source_id))",
                    site,
                    importId);
            update(c, "DELETE FROM import_deletes WHERE import_id = ?", importId);
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
                                + " SELECT ?, line, 'sourceId', CONCAT('the id ', source_id, ' was already read on line ', CAST(first_line AS VARCHAR(20)), '; the first row counts'), ''"
                                + " FROM (SELECT line, source_id, ROW_NUMBER() OVER (PARTITION BY kind, source_id ORDER BY line) AS rn,"
                                + " MIN(line) OVER (PARTITION BY kind, source_id) AS first_line FROM " + table
                                + " WHERE import_id = ?) d WHERE rn > 1",
                        importId,
                        importId);
            }
            source = "(SELECT * FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY kind, source_id ORDER BY "
                    + (merge ? RANK + ", " : "") + "line) AS rn FROM " + table + " s WHERE import_id = " + importId
                    + ") d WHERE rn = 1)";
            if (postgres) {
                update(c, "CREATE TEMPORARY TABLE import_first ON COMMIT DROP AS SELECT * FROM " + source + " f");
                update(c, "ANALYZE import_first");
                source = "import_first";
            }
        }
        long distinct = repeats ? count(c, "SELECT COUNT(*) FROM " + source + " f") : staged;
        long inserted;
        long updated;
        if (postgres) {
            // an UPDATE of what changed, then an INSERT of what is new: half the time of INSERT ... ON CONFLICT
            updated = update(
                    c,
                    "UPDATE records r SET occurred_from = s.occurred_from, occurred_to = s.occurred_to,"
                            + " reported_at = s.reported_at, code = s.code, code_text = s.code_text, category = s.category,"
                            + " part_one = s.part_one, nibrs_code = s.nibrs_code, drug_type = s.drug_type, longitude = s.longitude,"
                            + " latitude = s.latitude, address = s.address, beat = s.beat, district = s.district, import_id = ?"
                            + " FROM " + source
                            + " s WHERE r.site_id = ? AND r.kind = s.kind AND r.source_id = s.source_id AND ("
                            + CHANGED + ")",
                    importId,
                    site);
            inserted = update(
                    c,
                    "INSERT INTO records (site_id, " + COLUMNS + ", import_id) SELECT ?, " + VALUES + ", ? FROM "
                            + source
                            + " s WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.site_id = ? AND r.kind = s.kind"
                            + " AND r.source_id = s.source_id)",
                    site,
                    importId,
                    site);
        } else {
            long matched = count(
                    c,
                    "SELECT COUNT(*) FROM " + source
                            + " s JOIN records r ON r.site_id = ? AND r.kind = s.kind AND r.source_id = s.source_id",
                    site);
            long changed = mergeInto(c, site, importId, source);
            inserted = distinct - matched;
            updated = changed - inserted;
        }
        return new Counts(
                inserted, updated, distinct - inserted - updated, duplicates, merge ? staged - distinct : 0, deleted);
    }

    /** Other databases: MERGE, which reports the rows it inserted or changed. */
    private static long mergeInto(Connection c, String site, long importId, String source) throws SQLException {
        return update(
                c,
                "MERGE INTO records r USING " + source
                        + " s ON (r.site_id = ? AND r.kind = s.kind AND r.source_id = s.source_id)"
                        + " WHEN MATCHED AND (" + CHANGED
                        + ") THEN UPDATE SET occurred_from = s.occurred_from, occurred_to = s.occurred_to,"
                        + " reported_at = s.reported_at, code = s.code, code_text = s.code_text, category = s.category, part_one = s.part_one,"
                        + " nibrs_code = s.nibrs_code, drug_type = s.drug_type, longitude = s.longitude, latitude = s.latitude, address = s.address,"
                        + " beat = s.beat, district = s.district, import_id = ?"
                        + " WHEN NOT MATCHED THEN INSERT (site_id, " + COLUMNS + ", import_id) VALUES (?, " + VALUES
                        + ", ?)",
                site,
                importId,
                site,
                importId);
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        long start = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
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
                bind(ps, args);
                return ps.executeLargeUpdate();
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

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
