package org.dmiplatform.core.internal.access;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.LoginRefusedException;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.PendingLogIn;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.SecondFactorEnrolment;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.access.UserChange;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Two nodes over one store, SQLite and PostgreSQL: each its own {@link Database}, {@link AccountsImpl} and
 * {@link SessionsImpl} on the same data source, as two platforms serving the same sites. What one node does to a
 * session or a log-in awaiting its code, the other sees at its next request.
 */
@RunWith(Parameterized.class)
public class SessionsAcrossNodesTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String FROM = "203.0.113.7";

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    /** One platform: its own services over the shared store. */
    private record Node(Database database, AccountsImpl accounts, SessionsImpl sessions) {}

    private final String kind;
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private Node a;
    private Node b;

    public SessionsAcrossNodesTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        // 10 s into a 30-second step, so a code from the step before is a whole step away
        clock = new MutableClock(Instant.parse("2026-11-21T10:00:10Z"));
        a = node();
        b = node();
    }

    private Node node() {
        Database database = Database.on(fresh.dataSource());
        AccountsImpl accounts = new AccountsImpl(
                database,
                new AuditLogImpl(database, clock),
                new FakeSites("chicago"),
                clock,
                new PasswordHasher(1000),
                PasswordPolicy.standard());
        return new Node(database, accounts, new SessionsImpl(database, accounts, clock));
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    private User officer(String name) {
        return a.accounts()
                .create(
                        new NewUser(name, name, PASSWORD.toCharArray(), List.of(Grant.at("chicago", Role.POLICE))),
                        Actor.SYSTEM);
    }

    @Test
    public void aSessionOpenedOnOneNodeIsResumedOnTheOtherAndALogOutOnEitherEndsItOnBoth() {
        User officer = officer("cpd-officer");
        Session session = a.sessions().open(officer);
        Session onB = b.sessions().resume(session.id()).orElseThrow();
        assertEquals(officer.id(), onB.user().id());
        assertEquals("the same CSRF token on every node", session.csrfToken(), onB.csrfToken());
        assertEquals(session.startedAt(), onB.startedAt());

        b.sessions().close(session.id());
        assertFalse(
                "logged out on B, gone on A", a.sessions().resume(session.id()).isPresent());
        assertFalse(b.sessions().resume(session.id()).isPresent());

        Session other = b.sessions().open(officer);
        a.sessions().close(other.id());
        assertFalse(
                "logged out on A, gone on B", b.sessions().resume(other.id()).isPresent());
    }

    @Test
    public void disablingLockingOrAPasswordChangeOnOneNodeEndsTheSessionsOnTheOther() {
        User disabled = officer("cpd-one");
        Session first = b.sessions().open(disabled);
        a.accounts().update(disabled.id(), UserChange.none().withEnabled(false), Actor.SYSTEM);
        a.sessions().closeAll(disabled.id());
        assertFalse(b.sessions().resume(first.id()).isPresent());

        User locked = officer("cpd-two");
        Session second = b.sessions().open(locked);
        for (int i = 0; i < AccountsImpl.MAX_FAILURES; i++) {
            try {
                a.accounts().authenticate(locked.username(), "not the password at all".toCharArray(), FROM);
                fail("a wrong password");
            } catch (LoginRefusedException expected) {
                // counted toward the lock
            }
        }
        assertTrue(a.accounts().find(locked.id()).orElseThrow().locked());
        assertFalse(
                "locked on A, checked on B", b.sessions().resume(second.id()).isPresent());

        User changed = officer("cpd-three");
        Session third = b.sessions().open(changed);
        Session fourth = a.sessions().open(changed);
        a.accounts().setPassword(changed.id(), "another long secret phrase".toCharArray(), Actor.SYSTEM);
        a.sessions().closeAll(changed.id());
        assertFalse(b.sessions().resume(third.id()).isPresent());
        assertFalse(b.sessions().resume(fourth.id()).isPresent());
    }

    @Test
    public void aRestartOfEveryNodeLogsNobodyOut() {
        User officer = officer("cpd-officer");
        Session session = a.sessions().open(officer);
        clock.advance(Duration.ofMinutes(5));
        a = node();
        b = node();
        assertTrue(b.sessions().resume(session.id()).isPresent());
        assertTrue(a.sessions().resume(session.id()).isPresent());
    }

    @Test
    public void theIdleTimerCountsRequestsOnEitherNode() {
        User officer = officer("cpd-officer");
        Session session = a.sessions().open(officer);
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(20));
            Node node = i % 2 == 0 ? b : a;
            assertTrue("request " + i, node.sessions().resume(session.id()).isPresent());
        }
        clock.advance(Sessions.IDLE_TIMEOUT);
        assertFalse(a.sessions().resume(session.id()).isPresent());
    }

    @Test
    public void aLogInAwaitingItsCodeOnOneNodeIsCompletedOnTheOtherOnce() {
        User officer = officer("cpd-officer");
        String secret = enrol(officer);
        PendingLogIn pending = password(a, officer);
        Session session = b.sessions().completeLogIn(pending.token(), now(secret), FROM);
        assertEquals(officer.id(), session.user().id());
        assertTrue(a.sessions().resume(session.id()).isPresent());

        clock.advance(Duration.ofSeconds(30));
        try {
            a.sessions().completeLogIn(pending.token(), now(secret), FROM);
            fail("a spent token opened a second session");
        } catch (LoginRefusedException expected) {
            assertEquals(SessionsImpl.EXPIRED, expected.getMessage());
        }
    }

    @Test
    public void anAdministratorEnrolsOnOneNodeAndCompletesTheLogInOnTheOther() {
        User admin = a.accounts()
                .create(
                        new NewUser(
                                "tta-lead", "Lead", PASSWORD.toCharArray(), List.of(Grant.national(Role.TTA_ADMIN))),
                        Actor.SYSTEM);
        PendingLogIn pending = password(a, admin);
        assertTrue(pending.enrolmentRequired());
        SecondFactorEnrolment enrolment = b.sessions().enrol(pending.token(), FROM);
        Session session = a.sessions().completeLogIn(pending.token(), now(enrolment.secret()), FROM);
        assertTrue(b.sessions().resume(session.id()).isPresent());
        assertTrue(b.accounts().secondFactor(admin.id()).active());
    }

    @Test
    public void aLogInAwaitingItsCodeExpiresAfterFiveMinutesOnEveryNode() {
        User officer = officer("cpd-officer");
        String secret = enrol(officer);
        PendingLogIn pending = password(a, officer);
        clock.advance(Sessions.SECOND_FACTOR_TIMEOUT);
        try {
            b.sessions().completeLogIn(pending.token(), now(secret), FROM);
            fail("an expired log-in completed");
        } catch (LoginRefusedException expected) {
            assertEquals(SessionsImpl.EXPIRED, expected.getMessage());
        }
        assertEquals(0, count("SELECT COUNT(*) FROM pending_log_ins"));
    }

    @Test
    public void twoCompletionsAtOnceWithTheRightCodeOnTwoNodesOpenOneSession() throws Exception {
        User officer = officer("cpd-officer");
        String secret = enrol(officer);
        PendingLogIn pending = password(a, officer);
        String code = now(secret);
        List<Object> outcomes =
                atOnce(List.of(() -> a.sessions().completeLogIn(pending.token(), code, FROM), () -> b.sessions()
                        .completeLogIn(pending.token(), code, FROM)));
        assertEquals(
                outcomes.toString(),
                1,
                outcomes.stream().filter(o -> o instanceof Session).count());
        assertEquals(1, count("SELECT COUNT(*) FROM sessions"));
    }

    /**
     * The token's single use by itself: the code check is let through for both completions (both wait until each has
     * passed it), so only the delete of the pending row decides which one opens a session.
     */
    @Test
    public void ofTwoCompletionsPastTheCodeCheckOnlyTheOneThatDeletesTheRowOpensASession() throws Exception {
        User officer = officer("cpd-officer");
        enrol(officer);
        CyclicBarrier bothChecked = new CyclicBarrier(2);
        SessionsImpl onA = new SessionsImpl(a.database(), codesAccepted(a.accounts(), bothChecked), clock);
        SessionsImpl onB = new SessionsImpl(b.database(), codesAccepted(b.accounts(), bothChecked), clock);
        for (int round = 0; round < 5; round++) {
            PendingLogIn pending = password(a, officer);
            List<Object> outcomes = atOnce(List.of(
                    () -> onA.completeLogIn(pending.token(), "123456", FROM),
                    () -> onB.completeLogIn(pending.token(), "123456", FROM)));
            assertEquals(
                    outcomes.toString(),
                    1,
                    outcomes.stream().filter(o -> o instanceof Session).count());
            Object other = outcomes.stream()
                    .filter(o -> !(o instanceof Session))
                    .findFirst()
                    .orElseThrow();
            assertTrue(other.toString(), other instanceof LoginRefusedException);
            assertEquals(SessionsImpl.EXPIRED, ((LoginRefusedException) other).getMessage());
            assertEquals(round + 1, count("SELECT COUNT(*) FROM sessions"));
            bothChecked.reset();
        }
    }

    @Test
    public void wrongCodesSentAtOnceToBothNodesTakeThreeTriesInAll() throws Exception {
        User officer = officer("cpd-officer");
        String secret = enrol(officer);
        String wrong = now(secret).equals("000000") ? "111111" : "000000";
        PendingLogIn pending = password(a, officer);
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Node node = i % 2 == 0 ? a : b;
            calls.add(() -> node.sessions().completeLogIn(pending.token(), wrong, FROM));
        }
        List<Object> outcomes = atOnce(calls);
        assertTrue(outcomes.toString(), outcomes.stream().allMatch(o -> o instanceof LoginRefusedException));
        assertEquals(
                "only three reached the code check",
                SessionsImpl.MAX_CODE_TRIES,
                count("SELECT failed_logins FROM users WHERE id = ?", officer.id()));
        try {
            b.sessions().completeLogIn(pending.token(), now(secret), FROM);
            fail("the right code after three wrong ones");
        } catch (LoginRefusedException expected) {
            assertEquals(SessionsImpl.EXPIRED, expected.getMessage());
        }
        assertFalse(a.accounts().find(officer.id()).orElseThrow().locked());
    }

    @Test
    public void theTriesAreCountedAcrossNodesOneAfterTheOther() {
        User officer = officer("cpd-officer");
        String secret = enrol(officer);
        String wrong = now(secret).equals("000000") ? "111111" : "000000";
        PendingLogIn pending = password(a, officer);
        Node[] order = {a, b, a};
        for (Node node : order) {
            try {
                node.sessions().completeLogIn(pending.token(), wrong, FROM);
                fail("a wrong code");
            } catch (LoginRefusedException expected) {
                assertEquals(AccountsImpl.CODE_REFUSED, expected.getMessage());
            }
        }
        assertEquals("the third wrong code spent the log-in", 0, count("SELECT COUNT(*) FROM pending_log_ins"));
        try {
            b.sessions().completeLogIn(pending.token(), now(secret), FROM);
            fail("a fourth code");
        } catch (LoginRefusedException expected) {
            assertEquals(SessionsImpl.EXPIRED, expected.getMessage());
        }
    }

    @Test
    public void theStoreHoldsNeitherTheSessionIdNorTheTokenOnlyTheirHashes() {
        User officer = officer("cpd-officer");
        Session session = a.sessions().open(officer);
        User holder = officer("cpd-holder");
        String secret = enrol(holder);
        assertNotEquals("", secret);
        PendingLogIn pending = password(b, holder);

        List<String> stored = a.database()
                .read(c -> Sql.list(
                        c,
                        "SELECT id_hash, csrf_token, user_id FROM sessions",
                        rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3)));
        assertEquals(1, stored.size());
        assertEquals(SessionsImpl.hash(session.id()) + " " + session.csrfToken() + " " + officer.id(), stored.get(0));
        assertFalse(stored.get(0).contains(session.id()));
        assertEquals(64, SessionsImpl.hash(session.id()).length());

        List<String> waiting =
                a.database().read(c -> Sql.list(c, "SELECT token_hash FROM pending_log_ins", rs -> rs.getString(1)));
        assertEquals(List.of(SessionsImpl.hash(pending.token())), waiting);
        assertNotEquals(pending.token(), waiting.get(0));

        // a reader of the store who presents what it holds gets nothing
        assertFalse(b.sessions().resume(SessionsImpl.hash(session.id())).isPresent());
        try {
            b.sessions().completeLogIn(waiting.get(0), now(secret), FROM);
            fail("the stored hash opened a session");
        } catch (LoginRefusedException expected) {
            assertEquals(SessionsImpl.EXPIRED, expected.getMessage());
        }
        assertTrue("the real ones still work", a.sessions().resume(session.id()).isPresent());
        assertEquals(
                holder.id(),
                a.sessions()
                        .completeLogIn(pending.token(), now(secret), FROM)
                        .user()
                        .id());
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Enrols from the account page; the first code is used up, so the clock moves on a step. */
    private String enrol(User user) {
        Actor self = new Actor(user.username(), FROM);
        SecondFactorEnrolment enrolment = a.accounts().enrolSecondFactor(user.id(), PASSWORD.toCharArray(), self);
        a.accounts().confirmSecondFactor(user.id(), now(enrolment.secret()), self);
        clock.advance(Duration.ofSeconds(30));
        return enrolment.secret();
    }

    private PendingLogIn password(Node node, User user) {
        User checked = node.accounts().authenticate(user.username(), PASSWORD.toCharArray(), FROM);
        return node.sessions().awaitSecondFactor(checked);
    }

    private String now(String secret) {
        try {
            return new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6)
                    .generate(secret, clock.instant().getEpochSecond() / 30);
        } catch (CodeGenerationException e) {
            throw new AssertionError(e);
        }
    }

    private long count(String sql, Object... args) {
        return a.database().read(c -> Sql.one(c, sql, rs -> rs.getLong(1), args).orElseThrow());
    }

    /**
     * The accounts of a node, except that every code is taken as right (without using its step up) once both
     * completions have come this far.
     */
    private static Accounts codesAccepted(Accounts real, CyclicBarrier bothChecked) {
        return (Accounts) Proxy.newProxyInstance(
                Accounts.class.getClassLoader(), new Class<?>[] {Accounts.class}, (proxy, method, args) -> {
                    if (method.getName().equals("verifySecondFactor")) {
                        bothChecked.await(30, TimeUnit.SECONDS);
                        return real.find((Long) args[0]).orElseThrow();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Runs the calls from as many threads at once; answers each one's session, or what it threw. */
    private static List<Object> atOnce(List<Callable<Object>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        CountDownLatch ready = new CountDownLatch(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> done = new ArrayList<>();
        for (Callable<Object> call : calls) {
            done.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                try {
                    return call.call();
                } catch (RuntimeException thrown) {
                    return thrown;
                }
            }));
        }
        ready.await();
        go.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> f : done) {
            outcomes.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return outcomes;
    }
}
