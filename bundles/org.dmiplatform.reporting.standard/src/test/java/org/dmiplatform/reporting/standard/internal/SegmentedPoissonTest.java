package org.dmiplatform.reporting.standard.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * The segmented Poisson regression against R's glm() on the same 36 months (24 before the call-in, 12 after): the
 * figures are R 4.2.2's (src/test/resources/reference/outcome-reference.R and .out).
 */
public class SegmentedPoissonTest {
    static final long[] Y = {
        41, 38, 45, 52, 49, 56, 60, 55, 47, 44, 39, 43, 46, 40, 50, 58, 51, 63, 59, 61, 49, 41, 44, 38, 30, 27, 33, 35,
        29, 38, 34, 31, 26, 22, 25, 21
    };

    private static final double TOLERANCE = 1e-9;

    private static SegmentedPoisson.Fit fit(boolean seasonal) {
        return series(Y, 24, seasonal).orElseThrow();
    }

    /** Months 1 to n, the first {@code before} of them before the call-in, January first. */
    private static java.util.Optional<SegmentedPoisson.Fit> series(long[] y, int before, boolean seasonal) {
        int n = y.length;
        int[] t = new int[n];
        boolean[] after = new boolean[n];
        int[] since = new int[n];
        int[] month = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i + 1;
            after[i] = t[i] > before;
            since[i] = after[i] ? t[i] - before : 0;
            month[i] = i % 12 + 1;
        }
        return SegmentedPoisson.fit(y, t, after, since, month, seasonal);
    }

    @Test
    public void withoutSeasonsTheQuasiPoissonFitOfR() {
        // glm(y ~ t + post + tsince, family = quasipoisson): dispersion 1.116, so the errors are scaled
        SegmentedPoisson.Fit f = fit(false);
        assertEquals(1.1163504310760515, f.dispersion(), TOLERANCE);
        double[] beta = {3.8568218572219716833, 0.0023120167840732899, -0.3567194841633268831, -0.0306977819397494210};
        double[] se = {0.0642253510133755645, 0.0044646066648877884, 0.1300600123370532213, 0.0169819800681665495};
        for (int i = 0; i < 4; i++) {
            assertEquals("coefficient " + i, beta[i], f.beta()[i], TOLERANCE);
            assertEquals("standard error " + i, se[i], f.standardErrors()[i], TOLERANCE);
        }
        // confint.default(fit2)["post", ]: -0.61163..., -0.10181...
        var level = Evaluation.effect(f, SegmentedPoisson.LEVEL);
        assertEquals(Math.exp(-0.6116324241727861821), level.low(), TOLERANCE);
        assertEquals(Math.exp(-0.1018065441538675286), level.high(), TOLERANCE);
        assertEquals(Math.exp(-0.3567194841633268831), level.rateRatio(), TOLERANCE);
    }

    @Test
    public void withSeasonsAnUnderdispersedSeriesKeepsPoissonErrors() {
        // glm(y ~ t + post + tsince + s + k): dispersion 0.277 < 1, so the errors are Poisson's (family = poisson)
        SegmentedPoisson.Fit f = fit(true);
        assertEquals(0.27702824049668012, f.dispersion(), TOLERANCE);
        double[] beta = {
            3.8319814199098067853,
            0.0035826940002579959,
            -0.3829840026196618119,
            -0.0302509151594728271,
            -0.0189221220072875659,
            -0.1888678563749528194
        };
        double[] se = {
            0.0651296980465502356,
            0.0045969090388276483,
            0.1441637726886659809,
            0.0179329890946290336,
            0.0419830732138938498,
            0.0368248132128604078
        };
        for (int i = 0; i < 6; i++) {
            assertEquals("coefficient " + i, beta[i], f.beta()[i], TOLERANCE);
            assertEquals("standard error " + i, se[i], f.standardErrors()[i], TOLERANCE);
        }
        var change = Evaluation.effect(f, SegmentedPoisson.TREND_CHANGE);
        // confint.default(fitp)["tsince", ]
        assertEquals(Math.exp(-0.065398927920095273), change.low(), TOLERANCE);
        assertEquals(Math.exp(0.0048970976011496192), change.high(), TOLERANCE);
    }

    @Test
    public void aPeriodWithoutRecordsHasNoEstimate() {
        long[] y = {5, 6, 4, 7, 5, 0, 0, 0, 0};
        int[] t = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        boolean[] after = {false, false, false, false, false, true, true, true, true};
        int[] since = {0, 0, 0, 0, 0, 1, 2, 3, 4};
        int[] month = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertTrue(SegmentedPoisson.fit(y, t, after, since, month, false).isEmpty());
        // too few months for the terms
        assertTrue(SegmentedPoisson.fit(
                        new long[] {1, 2, 3, 4},
                        new int[] {1, 2, 3, 4},
                        new boolean[4],
                        new int[4],
                        new int[] {1, 2, 3, 4},
                        false)
                .isEmpty());
    }

    @Test
    public void aCloseToSeparatedSeriesHasNoEstimateRatherThanAnInfiniteInterval() {
        // twelve ordinary months, then records in the first month after the call-in only: the best fit runs off
        long[] y = {5, 6, 4, 7, 5, 6, 5, 4, 6, 5, 7, 6, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        var fit = series(y, 12, false);
        fit.ifPresent(f -> {
            for (int a = 0; a < 4; a++) {
                assertTrue(Double.isFinite(Evaluation.effect(f, a).high()));
            }
        });
        assertTrue("no estimate: the change is not finite", fit.isEmpty());
    }
}
