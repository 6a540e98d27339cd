package org.dmiplatform.core.internal.programme;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.NoSuchElementException;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.FollowUps;
import org.dmiplatform.api.programme.FollowUps.Outcome;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/** Step 9: outcomes as dated events, mentors, tasks and the site's overdue list, for the roles that follow referrals. */
@RunWith(Parameterized.class)
public class FollowUpsTest {
    private static final String SITE = "chicago";

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private ProgrammeServices services;
    private FollowUpsImpl followUps;
    private long intervention;
    private long person;
    private long referral;

    public FollowUpsTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        // 10:00 in Chicago on 2 March 2026
        clock = new MutableClock(Instant.parse("2026-03-02T16:00:00Z"));
        services = ProgrammeServices.on(fresh, clock);
        followUps = new FollowUpsImpl(
                org.dmiplatform.core.internal.storage.Database.on(fresh.dataSource()),
                services.audit(),
                new FakeSites(SITE, "denver"),
                clock);
        intervention = services.intervention(SITE);
        person = services.callInCandidate(SITE, intervention);
        referral = services.market()
                .addReferral(
                        SITE,
                        intervention,
                        person,
                        new Market.NewReferral(
                                Market.ServiceCategory.JOB_TRAINING, "Trades Ready (test)", LocalDate.of(2026, 3, 2)),
                        ProgrammeServices.as(Role.SERVICES, SITE))
                .id();
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    @Test
    public void outcomesAreDatedEventsAndTheReferralShowsTheLatest() {
        var services0 = ProgrammeServices.as(Role.SERVICES, SITE);
        followUps.recordOutcome(
                SITE, intervention, referral, Outcome.INTAKE, LocalDate.of(2026, 3, 2), "came in", services0);
        followUps.assignMentor(
                SITE, intervention, referral, "Ms. Mentor (test)", ProgrammeServices.as(Role.COMMUNITY, SITE));
        followUps.recordOutcome(SITE, intervention, referral, Outcome.NO_SHOW, LocalDate.of(2026, 3, 2), "", services0);
        List<FollowUps.Event> history = followUps
                .history(SITE, intervention, referral, ProgrammeServices.as(Role.POC, SITE))
                .events();
        assertEquals(
                List.of("outcome:intake", "mentor:Ms. Mentor (test)", "outcome:no-show"),
                history.stream().map(e -> e.kind() + ":" + e.value()).toList());
        Market.Referral now = services.market()
                .person(SITE, intervention, person, services0)
                .referrals()
                .orElseThrow()
                .get(0);
        assertEquals("no-show", now.status());
        try {
            followUps.recordOutcome(
                    SITE, intervention, referral, Outcome.ENGAGED, LocalDate.of(2026, 3, 3), "", services0);
            fail();
        } catch (InvalidInputException e) {
            assertEquals("on", e.errors().get(0).field());
        }
        try {
            followUps.history(SITE, intervention, referral, ProgrammeServices.as(Role.POLICE, SITE));
            fail();
        } catch (AccessDeniedException expected) {
            // police never see referrals
        }
        try {
            followUps.history("denver", intervention, referral, ProgrammeServices.as(Role.SERVICES, "denver"));
            fail();
        } catch (NoSuchElementException expected) {
            // another site's referral is not there
        }
    }

    @Test
    public void tasksPastTheirDueDateAreOverdueUntilDone() {
        var coordinator = ProgrammeServices.as(Role.SERVICES, SITE);
        FollowUps.Task late = followUps.addTask(
                SITE, intervention, referral, "call about the intake", LocalDate.of(2026, 3, 1), coordinator);
        FollowUps.Task soon = followUps.addTask(
                SITE, intervention, referral, "check on week one", LocalDate.of(2026, 3, 4), coordinator);
        assertEquals(
                List.of(late.id()),
                followUps.overdue(SITE, coordinator).stream()
                        .map(FollowUps.Task::id)
                        .toList());
        assertEquals(person, followUps.overdue(SITE, coordinator).get(0).person());
        followUps.completeTask(SITE, intervention, late.id(), LocalDate.of(2026, 3, 2), coordinator);
        assertTrue(followUps.overdue(SITE, coordinator).isEmpty());
        // due on the 4th: overdue from the 5th in Chicago (the 5th starts at 06:00 UTC)
        clock.advance(Duration.ofDays(2).plusHours(13)); // 5 March 05:00 UTC: still the 4th in Chicago
        assertTrue(followUps.overdue(SITE, coordinator).isEmpty());
        clock.advance(Duration.ofHours(2)); // 5 March 01:00 in Chicago
        assertEquals(
                List.of(soon.id()),
                followUps.overdue(SITE, coordinator).stream()
                        .map(FollowUps.Task::id)
                        .toList());
        assertTrue(followUps
                .overdue("denver", ProgrammeServices.as(Role.SERVICES, "denver"))
                .isEmpty());
        assertEquals(
                List.of(soon.id(), late.id()),
                followUps.tasks(SITE, intervention, referral, coordinator).stream()
                        .map(FollowUps.Task::id)
                        .toList());
    }
}
