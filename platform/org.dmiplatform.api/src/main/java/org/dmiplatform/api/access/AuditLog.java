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

    /** Recomputes the chain. */
    Verification verify();

    /**
     * @param intact true when every hash matches
     * @param entries how many entries were checked
     * @param firstBrokenId the first entry whose hash does not match, if any
     */
    record Verification(boolean intact, long entries, Optional<Long> firstBrokenId) {}
}
