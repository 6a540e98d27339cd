package org.dmiplatform.core.internal.profile;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.records.Category;

/**
 * A site's table from local offence or call codes to the platform's categories: a CSV file beside the profile with
 * the columns {@code code}, {@code category} and, optionally, {@code partOne}, {@code text} and {@code nibrs}.
 */
final class CodeTable {
    static final int MAX_ENTRIES = 100_000;

    record Entry(Category category, Optional<Boolean> partOne, String text, Optional<String> nibrs) {}

    final String file;
    private final Map<String, Entry> entries;

    private CodeTable(String file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    Entry find(String code) {
        return entries.get(code.strip().toUpperCase(Locale.ROOT));
    }

    int size() {
        return entries.size();
    }

    static CodeTable read(String file, String text, List<InputError> errors) {
        Map<String, Entry> entries = new HashMap<>();
        List<InputError> found = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .allowMissingFields(true)
                .allowExtraFields(true)
                .skipEmptyLines(true)
                .detectBomHeader(true)
                .ofCsvRecord(text)) {
            Map<String, Integer> header = null;
            for (CsvRecord record : reader) {
                int line = (int) record.getStartingLineNumber();
                if (header == null) {
                    header = new HashMap<>();
                    for (int i = 0; i < record.getFieldCount(); i++) {
                        header.putIfAbsent(record.getField(i).strip().toLowerCase(Locale.ROOT), i);
                    }
                    for (String required : List.of("code", "category")) {
                        if (!header.containsKey(required)) {
                            found.add(
                                    new InputError(
                                            file,
                                            line,
                                            required,
                                            "a code table needs the columns code and category (optional: partOne, text, nibrs)"));
                        }
                    }
                    if (!found.isEmpty()) {
                        break;
                    }
                    continue;
                }
                String code = field(record, header, "code");
                String categoryText = field(record, header, "category");
                if (code.isEmpty()) {
                    found.add(new InputError(file, line, "code", "is empty"));
                    continue;
                }
                Optional<Category> category = Category.byId(categoryText.toLowerCase(Locale.ROOT));
                if (category.isEmpty()) {
                    found.add(new InputError(
                            file,
                            line,
                            "category",
                            "'" + categoryText + "' is not one of " + ProfileReader.CATEGORIES));
                    continue;
                }
                Optional<Boolean> partOne = Optional.empty();
                String partOneText = field(record, header, "partone");
                if (!partOneText.isEmpty()) {
                    partOne = ProfileReader.yesNo(partOneText);
                    if (partOne.isEmpty()) {
                        found.add(new InputError(file, line, "partOne", "'" + partOneText + "' is not true or false"));
                        continue;
                    }
                }
                String nibrs = field(record, header, "nibrs");
                Entry entry = new Entry(
                        category.get(),
                        partOne,
                        field(record, header, "text"),
                        nibrs.isEmpty() ? Optional.empty() : Optional.of(nibrs));
                if (entries.putIfAbsent(code.toUpperCase(Locale.ROOT), entry) != null) {
                    found.add(new InputError(file, line, "code", "'" + code + "' is listed twice"));
                }
                if (entries.size() > MAX_ENTRIES) {
                    found.add(new InputError(file, line, "", "has more than " + MAX_ENTRIES + " codes"));
                    break;
                }
                if (found.size() > 50) {
                    break;
                }
            }
            if (header == null) {
                found.add(new InputError(file, 1, "", "is empty"));
            }
        } catch (java.io.IOException | UncheckedIOException | de.siegmar.fastcsv.reader.CsvParseException e) {
            found.add(new InputError(file, 0, "", "is not a readable CSV file: " + e.getMessage()));
        }
        errors.addAll(found);
        return new CodeTable(file, Map.copyOf(entries));
    }

    private static String field(CsvRecord record, Map<String, Integer> header, String name) {
        Integer at = header.get(name);
        return at == null || at >= record.getFieldCount()
                ? ""
                : record.getField(at).strip();
    }
}
