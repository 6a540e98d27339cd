package org.dmiplatform.directory.hsds.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.directory.ImportReport;
import org.dmiplatform.directory.listing.Listing;

/**
 * What an import noticed while reading, for its report: rows and fields not used (file, line, field, reason) and
 * notes on what was taken anyway. Trimmed spaces and locations without coordinates are counted and noted once per
 * file and field, not once per row, so a report stays readable for a large package; past {@link #MAX_REJECTED}
 * rejections only the count goes on.
 */
final class Findings {
    static final int MAX_REJECTED = 5_000;

    private final List<InputError> rejected = new ArrayList<>();
    private int moreRejected;
    private final List<String> notes = new ArrayList<>();
    private final Map<List<String>, Integer> trimmed = new LinkedHashMap<>();
    private final Map<List<String>, Integer> retimed = new LinkedHashMap<>();
    private final Map<String, List<String>> unlocated = new LinkedHashMap<>();

    void reject(String source, int line, String field, String reason) {
        reject(new InputError(source, line, field, reason));
    }

    void reject(InputError error) {
        if (rejected.size() < MAX_REJECTED) {
            rejected.add(error);
        } else {
            moreRejected++;
        }
    }

    void note(String note) {
        notes.add(note);
    }

    /** The value without the spaces around it, counting the values that had some. */
    /** A time read from another form ({@code 8:00am}, {@code 5 PM}): counted, said once per file and field. */
    void retimed(String source, String field) {
        retimed.merge(List.of(source, field), 1, Integer::sum);
    }

    String trim(String source, String field, String value) {
        String stripped = value.strip();
        if (stripped.length() != value.length() && !stripped.isEmpty()) {
            trimmed.merge(List.of(source, field), 1, Integer::sum);
        }
        return stripped;
    }

    /** A location taken without coordinates because it has none. */
    void unlocated(String source, String where) {
        unlocated.computeIfAbsent(source, s -> new ArrayList<>()).add(where);
    }

    List<InputError> rejected() {
        return List.copyOf(rejected);
    }

    List<String> notes() {
        List<String> all = new ArrayList<>(notes);
        trimmed.forEach((key, n) -> all.add(key.get(0) + ", field '" + key.get(1) + "': spaces trimmed around " + n
                + (n == 1 ? " value" : " values")));
        retimed.forEach((key, n) -> all.add(key.get(0) + ", field '" + key.get(1) + "': " + n
                + (n == 1 ? " time" : " times") + " such as 8:00am read as 24-hour HH:mm"));
        unlocated.forEach((source, where) -> all.add(source + ": " + where.size()
                + (where.size() == 1 ? " location has" : " locations have")
                + " no coordinates and cannot be found by distance (" + shortList(where) + ")"));
        if (moreRejected > 0) {
            all.add(moreRejected + " more rows or fields were not used; only the first " + MAX_REJECTED
                    + " are listed");
        }
        return all;
    }

    private static String shortList(List<String> where) {
        int shown = Math.min(where.size(), 20);
        String list = String.join(", ", where.subList(0, shown));
        return where.size() > shown ? list + " and " + (where.size() - shown) + " more" : list;
    }

    /** The report of an import that took these services. */
    ImportReport report(String format, List<Listing> services, Instant at) {
        Set<String> organizations = new LinkedHashSet<>();
        Set<String> locations = new LinkedHashSet<>();
        for (Listing s : services) {
            if (!s.organization().id().isEmpty()) {
                organizations.add(s.organization().id());
            }
            s.places().forEach(p -> locations.add(p.locationId()));
        }
        return new ImportReport(
                format, services.size(), organizations.size(), locations.size(), rejected(), notes(), at);
    }
}
