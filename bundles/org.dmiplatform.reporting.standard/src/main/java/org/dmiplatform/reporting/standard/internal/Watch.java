package org.dmiplatform.reporting.standard.internal;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Gamma;
import org.dmiplatform.api.reporting.MarketWatch;

/**
 * The weekly judgement of a closed market, from counts by day: weeks start on the call-in's day; the first
 * {@link #BASELINE_WEEKS} set the level the area is expected to keep; each later whole week exceeds when its
 * upper-tail Poisson probability at that level is below {@link #ALPHA}. Pure: the weeks depend on the counts alone.
 */
final class Watch {
    static final int BASELINE_WEEKS = 8;
    static final double ALPHA = 0.01;
    /** The least expected level: one record in four weeks, so that one record in a quiet area is no alarm. */
    static final double FLOOR = 0.25;

    private Watch() {}

    /**
     * @param byDay the area's records a day, from the call-in's day
     * @param today the site's today: only weeks that ended before it are judged
     */
    static MarketWatch.Measure measure(String name, LocalDate callIn, LocalDate today, Map<LocalDate, Long> byDay) {
        long whole = ChronoUnit.DAYS.between(callIn, today) / 7;
        long[] weeks = new long[(int) Math.max(0, whole)];
        byDay.forEach((day, n) -> {
            long week = ChronoUnit.DAYS.between(callIn, day) / 7;
            if (!day.isBefore(callIn) && week < weeks.length) {
                weeks[(int) week] += n;
            }
        });
        double sum = 0;
        for (int i = 0; i < Math.min(BASELINE_WEEKS, weeks.length); i++) {
            sum += weeks[i];
        }
        double expected = Math.max(FLOOR, sum / BASELINE_WEEKS);
        List<MarketWatch.Week> out = new ArrayList<>();
        for (int i = 0; i < weeks.length; i++) {
            boolean baseline = i < BASELINE_WEEKS;
            long count = weeks[i];
            // P(X >= k) for Poisson(mean) is the regularized lower incomplete gamma P(k, mean): exact far in the
            // tail, where 1 - P(X < k) would lose every digit
            double tail = baseline || count == 0 ? 1 : Gamma.regularizedGammaP(count, expected, 1e-16, 100_000);
            out.add(new MarketWatch.Week(callIn.plusWeeks(i), count, baseline, tail, !baseline && tail < ALPHA));
        }
        return new MarketWatch.Measure(name, weeks.length >= BASELINE_WEEKS ? expected : 0, out);
    }
}
