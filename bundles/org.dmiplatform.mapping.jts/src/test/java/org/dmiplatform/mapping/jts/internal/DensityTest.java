package org.dmiplatform.mapping.jts.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Binning and kernel density against numpy's {@code histogram2d} and scipy's
 * {@code gaussian_filter(mode='constant', truncate=4)} on the reference points.
 */
public class DensityTest {
    private static JsonNode params;
    private static double[] xs;
    private static double[] ys;
    private static Grid grid;

    @BeforeClass
    public static void readReference() throws IOException {
        try (InputStream in = TestData.open("reference/kde-params.json")) {
            params = new ObjectMapper().readTree(in);
        }
        List<double[]> points = TestData.csv("reference/kde-points.csv", "x,y");
        assertEquals(params.path("n").asInt(), points.size());
        xs = new double[points.size()];
        ys = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            xs[i] = points.get(i)[0];
            ys[i] = points.get(i)[1];
        }
        grid = new Grid(
                params.path("x0").asDouble(),
                params.path("y0").asDouble(),
                params.path("cell").asDouble(),
                params.path("nx").asInt(),
                params.path("ny").asInt());
        assertEquals(25.0, grid.cell, 0);
        assertEquals(120, grid.columns);
        assertEquals(80, grid.rows);
    }

    @Test
    public void countsEqualNumpyHistogram2d() {
        double[] counts = grid.count(xs, ys, xs.length);
        List<double[]> reference = TestData.csv("reference/kde-grid.csv", "row,col,count,density");
        assertEquals(grid.size(), reference.size());
        double total = 0;
        for (int i = 0; i < reference.size(); i++) {
            double[] r = reference.get(i);
            assertEquals(i, (int) r[0] * grid.columns + (int) r[1]);
            assertEquals("cell " + i, r[2], counts[i], 0);
            total += counts[i];
        }
        assertEquals(5000, total, 0);
    }

    @Test
    public void densityEqualsScipyGaussianFilterAt90Metres() {
        assertDensity("reference/kde-grid.csv", params.path("bandwidth").asDouble(), 14);
    }

    @Test
    public void densityEqualsScipyGaussianFilterAt32Point5Metres() {
        assertDensity(
                "reference/" + params.path("narrow").path("file").asText(),
                params.path("narrow").path("bandwidth").asDouble(),
                5);
    }

    private static void assertDensity(String resource, double bandwidth, int radius) {
        assertEquals(radius, Density.kernel(bandwidth / grid.cell).length / 2);
        double[] counts = grid.count(xs, ys, xs.length);
        double[] density = Density.density(counts, grid, xs.length, bandwidth);
        List<double[]> reference = TestData.csv(resource, "row,col,count,density");
        assertEquals(reference.size(), density.length);
        double worst = 0;
        for (int i = 0; i < density.length; i++) {
            double expected = reference.get(i)[3];
            double actual = density[i];
            double tolerance = 1e-9 * Math.max(Math.abs(expected), 1e-300);
            if (!(Math.abs(actual - expected) <= tolerance)) {
                throw new AssertionError(resource + " cell " + i + " (row " + i / grid.columns + ", col "
                        + i % grid.columns + "): expected " + expected + " but was " + actual);
            }
            if (expected != 0) {
                worst = Math.max(worst, Math.abs(actual - expected) / Math.abs(expected));
            }
        }
        System.out.println(resource + ": largest relative difference to scipy " + worst);
    }

    @Test
    public void kernelOfThreePointSixCells() {
        double[] w = Density.kernel(3.6);
        assertEquals(29, w.length);
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-15);
        // symmetric, largest in the middle, the Gaussian's shape
        for (int k = 0; k <= 14; k++) {
            assertEquals(w[14 + k], w[14 - k], 0);
            double shape = Math.exp(-0.5 * k * k / (3.6 * 3.6));
            assertEquals(shape, w[14 + k] / w[14], 1e-15);
        }
        // radius (int) (4 sigma + 0.5), as scipy: 5 for 1.3 cells, 10 for 2.6 (10.9 truncated)
        assertEquals(11, Density.kernel(1.3).length);
        assertEquals(21, Density.kernel(2.6).length);
    }

    @Test
    public void densitySumsToTheKernelMassInsideTheGrid() {
        // one point in the middle of a grid wider than the kernel: all its mass stays inside
        Grid g = new Grid(0, 0, 10, 101, 101);
        double[] counts = g.count(new double[] {505}, new double[] {505}, 1);
        assertEquals(1, counts[50 * 101 + 50], 0);
        double[] d = Density.density(counts, g, 1, 40);
        double sum = 0;
        for (double v : d) {
            sum += v * g.cell * g.cell;
        }
        assertEquals(1.0, sum, 1e-12);
        // a point in the corner cell keeps only about a quarter of its mass
        double[] corner = g.count(new double[] {5}, new double[] {5}, 1);
        double[] dc = Density.density(corner, g, 1, 40);
        double kept = 0;
        for (double v : dc) {
            kept += v * g.cell * g.cell;
        }
        double[] w = Density.kernel(4);
        double half = 0;
        for (int k = w.length / 2; k < w.length; k++) {
            half += w[k];
        }
        assertEquals(half * half, kept, 1e-12);
    }

    @Test
    public void gridIndexAndCovering() {
        Grid g = new Grid(100, 200, 10, 3, 2);
        assertEquals(0, g.index(100, 200));
        assertEquals(2, g.index(129.999, 209.999));
        assertEquals(3, g.index(100, 210));
        assertEquals(5, g.index(129.9, 219.9));
        assertEquals(-1, g.index(130, 200));
        assertEquals(-1, g.index(99.999, 205));
        assertEquals(-1, g.index(105, 220));
        Grid c = Grid.covering(0, 0, 95, 41, 10);
        assertEquals(10, c.columns);
        assertEquals(5, c.rows);
        try {
            Grid.covering(0, 0, 100_000, 100_000, 10);
            throw new AssertionError("a grid of 10^8 cells was made");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("use larger cells"));
        }
    }
}
