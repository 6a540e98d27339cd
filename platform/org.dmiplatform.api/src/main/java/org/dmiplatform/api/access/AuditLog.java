package org.dmiplatform.api.access;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Append-only, hash-chained record of log-ins, refusals and access to records and accounts. */
@ProviderType
public interface AuditLog {

    /** Appends an event, stamped with the current UTC time. */
    AuditEntry record(AuditEvent event);

    /**
     * Most recent entries first.
     *
     * @param site only entries about this site (empty: all)
     * @param action only entries with this action (empty: all)
     * @param limit at most this many (capped at 1000)
     */
    List<AuditEntry> recent(Optional<String> site, Optional<String> action, int limit);

    /**
     * Entries matching a query, newest first, a page at a time: the next page is asked for with {@code before} set to
     * the last entry's id.
     */
    List<AuditEntry> search(Query query);

    /**
     * @param site only this site's entries (empty: all)
     * @param action only this action, e.g. {@code access.denied}
     * @param actor only this actor's (user name)
     * @param outcome only successes or failures
     * @param from only entries at or after this instant
     * @param to only entries before this instant
     * @param before only entries with a smaller id (the page before)
     * @param limit at most this many (capped at 1000)
     */
    record Query(
            Optional<String> site,
            Optional<String> action,
            Optional<String> actor,
            Optional<AuditOutcome> outcome,
            Optional<java.time.Instant> from,
            Optional<java.time.Instant> to,
            Optional<Long> before,
            int limit) {}

    /** Recomputes the chain. */
    Verification verify();

    /**
     * @param intact true when every hash matches
     * @param entries how many entries were checked
     * @param firstBrokenId the first entry whose hash does not match, if any
     */
    record Verification(boolean intact, long entries, Optional<Long> firstBrokenId) {}
}
