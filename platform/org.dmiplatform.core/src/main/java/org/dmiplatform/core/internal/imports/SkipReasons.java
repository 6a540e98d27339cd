package org.dmiplatform.core.internal.imports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.store.Imports;
import org.dmiplatform.core.internal.store.RecordRows;

/**
 * Why an import's rows were skipped, counted by reason with the first row's line, and kept with the import as lines
 * of {@code rows<TAB>first line<TAB>why}. A profile has a handful of skip rules; past {@link #MAX} reasons the rest
 * are counted under one.
 */
public final class SkipReasons {
    static final int MAX = 50;
    private static final String OTHERS = "other reasons";

    /** The parts of a reason that name the row's own value (an incident number, a date), left out to group it. */
    private static final java.util.regex.Pattern VALUES =
            java.util.regex.Pattern.compile("'[^']*'|\"[^\"]*\"|\\([^)]*\\)|-?\\d+(\\.\\d+)?");

    /** Reasons that differ only in the row's own values are one kind of reason. */
    public static String kind(String reason) {
        return VALUES.matcher(reason).replaceAll("…");
    }

    /** One kind of reason: the first such reason as given, its rows and its first line. */
    private static final class Count {
        final String first;
        final long firstLine;
        long rows;

        Count(String first, long firstLine) {
            this.first = first;
            this.firstLine = firstLine;
        }
    }

    private final Map<String, Count> byKind = new LinkedHashMap<>();

    synchronized void add(long line, String why) {
        String given = why == null || why.isBlank() ? "(no reason given)" : RecordRows.cut(why.strip(), 300);
        String key = kind(given);
        if (!byKind.containsKey(key) && byKind.size() >= MAX) {
            key = OTHERS;
            given = OTHERS;
        }
        String first = given;
        byKind.computeIfAbsent(key, k -> new Count(first, line)).rows++;
    }

    synchronized void clear() {
        byKind.clear();
    }

    synchronized List<Imports.Skipped> list() {
        List<Imports.Skipped> out = new ArrayList<>();
        byKind.values().forEach(c -> out.add(new Imports.Skipped(c.first, c.rows, c.firstLine)));
        out.sort(Comparator.comparingLong((Imports.Skipped s) -> -s.rows()));
        return out;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        for (Imports.Skipped s : list()) {
            String line = s.rows() + "\t" + s.firstLine() + "\t"
                    + s.why().replace('\t', ' ').replace('\n', ' ') + "\n";
            if (out.length() + line.length() > 4000) {
                break;
            }
            out.append(line);
        }
        return out.toString();
    }

    static List<Imports.Skipped> parse(String text) {
        List<Imports.Skipped> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            String[] parts = line.split("\t", 3);
            if (parts.length == 3) {
                try {
                    out.add(new Imports.Skipped(parts[2], Long.parseLong(parts[0]), Long.parseLong(parts[1])));
                } catch (NumberFormatException ignored) {
                    // not written by this class
                }
            }
        }
        return out;
    }
}
