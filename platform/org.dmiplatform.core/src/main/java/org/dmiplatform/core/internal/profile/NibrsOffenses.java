package org.dmiplatform.core.internal.profile;

import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dmiplatform.api.records.Category;

/**
 * The programme's category and UCR Part I of every NIBRS offense code: {@code offense-categories.csv} beside this
 * class, the same table as the NIBRS adapter's (its README explains every choice; a test keeps the two the same).
 * Rape is the 2013 definition (11A, 11B, 11C), a sex offense that counts as Part I.
 */
final class NibrsOffenses {
    static final String TABLE = "offense-categories.csv";

    /**
     * @param rank the offense's place in the table, most serious first within a category
     */
    record Offense(String code, String name, Category category, boolean partOne, int rank) {}

    /** A NIBRS offense code standing alone or at the start of a description: 35A, 13A, 520, 90Z. */
    private static final Pattern CODE = Pattern.compile("(?<![0-9A-Z])[0-9]{2}[0-9A-Z](?![0-9A-Z])");

    private static final Map<String, Offense> OFFENSES = load();

    private NibrsOffenses() {}

    static Optional<Offense> offense(String code) {
        return Optional.ofNullable(OFFENSES.get(code.strip().toUpperCase(Locale.ROOT)));
    }

    /**
     * The offenses a NIBRS column's value names ({@code 13A}, {@code 13a - Aggravated Assault}, {@code 35A/520}),
     * in the order written; empty when it names none the table knows.
     */
    static List<Offense> named(String value) {
        List<Offense> found = new ArrayList<>();
        Optional<Offense> whole = offense(value);
        if (whole.isPresent()) {
            return List.of(whole.get());
        }
        Matcher m = CODE.matcher(value.toUpperCase(Locale.ROOT));
        while (m.find()) {
            offense(m.group()).filter(o -> !found.contains(o)).ifPresent(found::add);
        }
        return found;
    }

    /**
     * Of several offenses, the one that decides, as the NIBRS adapter decides an incident's: the first category in
     * the programme's precedence; within it a Part I offense, then the earlier in the table.
     */
    static Offense deciding(List<Offense> offenses) {
        return offenses.stream()
                .min(Comparator.comparing(Offense::category)
                        .thenComparing(Offense::partOne, Comparator.reverseOrder())
                        .thenComparingInt(Offense::rank))
                .orElseThrow();
    }

    private static Map<String, Offense> load() {
        try (InputStream in = NibrsOffenses.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks " + TABLE);
            }
            Map<String, Offense> offenses = new LinkedHashMap<>();
            try (CsvReader<CsvRecord> reader = CsvReader.builder()
                    .commentStrategy(CommentStrategy.SKIP)
                    .ofCsvRecord(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
                for (CsvRecord row : reader.stream().skip(1).toList()) {
                    if (row.getFieldCount() != 4) {
                        throw new IllegalStateException(
                                TABLE + " line " + row.getStartingLineNumber() + ": expected 4 fields");
                    }
                    Category category = Category.byId(row.getField(2))
                            .orElseThrow(() -> new IllegalStateException(TABLE + " line " + row.getStartingLineNumber()
                                    + ": no category " + row.getField(2)));
                    offenses.put(
                            row.getField(0),
                            new Offense(
                                    row.getField(0),
                                    row.getField(1),
                                    category,
                                    Boolean.parseBoolean(row.getField(3)),
                                    offenses.size()));
                }
            }
            return Map.copyOf(offenses);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
