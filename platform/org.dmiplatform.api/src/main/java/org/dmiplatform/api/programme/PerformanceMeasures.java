package org.dmiplatform.api.programme;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The cross-site report for national staff: every site side by side, a quarter at a time, on what it did and what its
 * markets' records show, in aggregates only. No person is named, and no count under {@link #SMALL_COUNT} is given:
 * such a count reads as suppressed. Each quarter's counts are its own (no running totals, no sums across sites), so a
 * suppressed count cannot be recovered by subtracting one published figure from another.
 */
@ProviderType
public interface PerformanceMeasures {

    /** Counts under this are suppressed. */
    int SMALL_COUNT = 5;

    /**
     * One quarter, for national staff (tta-admin, tta-staff).
     *
     * @param quarter {@code 2026-Q3}
     * @throws org.dmiplatform.api.InvalidInputException for a quarter not written so, or one that has not begun
     */
    Quarter quarter(String quarter, Caller caller);

    /**
     * @param from the first day of the quarter (in each site's own time zone)
     * @param until the day after its last
     */
    record Quarter(String period, LocalDate from, LocalDate until, List<Measure> measures, List<SiteMeasures> sites) {
        public Quarter {
            measures = List.copyOf(measures);
            sites = List.copyOf(sites);
        }
    }

    /** A measure's id (as the CSV's column gives it) and what it counts. */
    record Measure(String id, String label) {}

    /** @param values in the order of {@link Quarter#measures()} */
    record SiteMeasures(String site, String name, String cohort, List<Value> values) {
        public SiteMeasures {
            values = List.copyOf(values);
        }
    }

    /** @param count empty when suppressed (under {@link #SMALL_COUNT}) */
    record Value(String measure, Optional<Long> count) {}
}
