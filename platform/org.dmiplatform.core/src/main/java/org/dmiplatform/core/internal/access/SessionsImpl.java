package org.dmiplatform.core.internal.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.LoginRefusedException;
import org.dmiplatform.api.access.PendingLogIn;
import org.dmiplatform.api.access.SecondFactorEnrolment;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.access.User;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Sessions, and log-ins waiting for their second factor, in the platform database ({@code sessions} and
 * {@code pending_log_ins}, V26), so that every node serving the sites sees the same ones: a session opened on one node
 * is resumed on another, a log-out or a closed account ends it on all of them at once, and a restart of every node
 * logs nobody out. A row is named by the SHA-256 of its secret (the session id, the pending log-in's token), never by
 * the secret itself: whoever reads the store cannot take a session over. Every request re-reads the user, so a
 * disabled or locked account or a changed role takes effect at once. A log-in that needs a second factor waits for at
 * most {@link #SECOND_FACTOR_TIMEOUT}: no session exists until the code is right.
 */
@Component(service = Sessions.class)
public class SessionsImpl implements Sessions {
    private static final int TOKEN_BYTES = 32;
    /** Codes one pending log-in takes: after this many wrong ones the password must be given again. */
    static final int MAX_CODE_TRIES = 3;

    /**
     * How far a session's stored last request may lag behind the real one: a request writes its time only when the
     * stored one is this old, so a busy session costs one write per step, not one per request. The idle timeout runs
     * from the stored time, so it ends a session between {@code IDLE_TIMEOUT - LAST_SEEN_STEP} and
     * {@code IDLE_TIMEOUT} after its last request: earlier by less than a step, never later.
     */
    static final Duration LAST_SEEN_STEP = Duration.ofSeconds(30);

    private final Database database;
    private final Accounts accounts;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public SessionsImpl(@Reference Database database, @Reference Accounts accounts) {
        this(database, accounts, Clock.systemUTC());
    }

    public SessionsImpl(Database database, Accounts accounts, Clock clock) {
        this.database = database;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public Session open(User user) {
        if (accounts.secondFactor(user.id()).needed()) {
            throw new IllegalStateException(user.username() + " needs a second factor: the log-in must await it");
        }
        return database.transaction(c -> start(c, user));
    }

    /** A new session, in the caller's transaction; the expired rows of both tables are swept out on the way. */
    private Session start(Connection c, User user) throws SQLException {
        Instant now = clock.instant();
        sweep(c, now);
        Session session = new Session(token(), token(), user, now, now);
        Sql.update(
                c,
                "INSERT INTO sessions (id_hash, user_id, csrf_token, started_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
                hash(session.id()),
                user.id(),
                session.csrfToken(),
                now,
                now);
        return session;
    }

    @Override
    public PendingLogIn awaitSecondFactor(User user) {
        Instant now = clock.instant();
        PendingLogIn waiting = new PendingLogIn(
                token(), user, !accounts.secondFactor(user.id()).active(), now.plus(SECOND_FACTOR_TIMEOUT));
        database.transaction(c -> {
            sweep(c, now);
            return Sql.update(
                    c,
                    "INSERT INTO pending_log_ins (token_hash, user_id, enrolment_required, tries, expires_at)"
                            + " VALUES (?, ?, ?, 0, ?)",
                    hash(waiting.token()),
                    user.id(),
                    waiting.enrolmentRequired(),
                    waiting.expiresAt());
        });
        return waiting;
    }

    @Override
    public SecondFactorEnrolment enrol(String token, String from) {
        Waiting waiting = waiting(token);
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
        Waiting waiting = waiting(token);
        // each code takes a try before it is checked, counted in one update on the row, so codes sent at once, to
        // one node or to several, cannot pass the limit
        boolean took = database.transaction(c -> Sql.update(
                        c,
                        "UPDATE pending_log_ins SET tries = tries + 1"
                                + " WHERE token_hash = ? AND tries < ? AND expires_at > ?",
                        waiting.hash(),
                        MAX_CODE_TRIES,
                        clock.instant())
                == 1);
        if (!took) {
            spend(waiting.hash());
            throw new LoginRefusedException(LoginRefusedException.Reason.BAD_CREDENTIALS, EXPIRED);
        }
        User user;
        try {
            user = accounts.verifySecondFactor(waiting.user().id(), code, from);
        } catch (LoginRefusedException refused) {
            // the last try was wrong: the password must be given again
            database.transaction(c -> Sql.update(
                    c,
                    "DELETE FROM pending_log_ins WHERE token_hash = ? AND tries >= ?",
                    waiting.hash(),
                    MAX_CODE_TRIES));
            throw refused;
        }
        // single use: of two requests with the same token, on one node or two, only the one whose delete takes the row
        // out opens a session
        Session opened = database.transaction(c -> deleted(c, waiting.hash()) ? start(c, user) : null);
        if (opened == null) {
            throw new LoginRefusedException(LoginRefusedException.Reason.BAD_CREDENTIALS, EXPIRED);
        }
        return opened;
    }

    /** Takes the pending log-in out; true when this call did. */
    private boolean spend(String tokenHash) {
        return database.transaction(c -> deleted(c, tokenHash));
    }

    private static boolean deleted(Connection c, String tokenHash) throws SQLException {
        return Sql.update(c, "DELETE FROM pending_log_ins WHERE token_hash = ?", tokenHash) == 1;
    }

    /** A pending log-in as stored: the hash of its token, and its user as now. */
    private record Waiting(String hash, User user, boolean enrolmentRequired) {}

    /** The live pending log-in with this token. */
    private Waiting waiting(String token) {
        if (token == null) {
            throw new LoginRefusedException(LoginRefusedException.Reason.BAD_CREDENTIALS, EXPIRED);
        }
        String tokenHash = hash(token);
        record Row(long userId, boolean enrolmentRequired, Instant expiresAt) {}
        Optional<Row> row = database.read(c -> Sql.one(
                c,
                "SELECT user_id, enrolment_required, expires_at FROM pending_log_ins WHERE token_hash = ?",
                rs -> new Row(rs.getLong(1), rs.getBoolean(2), Sql.instant(rs, 3)),
                tokenHash));
        if (row.isEmpty()) {
            throw new LoginRefusedException(LoginRefusedException.Reason.BAD_CREDENTIALS, EXPIRED);
        }
        Optional<User> user = clock.instant().isBefore(row.get().expiresAt())
                ? accounts.find(row.get().userId())
                : Optional.empty();
        if (user.isEmpty()) {
            spend(tokenHash);
            throw new LoginRefusedException(LoginRefusedException.Reason.BAD_CREDENTIALS, EXPIRED);
        }
        return new Waiting(tokenHash, user.get(), row.get().enrolmentRequired());
    }

    /** A session as stored. */
    private record Stored(long userId, String csrfToken, Instant startedAt, Instant lastSeenAt) {}

    /**
     * One read by the primary key, and the user's; a write only when the session ends here or its last request
     * moved by {@link #LAST_SEEN_STEP}.
     */
    @Override
    public Optional<Session> resume(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String idHash = hash(id);
        Optional<Stored> stored = database.read(c -> Sql.one(
                c,
                "SELECT user_id, csrf_token, started_at, last_seen_at FROM sessions WHERE id_hash = ?",
                rs -> new Stored(rs.getLong(1), rs.getString(2), Sql.instant(rs, 3), Sql.instant(rs, 4)),
                idHash));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Stored session = stored.get();
        Instant now = clock.instant();
        Optional<User> user = expired(session, now)
                ? Optional.empty()
                : accounts.find(session.userId()).filter(u -> u.enabled() && !u.locked());
        if (user.isEmpty()) {
            close(id);
            return Optional.empty();
        }
        if (!now.isBefore(session.lastSeenAt().plus(LAST_SEEN_STEP))) {
            // never backwards: another node may have written a later time meanwhile
            database.transaction(c -> Sql.update(
                    c,
                    "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?",
                    now,
                    idHash,
                    now));
        }
        return Optional.of(new Session(id, session.csrfToken(), user.get(), session.startedAt(), now));
    }

    @Override
    public void close(String id) {
        if (id != null) {
            database.transaction(c -> Sql.update(c, "DELETE FROM sessions WHERE id_hash = ?", hash(id)));
        }
    }

    @Override
    public void closeAll(long userId) {
        database.transaction(c -> Sql.update(c, "DELETE FROM sessions WHERE user_id = ?", userId)
                + Sql.update(c, "DELETE FROM pending_log_ins WHERE user_id = ?", userId));
    }

    private static boolean expired(Stored session, Instant now) {
        return !now.isBefore(session.lastSeenAt().plus(IDLE_TIMEOUT))
                || !now.isBefore(session.startedAt().plus(ABSOLUTE_TIMEOUT));
    }

    /** Deletes the sessions and pending log-ins that have run out, as {@link #expired} and {@link #waiting} judge. */
    private static void sweep(Connection c, Instant now) throws SQLException {
        Sql.update(
                c,
                "DELETE FROM sessions WHERE last_seen_at <= ? OR started_at <= ?",
                now.minus(IDLE_TIMEOUT),
                now.minus(ABSOLUTE_TIMEOUT));
        Sql.update(c, "DELETE FROM pending_log_ins WHERE expires_at <= ?", now);
    }

    /** What names a secret in the store: the hex SHA-256 of its text. */
    static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private String token() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
