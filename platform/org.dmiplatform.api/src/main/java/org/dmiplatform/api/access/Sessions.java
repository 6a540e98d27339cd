package org.dmiplatform.api.access;

import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Log-in sessions: a fresh random id at every log-in, 30 minutes idle and 12 hours absolute timeout. */
@ProviderType
public interface Sessions {
    Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    Duration ABSOLUTE_TIMEOUT = Duration.ofHours(12);

    Session open(User user);

    /** The live session with this id, with its user re-read; empty if unknown, expired or the user is gone. */
    Optional<Session> resume(String id);

    void close(String id);

    /** Ends every session of a user (after a password change, a lock or disabling). */
    void closeAll(long userId);
}
