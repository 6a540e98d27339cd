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
final class SkipReasons {
    static final int MAX = 50;
    private static final String OTHERS = "other reasons";

    private final Map<String, long[]> byWhy = new LinkedHashMap<>();

    synchronized void add(long line, String why) {
        String key = why == null || why.isBlank() ? "(no reason given)" : RecordRows.cut(why.strip(), 300);
        if (!byWhy.containsKey(key) && byWhy.size() >= MAX) {
            key = OTHERS;
        }
        long[] count = byWhy.computeIfAbsent(key, k -> new long[] {0, line});
        count[0]++;
    }

    synchronized void clear() {
        byWhy.clear();
    }

    synchronized List<Imports.Skipped> list() {
        List<Imports.Skipped> out = new ArrayList<>();
        byWhy.forEach((why, count) -> out.add(new Imports.Skipped(why, count[0], count[1])));
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
