package org.dmiplatform.mapping.jts.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.mapping.HotSpotRequest;
import org.dmiplatform.api.mapping.HotSpotRequest.Contiguity;
import org.dmiplatform.api.mapping.HotSpotRequest.Method;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * The hot-spot statistics over located records, written as GeoJSON with the parameters used. The grid covers the
 * site's box (its study area: the same cells whatever the filter, so two periods compare cell by cell) or, for a site
 * without one, the records' own extent. Cell size: as asked, else a hundredth of the shorter side of the area, rounded
 * to 10 m, between 50 and 1000 m.
 */
final class Analysis {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_PERMUTATIONS = 9999;

    private Analysis() {}

    static Grid grid(Site site, Located points, java.util.OptionalDouble cellMetres) {
        LocalMetres plane = points.plane;
        double minX;
        double minY;
        double maxX;
        double maxY;
        if (site.bounds().isPresent()) {
            Site.Bounds b = site.bounds().get();
            minX = Math.min(plane.x(b.west(), b.south()), plane.x(b.west(), b.north()));
            maxX = Math.max(plane.x(b.east(), b.south()), plane.x(b.east(), b.north()));
            minY = plane.y(b.south());
            maxY = plane.y(b.north());
        } else {
            if (points.n == 0) {
                throw nothing();
            }
            minX = Arrays.stream(points.xs, 0, points.n).min().orElseThrow();
            maxX = Arrays.stream(points.xs, 0, points.n).max().orElseThrow() + 1e-6;
            minY = Arrays.stream(points.ys, 0, points.n).min().orElseThrow();
            maxY = Arrays.stream(points.ys, 0, points.n).max().orElseThrow() + 1e-6;
        }
        double cell;
        if (cellMetres.isPresent()) {
            cell = cellMetres.getAsDouble();
            if (!(cell >= 10 && cell <= 10_000)) {
                throw bad("cell", "must be between 10 and 10000 metres");
            }
        } else {
            cell = Math.max(50, Math.min(1000, Math.round(Math.min(maxX - minX, maxY - minY) / 100 / 10) * 10.0));
        }
        try {
            return Grid.covering(minX, minY, maxX, maxY, cell);
        } catch (IllegalArgumentException e) {
            throw bad("cell", e.getMessage());
        }
    }

    /** The most cells one answer draws: beyond, the grid's cells are too small for a map anyone reads. */
    static final int MAX_FEATURES = 150_000;

    /** Refuses an answer of more cells than {@link #MAX_FEATURES}. */
    static void drawable(int features, Grid grid) {
        if (features > MAX_FEATURES) {
            throw bad(
                    "cell",
                    String.format(
                            Locale.ROOT,
                            "%.0f m cells give %d cells to draw, more than %d; use larger" + " cells (about %.0f m)",
                            grid.cell,
                            features,
                            MAX_FEATURES,
                            Math.ceil(grid.cell * Math.sqrt(features / (double) MAX_FEATURES) / 10) * 10));
        }
    }

    static InvalidInputException nothing() {
        return bad("filter", "selects no record with a location: widen the dates, kinds or categories");
    }

    static InvalidInputException bad(String field, String reason) {
        return new InvalidInputException(InputError.of("query", field, reason));
    }

    /** Gi* of grid cells or polygons: z, p, q and the call (hot, cold, none) of each unit. */
    record Stars(double[] x, double[] z, double[] p, double[] q, boolean permuted) {
        String call(int i, double alpha) {
            if (!(q[i] < alpha) || !Double.isFinite(z[i])) {
                return "not significant";
            }
            return z[i] > 0 ? "hot" : "cold";
        }
    }

    static Stars stars(double[] x, Neighbours nb, int permutations, long seed) {
        if (permutations < 0 || permutations > MAX_PERMUTATIONS) {
            throw bad("permutations", "must be between 0 and " + MAX_PERMUTATIONS);
        }
        double[] z = GiStar.z(x, nb);
        double[] p = permutations > 0 ? GiStar.pPermuted(x, nb, permutations, seed) : GiStar.pNormal(z);
        return new Stars(x, z, p, GiStar.benjaminiHochberg(p), permutations > 0);
    }

    /** Polygons sharing a boundary point (queen) or a stretch of boundary (rook), found through an STR-tree. */
    static Neighbours polygons(List<Geometry> shapes, Contiguity contiguity) {
        STRtree tree = new STRtree();
        for (int i = 0; i < shapes.size(); i++) {
            tree.insert(shapes.get(i).getEnvelopeInternal(), i);
        }
        int[] start = new int[shapes.size() + 1];
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            start[i] = ids.size();
            Geometry a = shapes.get(i);
            List<Integer> found = new ArrayList<>();
            for (Object o : tree.query(a.getEnvelopeInternal())) {
                int j = (Integer) o;
                if (j == i) {
                    continue;
                }
                Geometry b = shapes.get(j);
                boolean touch = contiguity == Contiguity.QUEEN
                        ? a.isWithinDistance(b, 1e-8)
                        : a.intersects(b)
                                && a.getBoundary().intersection(b.getBoundary()).getLength() > 0;
                if (touch) {
                    found.add(j);
                }
            }
            found.sort(null);
            ids.addAll(found);
        }
        start[shapes.size()] = ids.size();
        return new Neighbours(start, ids.stream().mapToInt(Integer::intValue).toArray());
    }

    // ------------------------------------------------------------------ GeoJSON out

    static String write(Writer body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    static void cellPolygon(JsonGenerator g, Grid grid, LocalMetres plane, int index) throws IOException {
        int r = index / grid.columns;
        int c = index % grid.columns;
        double x0 = grid.x0 + c * grid.cell;
        double y0 = grid.y0 + r * grid.cell;
        double x1 = x0 + grid.cell;
        double y1 = y0 + grid.cell;
        g.writeStartObject();
        g.writeStringField("type", "Polygon");
        g.writeArrayFieldStart("coordinates");
        g.writeStartArray();
        double[][] corners = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
        for (double[] corner : corners) {
            g.writeStartArray();
            g.writeNumber(round(plane.lon(corner[0], corner[1])));
            g.writeNumber(round(plane.lat(corner[1])));
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndArray();
        g.writeEndObject();
    }

    static double round(double degrees) {
        return Math.round(degrees * 1e7) / 1e7;
    }

    static Map<String, Object> parameters(HotSpotRequest request, Grid grid, Located points) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("method", request.method().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (grid != null) {
            p.put("cellMetres", grid.cell);
            p.put("columns", grid.columns);
            p.put("rows", grid.rows);
            p.put(
                    "cellRule",
                    request.cellMetres().isPresent()
                            ? "as asked"
                            : "a hundredth of the shorter side of"
                                    + " the site's box, rounded to 10 m, between 50 and 1000 m");
            p.put(
                    "projection",
                    String.format(
                            Locale.ROOT,
                            "local sinusoidal about %.6f, %.6f (equal-area)",
                            points.plane.lon0,
                            points.plane.lat0));
        }
        if (request.method() == Method.GI_STAR) {
            p.put("units", request.layer().map(l -> "polygons of layer " + l).orElse("grid cells"));
            p.put("contiguity", request.contiguity().name().toLowerCase(Locale.ROOT));
            p.put("weights", "binary, each unit its own neighbour (Gi*)");
            p.put("permutations", request.permutations());
            p.put(
                    "pValues",
                    request.permutations() > 0
                            ? "two-sided pseudo p-values of conditional permutations, seed " + request.seed()
                            : "two-sided, normal distribution");
            p.put("correction", "Benjamini-Hochberg false-discovery rate");
            p.put("alpha", request.alpha());
        }
        return p;
    }

    static void writeMap(JsonGenerator g, String field, Map<String, Object> values) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeObject(e.getValue());
        }
        g.writeEndObject();
    }

    /**
     * What a reader of a Gi* result should know: too few records per unit for the statistic to mean much, and
     * permutations too few for any unit to pass the false-discovery correction.
     */
    static List<String> starNotes(Stars stars, int permutations, double alpha, String unit, double suggestedCell) {
        List<String> notes = new ArrayList<>();
        int n = stars.x().length;
        double total = 0;
        for (double v : stars.x()) {
            total += v;
        }
        double mean = total / n;
        if (mean < 0.5) {
            notes.add(String.format(
                    Locale.ROOT,
                    "few records per %s (%.2f on average): Gi* then marks the neighbours of"
                            + " single records; use larger cells%s or a layer's polygons",
                    unit,
                    mean,
                    suggestedCell > 0 ? String.format(Locale.ROOT, " (about %.0f m)", suggestedCell) : ""));
        }
        if (permutations > 0) {
            double smallest = 2.0 / (permutations + 1);
            int significant = 0;
            for (int i = 0; i < n; i++) {
                significant += stars.q()[i] < alpha ? 1 : 0;
            }
            if (significant == 0 && smallest * n > alpha) {
                notes.add(String.format(
                        Locale.ROOT,
                        "with %d permutations no pseudo p-value is under %.5f, and over %d"
                                + " units the false-discovery correction asks for less: use more permutations or fewer, larger"
                                + " units",
                        permutations,
                        smallest,
                        n));
            }
        }
        return notes;
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 0.5)) {
            throw bad("alpha", "must be above 0 and below 0.5 (0.05 is usual)");
        }
    }
}
