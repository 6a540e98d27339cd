package org.dmiplatform.api.access;

import java.time.Instant;

/**
 * A logged-in browser or client. Kept in memory only: a restart logs everyone out.
 *
 * @param id the secret cookie value
 * @param csrfToken the secret every state-changing request must echo
 * @param user who is logged in, as of the last request
 * @param startedAt log-in time (the absolute timeout runs from here)
 * @param lastSeenAt last request (the idle timeout runs from here)
 */
public record Session(String id, String csrfToken, User user, Instant startedAt, Instant lastSeenAt) {
    @Override
    public String toString() {
        return "Session[user=" + user.username() + ", startedAt=" + startedAt + "]";
    }
}
