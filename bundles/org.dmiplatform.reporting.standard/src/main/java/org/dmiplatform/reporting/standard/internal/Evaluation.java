package org.dmiplatform.reporting.standard.internal;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.dmiplatform.api.programme.Programme.AreaKind;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.reporting.OutcomeReport;
import org.dmiplatform.api.reporting.OutcomeReport.AreaCounts;
import org.dmiplatform.api.reporting.OutcomeReport.CategoryCounts;
import org.dmiplatform.api.reporting.OutcomeReport.Effect;
import org.dmiplatform.api.reporting.OutcomeReport.Fitted;
import org.dmiplatform.api.reporting.OutcomeReport.Month;
import org.dmiplatform.api.reporting.OutcomeReport.SegmentedRegression;
import org.dmiplatform.api.reporting.OutcomeReport.Window;

/**
 * The outcome evaluation from an intervention's counts: what the records store answered for each drawn area, by month
 * and category, in the window before the call-in and the window after. Pure: the figures depend on the counts alone.
 */
final class Evaluation {
    /** Fewer months than this on either side of the call-in and the regression is not fitted. */
    static final int MIN_MONTHS_EACH_SIDE = 3;
    /** From this many fitted months on, the regression has yearly terms. */
    static final int SEASONAL_MONTHS = 24;

    private Evaluation() {}

    /** An area's counts: month, then category, in each window. */
    record Counts(Map<YearMonth, Map<Category, Long>> before, Map<YearMonth, Map<Category, Long>> after) {
        long total(boolean afterWindow) {
            return (afterWindow ? after : before)
                    .values().stream()
                            .flatMap(m -> m.values().stream())
                            .mapToLong(Long::longValue)
                            .sum();
        }

        long inMonth(YearMonth month) {
            return before.getOrDefault(month, Map.of()).values().stream()
                            .mapToLong(Long::longValue)
                            .sum()
                    + after.getOrDefault(month, Map.of()).values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
        }

        Map<Category, long[]> byCategory() {
            Map<Category, long[]> out = new EnumMap<>(Category.class);
            before.values().forEach(m -> m.forEach((c, n) -> out.computeIfAbsent(c, k -> new long[2])[0] += n));
            after.values().forEach(m -> m.forEach((c, n) -> out.computeIfAbsent(c, k -> new long[2])[1] += n));
            return out;
        }
    }

    /** The windows around a call-in day: before = [day - months, day), after = [day, day + months). */
    static Window before(LocalDate callIn, int months) {
        return new Window(callIn.minusMonths(months), callIn, months);
    }

    static Window after(LocalDate callIn, int months) {
        return new Window(callIn, callIn.plusMonths(months), months);
    }

    static OutcomeReport evaluate(
            long intervention,
            String name,
            LocalDate callIn,
            int monthsBefore,
            int monthsAfter,
            Map<AreaKind, Counts> drawn,
            List<String> notes,
            LocalDate today) {
        List<String> notComputed = new ArrayList<>(notes);
        Window before = before(callIn, monthsBefore);
        Window after = after(callIn, monthsAfter);
        // an after window that is not over yet would compare a part of it with the whole window before
        boolean complete = !after.until().isAfter(today);
        if (!complete) {
            long elapsed = java.time.temporal.ChronoUnit.MONTHS.between(callIn, today);
            notComputed.add("changes, comparisons and the time series: the window after the call-in runs until "
                    + after.until().minusDays(1) + ", after today"
                    + (elapsed >= 1
                            ? "; a window of " + elapsed + " month(s) after the call-in is over (after=" + elapsed + ")"
                            : "; not one month since the call-in is over yet"));
        }
        List<AreaCounts> areas = new ArrayList<>();
        for (AreaKind kind : AreaKind.values()) {
            Counts counts = drawn.get(kind);
            if (counts == null) {
                continue;
            }
            long b = counts.total(false);
            long a = counts.total(true);
            List<CategoryCounts> categories = new ArrayList<>();
            counts.byCategory()
                    .forEach((category, n) -> categories.add(new CategoryCounts(
                            category,
                            n[0],
                            n[1],
                            complete
                                    ? Displacement.percentChange(n[0], n[1], monthsBefore, monthsAfter)
                                    : Optional.empty())));
            Optional<Double> change =
                    complete ? Displacement.percentChange(b, a, monthsBefore, monthsAfter) : Optional.empty();
            if (complete && change.isEmpty()) {
                notComputed.add("percent change in the " + kind.id() + " area: it had no records before the call-in");
            }
            areas.add(new AreaCounts(kind, b, a, change, categories));
        }
        Counts target = drawn.get(AreaKind.TARGET);
        Counts comparison = drawn.get(AreaKind.COMPARISON);
        Counts buffer = drawn.get(AreaKind.BUFFER);
        Optional<OutcomeReport.RateRatio> ratio = Optional.empty();
        Optional<OutcomeReport.DisplacementQuotient> quotient = Optional.empty();
        Optional<OutcomeReport.DisplacementDifference> difference = Optional.empty();
        if (!complete) {
            // said once above
        } else if (target == null || comparison == null) {
            notComputed.add("difference in differences, displacement quotient and difference: they need both a target"
                    + " and a comparison area");
        } else {
            long t0 = target.total(false);
            long t1 = target.total(true);
            long c0 = comparison.total(false);
            long c1 = comparison.total(true);
            ratio = Displacement.rateRatio(t0, t1, c0, c1);
            if (ratio.isEmpty()) {
                notComputed.add("difference in differences: the target or the comparison area had no records in a"
                        + " window (a rate ratio needs records in all four counts)");
            }
            difference = Displacement.difference(
                    t0,
                    t1,
                    c0,
                    c1,
                    buffer == null ? 0 : buffer.total(false),
                    buffer == null ? 0 : buffer.total(true),
                    0,
                    0,
                    buffer != null,
                    monthsBefore,
                    monthsAfter);
            if (difference.isEmpty()) {
                notComputed.add("displacement difference: no records in any area, before or after");
            }
            if (buffer == null) {
                notComputed.add("displacement quotient: the intervention has no buffer area");
            } else {
                quotient = Displacement.quotient(t0, t1, buffer.total(false), buffer.total(true), c0, c1);
                if (quotient.isEmpty()) {
                    notComputed.add("displacement quotient: the comparison area had no records in a window");
                }
            }
        }
        List<Month> months = months(before, after, callIn, target, comparison, buffer);
        Optional<SegmentedRegression> regression = Optional.empty();
        if (target == null) {
            notComputed.add("time series: the intervention has no target area");
        } else if (complete) {
            regression = regression(months, before, after, notComputed);
        }
        return new OutcomeReport(
                intervention,
                name,
                Optional.of(callIn),
                Optional.of(before),
                Optional.of(after),
                areas,
                ratio,
                quotient,
                difference,
                months,
                regression,
                notComputed);
    }

    private static List<Month> months(
            Window before, Window after, LocalDate callIn, Counts target, Counts comparison, Counts buffer) {
        YearMonth first = YearMonth.from(before.from());
        YearMonth last = YearMonth.from(after.until().minusDays(1));
        YearMonth callInMonth = YearMonth.from(callIn);
        TreeSet<YearMonth> all = new TreeSet<>();
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            all.add(m);
        }
        List<Month> out = new ArrayList<>();
        for (YearMonth m : all) {
            String period = m.isBefore(callInMonth) ? "before" : m.equals(callInMonth) ? "call-in" : "after";
            out.add(new Month(
                    m,
                    period,
                    Optional.ofNullable(target).map(c -> c.inMonth(m)),
                    Optional.ofNullable(comparison).map(c -> c.inMonth(m)),
                    Optional.ofNullable(buffer).map(c -> c.inMonth(m))));
        }
        return out;
    }

    /**
     * The whole months strictly before and strictly after the call-in month (a window's first and last months are
     * partial when the call-in is not on the first of a month, and are left out).
     */
    private static Optional<SegmentedRegression> regression(
            List<Month> months, Window before, Window after, List<String> notComputed) {
        YearMonth callInMonth = YearMonth.from(after.from());
        YearMonth partialFirst = before.from().getDayOfMonth() == 1 ? null : YearMonth.from(before.from());
        YearMonth partialLast = after.until().getDayOfMonth() == 1 ? null : YearMonth.from(after.until());
        List<Month> whole = months.stream()
                .filter(m -> !m.period().equals("call-in")
                        && !m.month().equals(partialFirst)
                        && !m.month().equals(partialLast))
                .toList();
        long beforeMonths =
                whole.stream().filter(m -> m.period().equals("before")).count();
        long afterMonths = whole.size() - beforeMonths;
        if (beforeMonths < MIN_MONTHS_EACH_SIDE || afterMonths < MIN_MONTHS_EACH_SIDE) {
            notComputed.add("time series: it needs at least " + MIN_MONTHS_EACH_SIDE
                    + " whole months on each side of the call-in month (has " + beforeMonths + " and " + afterMonths
                    + ")");
            return Optional.empty();
        }
        int n = whole.size();
        long[] y = new long[n];
        int[] t = new int[n];
        boolean[] afterCallIn = new boolean[n];
        int[] since = new int[n];
        int[] calendar = new int[n];
        YearMonth origin = whole.get(0).month();
        for (int i = 0; i < n; i++) {
            Month m = whole.get(i);
            y[i] = m.target().orElse(0L);
            t[i] = (int) (origin.until(m.month(), java.time.temporal.ChronoUnit.MONTHS) + 1);
            afterCallIn[i] = m.period().equals("after");
            since[i] = afterCallIn[i] ? (int) callInMonth.until(m.month(), java.time.temporal.ChronoUnit.MONTHS) : 0;
            calendar[i] = m.month().getMonthValue();
        }
        boolean seasonal = n >= SEASONAL_MONTHS;
        Optional<SegmentedPoisson.Fit> fit = SegmentedPoisson.fit(y, t, afterCallIn, since, calendar, seasonal);
        if (fit.isEmpty()) {
            notComputed.add("time series: the regression does not converge (a period without records in the target"
                    + " area, or too little variation to estimate a change)");
            return Optional.empty();
        }
        SegmentedPoisson.Fit f = fit.get();
        for (int which : new int[] {SegmentedPoisson.TREND, SegmentedPoisson.LEVEL, SegmentedPoisson.TREND_CHANGE}) {
            Effect e = effect(f, which);
            if (!Double.isFinite(e.low()) || !Double.isFinite(e.high()) || !Double.isFinite(e.rateRatio())) {
                notComputed.add("time series: an interval of the regression is unbounded (too few records after or"
                        + " before the call-in to estimate a change)");
                return Optional.empty();
            }
        }
        List<Fitted> fitted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double without = f.mean()[i]
                    * Math.exp(-(afterCallIn[i] ? f.beta()[SegmentedPoisson.LEVEL] : 0)
                            - since[i] * f.beta()[SegmentedPoisson.TREND_CHANGE]);
            fitted.add(new Fitted(whole.get(i).month(), y[i], f.mean()[i], without));
        }
        return Optional.of(new SegmentedRegression(
                n,
                seasonal,
                f.dispersion(),
                effect(f, SegmentedPoisson.TREND),
                effect(f, SegmentedPoisson.LEVEL),
                effect(f, SegmentedPoisson.TREND_CHANGE),
                fitted));
    }

    static Effect effect(SegmentedPoisson.Fit f, int which) {
        double b = f.beta()[which];
        double se = f.standardErrors()[which];
        return new Effect(b, se, Math.exp(b), Math.exp(b - Displacement.Z95 * se), Math.exp(b + Displacement.Z95 * se));
    }
}
