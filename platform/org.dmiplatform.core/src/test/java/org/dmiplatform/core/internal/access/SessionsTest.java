package org.dmiplatform.core.internal.access;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.access.UserChange;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/** Sessions on real storage, SQLite and PostgreSQL, with an injected clock. */
@RunWith(Parameterized.class)
public class SessionsTest {
    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private Database database;
    private AccountsImpl accounts;
    private SessionsImpl sessions;
    private User user;

    public SessionsTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        clock = new MutableClock(Instant.parse("2026-11-21T08:00:00Z"));
        database = Database.on(fresh.dataSource());
        accounts = new AccountsImpl(
                database,
                new AuditLogImpl(database, clock),
                new FakeSites("denver"),
                clock,
                new PasswordHasher(1000),
                PasswordPolicy.standard());
        sessions = new SessionsImpl(database, accounts, clock);
        user = accounts.create(
                new NewUser(
                        "dpd-sergeant",
                        "Sergeant",
                        "a long enough secret phrase".toCharArray(),
                        List.of(Grant.at("denver", Role.POLICE))),
                Actor.SYSTEM);
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    @Test
    public void everyLogInGetsAFreshUnguessableIdAndCsrfToken() {
        Session a = sessions.open(user);
        Session b = sessions.open(user);
        assertNotEquals(a.id(), b.id());
        assertNotEquals(a.csrfToken(), b.csrfToken());
        assertNotEquals(a.id(), a.csrfToken());
        assertTrue("256 bits, base64url", a.id().length() >= 43);
        assertFalse("secrets stay out of logs", a.toString().contains(a.id()));
    }

    @Test
    public void idleSessionLivesTwentyNineFiftyNineAndDiesAtThirtyOne() {
        Session session = sessions.open(user);
        clock.advance(Duration.ofMinutes(29).plusSeconds(59));
        assertTrue(sessions.resume(session.id()).isPresent());
        clock.advance(Duration.ofMinutes(29).plusSeconds(59));
        assertTrue(
                "each request restarts the idle timer",
                sessions.resume(session.id()).isPresent());
        clock.advance(Duration.ofMinutes(30).plusSeconds(1));
        assertFalse(sessions.resume(session.id()).isPresent());
    }

    @Test
    public void activeSessionEndsTwelveHoursAfterLogIn() {
        Session session = sessions.open(user);
        for (int i = 0; i < 24; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertTrue(sessions.resume(session.id()).isPresent());
        }
        clock.advance(Duration.ofMinutes(25)); // 11h 56m + 25m > 12h
        assertFalse(sessions.resume(session.id()).isPresent());
    }

    @Test
    public void logOutAndDisablingTheAccountEndSessions() {
        Session a = sessions.open(user);
        sessions.close(a.id());
        assertFalse(sessions.resume(a.id()).isPresent());

        Session b = sessions.open(user);
        accounts.update(user.id(), UserChange.none().withEnabled(false), Actor.SYSTEM);
        assertFalse(sessions.resume(b.id()).isPresent());
    }

    @Test
    public void resumedSessionCarriesTheUsersCurrentRoles() {
        Session session = sessions.open(user);
        accounts.update(
                user.id(), UserChange.none().withGrants(List.of(Grant.at("denver", Role.COMMUNITY))), Actor.SYSTEM);
        User now = sessions.resume(session.id()).orElseThrow().user();
        assertTrue(now.holdsAt("denver", Role.COMMUNITY));
        assertFalse(now.holdsAt("denver", Role.POLICE));
        assertEquals(user.id(), now.id());
    }

    @Test
    public void aRequestWithinTheStepWritesNothingAndTheIdleTimerRunsFromTheLastWrite() {
        Session session = sessions.open(user);
        Instant opened = clock.instant();
        clock.advance(SessionsImpl.LAST_SEEN_STEP.minusSeconds(1));
        assertEquals(
                "the request is seen now",
                clock.instant(),
                sessions.resume(session.id()).orElseThrow().lastSeenAt());
        assertEquals("but not written: less than a step since the last write", opened, storedLastSeen());

        // 30 min after the write, 29 min 31 s after the last request: ended, early by less than a step, never late
        clock.advance(
                SessionsImpl.IDLE_TIMEOUT.minus(SessionsImpl.LAST_SEEN_STEP).plusSeconds(1));
        assertFalse(sessions.resume(session.id()).isPresent());

        Session next = sessions.open(user);
        clock.advance(SessionsImpl.LAST_SEEN_STEP);
        sessions.resume(next.id()).orElseThrow();
        assertEquals("a step later the request is written", clock.instant(), storedLastSeen());
        clock.advance(SessionsImpl.IDLE_TIMEOUT.minusSeconds(1));
        assertTrue(sessions.resume(next.id()).isPresent());
    }

    @Test
    public void aSessionOutlivesARestartButNotItsTimeouts() {
        Session session = sessions.open(user);
        clock.advance(Duration.ofMinutes(10));
        SessionsImpl restarted = new SessionsImpl(database, accounts, clock);
        Session resumed = restarted.resume(session.id()).orElseThrow();
        assertEquals("the same CSRF token after the restart", session.csrfToken(), resumed.csrfToken());
        assertEquals(session.startedAt(), resumed.startedAt());
        clock.advance(Sessions.IDLE_TIMEOUT);
        assertFalse(
                new SessionsImpl(database, accounts, clock).resume(session.id()).isPresent());
    }

    @Test
    public void aPasswordChangeEndsEverySessionOfTheAccountAndNoOtherAccounts() {
        User other = accounts.create(
                new NewUser(
                        "dpd-detective",
                        "Detective",
                        "a long enough secret phrase".toCharArray(),
                        List.of(Grant.at("denver", Role.POLICE))),
                Actor.SYSTEM);
        Session a = sessions.open(user);
        Session b = sessions.open(user);
        Session theirs = sessions.open(other);
        accounts.setPassword(user.id(), "another long secret phrase".toCharArray(), Actor.SYSTEM);
        sessions.closeAll(user.id());
        assertFalse(sessions.resume(a.id()).isPresent());
        assertFalse(sessions.resume(b.id()).isPresent());
        assertTrue(sessions.resume(theirs.id()).isPresent());
    }

    @Test
    public void expiredSessionsAreSweptOutAtTheNextLogIn() {
        sessions.open(user);
        clock.advance(Duration.ofMinutes(20));
        Session recent = sessions.open(user);
        clock.advance(Duration.ofMinutes(11));
        assertEquals(2, rows());
        sessions.open(user);
        assertEquals("the one idle for 31 minutes is gone", 2, rows());
        assertTrue(sessions.resume(recent.id()).isPresent());
        assertEquals(Optional.empty(), sessions.resume(null));
        assertEquals(Optional.empty(), sessions.resume("not a session id"));
    }

    private Instant storedLastSeen() {
        return database.read(c -> org.dmiplatform.core.internal.storage.Sql.one(
                        c,
                        "SELECT last_seen_at FROM sessions",
                        rs -> org.dmiplatform.core.internal.storage.Sql.instant(rs, 1))
                .orElseThrow());
    }

    private long rows() {
        return database.read(c -> org.dmiplatform.core.internal.storage.Sql.one(
                        c, "SELECT COUNT(*) FROM sessions", rs -> rs.getLong(1))
                .orElseThrow());
    }
}
