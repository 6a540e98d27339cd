package org.dmiplatform.core.internal.profile;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dmiplatform.api.InputError;

/**
 * A second file beside the profile, joined to each row by a key: e.g. the coordinates a department geocoded
 * separately, keyed by the location text. Its columns are named {@code "file.csv:COLUMN"} wherever the profile names
 * a column; for a row whose key is not in the file they are blank. Read once when the profile is loaded; immutable.
 */
final class Lookup {
    static final int MAX_ROWS = 1_000_000;

    /** The lookup file's name, as the profile gives it. */
    final String file;

    /** The lookup file's key column, as the profile gives it. */
    final String key;

    /** The export's column(s) whose value is looked up. */
    final Columns on;

    /** The lookup file's columns, as its header names them. */
    final List<String> columns;

    private final Map<String, Integer> columnIndex;
    private final Map<String, String[]> rows;

    private Lookup(
            String file,
            String key,
            Columns on,
            List<String> columns,
            Map<String, Integer> columnIndex,
            Map<String, String[]> rows) {
        this.file = file;
        this.key = key;
        this.on = on;
        this.columns = columns;
        this.columnIndex = columnIndex;
        this.rows = rows;
    }

    /** A key as matched: case ignored, trimmed, and runs of spaces inside it one space. */
    static String normal(String key) {
        return Columns.Bound.text(key).toLowerCase(Locale.ROOT);
    }

    /** The row of the lookup file with this key (its values, trimmed, by column), or null. */
    String[] find(String key) {
        return key.isEmpty() ? null : rows.get(normal(key));
    }

    /** The index of a column of the lookup file, or -1. */
    int column(String name) {
        return columnIndex.getOrDefault(Columns.key(name), -1);
    }

    int size() {
        return rows.size();
    }

    /** Whether two rows say the same, but for how their key is written (case, spaces). */
    private static boolean sameValues(String[] a, String[] b, int keyAt) {
        for (int i = 0; i < a.length; i++) {
            if (i != keyAt && !a[i].equals(b[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a lookup file: a CSV file with a header row naming its columns, comma-separated, in UTF-8. A repeated key
     * is fine when its row says the same; with other values it is a mistake, naming both lines.
     *
     * @param where the profile and line that declare the lookup, for messages
     * @param errors where the file's mistakes go, each with the file, line and column
     * @return the lookup, or null when the file cannot be used
     */
    static Lookup read(String file, String text, String key, Columns on, String where, List<InputError> errors) {
        List<InputError> found = new ArrayList<>();
        Map<String, String[]> rows = new HashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        Map<String, Integer> columnIndex = new HashMap<>();
        List<String> columns = new ArrayList<>();
        int keyAt = -1;
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .allowMissingFields(true)
                .allowExtraFields(true)
                .skipEmptyLines(true)
                .detectBomHeader(true)
                .ofCsvRecord(text)) {
            boolean header = true;
            for (CsvRecord record : reader) {
                int line = (int) record.getStartingLineNumber();
                if (header) {
                    header = false;
                    for (int i = 0; i < record.getFieldCount(); i++) {
                        columns.add(record.getField(i).strip());
                        columnIndex.putIfAbsent(Columns.key(record.getField(i)), i);
                    }
                    keyAt = columnIndex.getOrDefault(Columns.key(key), -1);
                    if (keyAt < 0) {
                        found.add(new InputError(
                                file,
                                line,
                                key,
                                "is not a column of this lookup file (" + where + " names it as the key); its columns"
                                        + " are: " + String.join(", ", columns)));
                        break;
                    }
                    continue;
                }
                String[] values = new String[columns.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = i < record.getFieldCount() ? Columns.Bound.text(record.getField(i)) : "";
                }
                String k = normal(values[keyAt]);
                if (k.isEmpty()) {
                    continue; // a blank key matches no row
                }
                String[] before = rows.putIfAbsent(k, values);
                if (before == null) {
                    firstLine.put(k, line);
                } else if (!sameValues(before, values, keyAt)) {
                    found.add(new InputError(
                            file,
                            line,
                            columns.get(keyAt),
                            "'" + values[keyAt] + "' is also on line " + firstLine.get(k)
                                    + " with other values: a key must give one row (keys match ignoring case and"
                                    + " spaces)"));
                }
                if (rows.size() > MAX_ROWS) {
                    found.add(new InputError(file, line, "", "has more than " + MAX_ROWS + " rows"));
                    break;
                }
                if (found.size() > 50) {
                    break;
                }
            }
            if (header) {
                found.add(new InputError(file, 1, "", "is empty: a lookup file needs a header row naming its columns"));
            }
        } catch (java.io.IOException | UncheckedIOException | de.siegmar.fastcsv.reader.CsvParseException e) {
            found.add(new InputError(file, 0, "", "is not a readable CSV file: " + e.getMessage()));
        }
        errors.addAll(found);
        if (!found.isEmpty()) {
            return null;
        }
        return new Lookup(file, key, on, List.copyOf(columns), Map.copyOf(columnIndex), rows);
    }
}
