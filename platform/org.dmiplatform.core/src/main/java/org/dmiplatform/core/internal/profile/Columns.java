package org.dmiplatform.core.internal.profile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.records.SourceRow;

/**
 * Where a field's value comes from: one column (by name or position), several joined, or a constant; for an id, also
 * a key of several columns or a hash of them (or of the whole row). A name may be a lookup file's column
 * ({@code "geocoded.csv:LAT"}). Bound to an input's header when an import starts.
 */
final class Columns {
    /** How an id is made from its columns. */
    enum Id {
        /** Not an id form: the columns' text, blank ones left out of a join. */
        NONE,
        /** The columns' values joined with {@code |}, blank ones kept in their place. */
        KEY,
        /** {@code h:} and 16 hex digits of the SHA-256 of the columns' values. */
        HASH
    }

    /** Joins the values an id is hashed from: a control character that no export writes inside a value. */
    static final char UNIT_SEPARATOR = '\u001F';

    private final List<String> names;
    private final List<Integer> positions;
    private final String join;
    private final String constant;
    private final java.util.regex.Pattern extract;
    private final Id id;
    /** Every column of the row (a hash of the whole row). */
    private final boolean wholeRow;

    final String path;
    final int line;

    private Columns(
            List<String> names,
            List<Integer> positions,
            String join,
            String constant,
            java.util.regex.Pattern extract,
            Id id,
            boolean wholeRow,
            String path,
            int line) {
        this.names = names;
        this.positions = positions;
        this.join = join;
        this.constant = constant;
        this.extract = extract;
        this.id = id;
        this.wholeRow = wholeRow;
        this.path = path;
        this.line = line;
    }

    /** The same columns, keeping only the part of the value a regular expression finds (its first group, if any). */
    Columns extracting(java.util.regex.Pattern pattern) {
        return new Columns(names, positions, join, constant, pattern, id, wholeRow, path, line);
    }

    /** The same columns made into an id: a key of their values, or a hash of them. */
    Columns asId(Id form) {
        return new Columns(names, positions, join, constant, extract, form, wholeRow, path, line);
    }

    static Columns named(List<String> names, String join, String path, int line) {
        return new Columns(List.copyOf(names), List.of(), join, null, null, Id.NONE, false, path, line);
    }

    static Columns positions(List<Integer> positions, String join, String path, int line) {
        return new Columns(List.of(), List.copyOf(positions), join, null, null, Id.NONE, false, path, line);
    }

    static Columns constant(String value, String path, int line) {
        return new Columns(List.of(), List.of(), "", value, null, Id.NONE, false, path, line);
    }

    /** A hash of every column of the row, as the input gives them. */
    static Columns wholeRow(String path, int line) {
        return new Columns(List.of(), List.of(), "", null, null, Id.HASH, true, path, line);
    }

    Id id() {
        return id;
    }

    /** The column names, as written in the profile. */
    List<String> names() {
        return names;
    }

    boolean byName() {
        return !names.isEmpty();
    }

    /** The columns as the analyst knows them, for messages. */
    String label() {
        if (constant != null) {
            return "";
        }
        if (wholeRow) {
            return "every column";
        }
        if (!names.isEmpty()) {
            return String.join(" + ", names);
        }
        List<String> out = new ArrayList<>();
        positions.forEach(p -> out.add("column " + p));
        return String.join(" + ", out);
    }

    /** Binds to an input, for a profile without lookups. */
    Bound bind(Map<String, Integer> header, String source, List<InputError> errors) {
        return bind(header, Map.of(), source, errors);
    }

    /**
     * Binds to an input.
     *
     * @param header column name (as given, trimmed, lower case) to its index; null when the input has no header
     * @param lookups a lookup file's column ({@code file:column}, trimmed, lower case) to its index in
     *     {@link WithLookups#lookup}, encoded as {@code -1 - index}
     */
    Bound bind(Map<String, Integer> header, Map<String, Integer> lookups, String source, List<InputError> errors) {
        if (constant != null) {
            return new Bound(new int[0], join, constant, null, Id.NONE, false, label());
        }
        int[] index;
        if (!names.isEmpty()) {
            index = new int[names.size()];
            for (int i = 0; i < names.size(); i++) {
                Integer at = lookups.get(key(names.get(i)));
                if (at == null && header != null) {
                    at = header.get(key(names.get(i)));
                }
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
        return new Bound(index, join, null, extract, id, wholeRow, label());
    }

    static String key(String name) {
        return name.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** A row that also gives the columns of the lookup files' rows its key found (blank when none). */
    interface WithLookups extends SourceRow {
        /** A lookup file's column, counted over every lookup of the profile; null when the key was not found. */
        Object lookup(int column);
    }

    /** A field's columns in one input. Not thread-safe: one per import. */
    static final class Bound {
        private final int[] index;
        private final String join;
        private final String constant;
        private final java.util.regex.Pattern extract;
        private final Id id;
        private final boolean wholeRow;
        private final java.security.MessageDigest sha256;
        final String label;

        Bound(
                int[] index,
                String join,
                String constant,
                java.util.regex.Pattern extract,
                Id id,
                boolean wholeRow,
                String label) {
            this.index = index;
            this.join = join;
            this.constant = constant;
            this.extract = extract;
            this.id = id;
            this.wholeRow = wholeRow;
            this.label = label;
            try {
                this.sha256 = id == Id.HASH ? java.security.MessageDigest.getInstance("SHA-256") : null;
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        /** True for an id made of a key or a hash: two rows of one input may give the same one. */
        boolean madeId() {
            return id != Id.NONE;
        }

        /** The value at an index: a column of the row, or of a lookup ({@code -1 - its index}). */
        private static Object at(SourceRow row, int i) {
            if (i >= 0) {
                return i < row.size() ? row.get(i) : null;
            }
            return row instanceof WithLookups joined ? joined.lookup(-1 - i) : null;
        }

        /** The raw value of a single column (a date or number from a database), or the joined text. */
        Object value(SourceRow row) {
            if (constant != null) {
                return constant;
            }
            if (index.length == 1 && extract == null && id == Id.NONE) {
                return at(row, index[0]);
            }
            return text(row);
        }

        /** The value as trimmed text, empty when blank. */
        String text(SourceRow row) {
            if (constant != null) {
                return constant;
            }
            if (id != Id.NONE) {
                return id == Id.KEY ? key(row) : hash(row);
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

        /**
         * The values joined with {@code |}, a blank one kept as nothing between two bars, so that "A||C" and "A|C|"
         * differ; a bar or backslash inside a value is escaped with a backslash. Empty when every value is blank.
         */
        private String key(SourceRow row) {
            StringBuilder out = new StringBuilder();
            boolean any = false;
            for (int k = 0; k < index.length; k++) {
                String part = text(at(row, index[k]));
                if (k > 0) {
                    out.append('|');
                }
                if (!part.isEmpty()) {
                    any = true;
                    if (part.indexOf('|') >= 0 || part.indexOf('\\') >= 0) {
                        part = part.replace("\\", "\\\\").replace("|", "\\|");
                    }
                    out.append(part);
                }
            }
            return any ? out.toString() : "";
        }

        /**
         * {@code h:} and the first 16 hex digits (64 bits) of the SHA-256 of the values as read (trimmed, runs of
         * spaces one space) joined with {@link #UNIT_SEPARATOR}, in UTF-8; for the whole row, blank values at its end
         * left out. Empty when every value is blank.
         */
        private String hash(SourceRow row) {
            int n = wholeRow ? row.size() : index.length;
            String[] parts = new String[n];
            boolean any = false;
            for (int k = 0; k < n; k++) {
                parts[k] = text(wholeRow ? row.get(k) : at(row, index[k]));
                any |= !parts[k].isEmpty();
            }
            if (!any) {
                return "";
            }
            if (wholeRow) {
                while (parts[n - 1].isEmpty()) {
                    n--;
                }
            }
            StringBuilder joined = new StringBuilder();
            for (int k = 0; k < n; k++) {
                if (k > 0) {
                    joined.append(UNIT_SEPARATOR);
                }
                joined.append(parts[k]);
            }
            byte[] digest = sha256.digest(joined.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "h:" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        }

        private String joined(SourceRow row) {
            if (index.length == 1) {
                return text(at(row, index[0]));
            }
            StringBuilder out = new StringBuilder();
            for (int i : index) {
                String part = text(at(row, i));
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
