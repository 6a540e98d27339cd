package org.dmiplatform.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-address limit on log-in attempts (ASVS 2.2.1), ahead of the per-account lock: so many attempts a minute
 * from one address ({@value #DEFAULT_ATTEMPTS} unless configured), then refusals until the minute has passed.
 */
final class LoginThrottle {
    static final int DEFAULT_ATTEMPTS = 20;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_TRACKED = 100_000;

    private final Clock clock;
    private final int perMinute;
    private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock, int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("loginAttemptsPerMinute must be at least 1");
        }
        this.clock = clock;
        this.perMinute = perMinute;
    }

    /** Counts an attempt; returns the seconds to wait when it is over the limit, else 0. */
    long attempt(String address) {
        Instant now = clock.instant();
        if (attempts.size() > MAX_TRACKED) {
            attempts.values().removeIf(q -> q.isEmpty() || q.peekLast().isBefore(now.minus(WINDOW)));
        }
        Deque<Instant> recent = attempts.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (recent) {
            while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(WINDOW))) {
                recent.pollFirst();
            }
            if (recent.size() >= perMinute) {
                return Math.max(
                        1,
                        Duration.between(now, recent.peekFirst().plus(WINDOW)).toSeconds());
            }
            recent.addLast(now);
            return 0;
        }
    }
}
