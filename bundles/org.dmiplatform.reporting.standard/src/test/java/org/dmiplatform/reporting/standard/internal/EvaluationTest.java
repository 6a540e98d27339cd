package org.dmiplatform.reporting.standard.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dmiplatform.api.programme.Programme.AreaKind;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.reporting.OutcomeReport;
import org.junit.Test;

/** The report assembled from counts: windows, months, what is computed and, where it cannot be, why. */
public class EvaluationTest {
    private static final LocalDate CALL_IN = LocalDate.of(2025, 6, 12);
    private static final LocalDate LATER = LocalDate.of(2026, 11, 30);

    /** An area with the same drug records every month of both windows, and weapons in some. */
    private static Evaluation.Counts steady(long perMonthBefore, long perMonthAfter) {
        Map<YearMonth, Map<Category, Long>> before = new TreeMap<>();
        Map<YearMonth, Map<Category, Long>> after = new TreeMap<>();
        for (YearMonth m = YearMonth.of(2024, 6); !m.isAfter(YearMonth.of(2025, 6)); m = m.plusMonths(1)) {
            before.put(m, new EnumMap<>(Map.of(Category.DRUG, perMonthBefore)));
        }
        for (YearMonth m = YearMonth.of(2025, 6); !m.isAfter(YearMonth.of(2026, 6)); m = m.plusMonths(1)) {
            after.put(m, new EnumMap<>(Map.of(Category.DRUG, perMonthAfter, Category.WEAPONS, 1L)));
        }
        return new Evaluation.Counts(before, after);
    }

    private static OutcomeReport report(Map<AreaKind, Evaluation.Counts> drawn, LocalDate today) {
        return Evaluation.evaluate(7, "West End", CALL_IN, 12, 12, drawn, List.of(), today);
    }

    @Test
    public void aFullReportHasEveryFigureAndTheCallInMonthOutsideTheRegression() {
        Map<AreaKind, Evaluation.Counts> drawn = new EnumMap<>(AreaKind.class);
        drawn.put(AreaKind.TARGET, steady(20, 10));
        drawn.put(AreaKind.COMPARISON, steady(20, 19));
        drawn.put(AreaKind.BUFFER, steady(10, 9));
        OutcomeReport r = report(drawn, LATER);
        assertEquals(
                new OutcomeReport.Window(LocalDate.of(2024, 6, 12), CALL_IN, 12),
                r.before().orElseThrow());
        assertEquals(
                new OutcomeReport.Window(CALL_IN, LocalDate.of(2026, 6, 12), 12),
                r.after().orElseThrow());
        assertEquals(r.notComputed().toString(), List.of(), r.notComputed());
        OutcomeReport.AreaCounts target = r.areas().get(0);
        assertEquals(AreaKind.TARGET, target.area());
        assertEquals(13 * 20, target.before());
        assertEquals(13 * 10 + 13, target.after());
        assertTrue(r.rateRatio().isPresent() && r.displacementQuotient().isPresent());
        assertTrue(r.displacementDifference().isPresent());
        // June 2024 to June 2026: 25 months, the call-in month June 2025 among them
        assertEquals(25, r.months().size());
        assertEquals("call-in", r.months().get(12).period());
        assertEquals(YearMonth.of(2025, 6), r.months().get(12).month());
        // the regression: whole months only (July 2024 - May 2025, July 2025 - May 2026), no seasons under 24 months
        OutcomeReport.SegmentedRegression ts = r.timeSeries().orElseThrow();
        assertEquals(22, ts.months());
        assertFalse(ts.seasonal());
        assertEquals(YearMonth.of(2024, 7), ts.fitted().get(0).month());
        assertEquals(YearMonth.of(2026, 5), ts.fitted().get(21).month());
        // 20 a month before, 11 after (10 drug + 1 weapons): the level falls to 11/20
        assertEquals(11.0 / 20, ts.levelChange().rateRatio(), 1e-9);
        assertEquals(20, ts.fitted().get(21).withoutCallIn(), 1e-6);
    }

    @Test
    public void missingAreasZeroCountsAndAnUnfinishedWindowAreSaidNotDividedBy() {
        Map<AreaKind, Evaluation.Counts> drawn = new EnumMap<>(AreaKind.class);
        drawn.put(AreaKind.TARGET, steady(0, 0));
        OutcomeReport r = report(drawn, LATER);
        String said = String.join("\n", r.notComputed());
        assertTrue(said, said.contains("percent change in the target area: it had no records before the call-in"));
        assertTrue(said, said.contains("they need both a target and a comparison area"));
        assertTrue(said, said.contains("time series: the regression does not converge"));
        assertTrue(r.rateRatio().isEmpty()
                && r.displacementDifference().isEmpty()
                && r.timeSeries().isEmpty());

        drawn.put(AreaKind.COMPARISON, steady(0, 5));
        said = String.join("\n", report(drawn, LATER).notComputed());
        assertTrue(said, said.contains("difference in differences: the target or the comparison area had no records"));
        assertTrue(said, said.contains("displacement quotient: the intervention has no buffer area"));

        // on 30 November 2025 the window after the call-in is five months old
        OutcomeReport early = report(drawn, LocalDate.of(2025, 11, 30));
        said = String.join("\n", early.notComputed());
        assertTrue(
                said,
                said.contains(
                        "runs until 2026-06-11, after today; a window of 5 month(s) after the call-in is over (after=5)"));
        assertTrue(early.areas().get(0).percentChange().isEmpty()
                && early.timeSeries().isEmpty());
        assertEquals(2, early.areas().size());
    }
}
