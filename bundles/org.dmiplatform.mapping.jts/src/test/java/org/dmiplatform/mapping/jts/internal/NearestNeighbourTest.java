package org.dmiplatform.mapping.jts.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.SplittableRandom;
import org.junit.Test;

/** The nearest-neighbour search against brute force, and the Clark-Evans index on known patterns. */
public class NearestNeighbourTest {

    /** Each point's distance to its nearest other point, by comparing every pair. */
    static double[] bruteForce(double[] xs, double[] ys, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double dx = xs[j] - xs[i];
                    double dy = ys[j] - ys[i];
                    best = Math.min(best, dx * dx + dy * dy);
                }
            }
            out[i] = Math.sqrt(best);
        }
        return out;
    }

    private static void assertSameAsBruteForce(String what, double[] xs, double[] ys) {
        int n = xs.length;
        double[] expected = bruteForce(xs, ys, n);
        double[] actual = NearestNeighbour.nearest(xs, ys, n);
        assertEquals(n, actual.length);
        for (int i = 0; i < n; i++) {
            if (expected[i] != actual[i]) {
                fail(what + ": point " + i + " (" + xs[i] + ", " + ys[i] + ") nearest " + expected[i] + " but was "
                        + actual[i]);
            }
        }
    }

    @Test
    public void nearestEqualsBruteForceOnUniformPointsWithDuplicates() {
        SplittableRandom random = new SplittableRandom(20261130L);
        int n = 3000;
        double[] xs = new double[n];
        double[] ys = new double[n];
        int duplicates = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && random.nextInt(10) == 0) {
                // geocoded to the same block as an earlier record
                int j = random.nextInt(i);
                xs[i] = xs[j];
                ys[i] = ys[j];
                duplicates++;
            } else {
                xs[i] = random.nextDouble() * 20_000 - 10_000;
                ys[i] = random.nextDouble() * 12_000 - 3_000;
            }
        }
        assertTrue(duplicates > 200);
        assertSameAsBruteForce("uniform", xs, ys);
        int zeros = 0;
        for (double d : NearestNeighbour.nearest(xs, ys, n)) {
            zeros += d == 0 ? 1 : 0;
        }
        assertTrue(zeros >= duplicates);
    }

    @Test
    public void nearestEqualsBruteForceOnClustersAndFarOutliers() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 3000;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            if (i < 2900) {
                // two tight clusters
                double cx = i % 2 == 0 ? 0 : 5_000;
                xs[i] = cx + random.nextDouble() * 30;
                ys[i] = random.nextDouble() * 30;
            } else {
                // a few far outliers, so most buckets are empty
                xs[i] = random.nextDouble() * 40_000 - 20_000;
                ys[i] = random.nextDouble() * 40_000 - 20_000;
            }
        }
        assertSameAsBruteForce("clusters", xs, ys);
    }

    @Test
    public void nearestEqualsBruteForceOnALineAndOnIntegerBlocks() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 1500;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = random.nextDouble() * 10_000;
            ys[i] = 42;
        }
        assertSameAsBruteForce("horizontal line", xs, ys);
        assertSameAsBruteForce("vertical line", ys, xs);
        for (int i = 0; i < n; i++) {
            xs[i] = random.nextInt(40) * 100.0;
            ys[i] = random.nextInt(30) * 100.0;
        }
        assertSameAsBruteForce("blocks", xs, ys);
        assertSameAsBruteForce("two points", new double[] {3, 3}, new double[] {4, 8});
        assertSameAsBruteForce("one place", new double[] {1, 1, 1}, new double[] {2, 2, 2});
    }

    @Test
    public void aSquareLatticeHasIndexTwo() {
        int cols = 50;
        int rows = 40;
        double d = 10;
        int n = cols * rows;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = 1000 + (i % cols) * d;
            ys[i] = -500 + (i / cols) * d;
        }
        NearestNeighbour nni = NearestNeighbour.of(xs, ys, n, n * d * d);
        assertEquals(d, nni.observedMetres(), 1e-12);
        assertEquals(d / 2, nni.expectedMetres(), 1e-12);
        assertEquals(2.0, nni.index(), 1e-12);
        assertEquals(n, nni.points());
        assertEquals(n * d * d, nni.areaM2(), 0);
        // (d - d/2) / (0.26136 * sqrt(n d^2) / n)
        assertEquals((d / 2) / (0.26136 * Math.sqrt(n * d * d) / n), nni.z(), 1e-9);
        assertTrue(nni.z() > 1.96);
    }

    @Test
    public void clusteredPointsHaveIndexUnderOne() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 600;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            double cx = (i % 3) * 3_000;
            xs[i] = cx + random.nextGaussian() * 40;
            ys[i] = random.nextGaussian() * 40;
        }
        double area = 9_000.0 * 9_000.0;
        NearestNeighbour nni = NearestNeighbour.of(xs, ys, n, area);
        assertTrue("index " + nni.index(), nni.index() < 1);
        assertTrue("z " + nni.z(), nni.z() < -1.96);
        double mean = 0;
        for (double v : bruteForce(xs, ys, n)) {
            mean += v / n;
        }
        assertEquals(mean, nni.observedMetres(), 1e-9);
        assertEquals(0.5 * Math.sqrt(area / n), nni.expectedMetres(), 1e-12);
    }

    @Test
    public void randomPointsHaveIndexNearOne() {
        SplittableRandom random = new SplittableRandom(99);
        int n = 4000;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = random.nextDouble() * 10_000;
            ys[i] = random.nextDouble() * 10_000;
        }
        NearestNeighbour nni = NearestNeighbour.of(xs, ys, n, 1e8);
        // the edge effect makes the observed mean a little larger than 0.5 sqrt(A/n)
        assertEquals(1.0, nni.index(), 0.05);
    }

    @Test
    public void fewerThanTwoPointsOrNoAreaIsRefused() {
        try {
            NearestNeighbour.of(new double[] {1}, new double[] {1}, 1, 100);
            fail("one point was accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("at least two"));
        }
        try {
            NearestNeighbour.of(new double[0], new double[0], 0, 100);
            fail("no point was accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("at least two"));
        }
        try {
            NearestNeighbour.of(new double[] {1, 2}, new double[] {1, 2}, 2, 0);
            fail("an area of 0 was accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("larger than zero"));
        }
    }
}
