package org.dmiplatform.adapter.csv.bench;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
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
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.dmiplatform.adapter.csv.internal.CsvAdapter;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.Imports;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.records.RecordsProfile;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.profile.RecordsProfilesImpl;
import org.dmiplatform.core.internal.records.ImportsImpl;
import org.dmiplatform.core.internal.records.RecordChecks;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.TestDatabases;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.PGConnection;

/**
 * The import pipeline against its anchors, each pair measured in the same process on the same generated file:
 *
 * <ul>
 *   <li>parse + map + validate (the CSV adapter with the Chicago preset and the platform's checks) against a bare
 *       FastCSV parse;
 *   <li>a whole import into PostgreSQL against PostgreSQL's own {@code COPY} of the raw file;
 *   <li>a whole import into embedded H2 against a plain JDBC batch insert of the parsed rows into H2.
 * </ul>
 *
 * Run by {@code ./dmi bench} (rows and runs: {@code DMI_BENCH_ROWS}, {@code DMI_BENCH_RUNS}).
 */
public final class ImportBenchmark {
    private static final long SEED = 20261121L;
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    private final Path work;
    private Path export;
    private final Path sites;
    private int rows;
    private final int runs;
    private final List<String> report = new ArrayList<>();

    private ImportBenchmark(Path work, int rows, int runs) throws IOException {
        this.work = work;
        this.rows = rows;
        this.runs = runs;
        Files.createDirectories(work);
        this.export = work.resolve("chicago-shaped-" + rows + "-" + SEED + ".csv");
        if (!Files.exists(export)) {
            System.out.printf("Writing %,d rows to %s ...%n", rows, export);
            ChicagoShapedExport.write(export, rows, SEED);
        }
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

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(System.getProperty("rows", "1000000"));
        int runs = Integer.parseInt(System.getProperty("runs", "3"));
        ImportBenchmark bench =
                new ImportBenchmark(Paths.get(System.getProperty("work", "target/benchmark")), rows, runs);
        bench.run();
    }

    /** One measured thing: the median of its runs, after a warm-up, and the peak heap it used. */
    private record Measure(String name, double seconds, String note) {
        double rowsPerSecond(int rows) {
            return rows / seconds;
        }
    }

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

        String phases = System.getProperty("phases", "parse,postgresql,h2,memory");
        if (phases.contains("parse")) {
            Measure fastcsv = measure("bare FastCSV parse", this::bareParse);
            Measure mapped = measure("parse + map + validate", this::parseMapValidate);
            pair("Parse + map + validate vs bare FastCSV parse", mapped, fastcsv, 0.5);
        }
        if (phases.contains("postgresql")) {
            Measure copy = measure("PostgreSQL COPY of the raw file", this::postgresCopy);
            Measure pgImport = measure("import into PostgreSQL", () -> importInto(TestDatabases.fresh("postgresql")));
            pair("Import into PostgreSQL vs PostgreSQL COPY of the raw file", pgImport, copy, 0.7);
            Measure floor = measure("records write alone", this::postgresRecordsWrite);
            pair(
                    "(the floor) Writing the mapped records into the indexed records table, nothing else, vs the same COPY",
                    floor,
                    copy,
                    0.7);
        }
        if (phases.contains("h2")) {
            Measure batch = measure("plain H2 batch insert", this::h2BatchInsert);
            Measure h2Import = measure("import into H2", () -> importInto(freshH2()));
            pair("Import into H2 vs a plain H2 batch insert", h2Import, batch, 0.8);
        }

        if (phases.contains("memory")) {
            memory();
        }
        System.out.println();
        report.forEach(System.out::println);
        Files.write(work.resolve("results.md"), report);
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
        Path tenth = work.resolve("chicago-shaped-" + rows / 10 + "-" + SEED + ".csv");
        if (!Files.exists(tenth)) {
            ChicagoShapedExport.write(tenth, rows / 10, SEED);
        }
        report.add("");
        report.add(String.format(Locale.ROOT, "| heap kept (MB) | %,d rows | %,d rows |", rows / 10, rows));
        report.add("|---|---|---|");
        String[] names = {"parse + map + validate", "import into PostgreSQL", "import into H2"};
        long[][] kept = new long[3][2];
        Path[] files = {tenth, all};
        int fullRows = rows;
        for (int f = 0; f < 2; f++) {
            export = files[f];
            rows = f == 0 ? fullRows / 10 : fullRows;
            System.out.printf("heap kept with %,d rows ...%n", rows);
            kept[0][f] = liveHeap(this::parseMapValidate);
            kept[1][f] = liveHeap(() -> importInto(TestDatabases.fresh("postgresql")));
            kept[2][f] = liveHeap(() -> importInto(freshH2()));
        }
        export = all;
        rows = fullRows;
        for (int i = 0; i < 3; i++) {
            report.add(String.format(
                    Locale.ROOT, "| %s | %d | %d |", names[i], kept[i][0] / 1024 / 1024, kept[i][1] / 1024 / 1024));
        }
    }

    // ---- the anchors ---------------------------------------------------------------------------------------

    private String bareParse() throws IOException {
        long fields = 0;
        long chars = 0;
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(export, StandardCharsets.UTF_8)) {
            for (CsvRecord record : csv) {
                for (int i = 0; i < record.getFieldCount(); i++) {
                    chars += record.getField(i).length();
                }
                fields += record.getFieldCount();
            }
        }
        return fields + chars > 0 ? "" : "nothing read";
    }

    private String postgresCopy() throws Exception {
        try (TestDatabases.Fresh db = TestDatabases.fresh("postgresql");
                Connection c = db.dataSource().getConnection()) {
            StringBuilder columns = new StringBuilder();
            for (String column : ChicagoShapedExport.HEADER.split(",")) {
                columns.append(columns.length() == 0 ? "" : ", ")
                        .append('"')
                        .append(column)
                        .append("\" TEXT");
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE raw_export (" + columns + ")");
            }
            long copied;
            long start = System.nanoTime();
            try (InputStream in = Files.newInputStream(export)) {
                copied = c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("COPY raw_export FROM STDIN (FORMAT csv, HEADER true)", in);
            }
            lastSeconds = (System.nanoTime() - start) / 1e9;
            if (copied != rows) {
                throw new IllegalStateException("COPY read " + copied + " rows");
            }
            return "";
        }
    }

    /**
     * What every import must at least do in PostgreSQL: write its mapped records into the records table with its
     * primary key and time index. Measured as an INSERT of the records a previous import published into an empty
     * table of the same definition.
     */
    private String postgresRecordsWrite() throws Exception {
        TestDatabases.Fresh db = TestDatabases.fresh("postgresql");
        importInto(new TestDatabases.Fresh(db.dataSource(), () -> {}));
        try (db;
                Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE records_again (LIKE records INCLUDING ALL)");
            st.execute("ANALYZE records");
            long start = System.nanoTime();
            st.execute("INSERT INTO records_again SELECT * FROM records");
            double seconds = (System.nanoTime() - start) / 1e9;
            lastSeconds = seconds;
            return "";
        }
    }

    /** For a measure that times only part of its work. */
    private double lastSeconds = -1;

    private String h2BatchInsert() throws Exception {
        Path folder = Files.createTempDirectory(work, "h2-batch");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + folder.resolve("db").toAbsolutePath());
        try (Connection c = h2.getConnection()) {
            String[] header = ChicagoShapedExport.HEADER.split(",");
            StringBuilder columns = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (String column : header) {
                columns.append(columns.length() == 0 ? "" : ", ")
                        .append('"')
                        .append(column)
                        .append("\" VARCHAR(300)");
                marks.append(marks.length() == 0 ? "?" : ", ?");
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE raw_export (" + columns + ")");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO raw_export VALUES (" + marks + ")");
                    CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(export, StandardCharsets.UTF_8)) {
                int pending = 0;
                boolean first = true;
                for (CsvRecord record : csv) {
                    if (first) {
                        first = false;
                        continue;
                    }
                    for (int i = 0; i < header.length; i++) {
                        insert.setString(i + 1, i < record.getFieldCount() ? record.getField(i) : null);
                    }
                    insert.addBatch();
                    if (++pending == 1000) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
                insert.executeBatch();
            }
            c.commit();
            lastSeconds = (System.nanoTime() - start) / 1e9;
            try (Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
        } finally {
            deleteTree(folder);
        }
        return "";
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

    private String parseMapValidate() throws IOException {
        RecordsProfile profile = new RecordsProfilesImpl(sites).profile("chicago", "chicago-clear.json");
        Optional<Site.Bounds> bounds = Optional.of(new Site.Bounds(-87.95, 41.64, -87.52, 42.03));
        Instant now = Instant.now();
        long[] counts = new long[3];
        RecordSink sink = new RecordSink() {
            @Override
            public ZoneId zone() {
                return CHICAGO;
            }

            @Override
            public void accept(CrimeRecord record) {
                counts[RecordChecks.check(record, now, bounds).isPresent() ? 1 : 0]++;
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

    private String importInto(TestDatabases.Fresh db) throws Exception {
        try (db) {
            Database database = Database.on(db.dataSource());
            FakeSites fakeSites = new FakeSites();
            fakeSites.add(chicago());
            RecordsProfilesImpl profiles = new RecordsProfilesImpl(sites);
            CsvAdapter adapter = new CsvAdapter(config(), profiles);
            ImportsImpl imports = new ImportsImpl(
                    database,
                    fakeSites,
                    new AuditLogImpl(database, java.time.Clock.systemUTC()),
                    site -> List.of(new ImportsImpl.AdapterDirectory.Bound("csv", adapter, () -> {})),
                    java.time.Clock.systemUTC());
            try {
                Caller police = new Caller(
                        new User(
                                1,
                                "bench",
                                "bench",
                                List.of(Grant.at("chicago", Role.POLICE)),
                                true,
                                false,
                                Instant.EPOCH),
                        "bench");
                long start = System.nanoTime();
                Imports.Import started = imports.start("chicago", Optional.empty(), export, "bench.csv", false, police);
                Imports.Import done = started;
                while (done.status() == Imports.Status.QUEUED || done.status() == Imports.Status.RUNNING) {
                    Thread.sleep(2);
                    done = imports.find("chicago", started.id());
                }
                // the import alone, as for the anchors: not the creation of the database
                lastSeconds = (System.nanoTime() - start) / 1e9;
                if (done.status() != Imports.Status.PUBLISHED || done.inserted() + done.quarantined() != rows) {
                    throw new IllegalStateException("import ended " + done);
                }
                return done.quarantined() + " rows quarantined";
            } finally {
                imports.deactivate();
            }
        }
    }

    private TestDatabases.Fresh freshH2() throws IOException {
        Path folder = Files.createTempDirectory(work, "h2-import");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + folder.resolve("db").toAbsolutePath());
        return new TestDatabases.Fresh(h2, () -> {
            try (Connection c = h2.getConnection();
                    Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
                deleteTree(folder);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
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

    private static void deleteTree(Path folder) throws IOException {
        try (var walk = Files.walk(folder)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
