package org.dmiplatform.adapter.jdbc.internal;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * The watermark of a pull: the stored text becomes the query's parameter, of the watermark column's type, and the
 * greatest value read becomes the next pull's text.
 */
final class Watermark {
    private Comparable<Object> greatest;

    /**
     * The query's parameter for a watermark text.
     *
     * @param type the watermark column's type, or null when the driver cannot say before the query runs
     * @param zone the site's zone: a local date-time is read in it, as the profile reads local times
     * @throws IllegalArgumentException saying what the text should look like
     */
    static Object parameter(String text, ColumnType type, ZoneId zone) {
        String t = text.strip();
        if (type == null) {
            return guess(t);
        }
        try {
            return switch (type) {
                case LOCAL_DATE_TIME -> localDateTime(t, zone);
                case OFFSET_DATE_TIME -> offsetDateTime(t, zone);
                case DATE -> t.length() > 10 ? localDateTime(t, zone).toLocalDate() : LocalDate.parse(t);
                case INTEGER -> {
                    BigDecimal n = new BigDecimal(t);
                    try {
                        yield n.longValueExact();
                    } catch (ArithmeticException e) {
                        yield n;
                    }
                }
                case DECIMAL -> new BigDecimal(t);
                case TEXT -> t;
                default -> throw new IllegalArgumentException(
                        "a watermark column must hold date-times, dates, numbers or text");
            };
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "'" + t + "' is not a date-time such as 2024-01-01T00:00:00 (or 2024-01-01T00:00:00Z)");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a number");
        }
    }

    private static LocalDateTime localDateTime(String t, ZoneId zone) {
        if (t.length() == 10) {
            return LocalDate.parse(t).atStartOfDay();
        }
        try {
            return LocalDateTime.parse(t);
        } catch (DateTimeException e) {
            return OffsetDateTime.parse(t).atZoneSameInstant(zone).toLocalDateTime();
        }
    }

    private static OffsetDateTime offsetDateTime(String t, ZoneId zone) {
        try {
            return OffsetDateTime.parse(t);
        } catch (DateTimeException e) {
            return localDateTime(t, zone).atZone(zone).toOffsetDateTime();
        }
    }

    /** Without the column's type: what the text looks like. */
    private static Object guess(String t) {
        try {
            return OffsetDateTime.parse(t);
        } catch (DateTimeException e) {
            // not with an offset
        }
        try {
            return LocalDateTime.parse(t);
        } catch (DateTimeException e) {
            // not a local date-time
        }
        if (t.matches("-?\\d{1,18}")) {
            return Long.parseLong(t);
        }
        return t;
    }

    /** Takes a row's watermark value into account. */
    @SuppressWarnings("unchecked")
    void saw(Object value) {
        if (value == null) {
            return;
        }
        Comparable<Object> v = (Comparable<Object>) value;
        if (greatest == null || v.compareTo(greatest) > 0) {
            greatest = v;
        }
    }

    /** The greatest value read, as the next pull's text; null when no row had one. */
    String reached() {
        return greatest == null ? null : ColumnType.text(greatest);
    }
}
