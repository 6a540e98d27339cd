package org.dmiplatform.core.internal.programme;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ServiceDirectory;
import org.dmiplatform.api.programme.FollowUps;
import org.dmiplatform.api.programme.FollowUps.Outcome;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Market.ServiceCategory;
import org.dmiplatform.api.programme.TreatmentConsents;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Step 9 referrals: to a service of the site's directory (which must still be there, active and of the kind), in bulk
 * at the call-in (all or none), their outcomes per call-in; and a drug-treatment referral's provider outcomes kept to
 * the recipients of a valid consent (42 CFR Part 2) in the history, the person's page, the timeline and the counts.
 */
@RunWith(Parameterized.class)
public class ReferralsTest {
    private static final String SITE = "chicago";
    private static final Caller COORDINATOR = TreatmentConsentsTest.COORDINATOR;
    private static final Caller OTHER_SERVICES = TreatmentConsentsTest.OTHER_SERVICES;

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private ProgrammeServices services;
    private Market market;
    private FollowUpsImpl followUps;
    private TreatmentConsentsImpl consents;
    private long intervention;
    private long first;
    private long second;

    public ReferralsTest(String kind) {
        this.kind = kind;
    }

    /** A directory holding two services, one of them closed. */
    static final class TwoServices implements ServiceDirectory {
        final Map<String, DirectoryService> services = Map.of(
                "svc-1",
                service("svc-1", "Outpatient counselling", "Northside Recovery (test)", "active"),
                "svc-2",
                service("svc-2", "Evening programme", "Closed Clinic (test)", "inactive"));

        private static DirectoryService service(String id, String name, String organization, String status) {
            return new DirectoryService(
                    id,
                    name,
                    "",
                    Set.of(ServiceCategory.DRUG_TREATMENT),
                    List.of(),
                    new DirectoryService.Organization("org-" + id, organization, "", "", ""),
                    List.of(),
                    List.of(),
                    "",
                    List.of(),
                    List.of(),
                    "",
                    "",
                    status,
                    Optional.empty(),
                    Optional.empty());
        }

        @Override
        public String describe(Site site) {
            return "two services";
        }

        @Override
        public List<DirectoryService> search(Site site, DirectoryQuery query, Caller caller) {
            return List.copyOf(services.values());
        }

        @Override
        public Optional<DirectoryService> find(Site site, String id, Caller caller) {
            return Optional.ofNullable(services.get(id));
        }

        @Override
        public void exportHsds(Site site, OutputStream out, Caller caller) {
            throw new UnsupportedOperationException();
        }
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        clock = new MutableClock(Instant.parse("2026-03-02T16:00:00Z"));
        services = ProgrammeServices.on(fresh, clock);
        services.sites().bind(SITE, ServiceDirectory.class, new TwoServices());
        market = services.market();
        Database database = Database.on(fresh.dataSource());
        followUps = new FollowUpsImpl(database, services.audit(), services.sites(), clock);
        consents = new TreatmentConsentsImpl(
                database, services.audit(), services.sites(), new TreatmentConsentsTest.KnownAccounts(), clock);
        intervention = services.intervention(SITE);
        first = services.callInCandidate(SITE, intervention);
        second = services.callInCandidate(SITE, intervention);
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    private static Market.NewReferral toService(ServiceCategory category, String serviceId) {
        return new Market.NewReferral(category, "", null, serviceId);
    }

    private List<Market.Referral> referralsOf(long person, Caller caller) {
        return market.person(SITE, intervention, person, caller).referrals().orElseThrow();
    }

    @Test
    public void aReferralToAServiceNamesItsProviderAndTheDayAtTheSite() {
        Market.Referral made = market.addReferral(
                SITE, intervention, first, toService(ServiceCategory.DRUG_TREATMENT, "svc-1"), COORDINATOR);
        assertEquals("Northside Recovery (test) (Outpatient counselling)", made.provider());
        assertEquals("svc-1", made.serviceId());
        // 16:00 UTC is 10:00 on 2 March in Chicago
        assertEquals(LocalDate.of(2026, 3, 2), made.referredOn());
        assertEquals(List.of(made), referralsOf(first, COORDINATOR));
    }

    @Test
    public void aServiceThatIsGoneClosedOrOfAnotherKindIsRefusedByName() {
        refused("no service 'svc-9'", toService(ServiceCategory.DRUG_TREATMENT, "svc-9"));
        refused("is inactive, not active", toService(ServiceCategory.DRUG_TREATMENT, "svc-2"));
        refused("offers no employment; it offers drug treatment", toService(ServiceCategory.EMPLOYMENT, "svc-1"));
        refused("name the provider or choose a service", toService(ServiceCategory.EMPLOYMENT, " "));
        assertTrue("nothing was recorded", referralsOf(first, COORDINATOR).isEmpty());
    }

    private void refused(String reason, Market.NewReferral referral) {
        try {
            market.addReferral(SITE, intervention, first, referral, COORDINATOR);
            fail("accepted: " + referral);
        } catch (InvalidInputException e) {
            String reasons = e.errors().toString();
            assertTrue(reasons, reasons.contains(reason));
        }
    }

    @Test
    public void theCallInsCandidatesAreReferredTogetherOrNotAtAll() {
        long excluded = services.callInCandidate(SITE, intervention);
        market.decide(
                SITE,
                intervention,
                excluded,
                Market.Decision.PROSECUTE_NOW,
                "violence",
                ProgrammeServices.as(Role.PROSECUTOR, SITE));
        Market.NewReferral jobs =
                new Market.NewReferral(ServiceCategory.JOB_TRAINING, "Trades Ready (test)", LocalDate.of(2026, 3, 2));
        for (List<Long> persons : List.of(List.of(first, excluded), List.of(first, first), List.<Long>of())) {
            try {
                market.referAll(SITE, intervention, persons, jobs, COORDINATOR);
                fail("referred " + persons);
            } catch (InvalidInputException | java.util.NoSuchElementException expected) {
                // a person services may not see, one named twice, or nobody
            }
        }
        // a user who also sees the whole dealer list still refers call-in candidates only
        Caller adminToo = new Caller(
                new org.dmiplatform.api.access.User(
                        77,
                        "both",
                        "both",
                        List.of(
                                org.dmiplatform.api.access.Grant.at(SITE, Role.SITE_ADMIN),
                                org.dmiplatform.api.access.Grant.at(SITE, Role.SERVICES)),
                        true,
                        false,
                        Instant.EPOCH),
                "test");
        try {
            market.addReferral(SITE, intervention, excluded, jobs, adminToo);
            fail("referred a person who is not a call-in candidate");
        } catch (java.util.NoSuchElementException expected) {
            // prosecuted now: not offered services
        }
        try {
            market.addReferral(
                    SITE,
                    intervention,
                    first,
                    new Market.NewReferral(
                            ServiceCategory.JOB_TRAINING, "Trades Ready (test)", LocalDate.of(2026, 3, 3)),
                    COORDINATOR);
            fail("referred tomorrow");
        } catch (InvalidInputException e) {
            assertEquals("referredOn", e.errors().get(0).field());
        }
        assertTrue("none made", referralsOf(first, COORDINATOR).isEmpty());
        List<Market.Referral> made = market.referAll(SITE, intervention, List.of(first, second), jobs, COORDINATOR);
        assertEquals(
                List.of(first, second),
                made.stream().map(Market.Referral::person).toList());
        assertEquals(1, referralsOf(second, COORDINATOR).size());
    }

    @Test
    public void outcomesPerCallInCountTheCandidatesAtTheirLatestOutcome() {
        services.invite(SITE, intervention, first);
        services.invite(SITE, intervention, second);
        long notInvited = services.callInCandidate(SITE, intervention);
        long laterProsecuted = services.callInCandidate(SITE, intervention);
        Market.NewReferral jobs =
                new Market.NewReferral(ServiceCategory.JOB_TRAINING, "Trades Ready (test)", LocalDate.of(2026, 3, 2));
        List<Market.Referral> made = market.referAll(
                SITE, intervention, List.of(first, second, notInvited, laterProsecuted), jobs, COORDINATOR);
        // no longer a candidate (no letter was mailed to them): their referral is not the call-in's
        market.decide(
                SITE,
                intervention,
                laterProsecuted,
                Market.Decision.PROSECUTE_NOW,
                "new charges",
                ProgrammeServices.as(Role.PROSECUTOR, SITE));
        followUps.recordOutcome(SITE, intervention, made.get(0).id(), Outcome.INTAKE, null, "", COORDINATOR);
        followUps.recordOutcome(SITE, intervention, made.get(0).id(), Outcome.ENGAGED, null, "", COORDINATOR);
        followUps.recordOutcome(SITE, intervention, made.get(1).id(), Outcome.DECLINED, null, "", COORDINATOR);
        long treatment = market.addReferral(
                        SITE, intervention, first, toService(ServiceCategory.DRUG_TREATMENT, "svc-1"), COORDINATOR)
                .id();
        consent(treatment, "coordinator");
        followUps.recordOutcome(SITE, intervention, treatment, Outcome.ENGAGED, null, "", COORDINATOR);

        Map<ServiceCategory, FollowUps.CategoryOutcomes> outcomes = new java.util.EnumMap<>(ServiceCategory.class);
        followUps.outcomesOfCallIn(SITE, intervention, OTHER_SERVICES).forEach(o -> outcomes.put(o.category(), o));
        assertEquals(6, outcomes.size());
        assertEquals(3, outcomes.get(ServiceCategory.JOB_TRAINING).referrals());
        assertEquals(
                Map.of("engaged", 1, "declined", 1, "referred", 1),
                outcomes.get(ServiceCategory.JOB_TRAINING).byOutcome());
        // even for the consent's recipient: a count is not a disclosure under a consent
        FollowUps.CategoryOutcomes treatments = followUps.outcomesOfCallIn(SITE, intervention, COORDINATOR).stream()
                .filter(o -> o.category() == ServiceCategory.DRUG_TREATMENT)
                .findFirst()
                .orElseThrow();
        assertEquals(Map.of("referred", 1), treatments.byOutcome());
        assertTrue(treatments.providerOutcomesWithheld());
        assertEquals(0, outcomes.get(ServiceCategory.FAMILY).referrals());
        try {
            followUps.outcomesOfCallIn(SITE, intervention, ProgrammeServices.as(Role.POLICE, SITE));
            fail();
        } catch (AccessDeniedException expected) {
            // police never see referrals, not even counted
        }
    }

    private void consent(long referral, String... recipients) {
        consents.give(
                SITE,
                intervention,
                referral,
                new TreatmentConsents.NewConsent(
                        List.of(recipients),
                        "coordinate the services offered at the call-in",
                        "attendance and progress in treatment",
                        LocalDate.of(2026, 3, 2),
                        LocalDate.of(2026, 9, 1)),
                COORDINATOR);
    }

    @Test
    public void aTreatmentProvidersOutcomesGoOnlyToTheConsentsRecipients() {
        long treatment = market.addReferral(
                        SITE, intervention, first, toService(ServiceCategory.DRUG_TREATMENT, "svc-1"), COORDINATOR)
                .id();
        try {
            followUps.recordOutcome(SITE, intervention, treatment, Outcome.INTAKE, null, "", COORDINATOR);
            fail("recorded without a consent");
        } catch (AccessDeniedException expected) {
            // no consent yet
        }
        consent(treatment, "coordinator");
        try {
            followUps.recordOutcome(SITE, intervention, treatment, Outcome.INTAKE, null, "", OTHER_SERVICES);
            fail("recorded by someone the consent does not name");
        } catch (AccessDeniedException expected) {
            // not a recipient
        }
        followUps.recordOutcome(SITE, intervention, treatment, Outcome.INTAKE, null, "assessed", COORDINATOR);
        followUps.assignMentor(SITE, intervention, treatment, "Mentor (test)", OTHER_SERVICES);

        FollowUps.History recipient = followUps.history(SITE, intervention, treatment, COORDINATOR);
        assertEquals(List.of("outcome:intake", "mentor:Mentor (test)"), kinds(recipient));
        assertEquals(Optional.of(TreatmentConsents.REDISCLOSURE_NOTICE), recipient.notice());
        FollowUps.History other = followUps.history(SITE, intervention, treatment, OTHER_SERVICES);
        assertEquals(List.of("mentor:Mentor (test)"), kinds(other));
        assertFalse(other.notice().isPresent());
        for (Caller caller : List.of(COORDINATOR, OTHER_SERVICES)) {
            Market.Referral shown = referralsOf(first, caller).get(0);
            assertEquals("referred", shown.status());
        }
        String timeline =
                services.programme().timeline(SITE, intervention, COORDINATOR).toString();
        assertFalse(timeline, timeline.contains("intake"));

        // the programme's own outcome is everyone's
        followUps.recordOutcome(SITE, intervention, treatment, Outcome.DECLINED, null, "", OTHER_SERVICES);
        assertEquals("declined", referralsOf(first, OTHER_SERVICES).get(0).status());

        // revoked: the recipient no longer sees the provider's outcome either
        long consent = consents.consents(SITE, intervention, treatment, COORDINATOR)
                .get(0)
                .id();
        consents.revoke(SITE, intervention, consent, LocalDate.of(2026, 3, 2), COORDINATOR);
        FollowUps.History after = followUps.history(SITE, intervention, treatment, COORDINATOR);
        assertEquals(List.of("mentor:Mentor (test)", "outcome:declined"), kinds(after));
        assertFalse(after.notice().isPresent());
    }

    private static List<String> kinds(FollowUps.History history) {
        return history.events().stream().map(e -> e.kind() + ":" + e.value()).toList();
    }
}
