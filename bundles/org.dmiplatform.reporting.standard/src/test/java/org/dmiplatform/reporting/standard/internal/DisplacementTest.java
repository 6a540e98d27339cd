package org.dmiplatform.reporting.standard.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.dmiplatform.api.reporting.OutcomeReport.DisplacementDifference;
import org.dmiplatform.api.reporting.OutcomeReport.DisplacementQuotient;
import org.dmiplatform.api.reporting.OutcomeReport.RateRatio;
import org.junit.Test;

/**
 * The pre/post statistics against worked examples computed elsewhere: Wheeler and Ratcliffe (2018), "A simple weighted
 * displacement difference test to evaluate place based crime interventions", Crime Science 7:11 (their example, as the
 * tests of their R package ptools check it); R's glm() for the rate ratio and plain R arithmetic for Bowers and
 * Johnson's quotient (src/test/resources/reference/outcome-reference.R and its printed output).
 */
public class DisplacementTest {
    private static final double EXACT = 1e-12;

    @Test
    public void theWeightedDisplacementDifferenceOfWheelerAndRatcliffesExample() {
        // control 308 -> 318, treated 207 -> 110, displacement control 150 -> 140, displacement treated 178 -> 157
        DisplacementDifference d = Displacement.difference(207, 110, 308, 318, 178, 157, 150, 140, true, 12, 12)
                .orElseThrow();
        assertEquals(-107, d.local(), EXACT);
        assertEquals(-11, d.displacement(), EXACT);
        assertEquals(-118, d.total(), EXACT);
        assertEquals(Math.sqrt(1568), d.totalStandardError(), EXACT);
        // the paper: z = -2.98, 95% interval -196 to -40
        assertEquals(-2.98, Math.round(d.z() * 100) / 100.0, 0);
        assertEquals(-196, Math.round(d.low()), 0);
        assertEquals(-40, Math.round(d.high()), 0);
        assertEquals(-118 / Math.sqrt(1568), d.z(), EXACT);
    }

    @Test
    public void windowsOfDifferentLengthsWeighTheBeforeCounts() {
        // ptools::wdd(c(100,50), c(80,20), time_weights = c(2,1)): estimate -20, standard error sqrt(115)
        DisplacementDifference d = Displacement.difference(80, 20, 100, 50, 0, 0, 0, 0, false, 2, 1)
                .orElseThrow();
        assertEquals(-20, d.total(), EXACT);
        assertEquals(Math.sqrt(115), d.totalStandardError(), EXACT);
        assertEquals(0, d.displacementStandardError(), 0);
        // ptools::wdd(c(20,20), c(20,10)): -10 with standard error 8.3666
        assertEquals(
                -10,
                Displacement.difference(20, 10, 20, 20, 0, 0, 0, 0, false, 12, 12)
                        .orElseThrow()
                        .total(),
                EXACT);
        assertEquals(
                8.366600265340756,
                Displacement.difference(20, 10, 20, 20, 0, 0, 0, 0, false, 12, 12)
                        .orElseThrow()
                        .totalStandardError(),
                1e-12);
        assertTrue(
                "no records anywhere: no test",
                Displacement.difference(0, 0, 0, 0, 0, 0, 0, 0, true, 12, 12).isEmpty());
    }

    @Test
    public void theRateRatioIsThePoissonInteractionOfTheFourCounts() {
        // R: exp(coef(glm(counts ~ area * after, family = poisson))["areat:after"]) and confint.default
        RateRatio r = Displacement.rateRatio(207, 110, 308, 318).orElseThrow();
        assertEquals(0.51469024397654428, r.ratio(), 1e-12);
        assertEquals(0.142524504209304098, r.logStandardError(), 1e-12);
        assertEquals(0.38925021246197639, r.low(), 1e-12);
        assertEquals(0.68055466320525593, r.high(), 1e-12);
        // a zero count has no rate ratio (its logarithm is infinite)
        assertTrue(Displacement.rateRatio(207, 0, 308, 318).isEmpty());
        assertTrue(Displacement.rateRatio(207, 110, 0, 318).isEmpty());
    }

    @Test
    public void theWeightedDisplacementQuotientAndItsReading() {
        // R: Ra/Ca - Rb/Cb, Ba/Ca - Bb/Cb and their quotient on the same counts
        DisplacementQuotient q =
                Displacement.quotient(207, 110, 178, 157, 308, 318).orElseThrow();
        assertEquals(-0.326165972392387482, q.success(), 1e-15);
        assertEquals(-0.084211386098178576, q.bufferChange(), 1e-15);
        assertEquals(0.258185688349089171, q.quotient().orElseThrow(), 1e-15);
        assertEquals("diffusion of benefits: the buffer improved as well", q.reading());
        assertTrue(Displacement.reading(-0.5).startsWith("displacement smaller than the direct effect"));
        assertTrue(Displacement.reading(-1.5).startsWith("displacement greater than the direct effect"));
        assertTrue(Displacement.reading(1.5).startsWith("diffusion of benefits greater"));
        // the target rose against the comparison area: no success to weigh displacement against
        DisplacementQuotient none =
                Displacement.quotient(100, 120, 50, 50, 100, 100).orElseThrow();
        assertTrue(none.reading().startsWith("no measured success"));
        assertTrue(Displacement.quotient(100, 100, 50, 50, 100, 100)
                .orElseThrow()
                .quotient()
                .isEmpty());
        assertTrue(
                "no comparison records after",
                Displacement.quotient(100, 80, 50, 40, 100, 0).isEmpty());
    }

    @Test
    public void percentChangeIsAChangeInRecordsAMonth() {
        assertEquals(-50, Displacement.percentChange(100, 50, 12, 12).orElseThrow(), EXACT);
        // 100 in 12 months before, 50 in 6 months after: the same rate
        assertEquals(0, Displacement.percentChange(100, 50, 12, 6).orElseThrow(), EXACT);
        assertFalse(Displacement.percentChange(0, 5, 12, 12).isPresent());
    }
}
