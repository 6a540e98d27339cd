package org.dmiplatform.core.internal.profile;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One date format of a profile, in {@link DateTimeFormatter} pattern letters. The patterns records systems use
 * (digits, month names, 12- and 24-hour clocks, fractions, literals) are parsed by a compiled scanner, an order of
 * magnitude faster than {@code DateTimeFormatter} on a million rows; any other pattern falls back to it.
 */
abstract class DatePattern {
    final String pattern;

    DatePattern(String pattern) {
        this.pattern = pattern;
    }

    /** The instant, read in {@code zone} unless the text carries its own offset; null when the text does not match. */
    abstract Instant parse(String text, LocalZone zone);

    /**
     * @throws IllegalArgumentException when the pattern is not a date pattern
     */
    static DatePattern compile(String pattern) {
        if (pattern.equals("iso")) {
            return new Iso();
        }
        refuseFieldsNamedTwice(pattern);
        DatePattern fast = Scanner.compile(pattern);
        return fast != null ? fast : new Formatter(pattern);
    }

    /**
     * A pattern that names a field twice ("MM/dd/yyyy hh:mm:ss a HHmm": the hour as hh and as HH) lets one value
     * silently overwrite the other: such a pattern is refused, naming the field and the two letters.
     */
    static void refuseFieldsNamedTwice(String pattern) {
        java.util.Map<String, String> seen = new java.util.LinkedHashMap<>();
        boolean quoted = false;
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                i++;
                continue;
            }
            int end = i;
            while (end < pattern.length() && pattern.charAt(end) == c) {
                end++;
            }
            String field = quoted || !Character.isLetter(c) ? null : field(c);
            if (field != null) {
                String run = pattern.substring(i, end);
                String before = seen.putIfAbsent(field, run);
                if (before != null) {
                    throw new IllegalArgumentException("it names the " + field + " twice (" + before + " and " + run
                            + "): one would silently replace the other; split the columns or name the field once");
                }
            }
            i = end;
        }
    }

    private static String field(char letter) {
        return switch (letter) {
            case 'y', 'u', 'Y' -> "year";
            case 'M', 'L' -> "month";
            case 'd' -> "day of the month";
            case 'D' -> "day of the year";
            case 'h', 'H', 'k', 'K' -> "hour";
            case 'm' -> "minute";
            case 's' -> "second";
            case 'S', 'n' -> "fraction of a second";
            case 'a' -> "AM/PM marker";
            case 'E', 'e', 'c' -> "day of the week";
            default -> null;
        };
    }

    static Instant at(LocalDateTime local, ZoneId zone) {
        // the offset before a transition: a time in a spring-forward gap moves forward, an autumn overlap takes the
        // earlier instant, as ZonedDateTime.ofLocal does
        return local.toInstant(zone.getRules().getOffset(local));
    }

    /** ISO 8601 date-times with or without offset or zone, and plain dates. */
    private static final class Iso extends DatePattern {
        Iso() {
            super("iso");
        }

        @Override
        Instant parse(String text, LocalZone zone) {
            try {
                TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(
                        text, java.time.ZonedDateTime::from, LocalDateTime::from);
                if (t instanceof java.time.ZonedDateTime z) {
                    return z.toInstant();
                }
                return zone.at((LocalDateTime) t);
            } catch (DateTimeParseException e) {
                try {
                    return zone.at(LocalDate.parse(text).atStartOfDay());
                } catch (DateTimeParseException again) {
                    return null;
                }
            }
        }
    }

    /** Anything {@link DateTimeFormatter} understands, with or without offset. */
    private static final class Formatter extends DatePattern {
        private final DateTimeFormatter formatter;

        Formatter(String pattern) {
            super(pattern);
            this.formatter = new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern(pattern)
                    .toFormatter(Locale.US)
                    .withResolverStyle(ResolverStyle.SMART);
        }

        @Override
        Instant parse(String text, LocalZone zone) {
            try {
                TemporalAccessor t = formatter.parse(text);
                if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
                    return Instant.from(t);
                }
                LocalDate date = LocalDate.from(t);
                LocalDateTime local = t.isSupported(ChronoField.HOUR_OF_DAY)
                        ? date.atTime(java.time.LocalTime.from(t))
                        : date.atStartOfDay();
                return zone.at(local);
            } catch (DateTimeException e) {
                return null;
            }
        }
    }

    /** A compiled scanner for patterns of numeric fields, month names, AM/PM and literals. */
    static final class Scanner extends DatePattern {
        private static final int YEAR = 0;
        private static final int MONTH = 1;
        private static final int DAY = 2;
        private static final int HOUR24 = 3;
        private static final int HOUR12 = 4;
        private static final int MINUTE = 5;
        private static final int SECOND = 6;
        private static final int FRACTION = 7;
        private static final int MONTH_NAME = 8;
        private static final int AMPM = 9;
        private static final int LITERAL = 10;
        private static final String[] MONTHS = {
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
        };

        private final int[] kinds;
        /** Fixed width, or 0 for 1-2 digits (or 1-n for a fraction: its maximum as a negative number). */
        private final int[] widths;

        private final char[] literals;

        private final boolean hasDate;

        private Scanner(String pattern, int[] kinds, int[] widths, char[] literals) {
            super(pattern);
            this.kinds = kinds;
            this.widths = widths;
            this.literals = literals;
            boolean year = false;
            for (int k : kinds) {
                year |= k == YEAR;
            }
            this.hasDate = year;
        }

        /** The scanner for the pattern, or null when it has letters the scanner does not know. */
        static Scanner compile(String pattern) {
            List<int[]> tokens = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            int i = 0;
            while (i < pattern.length()) {
                char c = pattern.charAt(i);
                if (c == '\'') {
                    int end = pattern.indexOf('\'', i + 1);
                    if (end < 0 || end == i + 1) {
                        return null;
                    }
                    for (int j = i + 1; j < end; j++) {
                        tokens.add(new int[] {LITERAL, 1, literal.length()});
                        literal.append(pattern.charAt(j));
                    }
                    i = end + 1;
                    continue;
                }
                if (!Character.isLetter(c)) {
                    tokens.add(new int[] {LITERAL, 1, literal.length()});
                    literal.append(c);
                    i++;
                    continue;
                }
                int run = 1;
                while (i + run < pattern.length() && pattern.charAt(i + run) == c) {
                    run++;
                }
                int[] token =
                        switch (c) {
                            case 'y', 'u' -> run == 4 ? new int[] {YEAR, 4} : run == 2 ? new int[] {YEAR, 2} : null;
                            case 'M', 'L' -> run <= 2
                                    ? new int[] {MONTH, run == 1 ? 0 : 2}
                                    : run == 3 ? new int[] {MONTH_NAME, 3} : null;
                            case 'd' -> run <= 2 ? new int[] {DAY, run == 1 ? 0 : 2} : null;
                            case 'H' -> run <= 2 ? new int[] {HOUR24, run == 1 ? 0 : 2} : null;
                            case 'h' -> run <= 2 ? new int[] {HOUR12, run == 1 ? 0 : 2} : null;
                            case 'm' -> run <= 2 ? new int[] {MINUTE, run == 1 ? 0 : 2} : null;
                            case 's' -> run <= 2 ? new int[] {SECOND, run == 1 ? 0 : 2} : null;
                            case 'S' -> run <= 9 ? new int[] {FRACTION, -run} : null;
                            case 'a' -> run == 1 ? new int[] {AMPM, 2} : null;
                            default -> null;
                        };
                if (token == null) {
                    return null;
                }
                tokens.add(token);
                i += run;
            }
            int[] kinds = new int[tokens.size()];
            int[] widths = new int[tokens.size()];
            int[] literalAt = new int[tokens.size()];
            boolean h12 = false;
            boolean ampm = false;
            for (int t = 0; t < tokens.size(); t++) {
                kinds[t] = tokens.get(t)[0];
                widths[t] = tokens.get(t)[1];
                literalAt[t] = kinds[t] == LITERAL ? tokens.get(t)[2] : -1;
                h12 |= kinds[t] == HOUR12;
                ampm |= kinds[t] == AMPM;
            }
            if (h12 != ampm) {
                return null; // a 12-hour clock without AM/PM (or the reverse): leave it to DateTimeFormatter's rules
            }
            char[] literals = new char[tokens.size()];
            for (int t = 0; t < tokens.size(); t++) {
                if (kinds[t] == LITERAL) {
                    literals[t] = literal.charAt(literalAt[t]);
                }
            }
            Scanner scanner = new Scanner(pattern, kinds, widths, literals);
            return scanner.hasDate && scanner.has(MONTH, MONTH_NAME) && scanner.has(DAY, DAY) ? scanner : null;
        }

        private boolean has(int kind, int other) {
            for (int k : kinds) {
                if (k == kind || k == other) {
                    return true;
                }
            }
            return false;
        }

        @Override
        Instant parse(String s, LocalZone zone) {
            int year = 0;
            int month = 0;
            int day = 0;
            int hour = 0;
            int minute = 0;
            int second = 0;
            int nano = 0;
            int pm = -1;
            int pos = 0;
            int n = s.length();
            for (int t = 0; t < kinds.length; t++) {
                int kind = kinds[t];
                if (kind == LITERAL) {
                    if (pos >= n || s.charAt(pos) != literals[t]) {
                        return null;
                    }
                    pos++;
                    continue;
                }
                if (kind == AMPM) {
                    if (pos + 2 > n) {
                        return null;
                    }
                    char a = Character.toLowerCase(s.charAt(pos));
                    char m = Character.toLowerCase(s.charAt(pos + 1));
                    if (m != 'm' || (a != 'a' && a != 'p')) {
                        return null;
                    }
                    pm = a == 'p' ? 1 : 0;
                    pos += 2;
                    continue;
                }
                if (kind == MONTH_NAME) {
                    if (pos + 3 > n) {
                        return null;
                    }
                    month = 0;
                    for (int m = 0; m < 12; m++) {
                        if (s.regionMatches(true, pos, MONTHS[m], 0, 3)) {
                            month = m + 1;
                            break;
                        }
                    }
                    if (month == 0) {
                        return null;
                    }
                    pos += 3;
                    continue;
                }
                int width = widths[t];
                int digits = 0;
                while (pos + digits < n && isDigit(s.charAt(pos + digits))) {
                    digits++;
                }
                int take;
                if (width > 0) {
                    take = width;
                    if (digits < width) {
                        return null;
                    }
                } else if (width < 0) {
                    take = Math.min(digits, -width);
                    if (take == 0) {
                        return null;
                    }
                } else {
                    // 1 or 2 digits, leaving what the fixed-width fields right after it need ("Hmm" reads "930")
                    int needed = 0;
                    for (int u = t + 1; u < kinds.length && kinds[u] != LITERAL && widths[u] > 0; u++) {
                        needed += widths[u];
                    }
                    take = Math.min(2, digits - needed);
                    if (take < 1) {
                        return null;
                    }
                }
                int value = 0;
                for (int d = 0; d < take; d++) {
                    value = value * 10 + (s.charAt(pos + d) - '0');
                }
                pos += take;
                switch (kind) {
                    case YEAR -> year = width == 2 ? 2000 + value : value;
                    case MONTH -> month = value;
                    case DAY -> day = value;
                    case HOUR24, HOUR12 -> hour = value;
                    case MINUTE -> minute = value;
                    case SECOND -> second = value;
                    default -> {
                        int scaled = value;
                        for (int d = take; d < 9; d++) {
                            scaled *= 10;
                        }
                        nano = scaled;
                    }
                }
            }
            if (pos != n) {
                return null;
            }
            if (pm >= 0) {
                if (hour < 1 || hour > 12) {
                    return null;
                }
                hour = hour % 12 + (pm == 1 ? 12 : 0);
            }
            if (month < 1
                    || month > 12
                    || day < 1
                    || day > 31
                    || hour > 23
                    || minute > 59
                    || second > 59
                    || (day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth())) {
                return null;
            }
            return zone.at(year, month, day, hour, minute, second, nano);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
