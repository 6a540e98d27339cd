package org.dmiplatform.core.internal.access;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.LoginRefusedException;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
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

/** Accounts and the audit log on real storage: the same tests on SQLite and on PostgreSQL. */
@RunWith(Parameterized.class)
public class AccessStorageTest {
    private static final Actor ADMIN = new Actor("admin", "127.0.0.1");
    private static final String GOOD = "correct horse battery staple";

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private AuditLogImpl audit;
    private AccountsImpl accounts;
    private Database database;

    public AccessStorageTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        database = Database.on(fresh.dataSource());
        audit = new AuditLogImpl(database, clock);
        accounts = new AccountsImpl(
                database,
                audit,
                new FakeSites("chicago", "denver"),
                clock,
                new PasswordHasher(1000),
                PasswordPolicy.standard());
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    private User police(String name) {
        return accounts.create(
                new NewUser(name, "Officer " + name, GOOD.toCharArray(), List.of(Grant.at("chicago", Role.POLICE))),
                ADMIN);
    }

    @Test
    public void createdUserLogsInWithItsPasswordAndHoldsItsRoleAtItsSiteOnly() {
        User created = police("cpd-analyst");
        User loggedIn = accounts.authenticate("CPD-Analyst", GOOD.toCharArray(), "10.0.0.1");
        assertEquals(created.id(), loggedIn.id());
        assertTrue(loggedIn.holdsAt("chicago", Role.POLICE));
        assertFalse(loggedIn.holdsAt("denver", Role.POLICE));
        assertEquals(Set.of("chicago"), loggedIn.memberOf());
    }

    @Test
    public void userNamesAreUniqueRegardlessOfCase() {
        police("cpd-analyst");
        try {
            police("CPD-ANALYST");
            fail("a second account with the same name differing in case must be refused");
        } catch (InvalidInputException e) {
            assertEquals("username", e.errors().get(0).field());
        }
        assertEquals(1, accounts.list().size());
    }

    @Test
    public void refusesWeakPasswordsAndGrantsAtUnknownSitesWithoutStoringAnything() {
        try {
            accounts.create(
                    new NewUser("x-user", "X", "password1234".toCharArray(), List.of(Grant.at("gotham", Role.POLICE))),
                    ADMIN);
            fail();
        } catch (InvalidInputException e) {
            List<String> fields = e.errors().stream().map(er -> er.field()).toList();
            assertEquals(List.of("password", "grants"), fields);
        }
        assertTrue(accounts.list().isEmpty());
    }

    @Test
    public void passwordIsStoredOnlyAsASaltedHash() {
        police("a-user");
        police("b-user");
        List<String> hashes = Database.on(fresh.dataSource()).read(c -> {
            List<String> out = new java.util.ArrayList<>();
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT password_hash FROM users")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        assertEquals(2, hashes.size());
        assertFalse(hashes.get(0).contains(GOOD));
        assertTrue(hashes.get(0).startsWith("pbkdf2-sha256$"));
        assertFalse("same password, different salt", hashes.get(0).equals(hashes.get(1)));
    }

    @Test
    public void fiveFailuresWithinFifteenMinutesLockTheAccountUntilAnAdministratorUnlocksIt() {
        User user = police("cpd-analyst");
        for (int i = 0; i < 5; i++) {
            refused("cpd-analyst", "wrong password 123", LoginRefusedException.Reason.BAD_CREDENTIALS);
            clock.advance(Duration.ofMinutes(2));
        }
        // the sixth attempt, with the right password, is refused, in the words a wrong password gets: no oracle
        String right = refused("cpd-analyst", GOOD, LoginRefusedException.Reason.LOCKED);
        String wrong = refused("cpd-analyst", "wrong password 123", LoginRefusedException.Reason.BAD_CREDENTIALS);
        assertEquals(wrong, right);
        assertEquals(AccountsImpl.REFUSED, right);
        assertTrue(accounts.find(user.id()).orElseThrow().locked());
        assertEquals(
                1, audit.recent(Optional.empty(), Optional.of("user.lock"), 10).size());

        accounts.unlock(user.id(), ADMIN);
        assertEquals(
                user.id(),
                accounts.authenticate("cpd-analyst", GOOD.toCharArray(), "x").id());
        assertEquals(
                1,
                audit.recent(Optional.empty(), Optional.of("user.unlock"), 10).size());
    }

    @Test
    public void wrongPasswordsSentAtOnceAreEachCountedAndLockTheAccount() throws Exception {
        User burst = police("cpd-analyst");
        User few = police("cpd-detective");
        assertEquals(
                20,
                refusedAtOnce(20, () -> accounts.authenticate("cpd-analyst", "wrong password 123".toCharArray(), "x")));
        assertEquals(
                4,
                refusedAtOnce(
                        4, () -> accounts.authenticate("cpd-detective", "wrong password 123".toCharArray(), "x")));
        assertTrue(
                "twenty wrong passwords at once lock",
                accounts.find(burst.id()).orElseThrow().locked());
        assertEquals("counted up to the lock", AccountsImpl.MAX_FAILURES, failedLogIns(burst.id()));
        assertEquals(
                1, audit.recent(Optional.empty(), Optional.of("user.lock"), 10).size());
        assertFalse(accounts.find(few.id()).orElseThrow().locked());
        assertEquals("none lost", 4, failedLogIns(few.id()));
        refused("cpd-detective", "wrong password 123", LoginRefusedException.Reason.BAD_CREDENTIALS);
        assertTrue(accounts.find(few.id()).orElseThrow().locked());
    }

    /** Runs the call from as many threads at once; answers how many were refused as a log-in. */
    static int refusedAtOnce(int threads, Runnable call) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Boolean>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                try {
                    call.run();
                    return false;
                } catch (LoginRefusedException expected) {
                    return true;
                }
            }));
        }
        ready.await();
        go.countDown();
        int refused = 0;
        for (java.util.concurrent.Future<Boolean> f : done) {
            refused += f.get() ? 1 : 0;
        }
        pool.shutdown();
        return refused;
    }

    private int failedLogIns(long id) {
        return database.read(c -> org.dmiplatform.core.internal.storage.Sql.one(
                        c, "SELECT failed_logins FROM users WHERE id = ?", rs -> rs.getInt(1), id)
                .orElseThrow());
    }

    @Test
    public void failuresSpreadBeyondFifteenMinutesDoNotLock() {
        police("cpd-analyst");
        for (int i = 0; i < 8; i++) {
            refused("cpd-analyst", "wrong password 123", LoginRefusedException.Reason.BAD_CREDENTIALS);
            clock.advance(Duration.ofMinutes(4));
        }
        assertEquals(
                "cpd-analyst",
                accounts.authenticate("cpd-analyst", GOOD.toCharArray(), "x").username());
    }

    @Test
    public void disabledAccountCannotLogIn() {
        User user = police("cpd-analyst");
        accounts.update(user.id(), UserChange.none().withEnabled(false), ADMIN);
        refused("cpd-analyst", GOOD, LoginRefusedException.Reason.DISABLED);
    }

    @Test
    public void everyLogInAttemptAndAccountChangeIsAudited() {
        User user = police("cpd-analyst");
        accounts.authenticate("cpd-analyst", GOOD.toCharArray(), "10.1.1.1");
        refused("nobody-here", GOOD, LoginRefusedException.Reason.BAD_CREDENTIALS);
        accounts.update(user.id(), UserChange.none().withGrants(List.of(Grant.at("denver", Role.COMMUNITY))), ADMIN);

        List<AuditEntry> entries = audit.recent(Optional.empty(), Optional.empty(), 100);
        List<String> actions = entries.stream()
                .map(e -> e.event().action() + ":" + e.event().outcome())
                .toList();
        assertEquals(List.of("user.update:SUCCESS", "login:FAILURE", "login:SUCCESS", "user.create:SUCCESS"), actions);
        AuditEvent login = entries.get(2).event();
        assertEquals("cpd-analyst", login.actor());
        assertEquals("10.1.1.1", login.from());
        assertEquals("user:" + user.id(), login.target());
        assertEquals("denver", entries.get(0).event().site());
    }

    @Test
    public void auditChainVerifiesAndFindsAnEditedRow() {
        for (int i = 0; i < 5; i++) {
            audit.record(new AuditEvent(
                    "u" + i, "chicago", "site.read", "site:chicago", "1.2.3.4", AuditOutcome.SUCCESS, ""));
            clock.advance(Duration.ofMillis(1234));
        }
        AuditLog.Verification ok = audit.verify();
        assertTrue(ok.intact());
        assertEquals(5, ok.entries());

        byHand();
        fresh.sql("UPDATE audit_log SET actor = 'someone-else' WHERE id = 3");
        AuditLog.Verification broken = audit.verify();
        assertFalse(broken.intact());
        assertEquals(Optional.of(3L), broken.firstBrokenId());
    }

    /** A database administrator takes the store's guard off the audit log, to edit it by hand. */
    private void byHand() {
        if (kind.equals("sqlite")) {
            fresh.sql("DROP TRIGGER audit_log_no_update");
            fresh.sql("DROP TRIGGER audit_log_no_delete");
        } else {
            fresh.sql("DROP TRIGGER audit_log_append_only ON audit_log");
        }
    }

    @Test
    public void theApplicationsAccountCannotChangeOrDeleteTheAuditLog() {
        audit.record(new AuditEvent("u", "chicago", "login", "", "", AuditOutcome.SUCCESS, ""));
        for (String tamper : List.of(
                "UPDATE audit_log SET actor = 'someone-else' WHERE id = 1",
                "DELETE FROM audit_log WHERE id = 1",
                kind.equals("sqlite") ? "DELETE FROM audit_log" : "TRUNCATE audit_log")) {
            try {
                fresh.sql(tamper);
                fail("the audit log took: " + tamper);
            } catch (RuntimeException refused) {
                assertTrue(
                        String.valueOf(refused.getMessage()),
                        String.valueOf(refused.getMessage()).contains("append-only")
                                || String.valueOf(refused.getCause()).contains("append-only"));
            }
        }
        assertEquals(
                "u",
                audit.recent(Optional.empty(), Optional.empty(), 10)
                        .get(0)
                        .event()
                        .actor());
        assertTrue(audit.verify().intact());
    }

    @Test
    public void auditChainFindsADeletedRowAndDeletedNewestRows() {
        for (int i = 0; i < 4; i++) {
            audit.record(new AuditEvent("u", "", "login", "", "", AuditOutcome.SUCCESS, ""));
        }
        byHand();
        fresh.sql("DELETE FROM audit_log WHERE id = 4");
        assertEquals(Optional.of(4L), audit.verify().firstBrokenId());
        fresh.sql("DELETE FROM audit_log WHERE id = 2");
        assertEquals(Optional.of(3L), audit.verify().firstBrokenId());
    }

    @Test
    public void concurrentAppendsKeepTheChainWholeWithGapFreeIds() throws Exception {
        int threads = 8;
        int each = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String actor = "writer-" + t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    audit.record(new AuditEvent(actor, "chicago", "site.read", "n" + i, "", AuditOutcome.SUCCESS, ""));
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        AuditLog.Verification chain = audit.verify();
        assertTrue(chain.toString(), chain.intact());
        assertEquals(threads * each, chain.entries());
    }

    @Test
    public void auditTimesKeepSubSecondPrecisionInUtc() {
        clock.advance(Duration.ofNanos(123_456_789));
        AuditEntry written = audit.record(new AuditEvent("u", "", "login", "", "", AuditOutcome.SUCCESS, ""));
        AuditEntry read = audit.recent(Optional.empty(), Optional.empty(), 1).get(0);
        assertEquals(written.at(), read.at());
        assertEquals(123_456_000, read.at().getNano());
    }

    @Test
    public void dataSurvivesANewConnectionPool() {
        police("cpd-analyst");
        Database reopened = Database.on(fresh.dataSource());
        AccountsImpl again = new AccountsImpl(
                reopened,
                new AuditLogImpl(reopened, clock),
                new FakeSites("chicago"),
                clock,
                new PasswordHasher(1000),
                PasswordPolicy.standard());
        assertEquals(
                "cpd-analyst",
                again.authenticate("cpd-analyst", GOOD.toCharArray(), "x").username());
        assertTrue(new AuditLogImpl(reopened, clock).verify().intact());
    }

    @Test
    public void administratorExistsOnlyOnceAnEnabledTtaAdminDoes() {
        assertFalse(accounts.administratorExists());
        police("cpd-analyst");
        assertFalse(accounts.administratorExists());
        User admin = accounts.create(
                new NewUser("tta-lead", "TTA lead", GOOD.toCharArray(), List.of(Grant.national(Role.TTA_ADMIN))),
                ADMIN);
        assertTrue(accounts.administratorExists());
        accounts.update(admin.id(), UserChange.none().withEnabled(false), ADMIN);
        assertFalse(accounts.administratorExists());
    }

    private String refused(String username, String password, LoginRefusedException.Reason reason) {
        try {
            accounts.authenticate(username, password.toCharArray(), "10.0.0.9");
            fail("log-in of " + username + " should be refused");
            return null;
        } catch (LoginRefusedException e) {
            assertEquals(reason, e.reason());
            return e.getMessage();
        }
    }
}
