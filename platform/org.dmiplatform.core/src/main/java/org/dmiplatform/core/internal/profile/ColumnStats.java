package org.dmiplatform.core.internal.profile;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one column of a sample export holds, counted value by value in bounded memory: how many rows fill it, its
 * distinct values (counted up to {@link #MAX_DISTINCT}), whether any value repeats, whether its values are numbers
 * and their range, and which date or time patterns they match. The profile assistant reads these to decide what the
 * column is.
 */
final class ColumnStats {
    /** Distinct values counted per column; beyond it only whether a value repeats is followed. */
    static final int MAX_DISTINCT = 5_000;

    private static final int EXAMPLES = 3;

    /**
     * The date patterns tried on every value: each as most exports write it (two-digit fields) and, where it has
     * one, its looser form reading one or two digits ({@code 1/3/2016 9:05:00 PM}). A column whose values need the
     * loose form gets it.
     */
    static final String[][] DATES = {
        {"MM/dd/yyyy hh:mm:ss a", "M/d/yyyy h:mm:ss a"},
        {"MM/dd/yyyy hh:mm a", "M/d/yyyy h:mm a"},
        {"MM/dd/yyyy HH:mm:ss", "M/d/yyyy H:mm:ss"},
        {"MM/dd/yyyy HH:mm", "M/d/yyyy H:mm"},
        {"MM/dd/yyyy", "M/d/yyyy"},
        {"MM/dd/yy hh:mm:ss a", "M/d/yy h:mm:ss a"},
        {"MM/dd/yy hh:mm a", "M/d/yy h:mm a"},
        {"MM/dd/yy HH:mm:ss", "M/d/yy H:mm:ss"},
        {"MM/dd/yy HH:mm", "M/d/yy H:mm"},
        {"MM/dd/yy", "M/d/yy"},
        {"yyyy-MM-dd HH:mm:ss", "yyyy-M-d H:mm:ss"},
        {"yyyy-MM-dd HH:mm:ss.SSS", null},
        {"yyyy-MM-dd HH:mm:ss.SSSSSS", null},
        {"yyyy-MM-dd HH:mm", "yyyy-M-d H:mm"},
        {"yyyy-MM-dd hh:mm:ss a", "yyyy-M-d h:mm:ss a"},
        {"yyyy-MM-dd", "yyyy-M-d"},
        {"iso", null},
        {"yyyy/MM/dd HH:mm:ss", "yyyy/M/d H:mm:ss"},
        {"yyyy/MM/dd HH:mm", "yyyy/M/d H:mm"},
        {"yyyy/MM/dd", "yyyy/M/d"},
        {"MM-dd-yyyy HH:mm:ss", "M-d-yyyy H:mm:ss"},
        {"MM-dd-yyyy HH:mm", "M-d-yyyy H:mm"},
        {"MM-dd-yyyy", "M-d-yyyy"},
        {"dd-MMM-yyyy HH:mm:ss", "d-MMM-yyyy H:mm:ss"},
        {"dd-MMM-yyyy HH:mm", "d-MMM-yyyy H:mm"},
        {"dd-MMM-yyyy", "d-MMM-yyyy"},
        {"dd-MMM-yy", "d-MMM-yy"},
        {"yyyyMMddHHmmss", null},
        {"yyyyMMdd HHmmss", null},
        {"yyyyMMdd HHmm", "yyyyMMdd Hmm"},
        {"yyyyMMdd", null}
    };

    /**
     * Times of day without a date, tried the same way; the last ones are digits only ({@code 0930}, {@code 930}), the
     * very last an hour alone ({@code 13}).
     */
    static final String[][] CLOCKS = {
        {"HH:mm:ss", "H:mm:ss"},
        {"HH:mm", "H:mm"},
        {"hh:mm:ss a", "h:mm:ss a"},
        {"hh:mm a", "h:mm a"},
        {"hh:mma", "h:mma"},
        {"HHmmss", null},
        {"HHmm", "Hmm"},
        {"HH", "H"}
    };

    /** Clocks are checked as the time of a fixed day: the date parser needs a date. */
    private static final String CLOCK_DAY = "2000-01-01 ";

    /** Values looked at before a column without any date or time is taken to have none. */
    private static final int GIVE_UP = 1_000;

    private static final Pattern POINT = Pattern.compile("\\(\\s*[-+]?[\\d.]+\\s*,\\s*[-+]?[\\d.]+\\s*\\)");
    private static final Pattern WKT_POINT = Pattern.compile("(?i)POINT\\s*\\(\\s*[-+]?[\\d.]+\\s+[-+]?[\\d.]+\\s*\\)");
    /** "38 - Meet Complainant": a short code, a dash and its text in one value. */
    static final Pattern CODE_AND_TEXT = Pattern.compile("^[^\\s-]{1,8}\\s*-\\s+\\S.*");

    final int position;
    final String name;

    long rows;
    long filled;
    private long totalLength;
    private long withSpace;

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private boolean capped;
    private boolean repeated;
    /** Hashes of the values once more than MAX_DISTINCT were seen, while none has repeated yet. */
    private Set<Long> hashes;

    private final List<String> examples = new ArrayList<>();

    long integers;
    long decimals;
    long zeros;
    /** The smallest and largest non-zero numbers (0 is a placeholder in coordinate columns). */
    double min = Double.POSITIVE_INFINITY;

    double max = Double.NEGATIVE_INFINITY;
    String notNumber;

    long points;
    long wktPoints;
    long codeAndText;

    private final LocalZone utc = new LocalZone(ZoneOffset.UTC);
    private final long[] dateStrict = new long[DATES.length];
    private final long[] dateLoose = new long[DATES.length];
    private int lastDate = -1;
    long dateRows;
    /** Date-times at exactly midnight, and the time as written ("00:00:00"): a placeholder when all are. */
    long midnight;

    String midnightText;
    boolean midnightTextsDiffer;

    private final long[] clockStrict = new long[CLOCKS.length];
    private final long[] clockLoose = new long[CLOCKS.length];
    private int lastClock = -1;
    long clockRows;

    private static final DatePattern[][] DATE_PATTERNS = compile(DATES, "");
    private static final boolean[] DATE_HAS_TIME = new boolean[DATES.length];

    static {
        for (int i = 0; i < DATES.length; i++) {
            DATE_HAS_TIME[i] = hasTime(DATES[i][0]);
        }
    }

    private static final DatePattern[][] CLOCK_PATTERNS = compile(CLOCKS, "yyyy-MM-dd ");

    ColumnStats(int position, String name) {
        this.position = position;
        this.name = name;
    }

    private static DatePattern[][] compile(String[][] patterns, String prefix) {
        DatePattern[][] out = new DatePattern[patterns.length][2];
        for (int i = 0; i < patterns.length; i++) {
            for (int j = 0; j < 2; j++) {
                String p = patterns[i][j];
                out[i][j] = p == null ? null : DatePattern.compile(p.equals("iso") ? p : prefix + p);
            }
        }
        return out;
    }

    /** A pattern and the rows it reads. */
    record Format(String pattern, long rows) {}

    /** Counts one row's value (null or blank: an empty cell). */
    void add(String raw) {
        rows++;
        String value = raw == null ? "" : raw.strip();
        if (value.isEmpty()) {
            return;
        }
        filled++;
        totalLength += value.length();
        if (value.indexOf(' ') >= 0) {
            withSpace++;
        }
        countDistinct(value);
        if (isNumber(value)) {
            double number = Double.parseDouble(value);
            if (value.indexOf('.') >= 0) {
                decimals++;
            } else {
                integers++;
            }
            if (number == 0) {
                zeros++;
            } else {
                min = Math.min(min, number);
                max = Math.max(max, number);
            }
        } else if (notNumber == null) {
            notNumber = value;
        }
        // a column with no date (or time) in its first values has none: the patterns are not tried any longer
        if (mayBeDate(value) && (dateRows > 0 || filled <= GIVE_UP)) {
            countDate(value);
        }
        if (mayBeClock(value) && (clockRows > 0 || filled <= GIVE_UP)) {
            countClock(value);
        }
        char first = value.charAt(0);
        if (first == '(' && POINT.matcher(value).matches()) {
            points++;
        } else if ((first == 'P' || first == 'p') && WKT_POINT.matcher(value).matches()) {
            points++;
            wktPoints++;
        }
        if (value.indexOf('-') > 0 && CODE_AND_TEXT.matcher(value).matches()) {
            codeAndText++;
        }
    }

    private void countDistinct(String value) {
        if (!capped) {
            long seen = counts.merge(value, 1L, Long::sum);
            if (seen > 1) {
                repeated = true;
            }
            if (counts.size() >= MAX_DISTINCT) {
                capped = true;
                if (!repeated) {
                    hashes = new HashSet<>();
                    counts.keySet().forEach(k -> hashes.add(hash(k)));
                }
            }
        } else {
            counts.computeIfPresent(value, (k, n) -> n + 1);
            if (hashes != null && !hashes.add(hash(value))) {
                repeated = true;
                hashes = null;
            }
        }
        if (examples.size() < EXAMPLES && !examples.contains(value)) {
            examples.add(value);
        }
    }

    /** A 64-bit FNV-1a hash: two different values of a sample sharing one is vanishingly unlikely. */
    private static long hash(String value) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            h ^= value.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A plain decimal number such as -87.66, 0486 or 1166811. */
    private static boolean isNumber(String value) {
        int n = value.length();
        int i = value.charAt(0) == '-' || value.charAt(0) == '+' ? 1 : 0;
        boolean digits = false;
        boolean point = false;
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return false;
            }
        }
        return digits;
    }

    /** Digits only (13, 930, 0930, 093015) or with a colon (9:30, 09:30:15 PM). */
    private static boolean mayBeClock(String value) {
        int n = value.length();
        if (n > 11 || !Character.isDigit(value.charAt(0))) {
            return false;
        }
        if (value.indexOf(':') > 0) {
            return true;
        }
        return n != 5 && n <= 6 && isNumber(value) && value.indexOf('.') < 0;
    }

    private static boolean mayBeDate(String value) {
        int n = value.length();
        if (n < 6 || n > 40) {
            return false;
        }
        char first = value.charAt(0);
        if (Character.isDigit(first)) {
            return value.indexOf('/') > 0 || value.indexOf('-') > 0 || (n >= 8 && n <= 15 && value.indexOf('.') < 0);
        }
        return false;
    }

    private void countDate(String value) {
        int hit = -1;
        int form = lastDate >= 0 ? form(DATE_PATTERNS[lastDate], value) : -1;
        if (form >= 0) {
            hit = lastDate;
        }
        for (int i = 0; hit < 0 && i < DATES.length; i++) {
            form = i == lastDate ? -1 : form(DATE_PATTERNS[i], value);
            if (form >= 0) {
                hit = i;
            }
        }
        if (hit < 0) {
            return;
        }
        lastDate = hit;
        dateRows++;
        (form == 0 ? dateStrict : dateLoose)[hit]++;
        DatePattern parser = DATE_PATTERNS[hit][form];
        if (DATE_HAS_TIME[hit]) {
            Instant at = parser.parse(value, utc);
            if (at.getEpochSecond() % 86_400 == 0) {
                midnight++;
                if (midnightText == null) {
                    midnightText = timeText(value, parser.pattern);
                } else if (!value.endsWith(midnightText)) {
                    midnightTextsDiffer = true;
                }
            }
        }
    }

    /** The time part of a date-time value as written: what follows its date (" 00:00:00", "T00:00:00"). */
    private String timeText(String value, String pattern) {
        DatePattern date = DatePattern.compile(datePart(pattern));
        for (int end = 6; end < value.length(); end++) {
            if (date.parse(value.substring(0, end), utc) != null) {
                return value.substring(end);
            }
        }
        return "";
    }

    private void countClock(String value) {
        String atDay = CLOCK_DAY + value;
        int hit = -1;
        int form = lastClock >= 0 ? form(CLOCK_PATTERNS[lastClock], atDay) : -1;
        if (form >= 0) {
            hit = lastClock;
        }
        for (int i = 0; hit < 0 && i < CLOCKS.length; i++) {
            form = i == lastClock ? -1 : form(CLOCK_PATTERNS[i], atDay);
            if (form >= 0) {
                hit = i;
            }
        }
        if (hit >= 0) {
            lastClock = hit;
            clockRows++;
            (form == 0 ? clockStrict : clockLoose)[hit]++;
        }
    }

    /** 0 when the strict form reads the value, 1 when only the loose form does, -1 when neither. */
    private int form(DatePattern[] forms, String value) {
        if (forms[0].parse(value, utc) != null) {
            return 0;
        }
        return forms[1] != null && forms[1].parse(value, utc) != null ? 1 : -1;
    }

    /** What the column holds: empty, integer, decimal, date, time, date-time or text. */
    String type() {
        if (filled == 0) {
            return "empty";
        }
        if (dateRows >= 0.9 * filled) {
            return hasTime(dateFormats().get(0).pattern()) ? "date-time" : "date";
        }
        if (clockRows >= 0.9 * filled && clockFormats().get(0).pattern().contains(":")) {
            return "time";
        }
        if (integers + decimals >= 0.95 * filled) {
            return decimals > 0 ? "decimal" : "integer";
        }
        return "text";
    }

    boolean isNumber() {
        String type = type();
        return type.equals("integer") || type.equals("decimal");
    }

    /** The date patterns its values match, most rows first: the loose form where some values need it. */
    List<Format> dateFormats() {
        return formats(DATES, dateStrict, dateLoose);
    }

    /** The time-of-day patterns its values match, most rows first. */
    List<Format> clockFormats() {
        return formats(CLOCKS, clockStrict, clockLoose);
    }

    /** The share of values that are times written as digits only ({@code 0930}, {@code 930}). */
    double digitClocks() {
        List<Format> clocks = clockFormats();
        return filled == 0 || clocks.isEmpty() || clocks.get(0).pattern().contains(":")
                ? 0
                : (double) clockRows / filled;
    }

    /** True when its values are mostly an hour alone (0 to 23), not a time with minutes. */
    boolean hourOnly() {
        List<Format> clocks = clockFormats();
        return !clocks.isEmpty() && isHour(clocks.get(0).pattern());
    }

    static boolean isHour(String pattern) {
        return pattern.equals("H") || pattern.equals("HH");
    }

    private static List<Format> formats(String[][] patterns, long[] strict, long[] loose) {
        List<Format> out = new ArrayList<>();
        for (int i = 0; i < patterns.length; i++) {
            long total = strict[i] + loose[i];
            if (total > 0) {
                out.add(new Format(loose[i] > 0 ? patterns[i][1] : patterns[i][0], total));
            }
        }
        out.sort(Comparator.comparingLong(Format::rows).reversed());
        return out;
    }

    /** True when every date-time value is at midnight, written the same way: a placeholder for "no time". */
    boolean midnightOnly() {
        return dateRows > 0
                && midnight == dateRows
                && !midnightTextsDiffer
                && midnightText != null
                && !midnightText.isEmpty()
                && !midnightText.contains("'");
    }

    /** Distinct values counted (all of them unless {@link #capped()}). */
    long distinct() {
        return counts.size();
    }

    boolean capped() {
        return capped;
    }

    /** No value repeats. */
    boolean unique() {
        return filled > 0 && !repeated;
    }

    List<String> examples() {
        return List.copyOf(examples);
    }

    double meanLength() {
        return filled == 0 ? 0 : (double) totalLength / filled;
    }

    /** The share of values holding a space. */
    double spaced() {
        return filled == 0 ? 0 : (double) withSpace / filled;
    }

    /** The largest absolute non-zero number, or 0 when there is none. */
    double maxAbs() {
        return min > max ? 0 : Math.max(Math.abs(min), Math.abs(max));
    }

    /** A value as the first row of a file has it: true when it reads as a number, a date or a time. */
    static boolean looksLikeData(String value) {
        ColumnStats one = new ColumnStats(0, "");
        one.add(value);
        return one.integers + one.decimals + one.dateRows > 0 || (one.clockRows > 0 && value.contains(":"));
    }

    /** True when a pattern names a time of day. */
    static boolean hasTime(String pattern) {
        if (pattern.equals("iso")) {
            return true;
        }
        String letters = pattern.replaceAll("'[^']*'", "");
        return letters.indexOf('H') >= 0 || letters.indexOf('h') >= 0 || letters.indexOf('m') >= 0;
    }

    /** The date part of a date-time pattern: "MM/dd/yyyy" of "MM/dd/yyyy hh:mm:ss a". */
    static String datePart(String pattern) {
        if (pattern.equals("iso")) {
            return "yyyy-MM-dd";
        }
        int end = 0;
        while (end < pattern.length() && "HhmsSak".indexOf(pattern.charAt(end)) < 0) {
            end++;
        }
        return pattern.substring(0, end).strip();
    }
}
