package org.dmiplatform.mapping.jts.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.dmiplatform.api.mapping.HotSpotRequest.Contiguity;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Gi* against R spdep's {@code localG} on the reference grid, Benjamini-Hochberg against R's {@code p.adjust}, the
 * normal tail against R's {@code pnorm}, and the conditional permutations against their exact distribution.
 */
public class GiStarTest {
    static final int COLUMNS = 31;
    static final int ROWS = 24;

    private static double[] counts;
    private static double[] zQueen;
    private static double[] zRook;

    @BeforeClass
    public static void readReference() {
        List<double[]> rows = TestData.csv("reference/gistar-grid.csv", "row,col,count,z_queen,z_rook");
        assertEquals(COLUMNS * ROWS, rows.size());
        counts = new double[rows.size()];
        zQueen = new double[rows.size()];
        zRook = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            // the lines come row by row: index = row * 31 + col
            assertEquals(i, (int) r[0] * COLUMNS + (int) r[1]);
            counts[i] = r[2];
            zQueen[i] = r[3];
            zRook[i] = r[4];
        }
        assertEquals(822, Arrays.stream(counts).sum(), 0);
    }

    @Test
    public void zEqualsSpdepLocalGQueen() {
        assertSameZ(zQueen, GiStar.z(counts, Neighbours.grid(COLUMNS, ROWS, Contiguity.QUEEN)));
    }

    @Test
    public void zEqualsSpdepLocalGRook() {
        assertSameZ(zRook, GiStar.z(counts, Neighbours.grid(COLUMNS, ROWS, Contiguity.ROOK)));
    }

    private static void assertSameZ(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(
                    "cell " + i + " (row " + i / COLUMNS + ", col " + i % COLUMNS + ")", expected[i], actual[i], 1e-9);
        }
    }

    @Test
    public void queenAndRookNeighboursOfTheGrid() {
        Neighbours queen = Neighbours.grid(COLUMNS, ROWS, Contiguity.QUEEN);
        Neighbours rook = Neighbours.grid(COLUMNS, ROWS, Contiguity.ROOK);
        assertEquals(COLUMNS * ROWS, queen.units());
        // corner, edge, interior
        assertEquals(3, queen.count(0));
        assertEquals(2, rook.count(0));
        assertEquals(5, queen.count(5));
        assertEquals(3, rook.count(5));
        int interior = 5 * COLUMNS + 7;
        assertEquals(8, queen.count(interior));
        assertEquals(4, rook.count(interior));
        assertArrayEquals(
                new int[] {
                    interior - COLUMNS - 1,
                    interior - COLUMNS,
                    interior - COLUMNS + 1,
                    interior - 1,
                    interior + 1,
                    interior + COLUMNS - 1,
                    interior + COLUMNS,
                    interior + COLUMNS + 1
                },
                Arrays.copyOfRange(queen.ids, queen.start[interior], queen.start[interior + 1]));
        assertArrayEquals(
                new int[] {interior - COLUMNS, interior - 1, interior + 1, interior + COLUMNS},
                Arrays.copyOfRange(rook.ids, rook.start[interior], rook.start[interior + 1]));
        // no wrap from the end of one row to the start of the next
        int endOfRow = 2 * COLUMNS - 1;
        for (int k = queen.start[endOfRow]; k < queen.start[endOfRow + 1]; k++) {
            assertTrue(queen.ids[k] % COLUMNS >= COLUMNS - 2);
        }
        // symmetric
        for (Neighbours nb : List.of(queen, rook)) {
            for (int i = 0; i < nb.units(); i++) {
                for (int k = nb.start[i]; k < nb.start[i + 1]; k++) {
                    int j = nb.ids[k];
                    assertTrue(Arrays.binarySearch(nb.ids, nb.start[j], nb.start[j + 1], i) >= 0);
                }
            }
        }
    }

    @Test
    public void zIsNaNWithoutVariance() {
        double[] same = new double[12];
        Arrays.fill(same, 3);
        double[] z = GiStar.z(same, Neighbours.grid(4, 3, Contiguity.QUEEN));
        for (double v : z) {
            assertTrue(Double.isNaN(v));
        }
        for (double p : GiStar.pNormal(z)) {
            assertEquals(1.0, p, 0);
        }
    }

    @Test
    public void benjaminiHochbergAsRPAdjust() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.20), "BH") = 0.04 0.05333333 0.05333333 0.20
        assertArrayEquals(
                new double[] {0.04, 0.16 / 3, 0.16 / 3, 0.20},
                GiStar.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.20}),
                1e-15);
        // R: p.adjust(c(0.01, 0.02, 0.03, 0.20), "BH") = 0.04 0.04 0.04 0.20
        assertArrayEquals(
                new double[] {0.04, 0.04, 0.04, 0.20},
                GiStar.benjaminiHochberg(new double[] {0.01, 0.02, 0.03, 0.20}),
                1e-15);
        // R: p.adjust(c(0.5, 0.001, 0.2, 0.04, 0.04, 0.9, 0.011), "BH"), ties and an unsorted input
        assertArrayEquals(
                new double[] {
                    0.5833333333333333703,
                    0.0070000000000000001,
                    0.2799999999999999711,
                    0.0700000000000000067,
                    0.0700000000000000067,
                    0.9000000000000000222,
                    0.0384999999999999995
                },
                GiStar.benjaminiHochberg(new double[] {0.5, 0.001, 0.2, 0.04, 0.04, 0.9, 0.011}),
                1e-15);
        assertArrayEquals(new double[] {1.0, 1.0}, GiStar.benjaminiHochberg(new double[] {1.0, 1.0}), 0);
        assertEquals(0, GiStar.benjaminiHochberg(new double[0]).length);
    }

    @Test
    public void pNormalAsRPnorm() {
        double[] p = GiStar.pNormal(
                new double[] {1.959963984540054, -1.959963984540054, 0, 1, -3, Double.POSITIVE_INFINITY, 40});
        // R: 2 * pnorm(-1.959963984540054) = 0.050000000000000024
        assertEquals(0.05, p[0], 1e-12);
        assertEquals(0.05, p[1], 1e-12);
        assertEquals(1.0, p[2], 0);
        // R: 2 * pnorm(-1) = 0.31731050786291409, 2 * pnorm(-3) = 0.0026997960632601892
        assertEquals(0.31731050786291409, p[3], 1e-14);
        assertEquals(0.0026997960632601892, p[4], 1e-14);
        // not finite: no evidence either way
        assertEquals(1.0, p[5], 0);
        assertEquals(0.0, p[6], 1e-300);
        // R: pnorm(-8) = 6.220960574271785e-16, pnorm(0.5) = 0.69146246127401312
        assertEquals(6.220960574271785e-16, Normal.cumulative(-8), 1e-14);
        assertEquals(0.69146246127401312, Normal.cumulative(0.5), 1e-14);
        assertEquals(1 - 0.69146246127401312, Normal.upperTail(0.5), 1e-14);
    }

    @Test
    public void pPermutedIsAPValueAndRepeatsForASeed() {
        Neighbours nb = Neighbours.grid(COLUMNS, ROWS, Contiguity.QUEEN);
        double[] a = GiStar.pPermuted(counts, nb, 199, 42);
        double[] b = GiStar.pPermuted(counts, nb, 199, 42);
        double[] c = GiStar.pPermuted(counts, nb, 199, 43);
        assertArrayEquals(a, b, 0);
        assertFalse(Arrays.equals(a, c));
        for (double[] p : List.of(a, c)) {
            for (double v : p) {
                assertTrue(v > 0 && v <= 1);
                // (1 + k) / 200 for a whole k
                assertEquals(Math.rint(v * 200), v * 200, 1e-9);
            }
        }
    }

    @Test
    public void strongestHotCellHasTheSmallestPseudoP() {
        Neighbours nb = Neighbours.grid(COLUMNS, ROWS, Contiguity.QUEEN);
        int hottest = 0;
        for (int i = 1; i < zQueen.length; i++) {
            if (zQueen[i] > zQueen[hottest]) {
                hottest = i;
            }
        }
        assertTrue(zQueen[hottest] > 11);
        double[] p = GiStar.pPermuted(counts, nb, 999, 20261130L);
        assertEquals(2.0 / 1000, p[hottest], 0);
        // every cell with z above 5 is beyond all but a few of the 999 draws
        for (int i = 0; i < p.length; i++) {
            if (zQueen[i] > 5) {
                assertTrue("cell " + i + ": " + p[i], p[i] <= 0.005);
            }
        }
    }

    /**
     * The pseudo p-values of a 4 x 4 grid (rook) against the exact distribution of the neighbours' sum under
     * conditional randomisation: the cell keeps its own value, its k neighbours are k of the other 15 values, every
     * set equally likely. With 19999 permutations the estimate is within 4.5 standard errors of the exact tail.
     */
    @Test
    public void pPermutedFollowsTheExactConditionalDistribution() {
        double[] x = {0, 1, 1, 2, 3, 0, 5, 8, 1, 2, 13, 0, 4, 1, 2, 7};
        Neighbours nb = Neighbours.grid(4, 4, Contiguity.ROOK);
        int permutations = 19999;
        double[] p = GiStar.pPermuted(x, nb, permutations, 7);
        for (int i = 0; i < x.length; i++) {
            double[] others = new double[x.length - 1];
            for (int j = 0, m = 0; j < x.length; j++) {
                if (j != i) {
                    others[m++] = x[j];
                }
            }
            double observed = 0;
            for (int k = nb.start[i]; k < nb.start[i + 1]; k++) {
                observed += x[nb.ids[k]];
            }
            long[] tally = new long[3]; // at least, at most, all
            subsets(others, nb.count(i), 0, 0, observed, tally);
            double tail = Math.min(tally[0], tally[1]) / (double) tally[2];
            double expected = Math.min(1, 2 * (1 + tail * permutations) / (permutations + 1));
            double se = Math.sqrt(tail * (1 - tail) / permutations) + 1e-9;
            assertEquals("cell " + i, expected, p[i], 2 * (4.5 * se + 1.0 / (permutations + 1)));
        }
    }

    /**
     * The permutations are conditional: a unit keeps its own value and only its neighbours are drawn, so a lone spike
     * with quiet neighbours has a large analytic z but an unremarkable pseudo p-value, while a quiet unit beside
     * spikes has a small one.
     */
    @Test
    public void pPermutedJudgesTheNeighboursOnly() {
        SplittableRandom random = new SplittableRandom(3);
        double[] x = new double[COLUMNS * ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(10) == 0 ? 1 : 0;
        }
        int spike = 10 * COLUMNS + 10;
        Neighbours rook = Neighbours.grid(COLUMNS, ROWS, Contiguity.ROOK);
        for (int k = rook.start[spike]; k < rook.start[spike + 1]; k++) {
            x[rook.ids[k]] = 0;
        }
        x[spike] = 100;
        int beside = 15 * COLUMNS + 15;
        x[beside] = 0;
        for (int k = rook.start[beside]; k < rook.start[beside + 1]; k++) {
            x[rook.ids[k]] = 50;
        }
        double[] z = GiStar.z(x, rook);
        double[] p = GiStar.pPermuted(x, rook, 999, 1);
        assertTrue(z[spike] > 5);
        assertTrue("p " + p[spike], p[spike] > 0.5);
        assertTrue(z[beside] > 10);
        assertEquals(2.0 / 1000, p[beside], 0);
    }

    private static void subsets(double[] v, int k, int from, double sum, double observed, long[] tally) {
        if (k == 0) {
            tally[0] += sum >= observed ? 1 : 0;
            tally[1] += sum <= observed ? 1 : 0;
            tally[2]++;
            return;
        }
        for (int i = from; i <= v.length - k; i++) {
            subsets(v, k - 1, i + 1, sum + v[i], observed, tally);
        }
    }

    /**
     * Counts with no spatial pattern (Poisson noise of mean 6 on 744 cells): about one in twenty cells has a pseudo p
     * under 0.05, and after the false-discovery correction none is called.
     */
    @Test
    public void noiseGivesAboutTheNominalShareOfSmallPValues() {
        SplittableRandom random = new SplittableRandom(20261130L);
        double[] x = new double[COLUMNS * ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = poisson(random, 6);
        }
        Neighbours nb = Neighbours.grid(COLUMNS, ROWS, Contiguity.QUEEN);
        double[] p = GiStar.pPermuted(x, nb, 999, 1234);
        int small = 0;
        for (double v : p) {
            small += v < 0.05 ? 1 : 0;
        }
        double share = small / (double) p.length;
        System.out.println("noise: share of permutation p < 0.05: " + share);
        assertTrue("share " + share, share >= 0.02 && share <= 0.09);
        double[] q = GiStar.benjaminiHochberg(p);
        assertTrue(Arrays.stream(q).min().orElseThrow() > 0.05);
        double[] pz = GiStar.pNormal(GiStar.z(x, nb));
        int smallZ = 0;
        for (double v : pz) {
            smallZ += v < 0.05 ? 1 : 0;
        }
        double shareZ = smallZ / (double) pz.length;
        System.out.println("noise: share of normal p < 0.05: " + shareZ);
        assertTrue("share " + shareZ, shareZ >= 0.02 && shareZ <= 0.09);
    }

    static int poisson(SplittableRandom random, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double prod = random.nextDouble();
        while (prod > l) {
            k++;
            prod *= random.nextDouble();
        }
        return k;
    }
}
