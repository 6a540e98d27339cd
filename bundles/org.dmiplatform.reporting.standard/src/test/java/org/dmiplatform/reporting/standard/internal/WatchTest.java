package org.dmiplatform.reporting.standard.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dmiplatform.api.reporting.MarketWatch;
import org.junit.Test;

/**
 * The weekly watch: its level from the first eight weeks, each later week's Poisson upper tail, to 1e-12 of R 4.2.2's
 * ppois (src/test/resources/reference/outcome-reference.R and .out).
 */
public class WatchTest {
    private static final LocalDate CALL_IN = LocalDate.of(2026, 6, 1);

    /** One record a day on the days given, counted from the call-in (day 0). */
    private static Map<LocalDate, Long> days(long[] perWeek) {
        Map<LocalDate, Long> out = new TreeMap<>();
        for (int w = 0; w < perWeek.length; w++) {
            if (perWeek[w] > 0) {
                out.put(CALL_IN.plusWeeks(w).plusDays(2), perWeek[w]);
            }
        }
        return out;
    }

    @Test
    public void weeksBeyondTheLevelAfterTheCallInExceed() {
        // the first eight weeks: 19 records, 2.375 a week
        long[] weeks = {3, 2, 2, 3, 2, 3, 2, 2, 2, 5, 9, 14};
        MarketWatch.Measure m = Watch.measure("drug-incidents", CALL_IN, CALL_IN.plusWeeks(12), days(weeks));
        assertEquals(2.375, m.expectedPerWeek(), 1e-15);
        assertEquals(12, m.weeks().size());
        assertTrue(m.weeks().get(7).baseline());
        assertEquals(1, m.weeks().get(7).upperTail(), 0);
        // R: ppois(c(2, 5, 9, 14) - 1, lambda = 2.375, lower.tail = FALSE)
        double[] r = {6.8607609891401067e-01, 9.2759585232258052e-02, 8.0184218171586814e-04, 2.2981383816906239e-07};
        for (int i = 0; i < 4; i++) {
            assertEquals(r[i], m.weeks().get(8 + i).upperTail(), 1e-12 * r[i]);
        }
        assertEquals(
                List.of(false, false, true, true),
                m.weeks().subList(8, 12).stream().map(MarketWatch.Week::exceeds).toList());
        assertEquals(CALL_IN.plusWeeks(10), m.weeks().get(10).from());
    }

    @Test
    public void aQuietAreaIsNotAlarmedByOneRecordAndUnfinishedWeeksWait() {
        // no records in the baseline weeks: the level is the floor, a record in four weeks
        long[] weeks = {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3};
        MarketWatch.Measure m =
                Watch.measure("drug-calls", CALL_IN, CALL_IN.plusWeeks(11).plusDays(6), days(weeks));
        assertEquals(0.25, m.expectedPerWeek(), 0);
        // R: ppois(c(1, 2, 3) - 1, lambda = 0.25, lower.tail = FALSE)
        assertEquals(0.221199216928595122, m.weeks().get(8).upperTail(), 1e-12 * 0.221199216928595122);
        assertEquals(0.026499021160743916, m.weeks().get(9).upperTail(), 1e-12 * 0.026499021160743916);
        assertEquals(0.002161496689762512, m.weeks().get(10).upperTail(), 1e-12 * 0.002161496689762512);
        assertFalse(m.weeks().get(9).exceeds());
        assertTrue(m.weeks().get(10).exceeds());
        // the twelfth week is not over on its sixth day
        assertEquals(11, m.weeks().size());
        // too few weeks for a level yet
        assertEquals(
                0,
                Watch.measure("x", CALL_IN, CALL_IN.plusWeeks(3), days(weeks)).expectedPerWeek(),
                0);
    }
}
