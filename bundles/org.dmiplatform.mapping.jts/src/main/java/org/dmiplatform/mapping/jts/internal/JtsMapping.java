package org.dmiplatform.mapping.jts.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.mapping.AreaRequest;
import org.dmiplatform.api.mapping.HotSpotRequest;
import org.dmiplatform.api.mapping.HotSpotRequest.Method;
import org.dmiplatform.api.mapping.Layer;
import org.dmiplatform.api.mapping.LayerFile;
import org.dmiplatform.api.mapping.Mapping;
import org.dmiplatform.api.mapping.PolygonCounts;
import org.dmiplatform.api.mapping.PrintRequest;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.api.store.RecordsStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A site's maps with JTS: boundary layers kept as files in the platform's data folder, records read through the
 * records store as the caller, and the statistics of {@link Analysis}, {@link Suggestions} and {@link MapPrinter}.
 */
@Component(
        service = Mapping.class,
        configurationPid = JtsMapping.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"dmi.plugin.kind=" + Mapping.KIND, "dmi.plugin.name=jts"})
@Designate(ocd = JtsMapping.Config.class, factory = true)
public class JtsMapping implements Mapping {
    static final String PID = "org.dmiplatform.mapping.jts";
    static final Role[] LAYER_EDITORS = {Role.SITE_ADMIN, Role.POLICE, Role.TTA_ADMIN};
    static final Role[] MAP_READERS = Role.values();

    @ObjectClassDefinition(name = "DMI mapping (JTS)")
    public @interface Config {
        @AttributeDefinition(description = "the site this plug-in serves (written by provisioning)")
        String dmi_site();
    }

    private final LayerStore layers;
    private final RecordsStore records;
    private final Path scratch;
    private final Clock clock;
    private volatile String site;

    @Activate
    public JtsMapping(BundleContext context, @Reference RecordsStore records, Config config) {
        this(dataFolder(context), records, Clock.systemUTC());
        modified(config);
    }

    JtsMapping(Path data, RecordsStore records, Clock clock) {
        this.layers = new LayerStore(data);
        this.records = records;
        this.scratch = data.resolve("tmp");
        this.clock = clock;
    }

    @Modified
    void modified(Config config) {
        this.site = config.dmi_site();
    }

    private static Path dataFolder(BundleContext context) {
        String data = context.getProperty("dmi.data");
        return data == null || data.isBlank()
                ? Paths.get(String.valueOf(context.getProperty("karaf.data")), "dmi")
                : Paths.get(data);
    }

    private void serves(Site asked) {
        String mine = site;
        if (mine != null && !mine.equals(asked.id())) {
            throw new IllegalStateException("the mapping plug-in of " + mine + " was asked for " + asked.id());
        }
    }

    @Override
    public Layer saveLayer(Site site, LayerFile file, Caller caller) {
        serves(site);
        caller.require(site.id(), "managing the site's map layers", LAYER_EDITORS);
        if (!LayerStore.NAME.matcher(file.name()).matches()) {
            throw new InvalidInputException(InputError.of(
                    file.fileName(),
                    "name",
                    "must be 2-40 characters: lower-case letters, digits and '-', starting with a letter or digit"));
        }
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        LayerReader.Read read = LayerReader.read(file.fileName(), file.content(), scratch);
        List<String> notes = read.notes();
        LayerCheck.Checked checked = LayerCheck.check(file.fileName(), read, site, notes);
        List<Shape> shapes = checked.shapes();
        Layer layer = new Layer(
                file.name(),
                file.label(),
                file.fileName(),
                read.format(),
                checked.crs().name,
                shapes.size(),
                LayerStore.bounds(shapes),
                notes,
                caller.user().username(),
                clock.instant());
        layers.save(site.id(), layer, shapes);
        return layer;
    }

    @Override
    public List<Layer> layers(Site site, Caller caller) {
        serves(site);
        caller.require(site.id(), "reading the site's map layers", MAP_READERS);
        return layers.list(site.id());
    }

    @Override
    public String layerGeoJson(Site site, String layer, Caller caller) {
        serves(site);
        caller.require(site.id(), "reading the site's map layers", MAP_READERS);
        return layers.geoJson(site.id(), layer);
    }

    @Override
    public void deleteLayer(Site site, String layer, Caller caller) {
        serves(site);
        caller.require(site.id(), "managing the site's map layers", LAYER_EDITORS);
        layers.delete(site.id(), layer);
    }

    private Located located(Site site, RecordQuery query, Caller caller) {
        LocalMetres plane = site.bounds()
                .map(b -> LocalMetres.about(b.west(), b.south(), b.east(), b.north()))
                .orElse(null);
        // for a site without a box, the plane is centred on its first located record (Located)
        Located points = new Located(plane, site.timeZone());
        records.stream(site.id(), query, caller, points::add);
        return points;
    }

    @Override
    public PolygonCounts countByPolygon(Site site, String layer, RecordQuery query, Caller caller) {
        serves(site);
        LayerStore.Loaded loaded = layers.load(site.id(), layer);
        PolygonIndex index = loaded.index();
        Map<String, long[]> counts = new TreeMap<>();
        long[] tally = new long[3];
        java.time.ZoneId zone = site.timeZone();
        records.stream(site.id(), query, caller, r -> {
            if (r.location().isEmpty()) {
                tally[2]++;
                return;
            }
            int p = index.locate(
                    r.location().get().longitude(), r.location().get().latitude());
            if (p < 0) {
                tally[1]++;
                return;
            }
            tally[0]++;
            String key = String.format(
                    "%08d|%s|%s",
                    p,
                    r.category().name(),
                    java.time.YearMonth.from(r.occurredFrom().atZone(zone)));
            counts.computeIfAbsent(key, k -> new long[1])[0]++;
        });
        List<PolygonCounts.Row> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            String[] parts = e.getKey().split("\\|");
            Shape s = loaded.shapes().get(Integer.parseInt(parts[0]));
            rows.add(new PolygonCounts.Row(
                    s.id(),
                    s.label(),
                    Category.valueOf(parts[1]),
                    java.time.YearMonth.parse(parts[2]),
                    e.getValue()[0]));
        }
        return new PolygonCounts(layer, rows, tally[0], tally[1], tally[2]);
    }

    @Override
    public String hotSpots(Site site, HotSpotRequest request, Caller caller) {
        serves(site);
        if (request.method() == Method.GI_STAR) {
            Analysis.checkAlpha(request.alpha());
        }
        if (request.method() == Method.GI_STAR && request.layer().isPresent()) {
            return polygonStars(site, request, caller);
        }
        Located points = located(site, request.query(), caller);
        if (points.n == 0) {
            throw Analysis.nothing();
        }
        if (request.method() == Method.NEAREST_NEIGHBOUR) {
            double area = hullArea(points);
            NearestNeighbour nni;
            try {
                nni = NearestNeighbour.of(points.xs, points.ys, points.n, area);
            } catch (IllegalArgumentException e) {
                throw Analysis.bad("filter", e.getMessage());
            }
            return Analysis.write(g -> {
                g.writeStartObject();
                g.writeStringField("type", "FeatureCollection");
                Map<String, Object> p = Analysis.parameters(request, null, points);
                p.put("studyArea", "convex hull of the records");
                p.put("projection", "local sinusoidal (equal-area)");
                Analysis.writeMap(g, "parameters", p);
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("records", points.n);
                s.put("unlocated", points.unlocated);
                s.put("observedMeanMetres", nni.observedMetres());
                s.put("expectedMeanMetres", nni.expectedMetres());
                s.put("nearestNeighbourIndex", nni.index());
                s.put("z", nni.z());
                s.put("areaKm2", nni.areaM2() / 1e6);
                s.put(
                        "reading",
                        nni.index() < 1
                                ? "clustered: records lie closer together than at random"
                                : "not clustered: records lie as far apart as at random, or farther");
                Analysis.writeMap(g, "summary", s);
                g.writeArrayFieldStart("features");
                g.writeEndArray();
                g.writeEndObject();
            });
        }
        Grid grid = Analysis.grid(site, points, request.cellMetres());
        double[] counts = grid.count(points.xs, points.ys, points.n);
        Map<String, Object> parameters = Analysis.parameters(request, grid, points);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("records", points.n);
        summary.put("unlocated", points.unlocated);
        long inGrid = 0;
        for (double c : counts) {
            inGrid += (long) c;
        }
        summary.put("outsideGrid", points.n - inGrid);
        return switch (request.method()) {
            case GRID -> gridOut(grid, points, counts, parameters, summary);
            case DENSITY -> densityOut(request, grid, points, counts, parameters, summary);
            case GI_STAR -> starsOut(request, grid, points, counts, parameters, summary);
            default -> throw new IllegalStateException();
        };
    }

    private static double hullArea(Located points) {
        org.locationtech.jts.geom.Coordinate[] cs = new org.locationtech.jts.geom.Coordinate[points.n];
        for (int i = 0; i < points.n; i++) {
            cs[i] = new org.locationtech.jts.geom.Coordinate(points.xs[i], points.ys[i]);
        }
        return new org.locationtech.jts.algorithm.ConvexHull(cs, LayerReader.GEOMETRY)
                .getConvexHull()
                .getArea();
    }

    private static String gridOut(
            Grid grid, Located points, double[] counts, Map<String, Object> parameters, Map<String, Object> summary) {
        int cells = 0;
        double max = 0;
        for (double c : counts) {
            if (c > 0) {
                cells++;
                max = Math.max(max, c);
            }
        }
        Analysis.drawable(cells, grid);
        summary.put("cellsWithRecords", cells);
        summary.put("maxPerCell", max);
        return Analysis.write(g -> {
            head(g, parameters, summary);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    feature(g, grid, points.plane, i, Map.of("count", (long) counts[i]));
                }
            }
            tail(g);
        });
    }

    private static String densityOut(
            HotSpotRequest request,
            Grid grid,
            Located points,
            double[] counts,
            Map<String, Object> parameters,
            Map<String, Object> summary) {
        if (request.bandwidthMetres().isPresent()) {
            double asked = request.bandwidthMetres().getAsDouble();
            if (!(asked >= 1 && asked <= 50_000)) {
                throw Analysis.bad("bandwidth", "must be between 1 and 50000 metres");
            }
        }
        double h = request.bandwidthMetres().orElse(Density.silverman(points.xs, points.ys, points.n));
        if (!(h > 0)) {
            throw Analysis.bad("bandwidth", "cannot be found from records that are all at one place; give one");
        }
        if (h / grid.cell > 200) {
            throw Analysis.bad("bandwidth", "is more than 200 cells; use larger cells or a smaller bandwidth");
        }
        double[] d = Density.density(counts, grid, points.n, h);
        double max = Arrays.stream(d).max().orElse(0);
        int drawn = 0;
        for (double v : d) {
            drawn += v >= max * 0.01 && v > 0 ? 1 : 0;
        }
        Analysis.drawable(drawn, grid);
        parameters.put("kernel", "Gaussian, truncated at 4 standard deviations, binned on the grid");
        parameters.put("bandwidthMetres", h);
        parameters.put(
                "bandwidthRule",
                request.bandwidthMetres().isPresent()
                        ? "as asked"
                        : "0.9 · min(standard distance, √(1/ln 2) · median distance) · n^-0.2 (robust Silverman, as ArcGIS)");
        parameters.put("units", "records per square kilometre");
        summary.put("maxPerKm2", max * points.n * 1e6);
        return Analysis.write(g -> {
            head(g, parameters, summary);
            for (int i = 0; i < d.length; i++) {
                if (d[i] >= max * 0.01 && d[i] > 0) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("perKm2", d[i] * points.n * 1e6);
                    p.put("share", d[i] / max);
                    feature(g, grid, points.plane, i, p);
                }
            }
            tail(g);
        });
    }

    private static String starsOut(
            HotSpotRequest request,
            Grid grid,
            Located points,
            double[] counts,
            Map<String, Object> parameters,
            Map<String, Object> summary) {
        Neighbours nb = Neighbours.grid(grid.columns, grid.rows, request.contiguity());
        Analysis.Stars stars = Analysis.stars(counts, nb, request.permutations(), request.seed());
        int hot = 0;
        int cold = 0;
        for (int i = 0; i < counts.length; i++) {
            String call = stars.call(i, request.alpha());
            hot += call.equals("hot") ? 1 : 0;
            cold += call.equals("cold") ? 1 : 0;
        }
        int drawn = 0;
        for (int i = 0; i < counts.length; i++) {
            drawn += counts[i] > 0 || !stars.call(i, request.alpha()).equals("not significant") ? 1 : 0;
        }
        Analysis.drawable(drawn, grid);
        summary.put("hotCells", hot);
        summary.put("coldCells", cold);
        double mean = points.n / (double) counts.length;
        summary.put(
                "notes",
                Analysis.starNotes(
                        stars,
                        request.permutations(),
                        request.alpha(),
                        "cell",
                        Math.min(10_000, Math.ceil(grid.cell * Math.sqrt(1 / Math.max(mean, 1e-9)) / 10) * 10)));
        return Analysis.write(g -> {
            head(g, parameters, summary);
            for (int i = 0; i < counts.length; i++) {
                String call = stars.call(i, request.alpha());
                if (counts[i] > 0 || !call.equals("not significant")) {
                    feature(g, grid, points.plane, i, starProperties(stars, i, call));
                }
            }
            tail(g);
        });
    }

    private static Map<String, Object> starProperties(Analysis.Stars stars, int i, String call) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", (long) stars.x()[i]);
        p.put("z", Double.isFinite(stars.z()[i]) ? stars.z()[i] : null);
        p.put("p", stars.p()[i]);
        p.put("q", stars.q()[i]);
        p.put("call", call);
        return p;
    }

    private String polygonStars(Site site, HotSpotRequest request, Caller caller) {
        String name = request.layer().orElseThrow();
        LayerStore.Loaded loaded = layers.load(site.id(), name);
        PolygonIndex index = loaded.index();
        double[] counts = new double[loaded.shapes().size()];
        long[] tally = new long[3];
        records.stream(site.id(), request.query(), caller, r -> {
            if (r.location().isEmpty()) {
                tally[2]++;
                return;
            }
            int p = index.locate(
                    r.location().get().longitude(), r.location().get().latitude());
            if (p < 0) {
                tally[1]++;
            } else {
                tally[0]++;
                counts[p]++;
            }
        });
        if (tally[0] == 0) {
            throw Analysis.nothing();
        }
        Neighbours nb = Analysis.polygons(loaded.geometries(), request.contiguity());
        Analysis.Stars stars = Analysis.stars(counts, nb, request.permutations(), request.seed());
        Map<String, Object> parameters = Analysis.parameters(request, null, null);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("records", tally[0]);
        summary.put("outsideLayer", tally[1]);
        summary.put("unlocated", tally[2]);
        int isolated = 0;
        for (int i = 0; i < counts.length; i++) {
            isolated += nb.count(i) == 0 ? 1 : 0;
        }
        summary.put("polygonsWithoutNeighbours", isolated);
        summary.put("notes", Analysis.starNotes(stars, request.permutations(), request.alpha(), "polygon", 0));
        return Analysis.write(g -> {
            head(g, parameters, summary);
            for (int i = 0; i < counts.length; i++) {
                Shape s = loaded.shapes().get(i);
                g.writeStartObject();
                g.writeStringField("type", "Feature");
                g.writeStringField("id", s.id());
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("id", s.id());
                p.put("label", s.label());
                p.put("neighbours", nb.count(i));
                p.putAll(starProperties(stars, i, stars.call(i, request.alpha())));
                Analysis.writeMap(g, "properties", p);
                g.writeFieldName("geometry");
                LayerStore.geometry(g, s.geometry());
                g.writeEndObject();
            }
            tail(g);
        });
    }

    static void head(JsonGenerator g, Map<String, Object> parameters, Map<String, Object> summary) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "FeatureCollection");
        Analysis.writeMap(g, "parameters", parameters);
        Analysis.writeMap(g, "summary", summary);
        g.writeArrayFieldStart("features");
    }

    static void tail(JsonGenerator g) throws IOException {
        g.writeEndArray();
        g.writeEndObject();
    }

    static void feature(JsonGenerator g, Grid grid, LocalMetres plane, int i, Map<String, Object> properties)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "Feature");
        g.writeStringField("id", "r" + (i / grid.columns) + "c" + (i % grid.columns));
        Map<String, Object> p = new HashMap<>(properties);
        p.put("row", i / grid.columns);
        p.put("col", i % grid.columns);
        Analysis.writeMap(g, "properties", new TreeMap<>(p));
        g.writeFieldName("geometry");
        Analysis.cellPolygon(g, grid, plane, i);
        g.writeEndObject();
    }

    @Override
    public String suggestAreas(Site site, AreaRequest request, Caller caller) {
        serves(site);
        Analysis.checkAlpha(request.alpha());
        Located points = located(site, request.query(), caller);
        if (points.n == 0) {
            throw Analysis.nothing();
        }
        Grid grid = Analysis.grid(site, points, request.cellMetres());
        LayerStore.Loaded comparisonPolygons =
                request.comparisonLayer().map(l -> layers.load(site.id(), l)).orElse(null);
        return Suggestions.suggest(request, grid, points, comparisonPolygons);
    }

    @Override
    public byte[] printMap(Site site, PrintRequest request, Caller caller) {
        serves(site);
        caller.require(site.id(), "printing the site's maps", MAP_READERS);
        List<LayerStore.Loaded> base = new ArrayList<>();
        for (String layer : request.layers()) {
            base.add(layers.load(site.id(), layer));
        }
        String hot = request.hotSpots().map(h -> hotSpots(site, h, caller)).orElse(null);
        return MapPrinter.print(site, request, base, hot, java.time.LocalDate.now(clock.withZone(site.timeZone())));
    }
}
