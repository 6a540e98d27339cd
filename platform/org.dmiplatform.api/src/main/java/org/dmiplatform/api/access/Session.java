package org.dmiplatform.api.access;

import java.time.Instant;

/**
 * A logged-in browser or client. Kept in the platform database under the SHA-256 of its id, so every node knows it and
 * a restart logs nobody out.
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
