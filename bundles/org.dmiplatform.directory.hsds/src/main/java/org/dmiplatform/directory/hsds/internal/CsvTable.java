package org.dmiplatform.directory.hsds.internal;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;

/**
 * One CSV table of a package, read whole with FastCSV: its rows with the line each starts on (the header is line 1),
 * values without the spaces around them. The header is checked against the schema: columns the schema does not
 * define are noted, and a table missing a column its rows cannot do without is not read at all (one entry in the
 * report says so). A row with such a column empty, or with an id already seen, is rejected.
 */
final class CsvTable {
    static final int MAX_ROWS = 200_000;

    /** A row: the line it starts on and its values by column. */
    record Row(int line, Map<String, String> values) {
        /** The value, empty when the column is empty or absent. */
        String get(String column) {
            return values.getOrDefault(column, "");
        }
    }

    final String file;
    final List<Row> rows;

    private CsvTable(String file, List<Row> rows) {
        this.file = file;
        this.rows = rows;
    }

    static CsvTable empty(String file) {
        return new CsvTable(file, List.of());
    }

    /** Just the header's column names (lower case), or none when the file has no rows at all. */
    static List<String> header(Path path, String file) {
        try (CsvReader<CsvRecord> csv = reader(path, StandardCharsets.ISO_8859_1)) {
            // the header's names are ASCII in either encoding
            Iterator<CsvRecord> it = csv.iterator();
            return it.hasNext() ? columns(it.next()) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CsvParseException e) {
            throw unreadable(file, 1, e);
        }
    }

    /**
     * Reads the table.
     *
     * @param file its name as the report shows it
     * @param version the schema's version, as the report names it
     */
    static CsvTable read(Path path, String file, Schema.Table table, String version, Findings findings) {
        List<Row> rows = new ArrayList<>();
        int line = 1;
        try (CsvReader<CsvRecord> csv = reader(path, charset(path, file, findings))) {
            Iterator<CsvRecord> it = csv.iterator();
            if (!it.hasNext()) {
                findings.reject(file, 0, "", "is empty: it has not even a header");
                return empty(file);
            }
            List<String> header = columns(it.next());
            List<String> unknown =
                    header.stream().filter(c -> !table.columns().contains(c)).toList();
            if (!unknown.isEmpty()) {
                findings.note(
                        file + ": columns not in the " + version + " schema, not read: " + String.join(", ", unknown));
            }
            List<String> missing =
                    table.needed().stream().filter(c -> !header.contains(c)).toList();
            Map<String, Integer> firstLine = new HashMap<>();
            int count = 0;
            while (it.hasNext()) {
                CsvRecord record = it.next();
                line = (int) record.getStartingLineNumber();
                if (++count > MAX_ROWS) {
                    throw new InvalidInputException(new InputError(
                            file, line, "", "has more than " + MAX_ROWS + " rows, the most a table may have"));
                }
                if (missing.isEmpty()) {
                    Row row = row(record, header, file, findings);
                    if (complete(row, table, file, findings) && unique(row, file, firstLine, findings)) {
                        rows.add(row);
                    }
                }
            }
            if (!missing.isEmpty()) {
                for (String column : missing) {
                    findings.reject(
                            file,
                            1,
                            column,
                            "the header has no column '" + column + "', which every row needs"
                                    + (unknown.isEmpty() ? "" : " (it has " + String.join(", ", unknown) + ")")
                                    + ": none of its " + count + (count == 1 ? " row" : " rows") + " is read");
                }
                return empty(file);
            }
            return new CsvTable(file, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CsvParseException e) {
            throw unreadable(file, line + 1, e);
        }
    }

    private static CsvReader<CsvRecord> reader(Path path, java.nio.charset.Charset charset) throws IOException {
        return CsvReader.builder()
                .skipEmptyLines(true)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .detectBomHeader(true)
                .ofCsvRecord(path, charset);
    }

    /**
     * UTF-8 when every byte of the file is UTF-8; else Windows-1252, the encoding of spreadsheets saved as CSV on
     * Windows, said in the notes (so "Café" is not read as "Caf?" silently).
     */
    static java.nio.charset.Charset charset(Path path, String file, Findings findings) throws IOException {
        try (java.io.Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            char[] buffer = new char[65536];
            while (in.read(buffer) >= 0) {
                // reading to the end is the check
            }
            return StandardCharsets.UTF_8;
        } catch (java.nio.charset.MalformedInputException e) {
            findings.note(file + ": not UTF-8; read as Windows-1252");
            return java.nio.charset.Charset.forName("windows-1252");
        }
    }

    private static List<String> columns(CsvRecord header) {
        return header.getFields().stream()
                .map(c -> c.strip().toLowerCase(Locale.ROOT))
                .toList();
    }

    /** A value spanning this many lines, with as many separators, is rows swallowed by a quote never closed. */
    static final int SWALLOWED_LINES = 20;

    private static Row row(CsvRecord record, List<String> header, String file, Findings findings) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < record.getFieldCount(); i++) {
            String v = record.getField(i);
            long breaks = v.chars().filter(ch -> ch == '\n').count();
            if (breaks >= SWALLOWED_LINES && v.chars().filter(ch -> ch == ',').count() >= breaks) {
                findings.reject(
                        file,
                        (int) record.getStartingLineNumber(),
                        i < header.size() ? header.get(i) : "column " + (i + 1),
                        "a quote opened on this line is never closed: the " + breaks
                                + " lines after it are read as one value, not as rows");
            }
        }
        for (int i = 0; i < header.size() && i < record.getFieldCount(); i++) {
            values.putIfAbsent(header.get(i), findings.trim(file, header.get(i), record.getField(i)));
        }
        return new Row((int) record.getStartingLineNumber(), values);
    }

    private static boolean complete(Row row, Schema.Table table, String file, Findings findings) {
        for (String column : table.needed()) {
            if (row.get(column).isEmpty()) {
                findings.reject(file, row.line(), column, "is empty, and the row cannot do without it: not taken");
                return false;
            }
        }
        return true;
    }

    private static boolean unique(Row row, String file, Map<String, Integer> firstLine, Findings findings) {
        Integer first = firstLine.putIfAbsent(row.get("id"), row.line());
        if (first != null) {
            findings.reject(
                    file,
                    row.line(),
                    "id",
                    "'" + row.get("id") + "' is already the id of line " + first + ": not taken");
            return false;
        }
        return true;
    }

    private static InvalidInputException unreadable(String file, int line, CsvParseException e) {
        return new InvalidInputException(new InputError(
                file,
                line,
                "",
                "cannot be read as CSV from here: " + e.getMessage()
                        + " (an unclosed quote runs to the end of the file)"));
    }
}
