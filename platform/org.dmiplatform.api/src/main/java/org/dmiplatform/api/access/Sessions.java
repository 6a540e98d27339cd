package org.dmiplatform.api.access;

import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Log-in sessions: a fresh random id at every log-in, 30 minutes idle and 12 hours absolute timeout. */
@ProviderType
public interface Sessions {
    Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    Duration ABSOLUTE_TIMEOUT = Duration.ofHours(12);

    /** How long a log-in waits for its second factor. */
    Duration SECOND_FACTOR_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Opens a session for a user whose password was just checked.
     *
     * @throws IllegalStateException when the account needs a second factor ({@link SecondFactor#needed()}): its log-in
     *     goes through {@link #awaitSecondFactor}
     */
    Session open(User user);

    /** Holds the log-in of a user whose password was just checked until the second factor is given. */
    PendingLogIn awaitSecondFactor(User user);

    /**
     * Starts enrolment for a pending log-in that requires it; the log-in is completed by {@link #completeLogIn} with a
     * first code.
     *
     * @throws LoginRefusedException when the token is unknown, expired or does not call for enrolment
     */
    SecondFactorEnrolment enrol(String token, String from);

    /**
     * Completes a pending log-in with a code from the authenticator app: opens a new session and spends the token. A
     * token takes three codes at most: after the third wrong one it is spent and the password must be given again.
     *
     * @throws LoginRefusedException when the token is unknown or expired, or the code is refused
     */
    Session completeLogIn(String token, String code, String from);

    /** The live session with this id, with its user re-read; empty if unknown, expired or the user is gone. */
    Optional<Session> resume(String id);

    void close(String id);

    /** Ends every session of a user (after a password change, a lock or disabling). */
    void closeAll(long userId);
}
