package org.dmiplatform.mapping.jts.internal;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;

/**
 * Which polygon of a layer holds a point: the first, in the layer's order, whose interior or boundary holds it, or -1.
 * The answer equals testing every polygon in order with JTS's {@link IndexedPointInAreaLocator}; it is found faster by
 * a raster laid over the layer: a raster cell that no polygon edge passes through lies wholly inside one answer, known
 * in advance; only points in cells an edge crosses are tested, against the polygons that reach that cell.
 */
final class PolygonIndex {
    private static final int[] NONE = new int[0];

    private final double minX;
    private final double minY;
    private final double cellW;
    private final double cellH;
    private final int cols;
    private final int rows;
    /** For a cell no edge crosses: the answer + 1 (0 for none); for a crossed cell: -1 - its slot in candidates. */
    private final int[] answer;

    private final int[][] candidates;
    private final IndexedPointInAreaLocator[] locators;

    PolygonIndex(List<Geometry> polygons) {
        this(polygons, Math.max(16, (int) Math.min(1024, Math.ceil(Math.sqrt(polygons.size() * 256.0)))));
    }

    PolygonIndex(List<Geometry> polygons, int side) {
        Envelope all = new Envelope();
        for (Geometry g : polygons) {
            all.expandToInclude(g.getEnvelopeInternal());
        }
        this.minX = all.getMinX();
        this.minY = all.getMinY();
        this.cols = side;
        this.rows = side;
        this.cellW = Math.max(all.getWidth(), 1e-12) / side;
        this.cellH = Math.max(all.getHeight(), 1e-12) / side;
        this.locators = new IndexedPointInAreaLocator[polygons.size()];
        for (int p = 0; p < polygons.size(); p++) {
            locators[p] = new IndexedPointInAreaLocator(polygons.get(p));
        }
        int cells = cols * rows;
        // which polygons' edges cross each cell, and which polygons' boxes reach it
        List<List<Integer>> reach = new ArrayList<>(cells);
        for (int i = 0; i < cells; i++) {
            reach.add(null);
        }
        boolean[] crossed = new boolean[cells];
        for (int p = 0; p < polygons.size(); p++) {
            Geometry g = polygons.get(p);
            Envelope e = g.getEnvelopeInternal();
            for (int r = row(e.getMinY()); r <= row(e.getMaxY()); r++) {
                for (int c = col(e.getMinX()); c <= col(e.getMaxX()); c++) {
                    List<Integer> list = reach.get(r * cols + c);
                    if (list == null) {
                        list = new ArrayList<>(2);
                        reach.set(r * cols + c, list);
                    }
                    list.add(p);
                }
            }
            for (int k = 0; k < g.getNumGeometries(); k++) {
                Polygon polygon = (Polygon) g.getGeometryN(k);
                mark(polygon.getExteriorRing().getCoordinates(), crossed);
                for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
                    mark(polygon.getInteriorRingN(h).getCoordinates(), crossed);
                }
            }
        }
        this.answer = new int[cells];
        List<int[]> slots = new ArrayList<>();
        Coordinate centre = new Coordinate();
        for (int i = 0; i < cells; i++) {
            List<Integer> list = reach.get(i);
            if (list == null) {
                answer[i] = 0;
            } else if (!crossed[i]) {
                centre.x = minX + (i % cols + 0.5) * cellW;
                centre.y = minY + (i / cols + 0.5) * cellH;
                answer[i] = test(list, centre) + 1;
            } else {
                int[] ids = list.stream().mapToInt(Integer::intValue).toArray();
                answer[i] = -1 - slots.size();
                slots.add(ids);
            }
        }
        this.candidates = slots.toArray(new int[0][]);
    }

    private int test(List<Integer> list, Coordinate c) {
        for (int p : list) {
            if (locators[p].locate(c) != Location.EXTERIOR) {
                return p;
            }
        }
        return -1;
    }

    private int col(double x) {
        int c = (int) Math.floor((x - minX) / cellW);
        return c < 0 ? 0 : Math.min(c, cols - 1);
    }

    private int row(double y) {
        int r = (int) Math.floor((y - minY) / cellH);
        return r < 0 ? 0 : Math.min(r, rows - 1);
    }

    /** Marks every cell an edge's box touches: a superset of the cells the edge passes through. */
    private void mark(Coordinate[] ring, boolean[] crossed) {
        for (int k = 0; k + 1 < ring.length; k++) {
            Coordinate a = ring[k];
            Coordinate b = ring[k + 1];
            int c0 = col(Math.min(a.x, b.x));
            int c1 = col(Math.max(a.x, b.x));
            int r0 = row(Math.min(a.y, b.y));
            int r1 = row(Math.max(a.y, b.y));
            for (int r = r0; r <= r1; r++) {
                for (int c = c0; c <= c1; c++) {
                    crossed[r * cols + c] = true;
                }
            }
        }
    }

    /** The index of the first polygon holding the point, or -1. */
    int locate(double x, double y) {
        double fc = Math.floor((x - minX) / cellW);
        double fr = Math.floor((y - minY) / cellH);
        int c;
        int r;
        if (fc < 0 || fr < 0 || fc > cols || fr > rows) {
            return -1;
        }
        // a point on the layer's east or north edge belongs to the last cell, as the edges do
        c = (int) Math.min(fc, cols - 1);
        r = (int) Math.min(fr, rows - 1);
        int a = answer[r * cols + c];
        if (a >= 0) {
            return a - 1;
        }
        Coordinate p = new Coordinate(x, y);
        for (int id : candidates[-1 - a]) {
            if (locators[id].locate(p) != Location.EXTERIOR) {
                return id;
            }
        }
        return -1;
    }

    static int[] none() {
        return NONE;
    }
}
