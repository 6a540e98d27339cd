package org.dmiplatform.core.internal.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.LoginRefusedException;
import org.dmiplatform.api.access.PendingLogIn;
import org.dmiplatform.api.access.SecondFactorEnrolment;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.access.User;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Sessions in memory only (CJIS: never persisted across a restart). Every request re-reads the user, so a
 * disabled or locked account or a changed role takes effect at once. A log-in that needs a second factor waits here,
 * also in memory, for at most {@link #SECOND_FACTOR_TIMEOUT}: no session exists until the code is right.
 */
@Component(service = Sessions.class)
public class SessionsImpl implements Sessions {
    private static final int TOKEN_BYTES = 32;
    /** Codes one pending log-in takes: after this many wrong ones the password must be given again. */
    static final int MAX_CODE_TRIES = 3;

    private final Accounts accounts;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> live = new ConcurrentHashMap<>();
    private final Map<String, PendingLogIn> pending = new ConcurrentHashMap<>();
    /** Codes tried per pending log-in's token. */
    private final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();

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
        if (accounts.secondFactor(user.id()).needed()) {
            throw new IllegalStateException(user.username() + " needs a second factor: the log-in must await it");
        }
        return start(user);
    }

    private Session start(User user) {
        Instant now = clock.instant();
        Session session = new Session(token(), token(), user, now, now);
        live.put(session.id(), session);
        sweep(now);
        return session;
    }

    @Override
    public PendingLogIn awaitSecondFactor(User user) {
        Instant now = clock.instant();
        pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        tries.keySet().retainAll(pending.keySet());
        PendingLogIn waiting = new PendingLogIn(
                token(), user, !accounts.secondFactor(user.id()).active(), now.plus(SECOND_FACTOR_TIMEOUT));
        pending.put(waiting.token(), waiting);
        return waiting;
    }

    @Override
    public SecondFactorEnrolment enrol(String token, String from) {
        PendingLogIn waiting = waiting(token);
        if (!waiting.enrolmentRequired()) {
            throw new LoginRefusedException(LoginRefusedException.Reason.BAD_CREDENTIALS, NOT_ENROLLING);
        }
        return accounts.enrolSecondFactor(
                waiting.user().id(), new Actor(waiting.user().username(), from));
    }

    static final String EXPIRED = "This log-in has expired or was already used; log in again with your password.";
    static final String NOT_ENROLLING = "This account has a second factor already: give the code from its app.";

    @Override
    public Session completeLogIn(String token, String code, String from) {
        PendingLogIn waiting = waiting(token);
        // each code takes a try before it is checked, so codes sent at once cannot pass the limit
        int attempt =
                tries.computeIfAbsent(waiting.token(), t -> new AtomicInteger()).incrementAndGet();
        if (attempt > MAX_CODE_TRIES) {
            spend(waiting);
            throw new LoginRefusedException(LoginRefusedException.Reason.BAD_CREDENTIALS, EXPIRED);
        }
        User user;
        try {
            user = accounts.verifySecondFactor(waiting.user().id(), code, from);
        } catch (LoginRefusedException refused) {
            if (attempt >= MAX_CODE_TRIES) {
                // the last try was wrong: the password must be given again
                spend(waiting);
            }
            throw refused;
        }
        // single use: of two requests with the same token, only the one that takes it out opens a session
        if (!spend(waiting)) {
            throw new LoginRefusedException(LoginRefusedException.Reason.BAD_CREDENTIALS, EXPIRED);
        }
        return start(user);
    }

    /** Takes the pending log-in out; true when this call did. */
    private boolean spend(PendingLogIn waiting) {
        tries.remove(waiting.token());
        return pending.remove(waiting.token(), waiting);
    }

    /** The live pending log-in with this token. */
    private PendingLogIn waiting(String token) {
        PendingLogIn waiting = token == null ? null : pending.get(token);
        if (waiting == null) {
            throw new LoginRefusedException(LoginRefusedException.Reason.BAD_CREDENTIALS, EXPIRED);
        }
        if (!clock.instant().isBefore(waiting.expiresAt())) {
            spend(waiting);
            throw new LoginRefusedException(LoginRefusedException.Reason.BAD_CREDENTIALS, EXPIRED);
        }
        return waiting;
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
        pending.values().removeIf(p -> p.user().id() == userId);
        tries.keySet().retainAll(pending.keySet());
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
