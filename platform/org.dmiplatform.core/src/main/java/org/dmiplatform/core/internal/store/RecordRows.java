package org.dmiplatform.core.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.core.internal.storage.Dialect;
import org.dmiplatform.core.internal.storage.Sql;

/**
 * A record's columns, in one place: the {@code records} table, an import's staging table and every read of them use
 * this list and these limits.
 */
public final class RecordRows {
    private RecordRows() {}

    /** The columns of a record beside its site and the import that wrote it, in this order. */
    public static final String COLUMNS = "kind, source_id, occurred_from, occurred_to, reported_at, code, code_text,"
            + " category, part_one, nibrs_code, drug_type, longitude, latitude, address, beat, district, source_line,"
            + " warnings, other_codes";

    /** Their declarations, as in migration V3. */
    public static final String DECLARATIONS = "kind VARCHAR(20) NOT NULL, source_id VARCHAR(100) NOT NULL,"
            + " occurred_from TIMESTAMP WITH TIME ZONE NOT NULL, occurred_to TIMESTAMP WITH TIME ZONE,"
            + " reported_at TIMESTAMP WITH TIME ZONE, code VARCHAR(100) NOT NULL, code_text VARCHAR(300) NOT NULL,"
            + " category VARCHAR(20) NOT NULL, part_one BOOLEAN NOT NULL, nibrs_code VARCHAR(8), drug_type VARCHAR(60),"
            + " longitude DOUBLE PRECISION, latitude DOUBLE PRECISION, address VARCHAR(300) NOT NULL,"
            + " beat VARCHAR(40) NOT NULL, district VARCHAR(40) NOT NULL, source_line BIGINT, warnings VARCHAR(2000),"
            + " other_codes VARCHAR(1000)";

    /** How many columns {@link #COLUMNS} names. */
    public static final int COUNT = 19;

    public static final int MAX_SOURCE_ID = 100;
    public static final int MAX_CODE = 100;
    public static final int MAX_CODE_TEXT = 300;
    public static final int MAX_NIBRS = 8;
    public static final int MAX_DRUG = 60;
    public static final int MAX_ADDRESS = 300;
    public static final int MAX_BEAT = 40;
    public static final int MAX_WARNINGS = 2000;
    public static final int MAX_OTHER_CODES = 1000;

    /** Warnings are kept one to a line. */
    public static String warnings(CrimeRecord r) {
        return r.warnings().isEmpty() ? null : cut(String.join("\n", r.warnings()), MAX_WARNINGS);
    }

    /** Other codes are kept comma-separated. */
    public static String otherCodes(CrimeRecord r) {
        return r.otherCodes().isEmpty() ? null : cut(String.join(",", r.otherCodes()), MAX_OTHER_CODES);
    }

    /** One placeholder per column of {@link #COLUMNS}: {@code ?, ?, ...}. */
    public static String placeholders() {
        return String.join(", ", java.util.Collections.nCopies(COUNT, "?"));
    }

    /** The columns with a prefix, {@code s.kind, s.source_id, ...}. */
    public static String columns(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    /** Binds a record to {@link #COLUMNS}' placeholders starting at {@code first}, times as the store keeps them. */
    public static void bind(PreparedStatement ps, int first, CrimeRecord r, Dialect dialect) throws SQLException {
        int i = first;
        ps.setString(i++, r.kind().name());
        ps.setString(i++, cut(r.sourceId(), MAX_SOURCE_ID));
        setInstant(ps, i++, r.occurredFrom(), dialect);
        setInstant(ps, i++, r.occurredTo().orElse(null), dialect);
        setInstant(ps, i++, r.reportedAt().orElse(null), dialect);
        ps.setString(i++, cut(r.code(), MAX_CODE));
        ps.setString(i++, cut(r.codeText(), MAX_CODE_TEXT));
        ps.setString(i++, r.category().name());
        ps.setBoolean(i++, r.partOne());
        ps.setString(i++, r.nibrsCode().map(v -> cut(v, MAX_NIBRS)).orElse(null));
        ps.setString(i++, r.drugType().map(v -> cut(v, MAX_DRUG)).orElse(null));
        if (r.location().isPresent()) {
            ps.setDouble(i++, r.location().get().longitude());
            ps.setDouble(i++, r.location().get().latitude());
        } else {
            ps.setNull(i++, Types.DOUBLE);
            ps.setNull(i++, Types.DOUBLE);
        }
        ps.setString(i++, cut(r.address(), MAX_ADDRESS));
        ps.setString(i++, cut(r.beat(), MAX_BEAT));
        ps.setString(i++, cut(r.district(), MAX_BEAT));
        ps.setLong(i++, r.line());
        ps.setString(i++, warnings(r));
        ps.setString(i, otherCodes(r));
    }

    private static void setInstant(PreparedStatement ps, int index, Instant at, Dialect dialect) throws SQLException {
        if (at == null) {
            ps.setNull(index, dialect == Dialect.SQLITE ? Types.VARCHAR : Types.TIMESTAMP_WITH_TIMEZONE);
        } else if (dialect == Dialect.SQLITE) {
            ps.setString(index, Dialect.text(at));
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        }
    }

    /** A stored record (a row holding {@link #COLUMNS} by name). */
    public static CrimeRecord read(ResultSet rs) throws SQLException {
        double lon = rs.getDouble("longitude");
        Optional<CrimeRecord.Location> location =
                rs.wasNull() ? Optional.empty() : Optional.of(new CrimeRecord.Location(lon, rs.getDouble("latitude")));
        return new CrimeRecord(
                RecordKind.valueOf(rs.getString("kind")),
                rs.getString("source_id"),
                Sql.instant(rs, "occurred_from"),
                Sql.optionalInstant(rs, "occurred_to"),
                Sql.optionalInstant(rs, "reported_at"),
                rs.getString("code"),
                rs.getString("code_text"),
                Category.valueOf(rs.getString("category")),
                rs.getBoolean("part_one"),
                Optional.ofNullable(rs.getString("nibrs_code")),
                Optional.ofNullable(rs.getString("drug_type")),
                location,
                rs.getString("address"),
                rs.getString("beat"),
                rs.getString("district"),
                rs.getLong("source_line"),
                list(rs.getString("warnings"), "\n"),
                list(rs.getString("other_codes"), ","));
    }

    private static List<String> list(String text, String separator) {
        return text == null || text.isEmpty()
                ? List.of()
                : List.of(text.split(java.util.regex.Pattern.quote(separator)));
    }

    public static String cut(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() <= max ? value : value.substring(0, max);
    }
}
