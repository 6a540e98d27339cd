package org.dmiplatform.api.reporting;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.programme.Programme.AreaKind;
import org.dmiplatform.api.records.Category;

/**
 * An intervention's outcome evaluation. Every figure is finite; what could not be computed is absent and said why in
 * {@link #notComputed}. Counts are of records that occurred in the area, by when they occurred in the site's time zone.
 *
 * @param callIn the day of the call-in at the site, which divides before from after
 * @param before the window before the call-in
 * @param after the window after it (from the call-in on)
 * @param areas target, comparison and buffer, as far as the intervention has them
 * @param rateRatio the difference in differences as a rate ratio: (target after / before) / (comparison after / before)
 * @param displacementQuotient Bowers and Johnson's weighted displacement quotient
 * @param displacementDifference Wheeler and Ratcliffe's weighted displacement difference
 * @param months the monthly series of the three areas over both windows
 * @param timeSeries the segmented Poisson regression of the target area's months
 * @param notComputed what is missing and what could not be computed, in the programme's words
 */
public record OutcomeReport(
        long intervention,
        String name,
        Optional<LocalDate> callIn,
        Optional<Window> before,
        Optional<Window> after,
        List<AreaCounts> areas,
        Optional<RateRatio> rateRatio,
        Optional<DisplacementQuotient> displacementQuotient,
        Optional<DisplacementDifference> displacementDifference,
        List<Month> months,
        Optional<SegmentedRegression> timeSeries,
        List<String> notComputed) {

    public OutcomeReport {
        areas = List.copyOf(areas);
        months = List.copyOf(months);
        notComputed = List.copyOf(notComputed);
    }

    /** A report with no figure: only what is missing. */
    public static OutcomeReport nothing(long intervention, String name, List<String> notComputed) {
        return new OutcomeReport(
                intervention,
                name,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                notComputed);
    }

    /**
     * @param from the first day
     * @param until the day after the last
     * @param months its length, which weighs its counts against the other window's
     */
    public record Window(LocalDate from, LocalDate until, int months) {}

    /**
     * @param percentChange the change in records a month, after against before; absent when there were none before
     */
    public record AreaCounts(
            AreaKind area, long before, long after, Optional<Double> percentChange, List<CategoryCounts> categories) {
        public AreaCounts {
            categories = List.copyOf(categories);
        }
    }

    public record CategoryCounts(Category category, long before, long after, Optional<Double> percentChange) {}

    /**
     * A ratio with its 95% confidence interval (Wald, on the log scale, counts taken as Poisson).
     *
     * @param ratio below 1: the target fell more (or rose less) than the comparison area
     */
    public record RateRatio(double ratio, double low, double high, double logStandardError) {}

    /**
     * Bowers and Johnson (2003): with R, B and C the target, buffer and comparison counts before (b) and after (a),
     * success = Ra/Ca - Rb/Cb, buffer change = Ba/Ca - Bb/Cb, quotient = buffer change / success.
     *
     * @param quotient absent when success is zero (no change in the target relative to the comparison area)
     * @param reading what the figures say, in Bowers and Johnson's terms
     */
    public record DisplacementQuotient(
            double success, double bufferChange, Optional<Double> quotient, String reading) {}

    /**
     * Wheeler and Ratcliffe (2018): local = (T1 - T0) - (C1 - C0), displacement = B1 - B0 (the buffer has no comparison
     * area of its own), total = local + displacement; each with its standard error under Poisson counts (the before
     * counts weighted to the after window's length), z = total / its standard error, and the 95% interval of the total.
     */
    public record DisplacementDifference(
            double local,
            double localStandardError,
            double displacement,
            double displacementStandardError,
            double total,
            double totalStandardError,
            double z,
            double low,
            double high) {}

    /**
     * @param period {@code before}, {@code call-in} (the month holding the call-in, in neither window of the
     *     regression) or {@code after}
     * @param target the area's records that month; absent when the area is not drawn
     */
    public record Month(
            YearMonth month, String period, Optional<Long> target, Optional<Long> comparison, Optional<Long> buffer) {}

    /**
     * The target area's monthly counts as log(mean) = b0 + b1 month + b2 after + b3 months since the call-in
     * [+ a yearly sine and cosine when at least two years of months are fitted], by Poisson regression with the
     * standard errors scaled by the Pearson dispersion when it exceeds 1 (quasi-Poisson); never narrower than Poisson.
     *
     * @param months how many months were fitted
     * @param seasonal whether the yearly terms were fitted
     * @param dispersion the Pearson chi-square over the residual degrees of freedom
     * @param trendBefore the monthly trend before the call-in, as a rate ratio a month
     * @param levelChange the change in level at the call-in, as a rate ratio
     * @param trendChange the change in the monthly trend after the call-in, as a rate ratio a month
     * @param fitted the model's mean for each fitted month, and the mean had the call-in changed nothing
     */
    public record SegmentedRegression(
            int months,
            boolean seasonal,
            double dispersion,
            Effect trendBefore,
            Effect levelChange,
            Effect trendChange,
            List<Fitted> fitted) {
        public SegmentedRegression {
            fitted = List.copyOf(fitted);
        }
    }

    /**
     * @param coefficient on the log scale
     * @param standardError of the coefficient
     * @param rateRatio exp(coefficient)
     * @param low the 95% interval of the rate ratio
     */
    public record Effect(double coefficient, double standardError, double rateRatio, double low, double high) {}

    public record Fitted(YearMonth month, long observed, double fitted, double withoutCallIn) {}
}
