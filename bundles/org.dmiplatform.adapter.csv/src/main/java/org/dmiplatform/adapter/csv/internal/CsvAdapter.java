package org.dmiplatform.adapter.csv.internal;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.records.RecordsProfile;
import org.dmiplatform.api.records.RecordsProfiles;
import org.dmiplatform.api.records.SourceRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A records system's CSV export, read through the site's records profile: the profile says which columns hold what,
 * how dates and coordinates are written, and how local codes map to categories, so a new department is onboarded
 * by writing a profile, not code. One instance per site, from {@code site-configs/<site>/plugins/}.
 */
@Component(
        service = RecordsAdapter.class,
        configurationPid = CsvAdapter.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"dmi.plugin.kind=records-adapter", "dmi.plugin.name=csv"})
@Designate(ocd = CsvAdapter.Config.class, factory = true)
public class CsvAdapter implements RecordsAdapter {
    static final String PID = "org.dmiplatform.adapter.csv";

    @ObjectClassDefinition(
            name = "DMI CSV records adapter",
            description = "Reads a site's CSV exports through one of its records profiles")
    public @interface Config {
        @AttributeDefinition(name = "Site", description = "The site this adapter serves (written by provisioning)")
        String dmi_site();

        @AttributeDefinition(
                name = "Profile",
                description = "The records profile, a file of the site's profiles/ folder, e.g. chicago-clear.json")
        String profile();
    }

    private final RecordsProfiles profiles;
    /** The site and profile name, swapped together when the configuration changes. */
    private volatile Settings settings;

    private record Settings(String site, String profile) {}

    @Activate
    public CsvAdapter(Config config, @Reference RecordsProfiles profiles) {
        this.profiles = profiles;
        modified(config);
    }

    /**
     * A new configuration (another profile, say) takes effect in place: the adapter stays registered, so the site is
     * never without one; an import already running finishes with the profile it started with.
     */
    @Modified
    void modified(Config config) {
        this.settings = new Settings(config.dmi_site(), config.profile());
    }

    @Override
    public String describe() {
        Settings now = settings;
        try {
            RecordsProfile profile = profiles.profile(now.site(), now.profile());
            return "CSV, profile " + profile.name()
                    + (profile.description().isEmpty() ? "" : " (" + profile.description() + ")");
        } catch (InvalidInputException e) {
            return "CSV, profile " + now.profile() + ", which cannot be used: " + e.getMessage();
        }
    }

    @Override
    public boolean mergesRepeats() {
        try {
            Settings now = settings;
            return profiles.profile(now.site(), now.profile()).mergesRepeats();
        } catch (InvalidInputException e) {
            return false;
        }
    }

    @Override
    public void read(RecordsInput input, RecordSink sink) throws IOException {
        Settings now = settings;
        read(profiles.profile(now.site(), now.profile()), input, sink);
    }

    public static void read(RecordsProfile profile, RecordsInput input, RecordSink sink) throws IOException {
        RecordsProfile.FileLayout layout = profile.layout();
        String name = input.name();
        try (InputStream raw = input.open();
                Reader text = CsvText.open(raw, layout.encoding(), name);
                CsvReader<CsvRecord> csv = CsvReader.builder()
                        .fieldSeparator(layout.delimiter())
                        .quoteCharacter(layout.quote())
                        .skipEmptyLines(true)
                        .allowMissingFields(true)
                        .allowExtraFields(true)
                        .ofCsvRecord(text)) {
            Iterator<CsvRecord> rows = csv.iterator();
            long line = 0;
            long read = 0;
            try {
                RecordsProfile.RowMapper mapper = null;
                Row row = new Row(layout.delimiter());
                while (rows.hasNext()) {
                    CsvRecord record = rows.next();
                    line = record.getStartingLineNumber();
                    if (line <= layout.skipLines()) {
                        continue;
                    }
                    if (mapper == null) {
                        if (layout.header()) {
                            mapper = profile.start(name, header(record, name, line), sink);
                            continue;
                        }
                        mapper = profile.start(name, List.of(), sink);
                    }
                    if (sink.cancelled()) {
                        return;
                    }
                    read++;
                    row.record = record;
                    if (row.unreadable()) {
                        sink.reject(
                                line,
                                "",
                                "holds bytes that are not " + layout.encoding().name()
                                        + " text (shown as \uFFFD): check the profile's encoding",
                                row.raw());
                        continue;
                    }
                    mapper.map(line, row);
                }
                if (read == 0 && !sink.cancelled()) {
                    throw new InvalidInputException(new InputError(
                            name, (int) line, "", mapper == null ? "has no rows" : "has a header but no rows"));
                }
            } catch (CsvParseException | UncheckedIOException e) {
                if (e instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                throw new InvalidInputException(new InputError(
                        name,
                        (int) Math.min(Integer.MAX_VALUE, line + 1),
                        "",
                        "cannot be read as CSV after this point: " + e.getMessage()
                                + " (an unclosed quote runs to the end of the file)"));
            }
        }
    }

    private static List<String> header(CsvRecord record, String name, long line) {
        List<String> header = new ArrayList<>(record.getFields());
        if (header.stream().allMatch(String::isBlank)) {
            throw new InvalidInputException(new InputError(name, (int) line, "", "the header row is empty"));
        }
        return header;
    }

    /** A CSV record seen by the profile; one instance reused for every row. */
    private static final class Row implements SourceRow {
        private final char delimiter;
        CsvRecord record;

        Row(char delimiter) {
            this.delimiter = delimiter;
        }

        @Override
        public int size() {
            return record.getFieldCount();
        }

        @Override
        public Object get(int column) {
            return record.getField(column);
        }

        boolean unreadable() {
            for (int i = 0; i < record.getFieldCount(); i++) {
                if (record.getField(i).indexOf(CsvText.UNREADABLE) >= 0) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String raw() {
            return String.join(String.valueOf(delimiter), record.getFields());
        }
    }
}
