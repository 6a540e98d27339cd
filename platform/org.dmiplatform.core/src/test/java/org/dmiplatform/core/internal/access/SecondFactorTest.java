package org.dmiplatform.core.internal.access;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.LoginRefusedException;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.PendingLogIn;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.SecondFactor;
import org.dmiplatform.api.access.SecondFactorEnrolment;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.User;
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

/**
 * The second factor (SECURITY.md row 8) on real storage, SQLite and PostgreSQL: no session before the code, a code
 * accepted once, from one step either side at most, wrong codes locking the account like wrong passwords, and
 * administrators enrolling before their first session. Codes are computed by the library from the enrolment's secret,
 * as the holder's app computes them.
 */
@RunWith(Parameterized.class)
public class SecondFactorTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String FROM = "203.0.113.7";

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private Database database;
    private AuditLogImpl audit;
    private AccountsImpl accounts;
    private SessionsImpl sessions;

    public SecondFactorTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        // a step starts at :00 and :30; 10 s into one, so a step either side is a whole step away
        clock = new MutableClock(Instant.parse("2026-11-21T10:00:10Z"));
        database = Database.on(fresh.dataSource());
        audit = new AuditLogImpl(database, clock);
        restart(true);
    }

    /** New services over the same store, as after a restart of the platform. */
    private void restart(boolean administratorsNeedSecondFactor) {
        accounts = new AccountsImpl(
                database,
                audit,
                new FakeSites("chicago"),
                clock,
                new PasswordHasher(1000),
                PasswordPolicy.standard(),
                administratorsNeedSecondFactor);
        sessions = new SessionsImpl(database, accounts, clock);
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    private User account(String name, Grant grant) {
        return accounts.create(new NewUser(name, name, PASSWORD.toCharArray(), List.of(grant)), Actor.SYSTEM);
    }

    /** The code an authenticator app shows for the secret at an instant. */
    private static String code(String secret, Instant at) {
        try {
            return new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6).generate(secret, at.getEpochSecond() / 30);
        } catch (CodeGenerationException e) {
            throw new AssertionError(e);
        }
    }

    private String now(String secret) {
        return code(secret, clock.instant());
    }

    /** Enrols from the account page: the secret, confirmed with a first code, which is then used up. */
    private String enrol(User user) {
        SecondFactorEnrolment enrolment =
                accounts.enrolSecondFactor(user.id(), PASSWORD.toCharArray(), new Actor(user.username(), FROM));
        accounts.confirmSecondFactor(user.id(), now(enrolment.secret()), new Actor(user.username(), FROM));
        clock.advance(Duration.ofSeconds(30));
        return enrolment.secret();
    }

    private PendingLogIn password(User user) {
        User checked = accounts.authenticate(user.username(), PASSWORD.toCharArray(), FROM);
        assertTrue(accounts.secondFactor(checked.id()).needed());
        return sessions.awaitSecondFactor(checked);
    }

    private LoginRefusedException refused(PendingLogIn pending, String code) {
        try {
            sessions.completeLogIn(pending.token(), code, FROM);
            throw new AssertionError("the code " + code + " opened a session");
        } catch (LoginRefusedException expected) {
            return expected;
        }
    }

    @Test
    public void noSessionBeforeTheCodeAndTheRightCodeOpensOne() {
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        assertFalse(
                "available, not required, for a site role",
                accounts.secondFactor(officer.id()).needed());
        String secret = enrol(officer);
        SecondFactor factor = accounts.secondFactor(officer.id());
        assertTrue(factor.active());
        assertEquals(Optional.of(clock.instant().minusSeconds(30)), factor.enrolledAt());

        PendingLogIn pending = password(officer);
        assertFalse(pending.enrolmentRequired());
        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), pending.expiresAt());
        try {
            sessions.open(officer);
            fail("a session without the second factor");
        } catch (IllegalStateException expected) {
            // the log-in must await the code
        }
        assertEquals("the password alone is not a log-in", 0, logIns(AuditOutcome.SUCCESS));

        Session session = sessions.completeLogIn(pending.token(), now(secret), FROM);
        assertEquals(officer.id(), session.user().id());
        assertNotEquals(pending.token(), session.id());
        assertTrue(sessions.resume(session.id()).isPresent());
        assertEquals(1, logIns(AuditOutcome.SUCCESS));
    }

    @Test
    public void aReplayedCodeFailsInTheSameStepAndAfterARestart() {
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        String secret = enrol(officer);
        String code = now(secret);
        sessions.completeLogIn(password(officer).token(), code, FROM);

        LoginRefusedException again = refused(password(officer), code);
        assertEquals(AccountsImpl.CODE_REFUSED, again.getMessage());

        restart(true);
        clock.advance(Duration.ofSeconds(15));
        assertEquals(
                "the same code, later in its step, after a restart",
                AccountsImpl.CODE_REFUSED,
                refused(password(officer), code).getMessage());
        assertTrue(audit.recent(Optional.empty(), Optional.of("login"), 20).stream()
                .anyMatch(e -> e.event().detail().equals("second-factor code already used")));

        clock.advance(Duration.ofSeconds(30));
        assertTrue(sessions.resume(sessions.completeLogIn(password(officer).token(), now(secret), FROM)
                        .id())
                .isPresent());
    }

    @Test
    public void aCodeOneStepEitherSidePassesAndTwoStepsAgoFails() {
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        String secret = enrol(officer);
        clock.advance(Duration.ofMinutes(5));
        Instant now = clock.instant();

        refused(password(officer), code(secret, now.minusSeconds(60)));
        sessions.completeLogIn(password(officer).token(), code(secret, now.minusSeconds(30)), FROM);
        sessions.completeLogIn(password(officer).token(), code(secret, now.plusSeconds(30)), FROM);
        // the step ahead was used: the current step's code is now older than the last accepted, so it fails too
        refused(password(officer), code(secret, now));
        refused(password(officer), code(secret, now.plusSeconds(60)));
    }

    @Test
    public void fiveWrongCodesLockTheAccountAndTheLockedAnswerIsTheWrongCodeAnswer() {
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        String secret = enrol(officer);
        PendingLogIn pending = password(officer);
        String wrong = now(secret).equals("000000") ? "111111" : "000000";
        String wrongAnswer = refused(pending, wrong).getMessage();
        for (int i = 2; i <= SessionsImpl.MAX_CODE_TRIES; i++) {
            refused(pending, wrong);
        }
        assertEquals(
                "three wrong codes spend the log-in, even before the right one",
                SessionsImpl.EXPIRED,
                refused(pending, now(secret)).getMessage());
        PendingLogIn again = password(officer);
        for (int i = SessionsImpl.MAX_CODE_TRIES + 1; i <= AccountsImpl.MAX_FAILURES; i++) {
            refused(again, wrong);
        }
        assertTrue(accounts.find(officer.id()).orElseThrow().locked());
        assertEquals(
                1, audit.recent(Optional.empty(), Optional.of("user.lock"), 5).size());

        LoginRefusedException right = refused(again, now(secret));
        assertEquals("the right code on a locked account answers as a wrong one", wrongAnswer, right.getMessage());
        assertEquals(AccountsImpl.CODE_REFUSED, wrongAnswer);
    }

    @Test
    public void wrongCodesSentAtOnceAreEachCountedAndLockTheAccount() throws Exception {
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        String secret = enrol(officer);
        String wrong = now(secret).equals("000000") ? "111111" : "000000";
        password(officer);
        assertEquals(
                20, AccessStorageTest.refusedAtOnce(20, () -> accounts.verifySecondFactor(officer.id(), wrong, FROM)));
        assertTrue(
                "twenty wrong codes at once lock",
                accounts.find(officer.id()).orElseThrow().locked());
        assertEquals("counted up to the lock", AccountsImpl.MAX_FAILURES, failedLogIns(officer.id()));
        assertEquals(
                1, audit.recent(Optional.empty(), Optional.of("user.lock"), 5).size());
        try {
            accounts.verifySecondFactor(officer.id(), now(secret), FROM);
            fail("the right code on a locked account");
        } catch (LoginRefusedException expected) {
            assertEquals(AccountsImpl.CODE_REFUSED, expected.getMessage());
        }
    }

    @Test
    public void onePendingLogInTakesThreeCodesEvenSentAtOnce() throws Exception {
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        String secret = enrol(officer);
        String wrong = now(secret).equals("000000") ? "111111" : "000000";
        PendingLogIn pending = password(officer);
        assertEquals(
                20, AccessStorageTest.refusedAtOnce(20, () -> sessions.completeLogIn(pending.token(), wrong, FROM)));
        assertEquals("only three reached the code check", SessionsImpl.MAX_CODE_TRIES, failedLogIns(officer.id()));
        assertFalse(accounts.find(officer.id()).orElseThrow().locked());
        assertEquals(SessionsImpl.EXPIRED, refused(pending, now(secret)).getMessage());
        sessions.completeLogIn(password(officer).token(), now(secret), FROM);
    }

    private int failedLogIns(long id) {
        return database.read(c -> org.dmiplatform.core.internal.storage.Sql.one(
                        c, "SELECT failed_logins FROM users WHERE id = ?", rs -> rs.getInt(1), id)
                .orElseThrow());
    }

    @Test
    public void wrongPasswordsAndWrongCodesCountTogetherAndARightPasswordDoesNotClearThem() {
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        String secret = enrol(officer);
        for (int i = 0; i < 3; i++) {
            try {
                accounts.authenticate(officer.username(), "not the password at all".toCharArray(), FROM);
                fail();
            } catch (LoginRefusedException expected) {
                // counted
            }
        }
        String wrong = now(secret).equals("000000") ? "111111" : "000000";
        refused(password(officer), wrong);
        assertFalse(accounts.find(officer.id()).orElseThrow().locked());
        // the right password again does not start the count anew
        refused(password(officer), wrong);
        assertTrue(accounts.find(officer.id()).orElseThrow().locked());
    }

    @Test
    public void anAdministratorWithoutASecondFactorEnrolsBeforeTheFirstSession() {
        User admin = account("tta-lead", Grant.national(Role.TTA_ADMIN));
        SecondFactor factor = accounts.secondFactor(admin.id());
        assertTrue(factor.required());
        assertFalse(factor.active());

        PendingLogIn pending = password(admin);
        assertTrue(pending.enrolmentRequired());
        try {
            sessions.open(admin);
            fail("an administrator's session without a second factor");
        } catch (IllegalStateException expected) {
            // enrolment first
        }
        assertEquals(
                "no code is right before enrolling, and the log-in may still enrol",
                AccountsImpl.CODE_REFUSED,
                refused(pending, "123456").getMessage());

        SecondFactorEnrolment enrolment = sessions.enrol(pending.token(), FROM);
        assertTrue(enrolment.uri(), enrolment.uri().startsWith("otpauth://totp/"));
        assertTrue(enrolment.uri().contains("secret=" + enrolment.secret()));
        assertTrue(enrolment.secret().matches("[A-Z2-7]{32}"));
        assertTrue(enrolment.qrCode().startsWith("data:image/png;base64,"));
        byte[] png = Base64.getDecoder().decode(enrolment.qrCode().substring("data:image/png;base64,".length()));
        assertEquals("a PNG", (byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertFalse("the secret stays out of logs", enrolment.toString().contains(enrolment.secret()));
        assertTrue(accounts.secondFactor(admin.id()).pending());

        Session session = sessions.completeLogIn(pending.token(), now(enrolment.secret()), FROM);
        assertEquals(admin.id(), session.user().id());
        assertTrue(accounts.secondFactor(admin.id()).active());
        List<AuditEntry> completed = audit.recent(Optional.empty(), Optional.empty(), 1);
        assertEquals(
                "the confirmation at log-in is audited in the log-in's one entry",
                List.of("login " + admin.username() + " SUCCESS second factor; " + AccountsImpl.ENROLLED_AT_LOG_IN),
                completed.stream()
                        .map(e -> e.event().action() + " " + e.event().actor() + " "
                                + e.event().outcome() + " " + e.event().detail())
                        .toList());
        assertEquals(
                "and in no second entry",
                0,
                audit.recent(Optional.empty(), Optional.of("user.second-factor.confirm"), 5)
                        .size());

        clock.advance(Duration.ofSeconds(30));
        PendingLogIn next = password(admin);
        assertFalse("enrolled: the next log-in asks for a code", next.enrolmentRequired());
        try {
            sessions.enrol(next.token(), FROM);
            fail("a second enrolment would replace the secret");
        } catch (LoginRefusedException expected) {
            assertEquals(SessionsImpl.NOT_ENROLLING, expected.getMessage());
        }
    }

    @Test
    public void thePendingLogInExpiresAfterFiveMinutesAndIsSingleUse() {
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        String secret = enrol(officer);
        PendingLogIn pending = password(officer);
        assertTrue("256 bits, base64url", pending.token().length() >= 43);
        assertFalse(pending.toString().contains(pending.token()));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(SessionsImpl.EXPIRED, refused(pending, now(secret)).getMessage());

        PendingLogIn fresh = password(officer);
        sessions.completeLogIn(fresh.token(), now(secret), FROM);
        clock.advance(Duration.ofSeconds(30));
        assertEquals(
                "spent, even with a new right code",
                SessionsImpl.EXPIRED,
                refused(fresh, now(secret)).getMessage());
        assertEquals(
                SessionsImpl.EXPIRED,
                refused(new PendingLogIn("guess", officer, false, Instant.MAX), "123456")
                        .getMessage());
    }

    @Test
    public void anotherAdministratorResetsTheSecondFactorAuditedButNotTheirOwn() {
        User admin = account("tta-lead", Grant.national(Role.TTA_ADMIN));
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        String secret = enrol(officer);
        Actor lead = new Actor(admin.username(), FROM);

        accounts.resetSecondFactor(officer.id(), lead);
        assertFalse(accounts.secondFactor(officer.id()).needed());
        assertTrue(
                "a password alone opens a session again",
                sessions.resume(sessions.open(officer).id()).isPresent());
        List<AuditEntry> resets = audit.recent(Optional.empty(), Optional.of("user.second-factor.reset"), 5);
        assertEquals(1, resets.size());
        assertEquals("tta-lead", resets.get(0).event().actor());
        assertEquals("user:" + officer.id(), resets.get(0).event().target());
        assertEquals("chicago", resets.get(0).event().site());

        try {
            accounts.resetSecondFactor(admin.id(), lead);
            fail("one's own reset");
        } catch (InvalidInputException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("own"));
        }
        assertNoSecretsAudited(secret);
    }

    @Test
    public void anAdministratorCannotTurnTheirsOffAndOthersNeedPasswordAndCode() {
        User admin = account("chi-admin", Grant.at("chicago", Role.SITE_ADMIN));
        String adminSecret = enrol(admin);
        try {
            accounts.disableSecondFactor(admin.id(), PASSWORD.toCharArray(), now(adminSecret), Actor.SYSTEM);
            fail("an administrator turned the second factor off");
        } catch (InvalidInputException expected) {
            assertTrue(accounts.secondFactor(admin.id()).active());
        }

        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        String secret = enrol(officer);
        Actor self = new Actor(officer.username(), FROM);
        String wrong = now(secret).equals("000000") ? "111111" : "000000";
        try {
            accounts.disableSecondFactor(officer.id(), PASSWORD.toCharArray(), wrong, self);
            fail("turned off without the code");
        } catch (LoginRefusedException expected) {
            assertTrue(accounts.secondFactor(officer.id()).active());
        }
        try {
            accounts.disableSecondFactor(officer.id(), "not the password at all".toCharArray(), now(secret), self);
            fail("turned off without the password");
        } catch (LoginRefusedException expected) {
            assertTrue(accounts.secondFactor(officer.id()).active());
        }
        char[] password = PASSWORD.toCharArray();
        accounts.disableSecondFactor(officer.id(), password, now(secret), self);
        assertFalse(accounts.secondFactor(officer.id()).active());
        assertEquals("the password is wiped", '\0', password[0]);
        assertEquals(
                1,
                audit.recent(Optional.empty(), Optional.of("user.second-factor.disable"), 5)
                        .size());
        assertNoSecretsAudited(secret);
    }

    @Test
    public void aWrongFirstCodeLeavesTheEnrolmentPendingAndIsAudited() {
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        Actor self = new Actor(officer.username(), FROM);
        SecondFactorEnrolment enrolment = accounts.enrolSecondFactor(officer.id(), PASSWORD.toCharArray(), self);
        try {
            accounts.confirmSecondFactor(
                    officer.id(), code(enrolment.secret(), clock.instant().minusSeconds(90)), self);
            fail("a stale first code");
        } catch (InvalidInputException expected) {
            assertTrue(accounts.secondFactor(officer.id()).pending());
        }
        assertFalse(
                "enrolling is not yet having one",
                accounts.secondFactor(officer.id()).needed());
        accounts.confirmSecondFactor(officer.id(), now(enrolment.secret()), self);
        assertTrue(accounts.secondFactor(officer.id()).active());
        try {
            accounts.enrolSecondFactor(officer.id(), PASSWORD.toCharArray(), self);
            fail("a second secret while one is on");
        } catch (InvalidInputException expected) {
            assertTrue(accounts.secondFactor(officer.id()).active());
        }
        List<AuditEntry> confirmations = audit.recent(Optional.empty(), Optional.of("user.second-factor.confirm"), 5);
        assertEquals(AuditOutcome.SUCCESS, confirmations.get(0).event().outcome());
        assertEquals(AuditOutcome.FAILURE, confirmations.get(1).event().outcome());
        assertEquals(
                1,
                audit.recent(Optional.empty(), Optional.of("user.second-factor.enrol"), 5)
                        .size());
        assertNoSecretsAudited(enrolment.secret());
    }

    @Test
    public void demoModeDoesNotRequireItOfAdministratorsButOffersIt() {
        restart(false);
        User admin = account("demo-tta-admin", Grant.national(Role.TTA_ADMIN));
        assertFalse(accounts.secondFactor(admin.id()).required());
        assertTrue(sessions.resume(sessions.open(admin).id()).isPresent());
        String secret = enrol(admin);
        assertTrue("once on, it is asked for", accounts.secondFactor(admin.id()).needed());
        sessions.completeLogIn(password(admin).token(), now(secret), FROM);
    }

    @Test
    public void enrollingFromTheAccountPageTakesThePasswordAndAWrongOneReplacesNothing() {
        User officer = account("cpd-officer", Grant.at("chicago", Role.POLICE));
        Actor self = new Actor(officer.username(), FROM);
        SecondFactorEnrolment holder = accounts.enrolSecondFactor(officer.id(), PASSWORD.toCharArray(), self);
        char[] wrong = "not the password at all".toCharArray();
        try {
            accounts.enrolSecondFactor(officer.id(), wrong, self);
            fail("an enrolment without the password");
        } catch (LoginRefusedException expected) {
            assertEquals(AccountsImpl.REFUSED, expected.getMessage());
        }
        assertEquals("the password is wiped", '\0', wrong[0]);
        assertEquals("counted as a failed log-in", 1, failedLogIns(officer.id()));
        assertEquals(
                "one enrolment audited, the refusal as a failed log-in",
                1,
                audit.recent(Optional.empty(), Optional.of("user.second-factor.enrol"), 5)
                        .size());
        assertEquals(1, logIns(AuditOutcome.FAILURE));
        assertEquals(0, logIns(AuditOutcome.SUCCESS));
        accounts.confirmSecondFactor(officer.id(), now(holder.secret()), self);
        assertTrue(
                "the holder's pending secret was not replaced",
                accounts.secondFactor(officer.id()).active());
    }

    @Test
    public void demoModeRelaxesOnlyTheDemoAccountsNotTheRealAdministratorsOnTheSameStore() {
        User lead = account("tta-lead", Grant.national(Role.TTA_ADMIN));
        User chicago = account("chi-admin", Grant.at("chicago", Role.SITE_ADMIN));
        restart(false);
        User demo = account("demo-tta-admin", Grant.national(Role.TTA_ADMIN));
        for (User admin : List.of(lead, chicago)) {
            assertTrue(admin.username(), accounts.secondFactor(admin.id()).required());
            try {
                sessions.open(admin);
                fail("a real administrator's session without a second factor in demo mode");
            } catch (IllegalStateException expected) {
                // enrolment first
            }
            assertTrue("only enrolment completes the log-in", password(admin).enrolmentRequired());
        }
        assertFalse(accounts.secondFactor(demo.id()).required());
        assertTrue(sessions.resume(sessions.open(demo).id()).isPresent());
        try {
            accounts.create(
                    new NewUser("demo-lookalike", "x", PASSWORD.toCharArray(), List.of(Grant.national(Role.TTA_ADMIN))),
                    new Actor(lead.username(), FROM));
            fail("the demo accounts' prefix is the platform's own");
        } catch (InvalidInputException expected) {
            assertEquals("username", expected.errors().get(0).field());
        }
    }

    private long logIns(AuditOutcome outcome) {
        return audit.recent(Optional.empty(), Optional.of("login"), 100).stream()
                .filter(e -> e.event().outcome() == outcome)
                .count();
    }

    /** Neither the secret nor any code from it is in the audit log. */
    private void assertNoSecretsAudited(String secret) {
        for (AuditEntry entry : audit.recent(Optional.empty(), Optional.empty(), 1000)) {
            String text = entry.event().toString();
            assertFalse(text, text.contains(secret));
            for (int step = -20; step <= 20; step++) {
                assertFalse(text, text.contains(code(secret, clock.instant().plusSeconds(30L * step))));
            }
        }
    }
}
