package org.dmiplatform.core.internal.imports;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.core.internal.store.RecordRows;

/**
 * What every record must satisfy, whatever adapter read it. A record that fails is quarantined with the field and
 * the reason; the rest of the import goes on.
 */
public final class RecordChecks {
    /** Clocks differ; a record a few minutes ahead of ours is not from the future. */
    static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(15);

    static final int MAX_SOURCE_ID = RecordRows.MAX_SOURCE_ID;

    private RecordChecks() {}

    /** The field at fault and why, or empty when the record is usable. */
    public record Problem(String field, String reason) {}

    public static Optional<Problem> check(CrimeRecord r, Instant now, Optional<Site.Bounds> bounds) {
        if (r.sourceId().isBlank()) {
            return Optional.of(new Problem("sourceId", "the row has no id, so a re-import could not recognise it"));
        }
        if (r.sourceId().length() > MAX_SOURCE_ID) {
            return Optional.of(new Problem("sourceId", "is longer than " + MAX_SOURCE_ID + " characters"));
        }
        Instant latest = now.plus(FUTURE_TOLERANCE);
        if (r.occurredFrom().isAfter(latest)) {
            return Optional.of(new Problem("occurredFrom", "is in the future (" + r.occurredFrom() + ")"));
        }
        if (r.reportedAt().isPresent() && r.reportedAt().get().isAfter(latest)) {
            return Optional.of(new Problem(
                    "reportedAt", "is in the future (" + r.reportedAt().get() + ")"));
        }
        if (r.occurredTo().isPresent() && r.occurredTo().get().isBefore(r.occurredFrom())) {
            return Optional.of(new Problem("occurredTo", "is before the start (" + r.occurredFrom() + ")"));
        }
        if (r.location().isPresent()) {
            CrimeRecord.Location at = r.location().get();
            if (!Double.isFinite(at.longitude())
                    || !Double.isFinite(at.latitude())
                    || Math.abs(at.longitude()) > 180
                    || Math.abs(at.latitude()) > 90) {
                return Optional.of(new Problem(
                        "location", "(" + at.longitude() + ", " + at.latitude() + ") is not a longitude/latitude"));
            }
            if (Math.abs(at.longitude()) < 1e-9 && Math.abs(at.latitude()) < 1e-9) {
                return Optional.of(new Problem(
                        "location", "is 0,0: a placeholder, not a place; clear it or fix it in the source"));
            }
            if (bounds.isPresent() && !bounds.get().contains(at.longitude(), at.latitude())) {
                return Optional.of(new Problem(
                        "location",
                        "(" + at.longitude() + ", " + at.latitude() + ") is outside the site (" + bounds.get() + ")"));
            }
        }
        return Optional.empty();
    }
}
