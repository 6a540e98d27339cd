package org.dmiplatform.core.internal.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.access.User;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Sessions in memory only (CJIS: never persisted across a restart). Every request re-reads the user, so a
 * disabled or locked account or a changed role takes effect at once.
 */
@Component(service = Sessions.class)
public class SessionsImpl implements Sessions {
    private static final int TOKEN_BYTES = 32;

    private final Accounts accounts;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> live = new ConcurrentHashMap<>();

    @Activate
    public SessionsImpl(@Reference Accounts accounts) {
        this(accounts, Clock.systemUTC());
    }

    public SessionsImpl(Accounts accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public Session open(User user) {
        Instant now = clock.instant();
        Session session = new Session(token(), token(), user, now, now);
        live.put(session.id(), session);
        sweep(now);
        return session;
    }

    @Override
    public Optional<Session> resume(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = live.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            live.remove(id);
            return Optional.empty();
        }
        Optional<User> user = accounts.find(session.user().id()).filter(u -> u.enabled() && !u.locked());
        if (user.isEmpty()) {
            live.remove(id);
            return Optional.empty();
        }
        Session touched = new Session(session.id(), session.csrfToken(), user.get(), session.startedAt(), now);
        live.replace(id, session, touched);
        return Optional.of(touched);
    }

    @Override
    public void close(String id) {
        if (id != null) {
            live.remove(id);
        }
    }

    @Override
    public void closeAll(long userId) {
        live.values().removeIf(s -> s.user().id() == userId);
    }

    private static boolean expired(Session session, Instant now) {
        return !now.isBefore(session.lastSeenAt().plus(IDLE_TIMEOUT))
                || !now.isBefore(session.startedAt().plus(ABSOLUTE_TIMEOUT));
    }

    private void sweep(Instant now) {
        live.values().removeIf(s -> expired(s, now));
    }

    private String token() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
