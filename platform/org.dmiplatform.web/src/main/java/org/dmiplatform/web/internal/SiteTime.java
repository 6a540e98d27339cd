package org.dmiplatform.web.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;

/**
 * A time a person typed: a local date and time at the site ({@code 2026-11-30T19:45}), read in the site's time zone,
 * or a time with its offset ({@code 2026-11-30T19:45:00-06:00}). Nothing is shifted silently: a local time the
 * clocks skipped (spring forward) is refused, and one they repeat (fall back) must say its offset.
 */
final class SiteTime {
    private SiteTime() {}

    static Instant instant(String source, String field, String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(InputError.of(source, field, "is required"));
        }
        String text = value.strip();
        try {
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(text).toInstant();
            }
            LocalDateTime local = LocalDateTime.parse(text);
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
            if (offsets.isEmpty()) {
                throw new InvalidInputException(InputError.of(
                        source,
                        field,
                        "'" + text + "' does not exist in " + zone.getId()
                                + ": the clocks went forward that night; give the time as it was read on a clock"));
            }
            if (offsets.size() > 1) {
                throw new InvalidInputException(InputError.of(
                        source,
                        field,
                        "'" + text + "' happened twice in " + zone.getId() + " (the clocks went back): give its"
                                + " offset, " + text + ":00" + offsets.get(0) + " for the first or " + text + ":00"
                                + offsets.get(1) + " for the second"));
            }
            return local.atOffset(offsets.get(0)).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(InputError.of(
                    source,
                    field,
                    "'" + text + "' is not a local time at the site (2026-11-30T19:45) or a time with its offset"
                            + " (2026-11-30T19:45:00-06:00)"));
        }
    }
}
