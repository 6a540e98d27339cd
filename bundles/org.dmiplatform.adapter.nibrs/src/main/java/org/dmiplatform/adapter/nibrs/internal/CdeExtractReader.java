package org.dmiplatform.adapter.nibrs.internal;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.RecordSink;

/**
 * Reads an FBI Crime Data Explorer NIBRS extract: the relational CSV tables of one state and year, uploaded as one
 * zip. The extract's own code tables resolve its surrogate ids (they differ between data years). Its tables are
 * grouped by incident but not sorted by incident_id, so the four tables an incident is built from are spilled to a
 * temporary folder, sorted there by their join key in bounded memory, and merge-joined; the folder is deleted
 * whatever happens.
 */
final class CdeExtractReader {
    static final int RUN_SIZE = 50_000;

    private static final int RAW = 300;

    private final CodeTables tables;
    private final Agencies agencies;
    private final RecordSink sink;
    private final String source;
    private final Path tempRoot;
    private final int runSize;

    private final Map<String, OffenseType> offenseTypes = new HashMap<>();
    private final Map<String, DrugType> drugTypes = new HashMap<>();
    private final Map<String, String> oris = new HashMap<>();
    private final Map<String, String> seen = new LinkedHashMap<>();
    private ExternalSort incidents;
    private ExternalSort offenses;
    private ExternalSort properties;
    private ExternalSort drugs;

    CdeExtractReader(CodeTables tables, Agencies agencies, RecordSink sink, String source, Path tempRoot, int runSize) {
        this.tables = tables;
        this.agencies = agencies;
        this.sink = sink;
        this.source = source;
        this.tempRoot = tempRoot;
        this.runSize = runSize;
    }

    private record OffenseType(String code, String name, String categoryName) {}

    private record DrugType(String code, String name) {}

    /** Stops reading when the import is cancelled. */
    private static final class Cancelled extends Exception {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super(null, null, false, false);
        }
    }

    void read(InputStream in) throws IOException {
        try (TempDir dir = new TempDir(
                tempRoot == null
                        ? Files.createTempDirectory("dmi-nibrs-")
                        : Files.createTempDirectory(tempRoot, "dmi-nibrs-"))) {
            unzip(in, dir.path);
            join(dir.path);
        } catch (Cancelled e) {
            // the import rolls back; nothing more to read
        }
    }

    /** The spill folder, deleted with everything in it however the reading ends. */
    private record TempDir(Path path) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            deleteTree(path);
        }
    }

    private void unzip(InputStream in, Path dir) throws IOException, Cancelled {
        ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8);
        try {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                String path = entry.getName();
                String table = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
                switch (table) {
                    case "nibrs_incident.csv" -> {
                        incidents = new ExternalSort(dir, "incident", runSize);
                        spill(
                                zip,
                                path,
                                table,
                                incidents,
                                "incident_id",
                                "agency_id",
                                "incident_number",
                                "incident_date",
                                "report_date_flag",
                                "incident_hour");
                    }
                    case "nibrs_offense.csv" -> {
                        offenses = new ExternalSort(dir, "offense", runSize);
                        spill(zip, path, table, offenses, "incident_id", "offense_type_id");
                    }
                    case "nibrs_property.csv" -> {
                        properties = new ExternalSort(dir, "property", runSize);
                        spill(zip, path, table, properties, "property_id", "incident_id");
                    }
                    case "nibrs_suspected_drug.csv" -> {
                        drugs = new ExternalSort(dir, "drug", runSize);
                        spill(zip, path, table, drugs, "property_id", "suspected_drug_type_id");
                    }
                    case "nibrs_offense_type.csv" -> codeTable(
                            zip,
                            path,
                            table,
                            row -> offenseTypes.put(row.get(0), new OffenseType(row.get(1), row.get(2), row.get(3))),
                            "offense_type_id",
                            "offense_code",
                            "offense_name",
                            "?offense_category_name");
                    case "nibrs_suspected_drug_type.csv" -> codeTable(
                            zip,
                            path,
                            table,
                            row -> drugTypes.put(row.get(0), new DrugType(row.get(1), row.get(2))),
                            "suspected_drug_type_id",
                            "suspected_drug_code",
                            "suspected_drug_name");
                    case "cde_agencies.csv", "agencies.csv" -> codeTable(
                            zip,
                            path,
                            table,
                            row -> oris.put(row.get(0), row.get(1).toUpperCase(Locale.ROOT)),
                            "agency_id",
                            "ori");
                    default -> {
                        // the extract's other tables (victims, offenders, arrestees, ...) are not needed
                    }
                }
            }
        } catch (ZipException | EOFException e) {
            throw damaged(e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ZipException || e.getCause() instanceof EOFException) {
                throw damaged(e.getCause());
            }
            throw e;
        }
        if (incidents == null && offenses == null && offenseTypes.isEmpty()) {
            throw refused(
                    0,
                    "",
                    "a zip, but not a Crime Data Explorer NIBRS extract: it has no nibrs_incident.csv,"
                            + " nibrs_offense.csv or nibrs_offense_type.csv");
        }
        requireTable(incidents != null, "nibrs_incident.csv");
        requireTable(offenses != null, "nibrs_offense.csv");
        requireTable(seen.containsKey("nibrs_offense_type.csv"), "nibrs_offense_type.csv");
        requireTable(seen.containsKey("cde_agencies.csv") || seen.containsKey("agencies.csv"), "cde_agencies.csv");
        if (drugs != null) {
            requireTable(properties != null, "nibrs_property.csv");
            requireTable(seen.containsKey("nibrs_suspected_drug_type.csv"), "nibrs_suspected_drug_type.csv");
        }
    }

    private InvalidInputException damaged(IOException e) {
        return refused(0, "", "the zip is damaged or cut short: " + e.getMessage());
    }

    private void requireTable(boolean present, String table) {
        if (!present) {
            throw refused(0, table, "the extract lacks its table " + table + "; upload the whole extract as it came");
        }
    }

    /** Reads one table of the zip, giving each row's named columns (in the order asked) to the consumer. */
    private interface RowConsumer {
        void accept(List<String> row) throws IOException, Cancelled;
    }

    private void codeTable(ZipInputStream zip, String path, String table, RowConsumer consumer, String... columns)
            throws IOException, Cancelled {
        forEachRow(zip, path, table, columns, (row, line, raw) -> consumer.accept(row));
    }

    private interface LineConsumer {
        void accept(List<String> row, long line, String raw) throws IOException, Cancelled;
    }

    /**
     * Writes the key column (which must be a whole number) and the others of every row to the sort, with the row's
     * line and raw text; a row whose key is not a number is rejected.
     */
    private void spill(ZipInputStream zip, String path, String table, ExternalSort sort, String... columns)
            throws IOException, Cancelled {
        String prefix = table.substring(0, table.length() - ".csv".length()) + ".";
        forEachRow(zip, path, table, columns, (row, line, raw) -> {
            if (!row.get(0).matches("[0-9]{1,18}")) {
                sink.reject(line, prefix + columns[0], "'" + row.get(0) + "' is not an id (a whole number)", raw);
                return;
            }
            List<String> out = new ArrayList<>(row.size() + 2);
            out.add(row.get(0));
            out.add(Long.toString(line));
            out.addAll(row.subList(1, row.size()));
            out.add(raw);
            sort.add(out.toArray(String[]::new));
        });
        sort.flush();
    }

    private void forEachRow(ZipInputStream zip, String path, String table, String[] columns, LineConsumer consumer)
            throws IOException, Cancelled {
        String earlier = seen.putIfAbsent(table, path);
        if (earlier != null) {
            throw refused(
                    0,
                    table,
                    "the zip holds " + table + " twice (" + earlier + " and " + path
                            + "); upload one extract (one state and year) at a time");
        }
        try (CsvReader<CsvRecord> csv = CsvReader.builder()
                .allowExtraFields(true)
                .allowMissingFields(true)
                .detectBomHeader(true)
                .ofCsvRecord(new KeepOpen(zip), StandardCharsets.UTF_8)) {
            int[] at = null;
            long rows = 0;
            for (CsvRecord record : csv) {
                if (at == null) {
                    at = columns(record, table, columns);
                    continue;
                }
                if (++rows % 1000 == 0 && sink.cancelled()) {
                    throw new Cancelled();
                }
                List<String> row = new ArrayList<>(at.length);
                for (int i : at) {
                    row.add(
                            i < 0 || i >= record.getFieldCount()
                                    ? ""
                                    : record.getField(i).trim());
                }
                consumer.accept(
                        row,
                        record.getStartingLineNumber(),
                        SubmissionFormat.cut(String.join(",", record.getFields()), RAW));
            }
            if (at == null) {
                throw refused(0, table, table + " is empty: it has not even its header");
            }
        } catch (CsvParseException e) {
            throw refused(0, table, table + " cannot be read as CSV: " + e.getMessage());
        }
    }

    /** Where each asked column is; a name starting with '?' may be missing (-1). */
    private int[] columns(CsvRecord header, String table, String[] columns) {
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < header.getFieldCount(); i++) {
            byName.putIfAbsent(header.getField(i).trim().toLowerCase(Locale.ROOT), i);
        }
        int[] at = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            boolean optional = columns[i].startsWith("?");
            String name = optional ? columns[i].substring(1) : columns[i];
            Integer index = byName.get(name);
            if (index == null && !optional) {
                throw refused(
                        (int) header.getStartingLineNumber(),
                        table.substring(0, table.length() - ".csv".length()) + "." + name,
                        table + " has no column " + name + "; its columns are " + header.getFields());
            }
            at[i] = index == null ? -1 : index;
        }
        return at;
    }

    private void join(Path dir) throws IOException, Cancelled {
        ExternalSort drugsByIncident = new ExternalSort(dir, "incident-drug", runSize);
        if (drugs != null) {
            try (ExternalSort.Rows props = properties.sorted();
                    ExternalSort.Rows found = drugs.sorted()) {
                String[] property = props.hasNext() ? props.next() : null;
                while (found.hasNext()) {
                    String[] drug = found.next(); // property_id, line, suspected_drug_type_id, raw
                    long id = Long.parseLong(drug[0]);
                    while (property != null && Long.parseLong(property[0]) < id) {
                        property = props.hasNext() ? props.next() : null;
                    }
                    if (property != null && Long.parseLong(property[0]) == id && property[2].matches("[0-9]{1,18}")) {
                        drugsByIncident.add(property[2], drug[1], drug[2], drug[3]);
                    } else {
                        sink.reject(
                                Long.parseLong(drug[1]),
                                "nibrs_suspected_drug.property_id",
                                "property " + id + " is not in nibrs_property.csv (or names no incident)",
                                drug[3]);
                    }
                }
            }
        }
        try (ExternalSort.Rows incidentRows = incidents.sorted();
                ExternalSort.Rows offenseRows = offenses.sorted();
                ExternalSort.Rows drugRows = drugsByIncident.sorted()) {
            while (incidentRows.hasNext()) {
                if (sink.cancelled()) {
                    throw new Cancelled();
                }
                // incident_id, line, agency_id, incident_number, incident_date, report_date_flag, incident_hour, raw
                String[] incident = incidentRows.next();
                long id = Long.parseLong(incident[0]);
                orphans(offenseRows, id, "nibrs_offense.incident_id", "an offense");
                orphans(drugRows, id, "nibrs_suspected_drug.property_id", "a suspected drug");
                List<String[]> itsOffenses = rowsOf(offenseRows, id);
                List<String[]> itsDrugs = rowsOf(drugRows, id);
                while (incidentRows.hasNext() && incidentRows.peekKey() == id) {
                    String[] again = incidentRows.next();
                    sink.reject(
                            Long.parseLong(again[1]),
                            "nibrs_incident.incident_id",
                            "incident_id " + id + " repeats the incident at line " + incident[1],
                            again[7]);
                }
                incident(incident, itsOffenses, itsDrugs);
            }
            orphans(offenseRows, Long.MAX_VALUE, "nibrs_offense.incident_id", "an offense");
            orphans(drugRows, Long.MAX_VALUE, "nibrs_suspected_drug.property_id", "a suspected drug");
        }
    }

    /** Rejects the rows before an incident id: they belong to an incident the extract lacks. */
    private void orphans(ExternalSort.Rows rows, long before, String field, String what) {
        while (rows.hasNext() && rows.peekKey() < before) {
            String[] row = rows.next();
            sink.reject(
                    Long.parseLong(row[1]),
                    field,
                    what + " of incident_id " + row[0] + ", which nibrs_incident.csv lacks",
                    row[row.length - 1]);
        }
    }

    private static List<String[]> rowsOf(ExternalSort.Rows rows, long id) {
        List<String[]> out = new ArrayList<>();
        while (rows.hasNext() && rows.peekKey() == id) {
            out.add(rows.next());
        }
        return out;
    }

    private void incident(String[] row, List<String[]> itsOffenses, List<String[]> itsDrugs) {
        long line = Long.parseLong(row[1]);
        String raw = row[7];
        String ori = oris.get(row[2]);
        if (ori == null || ori.isBlank()) {
            reject(
                    line,
                    "nibrs_incident.agency_id",
                    "agency_id " + row[2] + " is not in cde_agencies.csv, so its ORI is unknown",
                    raw);
            return;
        }
        if (!agencies.keeps(ori)) {
            sink.skipped(line, agencies.skipReason(ori));
            return;
        }
        String number = row[3];
        if (number.isEmpty()) {
            reject(line, "nibrs_incident.incident_number", "is blank", raw);
            return;
        }
        LocalDate date;
        try {
            // written as a timestamp at midnight, e.g. 2016-01-27 00:00:00
            date = LocalDate.parse(row[4].length() > 10 ? row[4].substring(0, 10) : row[4]);
        } catch (DateTimeException e) {
            reject(line, "nibrs_incident.incident_date", "'" + row[4] + "' is not a date", raw);
            return;
        }
        boolean reportDate;
        switch (row[5].toUpperCase(Locale.ROOT)) {
            case "", "N", "F", "FALSE" -> reportDate = false;
            case "R", "Y", "T", "TRUE" -> reportDate = true;
            default -> {
                reject(
                        line,
                        "nibrs_incident.report_date_flag",
                        "'" + row[5] + "' is neither R (report date) nor blank",
                        raw);
                return;
            }
        }
        Optional<LocalTime> time = Optional.empty();
        if (!row[6].isEmpty()) {
            if (!row[6].matches("[0-9]{1,2}") || Integer.parseInt(row[6]) > 23) {
                reject(
                        line,
                        "nibrs_incident.incident_hour",
                        "'" + row[6] + "' is not an hour (0 to 23, or blank)",
                        raw);
                return;
            }
            time = Optional.of(LocalTime.of(Integer.parseInt(row[6]), 0));
        }
        List<Offense> found = new ArrayList<>();
        for (String[] offense : itsOffenses) { // incident_id, line, offense_type_id, raw
            OffenseType type = offenseTypes.get(offense[2]);
            if (type == null) {
                reject(
                        line,
                        "nibrs_offense.offense_type_id",
                        "offense_type_id '" + offense[2] + "' (nibrs_offense.csv line " + offense[1]
                                + ") is not in the extract's nibrs_offense_type.csv",
                        raw);
                return;
            }
            found.add(offense(type));
        }
        if (found.isEmpty()) {
            reject(
                    line,
                    "nibrs_offense.incident_id",
                    "incident_id " + row[0] + " has no offense in nibrs_offense.csv",
                    raw);
            return;
        }
        List<String> names = new ArrayList<>();
        for (String[] drug : itsDrugs) { // incident_id, line, suspected_drug_type_id, raw
            DrugType type = drugTypes.get(drug[2]);
            if (type == null) {
                reject(
                        line,
                        "nibrs_suspected_drug.suspected_drug_type_id",
                        "suspected_drug_type_id '" + drug[2] + "' (nibrs_suspected_drug.csv line " + drug[1]
                                + ") is not in the extract's nibrs_suspected_drug_type.csv",
                        raw);
                return;
            }
            if (!type.code().equalsIgnoreCase("U")) {
                // the FBI's name from the specification's code table, so all three formats name a drug alike
                names.add(tables.drugType(type.code()).orElse(type.name()));
            }
        }
        sink.accept(new Incident(ori, number, date, time, Optional.empty(), reportDate, found, names, line)
                .toRecord(sink.zone()));
    }

    private Offense offense(OffenseType type) {
        String name = type.name();
        if (name.equalsIgnoreCase("Not Specified") && !type.categoryName().isEmpty()) {
            // the pseudo-code 23*: a larceny whose kind the agency did not say
            name = type.categoryName() + ", " + name;
        }
        Optional<Offense> known = tables.offense(type.code());
        return new Offense(
                type.code(),
                name,
                known.map(Offense::category).orElse(Category.OTHER),
                known.map(Offense::partOne).orElse(false),
                known.map(Offense::rank).orElse(Offense.UNRANKED));
    }

    private void reject(long line, String field, String reason, String raw) {
        sink.reject(line, field, reason, raw);
    }

    private InvalidInputException refused(int line, String field, String reason) {
        return new InvalidInputException(new InputError(source, line, field, reason));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The zip's entry, read by a CSV reader that must not close the zip when it is done with the entry. */
    private static final class KeepOpen extends FilterInputStream {
        KeepOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the next entry follows
        }
    }
}
