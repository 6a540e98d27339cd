package org.dmiplatform.mapping.jts.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.locationtech.jts.algorithm.distance.DiscreteHausdorffDistance;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/** Reading GeoJSON, KML and zipped shapefiles, and checking a layer against its site. */
public class LayerReaderTest {
    static final Site CHICAGO = new Site(
            "chicago",
            "Chicago",
            "",
            ZoneId.of("America/Chicago"),
            List.of("EPSG:3435", "EPSG:4326"),
            "",
            List.of(),
            Optional.of(new Site.Bounds(-87.95, 41.64, -87.52, 42.03)));

    static final Site DENVER = new Site(
            "denver",
            "Denver",
            "",
            ZoneId.of("America/Denver"),
            List.of("EPSG:2232", "EPSG:4326"),
            "",
            List.of(),
            Optional.of(new Site.Bounds(-105.11, 39.61, -104.60, 39.91)));

    /** Chicago's box, but records only in longitude/latitude. */
    static final Site CHICAGO_WGS84_ONLY = new Site(
            "chicago",
            "Chicago",
            "",
            ZoneId.of("America/Chicago"),
            List.of("EPSG:4326"),
            "",
            List.of(),
            Optional.of(new Site.Bounds(-87.95, 41.64, -87.52, 42.03)));

    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private LayerReader.Read read(String fileName, byte[] content) {
        return LayerReader.read(
                fileName, new ByteArrayInputStream(content), temp.getRoot().toPath());
    }

    private LayerReader.Read read(String fileName, String content) {
        return read(fileName, content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Shape> check(String fileName, LayerReader.Read read, Site site) {
        return LayerCheck.check(fileName, read, site, read.notes()).shapes();
    }

    /** The single error of a refusal. */
    private static InputError refused(Runnable r) {
        try {
            r.run();
        } catch (InvalidInputException e) {
            assertEquals(e.getMessage(), 1, e.errors().size());
            return e.errors().get(0);
        }
        fail("not refused");
        return null;
    }

    private static void assertSays(InputError error, String... parts) {
        for (String part : parts) {
            assertTrue(
                    "'" + error.reason() + "' does not say '" + part + "'",
                    error.reason().toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT)));
        }
    }

    // ------------------------------------------------------------------ GeoJSON

    @Test
    public void chicagoBeatsReadAndPassAtChicago() throws IOException {
        byte[] bytes = TestData.bytes("layers/chicago-beats.geojson");
        LayerReader.Read read = read("chicago-beats.geojson", bytes);
        assertEquals("GeoJSON", read.format());
        assertEquals(277, read.shapes().size());
        assertTrue(read.crs().isWgs84());
        assertFalse(read.crsDeclared());
        for (Shape s : read.shapes()) {
            assertTrue(s.geometry() instanceof Polygon);
        }
        List<Shape> shapes = check("chicago-beats.geojson", read, CHICAGO);
        assertEquals(277, shapes.size());
        assertEquals(
                List.of("BEAT_NUM repeats on several polygons (3100), so it is not their id; each polygon is counted on"
                        + " its own"),
                read.notes());
        JsonNode features = JSON.readTree(bytes).path("features");
        // BEAT_NUM 3100 (district 31) is on three features, so BEAT_NUM is no id: the
        // features' own GeoJSON ids are, and BEAT_NUM is the label
        Map<String, Integer> beatNums = new HashMap<>();
        for (JsonNode f : features) {
            beatNums.merge(f.path("properties").path("BEAT_NUM").asText(), 1, Integer::sum);
        }
        assertEquals(Integer.valueOf(3), beatNums.get("3100"));
        assertEquals(275, beatNums.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < shapes.size(); i++) {
            Shape s = shapes.get(i);
            String beat = features.get(i).path("properties").path("BEAT_NUM").asText();
            assertEquals(features.get(i).path("id").asText(), s.id());
            assertEquals(beat, s.label());
            assertTrue(ids.add(s.id()));
            assertTrue(s.geometry().isValid());
            // the features come one a line in this file: the shape says where
            assertEquals(1, s.line());
        }
        assertEquals("0", shapes.get(0).id());
        assertEquals("1713", shapes.get(0).label());
    }

    @Test
    public void aSiteWithoutBoundsTakesTheLayerAndSaysItWasNotChecked() {
        Site nowhere = new Site(
                "somewhere",
                "Somewhere",
                "",
                java.time.ZoneId.of("America/Chicago"),
                List.of(),
                "",
                List.of(),
                java.util.Optional.empty());
        LayerReader.Read read = read("chicago-beats.geojson", TestData.bytes("layers/chicago-beats.geojson"));
        assertEquals(277, check("chicago-beats.geojson", read, nowhere).size());
        assertTrue(
                read.notes().toString(),
                read.notes().stream()
                        .anyMatch(n -> n.startsWith(
                                "the site has no bounds set, so the layer could not be checked against its area")));
    }

    @Test
    public void beatsWithUniqueBeatNumbersAreKeyedByThem() throws IOException {
        // the beats less two of the three parts of 3100: BEAT_NUM is unique, so it is the id
        JsonNode root = JSON.readTree(TestData.bytes("layers/chicago-beats.geojson"));
        ArrayNode features = (ArrayNode) root.path("features");
        boolean first = true;
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i).path("properties").path("BEAT_NUM").asText().equals("3100")) {
                if (!first) {
                    features.remove(i--);
                }
                first = false;
            }
        }
        assertEquals(275, features.size());
        LayerReader.Read read = read("beats.geojson", JSON.writeValueAsBytes(root));
        List<Shape> shapes = check("beats.geojson", read, CHICAGO);
        assertEquals(275, shapes.size());
        for (int i = 0; i < shapes.size(); i++) {
            String beat = features.get(i).path("properties").path("BEAT_NUM").asText();
            assertEquals(beat, shapes.get(i).id());
            assertEquals(beat, shapes.get(i).label());
        }
        assertEquals("1713", shapes.get(0).id());
        // without any unique property the polygons are numbered, and the note says so
        for (JsonNode f : features) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) f).remove("id");
            ((com.fasterxml.jackson.databind.node.ObjectNode) f.path("properties")).put("BEAT_NUM", "1");
        }
        LayerReader.Read numbered = read("numbered.geojson", JSON.writeValueAsBytes(root));
        List<Shape> n = check("numbered.geojson", numbered, CHICAGO);
        assertEquals("1", n.get(0).id());
        assertEquals("275", n.get(274).id());
        assertTrue(
                numbered.notes().toString(),
                numbered.notes()
                        .contains(
                                "no property is a unique id of every polygon; polygons are numbered 1, 2, ... in file order"));
    }

    @Test
    public void chicagoBeatsAreRefusedAtDenver() {
        LayerReader.Read read = read("chicago-beats.geojson", TestData.bytes("layers/chicago-beats.geojson"));
        InputError error = refused(() -> check("chicago-beats.geojson", read, DENVER));
        assertEquals("chicago-beats.geojson", error.source());
        assertEquals("coordinates", error.field());
        assertSays(error, "277 of 277 polygons lie outside Denver's area", "km away");
        Matcher km = Pattern.compile("([0-9]+) km away").matcher(error.reason());
        assertTrue(km.find());
        // Chicago's beats to Denver's box centre: about 1480 km on the great circle
        Envelope e = LayerCheck.envelope(read.shapes());
        double expected = haversineKm(e.centre().y, e.centre().x, 39.76, -104.855);
        assertEquals(expected, Double.parseDouble(km.group(1)), 1.0);
        assertTrue(expected > 1400 && expected < 1550);
    }

    static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double a = Math.pow(Math.sin((p2 - p1) / 2), 2)
                + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(Math.toRadians(lon2 - lon1) / 2), 2);
        return 2 * 6371.0 * Math.asin(Math.sqrt(a));
    }

    @Test
    public void latitudeLongitudeOrderIsNamed() throws IOException {
        JsonNode root = JSON.readTree(TestData.bytes("layers/chicago-beats.geojson"));
        for (JsonNode feature : root.path("features")) {
            for (JsonNode ring : feature.path("geometry").path("coordinates")) {
                for (JsonNode position : ring) {
                    ArrayNode p = (ArrayNode) position;
                    JsonNode lon = p.get(0);
                    p.set(0, p.get(1));
                    p.set(1, lon);
                }
            }
        }
        LayerReader.Read read = read("swapped.geojson", JSON.writeValueAsBytes(root));
        assertEquals(277, read.shapes().size());
        InputError error = refused(() -> check("swapped.geojson", read, CHICAGO));
        assertSays(error, "latitude, longitude order", "swap them");
    }

    static final String HEAD = "{\"type\": \"FeatureCollection\", \"features\": [\n";

    /** A GeoJSON polygon feature of one ring, in thousandths of a degree from (-87.70, 41.88). */
    static String feature(String name, double[][] ring) {
        StringBuilder s = new StringBuilder("{\"type\": \"Feature\", \"properties\": {\"name\": \"" + name + "\"}, "
                + "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[");
        for (int i = 0; i < ring.length; i++) {
            s.append(i == 0 ? "" : ", ")
                    .append(String.format(
                            Locale.ROOT, "[%.6f, %.6f]", -87.70 + ring[i][0] / 1000, 41.88 + ring[i][1] / 1000));
        }
        return s.append("]]}}").toString();
    }

    static final double[][] SQUARE = {{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};

    @Test
    public void emptyFeatureCollectionHoldsNoPolygon() {
        LayerReader.Read read = read("empty.geojson", "{\"type\": \"FeatureCollection\", \"features\": []}");
        assertEquals(0, read.shapes().size());
        InputError error = refused(() -> check("empty.geojson", read, CHICAGO));
        assertSays(error, "holds no polygon");
        // a layer of points only says why
        LayerReader.Read points = read(
                "points.geojson",
                HEAD + "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Point\", "
                        + "\"coordinates\": [-87.6, 41.8]}}\n]}");
        InputError none = refused(() -> check("points.geojson", points, CHICAGO));
        assertSays(none, "holds no polygon", "1 feature(s) that are not polygons");
    }

    @Test
    public void aBowTieIsRefusedNamingItsLine() {
        String text = HEAD + feature("square", SQUARE) + ",\n"
                + feature("bow-tie", new double[][] {{20, 0}, {30, 10}, {30, 0}, {20, 10}, {20, 0}}) + "\n]}";
        LayerReader.Read read = read("bowtie.geojson", text);
        assertEquals(2, read.shapes().size());
        assertEquals(2, read.shapes().get(0).line());
        assertEquals(3, read.shapes().get(1).line());
        InputError error = refused(() -> check("bowtie.geojson", read, CHICAGO));
        assertEquals("bowtie.geojson", error.source());
        assertEquals(3, error.line());
        assertEquals("geometry", error.field());
        assertSays(error, "self-intersection", "more than 1%", "fix it in the source");
    }

    @Test
    public void aTinySelfIntersectionIsRepairedAndNoted() {
        // the last edge crosses the first one a tenth of a unit from the corner: a sliver of 0.005 of 99.5
        double[][] twisted = {{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0.1, -0.1}, {0, 0}};
        String text = HEAD + feature("square", SQUARE) + ",\n" + feature("twisted", twisted) + "\n]}";
        LayerReader.Read read = read("twisted.geojson", text);
        Geometry before = read.shapes().get(1).geometry().copy();
        assertFalse(before.isValid());
        List<Shape> shapes = check("twisted.geojson", read, CHICAGO);
        assertEquals(2, shapes.size());
        Geometry after = shapes.get(1).geometry();
        assertTrue(after.isValid());
        double shoelace = Math.abs(org.locationtech.jts.algorithm.Area.ofRingSigned(before.getCoordinates()));
        assertEquals(shoelace, after.getArea(), 0.01 * shoelace);
        assertEquals(99.5e-6, shoelace, 1e-12);
        assertEquals("square", shapes.get(0).id());
        assertEquals("twisted", shapes.get(1).id());
        assertTrue(
                read.notes().toString(),
                read.notes().stream()
                        .anyMatch(n -> n.startsWith("line 3: ")
                                && n.toLowerCase(Locale.ROOT).contains("self-intersection")
                                && n.contains("repaired (area kept within 1%)")));
    }

    @Test
    public void anUnclosedRingIsClosedAndNoted() {
        String text = HEAD + feature("open", new double[][] {{0, 0}, {10, 0}, {10, 10}, {0, 10}}) + "\n]}";
        LayerReader.Read read = read("open.geojson", text);
        assertEquals(List.of("line 2: a ring that did not end where it started was closed"), read.notes());
        Polygon p = (Polygon) read.shapes().get(0).geometry();
        assertEquals(5, p.getExteriorRing().getNumPoints());
        assertTrue(p.getExteriorRing().isClosed());
        List<Shape> shapes = check("open.geojson", read, CHICAGO);
        assertEquals(1e-4, shapes.get(0).geometry().getArea(), 1e-12);
    }

    @Test
    public void malformedJsonNamesTheLine() {
        String text = HEAD + feature("a", SQUARE) + ",\n"
                + feature("b", SQUARE).replace("\"type\": \"Polygon\",", "\"type\": \"Polygon\"") + "\n]}";
        InputError error = refused(() -> read("bad.geojson", text));
        assertEquals("bad.geojson", error.source());
        assertEquals(3, error.line());
        assertSays(error, "is not valid JSON");
        InputError cut = refused(() -> read("cut.geojson", HEAD + feature("a", SQUARE) + ",\n{\"type\": "));
        assertEquals(3, cut.line());
        assertSays(cut, "is not valid JSON");
    }

    @Test
    public void notAFeatureCollectionIsRefused() {
        assertSays(
                refused(() -> read(
                        "one.geojson",
                        "{\"type\": \"Polygon\", \"coordinates\": [[[-87.7, 41.8], [-87.6, 41.8], [-87.6, 41.9], "
                                + "[-87.7, 41.8]]]}")),
                "must be a GeoJSON FeatureCollection");
        assertSays(refused(() -> read("list.geojson", "[1, 2]")), "is not a GeoJSON object");
        assertSays(
                refused(() -> read("few.geojson", HEAD + feature("few", new double[][] {{0, 0}, {1, 1}}) + "\n]}")),
                "at least four positions");
        assertSays(
                refused(() -> read(
                        "text.geojson",
                        HEAD + feature("t", SQUARE).replace("[-87.700000, 41.880000]", "[\"x\", 41.88]") + "\n]}")),
                "pair of numbers");
        assertSays(
                refused(() -> read(
                        "bad.crs.geojson",
                        "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\","
                                + " \"properties\": {\"name\": \"EPSG:12345678\"}}, \"features\": []}")),
                "not a coordinate system in the EPSG table");
    }

    @Test
    public void fileNamesSayTheFormat() {
        assertSays(refused(() -> read("beats.shp", new byte[10])), "several files", ".zip");
        assertSays(refused(() -> read("beats.kmz", new byte[10])), "KMZ is not read");
        assertSays(refused(() -> read("beats.csv", new byte[10])), "must end in .geojson, .json, .kml or .zip");
    }

    @Test
    public void aGeoJsonInStatePlaneFeetIsReprojected() {
        // a 1000 ft square around downtown, declared in EPSG:3435
        String text = "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
                + "{\"name\": \"urn:ogc:def:crs:EPSG::3435\"}}, \"features\": [\n"
                + "{\"type\": \"Feature\", \"properties\": {\"BEAT_NUM\": \"0111\"}, \"geometry\": "
                + "{\"type\": \"Polygon\", \"coordinates\": [[[1176000, 1898000], [1177000, 1898000], "
                + "[1177000, 1899000], [1176000, 1899000], [1176000, 1898000]]]}}\n]}";
        LayerReader.Read read = read("feet.geojson", text);
        assertTrue(read.crsDeclared());
        assertEquals("EPSG:3435", read.crs().name);
        List<Shape> shapes = check("feet.geojson", read, CHICAGO);
        assertEquals("0111", shapes.get(0).id());
        Coordinate c = shapes.get(0).geometry().getCentroid().getCoordinate();
        Coordinate expected = CrsTest.lonLat(Crs.epsg("EPSG:3435"), 1176500, 1898500);
        assertEquals(expected.x, c.x, 1e-6);
        assertEquals(expected.y, c.y, 1e-6);
        assertEquals(-87.628, c.x, 0.01);
        assertEquals(41.877, c.y, 0.01);
    }

    // ------------------------------------------------------------------ KML

    static final String KML = String.join(
            "\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<kml xmlns=\"http://www.opengis.net/kml/2.2\">",
            "<Document>",
            "  <name>Test areas</name>",
            "  <Schema name=\"areas\" id=\"areas\"><SimpleField name=\"AREA_ID\" type=\"string\"/></Schema>",
            "  <Placemark>",
            "    <name>Square</name>",
            "    <ExtendedData><Data name=\"AREA_ID\"><value>A1</value></Data>"
                    + "<Data name=\"ward\"><value>27</value></Data></ExtendedData>",
            "    <Polygon><outerBoundaryIs><LinearRing><coordinates>",
            "      -87.70,41.88,0 -87.69,41.88,0 -87.69,41.89,0 -87.70,41.89,0 -87.70,41.88,0",
            "    </coordinates></LinearRing></outerBoundaryIs></Polygon>",
            "  </Placemark>",
            "  <Placemark>",
            "    <name>With hole</name>",
            "    <ExtendedData><SchemaData schemaUrl=\"#areas\"><SimpleData name=\"AREA_ID\">A2</SimpleData>"
                    + "</SchemaData></ExtendedData>",
            "    <Polygon>",
            "      <outerBoundaryIs><LinearRing><coordinates>-87.66,41.85 -87.64,41.85 -87.64,41.87 -87.66,41.87"
                    + " -87.66,41.85</coordinates></LinearRing></outerBoundaryIs>",
            "      <innerBoundaryIs><LinearRing><coordinates>-87.655,41.855 -87.655,41.865 -87.645,41.865"
                    + " -87.645,41.855 -87.655,41.855</coordinates></LinearRing></innerBoundaryIs>",
            "    </Polygon>",
            "  </Placemark>",
            "  <Placemark>",
            "    <name>Two parts</name>",
            "    <ExtendedData><Data name=\"AREA_ID\"><value>A3</value></Data></ExtendedData>",
            "    <MultiGeometry>",
            "      <Polygon><outerBoundaryIs><LinearRing><coordinates>-87.62,41.80 -87.61,41.80 -87.61,41.81"
                    + " -87.62,41.81 -87.62,41.80</coordinates></LinearRing></outerBoundaryIs></Polygon>",
            "      <Polygon><outerBoundaryIs><LinearRing><coordinates>-87.60,41.80 -87.59,41.80 -87.59,41.81"
                    + " -87.60,41.81 -87.60,41.80</coordinates></LinearRing></outerBoundaryIs></Polygon>",
            "    </MultiGeometry>",
            "  </Placemark>",
            "  <Placemark>",
            "    <name>A station</name>",
            "    <Point><coordinates>-87.63,41.88,0</coordinates></Point>",
            "  </Placemark>",
            "</Document>",
            "</kml>",
            "");

    @Test
    public void kmlPlacemarksWithHolesMultiGeometryAndData() {
        LayerReader.Read read = read("areas.kml", KML);
        assertEquals("KML", read.format());
        assertTrue(read.crs().isWgs84());
        assertTrue(read.crsDeclared());
        assertEquals(3, read.shapes().size());
        assertEquals(List.of("1 feature(s) that are not polygons (points or lines) were left out"), read.notes());

        Shape square = read.shapes().get(0);
        assertEquals(6, square.line());
        assertEquals("Square", square.properties().get("name"));
        assertEquals("A1", square.properties().get("AREA_ID"));
        assertEquals("27", square.properties().get("ward"));
        assertTrue(square.geometry() instanceof Polygon);
        assertEquals(1e-4, square.geometry().getArea(), 1e-12);
        assertEquals(
                new Envelope(-87.70, -87.69, 41.88, 41.89), square.geometry().getEnvelopeInternal());

        Shape hole = read.shapes().get(1);
        assertEquals(13, hole.line());
        assertEquals("A2", hole.properties().get("AREA_ID"));
        Polygon withHole = (Polygon) hole.geometry();
        assertEquals(1, withHole.getNumInteriorRing());
        assertEquals(4e-4 - 1e-4, withHole.getArea(), 1e-12);

        Shape two = read.shapes().get(2);
        assertEquals("A3", two.properties().get("AREA_ID"));
        assertTrue(two.geometry() instanceof MultiPolygon);
        assertEquals(2, two.geometry().getNumGeometries());
        assertEquals(2e-4, two.geometry().getArea(), 1e-12);

        List<Shape> shapes = check("areas.kml", read, CHICAGO);
        assertEquals(
                List.of("Square", "With hole", "Two parts"),
                shapes.stream().map(Shape::id).toList());
        assertEquals(
                List.of("Square", "With hole", "Two parts"),
                shapes.stream().map(Shape::label).toList());
        assertFalse(new org.locationtech.jts.geom.GeometryFactory()
                .createPoint(new Coordinate(-87.65, 41.86))
                .within(shapes.get(1).geometry()));
    }

    @Test
    public void malformedXmlNamesTheLine() {
        String text = String.join(
                "\n",
                "<?xml version=\"1.0\"?>",
                "<kml xmlns=\"http://www.opengis.net/kml/2.2\">",
                "<Document>",
                "  <Placemark><name>a</nam></Placemark>",
                "</Document>",
                "</kml>");
        InputError error = refused(() -> read("bad.kml", text));
        assertEquals("bad.kml", error.source());
        assertEquals(4, error.line());
        assertSays(error, "is not well-formed XML");
        InputError cut = refused(
                () -> read("cut.kml", KML.substring(0, KML.indexOf("<Placemark>", KML.indexOf("<Placemark>") + 1))));
        assertSays(cut, "is not well-formed XML");
        assertTrue(cut.line() >= 12);
        assertSays(refused(() -> read("gpx.kml", "<?xml version=\"1.0\"?>\n<gpx></gpx>\n")), "is not KML");
        InputError noShell = refused(() -> read(
                "noshell.kml",
                "<kml>\n<Placemark>\n<Polygon>\n<innerBoundaryIs><LinearRing><coordinates>-87.6,41.8 -87.5,41.8 "
                        + "-87.5,41.9 -87.6,41.8</coordinates></LinearRing></innerBoundaryIs>\n</Polygon>\n"
                        + "</Placemark>\n</kml>"));
        assertEquals(5, noShell.line());
        assertSays(noShell, "no outerBoundaryIs");
    }

    // ------------------------------------------------------------------ zipped shapefiles

    /** The districts as GeoJSON, read and checked, in file order. */
    private List<Shape> geoJsonDistricts() {
        LayerReader.Read read = read("chicago-districts.geojson", TestData.bytes("layers/chicago-districts.geojson"));
        List<Shape> out = check("chicago-districts.geojson", read, CHICAGO);
        assertEquals(25, out.size());
        return out;
    }

    /**
     * The shapefile's districts are the GeoJSON's, in the same order: every vertex is a vertex of the same GeoJSON
     * district (the shapefiles were simplified before reprojecting), each district lies within 0.00005° (the
     * simplification) of the original, and the layer's box is the original's.
     */
    private static double assertSameDistricts(List<Shape> expected, List<Shape> actual) {
        assertEquals(25, actual.size());
        double worst = 0;
        Envelope all = new Envelope();
        Envelope allExpected = new Envelope();
        for (int i = 0; i < actual.size(); i++) {
            Shape s = actual.get(i);
            assertEquals(
                    expected.get(i).properties().get("DIST_NUM"), s.properties().get("DIST_NUM"));
            Geometry original = expected.get(i).geometry();
            assertNotNull("district " + s.id(), original);
            Coordinate[] originals = original.getCoordinates();
            for (Coordinate c : s.geometry().getCoordinates()) {
                double best = Double.POSITIVE_INFINITY;
                for (Coordinate o : originals) {
                    best = Math.min(best, c.distance(o));
                }
                worst = Math.max(worst, best);
                assertTrue(
                        "district " + s.id() + " vertex " + c + " is " + best + "° from every original", best < 1e-8);
            }
            assertTrue(
                    "district " + s.id(), DiscreteHausdorffDistance.distance(original, s.geometry()) < 0.00005 + 1e-7);
            all.expandToInclude(s.geometry().getEnvelopeInternal());
            allExpected.expandToInclude(original.getEnvelopeInternal());
        }
        assertEquals(allExpected.getMinX(), all.getMinX(), 1e-6);
        assertEquals(allExpected.getMaxX(), all.getMaxX(), 1e-6);
        assertEquals(allExpected.getMinY(), all.getMinY(), 1e-6);
        assertEquals(allExpected.getMaxY(), all.getMaxY(), 1e-6);
        return worst;
    }

    @Test
    public void shapefileInStatePlaneFeetWithItsPrj() {
        LayerReader.Read read = read("districts-3435.zip", TestData.bytes("layers/districts-3435.zip"));
        assertEquals("Shapefile", read.format());
        assertTrue(read.crsDeclared());
        assertEquals("NAD_1983_StatePlane_Illinois_East_FIPS_1201_Feet", read.crs().name);
        assertEquals(25, read.shapes().size());
        assertEquals(1, read.shapes().get(0).line());
        assertEquals("17", read.shapes().get(0).properties().get("DIST_NUM"));
        assertEquals("17TH", read.shapes().get(0).properties().get("DIST_LABEL"));
        // in feet until checked
        assertTrue(read.shapes().get(0).geometry().getEnvelopeInternal().getMinX() > 1_000_000);
        List<Shape> shapes = check("districts-3435.zip", read, CHICAGO);
        // DIST_NUM 31 is on three features and the .dbf has no other id: the polygons are numbered
        assertEquals("1", shapes.get(0).id());
        assertEquals("17TH", shapes.get(0).label());
        assertEquals("25", shapes.get(24).id());
        assertTrue(
                read.notes().toString(),
                read.notes()
                        .contains(
                                "no property is a unique id of every polygon; polygons are numbered 1, 2, ... in file order"));
        double worst = assertSameDistricts(geoJsonDistricts(), shapes);
        System.out.println("EPSG:3435 shapefile: largest distance of a vertex to the GeoJSON's " + worst + "°");
    }

    @Test
    public void shapefileInWebMercatorWithItsPrj() {
        LayerReader.Read read = read("districts-3857.zip", TestData.bytes("layers/districts-3857.zip"));
        assertEquals("Shapefile", read.format());
        assertEquals("WGS_1984_Web_Mercator_Auxiliary_Sphere", read.crs().name);
        List<Shape> shapes = check("districts-3857.zip", read, CHICAGO);
        double worst = assertSameDistricts(geoJsonDistricts(), shapes);
        System.out.println("EPSG:3857 shapefile: largest distance of a vertex to the GeoJSON's " + worst + "°");
        // the same vertices as the state-plane shapefile
        LayerReader.Read feet = read("districts-3435.zip", TestData.bytes("layers/districts-3435.zip"));
        List<Shape> other = check("districts-3435.zip", feet, CHICAGO);
        for (int i = 0; i < shapes.size(); i++) {
            Coordinate[] a = shapes.get(i).geometry().getCoordinates();
            Coordinate[] b = other.get(i).geometry().getCoordinates();
            assertEquals(a.length, b.length);
            for (int k = 0; k < a.length; k++) {
                assertEquals(b[k].x, a[k].x, 1e-8);
                assertEquals(b[k].y, a[k].y, 1e-8);
            }
        }
    }

    @Test
    public void shapefileWithoutPrjIsPlacedByTheSitesSourceCrs() {
        LayerReader.Read read = read("districts-3435-noprj.zip", TestData.bytes("layers/districts-3435-noprj.zip"));
        assertEquals("Shapefile", read.format());
        assertFalse(read.crsDeclared());
        LayerCheck.Checked checked = LayerCheck.check("districts-3435-noprj.zip", read, CHICAGO, read.notes());
        assertEquals("EPSG:3435", checked.crs().name);
        List<Shape> shapes = checked.shapes();
        assertTrue(
                read.notes().toString(),
                read.notes()
                        .contains("the shapefile has no .prj; it was read in EPSG:3435, the site's source coordinate"
                                + " system, which places it at the site"));
        assertSameDistricts(geoJsonDistricts(), shapes);

        LayerReader.Read again = read("districts-3435-noprj.zip", TestData.bytes("layers/districts-3435-noprj.zip"));
        InputError error = refused(() -> check("districts-3435-noprj.zip", again, CHICAGO_WGS84_ONLY));
        assertSays(
                error, "has no .prj", "not longitude/latitude nor in a coordinate system of the site", "add its .prj");
        // and Denver's state plane does not place Chicago's feet in Denver
        LayerReader.Read denver = read("districts-3435-noprj.zip", TestData.bytes("layers/districts-3435-noprj.zip"));
        assertSays(refused(() -> check("districts-3435-noprj.zip", denver, DENVER)), "has no .prj");
    }

    /** The entries of a zip, by name. */
    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    public void theCodePageOfACpgIsReadAsWindowsToolsWriteIt() throws IOException {
        Map<String, byte[]> files = unzip(TestData.bytes("layers/districts-3435.zip"));
        Map<String, byte[]> ansi = new java.util.LinkedHashMap<>(files);
        ansi.put("districts.cpg", "ANSI 1252\r\n".getBytes(StandardCharsets.US_ASCII));
        LayerReader.Read read = read("ansi.zip", bytes(ansi));
        assertEquals(25, read.shapes().size());
        assertTrue(read.notes().toString(), read.notes().stream().noneMatch(n -> n.contains("code page")));
        Map<String, byte[]> unknown = new java.util.LinkedHashMap<>(files);
        unknown.put("districts.cpg", "KLINGON-9".getBytes(StandardCharsets.US_ASCII));
        LayerReader.Read guessed = read("unknown.zip", bytes(unknown));
        assertEquals(25, guessed.shapes().size());
        assertTrue(
                guessed.notes().toString(),
                guessed.notes()
                        .contains(
                                "the .cpg names the code page 'KLINGON-9', which is not known here; the .dbf's own was used"));
        Map<String, byte[]> hugePrj = new java.util.LinkedHashMap<>(files);
        hugePrj.put("districts.prj", new byte[70_000]);
        assertSays(refused(() -> read("hugeprj.zip", bytes(hugePrj))), "is larger than 64 KB");
    }

    @Test
    public void zipsWithoutOrWithTwoShapefilesAreRefused() throws IOException {
        Map<String, byte[]> files = unzip(TestData.bytes("layers/districts-3435.zip"));
        assertEquals(
                Set.of("districts.shp", "districts.shx", "districts.dbf", "districts.prj", "districts.cpg"),
                files.keySet());

        Map<String, byte[]> noShp = new java.util.LinkedHashMap<>(files);
        noShp.remove("districts.shp");
        assertSays(refused(() -> read("noshp.zip", bytes(noShp))), "holds no .shp");

        Map<String, byte[]> two = new java.util.LinkedHashMap<>(files);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            two.put("more/beats2" + e.getKey().substring(e.getKey().indexOf('.')), e.getValue());
        }
        assertSays(refused(() -> read("two.zip", bytes(two))), "holds 2 shapefiles", "one layer per .zip");

        Map<String, byte[]> noDbf = new java.util.LinkedHashMap<>(files);
        noDbf.remove("districts.dbf");
        assertSays(refused(() -> read("nodbf.zip", bytes(noDbf))), "has districts.shp but no districts.dbf");

        // a folder inside the zip and macOS's resource forks are fine
        Map<String, byte[]> nested = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            nested.put("Police Districts/" + e.getKey(), e.getValue());
            nested.put("__MACOSX/Police Districts/._" + e.getKey(), new byte[] {0, 5, 22, 7});
        }
        LayerReader.Read read = read("nested.zip", bytes(nested));
        assertEquals(25, read.shapes().size());
        assertEquals("NAD_1983_StatePlane_Illinois_East_FIPS_1201_Feet", read.crs().name);

        assertSays(refused(() -> read("text.zip", "not a zip at all")), "holds no .shp");

        Map<String, byte[]> badPrj = new java.util.LinkedHashMap<>(files);
        badPrj.put("districts.prj", CrsTest.ILLINOIS_EAST_NAD27.getBytes(StandardCharsets.ISO_8859_1));
        InputError nad27 = refused(() -> read("nad27.zip", bytes(badPrj)));
        assertEquals("districts.prj", nad27.field());
        assertSays(nad27, "NAD27");
    }

    private static byte[] bytes(Map<String, byte[]> entries) {
        try {
            return zip(entries);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void scratchFilesAreRemoved() throws IOException {
        read("districts-3435.zip", TestData.bytes("layers/districts-3435.zip"));
        try (var files = java.nio.file.Files.list(temp.getRoot().toPath())) {
            assertEquals(List.of(), files.toList());
        }
    }
}
