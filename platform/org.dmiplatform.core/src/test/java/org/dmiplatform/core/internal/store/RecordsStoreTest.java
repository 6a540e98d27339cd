package org.dmiplatform.core.internal.store;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.api.store.RecordsStore;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The records store on both stores, over 500 records generated from a fixed seed: every filter against the same
 * filter applied in Java to the generated list, pages that together hold each record once, counts in the site's time
 * zone, and who may read what.
 */
@RunWith(Parameterized.class)
public class RecordsStoreTest {
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    private static final Caller POLICE = caller(Grant.at("chicago", Role.POLICE));
    private static final Caller TTA = caller(Grant.national(Role.TTA_STAFF));

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private AuditLogImpl audit;
    private RecordsStoreImpl store;
    private final List<CrimeRecord> all = new ArrayList<>();

    public RecordsStoreTest(String kind) {
        this.kind = kind;
    }

    private static Caller caller(Grant grant) {
        return new Caller(
                new User(9, "u-" + grant.role().id(), "u", List.of(grant), true, false, Instant.EPOCH), "192.0.2.9");
    }

    @Before
    public void setUp() throws SQLException {
        fresh = TestDatabases.fresh(kind);
        Database database = Database.on(fresh.dataSource());
        audit = new AuditLogImpl(database, new MutableClock(Instant.parse("2026-11-30T12:00:00Z")));
        FakeSites sites = new FakeSites("denver");
        sites.add(new Site("chicago", "Chicago", "", CHICAGO, List.of(), "", List.of(), Optional.empty()));
        store = new RecordsStoreImpl(database, sites, audit);
        Random random = new Random(20261130L);
        Instant start = Instant.parse("2016-01-01T06:00:00Z");
        for (int i = 0; i < 500; i++) {
            // several records share a time, so the order must break ties by kind and id
            Instant at = start.plusSeconds(3600L * random.nextInt(24 * 70));
            boolean located = random.nextInt(10) > 0;
            all.add(new CrimeRecord(
                    RecordKind.values()[random.nextInt(3)],
                    "R" + i,
                    at,
                    Optional.empty(),
                    Optional.empty(),
                    "C" + i,
                    "text",
                    Category.values()[random.nextInt(Category.values().length)],
                    random.nextBoolean(),
                    Optional.empty(),
                    Optional.empty(),
                    located
                            ? Optional.of(new CrimeRecord.Location(
                                    -87.70 + random.nextDouble() * 0.10, 41.80 + random.nextDouble() * 0.10))
                            : Optional.empty(),
                    "",
                    "",
                    "",
                    0));
        }
        try (Connection c = database.connection()) {
            database.transaction(c, tx -> {
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO records (site_id, " + RecordRows.COLUMNS
                        + ", import_id) VALUES ('chicago', " + RecordRows.placeholders() + ", 1)")) {
                    for (CrimeRecord r : all) {
                        RecordRows.bind(ps, 1, r, database.dialect());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
        }
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    private Set<String> ids(List<CrimeRecord> records) {
        Set<String> out = new HashSet<>();
        records.forEach(r -> out.add(r.sourceId()));
        return out;
    }

    /** Every page of the query, following the cursors; checks the order as it goes. */
    private List<CrimeRecord> allPages(RecordQuery query, int limit) {
        List<CrimeRecord> out = new ArrayList<>();
        Optional<String> after = Optional.empty();
        do {
            RecordsStore.RecordPage page = store.page("chicago", query, after, limit, POLICE);
            assertTrue(page.records().size() <= limit);
            out.addAll(page.records());
            after = page.next();
        } while (after.isPresent());
        for (int i = 1; i < out.size(); i++) {
            CrimeRecord a = out.get(i - 1);
            CrimeRecord b = out.get(i);
            assertFalse("newest first", b.occurredFrom().isAfter(a.occurredFrom()));
        }
        return out;
    }

    @Test
    public void pagesFollowingTheirCursorsHoldEveryRecordExactlyOnce() {
        List<CrimeRecord> pages = allPages(RecordQuery.ALL, 37);
        assertEquals(all.size(), pages.size());
        assertEquals(ids(all), ids(pages));
        RecordsStore.RecordPage exact = store.page("chicago", RecordQuery.ALL, Optional.empty(), 500, POLICE);
        assertEquals(500, exact.records().size());
        assertTrue("a page holding the last record has no next", exact.next().isEmpty());
        RecordsStore.RecordPage cut = store.page("chicago", RecordQuery.ALL, Optional.empty(), 499, POLICE);
        assertTrue("a page cut short says so", cut.next().isPresent());
    }

    @Test
    public void everyFilterSelectsWhatTheSameFilterSelectsInJava() {
        Instant from = Instant.parse("2016-01-20T00:00:00Z");
        Instant to = Instant.parse("2016-02-10T00:00:00Z");
        RecordQuery query = RecordQuery.ALL
                .between(from, to)
                .kinds(Set.of(RecordKind.INCIDENT, RecordKind.CALL_FOR_SERVICE))
                .categories(Set.of(Category.DRUG, Category.WEAPONS, Category.DISORDER))
                .partOne(false)
                .box(new Site.Bounds(-87.68, 41.82, -87.62, 41.88));
        List<CrimeRecord> expected = all.stream()
                .filter(r ->
                        !r.occurredFrom().isBefore(from) && r.occurredFrom().isBefore(to))
                .filter(r -> r.kind() != RecordKind.FIELD_CONTACT)
                .filter(r -> Set.of(Category.DRUG, Category.WEAPONS, Category.DISORDER)
                        .contains(r.category()))
                .filter(r -> !r.partOne())
                .filter(r -> r.location()
                        .map(l -> l.longitude() >= -87.68
                                && l.longitude() <= -87.62
                                && l.latitude() >= 41.82
                                && l.latitude() <= 41.88)
                        .orElse(false))
                .toList();
        assertFalse("the filter keeps some records", expected.isEmpty());
        assertEquals(ids(expected), ids(allPages(query, 5)));
        assertEquals(expected.size(), store.count("chicago", query, POLICE));
        long[] streamed = new long[1];
        assertEquals(expected.size(), store.stream("chicago", query, POLICE, r -> streamed[0]++));
        assertEquals(expected.size(), streamed[0]);
    }

    @Test
    public void aPolygonWithAHoleKeepsTheRecordsInsideItOnly() {
        // a triangle with a square hole
        RecordQuery.Polygon triangle = new RecordQuery.Polygon(
                List.of(at(-87.70, 41.80), at(-87.60, 41.80), at(-87.65, 41.90), at(-87.70, 41.80)),
                List.of(List.of(
                        at(-87.66, 41.82),
                        at(-87.64, 41.82),
                        at(-87.64, 41.84),
                        at(-87.66, 41.84),
                        at(-87.66, 41.82))));
        org.locationtech.jts.geom.GeometryFactory g = new org.locationtech.jts.geom.GeometryFactory();
        org.locationtech.jts.geom.Geometry shape = g.createPolygon(
                g.createLinearRing(new org.locationtech.jts.geom.Coordinate[] {
                    c(-87.70, 41.80), c(-87.60, 41.80), c(-87.65, 41.90), c(-87.70, 41.80)
                }),
                new org.locationtech.jts.geom.LinearRing[] {
                    g.createLinearRing(new org.locationtech.jts.geom.Coordinate[] {
                        c(-87.66, 41.82), c(-87.64, 41.82), c(-87.64, 41.84), c(-87.66, 41.84), c(-87.66, 41.82)
                    })
                });
        List<CrimeRecord> expected = all.stream()
                .filter(r -> r.location()
                        .map(l -> shape.covers(g.createPoint(c(l.longitude(), l.latitude()))))
                        .orElse(false))
                .toList();
        assertTrue(expected.size() > 10 && expected.size() < all.size() / 2);
        RecordQuery query = RecordQuery.ALL.within(List.of(triangle));
        assertEquals(ids(expected), ids(allPages(query, 7)));
        assertEquals(expected.size(), store.count("chicago", query, POLICE));
    }

    @Test
    public void severalAreasAreCountedInOnePassAsEachWouldBeAlone() {
        RecordQuery.Polygon west = new RecordQuery.Polygon(
                List.of(at(-87.70, 41.80), at(-87.65, 41.80), at(-87.65, 41.90), at(-87.70, 41.90), at(-87.70, 41.80)),
                List.of());
        // overlapping the first: a record in both is counted in both
        RecordQuery.Polygon middle = new RecordQuery.Polygon(
                List.of(at(-87.67, 41.80), at(-87.60, 41.80), at(-87.60, 41.90), at(-87.67, 41.90), at(-87.67, 41.80)),
                List.of());
        java.util.Map<String, List<RecordQuery.Polygon>> areas = new java.util.LinkedHashMap<>();
        areas.put("west", List.of(west));
        areas.put("middle", List.of(middle));
        areas.put(
                "nowhere",
                List.of(new RecordQuery.Polygon(List.of(at(10, 10), at(11, 10), at(11, 11), at(10, 10)), List.of())));
        RecordQuery query = RecordQuery.ALL.kinds(java.util.Set.of(org.dmiplatform.api.records.RecordKind.INCIDENT));
        java.util.Map<String, List<org.dmiplatform.api.store.RecordsStore.CategoryDayCount>> together =
                store.countsByDayIn("chicago", query, areas, POLICE);
        assertEquals(List.of("west", "middle", "nowhere"), List.copyOf(together.keySet()));
        for (String name : List.of("west", "middle")) {
            // each area's days, summed over categories, are what the store counts of that area alone
            java.util.Map<LocalDate, Long> byDay = new java.util.TreeMap<>();
            together.get(name).forEach(d -> byDay.merge(d.day(), d.count().orElseThrow(), Long::sum));
            java.util.Map<LocalDate, Long> alone = new java.util.TreeMap<>();
            store.countsByDay("chicago", query.within(areas.get(name)), POLICE)
                    .forEach(d -> alone.put(d.day(), d.count().orElseThrow()));
            assertEquals(name, alone, byDay);
            assertTrue(name, !byDay.isEmpty());
        }
        assertTrue(together.get("nowhere").isEmpty());
    }

    private static CrimeRecord.Location at(double lon, double lat) {
        return new CrimeRecord.Location(lon, lat);
    }

    private static org.locationtech.jts.geom.Coordinate c(double lon, double lat) {
        return new org.locationtech.jts.geom.Coordinate(lon, lat);
    }

    @Test
    public void countsGroupByTheSitesMonthsAndDays() {
        long january = all.stream()
                .filter(r -> YearMonth.from(r.occurredFrom().atZone(CHICAGO)).equals(YearMonth.of(2016, 1)))
                .count();
        long monthSum = store.countsByMonth("chicago", RecordQuery.ALL, POLICE).stream()
                .filter(m -> m.month().equals(YearMonth.of(2016, 1)))
                .mapToLong(m -> m.count().orElseThrow())
                .sum();
        assertEquals(january, monthSum);
        // 05:00 UTC on January 2 is still January 1 in Chicago
        long firstDay = all.stream()
                .filter(r -> LocalDate.ofInstant(r.occurredFrom(), CHICAGO).equals(LocalDate.of(2016, 1, 1)))
                .count();
        assertEquals(firstDay, (long) store.countsByDay("chicago", RecordQuery.ALL, POLICE).stream()
                .filter(d -> d.day().equals(LocalDate.of(2016, 1, 1)))
                .findFirst()
                .orElseThrow()
                .count()
                .orElseThrow());
    }

    @Test
    public void nationalStaffCountOnlyWithSmallCountsSuppressedAndOthersAreRefusedOnRecord() {
        List<RecordsStore.DayCount> days = store.countsByDay("chicago", RecordQuery.ALL, TTA);
        assertTrue(days.stream().anyMatch(d -> d.count().isEmpty()));
        assertTrue(days.stream()
                .allMatch(d -> d.count().map(n -> n >= RecordsStore.SMALL_COUNT).orElse(true)));
        try {
            store.page("chicago", RecordQuery.ALL, Optional.empty(), 10, TTA);
            fail("national staff read counts only");
        } catch (AccessDeniedException expected) {
            // refused
        }
        for (Caller refused :
                List.of(caller(Grant.at("chicago", Role.COMMUNITY)), caller(Grant.at("denver", Role.POLICE)))) {
            try {
                store.count("chicago", RecordQuery.ALL, refused);
                fail(refused.user().username() + " may not count Chicago's records");
            } catch (AccessDeniedException expected) {
                // refused
            }
        }
        List<AuditEntry> denied = audit.recent(Optional.of("chicago"), Optional.empty(), 100).stream()
                .filter(e -> e.event().outcome() == AuditOutcome.DENIED)
                .toList();
        assertEquals(3, denied.size());
    }

    @Test
    public void aCursorNotMadeByTheStoreAndALimitOutOfRangeAreRefused() {
        for (String cursor : List.of("garbage", "", "MjAxNg")) {
            try {
                store.page("chicago", RecordQuery.ALL, Optional.of(cursor), 10, POLICE);
                fail(cursor);
            } catch (InvalidInputException expected) {
                assertEquals("after", expected.errors().get(0).field());
            }
        }
        try {
            store.page("chicago", RecordQuery.ALL, Optional.empty(), RecordsStore.MAX_PAGE + 1, POLICE);
            fail();
        } catch (InvalidInputException expected) {
            assertEquals("limit", expected.errors().get(0).field());
        }
    }
}
