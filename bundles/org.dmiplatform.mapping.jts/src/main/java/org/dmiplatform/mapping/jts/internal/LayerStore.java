package org.dmiplatform.mapping.jts.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.mapping.Layer;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;

/**
 * A site's layers on disk, in {@code <data>/sites/<site>/layers/}: {@code <name>.geojson} (the polygons in WGS84,
 * each feature with its id and label) and {@code <name>.json} (what {@link Layer} says of it). Each is written to a
 * temporary file and moved into place, the polygons first, so a layer is replaced whole or not at all. Read layers are
 * kept in memory until their file changes.
 */
final class LayerStore {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,39}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A layer in memory: its description and polygons. */
    static final class Loaded {
        private final Layer layer;
        private final List<Shape> shapes;
        private final FileTime modified;
        private PolygonIndex index;

        Loaded(Layer layer, List<Shape> shapes, FileTime modified) {
            this.layer = layer;
            this.shapes = shapes;
            this.modified = modified;
        }

        Layer layer() {
            return layer;
        }

        List<Shape> shapes() {
            return shapes;
        }

        FileTime modified() {
            return modified;
        }

        List<Geometry> geometries() {
            List<Geometry> out = new ArrayList<>(shapes.size());
            for (Shape s : shapes) {
                out.add(s.geometry());
            }
            return out;
        }

        /** The point-in-polygon index of these very shapes, built on first use: polygon numbers always match. */
        synchronized PolygonIndex index() {
            if (index == null) {
                index = new PolygonIndex(geometries());
            }
            return index;
        }
    }

    private final Path root;
    private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

    LayerStore(Path root) {
        this.root = root;
    }

    private Path folder(String site) {
        return root.resolve("sites").resolve(site).resolve("layers");
    }

    synchronized void save(String site, Layer layer, List<Shape> shapes) {
        Path folder = folder(site);
        try {
            Files.createDirectories(folder);
            Path polygons = folder.resolve(layer.name() + ".geojson");
            Path tmp = Files.createTempFile(folder, layer.name(), ".tmp");
            Path meta = Files.createTempFile(folder, layer.name(), ".tmp");
            try {
                // both written in full before either replaces the layer
                try (JsonGenerator g = JSON.getFactory().createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
                    write(g, shapes);
                }
                JSON.writeValue(meta.toFile(), describe(layer));
                move(tmp, polygons);
                move(meta, folder.resolve(layer.name() + ".json"));
            } finally {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(meta);
            }
            cache.remove(polygons);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write layer " + layer.name() + " of " + site, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    synchronized void delete(String site, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new NoSuchElementException("site " + site + " has no layer '" + name + "'");
        }
        Path folder = folder(site);
        try {
            if (!Files.deleteIfExists(folder.resolve(name + ".json"))) {
                throw new NoSuchElementException("site " + site + " has no layer '" + name + "'");
            }
            Files.deleteIfExists(folder.resolve(name + ".geojson"));
            cache.remove(folder.resolve(name + ".geojson"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete layer " + name + " of " + site, e);
        }
    }

    List<Layer> list(String site) {
        Path folder = folder(site);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Layer> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path meta : files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList()) {
                out.add(readMeta(meta));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the layers of " + site, e);
        }
        return out;
    }

    /** @throws NoSuchElementException when the site has no such layer */
    Loaded load(String site, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new NoSuchElementException("site " + site + " has no layer '" + name + "'");
        }
        Path folder = folder(site);
        Path polygons = folder.resolve(name + ".geojson");
        try {
            FileTime modified = Files.getLastModifiedTime(polygons);
            Loaded cached = cache.get(polygons);
            if (cached != null && cached.modified().equals(modified)) {
                return cached;
            }
            Layer layer = readMeta(folder.resolve(name + ".json"));
            List<Shape> shapes;
            try (InputStream in = Files.newInputStream(polygons)) {
                LayerReader.Read read = LayerReader.read(name + ".geojson", in, folder);
                shapes = new ArrayList<>();
                for (Shape s : read.shapes()) {
                    shapes.add(new Shape(
                            s.line(),
                            String.valueOf(s.properties().get("id")),
                            String.valueOf(s.properties().get("label")),
                            s.properties(),
                            s.geometry()));
                }
            }
            Loaded loaded = new Loaded(layer, List.copyOf(shapes), modified);
            cache.put(polygons, loaded);
            return loaded;
        } catch (NoSuchFileException e) {
            throw new NoSuchElementException("site " + site + " has no layer '" + name + "'");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read layer " + name + " of " + site, e);
        }
    }

    String geoJson(String site, String name) {
        load(site, name);
        try {
            return Files.readString(folder(site).resolve(name + ".geojson"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read layer " + name + " of " + site, e);
        }
    }

    private static ObjectNode describe(Layer layer) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", layer.name());
        n.put("label", layer.label());
        n.put("fileName", layer.fileName());
        n.put("format", layer.format());
        n.put("sourceCrs", layer.sourceCrs());
        n.put("polygons", layer.polygons());
        n.putArray("bounds")
                .add(layer.bounds().west())
                .add(layer.bounds().south())
                .add(layer.bounds().east())
                .add(layer.bounds().north());
        layer.notes().forEach(n.putArray("notes")::add);
        n.put("savedBy", layer.savedBy());
        n.put("savedAt", layer.savedAt().toString());
        return n;
    }

    private static Layer readMeta(Path meta) throws IOException {
        JsonNode n = JSON.readTree(meta.toFile());
        JsonNode b = n.path("bounds");
        List<String> notes = new ArrayList<>();
        n.path("notes").forEach(x -> notes.add(x.asText()));
        return new Layer(
                n.path("name").asText(),
                n.path("label").asText(),
                n.path("fileName").asText(),
                n.path("format").asText(),
                n.path("sourceCrs").asText(),
                n.path("polygons").asInt(),
                new Site.Bounds(
                        b.path(0).asDouble(),
                        b.path(1).asDouble(),
                        b.path(2).asDouble(),
                        b.path(3).asDouble()),
                notes,
                n.path("savedBy").asText(),
                Instant.parse(n.path("savedAt").asText()));
    }

    static Site.Bounds bounds(List<Shape> shapes) {
        Envelope e = LayerCheck.envelope(shapes);
        return new Site.Bounds(e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY());
    }

    /** Writes shapes as a GeoJSON FeatureCollection, each feature's properties led by its id and label. */
    static void write(JsonGenerator g, List<Shape> shapes) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "FeatureCollection");
        g.writeArrayFieldStart("features");
        for (Shape s : shapes) {
            g.writeStartObject();
            g.writeStringField("type", "Feature");
            g.writeStringField("id", s.id());
            g.writeObjectFieldStart("properties");
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("id", s.id());
            properties.put("label", s.label());
            s.properties().forEach((k, v) -> {
                if (!k.equals("id") && !k.equals("label")) {
                    properties.put(k, v);
                }
            });
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                g.writeFieldName(e.getKey());
                g.writeObject(e.getValue());
            }
            g.writeEndObject();
            g.writeFieldName("geometry");
            geometry(g, s.geometry());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void geometry(JsonGenerator g, Geometry geometry) throws IOException {
        g.writeStartObject();
        if (geometry instanceof Polygon p) {
            g.writeStringField("type", "Polygon");
            g.writeFieldName("coordinates");
            polygon(g, p);
        } else {
            g.writeStringField("type", "MultiPolygon");
            g.writeArrayFieldStart("coordinates");
            for (int i = 0; i < geometry.getNumGeometries(); i++) {
                polygon(g, (Polygon) geometry.getGeometryN(i));
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void polygon(JsonGenerator g, Polygon p) throws IOException {
        g.writeStartArray();
        ring(g, p.getExteriorRing().getCoordinates(), true);
        for (int h = 0; h < p.getNumInteriorRing(); h++) {
            ring(g, p.getInteriorRingN(h).getCoordinates(), false);
        }
        g.writeEndArray();
    }

    /** RFC 7946: exterior rings counter-clockwise, holes clockwise. */
    private static void ring(JsonGenerator g, Coordinate[] ring, boolean exterior) throws IOException {
        boolean ccw = org.locationtech.jts.algorithm.Orientation.isCCW(ring);
        boolean reverse = exterior != ccw;
        g.writeStartArray();
        for (int i = 0; i < ring.length; i++) {
            Coordinate c = ring[reverse ? ring.length - 1 - i : i];
            g.writeStartArray();
            g.writeNumber(c.x);
            g.writeNumber(c.y);
            g.writeEndArray();
        }
        g.writeEndArray();
    }
}
