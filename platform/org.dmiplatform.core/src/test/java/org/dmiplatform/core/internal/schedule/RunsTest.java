package org.dmiplatform.core.internal.schedule;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dmiplatform.api.Runs;
import org.dmiplatform.api.Runs.Run;
import org.dmiplatform.api.Runs.Status;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.access.UserChange;
import org.dmiplatform.core.internal.access.AccountsImpl;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.access.PasswordHasher;
import org.dmiplatform.core.internal.access.PasswordPolicy;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Test;

/**
 * Runs on one node (SQLite, the scheduler's memory store) and across two nodes on one PostgreSQL: made once, as the
 * person who asked, a node that goes away mid-way having its run made by the other, one result kept.
 */
public class RunsTest {
    private static final String PDF = "/sites/chicago/interventions/1/reports/outcome?format=pdf";

    private TestDatabases.Fresh fresh;
    private Database database;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T15:00:00Z"));
    private final FakeSites sites = new FakeSites("chicago", "denver");
    private AccountsImpl accounts;
    private Schedule a;
    private Schedule b;

    private Caller on(String kind, String name) {
        fresh = TestDatabases.fresh(kind);
        database = Database.on(fresh.dataSource());
        AuditLogImpl audit = new AuditLogImpl(database, clock);
        accounts = new AccountsImpl(database, audit, sites, clock, new PasswordHasher(1000), PasswordPolicy.standard());
        return caller(name);
    }

    private Caller caller(String name) {
        User user = accounts.create(
                new NewUser(
                        name,
                        name,
                        "violet kettle over 7 bridges".toCharArray(),
                        List.of(Grant.at("chicago", Role.RESEARCH))),
                Actor.SYSTEM);
        return new Caller(user, "192.0.2.7");
    }

    /** One node on the embedded store: the scheduler's memory store. */
    private RunsImpl oneNode() {
        a = new Schedule("one", Duration.ofSeconds(7), 2);
        return node(a, false);
    }

    /** A maker that counts what it makes and answers {@code result} each time. */
    private static Runs.Maker counting(AtomicInteger made, Runs.Result result) {
        return (site, request, caller) -> {
            made.incrementAndGet();
            return result;
        };
    }

    private RunsImpl node(Schedule schedule, boolean shared) {
        schedule.start(database, shared);
        return RunsImpl.on(database, sites, accounts, schedule, clock);
    }

    @After
    public void stop() {
        for (Schedule s : new Schedule[] {a, b}) {
            if (s != null) {
                s.deactivate();
            }
        }
        if (fresh != null) {
            fresh.close();
        }
    }

    private static Run await(RunsImpl runs, Run run, Caller caller, Status status) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Run now = runs.run(run.site(), run.id(), caller);
            if (now.status() == status) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "run " + run.id() + " is not " + status + ": " + runs.run(run.site(), run.id(), caller));
    }

    @Test
    public void aRunIsMadeAsThePersonWhoAskedAndItsResultKeptForThemAlone() throws Exception {
        Caller analyst = on("sqlite", "analyst");
        RunsImpl runs = oneNode();
        AtomicInteger made = new AtomicInteger();
        runs.maker((site, request, caller) -> {
            made.incrementAndGet();
            assertEquals("chicago", site);
            assertEquals(PDF, request);
            assertEquals(
                    "made as the person who asked, from where they asked",
                    "analyst",
                    caller.user().username());
            assertEquals("192.0.2.7", caller.from());
            return new Runs.Result(
                    "application/pdf", "chicago-outcome.pdf", "%PDF-1.7".getBytes(StandardCharsets.UTF_8));
        });
        Run queued = runs.submit("chicago", PDF, analyst);
        assertEquals("analyst", queued.requestedBy());
        Run done = await(runs, queued, analyst, Status.DONE);
        assertEquals(1, made.get());
        assertEquals(1, done.attempts());
        assertEquals(8, done.size());
        assertTrue(done.kept());
        assertEquals("application/pdf", done.mediaType().orElseThrow());
        Runs.Result result = runs.result("chicago", done.id(), analyst).orElseThrow();
        assertEquals("chicago-outcome.pdf", result.fileName());
        assertArrayEquals("%PDF-1.7".getBytes(StandardCharsets.UTF_8), result.content());
        assertEquals(List.of(done), runs.runs("chicago", 10, analyst));

        // another person, and the right person at another site, see nothing of it
        Caller other = caller("other");
        assertEquals(List.of(), runs.runs("chicago", 10, other));
        for (Runnable look : List.<Runnable>of(
                () -> runs.run("chicago", done.id(), other),
                () -> runs.result("chicago", done.id(), other),
                () -> runs.run("denver", done.id(), analyst))) {
            try {
                look.run();
                fail("another person's run was shown");
            } catch (NoSuchElementException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("no run " + done.id()));
            }
        }

        // kept for KEPT_DAYS, then the result is deleted and the run stays listed
        clock.advance(Duration.ofDays(Runs.KEPT_DAYS + 1));
        runs.sweep();
        Run old = runs.run("chicago", done.id(), analyst);
        assertFalse(old.kept());
        assertEquals(Status.DONE, old.status());
        assertTrue(runs.result("chicago", done.id(), analyst).isEmpty());
    }

    @Test
    public void aRefusedReadFailsTheRunWithItsReasonAndADisabledAccountMakesNothing() throws Exception {
        Caller analyst = on("sqlite", "analyst");
        RunsImpl runs = oneNode();
        AtomicInteger made = new AtomicInteger();
        Runs.Registration first = runs.maker((site, request, caller) -> {
            made.incrementAndGet();
            if (request.contains("after=99")) {
                throw new Runs.Refused("after must be between 1 and 36 months");
            }
            if (request.contains("broken")) {
                throw new IllegalStateException("a bug with class names in its message");
            }
            return new Runs.Result("application/json", "x.json", new byte[] {'{', '}'});
        });
        Run refused = await(runs, runs.submit("chicago", PDF + "&after=99", analyst), analyst, Status.FAILED);
        assertEquals("after must be between 1 and 36 months", refused.problem().orElseThrow());
        assertTrue(runs.result("chicago", refused.id(), analyst).isEmpty());

        Run broken = await(runs, runs.submit("chicago", PDF + "&broken", analyst), analyst, Status.FAILED);
        assertEquals(
                "it could not be made; the platform's log says why (run " + broken.id() + ")",
                broken.problem().orElseThrow());

        // the account is disabled before its run is made: nothing is made as it
        first.close();
        int before = made.get();
        Run waiting = runs.submit("chicago", PDF, analyst);
        // no maker on this node yet: the run waits
        Thread.sleep(1500);
        assertEquals(Status.QUEUED, runs.run("chicago", waiting.id(), analyst).status());
        accounts.update(analyst.user().id(), UserChange.none().withEnabled(false), Actor.SYSTEM);
        runs.maker(counting(made, new Runs.Result("application/json", "x.json", new byte[0])));
        Run failed = await(runs, waiting, analyst, Status.FAILED);
        assertEquals(
                "the account that asked for it is disabled or locked",
                failed.problem().orElseThrow());
        assertEquals(before, made.get());
    }

    @Test
    public void aRunNoJobHoldsIsHandedToTheSchedulerAgainAndOneWhoseNodeKeptGoingAwayFails() throws Exception {
        Caller analyst = on("sqlite", "analyst");
        RunsImpl runs = oneNode();
        AtomicInteger made = new AtomicInteger();
        runs.maker(counting(made, new Runs.Result("application/json", "x.json", new byte[] {'1'})));
        // as the scheduler's memory store loses them at a restart: stored, queued or running, no job
        long queued = stored("QUEUED", 0);
        long running = stored("RUNNING", 1);
        long worn = stored("RUNNING", RunsImpl.MAX_ATTEMPTS);
        clock.advance(RunsImpl.BEING_QUEUED.plusSeconds(1));
        runs.sweep();
        Run first = await(runs, runs.run("chicago", queued, analyst), analyst, Status.DONE);
        assertEquals(1, first.attempts());
        Run second = await(runs, runs.run("chicago", running, analyst), analyst, Status.DONE);
        assertEquals("its second start", 2, second.attempts());
        Run failed = await(runs, runs.run("chicago", worn, analyst), analyst, Status.FAILED);
        assertTrue(
                failed.problem().orElseThrow(),
                failed.problem().orElseThrow().startsWith("its node went away 3 times"));
        assertEquals(2, made.get());
    }

    private long stored(String status, int attempts) {
        return database.transaction(c -> Sql.insert(
                c,
                "INSERT INTO runs (site_id, request, user_id, requested_from, requested_at, status, attempts, size)"
                        + " VALUES ('chicago', ?, (SELECT id FROM users WHERE username = 'analyst'), '192.0.2.7', ?, ?,"
                        + " ?, 0)",
                PDF,
                clock.instant(),
                status,
                attempts));
    }

    @Test
    public void aRunWhoseNodeWentAwayIsMadeByTheOtherNodeAndOneResultKept() throws Exception {
        Caller analyst = on("postgresql", "analyst");
        a = new Schedule("node-a", Duration.ofMillis(500), 2);
        b = new Schedule("node-b", Duration.ofMillis(500), 2);
        RunsImpl onA = node(a, true);
        CountDownLatch startedOnA = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        CountDownLatch returnedOnA = new CountDownLatch(1);
        onA.maker((site, request, caller) -> {
            startedOnA.countDown();
            try {
                releaseA.await(); // node a hangs mid-way, then goes silent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            returnedOnA.countDown();
            return new Runs.Result("application/pdf", "a.pdf", new byte[] {'a'});
        });
        Run run = onA.submit("chicago", PDF, analyst);
        assertTrue(startedOnA.await(20, TimeUnit.SECONDS));
        a.deactivateWithoutWaiting();

        RunsImpl onB = node(b, true);
        AtomicInteger madeOnB = new AtomicInteger();
        onB.maker(counting(madeOnB, new Runs.Result("application/pdf", "b.pdf", new byte[] {'b'})));
        Run done = await(onB, run, analyst, Status.DONE);
        assertEquals("node-b", done.node().orElseThrow());
        assertEquals(2, done.attempts());
        assertEquals(1, madeOnB.get());

        // node a wakes and finishes its own making: its result is dropped, b's stays
        releaseA.countDown();
        assertTrue(returnedOnA.await(10, TimeUnit.SECONDS));
        Thread.sleep(500);
        Runs.Result kept = onB.result("chicago", run.id(), analyst).orElseThrow();
        assertEquals("b.pdf", kept.fileName());
        assertArrayEquals(new byte[] {'b'}, kept.content());
        assertEquals(1L, (long) database.read(c -> Sql.one(c, "SELECT COUNT(*) FROM run_results", rs -> rs.getLong(1))
                .orElseThrow()));
        assertFalse(b.pending(RunsImpl.JOB, run.id()));
    }
}
