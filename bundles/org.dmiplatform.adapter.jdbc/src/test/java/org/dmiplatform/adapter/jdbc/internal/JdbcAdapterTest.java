package org.dmiplatform.adapter.jdbc.internal;

import static org.dmiplatform.adapter.jdbc.internal.SyntheticRms.BAD_TIME;
import static org.dmiplatform.adapter.jdbc.internal.SyntheticRms.FIRST_UPDATE;
import static org.dmiplatform.adapter.jdbc.internal.SyntheticRms.NO_LOCATION;
import static org.dmiplatform.adapter.jdbc.internal.SyntheticRms.NO_TIME;
import static org.dmiplatform.adapter.jdbc.internal.SyntheticRms.ROWS;
import static org.dmiplatform.adapter.jdbc.internal.SyntheticRms.SITE_ZONE;
import static org.dmiplatform.adapter.jdbc.internal.SyntheticRms.ZERO_ZERO;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.dmiplatform.adapter.jdbc.internal.RmsDatabase.Kind;
import org.dmiplatform.adapter.jdbc.internal.SyntheticRms.Incident;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.core.internal.profile.RecordsProfilesImpl;
import org.dmiplatform.testing.CollectingSink;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.ops4j.pax.jdbc.mariadb.impl.MariaDbDataSourceFactory;
import org.osgi.service.jdbc.DataSourceFactory;
import org.postgresql.osgi.PGDataSourceFactory;

/** The JDBC adapter against a synthetic records-management database on PostgreSQL and on MariaDB. */
@RunWith(Parameterized.class)
public class JdbcAdapterTest {
    static final String SITE = "riverton";

    @Parameterized.Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return List.of(new Object[] {Kind.POSTGRESQL}, new Object[] {Kind.MARIADB});
    }

    private static RmsDatabase db;

    @Parameterized.BeforeParam
    public static void createDatabase(Kind kind) {
        db = RmsDatabase.create(kind);
    }

    @Parameterized.AfterParam
    public static void dropDatabase() {
        if (db != null) {
            db.close();
            db = null;
        }
    }

    @Parameterized.Parameter
    public Kind kind;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path sites;
    private RecordsProfilesImpl profiles;
    private List<Incident> incidents;

    @Before
    public void setUp() throws IOException, SQLException {
        sites = temp.newFolder("sites").toPath();
        profiles = RecordsProfilesImpl.in(sites);
        Path folder = RecordsProfilesImpl.folder(sites, SITE);
        Files.createDirectories(folder);
        for (String profile : List.of("rms-incidents.json", "rms-calls.json")) {
            Files.copy(Paths.get("src/test/resources/profiles", profile), folder.resolve(profile));
        }
        incidents = SyntheticRms.incidents();
        SyntheticRms.create(db, incidents);
    }

    private TestConfig config() {
        return new TestConfig()
                .set("dmi_site", SITE)
                .set("profile", "rms-incidents.json")
                .set("url", db.url())
                .set("user", db.reader)
                .set("_password", db.readerPassword)
                .set("query", SyntheticRms.query(">= ?"))
                .set("watermark", "updated_at")
                .set("initialWatermark", "1970-01-01T00:00:00");
    }

    private JdbcAdapter adapter(TestConfig config) {
        return new JdbcAdapter(config.build(), Map.of(), profiles, this::plainDataSource);
    }

    private Optional<DataSource> plainDataSource(String driver, String url, String user, String password)
            throws SQLException {
        assertEquals("the URL's usual driver", kind.driver, driver);
        return Optional.of(RmsDatabase.dataSource(kind, url, user, password));
    }

    static RecordsInput from(Optional<String> watermark) {
        return new RecordsInput() {
            @Override
            public String name() {
                return "pull by jdbc";
            }

            @Override
            public InputStream open() {
                throw new UnsupportedOperationException("a pull has no file");
            }

            @Override
            public Optional<String> watermark() {
                return watermark;
            }
        };
    }

    private static CollectingSink pull(JdbcAdapter adapter, Optional<String> watermark) throws IOException {
        CollectingSink sink = new CollectingSink(SITE_ZONE);
        adapter.read(from(watermark), sink);
        return sink;
    }

    private static InvalidInputException refused(JdbcAdapter adapter) throws IOException {
        CollectingSink sink = new CollectingSink(SITE_ZONE);
        try {
            adapter.read(from(Optional.empty()), sink);
        } catch (InvalidInputException e) {
            assertEquals("nothing read", 0, outcomes(sink));
            return e;
        }
        fail("pulled " + outcomes(sink) + " rows");
        return null;
    }

    /** Every row the adapter gave the sink, whatever became of it. */
    static int outcomes(CollectingSink sink) {
        return sink.accepted.size() + sink.rejected.size() + sink.skipped.size() + sink.deleted.size();
    }

    private static List<String> ids(CollectingSink sink) {
        return sink.accepted.stream().map(CrimeRecord::sourceId).toList();
    }

    @Test
    public void firstPullReadsEveryRowThroughTheProfile() throws IOException {
        CollectingSink sink = pull(adapter(config()), Optional.empty());
        assertEquals(sink.rejected.toString(), ROWS - 2, sink.accepted.size());

        CrimeRecord known = sink.record(incidents.get(0).caseNumber());
        assertEquals(RecordKind.INCIDENT, known.kind());
        assertEquals(1, known.line());
        assertEquals(
                "11:57 pm in Chicago, standard time: date and time joined from two columns",
                Instant.parse("2024-03-10T05:57:00Z"),
                known.occurredFrom());
        assertEquals("D220", known.code());
        assertEquals("the offence table's text, joined in the query", "DELIVERY - HEROIN", known.codeText());
        assertEquals(Category.DRUG, known.category());
        assertFalse(known.partOne());
        assertEquals(incidents.get(0).block(), known.address());
        assertTrue(known.address(), known.address().matches("\\d{3}XX [NSEW] [A-Z]+ [A-Z]+"));
        assertEquals(incidents.get(0).beat(), known.beat());
        assertEquals("006", known.district());
        double metres =
                metres(known.location().orElseThrow(), SyntheticRms.KNOWN_LONGITUDE, SyntheticRms.KNOWN_LATITUDE);
        assertTrue("state-plane feet reprojected to within a metre, not " + metres, metres < 1.0);

        CrimeRecord daylight = sink.record(incidents.get(1).caseNumber());
        assertEquals("9:30 am, daylight time", Instant.parse("2024-03-12T14:30:00Z"), daylight.occurredFrom());
        assertEquals(Category.VIOLENT_PART_I, daylight.category());
        assertTrue(daylight.partOne());
        assertEquals(
                "no time of day: the start of the day",
                incidents.get(NO_TIME).occurredDate().atStartOfDay(SITE_ZONE).toInstant(),
                sink.record(incidents.get(NO_TIME).caseNumber()).occurredFrom());
        assertEquals(
                Optional.empty(),
                sink.record(incidents.get(NO_LOCATION).caseNumber()).location());

        for (Incident i : incidents) {
            if (incidents.indexOf(i) != ZERO_ZERO && incidents.indexOf(i) != BAD_TIME) {
                assertEquals(
                        i.caseNumber() + " reported",
                        Optional.of(i.reportedAt().toInstant()),
                        sink.record(i.caseNumber()).reportedAt());
            }
        }
        Map<Category, Long> expected = new EnumMap<>(Category.class);
        for (Incident i : incidents) {
            if (incidents.indexOf(i) != ZERO_ZERO && incidents.indexOf(i) != BAD_TIME) {
                expected.merge(category(i.ucrClass()), 1L, Long::sum);
            }
        }
        Map<Category, Long> actual = new EnumMap<>(Category.class);
        sink.accepted.forEach(r -> actual.merge(r.category(), 1L, Long::sum));
        assertEquals(expected, actual);
        assertTrue("the sample has several categories: " + actual, actual.size() >= 5);
    }

    private static Category category(String ucrClass) {
        return switch (ucrClass) {
            case "NARCOTICS" -> Category.DRUG;
            case "WEAPONS" -> Category.WEAPONS;
            case "PROSTITUTION" -> Category.PROSTITUTION;
            case "ROBBERY", "AGG ASSAULT" -> Category.VIOLENT_PART_I;
            case "BURGLARY", "THEFT" -> Category.PROPERTY_PART_I;
            case "TRESPASS", "DISORDERLY" -> Category.DISORDER;
            default -> Category.OTHER;
        };
    }

    static double metres(CrimeRecord.Location a, double longitude, double latitude) {
        double lat = Math.toRadians((a.latitude() + latitude) / 2);
        double dx = Math.toRadians(a.longitude() - longitude) * Math.cos(lat) * 6_371_000;
        double dy = Math.toRadians(a.latitude() - latitude) * 6_371_000;
        return Math.hypot(dx, dy);
    }

    @Test
    public void reportsTheLatestUpdateReadAsTheWatermark() throws IOException {
        CollectingSink sink = pull(adapter(config()), Optional.empty());
        assertEquals(
                "the last row's updated_at, ISO, local like the column",
                Optional.of("2024-04-01T08:39:00"),
                sink.watermark());
    }

    @Test
    public void pullsOnlyRowsChangedSinceTheWatermark() throws IOException, SQLException {
        JdbcAdapter adapter = adapter(config());
        String first = pull(adapter, Optional.empty()).watermark().orElseThrow();
        Incident changed = incidents.get(5);
        Incident last = incidents.get(ROWS - 1);
        db.sql("UPDATE incidents SET beat = '0699', updated_at = TIMESTAMP '2024-04-01 08:49:00' WHERE case_number = '"
                + changed.caseNumber() + "'");
        Incident fresh = new Incident(
                "JT900001",
                LocalDate.of(2024, 4, 1),
                "0805",
                ZonedDateTime.of(2024, 4, 1, 8, 20, 0, 0, SITE_ZONE),
                "D210",
                "004XX S BIRCHWOOD ST",
                "0613",
                "006",
                SyntheticRms.KNOWN_X,
                SyntheticRms.KNOWN_Y,
                FIRST_UPDATE.plusMinutes(50));
        SyntheticRms.insert(db, List.of(fresh));

        CollectingSink next = pull(adapter, Optional.of(first));
        assertEquals(
                "the boundary row again (>=), then what changed since, in the query's order",
                List.of(last.caseNumber(), changed.caseNumber(), fresh.caseNumber()),
                ids(next));
        assertEquals("0699", next.record(changed.caseNumber()).beat());
        assertEquals(
                Instant.parse("2024-04-01T13:05:00Z"), next.record("JT900001").occurredFrom());
        assertEquals(3, next.record("JT900001").line());
        assertEquals(Optional.of("2024-04-01T08:50:00"), next.watermark());
    }

    @Test
    public void aPullWithNothingNewReadsNoRowsAndKeepsTheWatermark() throws IOException {
        JdbcAdapter adapter = adapter(config().set("query", SyntheticRms.query("> ?")));
        String first = pull(adapter, Optional.empty()).watermark().orElseThrow();
        CollectingSink again = pull(adapter, Optional.of(first));
        assertEquals(0, outcomes(again));
        assertEquals("none reported: the pipeline keeps the previous one", Optional.empty(), again.watermark());
    }

    @Test
    public void rowsUpdatedInTheSameInstantAsTheWatermarkAreNotLost() throws IOException, SQLException {
        JdbcAdapter inclusive = adapter(config());
        JdbcAdapter strict = adapter(config().set("query", SyntheticRms.query("> ?")));
        String reached = pull(inclusive, Optional.empty()).watermark().orElseThrow();
        Incident last = incidents.get(ROWS - 1);
        // committed just after the pull read, with the same updated_at as the last row it read
        Incident tie = new Incident(
                "JT900002",
                LocalDate.of(2024, 3, 31),
                "2210",
                ZonedDateTime.of(2024, 3, 31, 22, 40, 0, 0, SITE_ZONE),
                "W150",
                "011XX W ASHGROVE AVE",
                "0612",
                "006",
                SyntheticRms.KNOWN_X,
                SyntheticRms.KNOWN_Y,
                last.updatedAt());
        SyntheticRms.insert(db, List.of(tie));

        assertEquals(List.of(last.caseNumber(), tie.caseNumber()), ids(pull(inclusive, Optional.of(reached))));
        assertEquals(
                "a strictly-greater query would miss it for good", 0, outcomes(pull(strict, Optional.of(reached))));
    }

    @Test
    public void aLookBackMarginReadsRecentRowsAgain() throws IOException {
        // the README's form for records systems whose transactions commit well after they stamp updated_at
        String margin =
                kind == Kind.POSTGRESQL ? "CAST(? AS TIMESTAMP) - INTERVAL '10 minutes'" : "? - INTERVAL 10 MINUTE";
        JdbcAdapter adapter = adapter(config().set("query", SyntheticRms.query(">= " + margin)));
        CollectingSink sink = pull(adapter, Optional.of("2024-04-01T08:39:00"));
        assertEquals(
                "08:29 to 08:39",
                incidents.subList(ROWS - 11, ROWS).stream()
                        .map(Incident::caseNumber)
                        .toList(),
                ids(sink));
        assertEquals(Optional.of("2024-04-01T08:39:00"), sink.watermark());
    }

    @Test
    public void unusableRowsAreQuarantinedWithTheirRowNumberAndColumn() throws IOException {
        CollectingSink sink = pull(adapter(config()), Optional.empty());
        assertEquals(2, sink.rejected.size());
        CollectingSink.Rejected zero = sink.rejected.get(0);
        assertEquals(ZERO_ZERO + 1, zero.line());
        assertEquals("x_coord / y_coord", zero.field());
        assertEquals("is 0,0: a placeholder, not a place; clear it or fix it in the source", zero.reason());
        assertTrue(
                zero.raw(),
                zero.raw().startsWith("case_number: " + incidents.get(ZERO_ZERO).caseNumber() + " | occurred_date: "));
        assertTrue(zero.raw(), zero.raw().contains(" | x_coord: 0.00 | y_coord: 0.00 | "));

        CollectingSink.Rejected time = sink.rejected.get(1);
        assertEquals(BAD_TIME + 1, time.line());
        assertEquals("occurred_date + occurred_time", time.field());
        assertEquals(
                "'" + incidents.get(BAD_TIME).occurredDate() + " 2575' is not a date in the format yyyy-MM-dd HHmm or"
                        + " yyyy-MM-dd (occurredFrom)",
                time.reason());
        assertEquals("the rows after them are read", ROWS - 2, sink.accepted.size());
    }

    @Test
    public void aProfileNamingAColumnTheQueryDoesNotReturnFailsWithTheProfilesOwnMessage() throws IOException {
        Path folder = RecordsProfilesImpl.folder(sites, SITE);
        Files.writeString(
                folder.resolve("rms-renamed.json"),
                Files.readString(folder.resolve("rms-incidents.json"))
                        .replace("\"sourceId\": \"case_number\"", "\"sourceId\": \"incident_no\""));
        InvalidInputException e = refused(adapter(config().set("profile", "rms-renamed.json")));
        InputError missing = e.errors().get(0);
        assertEquals("incident_no", missing.field());
        assertEquals("jdbc " + db.location(), missing.source());
        assertTrue(missing.reason(), missing.reason().startsWith("is missing from the input's columns"));
        assertTrue(e.getMessage(), e.getMessage().contains("columns are: case_number, occurred_date, occurred_time"));
    }

    @Test
    public void aRefusedLoginFailsNamingTheUserWithoutThePassword() throws IOException {
        String secret = "Wr0ng-" + UUID.randomUUID();
        String user = "nobody_" + UUID.randomUUID().toString().substring(0, 8);
        InvalidInputException e = refused(adapter(config().set("user", user).set("_password", secret)));
        InputError error = e.errors().get(0);
        assertEquals(e.getMessage(), "user", error.field());
        assertEquals("jdbc " + db.location(), error.source());
        assertTrue(error.reason(), error.reason().startsWith("the records system refuses the login of user '" + user));
        assertFalse(e.getMessage(), e.getMessage().contains(secret));
        assertFalse(String.valueOf(e.getCause()), String.valueOf(e.getCause()).contains(secret));

        if (kind == Kind.MARIADB) {
            // the test PostgreSQL trusts logins from this machine: only MariaDB checks the reader's password
            InvalidInputException wrong = refused(adapter(config().set("_password", secret)));
            assertEquals("user", wrong.errors().get(0).field());
            assertTrue(wrong.getMessage(), wrong.getMessage().contains("of user '" + db.reader + "'"));
            assertFalse(wrong.getMessage(), wrong.getMessage().contains(secret));
        }
    }

    @Test
    public void anUnreachableDatabaseFailsNamingWhereItWasLookedFor() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        InvalidInputException e = refused(adapter(config().set("url", db.unreachableUrl(port))));
        InputError error = e.errors().get(0);
        assertEquals(e.getMessage(), "url", error.field());
        assertTrue(error.source(), error.source().matches("jdbc (postgresql|mariadb)://[^/]+:" + port + "/test"));
        assertTrue(error.reason(), error.reason().startsWith("cannot reach the records system: "));
        assertFalse(e.getMessage().contains(db.readerPassword));
    }

    @Test
    public void aQueryTheDatabaseRefusesFailsNamingTheQuery() throws IOException {
        InvalidInputException e =
                refused(adapter(config().set("query", "SELEC * FROM incidents WHERE updated_at >= ?")));
        InputError error = e.errors().get(0);
        assertEquals("query", error.field());
        assertTrue(error.reason(), error.reason().startsWith("the records system refuses the query: "));
        assertTrue(error.reason(), error.reason().contains("SELEC"));

        InvalidInputException denied = refused(
                adapter(config().set("query", SyntheticRms.query(">= ?").replace("offence_codes", "no_such_codes"))));
        assertEquals("query", denied.errors().get(0).field());
        assertTrue(denied.getMessage(), denied.getMessage().contains("no_such_codes"));
    }

    @Test
    public void aQueryWithoutTheWatermarkColumnFailsNamingTheColumnsItReturns() throws IOException {
        InvalidInputException e = refused(adapter(config().set(
                        "query", SyntheticRms.query(">= ?").replace(", i.updated_at, i.narrative", ", i.narrative"))));
        InputError error = e.errors().get(0);
        assertEquals("watermark", error.field());
        assertTrue(
                error.reason(),
                error.reason().startsWith("the query returns no column 'updated_at'; it returns: case_number, "));
    }

    @Test
    public void aQueryWithoutOneWatermarkParameterIsRefused() throws IOException {
        InvalidInputException e = refused(adapter(
                config().set("query", "SELECT * FROM incidents WHERE updated_at >= TIMESTAMP '2024-01-01 00:00:00'")));
        InputError error = e.errors().get(0);
        assertEquals("query", error.field());
        assertTrue(error.reason(), error.reason().contains("exactly one ?"));
        assertTrue(error.reason(), error.reason().endsWith("it has 0"));
    }

    @Test
    public void aCancelledPullStopsReading() throws IOException {
        CollectingSink collected = new CollectingSink(SITE_ZONE);
        RecordSink cancelsAfterFive = new ForwardingSink(collected) {
            @Override
            public void accept(CrimeRecord record) {
                super.accept(record);
                if (outcomes(collected) == 5) {
                    collected.cancel();
                }
            }
        };
        adapter(config()).read(from(Optional.empty()), cancelsAfterFive);
        assertEquals(5, outcomes(collected));
        assertEquals("a cancelled pull reaches no watermark", Optional.empty(), collected.watermark());

        CollectingSink cancelled = new CollectingSink(SITE_ZONE);
        cancelled.cancel();
        adapter(config()).read(from(Optional.empty()), cancelled);
        assertEquals(0, outcomes(cancelled));
    }

    @Test
    public void instantsAndLocalTimesAreReadAsTheirColumnTypesSay() throws IOException, SQLException {
        db.sql(
                "DROP TABLE IF EXISTS calls",
                "CREATE TABLE calls (call_number VARCHAR(12) PRIMARY KEY, call_date DATE NOT NULL, call_time TIME,"
                        + " received_at " + db.timestampWithZone() + ", nature VARCHAR(40), beat VARCHAR(6),"
                        + " updated_at " + db.timestampWithZone() + " NOT NULL)");
        call("C24-000101", "2024-11-02", "23:30:00", "2024-11-03T04:31:15Z", "NARCOTICS SALE", "2024-11-03T05:00:00Z");
        call(
                "C24-000102",
                "2024-11-04",
                "08:15:00",
                "2024-11-04T14:16:00Z",
                "SUSPICIOUS PERSON",
                "2024-11-04T14:30:00Z");
        call("C24-000103", "2024-11-04", "12:00:00", "2024-11-04T18:02:30Z", "NOISE", "2024-11-04T18:10:00Z");
        JdbcAdapter adapter = adapter(config().set("profile", "rms-calls.json")
                .set("query", "SELECT * FROM calls WHERE updated_at > ? ORDER BY updated_at")
                .set("initialWatermark", "2024-11-01T00:00:00"));

        CollectingSink sink = pull(adapter, Optional.empty());
        assertEquals(sink.rejected.toString(), 3, sink.accepted.size());
        CrimeRecord night = sink.record("C24-000101");
        assertEquals(RecordKind.CALL_FOR_SERVICE, night.kind());
        assertEquals(Category.DRUG, night.category());
        assertEquals("local date and time, daylight time", Instant.parse("2024-11-03T04:30:00Z"), night.occurredFrom());
        assertEquals(Optional.of(Instant.parse("2024-11-03T04:31:15Z")), night.reportedAt());
        assertEquals(
                "a time with no minutes or seconds still reads as HH:mm:ss",
                Instant.parse("2024-11-04T18:00:00Z"),
                sink.record("C24-000103").occurredFrom());
        assertEquals(
                Optional.of(Instant.parse("2024-11-04T14:16:00Z")),
                sink.record("C24-000102").reportedAt());
        String reached = sink.watermark().orElseThrow();
        assertEquals(
                kind == Kind.POSTGRESQL
                        ? "timestamptz: the instant, with its offset"
                        : "MariaDB's TIMESTAMP comes as the session's local time",
                kind == Kind.POSTGRESQL ? "2024-11-04T18:10:00Z" : "2024-11-04T12:10:00",
                reached);

        assertEquals(0, outcomes(pull(adapter, Optional.of(reached))));
        call("C24-000104", "2024-11-04", "12:20:00", "2024-11-04T18:20:00Z", "NARCOTICS SALE", "2024-11-04T18:25:00Z");
        assertEquals(List.of("C24-000104"), ids(pull(adapter, Optional.of(reached))));
    }

    private void call(String number, String date, String time, String received, String nature, String updated)
            throws SQLException {
        try (Connection c = db.admin();
                PreparedStatement insert = c.prepareStatement("INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, number);
            insert.setObject(2, LocalDate.parse(date));
            insert.setObject(3, LocalTime.parse(time));
            db.setMoment(insert, 4, Instant.parse(received).atZone(SITE_ZONE));
            insert.setString(5, nature);
            insert.setString(6, "0611");
            db.setMoment(insert, 7, Instant.parse(updated).atZone(SITE_ZONE));
            insert.executeUpdate();
        }
    }

    @Test
    public void aLargePullStreamsItsRowsWithoutHoldingThem() throws IOException {
        int rows = 200_000;
        SyntheticRms.bulk(db, rows);
        CountingSink sink = new CountingSink();
        adapter(config().set("query", String.format(SyntheticRms.QUERY, "incidents_bulk", ">= ?")))
                .read(from(Optional.empty()), sink);
        assertEquals("quarantined: " + sink.rejected, rows, sink.accepted);
        assertEquals(Optional.of("2024-05-03T07:33:20"), Optional.ofNullable(sink.watermark));
    }

    @Test
    public void theDriversOwnDataSourceFactoryConnectsAndAMissingDriverIsNamed() throws IOException {
        DataSourceFactory factory =
                kind == Kind.POSTGRESQL ? new PGDataSourceFactory() : new MariaDbDataSourceFactory();
        Drivers drivers = new Drivers();
        JdbcAdapter adapter = new JdbcAdapter(config().build(), Map.of(), profiles, drivers);
        adapter.addDriver(factory, Map.of(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS, kind.driver));
        assertEquals(ROWS - 2, pull(adapter, Optional.empty()).accepted.size());

        JdbcAdapter other =
                new JdbcAdapter(config().set("driver", "com.example.rms.Driver").build(), Map.of(), profiles, drivers);
        InvalidInputException e = refused(other);
        assertEquals("driver", e.errors().get(0).field());
        assertTrue(
                e.getMessage(),
                e.getMessage()
                        .contains("no JDBC driver com.example.rms.Driver is installed (installed: " + kind.driver));

        adapter.removeDriver(factory);
        assertEquals("driver", refused(adapter).errors().get(0).field());
    }

    /** A sink that counts and keeps nothing, so only the adapter's own memory shows. */
    private static final class CountingSink implements RecordSink {
        long accepted;
        long rejected;
        String watermark;

        @Override
        public java.time.ZoneId zone() {
            return SITE_ZONE;
        }

        @Override
        public void accept(CrimeRecord record) {
            accepted++;
        }

        @Override
        public void reject(long line, String field, String reason, String raw) {
            rejected++;
        }

        @Override
        public void delete(long line, RecordKind kind, String sourceId) {}

        @Override
        public void skipped(long line, String why) {}

        @Override
        public void watermark(String value) {
            watermark = value;
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    }

    /** Passes everything on, for a sink that acts on what it is given. */
    private static class ForwardingSink implements RecordSink {
        private final RecordSink to;

        ForwardingSink(RecordSink to) {
            this.to = to;
        }

        @Override
        public java.time.ZoneId zone() {
            return to.zone();
        }

        @Override
        public void accept(CrimeRecord record) {
            to.accept(record);
        }

        @Override
        public void reject(long line, String field, String reason, String raw) {
            to.reject(line, field, reason, raw);
        }

        @Override
        public void delete(long line, RecordKind kind, String sourceId) {
            to.delete(line, kind, sourceId);
        }

        @Override
        public void skipped(long line, String why) {
            to.skipped(line, why);
        }

        @Override
        public void watermark(String value) {
            to.watermark(value);
        }

        @Override
        public boolean cancelled() {
            return to.cancelled();
        }
    }
}
