package org.dmiplatform.mapping.jts.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.h2gis.functions.io.dbf.internal.DbaseFileReader;
import org.h2gis.functions.io.shp.internal.IndexFile;
import org.h2gis.functions.io.shp.internal.ShapefileReader;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;

/**
 * Reads a boundary layer file into its polygon features, in the file's own coordinates, with the coordinate system
 * the file declares: GeoJSON through Jackson's streaming parser (one feature in memory at a time), KML through the
 * JDK's StAX reader (no DTDs, no external entities), a zipped shapefile through H2GIS's shapefile and dBase readers
 * with its {@code .prj} and {@code .cpg}. Features that are not polygons are left out and counted in the notes.
 */
final class LayerReader {
    static final long MAX_UNZIPPED_BYTES = 256L << 20;
    /** The most polygon features one layer may hold (a large county's census blocks are about 100,000). */
    static final int MAX_FEATURES = 200_000;
    /** The most vertices one layer may hold, all features together. */
    static final long MAX_VERTICES = 5_000_000;
    /** The largest .prj or .cpg read. */
    static final long MAX_SIDE_FILE = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    static final GeometryFactory GEOMETRY = new GeometryFactory();

    /** What a file held. */
    record Read(String format, List<Shape> shapes, Crs crs, boolean crsDeclared, List<String> notes) {}

    private final String file;
    private final List<String> notes = new ArrayList<>();
    private int skipped;
    private int features;
    private long vertices;

    /** Counts a feature read; refuses a layer with more than a platform keeps in memory. */
    private void counted(int line, int count, long points) {
        features += count;
        vertices += points;
        if (features > MAX_FEATURES) {
            throw bad(line, "file", "holds more than " + MAX_FEATURES + " polygons; split the layer");
        }
        if (vertices > MAX_VERTICES) {
            throw bad(
                    line,
                    "file",
                    "holds more than " + MAX_VERTICES + " vertices; simplify the layer (for example"
                            + " ogr2ogr -simplify with a tolerance of a metre)");
        }
    }

    private LayerReader(String file) {
        this.file = file;
    }

    static Read read(String fileName, InputStream in, Path scratch) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        LayerReader reader = new LayerReader(fileName);
        try {
            Read read;
            if (lower.endsWith(".geojson") || lower.endsWith(".json")) {
                read = reader.geoJson(in);
            } else if (lower.endsWith(".kml")) {
                read = reader.kml(in);
            } else if (lower.endsWith(".zip")) {
                read = reader.zippedShapefile(in, scratch);
            } else if (lower.endsWith(".kmz") || lower.endsWith(".shp")) {
                throw reader.bad(
                        0,
                        "file",
                        lower.endsWith(".shp")
                                ? "a shapefile is several files: upload the .shp with its .dbf, .shx and .prj in one .zip"
                                : "KMZ is not read; unzip it and upload the .kml inside");
            } else {
                throw reader.bad(
                        0, "file", "the file's name must end in .geojson, .json, .kml or .zip (a zipped shapefile)");
            }
            if (reader.skipped > 0) {
                read.notes().add(reader.skipped + " feature(s) that are not polygons (points or lines) were left out");
            }
            return read;
        } catch (IOException e) {
            throw reader.bad(0, "file", "cannot be read: " + e.getMessage());
        }
    }

    InvalidInputException bad(int line, String field, String reason) {
        return new InvalidInputException(new InputError(file, line, field, reason));
    }

    // ---------------------------------------------------------------- GeoJSON

    private Read geoJson(InputStream in) throws IOException {
        List<Shape> shapes = new ArrayList<>();
        Crs crs = Crs.wgs84();
        boolean declared = false;
        try (JsonParser p = new JsonFactory(JSON).createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad(1, "file", "is not a GeoJSON object");
            }
            String type = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> type = p.getValueAsString("");
                    case "crs" -> {
                        JsonNode node = p.readValueAsTree();
                        String name = node.path("properties").path("name").asText("");
                        try {
                            crs = Crs.epsg(name);
                            declared = true;
                        } catch (IllegalArgumentException e) {
                            throw bad(line(p), "crs", e.getMessage());
                        }
                    }
                    case "features" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw bad(line(p), "features", "must be an array of features");
                        }
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            int line = line(p);
                            JsonNode feature = p.readValueAsTree();
                            Shape shape = feature(feature, line, shapes.size());
                            if (shape != null) {
                                counted(line, 1, shape.geometry().getNumPoints());
                                shapes.add(shape);
                            }
                        }
                    }
                    case "geometry", "coordinates" -> {
                        throw bad(
                                line(p),
                                field,
                                "a layer must be a GeoJSON FeatureCollection, not a single geometry" + " or feature");
                    }
                    default -> p.skipChildren();
                }
            }
            if (!type.isEmpty() && !type.equals("FeatureCollection")) {
                throw bad(1, "type", "must be FeatureCollection, not '" + type + "'");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw bad(at == null ? 0 : at.getLineNr(), "file", "is not valid JSON: " + e.getOriginalMessage());
        }
        return new Read("GeoJSON", shapes, crs, declared, notes);
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private Shape feature(JsonNode feature, int line, int index) {
        JsonNode geometry = feature.path("geometry");
        Geometry g = geoJsonGeometry(geometry, line);
        if (g == null) {
            skipped++;
            return null;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        feature.path("properties").fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            properties.put(
                    e.getKey(),
                    v.isNumber() ? v.numberValue() : v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
        });
        JsonNode id = feature.path("id");
        if (!id.isMissingNode() && !id.isNull()) {
            properties.putIfAbsent("id", id.asText());
        }
        return new Shape(line, "", "", properties, g);
    }

    private Geometry geoJsonGeometry(JsonNode geometry, int line) {
        String type = geometry.path("type").asText("");
        JsonNode coordinates = geometry.path("coordinates");
        return switch (type) {
            case "Polygon" -> polygon(coordinates, line);
            case "MultiPolygon" -> {
                List<Polygon> parts = new ArrayList<>();
                for (JsonNode polygon : coordinates) {
                    parts.add(polygon(polygon, line));
                }
                if (parts.isEmpty()) {
                    throw bad(line, "geometry", "a MultiPolygon holds no polygon");
                }
                yield GEOMETRY.createMultiPolygon(parts.toArray(new Polygon[0]));
            }
            case "GeometryCollection" -> {
                List<Polygon> parts = new ArrayList<>();
                for (JsonNode member : geometry.path("geometries")) {
                    Geometry g = geoJsonGeometry(member, line);
                    if (g != null) {
                        for (int i = 0; i < g.getNumGeometries(); i++) {
                            parts.add((Polygon) g.getGeometryN(i));
                        }
                    }
                }
                yield parts.isEmpty() ? null : GEOMETRY.createMultiPolygon(parts.toArray(new Polygon[0]));
            }
            case "" -> throw bad(line, "geometry", "a feature has no geometry");
            default -> null;
        };
    }

    private Polygon polygon(JsonNode rings, int line) {
        if (!rings.isArray() || rings.isEmpty()) {
            throw bad(line, "coordinates", "a Polygon needs at least one ring of positions");
        }
        LinearRing shell = null;
        List<LinearRing> holes = new ArrayList<>();
        for (JsonNode ring : rings) {
            List<Coordinate> points = new ArrayList<>();
            for (JsonNode position : ring) {
                if (!position.isArray()
                        || position.size() < 2
                        || !position.get(0).isNumber()
                        || !position.get(1).isNumber()) {
                    throw bad(line, "coordinates", "every position must be a pair of numbers [x, y]");
                }
                points.add(new Coordinate(
                        position.get(0).asDouble(), position.get(1).asDouble()));
            }
            LinearRing r = ring(points, line);
            if (shell == null) {
                shell = r;
            } else {
                holes.add(r);
            }
        }
        return GEOMETRY.createPolygon(shell, holes.toArray(new LinearRing[0]));
    }

    private LinearRing ring(List<Coordinate> points, int line) {
        if (points.size() >= 3 && !points.get(0).equals2D(points.get(points.size() - 1))) {
            points.add(new Coordinate(points.get(0)));
            notes.add("line " + line + ": a ring that did not end where it started was closed");
        }
        if (points.size() < 4) {
            throw bad(line, "coordinates", "a ring needs at least four positions (the last one repeating the first)");
        }
        for (Coordinate c : points) {
            if (!Double.isFinite(c.x) || !Double.isFinite(c.y)) {
                throw bad(line, "coordinates", "a position is not a finite number");
            }
        }
        return GEOMETRY.createLinearRing(points.toArray(new Coordinate[0]));
    }

    // ---------------------------------------------------------------- KML

    private Read kml(InputStream in) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        List<Shape> shapes = new ArrayList<>();
        int line = 0;
        try {
            XMLStreamReader x = factory.createXMLStreamReader(in);
            int placemarkLine = 0;
            String name = null;
            Map<String, Object> properties = null;
            List<Polygon> polygons = null;
            LinearRing shell = null;
            List<LinearRing> holes = null;
            boolean inner = false;
            String dataName = null;
            int depth = 0;
            boolean sawKml = false;
            while (x.hasNext()) {
                int event = x.next();
                line = x.getLocation().getLineNumber();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    String tag = x.getLocalName();
                    if (depth == 1) {
                        sawKml = tag.equals("kml");
                    }
                    switch (tag) {
                        case "Placemark" -> {
                            placemarkLine = line;
                            name = null;
                            properties = new LinkedHashMap<>();
                            polygons = new ArrayList<>();
                        }
                        case "name" -> {
                            if (properties != null && name == null) {
                                name = x.getElementText().strip();
                                depth--;
                            }
                        }
                        case "Data" -> dataName = x.getAttributeValue(null, "name");
                        case "SimpleData" -> {
                            if (properties != null) {
                                properties.put(
                                        x.getAttributeValue(null, "name"),
                                        x.getElementText().strip());
                                depth--;
                            }
                        }
                        case "value" -> {
                            if (properties != null && dataName != null) {
                                properties.put(dataName, x.getElementText().strip());
                                depth--;
                            }
                        }
                        case "Polygon" -> {
                            shell = null;
                            holes = new ArrayList<>();
                        }
                        case "outerBoundaryIs" -> inner = false;
                        case "innerBoundaryIs" -> inner = true;
                        case "coordinates" -> {
                            String text = x.getElementText();
                            depth--;
                            if (holes != null) {
                                LinearRing ring = ring(kmlCoordinates(text, line), line);
                                if (inner) {
                                    holes.add(ring);
                                } else {
                                    shell = ring;
                                }
                            }
                        }
                        case "Point", "LineString" -> {
                            if (properties != null && holes == null) {
                                skipped++;
                            }
                        }
                        default -> {}
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                    switch (x.getLocalName()) {
                        case "Polygon" -> {
                            if (shell == null) {
                                throw bad(line, "Polygon", "a Polygon has no outerBoundaryIs ring");
                            }
                            if (polygons != null) {
                                polygons.add(GEOMETRY.createPolygon(shell, holes.toArray(new LinearRing[0])));
                            }
                            holes = null;
                        }
                        case "Placemark" -> {
                            if (polygons != null && !polygons.isEmpty()) {
                                if (name != null) {
                                    properties.putIfAbsent("name", name);
                                }
                                Geometry g = polygons.size() == 1
                                        ? polygons.get(0)
                                        : GEOMETRY.createMultiPolygon(polygons.toArray(new Polygon[0]));
                                counted(placemarkLine, 1, g.getNumPoints());
                                shapes.add(new Shape(placemarkLine, "", "", properties, g));
                            }
                            properties = null;
                            polygons = null;
                        }
                        case "Data" -> dataName = null;
                        default -> {}
                    }
                }
            }
            if (!sawKml) {
                throw bad(1, "file", "is not KML (its root element is not <kml>)");
            }
        } catch (XMLStreamException e) {
            int at = e.getLocation() == null ? line : e.getLocation().getLineNumber();
            throw bad(
                    at,
                    "file",
                    "is not well-formed XML: "
                            + e.getMessage()
                                    .replaceAll("^ParseError at \\[row,col]:\\[\\d+,\\d+]\\s*Message:\\s*", ""));
        }
        // KML is longitude/latitude on WGS84 by definition
        return new Read("KML", shapes, Crs.wgs84(), true, notes);
    }

    private List<Coordinate> kmlCoordinates(String text, int line) {
        List<Coordinate> points = new ArrayList<>();
        for (String tuple : text.strip().split("\\s+")) {
            if (tuple.isEmpty()) {
                continue;
            }
            String[] parts = tuple.split(",");
            try {
                points.add(new Coordinate(Double.parseDouble(parts[0]), Double.parseDouble(parts[1])));
            } catch (RuntimeException e) {
                throw bad(line, "coordinates", "'" + tuple + "' is not longitude,latitude[,altitude]");
            }
        }
        return points;
    }

    // ---------------------------------------------------------------- zipped shapefile

    private Read zippedShapefile(InputStream in, Path scratch) throws IOException {
        Path folder = Files.createTempDirectory(scratch, "layer-");
        try {
            List<String> shps = new ArrayList<>();
            long total = 0;
            // names flagged UTF-8 are read so; others as the zip format's own code page (Windows' Explorer writes it)
            try (ZipInputStream zip = new ZipInputStream(in, java.nio.charset.Charset.forName("IBM437"))) {
                byte[] buffer = new byte[65536];
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    String name = entry.getName();
                    String base = name.substring(name.lastIndexOf('/') + 1);
                    if (entry.isDirectory() || base.isEmpty() || base.startsWith(".") || name.startsWith("__MACOSX")) {
                        continue;
                    }
                    String ext = base.contains(".")
                            ? base.substring(base.lastIndexOf('.')).toLowerCase(Locale.ROOT)
                            : "";
                    if (!List.of(".shp", ".shx", ".dbf", ".prj", ".cpg").contains(ext)) {
                        continue;
                    }
                    String stem = base.substring(0, base.length() - ext.length());
                    if (ext.equals(".shp")) {
                        shps.add(stem);
                    }
                    Path out = folder.resolve(stem.replaceAll("[^A-Za-z0-9._-]", "_") + ext);
                    try (OutputStream o = Files.newOutputStream(out)) {
                        for (int n; (n = zip.read(buffer)) > 0; ) {
                            total += n;
                            if (total > MAX_UNZIPPED_BYTES) {
                                throw bad(0, "file", "unzips to more than " + (MAX_UNZIPPED_BYTES >> 20) + " MB");
                            }
                            o.write(buffer, 0, n);
                        }
                    }
                }
            } catch (java.util.zip.ZipException | IllegalArgumentException e) {
                throw bad(0, "file", "is not a readable .zip: " + e.getMessage());
            }
            if (shps.isEmpty()) {
                throw bad(
                        0,
                        "file",
                        "the .zip holds no .shp; a shapefile layer is the .shp, .shx, .dbf and .prj zipped together");
            }
            if (shps.size() > 1) {
                throw bad(
                        0,
                        "file",
                        "the .zip holds " + shps.size() + " shapefiles (" + String.join(", ", shps)
                                + "); upload one layer per .zip");
            }
            String stem = shps.get(0).replaceAll("[^A-Za-z0-9._-]", "_");
            Path shp = folder.resolve(stem + ".shp");
            Path shx = folder.resolve(stem + ".shx");
            Path dbf = folder.resolve(stem + ".dbf");
            Path prj = folder.resolve(stem + ".prj");
            Path cpg = folder.resolve(stem + ".cpg");
            for (Path needed : List.of(shx, dbf)) {
                if (!Files.exists(needed)) {
                    throw bad(0, "file", "the .zip has " + stem + ".shp but no " + needed.getFileName());
                }
            }
            Crs crs = null;
            boolean declared = false;
            for (Path side : List.of(prj, cpg)) {
                if (Files.exists(side) && Files.size(side) > MAX_SIDE_FILE) {
                    throw bad(0, side.getFileName().toString(), "is larger than " + MAX_SIDE_FILE / 1024 + " KB");
                }
            }
            if (Files.exists(prj)) {
                try {
                    crs = Crs.fromWkt(Files.readString(prj, StandardCharsets.ISO_8859_1));
                    declared = true;
                } catch (IllegalArgumentException e) {
                    throw bad(0, stem + ".prj", e.getMessage());
                }
            }
            String encoding = Files.exists(cpg) ? encoding(Files.readString(cpg, StandardCharsets.ISO_8859_1)) : null;
            List<Shape> shapes = new ArrayList<>();
            try (FileChannel shpChannel = FileChannel.open(shp, StandardOpenOption.READ);
                    FileChannel shxChannel = FileChannel.open(shx, StandardOpenOption.READ);
                    FileChannel dbfChannel = FileChannel.open(dbf, StandardOpenOption.READ)) {
                ShapefileReader geometries = new ShapefileReader(shpChannel);
                IndexFile index = new IndexFile(shxChannel);
                DbaseFileReader table = new DbaseFileReader(dbfChannel, encoding);
                int records = index.getRecordCount();
                if (records > MAX_FEATURES) {
                    throw bad(
                            0,
                            stem + ".shx",
                            "lists " + records + " shapes, more than " + MAX_FEATURES + "; split the layer");
                }
                if (table.getRecordCount() != records) {
                    throw bad(0, stem + ".dbf", "has " + table.getRecordCount() + " rows for " + records + " shapes");
                }
                int fields = table.getFieldCount();
                List<String> names = new ArrayList<>();
                for (int f = 0; f < fields; f++) {
                    names.add(table.getHeader().getFieldName(f));
                }
                for (int r = 0; r < records; r++) {
                    Geometry g;
                    try {
                        // H2GIS's getOffset is already in bytes (getOffsetInBytes doubles it once more)
                        g = geometries.geomAt(index.getOffset(r));
                    } catch (RuntimeException e) {
                        throw bad(r + 1, stem + ".shp", "shape " + (r + 1) + " cannot be read: " + e.getMessage());
                    }
                    if (g == null || g.isEmpty()) {
                        skipped++;
                        continue;
                    }
                    if (!(g instanceof Polygonal)) {
                        skipped++;
                        continue;
                    }
                    Map<String, Object> properties = new LinkedHashMap<>();
                    for (int f = 0; f < fields; f++) {
                        org.h2.value.Value v = table.getFieldValue(r, f);
                        properties.put(
                                names.get(f),
                                v == null || v == org.h2.value.ValueNull.INSTANCE
                                        ? null
                                        : v.getValueType() == org.h2.value.Value.VARCHAR
                                                ? v.getString().strip()
                                                : numberOrText(v));
                    }
                    counted(r + 1, 1, g.getNumPoints());
                    shapes.add(new Shape(r + 1, "", "", properties, g));
                }
            } catch (org.h2gis.functions.io.shp.internal.ShapefileException e) {
                throw bad(0, stem + ".shp", "is not a shapefile: " + e.getMessage());
            }
            return new Read("Shapefile", shapes, crs == null ? Crs.wgs84() : crs, declared, notes);
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * The Java name of a .cpg's code page ({@code UTF-8}, {@code 1252}, {@code ANSI 1252}, {@code 88591}), or null for
     * the .dbf's own when the name is unknown (said in the notes).
     */
    private String encoding(String cpg) {
        String name = cpg.strip();
        String bare = name.toUpperCase(java.util.Locale.ROOT).replaceFirst("^(ANSI|CP|WINDOWS-?)\\s*", "");
        String charset;
        if (bare.matches("\\d{3,4}")) {
            charset = bare.startsWith("8859") || bare.equals("88591") ? "ISO-8859-1" : "windows-" + bare;
        } else if (bare.matches("8859[-_]?\\d+")) {
            charset = "ISO-8859-" + bare.replaceFirst("8859[-_]?", "");
        } else {
            charset = name;
        }
        try {
            if (!charset.isEmpty() && java.nio.charset.Charset.isSupported(charset)) {
                return charset;
            }
        } catch (IllegalArgumentException e) {
            // an illegal name: as unknown
        }
        notes.add("the .cpg names the code page '" + name + "', which is not known here; the .dbf's own was used");
        return null;
    }

    private static Object numberOrText(org.h2.value.Value v) {
        return switch (v.getValueType()) {
            case org.h2.value.Value.INTEGER, org.h2.value.Value.BIGINT -> v.getLong();
            case org.h2.value.Value.DOUBLE -> v.getDouble();
            case org.h2.value.Value.BOOLEAN -> v.getBoolean();
            default -> v.getString();
        };
    }
}
