package org.dmiplatform.adapter.csv.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.CodeLists.CodeList;

/**
 * Gathers a code list's rows as read from a sheet or a CSV file: each value stripped of surrounding spaces, blank
 * rows left out, trailing blank cells dropped, and at the end every row padded to the widest.
 */
final class CodeListRows {
    /** Rows after the header; a department's code list has a few thousand. */
    static final int MAX_ROWS = 100_000;
    /** Columns with a value; a code list has a handful. */
    static final int MAX_CELLS = 200;

    private final String file;
    private final List<String[]> rows = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();
    private int width;

    CodeListRows(String file) {
        this.file = file;
    }

    /** True once a row has been added. */
    boolean any() {
        return !rows.isEmpty();
    }

    /**
     * Adds a row unless every value in it is blank.
     *
     * @param line the row's line (CSV) or row number (sheet), 1-based
     * @param cells the values by column, null for a missing cell
     * @param column how the column of a value is named in an error (a letter in a sheet, a number in a CSV file)
     */
    void add(int line, List<String> cells, ColumnName column) {
        int last = -1;
        String[] row = new String[Math.min(cells.size(), MAX_CELLS)];
        for (int i = 0; i < cells.size(); i++) {
            String value = cells.get(i) == null ? "" : cells.get(i).strip();
            if (value.isEmpty()) {
                continue;
            }
            if (i >= MAX_CELLS) {
                throw tooWide(line, column.name(i));
            }
            row[i] = value;
            last = i;
        }
        if (last < 0) {
            return;
        }
        if (rows.size() > MAX_ROWS) { // the header and MAX_ROWS rows are already in
            throw new InvalidInputException(new InputError(
                    file,
                    line,
                    "",
                    String.format(
                            Locale.ROOT,
                            "the list goes on past %,d rows, more than a code list (is it an export of records?)",
                            MAX_ROWS)));
        }
        rows.add(Arrays.copyOf(row, last + 1));
        lines.add(line);
        width = Math.max(width, last + 1);
    }

    InvalidInputException tooWide(int line, String column) {
        return new InvalidInputException(new InputError(
                file,
                line,
                "",
                "has a value in column " + column + ", past the " + MAX_CELLS + " columns a code list may have"));
    }

    /**
     * The list: the first row is its header.
     *
     * @throws InvalidInputException when there is no row, or only the header
     */
    CodeList list(String sheet, String none) {
        if (rows.isEmpty()) {
            throw new InvalidInputException(InputError.of(file, "", none));
        }
        if (rows.size() == 1) {
            throw new InvalidInputException(
                    new InputError(file, lines.get(0), "", "has only one row (its header) and no codes below it"));
        }
        List<List<String>> padded = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            String[] full = Arrays.copyOf(row, width);
            for (int i = 0; i < width; i++) {
                if (full[i] == null) {
                    full[i] = "";
                }
            }
            padded.add(Arrays.asList(full));
        }
        return new CodeList(
                file, sheet, padded.get(0), padded.subList(1, padded.size()), lines.subList(1, lines.size()));
    }

    interface ColumnName {
        String name(int index);
    }
}
