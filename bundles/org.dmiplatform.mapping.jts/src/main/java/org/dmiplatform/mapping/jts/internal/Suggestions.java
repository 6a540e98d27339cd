package org.dmiplatform.mapping.jts.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dmiplatform.api.mapping.AreaRequest;
import org.dmiplatform.api.mapping.HotSpotRequest.Contiguity;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.operation.union.CascadedPolygonUnion;

/**
 * Target, displacement and comparison areas from the pre-period's records.
 *
 * <ul>
 *   <li>Target: the grid cell with the highest significant Gi* z (queen, FDR), grown cell by cell through adjacent
 *       significant hot cells, the busiest first, while the area stays within the largest asked: a narrow area.
 *   <li>Buffer: the ring of the asked width around the target, where displacement would show.
 *   <li>Comparison: areas beyond the buffer (never adjacent to the target) with the most similar pre-period level
 *       and monthly pattern: windows of the target's size on the grid, or the polygons of a layer. Score = |total −
 *       target's| / target's + Σ|monthly − target's monthly| / target's total; lower is closer.
 * </ul>
 */
final class Suggestions {
    private Suggestions() {}

    static String suggest(AreaRequest request, Grid grid, Located points, LayerStore.Loaded layer) {
        List<Shape> layerPolygons = layer == null ? null : layer.shapes();
        if (!(request.maxTargetKm2() > 0 && request.maxTargetKm2() <= 25)) {
            throw Analysis.bad("maxTargetKm2", "must be above 0 and at most 25 km² (a target area is a few blocks)");
        }
        if (!(request.bufferMetres() >= 0 && request.bufferMetres() <= 5000)) {
            throw Analysis.bad("bufferMetres", "must be between 0 and 5000 metres");
        }
        if (request.comparisons() < 1 || request.comparisons() > 10) {
            throw Analysis.bad("comparisons", "must be between 1 and 10");
        }
        double[] counts = grid.count(points.xs, points.ys, points.n);
        Neighbours nb = Neighbours.grid(grid.columns, grid.rows, Contiguity.QUEEN);
        Analysis.Stars stars = Analysis.stars(counts, nb, 0, 0);
        int seed = -1;
        for (int i = 0; i < counts.length; i++) {
            if (stars.call(i, request.alpha()).equals("hot") && (seed < 0 || stars.z()[i] > stars.z()[seed])) {
                seed = i;
            }
        }
        if (seed < 0) {
            throw Analysis.bad(
                    "filter",
                    String.format(
                            Locale.ROOT,
                            "finds no significant hot spot (Gi*, false-discovery"
                                    + " rate %.2f, %.0f m cells) among its %d located records: widen the period or the categories, or use"
                                    + " larger cells",
                            request.alpha(),
                            grid.cell,
                            points.n));
        }
        double cellKm2 = grid.cell * grid.cell / 1e6;
        int maxCells = Math.max(1, (int) Math.floor(request.maxTargetKm2() / cellKm2));
        List<Integer> target = new ArrayList<>();
        boolean[] in = new boolean[counts.length];
        target.add(seed);
        in[seed] = true;
        // the frontier: hot cells next to the target, busiest first (then the lower index)
        java.util.PriorityQueue<Integer> frontier = new java.util.PriorityQueue<>(
                (a, b) -> counts[a] != counts[b] ? Double.compare(counts[b], counts[a]) : Integer.compare(a, b));
        boolean[] queued = new boolean[counts.length];
        int next = seed;
        while (true) {
            for (int k = nb.start[next]; k < nb.start[next + 1]; k++) {
                int j = nb.ids[k];
                if (!in[j] && !queued[j] && stars.call(j, request.alpha()).equals("hot")) {
                    queued[j] = true;
                    frontier.add(j);
                }
            }
            if (target.size() >= maxCells || frontier.isEmpty()) {
                break;
            }
            next = frontier.poll();
            in[next] = true;
            target.add(next);
        }
        List<Geometry> squares = new ArrayList<>();
        double targetTotal = 0;
        int minR = Integer.MAX_VALUE;
        int maxR = -1;
        int minC = Integer.MAX_VALUE;
        int maxC = -1;
        for (int cell : target) {
            squares.add(LayerReader.GEOMETRY.toGeometry(cellEnvelope(grid, cell)));
            targetTotal += counts[cell];
            minR = Math.min(minR, cell / grid.columns);
            maxR = Math.max(maxR, cell / grid.columns);
            minC = Math.min(minC, cell % grid.columns);
            maxC = Math.max(maxC, cell % grid.columns);
        }
        Geometry targetArea = CascadedPolygonUnion.union(squares);
        Geometry outer = targetArea.buffer(request.bufferMetres());
        Geometry buffer = outer.difference(targetArea);
        Geometry keepAway = targetArea.buffer(request.bufferMetres() + grid.cell);

        // months and per-cell monthly counts (sparse)
        int firstMonth = Integer.MAX_VALUE;
        int lastMonth = Integer.MIN_VALUE;
        for (int i = 0; i < points.n; i++) {
            firstMonth = Math.min(firstMonth, points.months[i]);
            lastMonth = Math.max(lastMonth, points.months[i]);
        }
        int months = Math.min(240, lastMonth - firstMonth + 1);
        Map<Integer, int[]> monthly = new HashMap<>();
        for (int i = 0; i < points.n; i++) {
            int cell = grid.index(points.xs[i], points.ys[i]);
            int m = points.months[i] - firstMonth;
            if (cell >= 0 && m < months) {
                monthly.computeIfAbsent(cell, c -> new int[months])[m]++;
            }
        }
        double[] targetMonthly = new double[months];
        for (int cell : target) {
            add(targetMonthly, monthly.get(cell));
        }
        final int first = firstMonth;
        List<Candidate> candidates = layerPolygons == null
                ? windows(grid, counts, monthly, months, maxR - minR + 1, maxC - minC + 1, keepAway, targetTotal)
                : polygons(points, layer, months, first, keepAway);
        for (Candidate c : candidates) {
            c.score = Math.abs(c.total - targetTotal) / Math.max(targetTotal, 1)
                    + profile(c.monthly, targetMonthly, targetTotal);
        }
        candidates.sort((a, b) -> Double.compare(a.score, b.score));
        List<Candidate> chosen = new ArrayList<>();
        for (Candidate c : candidates) {
            if (chosen.size() == request.comparisons()) {
                break;
            }
            boolean overlaps = chosen.stream().anyMatch(o -> o.geometry.intersects(c.geometry));
            if (!overlaps) {
                chosen.add(c);
            }
        }
        LocalMetres plane = points.plane;
        double total = points.n;
        double tt = targetTotal;
        double areaKm2 = targetArea.getArea() / 1e6;
        return Analysis.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "FeatureCollection");
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("cellMetres", grid.cell);
            p.put("statistic", "Getis-Ord Gi*, queen contiguity, Benjamini-Hochberg false-discovery rate");
            p.put("alpha", request.alpha());
            p.put("maxTargetKm2", request.maxTargetKm2());
            p.put("bufferMetres", request.bufferMetres());
            p.put(
                    "comparisonsFrom",
                    layerPolygons == null
                            ? "grid windows of the target's size"
                            : "layer " + request.comparisonLayer().orElse(""));
            p.put("months", months);
            Analysis.writeMap(g, "parameters", p);
            g.writeArrayFieldStart("features");
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("role", "target");
            t.put("records", (long) tt);
            t.put("cells", target.size());
            t.put("areaKm2", areaKm2);
            t.put("shareOfRecords", tt / total);
            t.put(
                    "reason",
                    String.format(
                            Locale.ROOT,
                            "%d adjacent %.0f m cells that are significant Gi* hot spots"
                                    + " (false-discovery rate %.2f), grown from the hottest, hold %d of the %d located records (%.1f%%)"
                                    + " in %.2f km²",
                            target.size(),
                            grid.cell,
                            request.alpha(),
                            (long) tt,
                            (long) total,
                            100 * tt / total,
                            areaKm2));
            write(g, targetArea, plane, t);
            if (!buffer.isEmpty()) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("role", "buffer");
                b.put("widthMetres", request.bufferMetres());
                b.put(
                        "reason",
                        String.format(
                                Locale.ROOT,
                                "the %.0f m ring around the target, where displacement would" + " show",
                                request.bufferMetres()));
                write(g, buffer, plane, b);
            }
            int rank = 1;
            for (Candidate c : chosen) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("role", "comparison");
                m.put("rank", rank++);
                if (c.id != null) {
                    m.put("id", c.id);
                    m.put("label", c.label);
                }
                m.put("records", (long) c.total);
                m.put("score", c.score);
                m.put(
                        "reason",
                        String.format(
                                Locale.ROOT,
                                "%d records against the target's %d (%+.0f%%), monthly pattern"
                                        + " %.0f%% apart, beyond the buffer",
                                (long) c.total,
                                (long) tt,
                                100 * (c.total - tt) / Math.max(tt, 1),
                                100 * profile(c.monthly, targetMonthly, tt)));
                write(g, c.geometry, plane, m, c.metres);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static double profile(double[] a, double[] b, double total) {
        double d = 0;
        for (int m = 0; m < a.length; m++) {
            d += Math.abs(a[m] - b[m]);
        }
        return d / Math.max(total, 1);
    }

    private static void add(double[] into, int[] values) {
        if (values != null) {
            for (int m = 0; m < into.length; m++) {
                into[m] += values[m];
            }
        }
    }

    static final class Candidate {
        Geometry geometry;
        boolean metres;
        String id;
        String label;
        double total;
        double[] monthly;
        double score;
    }

    static Envelope cellEnvelope(Grid grid, int cell) {
        double x0 = grid.x0 + (cell % grid.columns) * grid.cell;
        double y0 = grid.y0 + (cell / grid.columns) * grid.cell;
        return new Envelope(x0, x0 + grid.cell, y0, y0 + grid.cell);
    }

    /** Windows kept for their monthly pattern: the closest by level. */
    static final int CLOSEST = 200;

    private static List<Candidate> windows(
            Grid grid,
            double[] counts,
            Map<Integer, int[]> monthly,
            int months,
            int h,
            int w,
            Geometry keepAway,
            double targetTotal) {
        // totals of every window by a summed-area table; monthly series for the closest by level only
        int cols = grid.columns;
        double[] sat = new double[(grid.rows + 1) * (cols + 1)];
        for (int r = 0; r < grid.rows; r++) {
            for (int c = 0; c < cols; c++) {
                sat[(r + 1) * (cols + 1) + c + 1] = counts[r * cols + c]
                        + sat[r * (cols + 1) + c + 1]
                        + sat[(r + 1) * (cols + 1) + c]
                        - sat[r * (cols + 1) + c];
            }
        }
        Envelope away = keepAway.getEnvelopeInternal();
        // the closest windows by level, as (difference, row, column), the farthest on top
        java.util.PriorityQueue<double[]> closest = new java.util.PriorityQueue<>((a, b) -> Double.compare(b[0], a[0]));
        int step = Math.max(1, Math.min(w, h) / 2);
        for (int r = 0; r + h <= grid.rows; r += step) {
            for (int c = 0; c + w <= cols; c += step) {
                double total = sat[(r + h) * (cols + 1) + c + w]
                        - sat[r * (cols + 1) + c + w]
                        - sat[(r + h) * (cols + 1) + c]
                        + sat[r * (cols + 1) + c];
                if (total == 0) {
                    continue;
                }
                double difference = Math.abs(total - targetTotal);
                if (closest.size() == CLOSEST && difference >= closest.peek()[0]) {
                    continue;
                }
                Envelope e = envelope(grid, r, c, h, w);
                if (e.intersects(away) && keepAway.intersects(LayerReader.GEOMETRY.toGeometry(e))) {
                    continue;
                }
                closest.add(new double[] {difference, r, c, total});
                if (closest.size() > CLOSEST) {
                    closest.poll();
                }
            }
        }
        List<Candidate> out = new ArrayList<>();
        for (double[] window : closest) {
            int r = (int) window[1];
            int c = (int) window[2];
            Candidate k = new Candidate();
            k.geometry = LayerReader.GEOMETRY.toGeometry(envelope(grid, r, c, h, w));
            k.metres = true;
            k.total = window[3];
            k.monthly = new double[months];
            for (int rr = r; rr < r + h; rr++) {
                for (int cc = c; cc < c + w; cc++) {
                    add(k.monthly, monthly.get(rr * cols + cc));
                }
            }
            out.add(k);
        }
        return out;
    }

    private static Envelope envelope(Grid grid, int r, int c, int h, int w) {
        return new Envelope(
                grid.x0 + c * grid.cell,
                grid.x0 + (c + w) * grid.cell,
                grid.y0 + r * grid.cell,
                grid.y0 + (r + h) * grid.cell);
    }

    private static List<Candidate> polygons(
            Located points, LayerStore.Loaded layer, int months, int firstMonth, Geometry keepAwayMetres) {
        List<Shape> shapes = layer.shapes();
        // the layer's own index, on the records' own longitude and latitude: the same assignment as its counts
        PolygonIndex index = layer.index();
        Geometry keepAway = toDegrees(keepAwayMetres, points.plane);
        List<Candidate> out = new ArrayList<>();
        Candidate[] byPolygon = new Candidate[shapes.size()];
        for (int i = 0; i < shapes.size(); i++) {
            if (shapes.get(i).geometry().intersects(keepAway)) {
                continue;
            }
            Candidate k = new Candidate();
            k.geometry = shapes.get(i).geometry();
            k.id = shapes.get(i).id();
            k.label = shapes.get(i).label();
            k.monthly = new double[months];
            byPolygon[i] = k;
            out.add(k);
        }
        for (int i = 0; i < points.n; i++) {
            int p = index.locate(points.lons[i], points.lats[i]);
            if (p >= 0 && byPolygon[p] != null) {
                byPolygon[p].total++;
                int m = points.months[i] - firstMonth;
                if (m < months) {
                    byPolygon[p].monthly[m]++;
                }
            }
        }
        out.removeIf(k -> k.total == 0);
        return out;
    }

    static Geometry toDegrees(Geometry metres, LocalMetres plane) {
        Geometry copy = metres.copy();
        copy.apply(new CoordinateSequenceFilter() {
            @Override
            public void filter(CoordinateSequence seq, int i) {
                double x = seq.getX(i);
                double y = seq.getY(i);
                seq.setOrdinate(i, 0, Analysis.round(plane.lon(x, y)));
                seq.setOrdinate(i, 1, Analysis.round(plane.lat(y)));
            }

            @Override
            public boolean isDone() {
                return false;
            }

            @Override
            public boolean isGeometryChanged() {
                return true;
            }
        });
        copy.geometryChanged();
        return copy;
    }

    private static void write(JsonGenerator g, Geometry metres, LocalMetres plane, Map<String, Object> properties)
            throws IOException {
        write(g, metres, plane, properties, true);
    }

    private static void write(
            JsonGenerator g, Geometry geometry, LocalMetres plane, Map<String, Object> properties, boolean inMetres)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "Feature");
        Analysis.writeMap(g, "properties", properties);
        g.writeFieldName("geometry");
        LayerStore.geometry(g, polygonal(inMetres ? toDegrees(geometry, plane) : geometry));
        g.writeEndObject();
    }

    private static Geometry polygonal(Geometry g) {
        if (g instanceof org.locationtech.jts.geom.Polygonal) {
            return g;
        }
        List<org.locationtech.jts.geom.Polygon> parts = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            if (g.getGeometryN(i) instanceof org.locationtech.jts.geom.Polygon p) {
                parts.add(p);
            }
        }
        return LayerReader.GEOMETRY.createMultiPolygon(parts.toArray(new org.locationtech.jts.geom.Polygon[0]));
    }
}
