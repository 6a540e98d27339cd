package org.dmiplatform.mapping.jts.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.mapping.AreaRequest;
import org.dmiplatform.api.mapping.HotSpotRequest;
import org.dmiplatform.api.mapping.HotSpotRequest.Contiguity;
import org.dmiplatform.api.mapping.HotSpotRequest.Method;
import org.dmiplatform.api.mapping.Layer;
import org.dmiplatform.api.mapping.LayerFile;
import org.dmiplatform.api.mapping.PolygonCounts;
import org.dmiplatform.api.mapping.PrintRequest;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.api.store.RecordsStore;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/** The mapping component over a records store of synthetic records: layers, counts, hot spots, areas, maps. */
public class JtsMappingTest {
    static final Site CHICAGO = LayerReaderTest.CHICAGO;
    static final ZoneId ZONE = ZoneId.of("America/Chicago");
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    /** Where the synthetic drug records cluster: West Side, the middle of beat 1022, 500 m from its edges. */
    static final double CLUSTER_LON = -87.7018;

    static final double CLUSTER_LAT = 41.8601;
    static final int CLUSTER = 400;
    static final int BACKGROUND_DRUG = 300;
    static final int BACKGROUND_PROPERTY = 1200;
    static final int UNLOCATED = 50;

    static final Caller POLICE = new Caller(
            new User(1, "officer", "Officer", List.of(Grant.at("chicago", Role.POLICE)), true, false, Instant.EPOCH),
            "test");
    static final Caller COMMUNITY = new Caller(
            new User(
                    2,
                    "resident",
                    "Resident",
                    List.of(Grant.at("chicago", Role.COMMUNITY)),
                    true,
                    false,
                    Instant.EPOCH),
            "test");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private FakeRecords store;
    private JtsMapping mapping;
    private Path data;

    /**
     * Synthetic records, made from a fixed seed: a dense cluster of drug records about one West Side point, drug
     * and property records spread over the city, and some without a location. Not real incidents.
     */
    static List<CrimeRecord> records() {
        SplittableRandom random = new SplittableRandom(20261130L);
        List<CrimeRecord> out = new ArrayList<>();
        Instant from = Instant.parse("2025-01-01T06:00:00Z");
        long span = Instant.parse("2026-01-01T06:00:00Z").getEpochSecond() - from.getEpochSecond();
        double metresPerDegreeLat = 111_100;
        double metresPerDegreeLon = 111_320 * Math.cos(Math.toRadians(CLUSTER_LAT));
        for (int i = 0; i < CLUSTER + BACKGROUND_DRUG + BACKGROUND_PROPERTY + UNLOCATED; i++) {
            Optional<CrimeRecord.Location> location;
            Category category;
            if (i < CLUSTER) {
                location = Optional.of(new CrimeRecord.Location(
                        CLUSTER_LON + random.nextGaussian() * 60 / metresPerDegreeLon,
                        CLUSTER_LAT + random.nextGaussian() * 60 / metresPerDegreeLat));
                category = Category.DRUG;
            } else if (i < CLUSTER + BACKGROUND_DRUG + BACKGROUND_PROPERTY) {
                location = Optional.of(new CrimeRecord.Location(
                        -87.80 + random.nextDouble() * 0.22, 41.70 + random.nextDouble() * 0.28));
                category = i < CLUSTER + BACKGROUND_DRUG ? Category.DRUG : Category.PROPERTY_PART_I;
            } else {
                location = Optional.empty();
                category = Category.DRUG;
            }
            // some records in the first hours of a month in UTC, which are still the month before in Chicago
            Instant when = i % 25 == 0
                    ? YearMonth.of(2025, 2 + random.nextInt(10))
                            .atDay(1)
                            .atStartOfDay(ZoneOffset.UTC)
                            .plusHours(random.nextInt(5))
                            .toInstant()
                    : from.plusSeconds(random.nextLong(span));
            out.add(new CrimeRecord(
                    RecordKind.INCIDENT,
                    "r" + i,
                    when,
                    Optional.empty(),
                    Optional.empty(),
                    category == Category.DRUG ? "2024" : "0810",
                    "",
                    category,
                    category != Category.DRUG,
                    Optional.empty(),
                    Optional.empty(),
                    location,
                    "",
                    "",
                    "",
                    i + 2));
        }
        return out;
    }

    /** Hands over the records a query selects, to callers who may read records, as the real store does. */
    static final class FakeRecords implements RecordsStore {
        final List<CrimeRecord> records;
        final List<String> readers = new ArrayList<>();

        FakeRecords(List<CrimeRecord> records) {
            this.records = records;
        }

        static boolean matches(CrimeRecord r, RecordQuery q) {
            if (!q.within().isEmpty()) {
                throw new UnsupportedOperationException("within");
            }
            return q.from().map(f -> !r.occurredFrom().isBefore(f)).orElse(true)
                    && q.to().map(t -> r.occurredFrom().isBefore(t)).orElse(true)
                    && (q.kinds().isEmpty() || q.kinds().contains(r.kind()))
                    && (q.categories().isEmpty() || q.categories().contains(r.category()))
                    && q.partOne().map(p -> p == r.partOne()).orElse(true)
                    && q.box()
                            .map(b -> r.location()
                                    .map(l -> b.contains(l.longitude(), l.latitude()))
                                    .orElse(false))
                            .orElse(true);
        }

        @Override
        public long stream(String site, RecordQuery query, Caller caller, Consumer<CrimeRecord> each) {
            assertEquals("chicago", site);
            caller.require(
                    site, "reading records", Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN, Role.RESEARCH, Role.POC);
            readers.add(caller.user().username());
            long n = 0;
            for (CrimeRecord r : records) {
                if (matches(r, query)) {
                    each.accept(r);
                    n++;
                }
            }
            return n;
        }

        @Override
        public RecordPage page(String site, RecordQuery query, Optional<String> after, int limit, Caller caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long count(String site, RecordQuery query, Caller caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<MonthCount> countsByMonth(String site, RecordQuery query, Caller caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Map<String, List<CategoryDayCount>> countsByDayIn(
                String site, RecordQuery query, java.util.Map<String, List<RecordQuery.Polygon>> areas, Caller caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DayCount> countsByDay(String site, RecordQuery query, Caller caller) {
            throw new UnsupportedOperationException();
        }
    }

    @Before
    public void setUp() throws IOException {
        store = new FakeRecords(records());
        data = temp.newFolder("data").toPath();
        mapping = new JtsMapping(data, store, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Layer saveBeats(Caller caller) {
        try (InputStream in = TestData.open("layers/chicago-beats.geojson")) {
            return mapping.saveLayer(
                    CHICAGO, new LayerFile("beats", "Police beats", "chicago-beats.geojson", in), caller);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void tooManyCellsForAMapAreRefusedWithACellThatFits() {
        HotSpotRequest dense = new HotSpotRequest(
                RecordQuery.ALL,
                Method.DENSITY,
                OptionalDouble.of(40),
                OptionalDouble.of(5000),
                Optional.empty(),
                Contiguity.QUEEN,
                0,
                0.05,
                1);
        InputError error = refused(() -> mapping.hotSpots(CHICAGO, dense, POLICE));
        assertEquals("cell", error.field());
        assertTrue(
                error.reason(),
                error.reason().contains("cells to draw, more than " + Analysis.MAX_FEATURES)
                        && error.reason().contains("use larger cells (about"));
        HotSpotRequest tiny = new HotSpotRequest(
                RecordQuery.ALL,
                Method.GRID,
                OptionalDouble.of(10),
                OptionalDouble.empty(),
                Optional.empty(),
                Contiguity.QUEEN,
                0,
                0.05,
                1);
        InputError cells = refused(() -> mapping.hotSpots(CHICAGO, tiny, POLICE));
        assertTrue(cells.reason(), cells.reason().contains("more than " + Grid.MAX_CELLS));
        HotSpotRequest narrow = new HotSpotRequest(
                RecordQuery.ALL,
                Method.DENSITY,
                OptionalDouble.of(100),
                OptionalDouble.of(1e-200),
                Optional.empty(),
                Contiguity.QUEEN,
                0,
                0.05,
                1);
        assertEquals(
                "bandwidth",
                refused(() -> mapping.hotSpots(CHICAGO, narrow, POLICE)).field());
    }

    @Test
    public void aSiteWithoutABoxIsMappedAboutItsOwnRecords() throws IOException {
        Site unbounded = new Site("chicago", "Chicago", "", ZONE, List.of(), "", List.of(), Optional.empty());
        JsonNode grid = parse(mapping.hotSpots(unbounded, hotSpots(Method.GRID, RecordQuery.ALL), POLICE));
        assertTrue(grid.path("parameters").path("projection").asText().contains("about -87."));
        for (JsonNode f : grid.path("features")) {
            Geometry cell = geometry(f.path("geometry"));
            // square cells where the records are: about as wide in metres as they are high
            org.locationtech.jts.geom.Envelope e = cell.getEnvelopeInternal();
            double wide = e.getWidth() * 111_320 * Math.cos(Math.toRadians(e.centre().y));
            double high = e.getHeight() * 110_950;
            assertEquals(1.0, wide / high, 0.02);
            assertTrue(e.getMinX() > -88 && e.getMaxX() < -87.4 && e.getMinY() > 41.6 && e.getMaxY() < 42.1);
        }
    }

    static RecordQuery drugs() {
        return RecordQuery.ALL.categories(Set.of(Category.DRUG));
    }

    static HotSpotRequest hotSpots(Method method, RecordQuery query) {
        return new HotSpotRequest(
                query,
                method,
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                Optional.empty(),
                Contiguity.QUEEN,
                0,
                0.05,
                1);
    }

    // ------------------------------------------------------------------ GeoJSON to JTS, for the checks

    static Geometry geometry(JsonNode g) {
        String type = g.path("type").asText();
        if (type.equals("Polygon")) {
            return polygon(g.path("coordinates"));
        }
        assertEquals("MultiPolygon", type);
        List<Polygon> parts = new ArrayList<>();
        for (JsonNode p : g.path("coordinates")) {
            parts.add(polygon(p));
        }
        return LayerReader.GEOMETRY.createMultiPolygon(parts.toArray(new Polygon[0]));
    }

    static Polygon polygon(JsonNode rings) {
        List<LinearRing> all = new ArrayList<>();
        for (JsonNode ring : rings) {
            List<Coordinate> cs = new ArrayList<>();
            for (JsonNode p : ring) {
                cs.add(new Coordinate(p.get(0).asDouble(), p.get(1).asDouble()));
            }
            all.add(LayerReader.GEOMETRY.createLinearRing(cs.toArray(new Coordinate[0])));
        }
        return LayerReader.GEOMETRY.createPolygon(
                all.get(0), all.subList(1, all.size()).toArray(new LinearRing[0]));
    }

    static Point point(double lon, double lat) {
        return LayerReader.GEOMETRY.createPoint(new Coordinate(lon, lat));
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage());
        }
    }

    private static InputError refused(Runnable r) {
        try {
            r.run();
        } catch (InvalidInputException e) {
            return e.errors().get(0);
        }
        fail("not refused");
        return null;
    }

    // ------------------------------------------------------------------ layers

    @Test
    public void savedBeatsAreListedAndReadBack() throws IOException {
        Layer layer = saveBeats(POLICE);
        assertEquals("beats", layer.name());
        assertEquals("Police beats", layer.label());
        assertEquals("chicago-beats.geojson", layer.fileName());
        assertEquals("GeoJSON", layer.format());
        assertEquals("EPSG:4326", layer.sourceCrs());
        assertEquals(277, layer.polygons());
        assertEquals(
                List.of("BEAT_NUM repeats on several polygons (3100), so it is not their id; each polygon is counted on"
                        + " its own"),
                layer.notes());
        assertEquals("officer", layer.savedBy());
        assertEquals(NOW, layer.savedAt());
        assertTrue(layer.bounds().west() > -87.95 && layer.bounds().west() < -87.9);
        assertTrue(layer.bounds().north() > 42.0 && layer.bounds().north() < 42.03);

        assertEquals(List.of(layer), mapping.layers(CHICAGO, POLICE));
        assertEquals(List.of(layer), mapping.layers(CHICAGO, COMMUNITY));
        try (var files = Files.list(data.resolve("sites/chicago/layers"))) {
            assertEquals(
                    List.of("beats.geojson", "beats.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }

        JsonNode geoJson = parse(mapping.layerGeoJson(CHICAGO, "beats", COMMUNITY));
        assertEquals("FeatureCollection", geoJson.path("type").asText());
        JsonNode features = geoJson.path("features");
        assertEquals(277, features.size());
        JsonNode original =
                JSON.readTree(TestData.bytes("layers/chicago-beats.geojson")).path("features");
        for (int i = 0; i < features.size(); i++) {
            JsonNode f = features.get(i);
            assertEquals(original.get(i).path("id").asText(), f.path("id").asText());
            assertEquals(f.path("id").asText(), f.path("properties").path("id").asText());
            assertEquals(
                    original.get(i).path("properties").path("BEAT_NUM").asText(),
                    f.path("properties").path("label").asText());
            assertEquals(
                    original.get(i).path("properties").path("DISTRICT").asText(),
                    f.path("properties").path("DISTRICT").asText());
            Geometry g = geometry(f.path("geometry"));
            Geometry o = geometry(original.get(i).path("geometry"));
            // the same polygon, its outer ring counter-clockwise (RFC 7946)
            assertEquals(o.getArea(), g.getArea(), 1e-15);
            assertTrue(g.norm().equalsExact(o.norm(), 0));
            assertTrue(Orientation.isCCW(((Polygon) g).getExteriorRing().getCoordinates()));
        }
        try {
            mapping.layerGeoJson(CHICAGO, "districts", POLICE);
            fail("a layer that is not there was read");
        } catch (NoSuchElementException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("has no layer 'districts'"));
        }
    }

    @Test
    public void aCommunityMemberCannotSaveOrDeleteALayer() {
        try {
            saveBeats(COMMUNITY);
            fail("a community member saved a layer");
        } catch (AccessDeniedException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("managing the site's map layers"));
        }
        assertEquals(List.of(), mapping.layers(CHICAGO, POLICE));
        saveBeats(POLICE);
        try {
            mapping.deleteLayer(CHICAGO, "beats", COMMUNITY);
            fail("a community member deleted a layer");
        } catch (AccessDeniedException e) {
            assertEquals(1, mapping.layers(CHICAGO, POLICE).size());
        }
        mapping.deleteLayer(CHICAGO, "beats", POLICE);
        assertEquals(List.of(), mapping.layers(CHICAGO, POLICE));
        try {
            mapping.layerGeoJson(CHICAGO, "beats", POLICE);
            fail("a deleted layer was read");
        } catch (NoSuchElementException expected) {
            // gone
        }
        try {
            mapping.deleteLayer(CHICAGO, "beats", POLICE);
            fail("a deleted layer was deleted again");
        } catch (NoSuchElementException expected) {
            // gone
        }
    }

    @Test
    public void aBadLayerNameIsRefused() {
        for (String name : new String[] {"Beats", "b", "beats!", "-beats", "police beats"}) {
            InputError error = refused(() -> mapping.saveLayer(
                    CHICAGO, new LayerFile(name, "", "beats.geojson", new ByteArrayInputStream(new byte[0])), POLICE));
            assertEquals("beats.geojson", error.source());
            assertEquals("name", error.field());
            assertTrue(error.reason(), error.reason().contains("2-40 characters"));
        }
        assertEquals(List.of(), mapping.layers(CHICAGO, POLICE));
    }

    @Test
    public void aLayerAtAnotherPlaceIsRefusedAndNotSaved() {
        Site denver = LayerReaderTest.DENVER;
        try (InputStream in = TestData.open("layers/chicago-beats.geojson")) {
            mapping.saveLayer(denver, new LayerFile("beats", "", "chicago-beats.geojson", in), POLICE);
            fail("Chicago's beats were saved at Denver");
        } catch (AccessDeniedException e) {
            // the officer is Chicago's
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Caller admin = new Caller(
                new User(3, "tta", "TTA", List.of(Grant.national(Role.TTA_ADMIN)), true, false, Instant.EPOCH), "");
        try (InputStream in = TestData.open("layers/chicago-beats.geojson")) {
            InputError error = refused(
                    () -> mapping.saveLayer(denver, new LayerFile("beats", "", "chicago-beats.geojson", in), admin));
            assertTrue(error.reason(), error.reason().contains("km away"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(List.of(), mapping.layers(denver, admin));
    }

    @Test
    public void aShapefileWithoutPrjSaysTheSystemItWasReadIn() throws IOException {
        try (InputStream in = TestData.open("layers/districts-3435-noprj.zip")) {
            Layer layer = mapping.saveLayer(
                    CHICAGO, new LayerFile("districts", "Police districts", "districts.zip", in), POLICE);
            assertEquals("Shapefile", layer.format());
            assertEquals(25, layer.polygons());
            assertEquals("EPSG:3435", layer.sourceCrs());
            assertTrue(layer.notes().toString(), layer.notes().stream().anyMatch(n -> n.contains("has no .prj")));
        }
        try (InputStream in = TestData.open("layers/districts-3435.zip")) {
            Layer layer = mapping.saveLayer(
                    CHICAGO, new LayerFile("districts", "Police districts", "districts.zip", in), POLICE);
            assertEquals("NAD_1983_StatePlane_Illinois_East_FIPS_1201_Feet", layer.sourceCrs());
        }
        assertEquals(1, mapping.layers(CHICAGO, POLICE).size());
    }

    // ------------------------------------------------------------------ counts by polygon

    @Test
    public void countsByPolygonAreTheFirstBeatHoldingEachRecord() {
        saveBeats(POLICE);
        LayerReader.Read read = LayerReader.read(
                "chicago-beats.geojson",
                TestData.open("layers/chicago-beats.geojson"),
                temp.getRoot().toPath());
        List<Shape> beats = LayerCheck.check("chicago-beats.geojson", read, CHICAGO, read.notes())
                .shapes();
        List<Geometry> geometries = new ArrayList<>();
        beats.forEach(s -> geometries.add(s.geometry()));
        PolygonIndexTest.BruteForce brute = new PolygonIndexTest.BruteForce(geometries);

        for (RecordQuery query : List.of(RecordQuery.ALL, drugs())) {
            Map<String, Long> expected = new TreeMap<>();
            long inside = 0;
            long outside = 0;
            long unlocated = 0;
            for (CrimeRecord r : store.records) {
                if (!FakeRecords.matches(r, query)) {
                    continue;
                }
                if (r.location().isEmpty()) {
                    unlocated++;
                    continue;
                }
                int p = brute.locate(
                        r.location().get().longitude(), r.location().get().latitude());
                if (p < 0) {
                    outside++;
                    continue;
                }
                inside++;
                expected.merge(
                        beats.get(p).id() + "|" + r.category() + "|"
                                + YearMonth.from(r.occurredFrom().atZone(ZONE)),
                        1L,
                        Long::sum);
            }
            PolygonCounts counts = mapping.countByPolygon(CHICAGO, "beats", query, POLICE);
            assertEquals("beats", counts.layer());
            assertEquals(inside, counts.assigned());
            assertEquals(outside, counts.outside());
            assertEquals(unlocated, counts.unlocated());
            assertEquals(UNLOCATED, counts.unlocated());
            assertTrue(outside > 0);
            Map<String, Long> actual = new TreeMap<>();
            long sum = 0;
            for (PolygonCounts.Row row : counts.rows()) {
                assertTrue(row.count() > 0);
                assertEquals(
                        beats.stream()
                                .filter(s -> s.id().equals(row.polygon()))
                                .findFirst()
                                .orElseThrow()
                                .label(),
                        row.label());
                assertEquals(null, actual.put(row.polygon() + "|" + row.category() + "|" + row.month(), row.count()));
                sum += row.count();
            }
            assertEquals(counts.assigned(), sum);
            assertEquals(expected, actual);
        }
        // the records of the first hours of a month in UTC count in the month before, Chicago's
        PolygonCounts all = mapping.countByPolygon(CHICAGO, "beats", RecordQuery.ALL, POLICE);
        assertTrue(all.rows().stream().noneMatch(r -> r.month().equals(YearMonth.of(2026, 1))));
        try {
            mapping.countByPolygon(CHICAGO, "wards", RecordQuery.ALL, POLICE);
            fail("counted by a layer that is not there");
        } catch (NoSuchElementException expected) {
            // none
        }
    }

    // ------------------------------------------------------------------ hot spots

    /** The feature of a grid whose cell holds the point. */
    static JsonNode cellHolding(JsonNode collection, double lon, double lat) {
        for (JsonNode f : collection.path("features")) {
            if (geometry(f.path("geometry")).covers(point(lon, lat))) {
                return f;
            }
        }
        return null;
    }

    @Test
    public void gridCountsEveryLocatedRecord() {
        JsonNode out = parse(mapping.hotSpots(CHICAGO, hotSpots(Method.GRID, RecordQuery.ALL), POLICE));
        assertEquals("FeatureCollection", out.path("type").asText());
        JsonNode p = out.path("parameters");
        assertEquals("grid", p.path("method").asText());
        // a hundredth of the shorter side of Chicago's box, rounded to 10 m
        LocalMetres plane = LocalMetres.about(-87.95, 41.64, -87.52, 42.03);
        double width = plane.x(-87.52, 41.64) - plane.x(-87.95, 41.64);
        double height = plane.y(42.03) - plane.y(41.64);
        double rule = Math.round(Math.min(width, height) / 100 / 10) * 10.0;
        assertEquals(rule, p.path("cellMetres").asDouble(), 0);
        assertEquals(360, rule, 0);
        assertTrue(p.path("cellRule").asText().contains("a hundredth"));
        JsonNode s = out.path("summary");
        int located = CLUSTER + BACKGROUND_DRUG + BACKGROUND_PROPERTY;
        assertEquals(located, s.path("records").asInt());
        assertEquals(UNLOCATED, s.path("unlocated").asInt());
        long total = 0;
        for (JsonNode f : out.path("features")) {
            total += f.path("properties").path("count").asLong();
        }
        assertEquals(located - s.path("outsideGrid").asLong(), total);
        assertEquals(0, s.path("outsideGrid").asLong());
        assertEquals(out.path("features").size(), s.path("cellsWithRecords").asInt());
        JsonNode hot = cellHolding(out, CLUSTER_LON, CLUSTER_LAT);
        assertNotNull(hot);
        assertEquals(
                s.path("maxPerCell").asDouble(),
                hot.path("properties").path("count").asDouble(),
                0);

        HotSpotRequest asked = new HotSpotRequest(
                RecordQuery.ALL,
                Method.GRID,
                OptionalDouble.of(250),
                OptionalDouble.empty(),
                Optional.empty(),
                Contiguity.QUEEN,
                0,
                0.05,
                1);
        JsonNode fine = parse(mapping.hotSpots(CHICAGO, asked, POLICE));
        assertEquals(250, fine.path("parameters").path("cellMetres").asDouble(), 0);
        assertEquals("as asked", fine.path("parameters").path("cellRule").asText());
        assertEquals(
                "cell",
                refused(() -> mapping.hotSpots(
                                CHICAGO,
                                new HotSpotRequest(
                                        RecordQuery.ALL,
                                        Method.GRID,
                                        OptionalDouble.of(5),
                                        OptionalDouble.empty(),
                                        Optional.empty(),
                                        Contiguity.QUEEN,
                                        0,
                                        0.05,
                                        1),
                                POLICE))
                        .field());
    }

    @Test
    public void densityPeaksAtTheCluster() {
        HotSpotRequest request = new HotSpotRequest(
                drugs(),
                Method.DENSITY,
                OptionalDouble.of(200),
                OptionalDouble.of(300),
                Optional.empty(),
                Contiguity.QUEEN,
                0,
                0.05,
                1);
        JsonNode out = parse(mapping.hotSpots(CHICAGO, request, POLICE));
        JsonNode p = out.path("parameters");
        assertEquals("density", p.path("method").asText());
        assertEquals(300, p.path("bandwidthMetres").asDouble(), 0);
        assertEquals("as asked", p.path("bandwidthRule").asText());
        assertEquals("records per square kilometre", p.path("units").asText());
        assertEquals(
                CLUSTER + BACKGROUND_DRUG, out.path("summary").path("records").asInt());
        double max = out.path("summary").path("maxPerKm2").asDouble();
        JsonNode peak = null;
        for (JsonNode f : out.path("features")) {
            double share = f.path("properties").path("share").asDouble();
            assertTrue(share > 0 && share <= 1);
            assertEquals(share * max, f.path("properties").path("perKm2").asDouble(), 1e-9 * max);
            if (share == 1.0) {
                peak = f;
            }
        }
        assertNotNull(peak);
        // the peak cell is within a cell of the cluster's centre
        Geometry cell = geometry(peak.path("geometry"));
        assertTrue(cell.isWithinDistance(point(CLUSTER_LON, CLUSTER_LAT), 0.003));
        // 400 records within about 300 m: the peak is hundreds of records per km²
        assertTrue("max " + max, max > 200 && max < 2000);

        JsonNode rule = parse(mapping.hotSpots(CHICAGO, hotSpots(Method.DENSITY, drugs()), POLICE));
        assertTrue(rule.path("parameters").path("bandwidthRule").asText().contains("Silverman"));
        assertTrue(rule.path("parameters").path("bandwidthMetres").asDouble() > 0);
    }

    @Test
    public void giStarFindsTheClusterCellHot() {
        JsonNode out = parse(mapping.hotSpots(CHICAGO, hotSpots(Method.GI_STAR, drugs()), POLICE));
        JsonNode p = out.path("parameters");
        assertEquals("gi-star", p.path("method").asText());
        assertEquals("grid cells", p.path("units").asText());
        assertEquals("queen", p.path("contiguity").asText());
        assertEquals(0, p.path("permutations").asInt());
        assertEquals("two-sided, normal distribution", p.path("pValues").asText());
        assertEquals(
                "Benjamini-Hochberg false-discovery rate", p.path("correction").asText());
        assertEquals(0.05, p.path("alpha").asDouble(), 0);
        JsonNode s = out.path("summary");
        assertTrue(s.path("hotCells").asInt() >= 1);
        JsonNode cell = cellHolding(out, CLUSTER_LON, CLUSTER_LAT);
        assertNotNull(cell);
        assertEquals("hot", cell.path("properties").path("call").asText());
        assertTrue(cell.path("properties").path("z").asDouble() > 10);
        assertTrue(cell.path("properties").path("q").asDouble() < 0.05);
        int hot = 0;
        for (JsonNode f : out.path("features")) {
            String call = f.path("properties").path("call").asText();
            hot += call.equals("hot") ? 1 : 0;
            if (call.equals("hot")) {
                // every hot cell is near the cluster: the background is even
                assertTrue(geometry(f.path("geometry")).isWithinDistance(point(CLUSTER_LON, CLUSTER_LAT), 0.02));
            }
        }
        assertEquals(s.path("hotCells").asInt(), hot);

        // Two-sided pseudo p-values are at least 2 / (permutations + 1), and the false-discovery correction multiplies
        // them by up to the number of cells; and a cell keeps its own count in the permutations, so only its
        // neighbours' counts make it significant. A small box of the West Side in 250 m cells (108 cells, the cluster
        // over several of them) and 9999 permutations can show the hot spot.
        Site westSide = new Site(
                "chicago",
                "Chicago West Side",
                "",
                ZONE,
                List.of("EPSG:3435"),
                "",
                List.of(),
                Optional.of(new Site.Bounds(-87.72, 41.85, -87.685, 41.87)));
        HotSpotRequest permuted = new HotSpotRequest(
                drugs(),
                Method.GI_STAR,
                OptionalDouble.of(250),
                OptionalDouble.empty(),
                Optional.empty(),
                Contiguity.ROOK,
                9999,
                0.05,
                42);
        String once = mapping.hotSpots(westSide, permuted, POLICE);
        assertEquals(once, mapping.hotSpots(westSide, permuted, POLICE));
        JsonNode perm = parse(once);
        assertEquals(9999, perm.path("parameters").path("permutations").asInt());
        assertEquals("rook", perm.path("parameters").path("contiguity").asText());
        assertTrue(perm.path("parameters").path("pValues").asText().contains("seed 42"));
        JsonNode permCell = cellHolding(perm, CLUSTER_LON, CLUSTER_LAT);
        assertEquals("hot", permCell.path("properties").path("call").asText());
        double cellP = permCell.path("properties").path("p").asDouble();
        // on the lattice 2k / 10000, k >= 1, and among the smallest
        assertTrue("p " + cellP, cellP >= 2.0 / 10000 && cellP <= 10.0 / 10000);
        assertEquals(Math.rint(cellP * 5000), cellP * 5000, 1e-9);
        assertEquals(
                108,
                perm.path("parameters").path("columns").asInt()
                        * perm.path("parameters").path("rows").asInt());
        int permHot = 0;
        for (JsonNode f : perm.path("features")) {
            if (f.path("properties").path("call").asText().equals("hot")) {
                permHot++;
                assertTrue(geometry(f.path("geometry")).isWithinDistance(point(CLUSTER_LON, CLUSTER_LAT), 0.01));
            }
        }
        assertEquals(perm.path("summary").path("hotCells").asInt(), permHot);
        assertTrue(permHot >= 1);

        assertEquals(
                "alpha",
                refused(() -> mapping.hotSpots(
                                CHICAGO,
                                new HotSpotRequest(
                                        drugs(),
                                        Method.GI_STAR,
                                        OptionalDouble.empty(),
                                        OptionalDouble.empty(),
                                        Optional.empty(),
                                        Contiguity.QUEEN,
                                        0,
                                        0.5,
                                        1),
                                POLICE))
                        .field());
    }

    @Test
    public void giStarOnTheBeatsLayer() {
        saveBeats(POLICE);
        HotSpotRequest request = new HotSpotRequest(
                drugs(),
                Method.GI_STAR,
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                Optional.of("beats"),
                Contiguity.QUEEN,
                0,
                0.05,
                1);
        JsonNode out = parse(mapping.hotSpots(CHICAGO, request, POLICE));
        assertEquals(
                "polygons of layer beats", out.path("parameters").path("units").asText());
        JsonNode features = out.path("features");
        assertEquals(277, features.size());
        PolygonCounts counts = mapping.countByPolygon(CHICAGO, "beats", drugs(), POLICE);
        assertEquals(counts.assigned(), out.path("summary").path("records").asLong());
        assertEquals(counts.outside(), out.path("summary").path("outsideLayer").asLong());
        assertEquals(UNLOCATED, out.path("summary").path("unlocated").asLong());
        Map<String, Long> byBeat = new HashMap<>();
        counts.rows().forEach(r -> byBeat.merge(r.polygon(), r.count(), Long::sum));
        JsonNode holding = null;
        int isolated = 0;
        for (JsonNode f : features) {
            JsonNode props = f.path("properties");
            assertEquals(f.path("id").asText(), props.path("id").asText());
            assertEquals(
                    byBeat.getOrDefault(props.path("id").asText(), 0L).longValue(),
                    props.path("count").asLong());
            isolated += props.path("neighbours").asInt() == 0 ? 1 : 0;
            if (geometry(f.path("geometry")).covers(point(CLUSTER_LON, CLUSTER_LAT))) {
                holding = f;
            }
        }
        assertEquals(out.path("summary").path("polygonsWithoutNeighbours").asInt(), isolated);
        assertNotNull(holding);
        assertEquals("hot", holding.path("properties").path("call").asText());
        assertEquals("1022", holding.path("properties").path("label").asText());
        assertTrue(holding.path("properties").path("count").asInt() >= CLUSTER);
        assertTrue(holding.path("properties").path("neighbours").asInt() >= 3);
    }

    @Test
    public void nearestNeighbourIndexOfClusteredDrugRecords() {
        JsonNode out = parse(mapping.hotSpots(CHICAGO, hotSpots(Method.NEAREST_NEIGHBOUR, drugs()), POLICE));
        assertEquals("nearest-neighbour", out.path("parameters").path("method").asText());
        assertEquals(
                "convex hull of the records",
                out.path("parameters").path("studyArea").asText());
        JsonNode s = out.path("summary");
        assertEquals(CLUSTER + BACKGROUND_DRUG, s.path("records").asInt());
        assertTrue(s.path("nearestNeighbourIndex").asDouble() < 1);
        assertTrue(s.path("z").asDouble() < -1.96);
        assertTrue(s.path("reading").asText().startsWith("clustered"));
        assertEquals(
                s.path("observedMeanMetres").asDouble()
                        / s.path("expectedMeanMetres").asDouble(),
                s.path("nearestNeighbourIndex").asDouble(),
                1e-12);
        // the hull of records spread over 0.22° x 0.28°: a little under 18.3 km x 31.1 km
        double box = 0.22 * 111_320 * Math.cos(Math.toRadians(41.84)) * 0.28 * 111_090 / 1e6;
        assertTrue(
                s.path("areaKm2").asDouble() + " of " + box, s.path("areaKm2").asDouble() > 0.9 * box);
        assertTrue(
                s.path("areaKm2").asDouble() + " of " + box, s.path("areaKm2").asDouble() < 1.005 * box);
        assertEquals(0, out.path("features").size());
        JsonNode property = parse(mapping.hotSpots(
                CHICAGO,
                hotSpots(Method.NEAREST_NEIGHBOUR, RecordQuery.ALL.categories(Set.of(Category.PROPERTY_PART_I))),
                POLICE));
        assertEquals(1.0, property.path("summary").path("nearestNeighbourIndex").asDouble(), 0.1);
    }

    @Test
    public void aFilterSelectingNothingIsRefused() {
        saveBeats(POLICE);
        RecordQuery weapons = RecordQuery.ALL.categories(Set.of(Category.WEAPONS));
        for (Method method : Method.values()) {
            InputError error = refused(() -> mapping.hotSpots(CHICAGO, hotSpots(method, weapons), POLICE));
            assertEquals(method.name(), "filter", error.field());
            assertTrue(error.reason(), error.reason().contains("selects no record with a location"));
        }
        InputError layer = refused(() -> mapping.hotSpots(
                CHICAGO,
                new HotSpotRequest(
                        weapons,
                        Method.GI_STAR,
                        OptionalDouble.empty(),
                        OptionalDouble.empty(),
                        Optional.of("beats"),
                        Contiguity.QUEEN,
                        0,
                        0.05,
                        1),
                POLICE));
        assertEquals("filter", layer.field());
        InputError areas = refused(() -> mapping.suggestAreas(CHICAGO, areaRequest(weapons, Optional.empty()), POLICE));
        assertEquals("filter", areas.field());
        // unlocated records alone are nothing to map either
        RecordQuery late = RecordQuery.ALL.between(Instant.parse("2030-01-01T00:00:00Z"), NOW.plusSeconds(1L << 32));
        assertEquals(
                "filter",
                refused(() -> mapping.hotSpots(CHICAGO, hotSpots(Method.GRID, late), POLICE))
                        .field());
    }

    @Test
    public void hotSpotsReadRecordsAsTheCaller() {
        try {
            mapping.hotSpots(CHICAGO, hotSpots(Method.GRID, RecordQuery.ALL), COMMUNITY);
            fail("a community member read the records through the map");
        } catch (AccessDeniedException expected) {
            assertEquals(List.of(), store.readers);
        }
        mapping.hotSpots(CHICAGO, hotSpots(Method.GRID, RecordQuery.ALL), POLICE);
        assertEquals(List.of("officer"), store.readers);
    }

    @Test
    public void aConfiguredComponentServesOnlyItsSite() {
        mapping.modified(config("chicago"));
        mapping.layers(CHICAGO, POLICE);
        try {
            mapping.layers(LayerReaderTest.DENVER, POLICE);
            fail("chicago's plug-in served denver");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("asked for denver"));
        }
    }

    static JtsMapping.Config config(String site) {
        return new JtsMapping.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return JtsMapping.Config.class;
            }

            @Override
            public String dmi_site() {
                return site;
            }
        };
    }

    // ------------------------------------------------------------------ suggested areas

    static AreaRequest areaRequest(RecordQuery query, Optional<String> comparisonLayer) {
        return new AreaRequest(query, OptionalDouble.of(150), 0.25, 400, comparisonLayer, 3, 0.05);
    }

    @Test
    public void suggestedTargetHoldsTheClusterWithABufferAndComparisonsApart() {
        JsonNode out = parse(mapping.suggestAreas(CHICAGO, areaRequest(drugs(), Optional.empty()), POLICE));
        JsonNode p = out.path("parameters");
        assertEquals(150, p.path("cellMetres").asDouble(), 0);
        assertEquals(400, p.path("bufferMetres").asDouble(), 0);
        assertEquals(
                "grid windows of the target's size", p.path("comparisonsFrom").asText());
        assertEquals(12, p.path("months").asInt());
        Geometry target = null;
        Geometry buffer = null;
        List<Geometry> comparisons = new ArrayList<>();
        JsonNode targetProps = null;
        for (JsonNode f : out.path("features")) {
            String role = f.path("properties").path("role").asText();
            Geometry g = geometry(f.path("geometry"));
            assertTrue(role + " " + g, g.isValid());
            switch (role) {
                case "target" -> {
                    assertEquals(null, target);
                    target = g;
                    targetProps = f.path("properties");
                }
                case "buffer" -> buffer = g;
                case "comparison" -> {
                    comparisons.add(g);
                    assertEquals(
                            comparisons.size(),
                            f.path("properties").path("rank").asInt());
                    assertTrue(f.path("properties").path("records").asLong() > 0);
                }
                default -> fail("role " + role);
            }
        }
        assertNotNull(target);
        assertNotNull(buffer);
        assertTrue(target.covers(point(CLUSTER_LON, CLUSTER_LAT)));
        // at most 0.25 km² of 150 m cells: 11 cells
        assertTrue(targetProps.path("cells").asInt() <= 11);
        assertTrue(targetProps.path("areaKm2").asDouble() <= 0.25);
        assertTrue(targetProps.path("records").asLong() > CLUSTER / 2);
        assertTrue(targetProps.path("reason").asText().contains("significant Gi* hot spots"));
        // the buffer rings the target
        assertTrue(buffer.intersection(target).getArea() < 1e-10);
        assertTrue(buffer.isWithinDistance(target, 1e-6));
        assertTrue(buffer.getArea() > target.getArea());
        assertEquals(3, comparisons.size());
        for (int i = 0; i < comparisons.size(); i++) {
            Geometry c = comparisons.get(i);
            assertFalse("comparison " + i + " touches the target", c.intersects(target));
            assertFalse("comparison " + i + " touches the buffer", c.intersects(buffer));
            for (int j = 0; j < i; j++) {
                assertFalse(c.intersects(comparisons.get(j)));
            }
        }
    }

    @Test
    public void suggestedComparisonsFromTheBeats() {
        saveBeats(POLICE);
        JsonNode out = parse(mapping.suggestAreas(CHICAGO, areaRequest(drugs(), Optional.of("beats")), POLICE));
        assertEquals(
                "layer beats", out.path("parameters").path("comparisonsFrom").asText());
        Geometry target = null;
        List<JsonNode> comparisons = new ArrayList<>();
        for (JsonNode f : out.path("features")) {
            String role = f.path("properties").path("role").asText();
            if (role.equals("target")) {
                target = geometry(f.path("geometry"));
            } else if (role.equals("comparison")) {
                comparisons.add(f);
            }
        }
        assertNotNull(target);
        assertEquals(3, comparisons.size());
        for (JsonNode c : comparisons) {
            assertFalse(c.path("properties").path("id").asText().isEmpty());
            assertFalse(c.path("properties").path("label").asText().isEmpty());
            assertFalse(geometry(c.path("geometry")).intersects(target));
        }
    }

    // ------------------------------------------------------------------ printed map

    /** Pixels of the map's frame in the grid counts' purple. */
    private static int purple(BufferedImage image) {
        int n = 0;
        for (int y = 56; y < 600 - 12; y++) {
            for (int x = 12; x < 800 - 230 - 12; x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                n += b > g + 30 && r > g + 10 ? 1 : 0;
            }
        }
        return n;
    }

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    public void printedMapIsAPngOfTheAskedSize() throws IOException {
        saveBeats(POLICE);
        JsonNode areas = parse(mapping.suggestAreas(CHICAGO, areaRequest(drugs(), Optional.empty()), POLICE));
        String target = null;
        for (JsonNode f : areas.path("features")) {
            if (f.path("properties").path("role").asText().equals("target")) {
                target = f.toString();
            }
        }
        PrintRequest request = new PrintRequest(
                "Drug hot spots",
                List.of("beats"),
                List.of(new PrintRequest.NamedArea("Target area", target)),
                Optional.of(hotSpots(Method.GI_STAR, drugs())),
                800,
                600);
        byte[] png = mapping.printMap(CHICAGO, request, POLICE);
        assertArrayEquals(PNG, java.util.Arrays.copyOf(png, 8));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image);
        assertEquals(800, image.getWidth());
        assertEquals(600, image.getHeight());
        // not blank: the title, the beats' outlines and the target in its red
        int targetRed = 0;
        Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < 600; y++) {
            for (int x = 0; x < 800; x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                // in the map's frame (the legend has a swatch of the same red)
                boolean inMap = x > 12 && x < 800 - 230 - 12 && y > 56 && y < 600 - 12;
                targetRed += inMap && rgb == 0xC0392B ? 1 : 0;
            }
        }
        assertTrue(colours.size() > 20);
        assertTrue("target outline pixels " + targetRed, targetRed > 50);

        // grid counts are shaded too, the busiest darkest (in the hot-spot purple)
        PrintRequest grid = new PrintRequest(
                "Drug records per cell",
                List.of("beats"),
                List.of(),
                Optional.of(hotSpots(Method.GRID, drugs())),
                800,
                600);
        PrintRequest plain = new PrintRequest("Beats", List.of("beats"), List.of(), Optional.empty(), 800, 600);
        int shaded = purple(ImageIO.read(new ByteArrayInputStream(mapping.printMap(CHICAGO, grid, POLICE))));
        assertTrue("shaded pixels " + shaded, shaded > 10);
        assertEquals(0, purple(ImageIO.read(new ByteArrayInputStream(mapping.printMap(CHICAGO, plain, POLICE)))));

        // the whole city, for a community member: layers only, no records read
        PrintRequest base = new PrintRequest("", List.of("beats"), List.of(), Optional.empty(), 1200, 900);
        BufferedImage city = ImageIO.read(new ByteArrayInputStream(mapping.printMap(CHICAGO, base, COMMUNITY)));
        assertEquals(1200, city.getWidth());
        assertEquals(900, city.getHeight());

        assertEquals(
                "size",
                refused(() -> mapping.printMap(
                                CHICAGO,
                                new PrintRequest("", List.of("beats"), List.of(), Optional.empty(), 100, 100),
                                POLICE))
                        .field());
        assertEquals(
                "Target area",
                refused(() -> mapping.printMap(
                                CHICAGO,
                                new PrintRequest(
                                        "",
                                        List.of(),
                                        List.of(new PrintRequest.NamedArea("Target area", "{\"type\": \"Point\"}")),
                                        Optional.empty(),
                                        800,
                                        600),
                                POLICE))
                        .field());
    }
}
