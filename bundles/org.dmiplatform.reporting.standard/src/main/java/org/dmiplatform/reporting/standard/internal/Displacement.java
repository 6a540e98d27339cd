package org.dmiplatform.reporting.standard.internal;

import java.util.Optional;
import org.dmiplatform.api.reporting.OutcomeReport.DisplacementDifference;
import org.dmiplatform.api.reporting.OutcomeReport.DisplacementQuotient;
import org.dmiplatform.api.reporting.OutcomeReport.RateRatio;

/**
 * The pre/post comparisons of a target area with its comparison area and its buffer. Counts are taken as Poisson;
 * intervals are 95% (z = 1.959963984540054).
 */
final class Displacement {
    static final double Z95 = 1.959963984540054;

    private Displacement() {}

    /**
     * The difference in differences as a rate ratio, (T1 / T0) / (C1 / C0), with its Wald interval on the log scale
     * (standard error sqrt(1/T0 + 1/T1 + 1/C0 + 1/C1)): the exponent of the interaction of a Poisson regression of the
     * four counts. The windows' lengths cancel. Absent when any count is zero.
     */
    static Optional<RateRatio> rateRatio(long t0, long t1, long c0, long c1) {
        if (t0 <= 0 || t1 <= 0 || c0 <= 0 || c1 <= 0) {
            return Optional.empty();
        }
        double log = Math.log(t1) - Math.log(t0) - Math.log(c1) + Math.log(c0);
        double se = Math.sqrt(1.0 / t0 + 1.0 / t1 + 1.0 / c0 + 1.0 / c1);
        return Optional.of(new RateRatio(Math.exp(log), Math.exp(log - Z95 * se), Math.exp(log + Z95 * se), se));
    }

    /**
     * Bowers and Johnson's weighted displacement quotient, from target (r), buffer (b) and comparison (c) counts before
     * (0) and after (1). Absent when the comparison area had no records in a window (the ratios are undefined).
     */
    static Optional<DisplacementQuotient> quotient(long r0, long r1, long b0, long b1, long c0, long c1) {
        if (c0 <= 0 || c1 <= 0) {
            return Optional.empty();
        }
        double success = (double) r1 / c1 - (double) r0 / c0;
        double bufferChange = (double) b1 / c1 - (double) b0 / c0;
        if (success >= 0) {
            return Optional.of(new DisplacementQuotient(
                    success,
                    bufferChange,
                    success == 0 ? Optional.empty() : Optional.of(bufferChange / success),
                    "no measured success: the target area did not fall relative to the comparison area, so the"
                            + " quotient does not measure displacement"));
        }
        double q = bufferChange / success;
        return Optional.of(new DisplacementQuotient(success, bufferChange, Optional.of(q), reading(q)));
    }

    /** Bowers and Johnson's reading of a quotient, when the target area improved. */
    static String reading(double q) {
        if (q > 1) {
            return "diffusion of benefits greater than the direct effect: the buffer improved more than the target";
        }
        if (q > 0) {
            return "diffusion of benefits: the buffer improved as well";
        }
        if (q == 0) {
            return "neither displacement nor diffusion";
        }
        if (q >= -1) {
            return "displacement smaller than the direct effect: a net benefit remains";
        }
        return "displacement greater than the direct effect: the intervention was counterproductive";
    }

    /**
     * Wheeler and Ratcliffe's weighted displacement difference. The before counts are weighted to the after window's
     * length ({@code beforeMonths / afterMonths}), their variances by the square of that weight. The buffer's change
     * is compared with that of a buffer around the comparison area (bc0, bc1) where there is one; an intervention has
     * none, so the report passes zeros and the buffer's difference is its own change.
     */
    static Optional<DisplacementDifference> difference(
            long t0,
            long t1,
            long c0,
            long c1,
            long b0,
            long b1,
            long bc0,
            long bc1,
            boolean buffer,
            int beforeMonths,
            int afterMonths) {
        double w = (double) beforeMonths / afterMonths;
        double local = (t1 - t0 / w) - (c1 - c0 / w);
        double localVariance = t1 + t0 / (w * w) + c1 + c0 / (w * w);
        double displacement = buffer ? (b1 - b0 / w) - (bc1 - bc0 / w) : 0;
        double displacementVariance = buffer ? b1 + b0 / (w * w) + bc1 + bc0 / (w * w) : 0;
        double total = local + displacement;
        double se = Math.sqrt(localVariance + displacementVariance);
        if (se == 0) {
            return Optional.empty();
        }
        return Optional.of(new DisplacementDifference(
                local,
                Math.sqrt(localVariance),
                displacement,
                Math.sqrt(displacementVariance),
                total,
                se,
                total / se,
                total - Z95 * se,
                total + Z95 * se));
    }

    /** The change in records a month, after against before; absent when there were none before. */
    static Optional<Double> percentChange(long before, long after, int beforeMonths, int afterMonths) {
        if (before <= 0) {
            return Optional.empty();
        }
        double perMonthBefore = (double) before / beforeMonths;
        double perMonthAfter = (double) after / afterMonths;
        return Optional.of((perMonthAfter - perMonthBefore) / perMonthBefore * 100);
    }
}
