package org.dmiplatform.directory.listing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Days of the week as HSDS writes them: HSDS 3.0 lists them as RFC 5545 {@code byday} codes ({@code MO,TU}), HSDS 1.1
 * gives one per row as {@code weekday}, a number from 1 (Monday) to 7 (Sunday) as its 1.1.1 reference settles, or a
 * day's name. Shown as people write them: "Mon-Fri", "Thu, Fri".
 */
public final class Weekdays {
    private static final List<String> CODES = List.of("MO", "TU", "WE", "TH", "FR", "SA", "SU");
    private static final List<String> NAMES = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> FULL =
            List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

    private Weekdays() {}

    /** An HSDS 1.1 {@code weekday} ("1", "Monday", "Mon") as its byday code, empty when it is none of those. */
    public static Optional<String> byday(String weekday) {
        String w = weekday.strip().toLowerCase(Locale.ROOT);
        if (w.matches("[1-7]")) {
            return Optional.of(CODES.get(Integer.parseInt(w) - 1));
        }
        for (int i = 0; i < FULL.size(); i++) {
            if (w.length() >= 3 && FULL.get(i).startsWith(w)) {
                return Optional.of(CODES.get(i));
            }
        }
        return Optional.empty();
    }

    /** A byday list as written for people: runs of three days or more as "Mon-Fri"; codes it does not know as given. */
    public static String text(String byday) {
        List<String> parts = new ArrayList<>();
        String[] days = byday.isEmpty() ? new String[0] : byday.split(",");
        int i = 0;
        while (i < days.length) {
            int day = CODES.indexOf(days[i]);
            int end = i;
            while (day >= 0 && end + 1 < days.length && CODES.indexOf(days[end + 1]) == day + (end + 1 - i)) {
                end++;
            }
            if (day < 0) {
                parts.add(days[i]);
            } else if (end - i >= 2) {
                parts.add(NAMES.get(day) + "-" + NAMES.get(CODES.indexOf(days[end])));
            } else {
                for (int k = i; k <= end; k++) {
                    parts.add(NAMES.get(CODES.indexOf(days[k])));
                }
            }
            i = end + 1;
        }
        return String.join(", ", parts);
    }

    /** Two byday lists as one, in the order of the week (codes it does not know last). */
    public static String join(String a, String b) {
        List<String> days = new ArrayList<>();
        for (String day : (a + "," + b).split(",")) {
            if (!day.isEmpty() && !days.contains(day)) {
                days.add(day);
            }
        }
        days.sort((x, y) -> Integer.compare(order(x), order(y)));
        return String.join(",", days);
    }

    private static int order(String day) {
        int i = CODES.indexOf(day);
        return i < 0 ? CODES.size() : i;
    }

    /** A byday list as HSDS 3.0 wants it: upper case, no spaces. */
    public static String normalise(String byday) {
        return byday.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    }
}
