package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentMap;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security requirement 4: each route writes exactly one complete audit record, and no secret or treatment content
 * reaches the audit log or any log. The writes are those of {@link SeededSite}, which calls every write route the
 * platform has (but those in {@link #NOT_CALLED}) with a valid body as a role it allows; the reads are every GET route
 * with the seeded ids.
 */
public class AuditPerRouteTest {
    /** Write routes the seeding does not call, and why; any other write route not called fails the test. */
    static final Map<String, String> NOT_CALLED = Map.of(
            "PUT /sites/{site}/profiles/{file}",
            "the fixture's provisioning has no ConfigurationAdmin or site folder to write; SiteProvisioningImpl"
                    + " audits site.profile-file itself",
            "DELETE /sites/{site}/profiles/{file}",
            "as PUT: SiteProvisioningImpl.removeProfileFile audits site.profile-file",
            "PUT /sites/{site}/plugins/{plugin}",
            "the fixture's provisioning binds no plug-in configuration; SiteProvisioningImpl.configurePlugin"
                    + " audits it",
            "DELETE /sites/{site}/plugins/{plugin}",
            "as PUT: SiteProvisioningImpl.configurePlugin audits it",
            "POST /sites/{site}/code-table-drafts",
            "reads spreadsheets through the CodeLists service of the CSV adapter bundle, absent here",
            "POST /addons/files",
            "needs Karaf to take a file in; AddOnsImpl audits addon.file itself (refusals too), AddOnSwapIT"
                    + " reads the entry",
            "POST /addons/plans",
            "a dry run, which changes nothing; needs Karaf's features service",
            "POST /addons/changes",
            "needs Karaf to change the runtime; AddOnsImpl audits addon.install, addon.swap and"
                    + " addon.uninstall itself (refusals too), AddOnSwapIT reads the entries",
            "POST /sites/{site}/addons/replacements",
            "needs Karaf's features and provisioning's files; AddOnsImpl audits addon.replace under the site itself"
                    + " (refusals too), AddOnSwapIT reads the entry");

    /**
     * The site a write of a route without {@code {site}} is filed under: an account's only site (AccountsImpl files
     * an account's changes under it, so its site administrator finds them: its second factor's enrolment, at the
     * account page or at an administrator's first log-in, confirmation, turning off and reset too), the site
     * provisioned; otherwise none (the log-in's steps, {@code login.password} and {@code login}, and the log-out).
     */
    static final Map<String, String> SITE_OF = Map.ofEntries(
            Map.entry("POST /users", SeededSite.SITE),
            Map.entry("PATCH /users/{id}", SeededSite.SITE),
            Map.entry("PUT /users/{id}/password", SeededSite.SITE),
            Map.entry("POST /users/{id}/unlock", SeededSite.SITE),
            Map.entry("POST /users/{id}/second-factor", SeededSite.SITE),
            Map.entry("PUT /users/{id}/second-factor", SeededSite.SITE),
            Map.entry("DELETE /users/{id}/second-factor", SeededSite.SITE),
            Map.entry("POST /users/{id}/second-factor/reset", SeededSite.SITE),
            Map.entry("POST /session/second-factor/enrolment", SeededSite.SITE),
            Map.entry("POST /sites", "austin"));

    /** GET routes that read persons, records, consents, treatment, accounts or the audit log: exactly one entry. */
    static final Set<String> AUDITED_READS = Set.of(
            "GET " + MarketRoutes.PERSONS,
            "GET " + MarketRoutes.PERSON,
            "GET " + MarketRoutes.PERSON + "/notebook",
            "GET " + MarketRoutes.PERSON + "/revalidations",
            "GET /sites/{site}/reviews-due",
            "GET /sites/{site}/disseminations",
            "GET /sites/{site}/purged",
            "GET " + ProgrammeRoutes.INTERVENTION + "/addresses",
            "GET " + ProgrammeRoutes.INTERVENTION + "/surveys",
            "GET " + ProgrammeRoutes.INTERVENTION + "/link-chart",
            "GET " + CallInRoutes.CALL_IN,
            "GET " + CallInRoutes.CALL_IN + "/deadlines",
            "GET " + CallInRoutes.LETTERS,
            "GET " + CallInRoutes.LETTERS + "/{letter}",
            "GET " + CallInRoutes.LETTERS + "/{letter}/html",
            "GET " + ConsentRoutes.REFERRAL + "/consents",
            "GET " + ConsentRoutes.REFERRAL + "/treatment",
            "GET " + RecordRoutes.RECORDS,
            "GET " + RecordRoutes.RECORDS + "/counts",
            "GET " + RecordRoutes.IMPORTS + "/{import}/quarantine",
            "GET " + ProgrammeRoutes.INTERVENTION + "/reports/outcome",
            "GET /audit",
            "GET /audit/verify",
            "GET /users",
            "GET /users/{id}");

    /**
     * Reports: their own entry, and besides it one {@code records.*} entry for each query they make of the records
     * store, which audits every query as the one asking (the caller, or the platform for the cross-site measures).
     */
    static final Set<String> REPORTS = Set.of(
            "GET " + ProgrammeRoutes.INTERVENTION + "/reports/outcome",
            "GET " + ProgrammeRoutes.INTERVENTION + "/reports/watch",
            "GET /performance");

    /** Who reads first: the treatment's named recipient before the other services and community users. */
    private static final List<String> READERS = List.of(
            SeededSite.POLICE,
            SeededSite.SERVICES,
            SeededSite.SITE_ADMIN,
            SeededSite.PROSECUTOR,
            SeededSite.POC,
            SeededSite.COMMUNITY,
            SeededSite.RESEARCH,
            SeededSite.TTA_ADMIN,
            SeededSite.TTA_STAFF);

    @Test
    public void eachWriteRouteWritesExactlyOneCompleteRecord() {
        try (SeededSite s = new SeededSite().seed()) {
            List<String> wrong = new ArrayList<>();
            Set<String> called = new TreeSet<>();
            for (SeededSite.Sent sent : s.sent) {
                if (!sent.route().unsafe()) {
                    continue;
                }
                called.add(sent.route().toString());
                String site = sent.site().isEmpty()
                        ? SITE_OF.getOrDefault(sent.route().toString(), "")
                        : sent.site();
                check(sent, sent.entries(), site, wrong);
            }
            assertTrue(String.join("\n", wrong), wrong.isEmpty());
            Set<String> missing = new TreeSet<>();
            for (Route route : s.f.api.routes()) {
                if (route.unsafe() && !called.contains(route.toString()) && !NOT_CALLED.containsKey(route.toString())) {
                    missing.add(route.toString());
                }
            }
            assertTrue(
                    "write routes neither called by SeededSite nor listed in NOT_CALLED with the reason: " + missing,
                    missing.isEmpty());
            for (String listed : NOT_CALLED.keySet()) {
                assertTrue(listed + " is called now: take it off NOT_CALLED", !called.contains(listed));
            }
            // a log-in is as many calls as steps, each with its one entry: the password alone, or the password
            // (login.password), an administrator's enrolment at the first log-in, then the code (login)
            List<String> logIns = new ArrayList<>();
            for (SeededSite.Sent sent : s.sent) {
                if (sent.route().toString().startsWith("POST /session")) {
                    logIns.add(sent.user() + " " + sent.route() + " " + sent.status() + " " + actions(sent.entries()));
                }
            }
            String newcomer = "user:" + s.newUser;
            String admin = "user:" + s.newAdmin;
            assertEquals(
                    List.of(
                            SeededSite.NEWCOMER + " POST /session 200 [login " + newcomer + "]",
                            SeededSite.NEWCOMER + " POST /session 200 [login " + newcomer + "]",
                            SeededSite.NEWCOMER + " POST /session 202 [login.password " + newcomer + "]",
                            SeededSite.NEWCOMER + " POST /session/second-factor 200 [login " + newcomer + "]",
                            SeededSite.NEW_ADMIN + " POST /session 202 [login.password " + admin + "]",
                            SeededSite.NEW_ADMIN + " POST /session/second-factor/enrolment 200"
                                    + " [user.second-factor.enrol " + admin + "]",
                            SeededSite.NEW_ADMIN + " POST /session/second-factor 200 [login " + admin + "]"),
                    logIns);
            SeededSite.Sent enrolled = s.sent.stream()
                    .filter(x -> x.user().equals(SeededSite.NEW_ADMIN)
                            && x.route().toString().equals("POST /session/second-factor"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    "the first code confirmed the enrolment, and the log-in's entry says so",
                    "second factor; " + org.dmiplatform.core.internal.access.AccountsImpl.ENROLLED_AT_LOG_IN,
                    enrolled.entries().get(0).event().detail());
            System.out.println("AuditPerRouteTest: " + called.size() + " write routes, "
                    + s.sent.stream().filter(x -> x.route().unsafe()).count() + " writes, each one entry");
        }
    }

    @Test
    public void eachReadWritesAtMostOneEntryAndReadsOfPersonsRecordsConsentsAndTheLogExactlyOne() throws Exception {
        try (SeededSite s = new SeededSite().seed()) {
            List<String> wrong = new ArrayList<>();
            Set<String> answered = new TreeSet<>();
            int reads = 0;
            for (Route route : s.f.api.routes()) {
                if (!route.method.equals("GET") || route.guard.scope() == Guard.Scope.PUBLIC) {
                    continue;
                }
                for (String path : RoleFieldMatrixTest.paths(s, route)) {
                    for (String user : READERS) {
                        int before = s.sent.size();
                        Response r;
                        try {
                            r = s.send(user, "GET", path, null);
                        } catch (AssertionError notForThisUser) {
                            continue;
                        }
                        reads++;
                        answered.add(route.toString());
                        SeededSite.Sent sent = s.sent.get(before);
                        List<AuditEntry> own = sent.entries();
                        if (REPORTS.contains(route.toString())) {
                            own = own.stream()
                                    .filter(e -> !(e.event().action().startsWith("records.")
                                            && e.event().outcome() == AuditOutcome.SUCCESS))
                                    .toList();
                        }
                        int n = own.size();
                        if (n > 1 || (n == 0 && AUDITED_READS.contains(route.toString()))) {
                            wrong.add(user + " GET " + path + " -> " + r.status() + ": " + n + " entries "
                                    + actions(sent.entries()));
                        } else if (n == 1) {
                            check(sent, own, sent.site(), wrong);
                        }
                        break;
                    }
                }
            }
            assertTrue(String.join("\n", wrong), wrong.isEmpty());
            Set<String> unanswered = new TreeSet<>(AUDITED_READS);
            unanswered.removeAll(answered);
            assertTrue("audited reads never answered: " + unanswered, unanswered.isEmpty());
            System.out.println("AuditPerRouteTest: " + answered.size() + " GET routes, " + reads + " reads");
        }
    }

    /** Exactly one entry, by the user, at the site, with an action and a target, a success, written during the call. */
    private static void check(SeededSite.Sent sent, List<AuditEntry> entries, String site, List<String> wrong) {
        String call = sent.user() + " " + sent.method() + " " + sent.path() + ": ";
        if (entries.size() != 1) {
            wrong.add(call + entries.size() + " entries " + actions(entries));
            return;
        }
        AuditEntry entry = entries.get(0);
        AuditEvent e = entry.event();
        Instant at = entry.at();
        if (!e.actor().equals(sent.user())
                || !e.site().equals(site)
                || e.action().isBlank()
                || e.target().isBlank()
                || e.outcome() != AuditOutcome.SUCCESS
                || at.isBefore(sent.before())
                || at.isAfter(sent.after())) {
            wrong.add(call + "incomplete or wrong " + entry + " (expected actor " + sent.user() + ", site '" + site
                    + "', a time in [" + sent.before() + ", " + sent.after() + "])");
        }
    }

    private static List<String> actions(List<AuditEntry> entries) {
        return entries.stream()
                .map(e -> e.event().action() + " " + e.event().target())
                .toList();
    }

    /**
     * Passwords (a new account's, one an administrator sets, one the user changes to, a wrong one), the pending
     * charges and the treatment follow-up, all sent through the API, are in no audit entry and in nothing any logger
     * wrote meanwhile: System.out and System.err are captured, and every slf4j-simple logger is turned to TRACE.
     * Nor is the secret of any authenticator app enrolled while seeding (the administrators' at their first log-in,
     * the newcomer's on the account page).
     */
    @Test
    public void noSecretOrTreatmentContentReachesTheAuditLogOrAnyLog() throws Exception {
        String wrongPassword = "CANARY-SECRET-wrong-password-8104";
        List<String> canaries = new ArrayList<>(List.of(
                SeededSite.NEW_PASSWORD, SeededSite.CHANGED_PASSWORD, SeededSite.OWN_NEW_PASSWORD, wrongPassword));
        canaries.addAll(RoleFieldMatrixTest.all());
        String logged;
        List<AuditEntry> entries;
        try (LogCapture capture = LogCapture.start();
                SeededSite s = new SeededSite()) {
            s.seed();
            assertTrue(
                    "secrets enrolled: " + s.f.authenticators.keySet(),
                    s.f.authenticators
                            .keySet()
                            .containsAll(List.of(
                                    SeededSite.SITE_ADMIN,
                                    SeededSite.TTA_ADMIN,
                                    SeededSite.NEWCOMER,
                                    SeededSite.NEW_ADMIN)));
            canaries.addAll(s.f.authenticators.values());
            // a wrong password, and a body the API refuses with a charge in it
            Response refused = s.f.send(
                    "POST",
                    "/session",
                    "{\"username\":\"" + SeededSite.POLICE + "\",\"password\":\"" + wrongPassword + "\"}",
                    null,
                    Map.of("content-type", "application/json"));
            assertEquals(401, refused.status());
            Response bad = s.f.send(
                    "PATCH",
                    s.person(s.candidate),
                    "{\"pendingCharges\":\"" + SeededSite.CHARGES + "\",\"charge\":\"" + SeededSite.CHARGES + "\"}",
                    s.clients.get(SeededSite.POLICE));
            assertEquals(bad.text(), 400, bad.status());
            entries = s.f.audit.recent(Optional.empty(), Optional.empty(), 100_000);
            logged = capture.text();
        }
        List<String> found = new ArrayList<>();
        for (AuditEntry entry : entries) {
            AuditEvent e = entry.event();
            String fields = String.join(
                    "\u0000", e.actor(), e.site(), e.action(), e.target(), e.from(), e.detail(), entry.hash());
            for (String canary : canaries) {
                if (fields.contains(canary)) {
                    found.add("audit entry " + entry + " holds " + canary);
                }
            }
        }
        for (String canary : canaries) {
            if (logged.contains(canary)) {
                int i = logged.indexOf(canary);
                found.add("the log holds " + canary + ": ..."
                        + logged.substring(Math.max(0, i - 200), Math.min(logged.length(), i + 100)));
            }
        }
        assertTrue(String.join("\n", found), found.isEmpty());
        // the capture worked: the audit logger's line of a person entered, and of the refused log-in, are in it
        assertTrue("the audit logger was captured", logged.contains("person.create"));
        assertTrue(logged.contains("FAILURE login"));
        assertTrue("entries read: " + entries.size(), entries.size() > 100);
    }

    /**
     * Captures what the loggers write (slf4j-simple writes to System.err) with every logger at TRACE, and puts back
     * the streams and levels after.
     */
    static final class LogCapture implements AutoCloseable {
        private static final int TRACE = 0;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream out = System.out;
        private final PrintStream err = System.err;
        private final Map<Object, Integer> levels = new HashMap<>();
        private Object config;
        private Integer defaultLevel;

        static LogCapture start() throws ReflectiveOperationException {
            LogCapture capture = new LogCapture();
            PrintStream both = new PrintStream(capture.bytes, true, StandardCharsets.UTF_8);
            System.setOut(both);
            System.setErr(both);
            // the audit logger exists before the fixture writes its first entry
            Logger audit = LoggerFactory.getLogger("org.dmiplatform.audit");
            Object factory = LoggerFactory.getILoggerFactory();
            Field map = factory.getClass().getDeclaredField("loggerMap");
            map.setAccessible(true);
            Class<?> simple = Class.forName("org.slf4j.impl.SimpleLogger");
            Field level = simple.getDeclaredField("currentLogLevel");
            level.setAccessible(true);
            for (Object logger : ((ConcurrentMap<?, ?>) map.get(factory)).values()) {
                capture.levels.put(logger, level.getInt(logger));
                level.setInt(logger, TRACE);
            }
            // loggers made from now on (CONFIG_PARAMS.defaultLogLevel)
            Field params = simple.getDeclaredField("CONFIG_PARAMS");
            params.setAccessible(true);
            capture.config = params.get(null);
            Field defaults = capture.config.getClass().getDeclaredField("defaultLogLevel");
            defaults.setAccessible(true);
            capture.defaultLevel = defaults.getInt(capture.config);
            defaults.setInt(capture.config, TRACE);
            if (!audit.isInfoEnabled()) {
                throw new AssertionError("the audit logger could not be turned up");
            }
            return capture;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws ReflectiveOperationException {
            System.setOut(out);
            System.setErr(err);
            Field level = Class.forName("org.slf4j.impl.SimpleLogger").getDeclaredField("currentLogLevel");
            level.setAccessible(true);
            Object factory = LoggerFactory.getILoggerFactory();
            Field map = factory.getClass().getDeclaredField("loggerMap");
            map.setAccessible(true);
            for (Object logger : ((ConcurrentMap<?, ?>) map.get(factory)).values()) {
                // a logger made while capturing goes back to the default level
                level.setInt(logger, levels.getOrDefault(logger, defaultLevel));
            }
            Field defaults = config.getClass().getDeclaredField("defaultLogLevel");
            defaults.setAccessible(true);
            defaults.setInt(config, defaultLevel);
        }
    }
}
