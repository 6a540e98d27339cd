package org.dmiplatform.core.internal.access;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.access.UserChange;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class SessionsTest {
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private AccountsImpl accounts;
    private SessionsImpl sessions;
    private User user;

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh("sqlite");
        clock = new MutableClock(Instant.parse("2026-11-21T08:00:00Z"));
        Database database = Database.on(fresh.dataSource());
        accounts = new AccountsImpl(
                database,
                new AuditLogImpl(database, clock),
                new FakeSites("denver"),
                clock,
                new PasswordHasher(1000),
                PasswordPolicy.standard());
        sessions = new SessionsImpl(accounts, clock);
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
}
