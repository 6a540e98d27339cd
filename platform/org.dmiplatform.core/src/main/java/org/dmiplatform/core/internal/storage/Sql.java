package org.dmiplatform.core.internal.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parameterised statements without the boilerplate: {@code ?} placeholders only, never concatenated values.
 * Instants are stored as UTC timestamps with time zone (on SQLite as UTC text, see {@link Dialect}); enums by name;
 * {@link Optional}s unwrapped.
 */
public final class Sql {
    private Sql() {}

    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs an INSERT and returns the generated {@code id}. */
    public static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
            bind(ps, args);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    public static <T> List<T> list(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.map(rs));
                }
            }
            return out;
        }
    }

    public static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        List<T> all = list(c, sql, row, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    public static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            set(ps, i + 1, args[i]);
        }
    }

    /** Sets one parameter as the store keeps it. */
    public static void set(PreparedStatement ps, int index, Object arg) throws SQLException {
        Object value = arg instanceof Optional<?> optional ? optional.orElse(null) : arg;
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof Instant instant) {
            if (sqlite(ps)) {
                ps.setString(index, Dialect.text(instant));
            } else {
                ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            }
        } else if (value instanceof LocalDateTime local && sqlite(ps)) {
            ps.setString(index, Dialect.text(local));
        } else if (value instanceof LocalDate date && sqlite(ps)) {
            ps.setString(index, date.toString());
        } else if (value instanceof Enum<?> e) {
            ps.setString(index, e.name());
        } else {
            ps.setObject(index, value);
        }
    }

    private static boolean sqlite(PreparedStatement ps) throws SQLException {
        return ps.getConnection().getMetaData().getDatabaseProductName().startsWith("SQLite");
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs, rs.findColumn(column));
    }

    /** A stored instant, whichever store: UTC text on SQLite, a timestamp with time zone on PostgreSQL. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        Object raw = rs.getObject(column);
        if (raw == null) {
            return null;
        }
        if (raw instanceof String text) {
            return Instant.parse(text);
        }
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    public static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(instant(rs, column));
    }

    public static LocalDate date(ResultSet rs, String column) throws SQLException {
        Object raw = rs.getObject(column);
        if (raw == null) {
            return null;
        }
        if (raw instanceof String text) {
            return LocalDate.parse(text);
        }
        return rs.getObject(column, LocalDate.class);
    }

    public static Optional<LocalDate> optionalDate(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(date(rs, column));
    }

    public static LocalDateTime localDateTime(ResultSet rs, String column) throws SQLException {
        Object raw = rs.getObject(column);
        if (raw == null) {
            return null;
        }
        if (raw instanceof String text) {
            return LocalDateTime.parse(text);
        }
        return rs.getObject(column, LocalDateTime.class);
    }
}
