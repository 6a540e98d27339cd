package org.dmiplatform.adapter.csv.bench;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.dmiplatform.adapter.csv.internal.CsvAdapter;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.records.RecordsProfile;
import org.dmiplatform.api.store.Imports;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.imports.ImportsImpl;
import org.dmiplatform.core.internal.imports.RecordChecks;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.dmiplatform.core.internal.profile.RecordsProfilesImpl;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Dialect;
import org.dmiplatform.core.internal.store.RecordRows;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.TestDatabases;
import org.postgresql.PGConnection;

/**
 * The import pipeline against its anchors, each pair measured in the same process on the same generated file (a
 * Chicago-shaped export from a fixed seed):
 *
 * <ul>
 *   <li>parse + map + validate (the CSV adapter with the Chicago preset and the platform's checks) against a FastCSV
 *       parse that reads every character of every field;
 *   <li>an import into PostgreSQL against its floor: a {@code COPY} of the already mapped records straight into a
 *       table with the key and indexes of {@code records}; and, where GDAL is installed, against {@code ogr2ogr}
 *       loading the raw file into PostgreSQL with {@code PG_USE_COPY};
 *   <li>an import into the embedded SQLite store against its floor: a JDBC batch insert of the already mapped records
 *       into a table with the key and indexes of {@code records};
 *   <li>a re-import of the unchanged file against the first import, on both stores;
 *   <li>the heap each keeps, for a tenth of the rows and for all of them.
 * </ul>
 *
 * Run by {@code ./dmi bench} (rows and runs: {@code DMI_BENCH_ROWS}, {@code DMI_BENCH_RUNS}; phases:
 * {@code DMI_BENCH_PHASES}).
 */
public final class ImportBenchmark {
    private static final long SEED = 20261121L;
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    private static final Caller POLICE = new Caller(
            new User(1, "bench", "bench", List.of(Grant.at("chicago", Role.POLICE)), true, false, Instant.EPOCH),
            "bench");

    private final Path work;
    private Path export;
    private final Path sites;
    private int rows;
    private final int runs;
    private final List<String> report = new ArrayList<>();
    /** The export's records as the import maps them, one per line in COPY's text format. */
    private Path mapped;

    private long mappedRows;

    private ImportBenchmark(Path work, int rows, int runs) throws IOException {
        this.work = work;
        this.rows = rows;
        this.runs = runs;
        Files.createDirectories(work);
        this.export = exportOf(rows);
        this.sites = work.resolve("sites");
        Path profiles = RecordsProfilesImpl.folder(sites, "chicago");
        Files.createDirectories(profiles);
        Path preset = Paths.get(System.getProperty("dmi.repo", "../..")).resolve("site-configs/chicago/profiles");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(preset)) {
            for (Path f : files) {
                Files.copy(f, profiles.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private Path exportOf(int rows) throws IOException {
        Path file = work.resolve("chicago-shaped-" + rows + "-" + SEED + ".csv");
        if (!Files.exists(file)) {
            System.out.printf("Writing %,d rows to %s ...%n", rows, file);
            ChicagoShapedExport.write(file, rows, SEED);
        }
        return file;
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(System.getProperty("rows", "1000000"));
        int runs = Integer.parseInt(System.getProperty("runs", "3"));
        ImportBenchmark bench =
                new ImportBenchmark(Paths.get(System.getProperty("work", "target/benchmark")), rows, runs);
        bench.run();
    }

    /** One measured thing: the median of its runs, after a warm-up. */
    private record Measure(String name, double seconds, String note) {
        double rowsPerSecond(int rows) {
            return rows / seconds;
        }
    }

    /** For a measure that times only part of its work. */
    private double lastSeconds = -1;

    private Measure measure(String name, Callable<String> work) throws Exception {
        System.out.printf("%s: warm-up", name);
        work.call();
        List<Double> times = new ArrayList<>();
        String note = "";
        for (int i = 0; i < runs; i++) {
            System.gc();
            long start = System.nanoTime();
            lastSeconds = -1;
            note = work.call();
            double seconds = lastSeconds >= 0 ? lastSeconds : (System.nanoTime() - start) / 1e9;
            times.add(seconds);
            System.out.printf(", %.2f s", seconds);
        }
        System.out.println();
        times.sort(null);
        return new Measure(name, times.get(times.size() / 2), note);
    }

    /**
     * The most heap the work keeps: while it runs, a full collection every 200 ms and the heap in use right after.
     * Not timed: the collections would slow the work down.
     */
    private static long liveHeap(Callable<String> work) throws Exception {
        java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                System.gc();
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        System.gc();
        sampler.start();
        try {
            work.call();
        } finally {
            running.set(false);
            sampler.join();
        }
        return peak.get();
    }

    private void run() throws Exception {
        long bytes = Files.size(export);
        System.out.printf(
                "%,d rows, %.0f MB, %d runs each (median), heap limit %d MB, %d cores%n",
                rows,
                bytes / 1e6,
                runs,
                Runtime.getRuntime().maxMemory() / 1024 / 1024,
                Runtime.getRuntime().availableProcessors());
        report.add(String.format(
                Locale.ROOT,
                "%,d rows (%.0f MB), medians of %d runs, -Xmx%dm, %d cores",
                rows,
                bytes / 1e6,
                runs,
                Runtime.getRuntime().maxMemory() / 1024 / 1024,
                Runtime.getRuntime().availableProcessors()));
        report.add("");
        report.add("| measure | ours | anchor | ratio | goal | |");
        report.add("|---|---|---|---|---|---|");
        String phases = System.getProperty("phases", "parse,postgresql,sqlite,memory");
        if (phases.contains("parse")) {
            Measure anchor = measure("FastCSV parse reading every field", this::everyField);
            Measure mapped = measure("parse + map + validate", this::parseMapValidate);
            pair("Parse + map + validate vs FastCSV reading every field", mapped, anchor, 1.0);
        }
        if (phases.contains("postgresql") || phases.contains("sqlite")) {
            writeMapped();
        }
        if (phases.contains("postgresql")) {
            Measure floor = measure("PostgreSQL floor: COPY of the mapped records", this::postgresFloor);
            Measure first = measure("import into PostgreSQL", () -> importInto("postgresql", false));
            pair("Import into PostgreSQL vs its floor", first, floor, 0.8);
            Measure again =
                    measure("re-import of the unchanged file into PostgreSQL", () -> importInto("postgresql", true));
            pair("Re-import of the unchanged file vs the first import (PostgreSQL)", again, first, 2.0);
            ogr2ogr(first);
        }
        if (phases.contains("sqlite")) {
            Measure floor = measure("SQLite floor: batch insert of the mapped records", this::sqliteFloor);
            Measure first = measure("import into SQLite", () -> importInto("sqlite", false));
            pair("Import into the embedded SQLite store vs its floor", first, floor, 0.5);
            Measure again = measure("re-import of the unchanged file into SQLite", () -> importInto("sqlite", true));
            pair("Re-import of the unchanged file vs the first import (SQLite)", again, first, 2.0);
        }
        if (phases.contains("memory")) {
            memory();
        }
        System.out.println();
        report.forEach(System.out::println);
        Files.write(work.resolve("results-" + rows + ".md"), report);
    }

    private void pair(String title, Measure ours, Measure anchor, double goal) {
        double ratio = anchor.seconds() / ours.seconds();
        report.add(String.format(
                Locale.ROOT,
                "| %s | %,.0f rows/s (%.2f s) | %s: %,.0f rows/s (%.2f s) | **%.2fx** | %.1fx | %s |",
                title,
                ours.rowsPerSecond(rows),
                ours.seconds(),
                anchor.name(),
                anchor.rowsPerSecond(rows),
                anchor.seconds(),
                ratio,
                goal,
                (ratio >= goal ? "met" : "not met") + (ours.note().isEmpty() ? "" : "; " + ours.note())));
    }

    /** The heap each of ours keeps, for a tenth of the rows and for all of them: it must not grow with the file. */
    private void memory() throws Exception {
        Path all = export;
        Path tenth = exportOf(rows / 10);
        report.add("");
        report.add(String.format(Locale.ROOT, "| heap kept (MB) | %,d rows | %,d rows |", rows / 10, rows));
        report.add("|---|---|---|");
        String[] names = {"parse + map + validate", "import into PostgreSQL", "import into SQLite"};
        long[][] kept = new long[3][2];
        Path[] files = {tenth, all};
        int fullRows = rows;
        for (int f = 0; f < 2; f++) {
            export = files[f];
            rows = f == 0 ? fullRows / 10 : fullRows;
            System.out.printf("heap kept with %,d rows ...%n", rows);
            kept[0][f] = liveHeap(this::parseMapValidate);
            kept[1][f] = liveHeap(() -> importInto("postgresql", false));
            kept[2][f] = liveHeap(() -> importInto("sqlite", false));
        }
        export = all;
        rows = fullRows;
        for (int i = 0; i < 3; i++) {
            report.add(String.format(
                    Locale.ROOT, "| %s | %d | %d |", names[i], kept[i][0] / 1024 / 1024, kept[i][1] / 1024 / 1024));
        }
    }

    // ---- the anchors ---------------------------------------------------------------------------------------

    /** FastCSV reading every character of every field: what any mapping must at least do. */
    private String everyField() throws IOException {
        long sum = 0;
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(export, StandardCharsets.UTF_8)) {
            for (CsvRecord record : csv) {
                for (int i = 0; i < record.getFieldCount(); i++) {
                    String field = record.getField(i);
                    for (int k = 0; k < field.length(); k++) {
                        sum += field.charAt(k);
                    }
                }
            }
        }
        return sum > 0 ? "" : "nothing read";
    }

    /** Maps the export once and writes the usable records in COPY's text format, times as SQLite keeps them. */
    private void writeMapped() throws IOException {
        mapped = work.resolve("mapped-" + rows + "-" + SEED + ".tsv");
        long[] n = new long[1];
        try (BufferedWriter out = Files.newBufferedWriter(mapped)) {
            Instant now = Instant.now();
            Optional<Site.Bounds> bounds = chicago().bounds();
            map(r -> {
                if (RecordChecks.check(r, now, bounds).isPresent()) {
                    return;
                }
                try {
                    out.write(line(r));
                    n[0]++;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        mappedRows = n[0];
        System.out.printf("%,d mapped records in %s%n", mappedRows, mapped);
    }

    private static String line(CrimeRecord r) {
        StringBuilder b = new StringBuilder(200).append("chicago\t");
        b.append(r.kind().name()).append('\t').append(r.sourceId()).append('\t');
        b.append(Dialect.text(r.occurredFrom())).append('\t');
        b.append(r.occurredTo().map(Dialect::text).orElse("\\N")).append('\t');
        b.append(r.reportedAt().map(Dialect::text).orElse("\\N")).append('\t');
        b.append(r.code())
                .append('\t')
                .append(r.codeText())
                .append('\t')
                .append(r.category().name())
                .append('\t');
        b.append(r.partOne() ? 't' : 'f').append('\t');
        b.append(r.nibrsCode().orElse("\\N"))
                .append('\t')
                .append(r.drugType().orElse("\\N"))
                .append('\t');
        if (r.location().isPresent()) {
            b.append(r.location().get().longitude())
                    .append('\t')
                    .append(r.location().get().latitude())
                    .append('\t');
        } else {
            b.append("\\N\t\\N\t");
        }
        b.append(r.address())
                .append('\t')
                .append(r.beat())
                .append('\t')
                .append(r.district())
                .append("\t1\n");
        return b.toString();
    }

    /** PostgreSQL's floor: a COPY of the mapped records into an empty table with the key and indexes of records. */
    private String postgresFloor() throws Exception {
        try (TestDatabases.Fresh db = TestDatabases.fresh("postgresql")) {
            Database.on(db.dataSource());
            try (Connection c = db.dataSource().getConnection();
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE records_floor (LIKE records INCLUDING ALL)");
                long start = System.nanoTime();
                long copied;
                try (InputStream in = Files.newInputStream(mapped)) {
                    copied = c.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyIn(
                                    "COPY records_floor (site_id, " + RecordRows.COLUMNS + ", import_id) FROM STDIN",
                                    in);
                }
                lastSeconds = (System.nanoTime() - start) / 1e9;
                if (copied != mappedRows) {
                    throw new IllegalStateException("COPY wrote " + copied + " rows");
                }
            }
            return "";
        }
    }

    /** SQLite's floor: a JDBC batch insert of the mapped records into a table with the key and indexes of records. */
    private String sqliteFloor() throws Exception {
        try (TestDatabases.Fresh db = TestDatabases.fresh("sqlite")) {
            Database database = Database.on(db.dataSource());
            try (Connection c = database.connection();
                    Statement st = c.createStatement()) {
                List<String> ddl = new ArrayList<>();
                try (ResultSet rs = st.executeQuery(
                        "SELECT sql FROM sqlite_master WHERE tbl_name = 'records' AND sql IS NOT NULL ORDER BY type DESC")) {
                    while (rs.next()) {
                        ddl.add(rs.getString(1).replace("records", "records_floor"));
                    }
                }
                for (String statement : ddl) {
                    st.execute(statement);
                }
                long start = System.nanoTime();
                long written = 0;
                st.execute("BEGIN IMMEDIATE");
                try (BufferedReader in = Files.newBufferedReader(mapped);
                        PreparedStatement ps =
                                c.prepareStatement("INSERT INTO records_floor (site_id, " + RecordRows.COLUMNS
                                        + ", import_id) VALUES (?, " + RecordRows.placeholders() + ", ?)")) {
                    String text;
                    while ((text = in.readLine()) != null) {
                        String[] f = text.split("\t", -1);
                        for (int i = 0; i < f.length; i++) {
                            String v = f[i].equals("\\N") ? null : f[i];
                            if (i == 9) {
                                ps.setBoolean(i + 1, "t".equals(v));
                            } else if ((i == 12 || i == 13) && v != null) {
                                ps.setDouble(i + 1, Double.parseDouble(v));
                            } else if ((i == 17 || i == RecordRows.COUNT + 1) && v != null) {
                                // the source line and the import
                                ps.setLong(i + 1, Long.parseLong(v));
                            } else {
                                ps.setString(i + 1, v);
                            }
                        }
                        ps.addBatch();
                        if (++written % 2000 == 0) {
                            ps.executeBatch();
                        }
                    }
                    ps.executeBatch();
                }
                st.execute("COMMIT");
                lastSeconds = (System.nanoTime() - start) / 1e9;
                if (written != mappedRows) {
                    throw new IllegalStateException("inserted " + written + " rows");
                }
            }
            return "";
        }
    }

    /** GDAL's ogr2ogr loading the raw file into PostgreSQL with COPY, if it is installed: it parses no dates. */
    private void ogr2ogr(Measure ours) throws Exception {
        if (!onPath("ogr2ogr")) {
            report.add(
                    "| Import into PostgreSQL vs ogr2ogr | | ogr2ogr not installed (Debian: gdal-bin) | | 1.0x | not measured |");
            return;
        }
        Measure ogr = measure("ogr2ogr into PostgreSQL (PG_USE_COPY)", () -> {
            try (TestDatabases.Fresh db = TestDatabases.fresh("postgresql");
                    Connection c = db.dataSource().getConnection()) {
                String schema = c.getSchema();
                Process p = new ProcessBuilder(
                                "ogr2ogr",
                                "-f",
                                "PostgreSQL",
                                "PG:host=127.0.0.1 port=5432 user=postgres dbname=test active_schema=" + schema,
                                export.toString(),
                                "-nln",
                                "raw_export",
                                "-lco",
                                "SCHEMA=" + schema,
                                "--config",
                                "PG_USE_COPY",
                                "YES")
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("ogr2ogr.log").toFile())
                        .start();
                long start = System.nanoTime();
                if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new IllegalStateException("ogr2ogr failed; see " + work.resolve("ogr2ogr.log"));
                }
                lastSeconds = (System.nanoTime() - start) / 1e9;
            }
            return "";
        });
        pair("First import into PostgreSQL vs ogr2ogr loading the raw file", ours, ogr, 1.0);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Paths.get(dir, command))) {
                return true;
            }
        }
        return false;
    }

    // ---- ours ----------------------------------------------------------------------------------------------

    private RecordsInput input() {
        return new RecordsInput() {
            @Override
            public String name() {
                return export.getFileName().toString();
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(export);
            }

            @Override
            public Optional<String> watermark() {
                return Optional.empty();
            }
        };
    }

    /** Maps the export with the Chicago preset, handing every record to {@code each}. */
    private long[] map(java.util.function.Consumer<CrimeRecord> each) throws IOException {
        RecordsProfile profile = RecordsProfilesImpl.in(sites).profile("chicago", "chicago-clear.json");
        long[] counts = new long[3];
        RecordSink sink = new RecordSink() {
            @Override
            public ZoneId zone() {
                return CHICAGO;
            }

            @Override
            public void accept(CrimeRecord record) {
                counts[0]++;
                each.accept(record);
            }

            @Override
            public void reject(long line, String field, String reason, String raw) {
                counts[1]++;
            }

            @Override
            public void delete(long line, RecordKind kind, String sourceId) {}

            @Override
            public void skipped(long line, String why) {
                counts[2]++;
            }

            @Override
            public void watermark(String value) {}

            @Override
            public boolean cancelled() {
                return false;
            }
        };
        CsvAdapter.read(profile, input(), sink);
        if (counts[0] + counts[1] + counts[2] != rows) {
            throw new IllegalStateException("mapped " + counts[0] + " + " + counts[1] + " + " + counts[2]);
        }
        return counts;
    }

    private String parseMapValidate() throws IOException {
        Optional<Site.Bounds> bounds = chicago().bounds();
        Instant now = Instant.now();
        long[] problems = new long[1];
        map(record -> {
            if (RecordChecks.check(record, now, bounds).isPresent()) {
                problems[0]++;
            }
        });
        return "";
    }

    private Site chicago() {
        return new Site(
                "chicago",
                "Chicago",
                "",
                CHICAGO,
                List.of(),
                "",
                List.of(),
                Optional.of(new Site.Bounds(-87.95, 41.64, -87.52, 42.03)));
    }

    /**
     * A whole import through the CSV adapter into a new store, timed from its start to its end (not the creation of
     * the store); with {@code again}, the file is imported once first and the second, unchanged import is timed.
     */
    private String importInto(String store, boolean again) throws Exception {
        try (TestDatabases.Fresh db = TestDatabases.fresh(store)) {
            Database database = Database.on(db.dataSource());
            FakeSites fakeSites = new FakeSites();
            fakeSites.add(chicago());
            CsvAdapter adapter = new CsvAdapter(config(), RecordsProfilesImpl.in(sites));
            Plugins plugins = new Plugins();
            plugins.add(
                    new Plugins.Plugin("chicago", PluginKind.RECORDS_ADAPTER, "csv", 0, 1, "bench", adapter, Map.of()));
            Clock clock = Clock.systemUTC();
            Path kept = Files.createTempDirectory(work, "imports");
            ImportsImpl imports =
                    ImportsImpl.onOneNode(database, fakeSites, new AuditLogImpl(database, clock), plugins, clock, kept);
            try {
                if (again) {
                    once(imports, false);
                }
                return once(imports, again);
            } finally {
                imports.deactivate();
                try (var files = Files.walk(kept)) {
                    files.sorted(java.util.Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private String once(ImportsImpl imports, boolean unchanged) throws Exception {
        long start = System.nanoTime();
        Imports.Import started = imports.start("chicago", Optional.empty(), export, "bench.csv", false, POLICE);
        Imports.Import done = started;
        while (done.status() == Imports.Status.QUEUED || done.status() == Imports.Status.RUNNING) {
            Thread.sleep(2);
            done = imports.find("chicago", started.id(), POLICE);
        }
        lastSeconds = (System.nanoTime() - start) / 1e9;
        long expected = unchanged ? done.unchanged() : done.inserted();
        if (done.status() != Imports.Status.PUBLISHED || expected + done.quarantined() + done.skipped() != rows) {
            throw new IllegalStateException("import ended " + done);
        }
        return done.quarantined() + " rows quarantined";
    }

    private static CsvAdapter.Config config() {
        return new CsvAdapter.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return CsvAdapter.Config.class;
            }

            @Override
            public String dmi_site() {
                return "chicago";
            }

            @Override
            public String profile() {
                return "chicago-clear.json";
            }
        };
    }
}
