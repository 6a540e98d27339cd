package org.dmiplatform.core.internal.profile;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * A time zone that remembers the offset of the days it has seen. ZoneRules works out a zone's transitions anew for
 * every local time it is asked about, which costs more than parsing the date; nearly every day has one offset all
 * day, so a day's offset is looked up once. Not thread-safe: one per import.
 */
final class LocalZone {
    private static final int SLOTS = 1024;
    /** Marks a day with a transition (spring forward, fall back): worked out exactly, every time. */
    private static final int TRANSITION = Integer.MIN_VALUE;

    final ZoneId id;
    private final ZoneRules rules;
    private final long[] days = new long[SLOTS];
    private final int[] offsets = new int[SLOTS];

    LocalZone(ZoneId id) {
        this.id = id;
        this.rules = id.getRules();
        java.util.Arrays.fill(days, Long.MIN_VALUE);
    }

    Instant at(LocalDateTime local) {
        return at(
                local.getYear(),
                local.getMonthValue(),
                local.getDayOfMonth(),
                local.getHour(),
                local.getMinute(),
                local.getSecond(),
                local.getNano());
    }

    Instant at(int year, int month, int day, int hour, int minute, int second, int nano) {
        LocalDate date = LocalDate.of(year, month, day);
        long epochDay = date.toEpochDay();
        int slot = (int) (epochDay & (SLOTS - 1));
        if (days[slot] != epochDay) {
            int start = rules.getOffset(date.atStartOfDay()).getTotalSeconds();
            int end = rules.getOffset(date.atTime(LocalTime.MAX)).getTotalSeconds();
            days[slot] = epochDay;
            offsets[slot] = start == end ? start : TRANSITION;
        }
        int offset = offsets[slot];
        if (offset == TRANSITION) {
            return DatePattern.at(LocalDateTime.of(date, LocalTime.of(hour, minute, second, nano)), id);
        }
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second - offset, nano);
    }
}
