package org.dmiplatform.core.internal.profile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.records.SourceRow;

/**
 * Where a field's value comes from: one column (by name or position), several joined, or a constant. Bound to an
 * input's header when an import starts.
 */
final class Columns {
    private final List<String> names;
    private final List<Integer> positions;
    private final String join;
    private final String constant;
    private final java.util.regex.Pattern extract;
    final String path;
    final int line;

    private Columns(
            List<String> names,
            List<Integer> positions,
            String join,
            String constant,
            java.util.regex.Pattern extract,
            String path,
            int line) {
        this.names = names;
        this.positions = positions;
        this.join = join;
        this.constant = constant;
        this.extract = extract;
        this.path = path;
        this.line = line;
    }

    /** The same columns, keeping only the part of the value a regular expression finds (its first group, if any). */
    Columns extracting(java.util.regex.Pattern pattern) {
        return new Columns(names, positions, join, constant, pattern, path, line);
    }

    static Columns named(List<String> names, String join, String path, int line) {
        return new Columns(List.copyOf(names), List.of(), join, null, null, path, line);
    }

    static Columns positions(List<Integer> positions, String join, String path, int line) {
        return new Columns(List.of(), List.copyOf(positions), join, null, null, path, line);
    }

    static Columns constant(String value, String path, int line) {
        return new Columns(List.of(), List.of(), "", value, null, path, line);
    }

    boolean byName() {
        return !names.isEmpty();
    }

    /** The columns as the analyst knows them, for messages. */
    String label() {
        if (constant != null) {
            return "";
        }
        if (!names.isEmpty()) {
            return String.join(" + ", names);
        }
        List<String> out = new ArrayList<>();
        positions.forEach(p -> out.add("column " + p));
        return String.join(" + ", out);
    }

    /**
     * Binds to an input.
     *
     * @param header column name (as given, trimmed, lower case) to its index; null when the input has no header
     */
    Bound bind(Map<String, Integer> header, String source, List<InputError> errors) {
        if (constant != null) {
            return new Bound(new int[0], join, constant, null, label());
        }
        int[] index;
        if (!names.isEmpty()) {
            index = new int[names.size()];
            for (int i = 0; i < names.size(); i++) {
                Integer at = header == null ? null : header.get(key(names.get(i)));
                if (at == null) {
                    errors.add(new InputError(
                            source,
                            1,
                            names.get(i),
                            header == null
                                    ? "the profile names this column but the input has no header row"
                                    : "is missing from the input's columns (the profile's " + path + ", line " + line
                                            + ", needs it)"));
                    at = 0;
                }
                index[i] = at;
            }
        } else {
            index = positions.stream().mapToInt(p -> p - 1).toArray();
        }
        return new Bound(index, join, null, extract, label());
    }

    static String key(String name) {
        return name.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** A field's columns in one input. */
    static final class Bound {
        private final int[] index;
        private final String join;
        private final String constant;
        private final java.util.regex.Pattern extract;
        final String label;

        Bound(int[] index, String join, String constant, java.util.regex.Pattern extract, String label) {
            this.index = index;
            this.join = join;
            this.constant = constant;
            this.extract = extract;
            this.label = label;
        }

        /** The raw value of a single column (a date or number from a database), or the joined text. */
        Object value(SourceRow row) {
            if (constant != null) {
                return constant;
            }
            if (index.length == 1 && extract == null) {
                return index[0] < row.size() ? row.get(index[0]) : null;
            }
            return text(row);
        }

        /** The value as trimmed text, empty when blank. */
        String text(SourceRow row) {
            if (constant != null) {
                return constant;
            }
            String joined = joined(row);
            if (extract == null || joined.isEmpty()) {
                return joined;
            }
            java.util.regex.Matcher found = extract.matcher(joined);
            if (!found.find()) {
                return joined;
            }
            String part = found.groupCount() > 0 ? found.group(1) : found.group();
            return part == null ? "" : part.strip();
        }

        private String joined(SourceRow row) {
            if (index.length == 1) {
                return text(index[0] < row.size() ? row.get(index[0]) : null);
            }
            StringBuilder out = new StringBuilder();
            for (int i : index) {
                String part = text(i < row.size() ? row.get(i) : null);
                if (!part.isEmpty()) {
                    if (out.length() > 0) {
                        out.append(join);
                    }
                    out.append(part);
                }
            }
            return out.toString();
        }

        /** Runs of spaces, and tabs, inside a value: exports pad fixed-width fields with them. */
        private static final java.util.regex.Pattern RUNS = java.util.regex.Pattern.compile("\\s{2,}|\\t");

        /** A value as text: trimmed, and every run of spaces or tabs inside it one space ("100  W  MAIN ST"). */
        static String text(Object value) {
            if (value == null) {
                return "";
            }
            if (value instanceof String s) {
                // most values have nothing to strip or collapse: look at both ends and for a double space first
                int n = s.length();
                String v = n == 0 || (!Character.isWhitespace(s.charAt(0)) && !Character.isWhitespace(s.charAt(n - 1)))
                        ? s
                        : s.strip();
                return v.indexOf("  ") < 0 && v.indexOf('\t') < 0
                        ? v
                        : RUNS.matcher(v).replaceAll(" ");
            }
            if (value instanceof BigDecimal d) {
                return d.stripTrailingZeros().toPlainString();
            }
            return value.toString().strip();
        }
    }
}
