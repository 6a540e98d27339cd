package org.dmiplatform.mapping.jts.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/** The raster point-in-polygon index against testing every polygon in layer order. */
public class PolygonIndexTest {
    @ClassRule
    public static final TemporaryFolder TEMP = new TemporaryFolder();

    private static List<Geometry> beats;

    @BeforeClass
    public static void readBeats() throws IOException {
        try (InputStream in = TestData.open("layers/chicago-beats.geojson")) {
            LayerReader.Read read =
                    LayerReader.read("chicago-beats.geojson", in, TEMP.getRoot().toPath());
            beats = new ArrayList<>();
            for (Shape s : read.shapes()) {
                beats.add(s.geometry());
            }
        }
        assertEquals(277, beats.size());
    }

    /** Brute force: the first polygon in order whose locator does not say EXTERIOR, else -1. */
    static final class BruteForce {
        final List<Geometry> polygons;
        final IndexedPointInAreaLocator[] locators;
        final Envelope[] boxes;

        BruteForce(List<Geometry> polygons) {
            this.polygons = polygons;
            this.locators = new IndexedPointInAreaLocator[polygons.size()];
            this.boxes = new Envelope[polygons.size()];
            for (int i = 0; i < polygons.size(); i++) {
                locators[i] = new IndexedPointInAreaLocator(polygons.get(i));
                boxes[i] = polygons.get(i).getEnvelopeInternal();
            }
        }

        int locate(double x, double y) {
            Coordinate c = new Coordinate(x, y);
            for (int i = 0; i < locators.length; i++) {
                // a point outside the polygon's box is outside the polygon: only a shortcut
                if (boxes[i].covers(x, y) && locators[i].locate(c) != Location.EXTERIOR) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Points to try: random ones in (and a little beyond) the box, every vertex, every edge's midpoint. */
    static List<double[]> probes(List<Geometry> polygons, int random, long seed) {
        Envelope all = new Envelope();
        polygons.forEach(g -> all.expandToInclude(g.getEnvelopeInternal()));
        List<double[]> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < random; i++) {
            out.add(new double[] {
                all.getMinX() + r.nextDouble() * all.getWidth(), all.getMinY() + r.nextDouble() * all.getHeight()
            });
        }
        for (Geometry g : polygons) {
            for (int k = 0; k < g.getNumGeometries(); k++) {
                Polygon p = (Polygon) g.getGeometryN(k);
                List<Coordinate[]> rings = new ArrayList<>();
                rings.add(p.getExteriorRing().getCoordinates());
                for (int h = 0; h < p.getNumInteriorRing(); h++) {
                    rings.add(p.getInteriorRingN(h).getCoordinates());
                }
                for (Coordinate[] ring : rings) {
                    for (int v = 0; v + 1 < ring.length; v++) {
                        out.add(new double[] {ring[v].x, ring[v].y});
                        out.add(new double[] {(ring[v].x + ring[v + 1].x) / 2, (ring[v].y + ring[v + 1].y) / 2});
                    }
                }
            }
        }
        // the box's corners and edges, and just beyond them
        double[] xs = {all.getMinX(), all.getMaxX(), Math.nextUp(all.getMaxX()), all.getMaxX() + all.getWidth() / 50};
        double[] ys = {all.getMinY(), all.getMaxY(), Math.nextUp(all.getMaxY()), all.getMaxY() + all.getHeight() / 50};
        for (double x : xs) {
            for (int i = 0; i <= 200; i++) {
                out.add(new double[] {x, all.getMinY() + all.getHeight() * i / 200});
            }
        }
        for (double y : ys) {
            for (int i = 0; i <= 200; i++) {
                out.add(new double[] {all.getMinX() + all.getWidth() * i / 200, y});
            }
        }
        out.add(new double[] {Math.nextDown(all.getMinX()), all.centre().y});
        out.add(new double[] {all.centre().x, Math.nextDown(all.getMinY())});
        return out;
    }

    private static int[] assertSameAsBruteForce(String what, PolygonIndex index, BruteForce brute, List<double[]> ps) {
        int outside = 0;
        int onBoundary = 0;
        for (double[] p : ps) {
            int expected = brute.locate(p[0], p[1]);
            int actual = index.locate(p[0], p[1]);
            if (expected != actual) {
                fail(what + ": point " + p[0] + ", " + p[1] + " is in polygon " + expected + " but the index says "
                        + actual);
            }
            if (expected < 0) {
                outside++;
            } else if (brute.locators[expected].locate(new Coordinate(p[0], p[1])) == Location.BOUNDARY) {
                onBoundary++;
            }
        }
        return new int[] {outside, onBoundary};
    }

    @Test
    public void beatsAsBruteForceOnRandomPointsVerticesAndEdges() {
        BruteForce brute = new BruteForce(beats);
        PolygonIndex index = new PolygonIndex(beats);
        List<double[]> ps = probes(beats, 300_000, 20261130L);
        int[] tally = assertSameAsBruteForce("beats", index, brute, ps);
        System.out.println("beats: " + ps.size() + " points, " + tally[0] + " outside every beat, " + tally[1]
                + " on a beat's boundary");
        // the layer's box holds the lake and the suburbs too, and (almost) every vertex lies on a boundary
        int vertices = 0;
        for (Geometry g : beats) {
            vertices += g.getNumPoints() - g.getNumGeometries();
        }
        assertTrue(tally[0] > 10_000);
        assertTrue(tally[1] + " of " + vertices, tally[1] > 0.9 * vertices);
    }

    @Test
    public void beatsAsBruteForceWithCoarseAndFineRasters() {
        BruteForce brute = new BruteForce(beats);
        List<double[]> ps = probes(beats, 50_000, 5);
        for (int side : new int[] {1, 3, 16, 1024}) {
            assertSameAsBruteForce("raster " + side, new PolygonIndex(beats, side), brute, ps);
        }
    }

    @Test
    public void beatsInReverseOrderGiveTheLastBeatOnSharedEdges() {
        List<Geometry> reversed = new ArrayList<>(beats);
        Collections.reverse(reversed);
        BruteForce brute = new BruteForce(reversed);
        PolygonIndex forward = new PolygonIndex(beats);
        PolygonIndex backward = new PolygonIndex(reversed);
        List<double[]> ps = probes(beats, 20_000, 9);
        assertSameAsBruteForce("reversed", backward, brute, ps);
        int differ = 0;
        for (double[] p : ps) {
            int f = forward.locate(p[0], p[1]);
            int b = backward.locate(p[0], p[1]);
            if (f >= 0 && b >= 0 && f != beats.size() - 1 - b) {
                differ++;
            }
        }
        // points on a boundary shared by two beats go to the first in each order
        assertTrue("differ " + differ, differ > 1000);
    }

    private static Geometry wkt(String text) {
        try {
            return new WKTReader(LayerReader.GEOMETRY).read(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * A: a square with a hole; B: a square over A's hole and beyond; C: a square inside A's hole; D: two squares, one
     * of them under A. The first in order that holds a point, interior or boundary, is its polygon.
     */
    @Test
    public void overlapsHolesAndTheOrderRule() {
        Geometry a = wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (3 3, 7 3, 7 7, 3 7, 3 3))");
        Geometry b = wkt("POLYGON ((5 5, 15 5, 15 15, 5 15, 5 5))");
        Geometry c = wkt("POLYGON ((2 2, 8 2, 8 8, 2 8, 2 2))");
        Geometry d = wkt("MULTIPOLYGON (((20 0, 25 0, 25 5, 20 5, 20 0)), ((1 1, 2 1, 2 2, 1 2, 1 1)))");
        List<Geometry> layer = List.of(a, b, c, d);
        PolygonIndex index = new PolygonIndex(layer);
        assertEquals(0, index.locate(1, 1)); // A before D
        assertEquals(0, index.locate(1.5, 1.5));
        assertEquals(0, index.locate(8, 8)); // A before B
        assertEquals(1, index.locate(6, 6)); // in A's hole: B
        assertEquals(2, index.locate(4, 4)); // in A's hole, not in B: C
        assertEquals(0, index.locate(3, 5)); // on the hole's edge: A's boundary
        assertEquals(1, index.locate(5, 5)); // B's corner inside A's hole
        assertEquals(1, index.locate(12, 12));
        assertEquals(1, index.locate(10, 12));
        assertEquals(0, index.locate(10, 10)); // A's corner, also inside B
        assertEquals(3, index.locate(22, 2));
        assertEquals(3, index.locate(25, 5)); // the layer's north-east corner
        assertEquals(-1, index.locate(18, 2));
        assertEquals(-1, index.locate(25.01, 5));
        assertEquals(-1, index.locate(-0.001, 5));
        assertEquals(-1, index.locate(24, 15));
        // the other order: D's small square now wins at (1.5, 1.5), C wins in A's hole over B
        List<Geometry> other = List.of(d, c, b, a);
        PolygonIndex reversed = new PolygonIndex(other);
        assertEquals(0, reversed.locate(1.5, 1.5));
        assertEquals(1, reversed.locate(6, 6));
        assertEquals(2, reversed.locate(12, 12));
        assertEquals(3, reversed.locate(9, 1));
        BruteForce brute = new BruteForce(layer);
        BruteForce bruteOther = new BruteForce(other);
        List<double[]> ps = new ArrayList<>();
        for (double x = -1; x <= 26; x += 0.25) {
            for (double y = -1; y <= 16; y += 0.25) {
                ps.add(new double[] {x, y});
            }
        }
        ps.addAll(probes(layer, 20_000, 3));
        assertSameAsBruteForce("hand-made", index, brute, ps);
        assertSameAsBruteForce("hand-made, other order", reversed, bruteOther, ps);
        for (int side : new int[] {1, 2, 7, 50}) {
            assertSameAsBruteForce("hand-made, raster " + side, new PolygonIndex(layer, side), brute, ps);
        }
    }

    @Test
    public void anEmptyLayerHoldsNothing() {
        PolygonIndex index = new PolygonIndex(List.of());
        assertEquals(-1, index.locate(0, 0));
        assertEquals(-1, index.locate(-87.6, 41.8));
    }
}
