package org.dmiplatform.core.internal.programme;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.Checklist;
import org.dmiplatform.api.programme.CommunityWork;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Market.BankedStatus;
import org.dmiplatform.api.programme.Market.Decision;
import org.dmiplatform.api.programme.Market.Level;
import org.dmiplatform.api.programme.Market.Person;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.Progress;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.api.programme.Teams;
import org.dmiplatform.api.programme.Teams.TeamRole;
import org.dmiplatform.api.programme.TimelineEntry;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/** The programme services on real storage: the same tests on SQLite and on PostgreSQL. */
@RunWith(Parameterized.class)
public class ProgrammeStorageTest {
    private static final String SITE = "chicago";
    private ProgrammeServices services;

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private AuditLogImpl audit;
    private TeamsImpl teams;
    private ProgrammeImpl programme;
    private MarketImpl market;
    private CallInsImpl callIns;
    private CommunityWorkImpl community;
    private long intervention;

    public ProgrammeStorageTest(String kind) {
        this.kind = kind;
    }

    private static Caller as(Role role, String site) {
        return ProgrammeServices.as(role, site);
    }

    private static Caller as(Role role) {
        return as(role, SITE);
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        clock = new MutableClock(Instant.parse("2026-03-02T15:00:00Z"));
        services = ProgrammeServices.on(fresh, clock);
        audit = services.audit();
        teams = services.teams();
        programme = services.programme();
        market = services.market();
        callIns = services.callIns();
        community = services.community();
        intervention = programme
                .create(
                        SITE,
                        new Programme.NewIntervention("West End", LocalDate.of(2026, 3, 1), "highest drug calls"),
                        as(Role.POC))
                .id();
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    private void done(String step) {
        programme.setProgress(SITE, intervention, step, "", Progress.DONE, "", as(Role.SITE_ADMIN));
    }

    private long candidate(String name) {
        long id = market.enter(
                        SITE,
                        intervention,
                        new Market.NewPerson(
                                name,
                                "",
                                Level.STREET,
                                "seen selling at corner A (surveys of Step 2)",
                                "vice unit survey",
                                ""),
                        as(Role.POLICE))
                .id();
        market.decide(
                SITE,
                intervention,
                id,
                Decision.CALL_IN,
                "street level, no violence, no pending charges",
                as(Role.PROSECUTOR));
        return id;
    }

    private void planCallIn(LocalDateTime at) {
        callIns.plan(SITE, intervention, new CallIns.Plan(at, "District 7 station", "", ""), as(Role.POLICE));
    }

    /** The call-in of the candidate planned, the candidate invited, services arranged, held on its day, 7b done. */
    private void heldCallIn(long candidate) {
        done("5a");
        callIns.plan(
                SITE,
                intervention,
                new CallIns.Plan(LocalDateTime.of(2026, 3, 2, 18, 30), "District 7 station", "", ""),
                as(Role.POLICE));
        CallIns.Letter letter = callIns.generateLetter(SITE, intervention, candidate, as(Role.POLICE));
        callIns.markSent(SITE, intervention, letter.id(), LocalDate.of(2026, 3, 2), as(Role.POLICE));
        done("6a");
        done("7a");
        ProgrammeServices.arrangeAllServices(callIns, SITE, intervention);
        callIns.recordAttendance(SITE, intervention, candidate, true, as(Role.POC));
        callIns.held(SITE, intervention, as(Role.POC));
        done("7b");
    }

    private static void refused(String rule, Runnable action) {
        try {
            action.run();
            fail("rule " + rule + " should refuse this");
        } catch (RuleException e) {
            assertEquals(rule, e.rule());
        }
    }

    // ---- steps and gates ----------------------------------------------------------------------------------------

    @Test
    public void lettersCannotStartBeforeTheCandidateDecisionAndTheRefusalExplainsWhy() {
        try {
            programme.setProgress(SITE, intervention, "6a", "", Progress.IN_PROGRESS, "", as(Role.POLICE));
            fail();
        } catch (RuleException e) {
            assertEquals("letters-after-candidate-decision", e.rule());
            assertTrue(e.getMessage(), e.getMessage().startsWith("No letter before the candidate decision."));
            assertTrue(
                    e.getMessage(), e.getMessage().contains("Still to be done: Step 3b: Identify call-in candidates."));
        }
        assertEquals(
                "nothing changed",
                Progress.NOT_STARTED,
                programme
                        .checklist(SITE, intervention)
                        .step("6a")
                        .orElseThrow()
                        .state()
                        .status());
        done("3b");
        Checklist after = programme.setProgress(
                SITE, intervention, "6a", "", Progress.IN_PROGRESS, "letters drafted", as(Role.POLICE));
        assertEquals(
                Progress.IN_PROGRESS, after.step("6a").orElseThrow().state().status());
        assertEquals("letters drafted", after.step("6a").orElseThrow().state().note());
    }

    @Test
    public void theCallInWaitsForTimeAndPlaceLettersAndServices() {
        Checklist checklist = programme.checklist(SITE, intervention);
        assertEquals(
                List.of("5a", "6a", "7a"),
                checklist.step("7b").orElseThrow().blockedBy().get(0).waitingFor());
        done("5a");
        done("3b");
        done("6a");
        refused(
                "call-in-after-letters-and-services",
                () -> programme.setProgress(SITE, intervention, "7b", "7b.police", Progress.DONE, "", as(Role.POLICE)));
        done("7a");
        assertTrue(programme
                .checklist(SITE, intervention)
                .step("7b")
                .orElseThrow()
                .blockedBy()
                .isEmpty());
        programme.setProgress(SITE, intervention, "7b", "7b.police", Progress.DONE, "", as(Role.POLICE));
    }

    @Test
    public void aBlockedStepNeedsANoteAndOnlyItsRolesMayChangeIt() {
        refused(
                "blocked-needs-a-note",
                () -> programme.setProgress(SITE, intervention, "1", "", Progress.BLOCKED, " ", as(Role.POLICE)));
        programme.setProgress(
                SITE, intervention, "1", "", Progress.BLOCKED, "waiting for the CAD export", as(Role.POLICE));
        try {
            programme.setProgress(SITE, intervention, "3b", "", Progress.DONE, "", as(Role.COMMUNITY));
            fail("the candidate decision belongs to police and prosecutors");
        } catch (AccessDeniedException expected) {
            assertTrue(expected.getMessage().contains("Step 3b"));
        }
    }

    @Test
    public void fidelityMovesWithTheItemsDoneAndIgnoresWhatDoesNotApply() {
        assertEquals(0, programme.checklist(SITE, intervention).overallFidelity());
        // targeting: 9 + 5 + 5 + 3 + 3 + 3 = 28 items
        programme.setProgress(SITE, intervention, "1", "1.calls", Progress.DONE, "", as(Role.POLICE));
        programme.setProgress(
                SITE,
                intervention,
                "1",
                "1.contacts",
                Progress.NOT_APPLICABLE,
                "no field contact data",
                as(Role.POLICE));
        Checklist.PhaseFidelity targeting =
                programme.checklist(SITE, intervention).fidelity().get(1);
        assertEquals(27, targeting.applicableItems());
        assertEquals(1, targeting.doneItems());
        done("2");
        targeting = programme.checklist(SITE, intervention).fidelity().get(1);
        assertEquals(6, targeting.doneItems());
        assertEquals(22, targeting.percent());
        assertEquals(
                Optional.of("team"), programme.checklist(SITE, intervention).currentStep());
    }

    @Test
    public void timelineRecordsWhoDidWhatAndWhen() {
        clock.advance(java.time.Duration.ofHours(2));
        done("team");
        List<String> what = programme.timeline(SITE, intervention, as(Role.POC)).stream()
                .map(e -> e.what())
                .toList();
        assertEquals(List.of("Intervention 'West End' started", "Form the DMI team: done"), what);
        assertEquals(
                "chicago-site-admin",
                programme.timeline(SITE, intervention, as(Role.POC)).get(1).by());
    }

    @Test
    public void anotherSitesInterventionReadsAsMissing() {
        try {
            programme.checklist("denver", intervention);
            fail();
        } catch (NoSuchElementException expected) {
            assertTrue(expected.getMessage().contains("no intervention"));
        }
        try {
            market.persons("denver", intervention, as(Role.POLICE, "denver"));
            fail();
        } catch (NoSuchElementException expected) {
            // the id exists, but at another site
        }
    }

    @Test
    public void aNewInterventionStartsFromTheLastOnesAreas() {
        String square =
                "{\"type\":\"Polygon\",\"coordinates\":[[[-87.66,41.75],[-87.65,41.75],[-87.65,41.76],[-87.66,41.76],[-87.66,41.75]]]}";
        programme.setAreas(
                SITE,
                intervention,
                new Programme.Areas(Optional.of(square), Optional.of(square), Optional.empty(), "the corner"),
                as(Role.POLICE));
        Intervention next = programme.create(
                SITE,
                new Programme.NewIntervention(
                        "West End, again", LocalDate.of(2027, 3, 1), "it came back", Optional.of(intervention)),
                as(Role.POC));
        Intervention earlier = programme.intervention(SITE, intervention);
        assertEquals(earlier.targetArea(), next.targetArea());
        assertEquals(earlier.comparisonArea(), next.comparisonArea());
        assertEquals(Optional.empty(), next.bufferArea());
        assertTrue(programme.timeline(SITE, next.id(), as(Role.POC)).stream()
                .anyMatch(t -> t.what().equals("Started from 'West End': its areas")));
        // the overview follows every intervention of the site, the newest first
        Programme.SiteProgress chicago = programme.overview().stream()
                .filter(p -> p.site().equals(SITE))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of("West End, again", "West End"),
                chicago.all().stream().map(Programme.InterventionProgress::name).toList());
        // another site's intervention is not a site's to start from
        long denver = programme
                .create(
                        "denver",
                        new Programme.NewIntervention("Denver corner", LocalDate.of(2026, 3, 1), ""),
                        as(Role.POC, "denver"))
                .id();
        try {
            programme.create(
                    SITE,
                    new Programme.NewIntervention("Borrowed", LocalDate.of(2027, 3, 1), "", Optional.of(denver)),
                    as(Role.POC));
            fail("another site's intervention");
        } catch (java.util.NoSuchElementException expected) {
            // and nothing was created
        }
        assertEquals(2, programme.interventions(SITE).size());
    }

    @Test
    public void areasMustBePolygonsInLongitudeAndLatitude() {
        String square =
                "{\"type\":\"Polygon\",\"coordinates\":[[[-87.66,41.75],[-87.65,41.75],[-87.65,41.76],[-87.66,41.76],[-87.66,41.75]]]}";
        Intervention set = programme.setAreas(
                SITE,
                intervention,
                new Programme.Areas(
                        Optional.of("{\"type\":\"Feature\",\"properties\":{},\"geometry\":" + square + "}"),
                        Optional.empty(),
                        Optional.empty(),
                        "hot spot of drug calls"),
                as(Role.POLICE));
        assertEquals(square, set.targetArea().orElseThrow());
        try {
            programme.setAreas(
                    SITE,
                    intervention,
                    new Programme.Areas(
                            Optional.of(
                                    "{\"type\":\"Polygon\",\"coordinates\":[[[1175000,1850000],[1176000,1850000],[1176000,1851000],[1175000,1850000]]]}"),
                            Optional.of("{\"type\":\"Point\",\"coordinates\":[0,0]}"),
                            Optional.empty(),
                            ""),
                    as(Role.POLICE));
            fail();
        } catch (InvalidInputException e) {
            assertEquals(
                    List.of("target", "comparison"),
                    e.errors().stream().map(er -> er.field()).toList());
            assertTrue(e.errors().get(0).reason().contains("reproject"));
        }
        assertEquals(
                "the earlier areas stay",
                square,
                programme.intervention(SITE, intervention).targetArea().orElseThrow());
    }

    @Test
    public void areasMustLieAtTheSiteInLongitudeLatitudeOrder() {
        services.sites()
                .add(new org.dmiplatform.api.Site(
                        SITE,
                        "Chicago",
                        "",
                        java.time.ZoneId.of("America/Chicago"),
                        List.of(),
                        "",
                        List.of(),
                        Optional.of(new org.dmiplatform.api.Site.Bounds(-87.95, 41.64, -87.52, 42.03))));
        String chicago =
                "{\"type\":\"Polygon\",\"coordinates\":[[[-87.66,41.75],[-87.65,41.75],[-87.65,41.76],[-87.66,41.76],[-87.66,41.75]]]}";
        String swapped =
                "{\"type\":\"Polygon\",\"coordinates\":[[[41.75,-87.66],[41.75,-87.65],[41.76,-87.65],[41.76,-87.66],[41.75,-87.66]]]}";
        String denver =
                "{\"type\":\"Polygon\",\"coordinates\":[[[-104.99,39.74],[-104.98,39.74],[-104.98,39.75],[-104.99,39.75],[-104.99,39.74]]]}";
        programme.setAreas(
                SITE,
                intervention,
                new Programme.Areas(Optional.of(chicago), Optional.empty(), Optional.empty(), ""),
                as(Role.POLICE));
        try {
            programme.setAreas(
                    SITE,
                    intervention,
                    new Programme.Areas(Optional.of(swapped), Optional.of(denver), Optional.empty(), "moved"),
                    as(Role.POLICE));
            fail();
        } catch (InvalidInputException e) {
            assertEquals(
                    List.of("target", "comparison"),
                    e.errors().stream().map(er -> er.field()).toList());
            assertTrue(e.errors().get(0).reason(), e.errors().get(0).reason().contains("latitude, longitude order"));
            assertTrue(e.errors().get(1).reason(), e.errors().get(1).reason().contains("outside the site's area"));
        }
        assertEquals(
                chicago, programme.intervention(SITE, intervention).targetArea().orElseThrow());
    }

    // ---- the dealer list: who sees what -------------------------------------------------------------------------

    @Test
    public void intelligenceIsForPoliceProsecutorsAndTheSiteAdministratorOnly() {
        long candidate = candidate("Candidate A");
        long prosecuted = market.enter(
                        SITE,
                        intervention,
                        new Market.NewPerson("Person B", "", Level.MID, "supplier to corner A", "undercover buy", ""),
                        as(Role.POLICE))
                .id();
        market.refine(
                SITE,
                intervention,
                prosecuted,
                new Market.Facts(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(true),
                        Optional.of("assault 2024"),
                        Optional.of("CANARY-CHARGE-7731")),
                as(Role.POLICE));
        market.decide(
                SITE, intervention, prosecuted, Decision.PROSECUTE_NOW, "mid level with violence", as(Role.PROSECUTOR));
        market.addReferral(
                SITE,
                intervention,
                candidate,
                new Market.NewReferral(
                        Market.ServiceCategory.DRUG_TREATMENT, "Treatment Provider X", LocalDate.of(2026, 3, 2)),
                as(Role.SERVICES));

        for (Role role : new Role[] {Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN}) {
            List<Person> persons = market.persons(SITE, intervention, as(role));
            assertEquals(role + " sees the whole list", 2, persons.size());
            assertEquals(
                    "CANARY-CHARGE-7731",
                    persons.get(1).intelligence().orElseThrow().pendingCharges());
            assertTrue(role + " sees no referral", persons.get(0).referrals().isEmpty());
        }
        for (Role role : new Role[] {Role.COMMUNITY, Role.SERVICES, Role.POC}) {
            List<Person> persons = market.persons(SITE, intervention, as(role));
            assertEquals(
                    role + " sees the call-in candidate only",
                    List.of(candidate),
                    persons.stream().map(Person::id).toList());
            assertTrue(
                    role + " sees no intelligence",
                    persons.get(0).intelligence().isEmpty());
            assertEquals(1, persons.get(0).referrals().orElseThrow().size());
            assertFalse(persons.toString().contains("CANARY"));
            try {
                market.person(SITE, intervention, prosecuted, as(role));
                fail(role + " must not reach a person who is not a candidate");
            } catch (NoSuchElementException expected) {
                // as if the person did not exist
            }
        }
        for (Role role : new Role[] {Role.RESEARCH, Role.TTA_STAFF, Role.TTA_ADMIN}) {
            try {
                market.persons(SITE, intervention, as(role));
                fail(role + " sees aggregates only");
            } catch (AccessDeniedException expected) {
                // refused
            }
        }
    }

    @Test
    public void everyReadOfAPersonIsAudited() {
        long id = candidate("Candidate A");
        int before =
                audit.recent(Optional.of(SITE), Optional.of("person.read"), 100).size();
        market.person(SITE, intervention, id, as(Role.POLICE));
        market.person(SITE, intervention, id, as(Role.COMMUNITY));
        List<org.dmiplatform.api.access.AuditEntry> reads =
                audit.recent(Optional.of(SITE), Optional.of("person.read"), 100);
        assertEquals(before + 2, reads.size());
        assertEquals("chicago-community", reads.get(0).event().actor());
        assertEquals("person:" + id, reads.get(0).event().target());
    }

    @Test
    public void enteringAPersonNeedsJustificationAndSourceAndSetsAReviewFiveYearsOut() {
        refused(
                "entry-needs-justification-and-source",
                () -> market.enter(
                        SITE,
                        intervention,
                        new Market.NewPerson("Person C", "", Level.STREET, "", "tip", ""),
                        as(Role.POLICE)));
        assertTrue(market.persons(SITE, intervention, as(Role.POLICE)).isEmpty());
        Person entered = market.enter(
                SITE,
                intervention,
                new Market.NewPerson("Person C", "", Level.STREET, "observed hand-to-hand sales", "patrol report", ""),
                as(Role.POLICE));
        assertEquals(
                LocalDate.of(2031, 3, 2), entered.intelligence().orElseThrow().reviewDue());
        try {
            market.enter(
                    SITE,
                    intervention,
                    new Market.NewPerson("Person D", "", Level.STREET, "x", "y", ""),
                    as(Role.COMMUNITY));
            fail("community members do not enter intelligence");
        } catch (AccessDeniedException expected) {
            // refused
        }
    }

    @Test
    public void aDecisionNeedsItsCriteriaAndOnlyPoliceOrProsecutorsDecide() {
        long id = market.enter(
                        SITE,
                        intervention,
                        new Market.NewPerson("Person E", "", Level.STREET, "seen selling", "survey", ""),
                        as(Role.POLICE))
                .id();
        refused(
                "decision-needs-criteria",
                () -> market.decide(SITE, intervention, id, Decision.CALL_IN, "  ", as(Role.POLICE)));
        assertEquals(
                "nothing half-changed",
                Decision.UNDECIDED,
                market.person(SITE, intervention, id, as(Role.POLICE)).decision());
        try {
            market.decide(SITE, intervention, id, Decision.CALL_IN, "street level", as(Role.SITE_ADMIN));
            fail();
        } catch (AccessDeniedException expected) {
            // a law-enforcement decision
        }
        Person decided =
                market.decide(SITE, intervention, id, Decision.CALL_IN, "street level, no violence", as(Role.POLICE));
        assertEquals(
                "street level, no violence",
                decided.intelligence().orElseThrow().decisionCriteria());
        assertEquals("chicago-police", decided.intelligence().orElseThrow().decidedBy());
    }

    @Test
    public void aLetterMarkedSentInTheEveningIsSentThatDayAtTheSite() {
        long first = candidate("Candidate S");
        long second = candidate("Candidate T");
        done("3b");
        planCallIn(LocalDateTime.of(2026, 3, 20, 18, 30));
        CallIns.Letter one = callIns.generateLetter(SITE, intervention, first, as(Role.POLICE));
        CallIns.Letter two = callIns.generateLetter(SITE, intervention, second, as(Role.POLICE));
        // 21:30 on 2 March in Chicago is 03:30 UTC on the 3rd: the day left blank is the site's, the 2nd
        clock.set(Instant.parse("2026-03-03T03:30:00Z"));
        assertEquals(
                Optional.of(LocalDate.of(2026, 3, 2)),
                callIns.markSent(SITE, intervention, one.id(), null, as(Role.POLICE))
                        .sentOn());
        try {
            callIns.markSent(SITE, intervention, two.id(), LocalDate.of(2026, 3, 3), as(Role.POLICE));
            fail("a letter is not sent tomorrow");
        } catch (InvalidInputException e) {
            assertEquals("sentOn", e.errors().get(0).field());
        }
        assertEquals(
                Optional.empty(),
                callIns.letter(SITE, intervention, two.id(), as(Role.POLICE)).sentOn());
        // mailed once: a second marking does not move the day
        refused(
                "letter-sent-once",
                () -> callIns.markSent(SITE, intervention, one.id(), LocalDate.of(2026, 3, 1), as(Role.POLICE)));
    }

    @Test
    public void theSurveysIncidentReviewLinkChartAndNotebookAreThePolices() {
        Market.Survey survey = market.addSurvey(
                SITE,
                intervention,
                new Market.NewSurvey(
                        LocalDate.of(2026, 2, 27),
                        "beat officers, 3rd watch",
                        "patrol",
                        "Candidate W\nCandidate X",
                        ""),
                as(Role.POLICE));
        assertEquals(List.of(survey), market.surveys(SITE, intervention, as(Role.PROSECUTOR)));
        try {
            market.surveys(SITE, intervention, as(Role.COMMUNITY));
            fail("surveys are police intelligence");
        } catch (org.dmiplatform.api.access.AccessDeniedException expected) {
            // names offered are leads, not for the community
        }
        try {
            market.addSurvey(
                    SITE,
                    intervention,
                    new Market.NewSurvey(LocalDate.of(2026, 3, 1), "x", "y", "", ""),
                    as(Role.POLICE));
            fail("a survey offers something");
        } catch (InvalidInputException e) {
            assertEquals("namesOffered", e.errors().get(0).field());
        }
        long person = candidate("Candidate <W>");
        Market.IncidentNote note = market.addIncidentNote(
                SITE,
                intervention,
                person,
                LocalDate.of(2026, 3, 1),
                "three sales on video at the corner",
                as(Role.POLICE));
        Market.KeyAddress corner = market.addAddress(SITE, intervention, "1200 W Corner St", "stash", as(Role.POLICE));
        market.linkAddress(SITE, intervention, person, corner.id(), "sells in front of it", as(Role.PROSECUTOR));
        try {
            market.addIncidentNote(SITE, intervention, person, LocalDate.of(2026, 3, 5), "tomorrow", as(Role.POLICE));
            fail("a review is not dated later than today");
        } catch (InvalidInputException e) {
            assertEquals("reviewedOn", e.errors().get(0).field());
        }
        // another intervention's address is not this one's
        long other = programme
                .create(SITE, new Programme.NewIntervention("East End", LocalDate.of(2026, 3, 1), ""), as(Role.POC))
                .id();
        long far = market.addAddress(SITE, other, "9 E Far St", "", as(Role.POLICE))
                .id();
        try {
            market.linkAddress(SITE, intervention, person, far, "lives", as(Role.POLICE));
            fail("another intervention's address");
        } catch (java.util.NoSuchElementException expected) {
            // nothing linked
        }
        Market.LinkChart chart = market.linkChart(SITE, intervention, as(Role.SITE_ADMIN));
        assertEquals(1, chart.links().size());
        assertEquals(corner.id(), chart.links().get(0).address());
        assertEquals(
                List.of("Candidate <W>"),
                chart.persons().stream().map(Market.ChartPerson::name).toList());
        Market.Intelligence intelligence = market.person(SITE, intervention, person, as(Role.POLICE))
                .intelligence()
                .orElseThrow();
        assertEquals(List.of(note), intelligence.incidentNotes());
        // the notebook: everything on the person, escaped, for those who hold the intelligence
        String notebook = market.notebook(SITE, intervention, person, as(Role.PROSECUTOR));
        assertTrue(notebook, notebook.contains("<h1>Candidate &lt;W&gt;</h1>"));
        assertTrue(notebook.contains("three sales on video at the corner"));
        assertTrue(notebook.contains("<td>1200 W Corner St</td><td>sells in front of it</td>"));
        assertTrue(notebook.contains("street level, no violence, no pending charges"));
        try {
            market.notebook(SITE, intervention, person, as(Role.COMMUNITY));
            fail("the notebook is police intelligence");
        } catch (org.dmiplatform.api.access.AccessDeniedException expected) {
            // and the refusal is audited by the caller check
        }
    }

    @Test
    public void aDeadlineGivenAtTheCallInIsFollowedAndCheckedOnce() {
        long invited = candidate("Candidate Y");
        long other = candidate("Candidate Z");
        done("3b");
        heldCallIn(invited);
        CallIns.Deadline given = callIns.giveDeadline(
                SITE, intervention, invited, LocalDate.of(2026, 3, 10), "enrolled in job training", as(Role.POC));
        assertEquals(Optional.empty(), given.check());
        assertFalse(given.overdue());
        refused(
                "deadline-for-the-invited",
                () -> callIns.giveDeadline(SITE, intervention, other, LocalDate.of(2026, 3, 10), "x", as(Role.POC)));
        try {
            callIns.deadlines(SITE, intervention, as(Role.COMMUNITY));
            fail("deadlines are read as the letters are");
        } catch (org.dmiplatform.api.access.AccessDeniedException expected) {
            // not the community's
        }
        try {
            callIns.giveDeadline(SITE, intervention, invited, LocalDate.of(2026, 3, 1), "yesterday", as(Role.POC));
            fail("a deadline is not in the past");
        } catch (InvalidInputException e) {
            assertEquals("due", e.errors().get(0).field());
        }
        // the day passes at the site with nothing said: overdue
        clock.set(Instant.parse("2026-03-12T15:00:00Z"));
        assertTrue(callIns.deadlines(SITE, intervention, as(Role.PROSECUTOR))
                .get(0)
                .overdue());
        try {
            callIns.checkDeadline(
                    SITE,
                    intervention,
                    given.id(),
                    CallIns.DeadlineOutcome.MET,
                    LocalDate.of(2026, 3, 13),
                    "",
                    as(Role.POC));
            fail("not checked tomorrow");
        } catch (InvalidInputException e) {
            assertEquals("checkedOn", e.errors().get(0).field());
        }
        CallIns.Deadline missed = callIns.checkDeadline(
                SITE, intervention, given.id(), CallIns.DeadlineOutcome.MISSED, null, "did not enrol", as(Role.POLICE));
        assertEquals(
                new CallIns.DeadlineCheck(
                        CallIns.DeadlineOutcome.MISSED, LocalDate.of(2026, 3, 12), "did not enrol", "chicago-police"),
                missed.check().orElseThrow());
        assertFalse(missed.overdue());
        refused(
                "deadline-checked-once",
                () -> callIns.checkDeadline(
                        SITE, intervention, given.id(), CallIns.DeadlineOutcome.MET, null, "", as(Role.POC)));
        assertTrue(programme.timeline(SITE, intervention, as(Role.POC)).stream()
                .anyMatch(t ->
                        t.what().equals("Deadline missed") && t.on().equals(Optional.of(LocalDate.of(2026, 3, 12)))));
    }

    @Test
    public void aLetterIsSignedByTheChiefOnTheSitesLetterhead() {
        long first = candidate("Candidate U");
        long second = candidate("Candidate V");
        done("3b");
        planCallIn(LocalDateTime.of(2026, 3, 20, 18, 30));
        // before a letterhead is set, the letter is signed by the office
        String plain = callIns.generateLetter(SITE, intervention, first, as(Role.POLICE))
                .html();
        assertTrue(plain, plain.contains("<p>Chief of Police"));
        try {
            callIns.setLetterhead(SITE, new CallIns.Letterhead(" ", "", "", ""), as(Role.POLICE));
            fail("a letterhead names its chief and title");
        } catch (InvalidInputException e) {
            assertEquals(
                    List.of("chief", "title"),
                    e.errors().stream().map(InputError::field).toList());
        }
        try {
            callIns.setLetterhead(SITE, new CallIns.Letterhead("A", "B", "", ""), as(Role.COMMUNITY));
            fail("community does not sign letters");
        } catch (org.dmiplatform.api.access.AccessDeniedException expected) {
            // the letters are the police's
        }
        callIns.setLetterhead(
                SITE,
                new CallIns.Letterhead(
                        "Jane Roe (demo)",
                        "Chief of Police\nWest End Police Department (demo)",
                        "West End Police Department (demo)",
                        "100 Main Street (demo)\nWest End, IL 60000"),
                as(Role.POC));
        String signed = callIns.generateLetter(SITE, intervention, second, as(Role.POLICE))
                .html();
        assertTrue(
                signed,
                signed.contains(
                        "<p>West End Police Department (demo)<br>100 Main Street (demo)<br>West End, IL 60000</p>"));
        assertTrue(
                signed,
                signed.contains("<p>Jane Roe (demo)<br>Chief of Police<br>West End Police Department (demo)</p>"));
        assertEquals(
                "Jane Roe (demo)",
                callIns.letterhead(SITE, as(Role.PROSECUTOR)).orElseThrow().chief());
        // the letter made before keeps what it said
        assertEquals(
                plain,
                callIns.letters(SITE, intervention, as(Role.POLICE)).stream()
                        .filter(l -> l.person() == first)
                        .findFirst()
                        .orElseThrow()
                        .html());
    }

    @Test
    public void theTimelineIsInTheOrderThingsHappened() {
        done("1");
        clock.advance(java.time.Duration.ofHours(1));
        // a meeting held ten days ago, entered now: it comes first, known to the day, with when it was entered
        community.addMeeting(
                SITE,
                intervention,
                new CommunityWork.NewMeeting(
                        CommunityWork.MeetingKind.COMMUNITY_MEETING,
                        LocalDate.of(2026, 2, 20),
                        "residents",
                        "church hall",
                        30,
                        ""),
                as(Role.COMMUNITY));
        List<TimelineEntry> timeline = programme.timeline(SITE, intervention, as(Role.POC));
        TimelineEntry meeting = timeline.stream()
                .filter(t -> t.kind().equals("meeting"))
                .findFirst()
                .orElseThrow();
        assertEquals(Optional.of(LocalDate.of(2026, 2, 20)), meeting.on());
        // the start of 20 February in Chicago
        assertEquals(Instant.parse("2026-02-20T06:00:00Z"), meeting.at());
        assertEquals(Instant.parse("2026-03-02T16:00:00Z"), meeting.recordedAt());
        int meetingAt = timeline.indexOf(meeting);
        int stepAt = timeline.indexOf(
                timeline.stream().filter(t -> t.step().equals("1")).findFirst().orElseThrow());
        assertTrue(timeline.toString(), meetingAt < stepAt);
        for (int i = 1; i < timeline.size(); i++) {
            assertFalse(timeline.get(i).at().isBefore(timeline.get(i - 1).at()));
        }
    }

    @Test
    public void aResidentsCallIsAnsweredOnceAndKeepsWhoAnswered() {
        long call = community
                .addCall(SITE, intervention, Instant.parse("2026-03-02T14:00:00Z"), "selling again", as(Role.COMMUNITY))
                .id();
        CommunityWork.ResidentCall answered = community.answer(
                SITE, intervention, call, Instant.parse("2026-03-02T14:30:00Z"), "patrol sent", as(Role.POLICE));
        assertEquals("chicago-police", answered.answeredBy());
        refused(
                "call-answered-once",
                () -> community.answer(
                        SITE, intervention, call, Instant.parse("2026-03-02T14:50:00Z"), "overwrite", as(Role.POC)));
        CommunityWork.ResidentCall kept = community.calls(SITE, intervention).get(0);
        assertEquals("patrol sent", kept.outcome());
        assertEquals(Optional.of(Instant.parse("2026-03-02T14:30:00Z")), kept.answeredAt());
        assertEquals("chicago-police", kept.answeredBy());
        try {
            community.addCall(
                    SITE, intervention, Instant.parse("2026-03-02T16:00:00Z"), "tomorrow's call", as(Role.COMMUNITY));
            fail("a call is not received later than now");
        } catch (InvalidInputException e) {
            assertEquals("receivedAt", e.errors().get(0).field());
        }
    }

    @Test
    public void bankedCasesMoveOnlyForwardAndKeepEveryChange() {
        long id = candidate("Candidate F");
        // Step 4's gate holds for its records as for its status: no case before the candidates are decided
        refused(
                "cases-on-candidates",
                () -> market.bankCase(
                        SITE,
                        intervention,
                        id,
                        new Market.NewBankedCase(1, "one buy", "", LocalDate.of(2026, 9, 1)),
                        as(Role.POLICE)));
        refused(
                "cases-on-candidates",
                () -> programme.setProgress(SITE, intervention, "4", "", Progress.IN_PROGRESS, "", as(Role.POLICE)));
        done("3b");
        Market.BankedCase banked = market.bankCase(
                SITE,
                intervention,
                id,
                new Market.NewBankedCase(3, "video buys 1-3", "W-2026-0001 (unsigned)", LocalDate.of(2026, 9, 1)),
                as(Role.POLICE));
        assertEquals(BankedStatus.BANKED, banked.status());
        // activating a case and recording a violation are enforcement (Step 8): after the call-in
        refused(
                "enforcement-after-call-in",
                () -> market.changeCase(
                        SITE, intervention, banked.id(), BankedStatus.ACTIVATED, "sold again", as(Role.POLICE)));
        refused(
                "enforcement-after-call-in",
                () -> market.addViolation(
                        SITE, intervention, id, LocalDate.of(2026, 3, 1), "sold again", "", as(Role.POLICE)));
        heldCallIn(id);
        try {
            market.changeCase(SITE, intervention, 9999, BankedStatus.ACTIVATED, "sold again", as(Role.POLICE));
            org.junit.Assert.fail("a case that does not exist was changed");
        } catch (java.util.NoSuchElementException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("no banked case 9999"));
        }
        Market.BankedCase activated = market.changeCase(
                SITE,
                intervention,
                banked.id(),
                BankedStatus.ACTIVATED,
                "sold again on 2026-06-01",
                as(Role.PROSECUTOR));
        refused(
                "banked-case-transition",
                () -> market.changeCase(SITE, intervention, banked.id(), BankedStatus.BANKED, "undo", as(Role.POLICE)));
        Market.BankedCase closed = market.changeCase(
                SITE, intervention, banked.id(), BankedStatus.CLOSED, "convicted", as(Role.PROSECUTOR));
        assertEquals(BankedStatus.ACTIVATED, activated.status());
        assertEquals(
                List.of(BankedStatus.ACTIVATED, BankedStatus.CLOSED),
                closed.changes().stream().map(Market.CaseChange::to).toList());

        long prosecuted = market.enter(
                        SITE,
                        intervention,
                        new Market.NewPerson("Person G", "", Level.MID, "supplier", "buy", ""),
                        as(Role.POLICE))
                .id();
        market.decide(SITE, intervention, prosecuted, Decision.PROSECUTE_NOW, "mid level", as(Role.POLICE));
        refused(
                "cases-on-candidates",
                () -> market.bankCase(
                        SITE,
                        intervention,
                        prosecuted,
                        new Market.NewBankedCase(1, "buy", "W-2", LocalDate.of(2026, 9, 1)),
                        as(Role.POLICE)));
    }

    // ---- letters and the call-in ----------------------------------------------------------------------------

    @Test
    public void lettersGoOnlyToCandidatesAfterTheDecisionAndTheCallInPlan() {
        long candidate = candidate("Candidate H");
        refused(
                "letters-after-candidate-decision",
                () -> callIns.generateLetter(SITE, intervention, candidate, as(Role.POLICE)));
        done("3b");
        refused(
                "letter-needs-call-in-plan",
                () -> callIns.generateLetter(SITE, intervention, candidate, as(Role.POLICE)));
        callIns.plan(
                SITE,
                intervention,
                new CallIns.Plan(
                        LocalDateTime.of(2026, 6, 12, 18, 30),
                        "District 7 station, community room",
                        "Chief; pastor",
                        "treatment, job training"),
                as(Role.POC));
        long undecided = market.enter(
                        SITE,
                        intervention,
                        new Market.NewPerson("Person I", "", Level.STREET, "seen", "survey", ""),
                        as(Role.POLICE))
                .id();
        refused(
                "letter-to-candidates-only",
                () -> callIns.generateLetter(SITE, intervention, undecided, as(Role.POLICE)));

        CallIns.Letter letter = callIns.generateLetter(SITE, intervention, candidate, as(Role.POLICE));
        assertTrue(letter.html(), letter.html().contains("Dear Candidate H,"));
        assertTrue(letter.html().contains("Friday, June 12, 2026 at 6:30 PM, at District 7 station, community room"));
        assertTrue(letter.html().contains("You will not be arrested at this meeting."));
        byte[] pdf = callIns.letterPdf(
                SITE,
                intervention,
                letter.id(),
                new Market.Release("the candidate, by mail", "Step 6a: the invitation"),
                as(Role.POLICE));
        assertEquals("%PDF", new String(pdf, 0, 4, StandardCharsets.US_ASCII));
        try {
            // the deprecated way round the dissemination log is refused
            callIns.letterPdf(SITE, intervention, letter.id(), as(Role.POLICE));
            fail("a letter's PDF given out without recipient and reason");
        } catch (UnsupportedOperationException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("Market.Release"));
        }
        try {
            callIns.letters(SITE, intervention, as(Role.COMMUNITY));
            fail("letters are for police and the point of contact");
        } catch (AccessDeniedException expected) {
            // refused
        }
    }

    @Test
    public void attendanceWaitsForTheGateAndIsForInvitedCandidatesOnly() {
        long invited = candidate("Candidate J");
        long notInvited = candidate("Candidate K");
        done("3b");
        done("5a");
        callIns.plan(
                SITE,
                intervention,
                new CallIns.Plan(LocalDateTime.of(2026, 6, 12, 18, 30), "District 7 station", "", ""),
                as(Role.POLICE));
        CallIns.Letter letter = callIns.generateLetter(SITE, intervention, invited, as(Role.POLICE));
        callIns.markSent(SITE, intervention, letter.id(), LocalDate.of(2026, 3, 2), as(Role.POLICE));
        refused(
                "call-in-after-letters-and-services",
                () -> callIns.recordAttendance(SITE, intervention, invited, true, as(Role.POC)));
        refused("call-in-after-letters-and-services", () -> callIns.held(SITE, intervention, as(Role.POC)));
        done("6a");
        done("7a");
        // Step 7a also means each of the six kinds of service has a provider, or is marked not offered
        refused(
                "call-in-services-arranged",
                () -> callIns.recordAttendance(SITE, intervention, invited, true, as(Role.POC)));
        try {
            callIns.arrangeService(
                    SITE,
                    intervention,
                    new CallIns.Arrangement(Market.ServiceCategory.FAMILY, true, "", "", ""),
                    as(Role.SERVICES));
            fail();
        } catch (InvalidInputException e) {
            assertEquals("provider", e.errors().get(0).field());
        }
        try {
            callIns.arrangeService(
                    SITE,
                    intervention,
                    new CallIns.Arrangement(Market.ServiceCategory.FAMILY, false, "", "", ""),
                    as(Role.SERVICES));
            fail();
        } catch (InvalidInputException e) {
            assertEquals("note", e.errors().get(0).field());
        }
        try {
            callIns.arrangeService(
                    SITE,
                    intervention,
                    new CallIns.Arrangement(Market.ServiceCategory.FAMILY, true, "Family Center", "", ""),
                    as(Role.POLICE));
            fail();
        } catch (org.dmiplatform.api.access.AccessDeniedException expected) {
            // police plan the call-in but do not arrange its services
        }
        CallIns.CallIn first = callIns.arrangeService(
                SITE,
                intervention,
                new CallIns.Arrangement(Market.ServiceCategory.FAMILY, true, "Family Center", "fam-1", ""),
                as(Role.SERVICES));
        assertEquals(5, first.unarranged().size());
        ProgrammeServices.arrangeAllServices(callIns, SITE, intervention);
        // the later decision on family is the one that counts; the first stays in the timeline
        CallIns.CallIn arranged =
                callIns.callIn(SITE, intervention, as(Role.POC)).orElseThrow();
        assertEquals(List.of(), arranged.unarranged());
        CallIns.ArrangedService family = arranged.services().stream()
                .filter(s -> s.category() == Market.ServiceCategory.FAMILY)
                .findFirst()
                .orElseThrow();
        assertEquals("Provider of FAMILY", family.provider());
        CallIns.ArrangedService transport = arranged.services().stream()
                .filter(s -> s.category() == Market.ServiceCategory.TRANSPORTATION)
                .findFirst()
                .orElseThrow();
        assertFalse(transport.offered());
        assertEquals("no bus passes", transport.note());
        assertTrue(programme.timeline(SITE, intervention, as(Role.POC)).stream()
                .anyMatch(t -> t.what().equals("Call-in service arranged: family by Family Center")));
        refused(
                "attendance-of-invited-only",
                () -> callIns.recordAttendance(SITE, intervention, notInvited, true, as(Role.POC)));
        CallIns.CallIn callIn = callIns.recordAttendance(SITE, intervention, invited, true, as(Role.COMMUNITY));
        assertEquals(1, callIn.attended());
        // the call-in is planned for 12 June: on 2 March it cannot be recorded as held, nor Step 7b done
        refused("call-in-held-on-its-day", () -> callIns.held(SITE, intervention, as(Role.POC)));
        refused("call-in-done-when-held", () -> done("7b"));
        // 12 June, 23:30 in Chicago is 04:30 UTC on the 13th: still its day at the site, and held that evening
        clock.set(Instant.parse("2026-06-12T04:30:00Z"));
        refused("call-in-held-on-its-day", () -> callIns.held(SITE, intervention, as(Role.POC)));
        clock.set(Instant.parse("2026-06-13T04:30:00Z"));
        assertTrue(callIns.held(SITE, intervention, as(Role.POC)).held());
        refused("call-in-held-once", () -> callIns.held(SITE, intervention, as(Role.POC)));
        // held: its time and place are history
        refused(
                "call-in-held",
                () -> callIns.plan(
                        SITE,
                        intervention,
                        new CallIns.Plan(LocalDateTime.of(2026, 6, 20, 18, 30), "elsewhere", "", ""),
                        as(Role.POLICE)));
        done("7b");
        // a correction after the call-in is a new entry in the timeline, the record before it named
        callIns.recordAttendance(SITE, intervention, invited, false, as(Role.POC));
        assertTrue(programme.timeline(SITE, intervention, as(Role.POC)).stream().anyMatch(t -> t.what()
                .equals("Attendance corrected after the call-in was held: person #" + invited
                        + " did not come (recorded as came)")));
        callIns.recordAttendance(SITE, intervention, invited, true, as(Role.POC));
        refused(
                "call-in-held",
                () -> callIns.arrangeService(
                        SITE,
                        intervention,
                        new CallIns.Arrangement(Market.ServiceCategory.FAMILY, false, "", "", "changed our minds"),
                        as(Role.SERVICES)));
        Person seen = market.person(SITE, intervention, invited, as(Role.COMMUNITY));
        assertEquals(new Market.Attendance(true, true), seen.callIn().orElseThrow());
    }

    // ---- team and community ---------------------------------------------------------------------------------

    @Test
    public void teamIsReadyWithTheFourRequiredRolesAPointOfContactAndSignOff() {
        Teams.Readiness empty = teams.readiness(SITE);
        assertFalse(empty.ready());
        assertEquals(6, empty.missing().size());
        Teams.Member police = teams.addMember(
                SITE,
                new Teams.NewMember(
                        "Lieutenant (demo)", "Police Department", TeamRole.POLICE, true, LocalDate.of(2026, 1, 5), ""),
                as(Role.POC));
        teams.addMember(
                SITE,
                new Teams.NewMember(
                        "ADA (demo)", "State's Attorney", TeamRole.PROSECUTOR, false, LocalDate.of(2026, 1, 5), ""),
                as(Role.POC));
        teams.addMember(
                SITE,
                new Teams.NewMember("Pastor (demo)", "Church", TeamRole.COMMUNITY, false, LocalDate.of(2026, 1, 5), ""),
                as(Role.POC));
        assertEquals(
                List.of("no social services on the team", "no leadership sign-off"),
                teams.readiness(SITE).missing());
        teams.addMember(
                SITE,
                new Teams.NewMember(
                        "Case manager (demo)",
                        "Human Services",
                        TeamRole.SOCIAL_SERVICES,
                        false,
                        LocalDate.of(2026, 1, 5),
                        ""),
                as(Role.SITE_ADMIN));
        teams.signOff(SITE, "Chief of Police", LocalDate.of(2026, 2, 1), "", as(Role.POC));
        assertTrue(teams.readiness(SITE).ready());

        // turnover: the police member leaves, and readiness goes with them
        teams.changeMember(
                SITE,
                police.id(),
                new Teams.MemberChange(Optional.of(LocalDate.of(2026, 3, 1)), Optional.empty(), Optional.empty()),
                as(Role.POC));
        Teams.Readiness after = teams.readiness(SITE);
        assertEquals(List.of("no police/sheriff's department on the team", "no point of contact"), after.missing());
        teams.recordTraining(SITE, police.id(), Teams.Training.FIRST, LocalDate.of(2026, 2, 10), as(Role.TTA_STAFF));
        assertEquals(1, teams.team(SITE).members().get(0).trainings().size());
    }

    @Test
    public void residentsCallsShowHowFastTheyWereAnswered() {
        clock.set(Instant.parse("2026-07-03T12:00:00Z"));
        CommunityWork.ResidentCall first = community.addCall(
                SITE,
                intervention,
                Instant.parse("2026-07-01T20:00:00Z"),
                "selling at corner A again",
                as(Role.COMMUNITY));
        CommunityWork.ResidentCall second = community.addCall(
                SITE, intervention, Instant.parse("2026-07-02T20:00:00Z"), "crowd at the store", as(Role.COMMUNITY));
        community.answer(
                SITE,
                intervention,
                first.id(),
                Instant.parse("2026-07-01T20:12:00Z"),
                "officers dispatched",
                as(Role.POLICE));
        community.answer(
                SITE,
                intervention,
                second.id(),
                Instant.parse("2026-07-02T21:00:00Z"),
                "narcotics unit assigned",
                as(Role.POLICE));
        CommunityWork.Responsiveness r = community.responsiveness(SITE, intervention);
        assertEquals(2, r.answered());
        assertEquals(Optional.of(12L), r.medianMinutes());
        assertEquals(Optional.of(60L), r.longestMinutes());
        try {
            community.answer(
                    SITE, intervention, first.id(), Instant.parse("2026-06-30T00:00:00Z"), "", as(Role.POLICE));
            fail();
        } catch (InvalidInputException e) {
            assertEquals("answeredAt", e.errors().get(0).field());
        }
        community.addMeeting(
                SITE,
                intervention,
                new CommunityWork.NewMeeting(
                        CommunityWork.MeetingKind.RECONCILIATION,
                        LocalDate.of(2026, 4, 2),
                        "residents and district officers",
                        "library",
                        40,
                        ""),
                as(Role.COMMUNITY));
        assertEquals(1, community.meetings(SITE, intervention).size());
    }

    @Test
    public void theTtaOverviewShowsEachSitesStepReadinessAndFidelity() {
        done("team");
        done("swot");
        List<Programme.SiteProgress> overview = programme.overview();
        assertEquals(
                List.of("chicago", "denver"),
                overview.stream().map(Programme.SiteProgress::site).toList());
        Programme.SiteProgress chicago = overview.get(0);
        assertEquals(Optional.of("Step 1: Crime mapping"), chicago.currentStep());
        assertEquals(100, chicago.fidelity().get(0).percent());
        assertFalse(chicago.readiness().ready());
        assertTrue(overview.get(1).intervention().isEmpty());
    }
}
