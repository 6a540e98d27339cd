package org.dmiplatform.adapter.nibrs.internal;

import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.records.Category;

/**
 * The code tables the adapter ships: the programme's category of every NIBRS offense (offense-categories.csv) and
 * the FBI's names of the suspected drug types (suspected-drug-types.csv). Read once; immutable.
 */
final class CodeTables {
    private final Map<String, Offense> offenses;
    private final Map<String, String> drugTypes;

    private CodeTables(Map<String, Offense> offenses, Map<String, String> drugTypes) {
        this.offenses = Map.copyOf(offenses);
        this.drugTypes = Map.copyOf(drugTypes);
    }

    static CodeTables load() {
        Map<String, Offense> offenses = new LinkedHashMap<>();
        for (CsvRecord row : rows("offense-categories.csv", 4)) {
            Category category = Category.byId(row.getField(2))
                    .orElseThrow(() -> new IllegalStateException("offense-categories.csv line "
                            + row.getStartingLineNumber() + ": no category " + row.getField(2)));
            offenses.put(
                    row.getField(0),
                    new Offense(
                            row.getField(0),
                            row.getField(1),
                            category,
                            Boolean.parseBoolean(row.getField(3)),
                            offenses.size()));
        }
        Map<String, String> drugTypes = new LinkedHashMap<>();
        for (CsvRecord row : rows("suspected-drug-types.csv", 2)) {
            drugTypes.put(row.getField(0), row.getField(1));
        }
        return new CodeTables(offenses, drugTypes);
    }

    /** The offense with this NIBRS code (case as the FBI writes it), if it is one. */
    Optional<Offense> offense(String code) {
        return Optional.ofNullable(offenses.get(code.trim().toUpperCase(Locale.ROOT)));
    }

    /** The FBI's name of a suspected drug type code (Data Element 20), if it is one. */
    Optional<String> drugType(String code) {
        return Optional.ofNullable(drugTypes.get(code.trim().toUpperCase(Locale.ROOT)));
    }

    private static Iterable<CsvRecord> rows(String resource, int fields) {
        try (InputStream in = CodeTables.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks its code table " + resource);
            }
            try (CsvReader<CsvRecord> reader = CsvReader.builder()
                    .commentStrategy(CommentStrategy.SKIP)
                    .ofCsvRecord(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
                var all = reader.stream().skip(1).toList();
                for (CsvRecord row : all) {
                    if (row.getFieldCount() != fields) {
                        throw new IllegalStateException(
                                resource + " line " + row.getStartingLineNumber() + ": expected " + fields + " fields");
                    }
                }
                return all;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
