package org.dmiplatform.adapter.jdbc.internal;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How a result column is read for the records profile: date-times as {@code java.time} values (a local one is read
 * in the site's zone by the profile, one with an offset is an instant), numbers as numbers, the rest as text.
 */
enum ColumnType {
    LOCAL_DATE_TIME(true) {
        @Override
        Object read(ResultSet rows, int column) throws SQLException {
            return rows.getObject(column, LocalDateTime.class);
        }
    },
    OFFSET_DATE_TIME(true) {
        @Override
        Object read(ResultSet rows, int column) throws SQLException {
            return rows.getObject(column, OffsetDateTime.class);
        }
    },
    DATE(true) {
        @Override
        Object read(ResultSet rows, int column) throws SQLException {
            return rows.getObject(column, LocalDate.class);
        }
    },
    /** A time of day, as text with seconds always written, so a profile joins it to a date in one known format. */
    TIME(false) {
        @Override
        Object read(ResultSet rows, int column) throws SQLException {
            LocalTime time = rows.getObject(column, LocalTime.class);
            return time == null ? null : HH_MM_SS.format(time);
        }
    },
    INTEGER(true) {
        @Override
        Object read(ResultSet rows, int column) throws SQLException {
            long value = rows.getLong(column);
            return rows.wasNull() ? null : value;
        }
    },
    DECIMAL(true) {
        @Override
        Object read(ResultSet rows, int column) throws SQLException {
            return rows.getBigDecimal(column);
        }
    },
    FLOAT(false) {
        @Override
        Object read(ResultSet rows, int column) throws SQLException {
            double value = rows.getDouble(column);
            return rows.wasNull() ? null : value;
        }
    },
    BOOLEAN(false) {
        @Override
        Object read(ResultSet rows, int column) throws SQLException {
            Object value = rows.getObject(column);
            return value == null || value instanceof Boolean ? value : value.toString();
        }
    },
    TEXT(true) {
        @Override
        Object read(ResultSet rows, int column) throws SQLException {
            return rows.getString(column);
        }
    };

    private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    /** True for the types a watermark can be: they only grow in a sensible way and compare in Java as in SQL. */
    final boolean watermark;

    ColumnType(boolean watermark) {
        this.watermark = watermark;
    }

    /** The column's value in the current row, or null. */
    abstract Object read(ResultSet rows, int column) throws SQLException;

    /**
     * @param sqlType the {@link Types} constant the driver reports
     * @param typeName the database's own name for the type (PostgreSQL reports timestamptz as TIMESTAMP)
     */
    static ColumnType of(int sqlType, String typeName) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        return switch (sqlType) {
            case Types.TIMESTAMP -> name.contains("timestamptz") || name.contains("with time zone")
                    ? OFFSET_DATE_TIME
                    : LOCAL_DATE_TIME;
            case Types.TIMESTAMP_WITH_TIMEZONE -> OFFSET_DATE_TIME;
            case Types.DATE -> DATE;
                // a time with an offset has no day to be read in: text, as the database writes it
            case Types.TIME -> name.contains("timetz") || name.contains("with time zone") ? TEXT : TIME;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
            case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> FLOAT;
            case Types.BIT, Types.BOOLEAN -> BOOLEAN;
            default -> TEXT;
        };
    }

    /** The value as the watermark's text: ISO 8601 for dates and times, plain digits for numbers. */
    static String text(Object value) {
        if (value instanceof LocalDateTime t) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        if (value instanceof OffsetDateTime t) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }
}
