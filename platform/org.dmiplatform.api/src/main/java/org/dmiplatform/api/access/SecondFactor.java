package org.dmiplatform.api.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An account's second factor: a time-based code (TOTP, RFC 6238) from an authenticator app.
 *
 * @param active true once enrolment was confirmed with a first code: every log-in then asks for a code
 * @param pending true while an enrolment waits for its first code
 * @param enrolledAt when the enrolment was confirmed
 * @param required true when the account must have one (administrators, outside demo mode)
 */
public record SecondFactor(boolean active, boolean pending, Optional<Instant> enrolledAt, boolean required) {
    public SecondFactor {
        Objects.requireNonNull(enrolledAt, "enrolledAt");
    }

    /** True when a log-in of this account opens no session before a code is given (or, if none, enrolled). */
    public boolean needed() {
        return active || required;
    }
}
