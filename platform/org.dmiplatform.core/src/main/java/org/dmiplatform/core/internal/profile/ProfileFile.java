package org.dmiplatform.core.internal.profile;

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
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.records.RecordsProfile;
import org.dmiplatform.api.records.SourceRow;

/**
 * Reads a delimited text file laid out as a profile says and maps every row: the records adapters that read files
 * (and a profile's dry run) share it.
 */
final class ProfileFile {
    private ProfileFile() {}

    static void read(RecordsProfile profile, RecordsInput input, RecordSink sink) throws IOException {
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
    static final class Row implements SourceRow {
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
