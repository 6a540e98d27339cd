package org.dmiplatform.core.internal.profile;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CodeLists;
import org.dmiplatform.api.records.RecordsProfiles;

/**
 * Drafts a code table from a department's codes: categories from NIBRS codes, else from words, else other.
 *
 * <p>A code with a NIBRS offense code the table knows ({@link NibrsOffenses}) takes that offense's category and Part
 * I, as the NIBRS adapter gives them (of several, the deciding one's category, and Part I if any is); it is sure. A
 * code without one is guessed from the words of its description ({@link OffenseWords}), or left {@code other}, and
 * marked for checking. Codes are compared as the code table looks them up, ignoring case: the same code twice with
 * the same description and NIBRS code is one row.
 */
final class CodeTableDraft {
    /** One code as found: in a sample export's code column, or a row of the department's code list. */
    record Code(String code, String text, String nibrs, long rows) {}

    static final List<String> HEADER = List.of("code", "category", "partOne", "text", "nibrs");

    /** Mistakes reported at once, at most. */
    private static final int MAX_ERRORS = 50;

    private record Row(String code, Category category, boolean partOne, String text, String nibrs, boolean check) {}

    private CodeTableDraft() {}

    /**
     * A code table of these codes, in their order. The same code (ignoring case) given twice is one row, the first;
     * the codes to check come most rows first.
     */
    static RecordsProfiles.CodeTableDraft draft(List<Code> codes) {
        Map<String, Code> distinct = new LinkedHashMap<>();
        for (Code code : codes) {
            String value = code.code() == null ? "" : code.code().strip();
            if (value.isEmpty()) {
                continue;
            }
            distinct.merge(
                    key(value),
                    new Code(value, code.text(), code.nibrs(), code.rows()),
                    (first, again) -> new Code(first.code(), first.text(), first.nibrs(), first.rows() + again.rows()));
        }
        List<Row> rows = new ArrayList<>();
        List<Code> toCheck = new ArrayList<>();
        for (Code code : distinct.values()) {
            Row row = row(code);
            rows.add(row);
            if (row.check()) {
                toCheck.add(code);
            }
        }
        toCheck.sort(Comparator.comparingLong(Code::rows).reversed());
        return new RecordsProfiles.CodeTableDraft(
                csv(rows), rows.size(), toCheck.stream().map(Code::code).toList());
    }

    /**
     * A code table of a department's code list, one row per code in the list's order.
     *
     * @param code the header of the column holding the codes (case and surrounding spaces aside)
     * @param text the header of the column describing them, or null
     * @param nibrs the header of the column holding NIBRS offense codes, or null
     * @throws InvalidInputException naming a column the list lacks (and the columns it has), a code listed twice with
     *     another description or NIBRS code (and both lines), or a list without a code
     */
    static RecordsProfiles.CodeTableDraft draft(CodeLists.CodeList list, String code, String text, String nibrs) {
        Objects.requireNonNull(list, "list");
        List<InputError> errors = new ArrayList<>();
        int codeAt = column(list, "code", code, true, errors);
        int textAt = column(list, "text", text, false, errors);
        int nibrsAt = column(list, "nibrs", nibrs, false, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Map<String, Seen> seen = new LinkedHashMap<>();
        for (int i = 0; i < list.rows().size() && errors.size() < MAX_ERRORS; i++) {
            List<String> row = list.rows().get(i);
            int line = i < list.lines().size() ? list.lines().get(i) : 0;
            String value = cell(row, codeAt);
            if (value.isEmpty()) {
                continue;
            }
            Code found = new Code(value, words(cell(row, textAt)), cell(row, nibrsAt), 1);
            Seen first = seen.get(key(value));
            if (first == null) {
                seen.put(key(value), new Seen(found, line));
                continue;
            }
            String differs = differs(first.code, found);
            if (differs == null) {
                first.rows++;
            } else {
                errors.add(new InputError(
                        list.file(),
                        line,
                        "code",
                        "'" + value + "' is on line " + first.line + " too, with another " + differs
                                + "; a code table has one row for each code"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (seen.isEmpty()) {
            throw new InvalidInputException(
                    new InputError(list.file(), 0, "code", "the column '" + code.strip() + "' holds no codes"));
        }
        return draft(seen.values().stream()
                .map(s -> new Code(s.code.code(), s.code.text(), s.code.nibrs(), s.rows))
                .toList());
    }

    private static final class Seen {
        final Code code;
        final int line;
        long rows = 1;

        Seen(Code code, int line) {
            this.code = code;
            this.line = line;
        }
    }

    /** What differs between two rows of one code, in words with both values; null when they agree. */
    private static String differs(Code first, Code again) {
        List<String> what = new ArrayList<>();
        if (!first.text().equalsIgnoreCase(again.text())) {
            what.add("description ('" + first.text() + "' there, '" + again.text() + "' here)");
        }
        if (!first.nibrs().equalsIgnoreCase(again.nibrs())) {
            what.add("NIBRS code ('" + first.nibrs() + "' there, '" + again.nibrs() + "' here)");
        }
        return what.isEmpty() ? null : String.join(" and ", what);
    }

    /**
     * The index of the column with this header, ignoring case and surrounding spaces; -1 for a column not asked for.
     */
    private static int column(
            CodeLists.CodeList list, String field, String name, boolean required, List<InputError> errors) {
        if (name == null || name.isBlank()) {
            if (required) {
                errors.add(InputError.of(list.file(), field, "name the column that holds the codes"));
            }
            return -1;
        }
        String wanted = name.strip();
        for (int i = 0; i < list.header().size(); i++) {
            if (list.header().get(i).strip().equalsIgnoreCase(wanted)) {
                return i;
            }
        }
        String columns = list.header().stream()
                .map(String::strip)
                .filter(h -> !h.isEmpty())
                .map(h -> "'" + h + "'")
                .collect(Collectors.joining(", "));
        errors.add(InputError.of(
                list.file(),
                field,
                "the list has no column '" + wanted + "'"
                        + (columns.isEmpty() ? "" : "; its columns are " + columns)
                        + (list.sheet().isEmpty() ? "" : " (sheet '" + list.sheet() + "')")));
        return -1;
    }

    private static String cell(List<String> row, int at) {
        return at < 0 || at >= row.size() || row.get(at) == null
                ? ""
                : row.get(at).strip();
    }

    /** A description on one line, with single spaces. */
    private static String words(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    /** Codes as the code table looks them up. */
    private static String key(String code) {
        return code.strip().toUpperCase(Locale.ROOT);
    }

    private static Row row(Code code) {
        String text = words(code.text());
        List<NibrsOffenses.Offense> named = code.nibrs() == null ? List.of() : NibrsOffenses.named(code.nibrs());
        if (!named.isEmpty()) {
            NibrsOffenses.Offense deciding = NibrsOffenses.deciding(named);
            boolean partOne = named.stream().anyMatch(NibrsOffenses.Offense::partOne);
            return new Row(code.code(), deciding.category(), partOne, text, deciding.code(), false);
        }
        OffenseWords.Guess guess = OffenseWords.guess(text);
        return new Row(code.code(), guess.category(), guess.partOne(), text, "", true);
    }

    private static String csv(List<Row> rows) {
        StringWriter out = new StringWriter();
        try (CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(out)) {
            csv.writeRecord(HEADER);
            for (Row row : rows) {
                csv.writeRecord(
                        row.code(), row.category().id(), Boolean.toString(row.partOne()), row.text(), row.nibrs());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
