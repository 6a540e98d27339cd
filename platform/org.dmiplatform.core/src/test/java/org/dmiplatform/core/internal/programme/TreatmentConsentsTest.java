package org.dmiplatform.core.internal.programme;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.access.UserChange;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.api.programme.TreatmentConsents;
import org.dmiplatform.api.programme.TreatmentConsents.Consent;
import org.dmiplatform.api.programme.TreatmentConsents.NewConsent;
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
 * 42 CFR Part 2 (SECURITY.md row 12): treatment follow-up is read only under a consent valid today naming the reader,
 * always with the redisclosure notice; missing, not yet given, expired, revoked, wrong recipient, police: nothing.
 */
@RunWith(Parameterized.class)
public class TreatmentConsentsTest {
    private static final String SITE = "chicago";

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private ProgrammeServices services;
    private TreatmentConsentsImpl consents;
    private long intervention;
    private long treatment;
    private long jobs;

    static final Caller COORDINATOR = caller(1, "coordinator", Grant.at(SITE, Role.SERVICES));
    static final Caller OTHER_SERVICES = caller(2, "navigator", Grant.at(SITE, Role.SERVICES));
    static final Caller MENTOR = caller(3, "mentor", Grant.at(SITE, Role.COMMUNITY));
    static final Caller OFFICER_TOO = caller(4, "dual", Grant.at(SITE, Role.SERVICES), Grant.at(SITE, Role.POLICE));
    static final Caller ELSEWHERE = caller(5, "denver-coordinator", Grant.at("denver", Role.SERVICES));

    private static Caller caller(long id, String name, Grant... grants) {
        return new Caller(new User(id, name, name, List.of(grants), true, false, Instant.EPOCH), "test");
    }

    /** The accounts the consents name, as the platform knows them. */
    static final class KnownAccounts implements Accounts {
        private final Map<String, User> users = Map.of(
                "coordinator", COORDINATOR.user(),
                "navigator", OTHER_SERVICES.user(),
                "mentor", MENTOR.user(),
                "dual", OFFICER_TOO.user(),
                "denver-coordinator", ELSEWHERE.user());

        @Override
        public Optional<User> findByUsername(String username) {
            return Optional.ofNullable(users.get(username));
        }

        @Override
        public User create(NewUser user, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public User update(long id, UserChange change, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<User> find(long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<User> list() {
            return List.copyOf(users.values());
        }

        @Override
        public void setPassword(long id, char[] password, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void changeOwnPassword(long id, char[] current, char[] password, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unlock(long id, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public User authenticate(String username, char[] password, String from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean administratorExists() {
            return true;
        }

        @Override
        public org.dmiplatform.api.access.SecondFactor secondFactor(long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public org.dmiplatform.api.access.SecondFactorEnrolment enrolSecondFactor(long id, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public org.dmiplatform.api.access.SecondFactorEnrolment enrolSecondFactor(
                long id, char[] password, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void confirmSecondFactor(long id, String code, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public User verifySecondFactor(long id, String code, String from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void disableSecondFactor(long id, char[] password, String code, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void resetSecondFactor(long id, Actor actor) {
            throw new UnsupportedOperationException();
        }
    }

    public TreatmentConsentsTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        clock = new MutableClock(Instant.parse("2026-03-02T15:00:00Z"));
        services = ProgrammeServices.on(fresh, clock);
        consents = new TreatmentConsentsImpl(
                org.dmiplatform.core.internal.storage.Database.on(fresh.dataSource()),
                services.audit(),
                new FakeSites(SITE, "denver"),
                new KnownAccounts(),
                clock);
        intervention = services.intervention(SITE);
        long person = services.callInCandidate(SITE, intervention);
        treatment = services.market()
                .addReferral(
                        SITE,
                        intervention,
                        person,
                        new Market.NewReferral(
                                Market.ServiceCategory.DRUG_TREATMENT,
                                "Treatment Provider (test)",
                                LocalDate.of(2026, 3, 2)),
                        COORDINATOR)
                .id();
        jobs = services.market()
                .addReferral(
                        SITE,
                        intervention,
                        person,
                        new Market.NewReferral(
                                Market.ServiceCategory.EMPLOYMENT, "Jobs Center (test)", LocalDate.of(2026, 3, 2)),
                        COORDINATOR)
                .id();
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    private Consent give(List<String> recipients, LocalDate from, LocalDate until) {
        return consents.give(
                SITE,
                intervention,
                treatment,
                new NewConsent(
                        recipients, "coordinate services after the call-in", "attendance and progress", from, until),
                COORDINATOR);
    }

    private boolean sees(Caller caller) {
        return consents.followUp(SITE, intervention, treatment, caller).isPresent();
    }

    @Test
    public void aNamedRecipientReadsTheFollowUpWithTheNoticeWhileTheConsentIsValid() {
        assertTrue("no consent: nothing", !sees(COORDINATOR));
        try {
            consents.recordFollowUp(SITE, intervention, treatment, "attended intake", COORDINATOR);
            fail();
        } catch (AccessDeniedException expected) {
            // nothing is recorded without a consent
        }
        Consent consent = give(List.of("coordinator", "mentor"), LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 31));
        consents.recordFollowUp(SITE, intervention, treatment, "attended intake; next session 9 March", COORDINATOR);
        TreatmentConsents.Disclosure d =
                consents.followUp(SITE, intervention, treatment, MENTOR).orElseThrow();
        assertEquals(consent.id(), d.consent());
        assertEquals(
                List.of("attended intake; next session 9 March"),
                d.notes().stream().map(n -> n.note()).toList());
        assertEquals(TreatmentConsents.REDISCLOSURE_NOTICE, d.notice());
        assertTrue(d.notice().contains("42 CFR part 2"));
        assertEquals(
                1,
                services.audit()
                        .recent(Optional.empty(), Optional.of("treatment.disclosed"), 10)
                        .size());

        // not named, a police role even when named, another site: nothing, and nothing says there is anything
        assertTrue(!sees(OTHER_SERVICES));
        try {
            consents.followUp(SITE, intervention, treatment, ProgrammeServices.as(Role.POLICE, SITE));
            fail();
        } catch (AccessDeniedException expected) {
            // police cannot even ask
        }
        try {
            consents.followUp(SITE, intervention, treatment, ELSEWHERE);
            fail();
        } catch (AccessDeniedException expected) {
            // another site's coordinator cannot ask
        }

        // expired: from the day after its last day
        clock.advance(Duration.ofDays(29)); // 31 March: the last day
        assertTrue(sees(COORDINATOR));
        clock.advance(Duration.ofDays(1)); // 1 April
        assertTrue("expired", !sees(COORDINATOR));
        try {
            consents.recordFollowUp(SITE, intervention, treatment, "late note", COORDINATOR);
            fail();
        } catch (AccessDeniedException expected) {
            // nothing recorded under an expired consent
        }
    }

    @Test
    public void aRevokedOrNotYetGivenConsentDisclosesNothing() {
        Consent later = give(List.of("coordinator"), LocalDate.of(2026, 3, 10), LocalDate.of(2026, 6, 30));
        assertTrue("not yet given on 2 March", !sees(COORDINATOR));
        clock.advance(Duration.ofDays(8)); // 10 March
        assertTrue(sees(COORDINATOR));
        consents.revoke(SITE, intervention, later.id(), LocalDate.of(2026, 3, 10), MENTOR);
        assertTrue("revoked", !sees(COORDINATOR));
        try {
            consents.revoke(SITE, intervention, later.id(), null, MENTOR);
            fail();
        } catch (RuleException e) {
            assertEquals("consent-revoked-once", e.rule());
        }
        // the consent stays on record, revoked, as it happened
        List<Consent> all = consents.consents(SITE, intervention, treatment, COORDINATOR);
        assertEquals(Optional.of(LocalDate.of(2026, 3, 10)), all.get(0).revokedOn());
        assertTrue(services.programme().timeline(SITE, intervention, COORDINATOR).stream()
                .anyMatch(t -> t.what().equals("Consent revoked")));
        // police never see the consents either, nor a timeline entry about them
        assertTrue(services.programme().timeline(SITE, intervention, ProgrammeServices.as(Role.POLICE, SITE)).stream()
                .noneMatch(t -> t.what().contains("Consent")));
    }

    @Test
    public void aConsentNamesRecipientsWhoMayReceiveAndBelongsToADrugTreatmentReferral() {
        try {
            give(List.of("dual", "denver-coordinator", "stranger"), LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 2));
            fail();
        } catch (InvalidInputException e) {
            List<String> reasons =
                    e.errors().stream().map(x -> x.field() + ": " + x.reason()).toList();
            assertEquals(
                    List.of(
                            "recipients: 'dual' holds a police or prosecutor role at chicago: treatment information never"
                                    + " goes to those who build cases",
                            "recipients: 'denver-coordinator' is not a services, community or point of contact user at"
                                    + " chicago",
                            "recipients: 'stranger' is not a services, community or point of contact user at chicago",
                            "expiresOn: must be after the day it was given"),
                    reasons);
        }
        try {
            consents.give(
                    SITE,
                    intervention,
                    jobs,
                    new NewConsent(
                            List.of("coordinator"), "p", "i", LocalDate.of(2026, 3, 2), LocalDate.of(2026, 4, 2)),
                    COORDINATOR);
            fail();
        } catch (RuleException e) {
            assertEquals("consent-for-drug-treatment", e.rule());
        }
        try {
            consents.give(
                    SITE,
                    intervention,
                    treatment,
                    new NewConsent(
                            List.of("coordinator"), "p", "i", LocalDate.of(2026, 3, 2), LocalDate.of(2026, 4, 2)),
                    ProgrammeServices.as(Role.POLICE, SITE));
            fail();
        } catch (AccessDeniedException expected) {
            // police do not record consents
        }
        // a user who is also police is never disclosed to, even if a consent named them before they got that role
        assertTrue(!sees(OFFICER_TOO));
    }
}
