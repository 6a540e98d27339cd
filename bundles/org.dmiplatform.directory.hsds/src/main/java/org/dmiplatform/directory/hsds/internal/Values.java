package org.dmiplatform.directory.hsds.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * The single values HSDS CSV and JSON share and this directory checks the same way: a service's status, its
 * assured date and opening times. A value that cannot be read is listed in the report and not used; its row is
 * taken.
 */
final class Values {
    private static final Set<String> STATUSES = Set.of("active", "inactive", "defunct", "temporarily closed");

    private Values() {}

    /** The status in HSDS's words; empty is taken as active, anything else unknown as inactive. */
    static String status(String value, String source, int line, String field, Findings findings) {
        String status = value.toLowerCase(Locale.ROOT).replace('_', ' ');
        if (STATUSES.contains(status)) {
            return status;
        }
        if (status.isEmpty()) {
            findings.reject(source, line, field, "is empty: the service is taken as active");
            return "active";
        }
        findings.reject(
                source,
                line,
                field,
                "'" + value + "' is not active, inactive, defunct or temporarily closed: the service is taken as"
                        + " inactive");
        return "inactive";
    }

    /** A date as {@code yyyy-MM-dd} (a date-time's date), or empty. */
    static String date(String value, String source, int line, String field, Findings findings) {
        if (value.isEmpty()) {
            return "";
        }
        String date = value.length() > 10 && value.charAt(10) == 'T' ? value.substring(0, 10) : value;
        try {
            return LocalDate.parse(date).toString();
        } catch (DateTimeParseException e) {
            findings.reject(source, line, field, "'" + value + "' is not a date (yyyy-mm-dd): not used");
            return "";
        }
    }

    /** A time as {@code HH:mm}, or empty. */
    static String time(String value, String source, int line, String field, Findings findings) {
        if (value.isEmpty()) {
            return "";
        }
        java.util.Optional<String> read = Times.read(value);
        if (read.isPresent() && !value.matches("\\d{2}:\\d{2}(:\\d{2})?")) {
            findings.retimed(source, field);
        }
        return read.orElseGet(() -> {
            findings.reject(
                    source,
                    line,
                    field,
                    "'" + value + "' is not a time (17:00, 5:30 PM, 8am): the hours are kept without it");
            return "";
        });
    }
}
