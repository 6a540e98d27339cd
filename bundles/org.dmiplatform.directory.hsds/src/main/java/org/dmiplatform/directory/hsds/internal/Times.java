package org.dmiplatform.directory.hsds.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opening and closing times as directories write them, read to {@code HH:mm}: HSDS's own {@code 10:00:00} (with or
 * without a zone, which is dropped: hours are the place's local time), {@code 17:00}, {@code 0800}, and the
 * 12-hour forms people type ({@code 8am}, {@code 8:00am}, {@code 5:30 PM}, {@code 5 p.m.}). An hour alone without am
 * or pm ({@code 8}) is not read: it could be either.
 */
final class Times {
    private static final Pattern TWELVE =
            Pattern.compile("(\\d{1,2})(?::(\\d{2}))?\\s*([ap])\\.?\\s*m\\.?", Pattern.CASE_INSENSITIVE);
    private static final Pattern TWENTY_FOUR =
            Pattern.compile("(\\d{1,2}):(\\d{2})(?::\\d{2}(?:\\.\\d+)?)?\\s*(?:[zZ]|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Pattern MILITARY = Pattern.compile("([01]\\d|2[0-3])([0-5]\\d)");

    private Times() {}

    /** The time as {@code HH:mm}, or empty when it cannot be read. */
    static Optional<String> read(String text) {
        String t = text.strip();
        Matcher m = TWELVE.matcher(t);
        if (m.matches()) {
            int hour = Integer.parseInt(m.group(1));
            int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            if (hour < 1 || hour > 12 || minute > 59) {
                return Optional.empty();
            }
            boolean pm = m.group(3).toLowerCase(Locale.ROOT).equals("p");
            return Optional.of(format(hour % 12 + (pm ? 12 : 0), minute));
        }
        m = TWENTY_FOUR.matcher(t);
        if (m.matches()) {
            int hour = Integer.parseInt(m.group(1));
            int minute = Integer.parseInt(m.group(2));
            return hour <= 23 && minute <= 59 ? Optional.of(format(hour, minute)) : Optional.empty();
        }
        m = MILITARY.matcher(t);
        if (m.matches()) {
            return Optional.of(format(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
        return Optional.empty();
    }

    private static String format(int hour, int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", hour, minute);
    }
}
