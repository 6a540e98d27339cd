package org.dmiplatform.core.internal.imports;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.store.Imports;
import org.dmiplatform.api.store.Imports.Status;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.dmiplatform.core.internal.schedule.ScheduledPulls;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.store.RecordsStoreImpl;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/** The import pipeline on real storage, the same tests on SQLite and PostgreSQL, with a small line-based adapter. */
@RunWith(Parameterized.class)
public class ImportsStorageTest {
    private static final Caller POLICE = caller(Role.POLICE);

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final String kind;
    private TestDatabases.Fresh fresh;
    private ImportsImpl imports;
    private Database database;
    private FakeSites sites;
    private Plugins plugins;
    private Path files;
    private RecordsStoreImpl store;
    private ScheduledPulls pulls;
    private final LineAdapter adapter = new LineAdapter();
    private MutableClock clock;

    /** A records database: each pull gives one record more than the last and reports how far it got. */
    private final RecordsAdapter pulling = new RecordsAdapter() {
        @Override
        public String describe() {
            return "rms";
        }

        @Override
        public boolean pulls() {
            return true;
        }

        @Override
        public void read(RecordsInput input, RecordSink sink) {
            int from = input.watermark().map(Integer::parseInt).orElse(0);
            sink.accept(new CrimeRecord(
                    RecordKind.INCIDENT,
                    "P" + (from + 1),
                    Instant.parse("2016-01-03T10:00:00Z"),
                    Optional.empty(),
                    Optional.empty(),
                    "",
                    "",
                    Category.OTHER,
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    "",
                    "",
                    "",
                    1));
            sink.watermark(String.valueOf(from + 1));
        }
    };

    public ImportsStorageTest(String kind) {
        this.kind = kind;
    }

    private static Caller caller(Role role) {
        return new Caller(
                new User(
                        7,
                        "chi-" + role.id(),
                        role.id(),
                        List.of(Grant.at("chicago", role)),
                        true,
                        false,
                        Instant.EPOCH),
                "192.0.2.7");
    }

    /**
     * {@code id,local time,lon,lat[,category[,partOne[,code[,warning]]]]}; "BAD" in a field rejects the row; "FAIL" stops reading with an error;
     * "SKIP" skips it; {@code DEL,id} deletes a record.
     */
    static final class LineAdapter implements RecordsAdapter {
        volatile long pauseMillis;
        volatile boolean merges;

        @Override
        public boolean mergesRepeats() {
            return merges;
        }

        @Override
        public String describe() {
            return "lines";
        }

        @Override
        public void read(RecordsInput input, RecordSink sink) throws IOException {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(input.open(), StandardCharsets.UTF_8))) {
                long line = 0;
                for (String text; (text = in.readLine()) != null && !sink.cancelled(); ) {
                    line++;
                    if (line == 1 && text.isBlank()) {
                        throw new InvalidInputException(new InputError(input.name(), 1, "", "is empty"));
                    }
                    String[] f = text.split(",", -1);
                    if (f[0].equals("FAIL")) {
                        throw new IllegalStateException("the records system went away at line " + line);
                    }
                    if (f[0].equals("SKIP")) {
                        sink.skipped(line, "traffic");
                        continue;
                    }
                    if (f[0].equals("DEL")) {
                        sink.delete(line, RecordKind.INCIDENT, f[1]);
                        continue;
                    }
                    if (f.length < 4 || f[1].equals("BAD")) {
                        sink.reject(line, "date", "'" + (f.length > 1 ? f[1] : "") + "' is not a date", text);
                        continue;
                    }
                    Instant at = LocalDateTime.parse(f[1]).atZone(sink.zone()).toInstant();
                    Optional<CrimeRecord.Location> location = f[2].isEmpty()
                            ? Optional.empty()
                            : Optional.of(new CrimeRecord.Location(Double.parseDouble(f[2]), Double.parseDouble(f[3])));
                    sink.accept(new CrimeRecord(
                            RecordKind.INCIDENT,
                            f[0],
                            at,
                            Optional.empty(),
                            Optional.empty(),
                            f.length > 6 ? f[6] : "0486",
                            "DOMESTIC BATTERY SIMPLE",
                            f.length > 4 ? Category.valueOf(f[4]) : Category.VIOLENT_PART_I,
                            f.length <= 5 || Boolean.parseBoolean(f[5]),
                            Optional.empty(),
                            Optional.empty(),
                            location,
                            "016XX W 77TH ST",
                            "0611",
                            "006",
                            line,
                            f.length > 7 ? List.of(f[7]) : List.of()));
                    if (pauseMillis > 0) {
                        try {
                            Thread.sleep(pauseMillis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }
        }
    }

    /** Chicago, in its time zone and bounds. */
    static Site chicago() {
        return new Site(
                "chicago",
                "Chicago",
                "",
                ZoneId.of("America/Chicago"),
                List.of(),
                "",
                List.of(),
                Optional.of(new Site.Bounds(-87.95, 41.64, -87.52, 42.03)));
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        database = Database.on(fresh.dataSource());
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
        sites = new FakeSites("denver");
        sites.add(chicago());
        plugins = new Plugins();
        plugins.add(new Plugins.Plugin(
                "chicago", PluginKind.RECORDS_ADAPTER, "lines", 0, 1, "test", adapter, java.util.Map.of()));
        plugins.add(new Plugins.Plugin(
                "chicago",
                PluginKind.RECORDS_ADAPTER,
                "rms",
                0,
                2,
                "test",
                pulling,
                java.util.Map.of(RecordsAdapter.PULL_MINUTES, "15")));
        this.clock = clock;
        AuditLogImpl audit = new AuditLogImpl(database, clock);
        try {
            files = temp.newFolder("imports").toPath();
            imports = ImportsImpl.onOneNode(database, sites, audit, plugins, clock, files);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        store = new RecordsStoreImpl(database, sites, audit);
        pulls = ScheduledPulls.byHand(sites, plugins, imports, clock);
    }

    @After
    public void tearDown() {
        imports.deactivate();
        fresh.close();
    }

    /** The site's incidents, newest first, as the records store reads them. */
    private List<CrimeRecord> records() {
        return store.page(
                        "chicago",
                        RecordQuery.ALL.kinds(java.util.Set.of(RecordKind.INCIDENT)),
                        Optional.empty(),
                        100,
                        POLICE)
                .records();
    }

    private long count() {
        return store.count("chicago", RecordQuery.ALL.kinds(java.util.Set.of(RecordKind.INCIDENT)), POLICE);
    }

    private Path file(String... lines) throws IOException {
        Path file = temp.newFile().toPath();
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private Imports.Import run(Path file) {
        Imports.Import started = imports.start(
                "chicago", Optional.empty(), file, file.getFileName().toString(), false, POLICE);
        return await(started.id());
    }

    private Imports.Import await(long id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Imports.Import now = imports.find("chicago", id, POLICE);
            if (now.status() != Status.QUEUED && now.status() != Status.RUNNING) {
                return now;
            }
            sleep(20);
        }
        throw new AssertionError("import " + id + " did not finish");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final String[] GOOD = {
        "HZ1,2016-01-03T23:57:00,-87.664263469,41.753985135",
        "HZ2,2016-01-03T23:45:00,-87.634305993,41.818179533",
        "HZ3,2016-01-03T22:00:00,,",
    };

    @Test
    public void everyRowIsPublishedOrQuarantinedWithItsReason() throws IOException {
        Imports.Import done = run(file(
                GOOD[0],
                GOOD[1],
                GOOD[2],
                "HZ4,BAD,,",
                "HZ5,2027-01-01T00:00:00,,",
                "HZ6,2016-01-03T21:00:00,0,0",
                "HZ7,2016-01-03T21:00:00,-104.9,39.7",
                GOOD[0],
                "SKIP,,,"));
        assertEquals(done.errors().toString(), Status.PUBLISHED, done.status());
        assertEquals(9, done.read());
        assertEquals(3, done.inserted());
        assertEquals(5, done.quarantined());
        assertEquals(1, done.skipped());
        assertEquals(List.of(new Imports.Skipped("traffic", 1, 9)), done.skips());
        assertEquals(done.skips(), imports.find("chicago", done.id(), POLICE).skips());
        // every row read is accounted for once
        assertEquals(done.read(), done.accounted());
        List<Imports.Quarantined> q = imports.quarantine("chicago", done.id(), 100, POLICE);
        assertEquals(
                List.of(4L, 5L, 6L, 7L, 8L),
                q.stream().map(Imports.Quarantined::line).toList());
        assertEquals("'BAD' is not a date", q.get(0).reason());
        assertTrue(q.get(1).reason(), q.get(1).reason().startsWith("is in the future"));
        assertTrue(q.get(2).reason().startsWith("is 0,0"));
        assertTrue(q.get(3).reason(), q.get(3).reason().contains("is outside the site"));
        assertEquals(
                "the id HZ1 was already read on line 1; the first row counts",
                q.get(4).reason());
        assertEquals(3, count());
        CrimeRecord first = records().get(0);
        assertEquals("HZ1", first.sourceId());
        assertEquals("read in the site's time zone", Instant.parse("2016-01-04T05:57:00Z"), first.occurredFrom());
        assertEquals(Optional.empty(), records().get(2).location());
        // every record keeps the line it was read from
        assertEquals(
                List.of(1L, 2L, 3L), records().stream().map(CrimeRecord::line).toList());
    }

    @Test
    public void aRecordKeepsTheWarningsOfWhatItsProfileLeftOut() throws IOException {
        run(file("W1,2016-01-03T10:00:00,,,OTHER,false,0486,occurredTo: '24:61' is not a time; left out"));
        CrimeRecord w1 = records().get(0);
        assertEquals(List.of("occurredTo: '24:61' is not a time; left out"), w1.warnings());
        assertEquals(1, w1.line());
    }

    @Test
    public void importingTheSameFileAgainChangesNothingAndAChangedRowIsUpdated() throws IOException {
        run(file(GOOD));
        Imports.Import again = run(file(GOOD));
        assertEquals(0, again.inserted());
        assertEquals(0, again.updated());
        assertEquals(3, again.unchanged());
        Imports.Import overlapping = run(file(GOOD[1], "HZ3,2016-01-03T22:05:00,,", "HZ8,2016-01-02T10:00:00,,"));
        assertEquals(1, overlapping.inserted());
        assertEquals(1, overlapping.updated());
        assertEquals(1, overlapping.unchanged());
        assertEquals(4, count());
    }

    @Test
    public void aFailureHalfWayLeavesTheRecordsAsTheyWere() throws IOException {
        run(file(GOOD));
        Imports.Import failed = run(file("HZ1,2010-01-01T00:00:00,,", "HZ9,2016-01-05T00:00:00,,", "FAIL,,,"));
        assertEquals(Status.FAILED, failed.status());
        assertTrue(
                failed.errors().toString(), failed.errors().get(0).contains("the records system went away at line 3"));
        assertEquals(3, count());
        assertEquals(
                "HZ1 unchanged",
                Instant.parse("2016-01-04T05:57:00Z"),
                records().get(0).occurredFrom());
        assertTrue(
                "nothing quarantined by a failed import",
                imports.quarantine("chicago", failed.id(), 10, POLICE).isEmpty());
        Imports.Import next = run(file(GOOD[0], "HZ9,2016-01-05T00:00:00,,"));
        assertEquals("the next import is not hindered by the failed one's staging", Status.PUBLISHED, next.status());
        assertEquals(1, next.inserted());
    }

    @Test
    public void anUnreadableFileFailsWithTheAdaptersErrors() throws IOException {
        Imports.Import failed = run(file(""));
        assertEquals(Status.FAILED, failed.status());
        assertTrue(failed.errors().get(0), failed.errors().get(0).endsWith("line 1: is empty"));
    }

    @Test
    public void aCancelledImportPublishesNothing() throws IOException {
        adapter.pauseMillis = 50;
        String[] many = new String[200];
        for (int i = 0; i < many.length; i++) {
            many[i] = "C" + i + ",2016-01-03T10:00:00,,";
        }
        Imports.Import started = imports.start("chicago", Optional.empty(), file(many), "many.txt", false, POLICE);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (imports.find("chicago", started.id(), POLICE).read() < 5 && System.nanoTime() < deadline) {
            sleep(10);
        }
        Imports.Import progress = imports.find("chicago", started.id(), POLICE);
        assertEquals(Status.RUNNING, progress.status());
        assertTrue(progress.fraction().orElseThrow() > 0);
        imports.cancel("chicago", started.id(), POLICE);
        Imports.Import cancelled = await(started.id());
        assertEquals(Status.CANCELLED, cancelled.status());
        assertEquals(0, count());
    }

    @Test
    public void onlyPoliceAndTheSiteAdministratorImportAndASiteWithoutAdapterSaysSo() throws IOException {
        try {
            imports.start("chicago", Optional.empty(), file(GOOD), "x", false, caller(Role.COMMUNITY));
            fail();
        } catch (AccessDeniedException expected) {
            // refused
        }
        Caller denver = new Caller(
                new User(8, "den-police", "p", List.of(Grant.at("denver", Role.POLICE)), true, false, Instant.EPOCH),
                "");
        try {
            imports.start("denver", Optional.empty(), file(GOOD), "x", false, denver);
            fail();
        } catch (InvalidInputException e) {
            assertTrue(
                    e.getMessage(),
                    e.getMessage().contains("no records adapter that reads files is bound to site denver"));
        }
        assertTrue(imports.history("denver", 10, denver).isEmpty());
    }

    @Test
    public void aDeleteRemovesThePublishedRecordUnlessALaterRowOfTheImportBringsItBack() throws IOException {
        run(file(GOOD));
        Imports.Import done = run(file("DEL,HZ1", "DEL,HZ2", "HZ2,2016-01-03T23:40:00,,", "DEL,HZ404"));
        assertEquals(done.errors().toString(), Status.PUBLISHED, done.status());
        assertEquals(4, done.read());
        assertEquals(1, done.deleted());
        assertEquals(1, done.updated());
        // three delete instructions read, whatever each removed: the counts add up
        assertEquals(3, done.deletes());
        assertEquals(done.read(), done.accounted());
        // a row this import read and a later instruction of it withdrew is counted as withdrawn
        Imports.Import withdrawn = run(file("HZ5,2016-01-03T20:00:00,,", "DEL,HZ5"));
        assertEquals(1, withdrawn.withdrawn());
        assertEquals(1, withdrawn.deletes());
        assertEquals(0, withdrawn.inserted());
        assertEquals(withdrawn.read(), withdrawn.accounted());
        assertEquals(
                List.of("HZ2", "HZ3"),
                records().stream().map(CrimeRecord::sourceId).sorted().toList());
    }

    @Test
    public void rowsRepeatingOneRecordAreMergedUnderItsMostSeriousCategory() throws IOException {
        adapter.merges = true;
        Imports.Import done = run(file(
                "M1,2016-01-03T10:00:00,,,OTHER",
                "M2,2016-01-03T11:00:00,,,PROPERTY_PART_I",
                "M1,2016-01-03T10:00:00,,,DRUG",
                "M1,2016-01-03T10:00:00,,,WEAPONS"));
        assertEquals(done.errors().toString(), Status.PUBLISHED, done.status());
        assertEquals(2, done.inserted());
        assertEquals(2, done.merged());
        assertEquals(0, done.quarantined());
        assertEquals(done.read(), done.accounted());
        CrimeRecord m1 = records().stream()
                .filter(r -> r.sourceId().equals("M1"))
                .findFirst()
                .orElseThrow();
        assertEquals(Category.DRUG, m1.category());
        Imports.Import again = run(file("M1,2016-01-03T10:00:00,,,DRUG", "M1,2016-01-03T10:00:00,,,OTHER"));
        assertEquals(1, again.unchanged());
        assertEquals(1, again.merged());
        // a drug charge and a robbery charge of one case: counted as drug (the programme's precedence), and Part I
        // because one of its offences is, as the NIBRS adapter has it
        run(file(
                "M3,2016-01-03T12:00:00,,,OTHER,false,1811",
                "M3,2016-01-03T12:00:00,,,VIOLENT_PART_I,true,031A",
                "M3,2016-01-03T12:00:00,,,DRUG,false,2024",
                "M3,2016-01-03T12:00:00,,,OTHER,false,031A"));
        CrimeRecord m3 = records().stream()
                .filter(r -> r.sourceId().equals("M3"))
                .findFirst()
                .orElseThrow();
        assertEquals(Category.DRUG, m3.category());
        assertTrue(m3.partOne());
        // the other charges' codes are kept with it, once each, and its line is the drug row's
        assertEquals("2024", m3.code());
        assertEquals(List.of("031A", "1811"), m3.otherCodes());
        assertEquals(3, m3.line());
    }

    @Test
    public void anAdapterWithAPullIntervalIsPulledWhenDueFromItsLastWatermark() {
        pulls.pullWhenDue();
        Imports.Import first =
                await(imports.history("chicago", 1, POLICE).get(0).id());
        assertEquals("rms", first.adapter());
        assertEquals(Status.PUBLISHED, first.status());
        assertEquals("system", first.startedBy());
        pulls.pullWhenDue();
        assertEquals("not due yet", 1, imports.history("chicago", 10, POLICE).size());
        clock.advance(Duration.ofMinutes(15));
        pulls.pullWhenDue();
        await(imports.history("chicago", 1, POLICE).get(0).id());
        assertEquals(2, imports.history("chicago", 10, POLICE).size());
        assertEquals(
                "the second pull went on from the first's watermark",
                List.of("P1", "P2"),
                records().stream().map(CrimeRecord::sourceId).sorted().toList());
    }

    @Test
    public void anImportAStopInterruptedIsShownInterruptedAndRunsAgainFromItsKeptFile() throws IOException {
        Path upload = file(GOOD);
        // as the platform leaves it when it is killed during an import: queued, its upload kept, nothing published
        long id = database.transaction(c -> org.dmiplatform.core.internal.storage.Sql.insert(
                c,
                "INSERT INTO imports (site_id, adapter, name, status, started_by, started_at, rows_read, inserted, updated,"
                        + " unchanged, quarantined, skipped, errors, file, file_owned)"
                        + " VALUES ('chicago', 'lines', 'export.txt', 'RUNNING', 'chi-police', ?, 2, 0, 0, 0, 0, 0, '', ?, TRUE)",
                clock.instant(),
                upload.toString()));
        imports.deactivate();
        imports = ImportsImpl.onOneNode(database, sites, new AuditLogImpl(database, clock), plugins, clock, files);
        Imports.Import interrupted = imports.find("chicago", id, POLICE);
        assertEquals(Status.INTERRUPTED, interrupted.status());
        assertTrue(interrupted.errors().get(0), interrupted.errors().get(0).contains("nothing of it was published"));
        assertEquals(0, count());

        Imports.Import again = await(imports.rerun("chicago", id, POLICE).id());
        assertEquals(Status.PUBLISHED, again.status());
        assertEquals(3, again.inserted());
        assertEquals("export.txt", again.name());
        assertFalse("the kept file is gone once its import published", Files.exists(upload));
        try {
            imports.rerun("chicago", again.id(), POLICE);
            fail("a published import does not run again");
        } catch (InvalidInputException expected) {
            assertEquals("status", expected.errors().get(0).field());
        }
    }

    @Test
    public void whileAnImportReadsItsFileOtherWritersGoOn() throws Exception {
        adapter.pauseMillis = 20;
        String[] many = new String[100];
        for (int i = 0; i < many.length; i++) {
            many[i] = "W" + i + ",2016-01-03T10:00:00,,";
        }
        Imports.Import started = imports.start("chicago", Optional.empty(), file(many), "many.txt", false, POLICE);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (imports.find("chicago", started.id(), POLICE).read() < 10 && System.nanoTime() < deadline) {
            sleep(10);
        }
        assertEquals(
                Status.RUNNING, imports.find("chicago", started.id(), POLICE).status());
        long before = System.nanoTime();
        database.transaction(c -> org.dmiplatform.core.internal.storage.Sql.update(
                c, "UPDATE audit_head SET last_hash = last_hash WHERE singleton = 1"));
        long waited = (System.nanoTime() - before) / 1_000_000;
        assertTrue("a write waited " + waited + " ms for the import", waited < 1000);
        assertEquals(
                Status.RUNNING, imports.find("chicago", started.id(), POLICE).status());
        assertEquals(Status.PUBLISHED, await(started.id()).status());
        assertEquals(100, count());
    }
}
