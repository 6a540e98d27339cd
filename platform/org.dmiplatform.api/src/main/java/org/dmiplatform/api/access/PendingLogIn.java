package org.dmiplatform.api.access;

import java.time.Instant;

/**
 * A log-in whose password was right and that waits for the second factor. Kept in the database, like sessions.
 *
 * @param token the secret that names it in the next step; spent when the session opens
 * @param user who is logging in
 * @param enrolmentRequired true for an administrator without a second factor: only enrolment, confirmed by a first
 *     code, completes this log-in
 * @param expiresAt after this the token is refused and the log-in starts again
 */
public record PendingLogIn(String token, User user, boolean enrolmentRequired, Instant expiresAt) {
    @Override
    public String toString() {
        return "PendingLogIn[user=" + user.username() + ", enrolmentRequired=" + enrolmentRequired + "]";
    }
}
