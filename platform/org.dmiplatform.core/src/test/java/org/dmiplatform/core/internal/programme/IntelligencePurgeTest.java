package org.dmiplatform.core.internal.programme;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Market.Decision;
import org.dmiplatform.api.programme.Market.Level;
import org.dmiplatform.api.programme.Progress;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * 28 CFR 23.20(g) and (h) on real storage, SQLite and PostgreSQL: entries reviewed within five years or purged, the
 * purge reaching every read, export and table; copies given out recorded with recipient and reason.
 */
@RunWith(Parameterized.class)
public class IntelligencePurgeTest {
    private static final String SITE = "chicago";
    /** Entered 2 March 2026 at the site: due for review on 2 March 2031. */
    private static final Instant ENTERED = Instant.parse("2026-03-02T15:00:00Z");

    private static final String OVERDUE = "Entry Overdue (test)";
    private static final String ALIAS = "Overdue Alias (test)";
    private static final String KEPT = "Entry Kept (test)";
    private static final Market.Release TO_THE_DA =
            new Market.Release("District Attorney's office (test)", "charging review of " + OVERDUE);

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private ProgrammeServices services;
    private MarketImpl market;
    private CallInsImpl callIns;
    private long intervention;

    public IntelligencePurgeTest(String kind) {
        this.kind = kind;
    }

    private static Caller as(Role role) {
        return ProgrammeServices.as(role, SITE);
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        clock = new MutableClock(ENTERED);
        services = ProgrammeServices.on(fresh, clock);
        market = services.market();
        callIns = services.callIns();
        intervention = services.intervention(SITE);
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    private void done(String step) {
        // the step's note names the entry, as a team's notes do: the purge takes it out
        services.programme()
                .setProgress(
                        SITE, intervention, step, "", Progress.DONE, "checked with " + OVERDUE, as(Role.SITE_ADMIN));
    }

    private long enter(String name, String alias) {
        return market.enter(
                        SITE,
                        intervention,
                        new Market.NewPerson(name, alias, Level.STREET, "seen selling at corner A", "vice survey", ""),
                        as(Role.POLICE))
                .id();
    }

    /**
     * The overdue entry with a record of every kind hanging on it, through a call-in held; the kept entry beside it,
     * whose incident note names the overdue one; a survey offering the name. Answers {overdue, kept}.
     */
    private long[] market() {
        long overdue = enter(OVERDUE, ALIAS);
        long kept = enter(KEPT, "");
        market.decide(SITE, intervention, overdue, Decision.CALL_IN, "street level", as(Role.PROSECUTOR));
        market.decide(SITE, intervention, kept, Decision.PROSECUTE_NOW, "violent", as(Role.PROSECUTOR));
        market.addSurvey(
                SITE,
                intervention,
                new Market.NewSurvey(
                        LocalDate.of(2026, 3, 1),
                        "block club (test)",
                        "door to door",
                        OVERDUE + ", Another Lead (test); overdue alias (TEST)",
                        "1200 W Corner St (test)"),
                as(Role.POLICE));
        market.addIncidentNote(
                SITE, intervention, overdue, LocalDate.of(2026, 3, 1), "three sales on video", as(Role.POLICE));
        market.addIncidentNote(
                SITE, intervention, kept, LocalDate.of(2026, 3, 1), "supplies " + OVERDUE, as(Role.POLICE));
        long address = market.addAddress(SITE, intervention, "1200 W Corner St (test)", "", as(Role.POLICE))
                .id();
        market.linkAddress(SITE, intervention, overdue, address, "sells in front", as(Role.POLICE));
        market.linkAddress(SITE, intervention, kept, address, "stash", as(Role.POLICE));
        market.addInfluential(
                SITE,
                intervention,
                overdue,
                new Market.NewInfluential("Grandmother (test)", "grandmother", "will come", Optional.empty()),
                as(Role.POLICE));
        done("3b");
        market.bankCase(
                SITE,
                intervention,
                overdue,
                new Market.NewBankedCase(3, "three buys on video", "unsigned warrant 7", LocalDate.of(2026, 9, 1)),
                as(Role.POLICE));
        done("5a");
        callIns.plan(
                SITE,
                intervention,
                new CallIns.Plan(LocalDateTime.of(2026, 3, 2, 18, 30), "District 7 station", "", ""),
                as(Role.POLICE));
        CallIns.Letter letter = callIns.generateLetter(SITE, intervention, overdue, as(Role.POLICE));
        callIns.markSent(SITE, intervention, letter.id(), LocalDate.of(2026, 3, 2), as(Role.POLICE));
        done("6a");
        done("7a");
        ProgrammeServices.arrangeAllServices(callIns, SITE, intervention);
        callIns.recordAttendance(SITE, intervention, overdue, true, as(Role.POC));
        clock.set(Instant.parse("2026-03-03T01:00:00Z"));
        callIns.held(SITE, intervention, as(Role.POC));
        done("7b");
        callIns.giveDeadline(
                SITE, intervention, overdue, LocalDate.of(2026, 4, 1), "enrol in job training", as(Role.POLICE));
        market.addViolation(
                SITE, intervention, overdue, LocalDate.of(2026, 3, 2), "sold again", "case activated", as(Role.POLICE));
        market.addReferral(
                SITE,
                intervention,
                overdue,
                new Market.NewReferral(Market.ServiceCategory.JOB_TRAINING, "Jobs Centre (test)", null),
                as(Role.SERVICES));
        // the copies given out: the notebook, the list, the letter
        market.notebookFile(SITE, intervention, overdue, TO_THE_DA, as(Role.POLICE));
        market.dealerListFile(SITE, intervention, TO_THE_DA, as(Role.PROSECUTOR));
        callIns.letterPdf(
                SITE,
                intervention,
                letter.id(),
                new Market.Release("the candidate, by mail", "Step 6a: the invitation"),
                as(Role.POC));
        return new long[] {overdue, kept};
    }

    // ---- the time-travel test -------------------------------------------------------------------------------------

    @Test
    public void anEntryNotReviewedInFiveYearsIsGoneFromEveryReadExportAndTableAndTheReviewedOneStays()
            throws SQLException {
        long[] ids = market();
        long overdue = ids[0];
        long kept = ids[1];
        // reviewed in its third year, with the reason: due again five years on
        clock.set(Instant.parse("2029-01-10T15:00:00Z"));
        market.revalidate(SITE, intervention, kept, "still supplying the corner (vice, Jan 2029)", as(Role.POLICE));

        // the day the review is due, the entry stays
        clock.set(Instant.parse("2031-03-02T23:00:00Z"));
        assertEquals(0, services.purge().purgeDue());
        assertEquals(2, market.persons(SITE, intervention, as(Role.POLICE)).size());

        // a day later, at the site: T + 5 years + 1 day
        clock.set(Instant.parse("2031-03-03T18:00:00Z"));
        assertEquals(1, services.purge().purgeDue());

        // the list, the person, the reviews due, the link chart, the call-in, the letters, the deadlines
        assertEquals(
                List.of(kept),
                market.persons(SITE, intervention, as(Role.POLICE)).stream()
                        .map(Market.Person::id)
                        .toList());
        assertTrue(market.persons(SITE, intervention, as(Role.COMMUNITY)).isEmpty());
        notFound(() -> market.person(SITE, intervention, overdue, as(Role.POLICE)));
        notFound(() -> market.notebook(SITE, intervention, overdue, as(Role.POLICE)));
        notFound(() -> market.notebookFile(SITE, intervention, overdue, TO_THE_DA, as(Role.POLICE)));
        notFound(() -> market.revalidate(SITE, intervention, overdue, "too late", as(Role.POLICE)));
        assertTrue(market.reviewsDue(SITE, 5 * 366, as(Role.POLICE)).stream().noneMatch(d -> d.person() == overdue));
        Market.LinkChart chart = market.linkChart(SITE, intervention, as(Role.POLICE));
        assertEquals(
                List.of(kept),
                chart.persons().stream().map(Market.ChartPerson::id).toList());
        assertEquals(
                List.of(kept),
                chart.links().stream().map(Market.AddressLink::person).toList());
        assertEquals(1, chart.addresses().size()); // the market's address stays: it names no one
        assertTrue(callIns.letters(SITE, intervention, as(Role.POLICE)).isEmpty());
        assertTrue(callIns.deadlines(SITE, intervention, as(Role.POLICE)).isEmpty());
        assertTrue(callIns.callIn(SITE, intervention, as(Role.POLICE))
                .orElseThrow()
                .invited()
                .isEmpty());
        String list = market.dealerListFile(
                SITE, intervention, new Market.Release("task force (test)", "joint operation"), as(Role.POLICE));
        assertTrue(list, list.contains(KEPT));
        assertFalse(list, list.toLowerCase(Locale.ROOT).contains("overdue"));
        // the survey's lead and the kept entry's note lose the name, keep the rest
        Market.Survey survey =
                market.surveys(SITE, intervention, as(Role.POLICE)).get(0);
        assertEquals("[purged], Another Lead (test); [purged]", survey.namesOffered());
        assertEquals(
                "supplies [purged]",
                market.person(SITE, intervention, kept, as(Role.POLICE))
                        .intelligence()
                        .orElseThrow()
                        .incidentNotes()
                        .get(0)
                        .note());

        // nothing of the name or alias anywhere in the store, the audit log included
        List<String> found = findInEveryTable("entry overdue", "overdue alias");
        assertTrue(String.join("\n", found), found.isEmpty());

        // the tombstone: the id, the day, the reason, the counts; no name
        List<Market.Purged> purged = market.purged(SITE, as(Role.SITE_ADMIN));
        assertEquals(1, purged.size());
        Market.Purged tombstone = purged.get(0);
        assertEquals(overdue, tombstone.person());
        assertEquals(LocalDate.of(2031, 3, 2), tombstone.reviewDue());
        assertEquals(LocalDate.of(2031, 3, 3), tombstone.purgedOn());
        assertEquals("review overdue", tombstone.reason());
        for (String count : List.of(
                "referrals 1",
                "banked cases 1",
                "violations 1",
                "influentials 1",
                "decisions 1",
                "incident notes 1",
                "address links 1",
                "deadlines 1",
                "attendance 1",
                "letters 1",
                "entry 1",
                "name taken out of surveys 1",
                "name taken out of other incident notes 1",
                "name taken out of dissemination log 2")) {
            assertTrue(tombstone.removed(), tombstone.removed().contains(count));
        }

        // the dissemination log keeps who gave what to whom, the entry by its id only
        List<Market.Dissemination> log = market.disseminations(SITE, Optional.empty(), 10, as(Role.POLICE));
        assertEquals(4, log.size());
        assertEquals(List.of(kept), log.get(0).persons());
        assertEquals(Market.Copy.LETTER, log.get(1).copy());
        assertEquals(List.of(overdue), log.get(1).persons());
        assertEquals("charging review of [purged]", log.get(3).reason());

        // the reviewed entry stays, its review kept
        Market.Person stays = market.person(SITE, intervention, kept, as(Role.POLICE));
        assertEquals(
                LocalDate.of(2034, 1, 10), stays.intelligence().orElseThrow().reviewDue());
        List<Market.Revalidation> reviews = market.revalidations(SITE, intervention, kept, as(Role.PROSECUTOR));
        assertEquals(1, reviews.size());
        assertEquals(LocalDate.of(2031, 3, 2), reviews.get(0).dueBefore());
        assertEquals("chicago-police", reviews.get(0).reviewedBy());

        // one purge in the audit log, by the platform, naming the entry by id; the chain still holds
        List<AuditEntry> entries = services.audit().recent(Optional.of(SITE), Optional.of("intelligence.purge"), 10);
        assertEquals(1, entries.size());
        assertEquals("system", entries.get(0).event().actor());
        assertEquals("person:" + overdue, entries.get(0).event().target());
        assertEquals(AuditOutcome.SUCCESS, entries.get(0).event().outcome());
        assertTrue(services.audit().verify().intact());

        // a second run finds nothing to do and changes nothing
        List<String> before = dump();
        assertEquals(0, services.purge().purgeDue());
        assertEquals(before, dump());
    }

    @Test
    public void aPurgeInterruptedHalfWayLeavesTheEntryWholeAndIsDoneAtTheNextRun() {
        long[] ids = market();
        long overdue = ids[0];
        clock.set(Instant.parse("2029-01-10T15:00:00Z"));
        market.revalidate(SITE, intervention, ids[1], "still supplying the corner", as(Role.POLICE));
        Market.Person whole = market.person(SITE, intervention, overdue, as(Role.POLICE));
        List<String> before = dumpWithoutAudit();
        // the store refuses the purge's delete of the letters, after the referrals, cases and violations went
        if (kind.equals("sqlite")) {
            fresh.sql(
                    "CREATE TRIGGER interrupt BEFORE DELETE ON letters BEGIN SELECT RAISE(ABORT, 'interrupted'); END");
        } else {
            fresh.sql("CREATE FUNCTION interrupt() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN RAISE EXCEPTION 'interrupted'; END $$");
            fresh.sql("CREATE TRIGGER interrupt BEFORE DELETE ON letters FOR EACH ROW EXECUTE FUNCTION interrupt()");
        }
        clock.set(Instant.parse("2031-03-03T18:00:00Z"));
        assertEquals(0, services.purge().purgeDue());
        assertEquals(whole, market.person(SITE, intervention, overdue, as(Role.POLICE)));
        List<String> after = dumpWithoutAudit();
        assertEquals(before, after);
        List<AuditEntry> failed = services.audit().recent(Optional.of(SITE), Optional.of("intelligence.purge"), 10);
        assertEquals(AuditOutcome.FAILURE, failed.get(0).event().outcome());

        fresh.sql("DROP TRIGGER interrupt" + (kind.equals("sqlite") ? "" : " ON letters"));
        assertEquals(1, services.purge().purgeDue());
        notFound(() -> market.person(SITE, intervention, overdue, as(Role.POLICE)));
    }

    /**
     * Every free text the site's roles read, seeded with the overdue entry's name and alias beside other words: after the
     * purge the every-cell scan finds neither, and the other words stay.
     */
    @Test
    public void everyFreeTextAtTheSiteLosesTheNameAndKeepsTheRest() {
        long[] ids = market();
        long kept = ids[1];
        clock.set(Instant.parse("2029-01-10T15:00:00Z"));
        market.revalidate(SITE, intervention, kept, "still supplying the corner", as(Role.POLICE));
        String said = "talked to " + OVERDUE + " (aka " + ALIAS.toUpperCase(Locale.ROOT) + ") today";
        String q = "'" + said + "'";
        long referral = kept;
        // the kept entry is no call-in candidate: its referral written straight into the store
        fresh.sql("INSERT INTO referrals (person_id, category, provider, referred_on, status, follow_up, recorded_by,"
                + " recorded_at) VALUES (" + kept + ", 'JOB_TRAINING', 'Jobs Centre (test)', '2029-01-10', 'referred', "
                + q + ", 'services', CURRENT_TIMESTAMP)");
        fresh.sql("INSERT INTO referral_events (referral_id, kind, value, on_date, note, recorded_by, recorded_at)"
                + " SELECT id, 'status', 'engaged', '2029-01-10', " + q + ", 'services', CURRENT_TIMESTAMP"
                + " FROM referrals WHERE person_id = " + referral);
        fresh.sql("INSERT INTO referral_tasks (referral_id, what, due_on, created_by, created_at)"
                + " SELECT id, " + q + ", '2029-02-01', 'services', CURRENT_TIMESTAMP FROM referrals WHERE person_id = "
                + referral);
        fresh.sql("INSERT INTO letters (person_id, template, html, generated_by, generated_at) VALUES (" + kept
                + ", 'invitation', '<p>" + said + "</p>', 'police', CURRENT_TIMESTAMP)");
        fresh.sql("INSERT INTO swot_entries (site_id, intervention_id, kind, text, created_by, created_at) VALUES ('"
                + SITE + "', " + intervention + ", 'threat', " + q + ", 'admin', CURRENT_TIMESTAMP)");
        fresh.sql(
                "INSERT INTO debriefs (intervention_id, went_to_plan, to_change, strengths, weaknesses, opportunities,"
                        + " threats, recorded_by, recorded_at) VALUES (" + intervention + ", " + q + ", " + q + ", " + q
                        + ", "
                        + q + ", " + q + ", " + q + ", 'admin', CURRENT_TIMESTAMP)");
        fresh.sql("INSERT INTO debrief_goals (debrief_id, goal, assessment, evidence) SELECT id, 'market', 'met', " + q
                + " FROM debriefs WHERE intervention_id = " + intervention);
        fresh.sql("INSERT INTO market_alerts (intervention_id, measure, week_from, observed, expected, upper_tail,"
                + " raised_at, acknowledged_by, acknowledged_at, acknowledgement) VALUES (" + intervention
                + ", 'sales', '2029-01-01', 9, 2.0, 0.01, CURRENT_TIMESTAMP, 'admin', CURRENT_TIMESTAMP, " + q + ")");
        fresh.sql("INSERT INTO newsletters (intervention_id, published_on, title, notes, recorded_by) VALUES ("
                + intervention + ", '2029-01-10', " + q + ", " + q + ", 'admin')");
        fresh.sql("UPDATE call_ins SET speakers = " + q + ", providers_present = " + q + " WHERE intervention_id = "
                + intervention);
        fresh.sql("INSERT INTO team_signoffs (site_id, leader, signed_on, note, recorded_by, recorded_at) VALUES ('"
                + SITE + "', 'Chief (test)', '2029-01-10', " + q + ", 'admin', CURRENT_TIMESTAMP)");
        fresh.sql("INSERT INTO site_visits (site_id, visited_on, visitor, purpose, recorded_by, recorded_at) VALUES ('"
                + SITE + "', '2029-01-10', 'TTA (test)', " + q + ", 'admin', CURRENT_TIMESTAMP)");
        // another site's text is not this site's to change
        fresh.sql("INSERT INTO site_visits (site_id, visited_on, visitor, purpose, recorded_by, recorded_at) VALUES ("
                + "'denver', '2029-01-10', 'TTA (test)', " + q + ", 'admin', CURRENT_TIMESTAMP)");

        clock.set(Instant.parse("2031-03-03T18:00:00Z"));
        assertEquals(1, services.purge().purgeDue());

        List<String> found = findInEveryTable("entry overdue", "overdue alias");
        assertEquals(String.join("\n", found), 1, found.size());
        assertTrue(
                found.get(0),
                found.get(0).startsWith("site_visits:") && found.get(0).contains("site_id=denver"));
        // the rest of each text stays
        String all = String.join("\n", dump());
        String rest = "talked to [purged] (aka [purged]) today";
        // referral, outcome, task, letter, SWOT, 6 debrief texts, goal, alert, 2 newsletter, 2 call-in, sign-off, visit
        assertEquals(19, all.split(java.util.regex.Pattern.quote(rest), -1).length - 1);
        assertTrue(dump().stream()
                .anyMatch(line -> line.startsWith("step_states:") && line.contains("checked with [purged]")));
    }

    /**
     * A name entered surname first and aliases that say nothing ("unknown") or next to nothing ("DA") do not take
     * "Washington", "George", "unknown" or "DA" out of other entries' text or the dissemination log: only the full name,
     * in its orders, and the real alias go.
     */
    @Test
    public void thePurgeTakesOutTheFullNameAndRealAliasesNeverItsPartsOrEmptyAliases() {
        long overdue = enter("WASHINGTON, George", "unknown; DA; Big G");
        String justification = "seen with George Lopez near Washington Park; alias unknown";
        long kept = market.enter(
                        SITE,
                        intervention,
                        new Market.NewPerson("Kept Lopez (test)", "", Level.STREET, justification, "vice survey", ""),
                        as(Role.POLICE))
                .id();
        market.addIncidentNote(
                SITE,
                intervention,
                kept,
                LocalDate.of(2026, 3, 1),
                "met george washington, Washington,  George and BIG G at the DA's corner; George left",
                as(Role.POLICE));
        market.dealerListFile(
                SITE,
                intervention,
                new Market.Release("DA's office, George Smith", "charging review of George Washington (Big G)"),
                as(Role.PROSECUTOR));
        clock.set(Instant.parse("2029-01-10T15:00:00Z"));
        market.revalidate(SITE, intervention, kept, "Washington Park, unknown supplier, DA asked", as(Role.POLICE));

        clock.set(Instant.parse("2031-03-03T18:00:00Z"));
        assertEquals(1, services.purge().purgeDue());
        notFound(() -> market.person(SITE, intervention, overdue, as(Role.POLICE)));

        Market.Person stays = market.person(SITE, intervention, kept, as(Role.POLICE));
        Market.Intelligence intelligence = stays.intelligence().orElseThrow();
        assertEquals(justification, intelligence.justification());
        assertEquals(
                "met [purged], [purged] and [---] at the DA's corner; George left",
                intelligence.incidentNotes().get(0).note());
        assertEquals(
                "Washington Park, unknown supplier, DA asked",
                market.revalidations(SITE, intervention, kept, as(Role.POLICE))
                        .get(0)
                        .reason());
        // the log: the recipient whole, the full name out of the reason, the alias left (only full names go there)
        Market.Dissemination given = market.disseminations(SITE, Optional.empty(), 10, as(Role.POLICE))
                .get(0);
        assertEquals("DA's office, George Smith", given.recipient());
        assertEquals("charging review of [purged] (Big G)", given.reason());
        List<String> left = findInEveryTable("george washington", "washington, george", "washington,  george");
        assertTrue(String.join("\n", left), left.isEmpty());
    }

    /** A site that cannot be read (its time zone, its store) is logged and passed over: the next sites are purged. */
    @Test
    public void aSiteThatFailsDoesNotKeepTheNextSitesFromTheirPurge() {
        long overdue = enter(OVERDUE, ALIAS);
        org.dmiplatform.api.Sites real = services.sites();
        org.dmiplatform.api.Sites failing = new org.dmiplatform.api.Sites() {
            @Override
            public List<org.dmiplatform.api.Site> list() {
                // the failing site first, so that it comes before the one with the overdue entry
                List<org.dmiplatform.api.Site> sites = new ArrayList<>(real.list());
                java.util.Collections.reverse(sites);
                assertEquals("denver", sites.get(0).id());
                return sites;
            }

            @Override
            public Optional<org.dmiplatform.api.Site> find(String id) {
                if (id.equals("denver")) {
                    throw new IllegalStateException("site registry unavailable (test)");
                }
                return real.find(id);
            }

            @Override
            public List<org.dmiplatform.api.PluginBinding> plugins(String siteId) {
                return real.plugins(siteId);
            }

            @Override
            public <T> Optional<T> plugin(String siteId, Class<T> contract) {
                return real.plugin(siteId, contract);
            }

            @Override
            public <T> List<T> pluginsOf(String siteId, Class<T> contract) {
                return real.pluginsOf(siteId, contract);
            }
        };
        clock.set(Instant.parse("2031-03-03T18:00:00Z"));
        assertEquals(1, new Purge(services.database(), services.audit(), failing, clock).purgeDue());
        notFound(() -> market.person(SITE, intervention, overdue, as(Role.POLICE)));
    }

    /**
     * PostgreSQL counts a VARCHAR in characters: a name with a character outside the basic plane (two UTF-16 units) in
     * a text at its column's full length is replaced by a mark no longer than the name, so the entry is purged.
     */
    @Test
    public void aNameWithACharacterOutsideTheBasicPlaneInAFullColumnIsPurged() {
        String name = "Zed \uD83D\uDE00";
        assertEquals(5, name.codePointCount(0, name.length()));
        long overdue = enter(name, "");
        long kept = enter(KEPT, "");
        market.addIncidentNote(SITE, intervention, kept, LocalDate.of(2026, 3, 1), "placeholder", as(Role.POLICE));
        String full = name + " " + "x".repeat(4000 - 6);
        assertEquals(4000, full.codePointCount(0, full.length()));
        fresh.sql("UPDATE incident_notes SET note = '" + full + "' WHERE person_id = " + kept);
        clock.set(Instant.parse("2029-01-10T15:00:00Z"));
        market.revalidate(SITE, intervention, kept, "still at the corner", as(Role.POLICE));

        clock.set(Instant.parse("2031-03-03T18:00:00Z"));
        assertEquals(1, services.purge().purgeDue());
        notFound(() -> market.person(SITE, intervention, overdue, as(Role.POLICE)));
        String note = market.person(SITE, intervention, kept, as(Role.POLICE))
                .intelligence()
                .orElseThrow()
                .incidentNotes()
                .get(0)
                .note();
        assertEquals("[---] " + "x".repeat(4000 - 6), note);
    }

    // ---- review -----------------------------------------------------------------------------------------------------

    @Test
    public void aReviewNeedsItsReasonMovesTheReviewFiveYearsOnAndKeepsEveryEarlierReview() {
        long person = enter(KEPT, "");
        try {
            market.revalidate(SITE, intervention, person, "  ", as(Role.POLICE));
            fail("a review without a reason");
        } catch (RuleException e) {
            assertEquals("review-needs-a-reason", e.rule());
        }
        clock.set(Instant.parse("2028-06-01T15:00:00Z"));
        market.revalidate(SITE, intervention, person, "new buys on video", as(Role.POLICE));
        clock.set(Instant.parse("2032-05-01T15:00:00Z"));
        Market.Person reviewed =
                market.revalidate(SITE, intervention, person, "still at the corner", as(Role.SITE_ADMIN));
        assertEquals(
                LocalDate.of(2037, 5, 1), reviewed.intelligence().orElseThrow().reviewDue());
        List<Market.Revalidation> history = market.revalidations(SITE, intervention, person, as(Role.POLICE));
        assertEquals(2, history.size());
        assertEquals(LocalDate.of(2031, 3, 2), history.get(0).dueBefore());
        assertEquals(LocalDate.of(2033, 6, 1), history.get(0).reviewDue());
        assertEquals("new buys on video", history.get(0).reason());
        assertEquals(LocalDate.of(2033, 6, 1), history.get(1).dueBefore());
        assertEquals("chicago-site-admin", history.get(1).reviewedBy());
        // in its time it is not purged
        assertEquals(0, services.purge().purgeDue());
        assertEquals(1, market.persons(SITE, intervention, as(Role.POLICE)).size());
    }

    @Test
    public void onlyPoliceProsecutorsAndTheSiteAdministratorReviewAndAnOverdueEntryIsNotRevived() {
        long person = enter(KEPT, "");
        for (Role role : List.of(Role.COMMUNITY, Role.SERVICES, Role.POC, Role.RESEARCH)) {
            try {
                market.revalidate(SITE, intervention, person, "still active", as(role));
                fail(role + " reviewed an entry");
            } catch (AccessDeniedException expected) {
                // intelligence is for police, prosecutors and the site administrator
            }
        }
        try {
            market.revalidate(SITE, intervention, person, "still active", ProgrammeServices.as(Role.POLICE, "denver"));
            fail("another site's police reviewed an entry");
        } catch (AccessDeniedException expected) {
            // not theirs
        }
        clock.set(Instant.parse("2031-03-03T18:00:00Z"));
        try {
            market.revalidate(SITE, intervention, person, "still active", as(Role.POLICE));
            fail("an overdue entry revived");
        } catch (RuleException e) {
            assertEquals("review-overdue-is-purged", e.rule());
        }
    }

    @Test
    public void theReviewsDueListTheSoonestFirstAndSayWhichAreOverdue() {
        long first = enter(OVERDUE, "");
        clock.set(Instant.parse("2026-06-01T15:00:00Z"));
        long second = enter(KEPT, "");
        clock.set(Instant.parse("2031-01-15T15:00:00Z"));
        assertTrue(market.reviewsDue(SITE, 30, as(Role.POLICE)).isEmpty());
        List<Market.ReviewDue> due = market.reviewsDue(SITE, 90, as(Role.PROSECUTOR));
        assertEquals(List.of(first), due.stream().map(Market.ReviewDue::person).toList());
        assertFalse(due.get(0).overdue());
        clock.set(Instant.parse("2031-03-03T18:00:00Z"));
        due = market.reviewsDue(SITE, 90, as(Role.SITE_ADMIN));
        assertEquals(
                List.of(first, second),
                due.stream().map(Market.ReviewDue::person).toList());
        assertTrue(due.get(0).overdue());
        assertFalse(due.get(1).overdue());
        try {
            market.reviewsDue(SITE, 90, as(Role.COMMUNITY));
            fail("community read the reviews due");
        } catch (AccessDeniedException expected) {
            // intelligence
        }
    }

    // ---- dissemination ----------------------------------------------------------------------------------------------

    @Test
    public void aCopyGivenOutNeedsItsRecipientAndReasonAndIsLoggedTheLatestFirstAPageAtATime() {
        long person = enter(KEPT, "");
        for (Market.Release missing :
                List.of(new Market.Release("", "charging review"), new Market.Release("DA's office", " "))) {
            try {
                market.notebookFile(SITE, intervention, person, missing, as(Role.POLICE));
                fail("a notebook given out without " + missing);
            } catch (InvalidInputException e) {
                assertEquals(1, e.errors().size());
            }
            try {
                market.dealerListFile(SITE, intervention, missing, as(Role.POLICE));
                fail("the list given out without " + missing);
            } catch (InvalidInputException expected) {
                // refused, nothing logged
            }
        }
        assertTrue(market.disseminations(SITE, Optional.empty(), 10, as(Role.POLICE))
                .isEmpty());
        String notebook = market.notebookFile(
                SITE, intervention, person, new Market.Release("DA's office", "charging review"), as(Role.POLICE));
        assertTrue(notebook, notebook.contains("Copy given to DA&#39;s office by chicago-police"));
        for (int i = 1; i <= 3; i++) {
            market.dealerListFile(
                    SITE, intervention, new Market.Release("task force " + i, "joint operation"), as(Role.PROSECUTOR));
        }
        List<Market.Dissemination> page = market.disseminations(SITE, Optional.empty(), 2, as(Role.SITE_ADMIN));
        assertEquals(
                List.of("task force 3", "task force 2"),
                page.stream().map(Market.Dissemination::recipient).toList());
        assertEquals(Market.Copy.DEALER_LIST, page.get(0).copy());
        assertEquals("chicago-prosecutor", page.get(0).givenBy());
        List<Market.Dissemination> next =
                market.disseminations(SITE, Optional.of(page.get(1).id()), 2, as(Role.SITE_ADMIN));
        assertEquals(
                List.of("task force 1", "DA's office"),
                next.stream().map(Market.Dissemination::recipient).toList());
        assertEquals(List.of(person), next.get(1).persons());
        assertEquals(Market.Copy.NOTEBOOK, next.get(1).copy());
        // the log is for police and the site administrator of the site
        for (Caller reader :
                List.of(as(Role.PROSECUTOR), as(Role.COMMUNITY), ProgrammeServices.as(Role.POLICE, "denver"))) {
            try {
                market.disseminations(SITE, Optional.empty(), 10, reader);
                fail(reader.user().username() + " read the dissemination log");
            } catch (AccessDeniedException expected) {
                // not for them
            }
        }
        // each copy is audited by ids, the recipient's words kept out of the audit log
        List<AuditEntry> audited =
                services.audit().recent(Optional.of(SITE), Optional.of("intelligence.disseminate"), 10);
        assertEquals(4, audited.size());
        assertTrue(audited.stream().noneMatch(e -> e.event().detail().contains("task force")));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static void notFound(Runnable read) {
        try {
            read.run();
            fail("found");
        } catch (NoSuchElementException expected) {
            // gone
        }
    }

    private List<String> tables(Connection c) throws SQLException {
        String sql = kind.equals("sqlite")
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                        + " ORDER BY table_name";
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Every cell of every table, as "table: column=value" lines, in a stable order. */
    private List<String> dump(boolean audit) {
        List<String> out = new ArrayList<>();
        try (Connection c = fresh.dataSource().getConnection()) {
            for (String table : tables(c)) {
                if (!audit && (table.equals("audit_log") || table.equals("audit_head"))) {
                    continue;
                }
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<String> rows = new ArrayList<>();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table).append(':');
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            row.append(' ')
                                    .append(meta.getColumnName(i))
                                    .append('=')
                                    .append(
                                            value instanceof byte[] bytes
                                                    ? new String(bytes, StandardCharsets.UTF_8)
                                                    : String.valueOf(value));
                        }
                        rows.add(row.toString());
                    }
                    rows.sort(null);
                    out.addAll(rows);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private List<String> dump() {
        return dump(true);
    }

    private List<String> dumpWithoutAudit() {
        return dump(false);
    }

    /** The cells of any table holding any of the words, in any case. */
    private List<String> findInEveryTable(String... words) {
        return dump().stream()
                .filter(line -> {
                    String lower = line.toLowerCase(Locale.ROOT);
                    for (String word : words) {
                        if (lower.contains(word)) {
                            return true;
                        }
                    }
                    return false;
                })
                .toList();
    }
}
