package org.dmiplatform.api.reporting;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Keeping a market closed (the High Point maintenance protocol): each whole week after the call-in, the target area's
 * drug incidents, drug calls for service and residents' calls, against the area's own level in the first
 * {@link #baselineWeeks} weeks after the call-in. A week exceeds when so many records would be that unlikely by chance:
 * its upper-tail Poisson probability under that level is below {@link #alpha}.
 *
 * @param callIn the call-in's day, which starts week 0
 * @param notComputed what is missing (no call-in date, no target area, too few weeks yet)
 */
public record MarketWatch(
        long intervention,
        String name,
        Optional<LocalDate> callIn,
        int baselineWeeks,
        double alpha,
        List<Measure> measures,
        List<String> notComputed) {

    public MarketWatch {
        measures = List.copyOf(measures);
        notComputed = List.copyOf(notComputed);
    }

    /**
     * @param measure {@code drug-incidents}, {@code drug-calls} or {@code residents-calls}
     * @param expectedPerWeek the mean of the baseline weeks, at least {@code 0.25} (one in four weeks): a quiet area
     *     is not alarmed by a single record
     */
    public record Measure(String measure, double expectedPerWeek, List<Week> weeks) {
        public Measure {
            weeks = List.copyOf(weeks);
        }
    }

    /**
     * @param from the week's first day (the call-in's weekday)
     * @param baseline whether the week makes the expected level (and so is not judged)
     * @param upperTail P(X ≥ count) under Poisson with the expected mean; 1 in baseline weeks
     */
    public record Week(LocalDate from, long count, boolean baseline, double upperTail, boolean exceeds) {}
}
