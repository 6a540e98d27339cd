package org.dmiplatform.api.reporting;

import java.util.EnumSet;
import java.util.Set;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.RecordKind;

/**
 * Which records an outcome evaluation counts, and over how long.
 *
 * @param monthsBefore the window before the call-in, in months (1 to {@link #MAX_MONTHS})
 * @param monthsAfter the window after it
 * @param categories the categories counted; empty for every one
 * @param kinds incidents, calls for service, field contacts; empty for every kind
 */
public record OutcomeRequest(int monthsBefore, int monthsAfter, Set<Category> categories, Set<RecordKind> kinds) {
    /** The evaluations of the programme compare a year before the call-in with a year after. */
    public static final int DEFAULT_MONTHS = 12;

    public static final int MAX_MONTHS = 60;

    /** A year either side, every category and kind. */
    public static final OutcomeRequest DEFAULT = new OutcomeRequest(DEFAULT_MONTHS, DEFAULT_MONTHS, Set.of(), Set.of());

    public OutcomeRequest {
        categories = categories == null || categories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(categories));
        kinds = kinds == null || kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }
}
