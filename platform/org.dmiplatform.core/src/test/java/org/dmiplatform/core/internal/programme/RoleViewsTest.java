package org.dmiplatform.core.internal.programme;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.CommunityWork;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Market.Decision;
import org.dmiplatform.api.programme.Market.Level;
import org.dmiplatform.api.programme.Market.Person;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.Progress;
import org.dmiplatform.api.programme.TimelineEntry;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Every role walked through every view of one intervention that went through the call-in and beyond: the timeline
 * and each list show a role only what that role may open in the detail; and what happened at the call-in stays
 * recorded when a decision changes afterwards.
 */
@RunWith(Parameterized.class)
public class RoleViewsTest {
    private static final String SITE = "chicago";
    private static final Pattern PERSON_ID = Pattern.compile("(?i)person #(\\d+)");

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private ProgrammeImpl programme;
    private MarketImpl market;
    private CallInsImpl callIns;
    private CommunityWorkImpl community;
    private long intervention;
    private MutableClock clock;
    private long first;
    private long second;
    private long prosecuted;
    private final List<Long> everyone = new ArrayList<>();

    public RoleViewsTest(String kind) {
        this.kind = kind;
    }

    private static Caller as(Role role) {
        return ProgrammeServices.as(role, SITE);
    }

    @Before
    public void anInterventionPastItsCallIn() {
        fresh = TestDatabases.fresh(kind);
        clock = new MutableClock(Instant.parse("2026-03-02T15:00:00Z"));
        ProgrammeServices services = ProgrammeServices.on(fresh, clock);
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
        first = person("Test Candidate One", Decision.CALL_IN);
        second = person("Test Candidate Two", Decision.CALL_IN);
        prosecuted = person("Test Person Three", Decision.PROSECUTE_NOW);
        long excluded = person("Test Person Four", Decision.EXCLUDED);
        everyone.addAll(List.of(first, second, prosecuted, excluded));
        market.addInfluential(
                SITE,
                intervention,
                excluded,
                new Market.NewInfluential("An Aunt", "aunt", "", Optional.empty()),
                as(Role.POLICE));
        programme.setProgress(SITE, intervention, "3b", "", Progress.DONE, "", as(Role.SITE_ADMIN));
        // Step 4: cases are banked once the candidates are decided
        market.bankCase(
                SITE,
                intervention,
                second,
                new Market.NewBankedCase(2, "two buys on video", "unsigned warrant 1", LocalDate.of(2026, 9, 1)),
                as(Role.POLICE));
        for (String step : List.of("4", "5a")) {
            programme.setProgress(SITE, intervention, step, "", Progress.DONE, "", as(Role.SITE_ADMIN));
        }
        callIns.plan(
                SITE,
                intervention,
                new CallIns.Plan(LocalDateTime.of(2026, 6, 12, 18, 30), "District 7 station", "", ""),
                as(Role.POLICE));
        for (long candidate : List.of(first, second)) {
            CallIns.Letter letter = callIns.generateLetter(SITE, intervention, candidate, as(Role.POLICE));
            callIns.markSent(SITE, intervention, letter.id(), LocalDate.of(2026, 3, 2), as(Role.POLICE));
        }
        for (String step : List.of("6a", "7a")) {
            programme.setProgress(SITE, intervention, step, "", Progress.DONE, "", as(Role.SITE_ADMIN));
        }
        ProgrammeServices.arrangeAllServices(callIns, SITE, intervention);
        callIns.recordAttendance(SITE, intervention, first, true, as(Role.POC));
        callIns.recordAttendance(SITE, intervention, second, true, as(Role.POC));
        clock.set(Instant.parse("2026-06-13T15:00:00Z"));
        callIns.held(SITE, intervention, as(Role.POC));
        programme.setProgress(SITE, intervention, "7b", "", Progress.DONE, "", as(Role.SITE_ADMIN));
        market.addReferral(
                SITE,
                intervention,
                first,
                new Market.NewReferral(Market.ServiceCategory.JOB_TRAINING, "Job Center", null),
                as(Role.SERVICES));
        community.addMeeting(
                SITE,
                intervention,
                new CommunityWork.NewMeeting(
                        CommunityWork.MeetingKind.COMMUNITY_MEETING,
                        LocalDate.of(2026, 6, 20),
                        "residents",
                        "church hall",
                        40,
                        ""),
                as(Role.COMMUNITY));
        // Step 8: the second candidate sold again; the banked case is the answer
        clock.set(Instant.parse("2026-07-02T15:00:00Z"));
        market.addViolation(
                SITE,
                intervention,
                second,
                LocalDate.of(2026, 7, 1),
                "sold at the corner again",
                "arrest",
                as(Role.POLICE));
        market.decide(
                SITE, intervention, second, Decision.PROSECUTE_NOW, "violated after the call-in", as(Role.PROSECUTOR));
    }

    private long person(String name, Decision decision) {
        long id = market.enter(
                        SITE,
                        intervention,
                        new Market.NewPerson(name, "", Level.STREET, "seen selling (Step 2 survey)", "vice unit", ""),
                        as(Role.POLICE))
                .id();
        market.decide(SITE, intervention, id, decision, "criteria of Step 3b", as(Role.PROSECUTOR));
        return id;
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    @Test
    public void aLaterDecisionIsANewEventAndTheCallInStaysAsItHappened() {
        CallIns.CallIn callIn = callIns.callIn(SITE, intervention, as(Role.POC)).orElseThrow();
        assertEquals(
                List.of(first, second),
                callIn.invited().stream().map(CallIns.Invitee::person).toList());
        assertEquals(2, callIn.attended());
        assertEquals(2, callIns.letters(SITE, intervention, as(Role.POLICE)).size());

        Person asPolice = market.person(SITE, intervention, second, as(Role.POLICE));
        assertEquals(Decision.PROSECUTE_NOW, asPolice.decision());
        assertEquals(
                List.of(Decision.CALL_IN, Decision.PROSECUTE_NOW),
                asPolice.intelligence().orElseThrow().decisions().stream()
                        .map(Market.DecisionMade::decision)
                        .toList());
        assertEquals(new Market.Attendance(true, true), asPolice.callIn().orElseThrow());

        // community saw this person at the call-in; what the police decided since is not theirs to see
        Person asCommunity = market.person(SITE, intervention, second, as(Role.COMMUNITY));
        assertEquals(Decision.CALL_IN, asCommunity.decision());
        assertTrue(asCommunity.intelligence().isEmpty());
        assertEquals(new Market.Attendance(true, true), asCommunity.callIn().orElseThrow());
    }

    @Test
    public void noRoleFindsInTheTimelineOrAnyListWhatItMayNotOpenInTheDetail() {
        for (Role role : Role.values()) {
            Caller caller = as(role);
            Set<Long> opens = new TreeSet<>();
            boolean intelligence = false;
            boolean referrals = false;
            for (long id : everyone) {
                Optional<Person> person = attempt(() -> market.person(SITE, intervention, id, caller));
                person.ifPresent(p -> opens.add(p.id()));
                intelligence |= person.flatMap(Person::intelligence).isPresent();
                referrals |= person.flatMap(Person::referrals).isPresent();
            }
            boolean callIn =
                    attempt(() -> callIns.callIn(SITE, intervention, caller)).isPresent();
            boolean letters =
                    attempt(() -> callIns.letters(SITE, intervention, caller)).isPresent();

            Set<Long> listed = new TreeSet<>();
            attempt(() -> market.persons(SITE, intervention, caller))
                    .ifPresent(all -> all.forEach(p -> listed.add(p.id())));
            attempt(() -> callIns.callIn(SITE, intervention, caller))
                    .flatMap(c -> c)
                    .ifPresent(c -> c.invited().forEach(i -> listed.add(i.person())));
            attempt(() -> callIns.letters(SITE, intervention, caller))
                    .ifPresent(all -> all.forEach(l -> listed.add(l.person())));
            List<TimelineEntry> timeline = programme.timeline(SITE, intervention, caller);
            for (TimelineEntry entry : timeline) {
                Matcher m = PERSON_ID.matcher(entry.what());
                while (m.find()) {
                    listed.add(Long.parseLong(m.group(1)));
                }
            }
            assertTrue(
                    role + " finds persons " + listed + " in lists but may open only " + opens,
                    opens.containsAll(listed));

            for (TimelineEntry entry : timeline) {
                String where = role + " reads '" + entry.what() + "'";
                switch (entry.kind()) {
                    case "person", "decision", "banked-case", "violation", "influential" -> assertTrue(
                            where + " but sees no intelligence in the detail", intelligence);
                    case "referral" -> assertTrue(where + " but sees no referral in the detail", referrals);
                    case "letter" -> assertTrue(where + " but may not read the letters", letters);
                    case "call-in" -> assertTrue(where + " but may not read the call-in", callIn);
                    default -> {
                        // the checklist, the intervention and community work: every role at the site
                    }
                }
            }
            boolean everyoneSees = timeline.stream().anyMatch(e -> e.kind().equals("meeting"));
            assertTrue(role + " sees the community meeting", everyoneSees);
        }
        // and the views are not empty: each audience finds its own entries
        assertTrue(
                kinds(Role.POLICE).containsAll(List.of("decision", "banked-case", "violation", "letter", "call-in")));
        assertFalse(kinds(Role.POLICE).contains("referral"));
        assertTrue(kinds(Role.SERVICES).containsAll(List.of("referral", "call-in")));
        assertFalse(kinds(Role.SERVICES).contains("decision"));
        assertEquals(Set.of("intervention", "step", "meeting"), kinds(Role.RESEARCH));
        assertEquals(Set.of("intervention", "step", "meeting"), kinds(Role.TTA_STAFF));
    }

    private Set<String> kinds(Role role) {
        Set<String> out = new TreeSet<>();
        programme.timeline(SITE, intervention, as(role)).forEach(e -> out.add(e.kind()));
        return out;
    }

    /** The answer, or empty when the role is refused or the record is hidden from it. */
    private static <T> Optional<T> attempt(Supplier<T> read) {
        try {
            return Optional.ofNullable(read.get());
        } catch (AccessDeniedException | java.util.NoSuchElementException e) {
            return Optional.empty();
        }
    }
}
