package org.dmiplatform.core.internal.programme;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Materials;
import org.dmiplatform.api.programme.Materials.Adaptation;
import org.dmiplatform.api.programme.Materials.Change;
import org.dmiplatform.api.programme.Materials.Diff;
import org.dmiplatform.api.programme.Materials.Format;
import org.dmiplatform.api.programme.Materials.Kind;
import org.dmiplatform.api.programme.Materials.NewMaterial;
import org.dmiplatform.api.programme.Materials.NewVersion;
import org.dmiplatform.api.programme.Materials.Side;
import org.dmiplatform.api.programme.Materials.SiteMaterial;
import org.dmiplatform.api.programme.Materials.State;
import org.dmiplatform.api.programme.Programme;
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
 * The shared materials on real storage, SQLite and PostgreSQL: publishing and withdrawing append-only, a cohort's
 * materials reaching its sites only, a site's copy adopted, adapted and told when the national version is newer, who
 * reads and who adapts, and the site's letters made from its adopted letter template.
 */
@RunWith(Parameterized.class)
public class MaterialsStorageTest {
    private static final String SPRING = "2026 spring";
    private static final String FALL = "2026 fall";

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private MutableClock clock;
    private ProgrammeServices services;
    private MaterialsImpl materials;

    public MaterialsStorageTest(String kind) {
        this.kind = kind;
    }

    private static Caller as(Role role, String site) {
        return ProgrammeServices.as(role, site);
    }

    private static Caller tta() {
        return as(Role.TTA_STAFF, "chicago");
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        clock = new MutableClock(Instant.parse("2026-11-02T15:00:00Z"));
        services = ProgrammeServices.on(fresh, clock);
        // Chicago and Austin in the spring cohort, Denver in the fall one
        services.sites().add(site("chicago", SPRING, "America/Chicago"));
        services.sites().add(site("denver", FALL, "America/Denver"));
        services.sites().add(site("austin", SPRING, "America/Chicago"));
        materials = new MaterialsImpl(services.database(), services.audit(), services.sites(), clock);
    }

    private static Site site(String id, String cohort, String zone) {
        return new Site(id, id, "", ZoneId.of(zone), List.of(), cohort, List.of(), Optional.empty());
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    private long publish(String title, Kind kind, String cohort, boolean policeOnly, String content) {
        return materials
                .publish(new NewMaterial(title, kind, cohort, policeOnly, null, content, ""), tta())
                .summary()
                .id();
    }

    private static final String SCRIPT_V1 = String.join(
            "\n",
            "Welcome (the police chief)",
            "We know who you are.",
            "The community speaks",
            "Mothers and ministers",
            "The services on offer",
            "Job training",
            "Closing (the prosecutor)",
            "Your case is banked.");

    @Test
    public void eachPublishIsANewVersionAndNothingPublishedIsChangedOrDeleted() throws SQLException {
        long id = publish("Call-in script", Kind.CALL_IN_SCRIPT, "", false, SCRIPT_V1);
        clock.advance(Duration.ofDays(1));
        materials.publishVersion(
                id,
                new NewVersion(null, SCRIPT_V1.replace("Job training", "Job training and housing"), "housing", null),
                as(Role.TTA_ADMIN, "chicago"));
        clock.advance(Duration.ofDays(1));
        Materials.Material third =
                materials.publishVersion(id, new NewVersion(Format.MARKDOWN, "# " + SCRIPT_V1, "a heading", 2), tta());
        assertEquals(
                List.of(3, 2, 1),
                third.versions().stream().map(Materials.VersionInfo::number).toList());
        assertEquals(
                List.of("a heading", "housing", ""),
                third.versions().stream().map(Materials.VersionInfo::note).toList());
        assertEquals("chicago-tta-admin", third.versions().get(1).publishedBy());
        assertEquals(
                Instant.parse("2026-11-03T15:00:00Z"), third.versions().get(1).publishedAt());
        assertEquals(Format.MARKDOWN, third.latest().format());
        assertEquals(
                "version 1 stays as published",
                SCRIPT_V1,
                materials.version(id, 1, tta()).content());

        // an edit started from version 2 after version 3 was published is refused, as is the same text again
        rule(
                "version-published-meanwhile",
                () -> materials.publishVersion(id, new NewVersion(null, SCRIPT_V1 + "\nMore.", "more", 2), tta()));
        refused(
                "content",
                () -> materials.publishVersion(id, new NewVersion(null, "# " + SCRIPT_V1 + "\n\n", "x", null), tta()));
        refused("note", () -> materials.publishVersion(id, new NewVersion(null, "other", " ", null), tta()));

        Materials.Material withdrawn = materials.withdraw(id, "replaced by the 2027 script", tta());
        assertEquals(
                "replaced by the 2027 script",
                withdrawn.summary().withdrawn().orElseThrow().reason());
        rule("material-withdrawn", () -> materials.withdraw(id, "again", tta()));
        rule("material-withdrawn", () -> materials.publishVersion(id, new NewVersion(null, "new", "new", null), tta()));
        assertEquals(3, materials.material(id, tta()).versions().size());

        // the store itself refuses to change or delete what was written
        for (String sql : List.of(
                "UPDATE material_versions SET content = 'changed'",
                "DELETE FROM material_versions",
                "UPDATE materials SET title = 'changed'",
                "DELETE FROM material_withdrawals")) {
            try (Connection c = services.database().connection();
                    Statement st = c.createStatement()) {
                st.executeUpdate(sql);
                fail(sql + " was not refused");
            } catch (SQLException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("append-only"));
            }
        }
        assertEquals(SCRIPT_V1, materials.version(id, 1, tta()).content());
        assertEquals(
                3,
                services.audit()
                                .recent(Optional.empty(), Optional.of("material.version"), 10)
                                .size()
                        + services.audit()
                                .recent(Optional.empty(), Optional.of("material.publish"), 10)
                                .size());
    }

    @Test
    public void aCohortsMaterialReachesItsSitesOnlyAndABadCohortIsRefused() {
        long spring = publish("Spring cohort training, day 2", Kind.TRAINING_MATERIAL, SPRING, false, "Day 2");
        long everyone = publish("Implementation guide", Kind.GUIDE, "", false, "Nine steps");
        assertEquals(
                List.of(spring, everyone),
                materials.atSite("chicago", as(Role.RESEARCH, "chicago")).materials().stream()
                        .map(m -> m.material().id())
                        .sorted()
                        .toList());
        assertEquals(
                List.of(everyone),
                materials.atSite("denver", as(Role.RESEARCH, "denver")).materials().stream()
                        .map(m -> m.material().id())
                        .toList());
        missing(() -> materials.requireReachable("denver", spring));
        missing(() -> materials.atSite("denver", spring, as(Role.SITE_ADMIN, "denver")));
        missing(() -> materials.adopt("denver", spring, Optional.empty(), as(Role.SITE_ADMIN, "denver")));
        missing(() -> materials.version("denver", spring, 1, as(Role.SITE_ADMIN, "denver")));
        assertEquals(
                "the latest first, each with the sites it is meant for",
                List.of(3, 2),
                materials.materials(tta()).stream()
                        .map(Materials.Summary::sitesMeant)
                        .toList());
        try {
            materials.publish(new NewMaterial("X", Kind.GUIDE, "2025 winter", false, null, "x", ""), tta());
            fail("no site is in that cohort");
        } catch (InvalidInputException e) {
            assertEquals("cohort", e.errors().get(0).field());
            assertTrue(e.getMessage(), e.errors().get(0).reason().contains(FALL));
        }
    }

    @Test
    public void aSiteAdoptsAdaptsSeesTheNationalVersionNewerAndTakesItIn() {
        long id = publish("Call-in script", Kind.CALL_IN_SCRIPT, "", false, SCRIPT_V1);
        Caller poc = as(Role.POC, "chicago");
        SiteMaterial before = materials.atSite("chicago", id, poc);
        assertEquals(State.NOT_ADOPTED, before.state().state());
        assertTrue(before.current().isEmpty());

        clock.advance(Duration.ofHours(1));
        SiteMaterial adopted = materials.adopt("chicago", id, Optional.empty(), poc);
        assertEquals(State.CURRENT, adopted.state().state());
        assertEquals(SCRIPT_V1, adopted.current().orElseThrow().content());
        assertFalse(adopted.state().copy().orElseThrow().adapted());
        rule("copy-is-current", () -> materials.adopt("chicago", id, Optional.empty(), poc));
        refused("version", () -> materials.adopt("chicago", id, Optional.of(2), poc));

        String ours = SCRIPT_V1.replace("Mothers and ministers", "Mothers, ministers and the barber shop");
        SiteMaterial adapted = materials.adapt("chicago", id, new Adaptation(ours, "our speakers", 1), poc);
        assertEquals(2, adapted.state().copy().orElseThrow().number());
        assertTrue(adapted.state().copy().orElseThrow().adapted());
        assertEquals(State.CURRENT, adapted.state().state());
        rule("copy-changed-meanwhile", () -> materials.adapt("chicago", id, new Adaptation(ours + "!", "", 1), poc));
        refused("content", () -> materials.adapt("chicago", id, new Adaptation(ours, "", null), poc));

        clock.advance(Duration.ofDays(28));
        String v2 = SCRIPT_V1.replace("Job training", "Job training\nHousing") + "\nThank you.";
        materials.publishVersion(id, new NewVersion(null, v2, "housing and a thank-you", 1), tta());
        SiteMaterial newer = materials.atSite("chicago", id, poc);
        assertEquals(State.NATIONAL_NEWER, newer.state().state());
        assertEquals(1, newer.state().copy().orElseThrow().basedOn());
        assertEquals(1, newer.state().newer().size());
        assertEquals("housing and a thank-you", newer.state().newer().get(0).note());
        assertEquals(
                Instant.parse("2026-11-30T16:00:00Z"),
                newer.state().newer().get(0).publishedAt());
        assertEquals(
                State.NATIONAL_NEWER,
                materials.atSite("chicago", poc).materials().get(0).state().state());

        // what changed nationally since the copy's version (the default), and the copy against the latest
        Diff national = materials.compare("chicago", id, null, null, poc);
        assertEquals("national v1", national.from());
        assertEquals("national v2", national.to());
        assertEquals(2, national.added());
        assertEquals(0, national.removed());
        Diff mine = materials.compare("chicago", id, Side.copy(2), Side.national(2), poc);
        assertEquals(1, mine.removed());
        assertEquals(3, mine.added());
        assertTrue(mine.hunks()
                .get(0)
                .lines()
                .contains(new Materials.Line(Change.REMOVED, "Mothers, ministers and the barber shop")));

        // taking v2 in: a new copy based on it; the adapted ones stay
        SiteMaterial taken = materials.adopt("chicago", id, Optional.empty(), poc);
        assertEquals(State.CURRENT, taken.state().state());
        assertEquals(3, taken.copies().size());
        assertEquals(
                List.of(2, 1, 1),
                taken.copies().stream().map(Materials.CopyInfo::basedOn).toList());
        assertEquals(v2, taken.current().orElseThrow().content());
        assertEquals(ours, materials.copy("chicago", id, 2, poc).content());
        assertEquals(1, materials.materials(tta()).get(0).sitesCurrent());
        assertEquals(1, materials.materials(tta()).get(0).sitesAdopted());

        // the site's copies go on after a withdrawal; other sites no longer see it
        materials.withdraw(id, "superseded", tta());
        assertEquals(
                State.WITHDRAWN, materials.atSite("chicago", id, poc).state().state());
        rule("material-withdrawn", () -> materials.adopt("chicago", id, Optional.of(1), poc));
        materials.adapt("chicago", id, new Adaptation(v2 + "\nOur closing.", "closing", null), poc);
        missing(() -> materials.atSite("austin", id, as(Role.POC, "austin")));
        assertTrue(
                materials.atSite("austin", as(Role.POC, "austin")).materials().isEmpty());
        assertEquals(
                2,
                services.audit()
                        .recent(Optional.empty(), Optional.of("material.adopt"), 10)
                        .size());
        assertEquals(
                2,
                services.audit()
                        .recent(Optional.empty(), Optional.of("material.adapt"), 10)
                        .size());
    }

    @Test
    public void eachKindIsReadByItsRolesAndAdaptedByTheSitesLeads() {
        long letter = publish("Call-in letter", Kind.LETTER_TEMPLATE, "", false, "Dear {{name}},\n\nCome.");
        long police = publish("Banking cases", Kind.GUIDE, "", true, "Buys, warrants, deadlines");
        long guide = publish("Implementation guide", Kind.GUIDE, "", false, "Nine steps");
        assertEquals(
                "community reads the guide only",
                List.of(guide),
                ids(materials.atSite("chicago", as(Role.COMMUNITY, "chicago"))));
        assertEquals(
                "the point of contact reads the letter template, not the police-only guide",
                List.of(guide, letter),
                ids(materials.atSite("chicago", as(Role.POC, "chicago"))).stream()
                        .sorted(java.util.Comparator.reverseOrder())
                        .toList());
        assertEquals(
                3, ids(materials.atSite("chicago", as(Role.POLICE, "chicago"))).size());
        assertEquals(
                3,
                ids(materials.atSite("chicago", as(Role.TTA_ADMIN, "chicago"))).size());
        missing(() -> materials.atSite("chicago", letter, as(Role.COMMUNITY, "chicago")));
        missing(() -> materials.version("chicago", police, 1, as(Role.POC, "chicago")));
        missing(() -> materials.adopt("chicago", police, Optional.empty(), as(Role.POC, "chicago")));
        denied(() -> materials.adopt("chicago", guide, Optional.empty(), as(Role.RESEARCH, "chicago")));
        denied(() -> materials.adopt("chicago", guide, Optional.empty(), as(Role.TTA_ADMIN, "chicago")));
        denied(() -> materials.adopt("chicago", letter, Optional.empty(), as(Role.PROSECUTOR, "chicago")));
        assertTrue(materials
                .adopt("chicago", police, Optional.empty(), as(Role.POLICE, "chicago"))
                .mayAdapt());
        assertFalse(materials
                .atSite("chicago", guide, as(Role.COMMUNITY, "chicago"))
                .mayAdapt());
        denied(() -> materials.publish(
                new NewMaterial("Ours", Kind.GUIDE, "", false, null, "x", ""), as(Role.SITE_ADMIN, "chicago")));
        denied(() -> materials.materials(as(Role.SITE_ADMIN, "chicago")));
        denied(() -> materials.atSite("chicago", as(Role.POLICE, "denver")));
    }

    @Test
    public void badTextIsRefusedNamingTheFieldAndLine() {
        try {
            materials.publish(
                    new NewMaterial(
                            " ",
                            null,
                            "",
                            false,
                            Format.MARKDOWN,
                            "Dear {{name}},\nwe meet at {{ place }} on {{callInDay}}.",
                            ""),
                    tta());
            fail();
        } catch (InvalidInputException e) {
            assertEquals(
                    List.of("title", "kind"),
                    e.errors().stream().map(InputError::field).toList());
        }
        try {
            materials.publish(
                    new NewMaterial(
                            "Letter",
                            Kind.LETTER_TEMPLATE,
                            "",
                            false,
                            Format.MARKDOWN,
                            "Dear {{name}},\nwe meet at {{ place }} on {{callInDay}}.",
                            ""),
                    tta());
            fail();
        } catch (InvalidInputException e) {
            assertEquals(
                    List.of("format", "content", "content"),
                    e.errors().stream().map(InputError::field).toList());
            assertEquals(2, e.errors().get(1).line());
            assertTrue(e.errors().get(1).reason(), e.errors().get(1).reason().contains("{{ place }}"));
            assertTrue(e.errors().get(2).reason(), e.errors().get(2).reason().contains("{{callInDate}}"));
        }
        refused("content", () -> publish("Guide", Kind.GUIDE, "", false, "line one\nline\u0007two"));
        refused("content", () -> publish("Guide", Kind.GUIDE, "", false, "x".repeat(Materials.MAX_CONTENT + 1)));
        refused("content", () -> publish("Guide", Kind.GUIDE, "", false, " \n "));
        assertTrue("nothing was stored", materials.materials(tta()).isEmpty());
    }

    @Test
    public void theSitesLettersAreMadeFromItsAdoptedLetterTemplateEscapedAsEver() {
        Caller police = as(Role.POLICE, "chicago");
        long intervention = services.programme()
                .create(
                        "chicago",
                        new Programme.NewIntervention("West End", LocalDate.of(2026, 3, 1), "drug calls"),
                        as(Role.POC, "chicago"))
                .id();
        long person = services.market()
                .enter(
                        "chicago",
                        intervention,
                        new Market.NewPerson("Sam <b>Doe</b>", "", Market.Level.STREET, "seen selling", "survey", ""),
                        police)
                .id();
        services.market().decide("chicago", intervention, person, Market.Decision.CALL_IN, "street level", police);
        services.programme()
                .setProgress("chicago", intervention, "3b", "", Progress.DONE, "", as(Role.SITE_ADMIN, "chicago"));
        services.callIns()
                .plan(
                        "chicago",
                        intervention,
                        new CallIns.Plan(LocalDateTime.of(2026, 12, 1, 18, 30), "District 7 station", "", ""),
                        police);
        CallIns.Letter standard = services.callIns().generateLetter("chicago", intervention, person, police);
        assertEquals("letter-v2", standard.template());

        String national =
                "{{date}}\n\nDear {{name}},\n\nWe invite you to {{callInPlace}} on {{callInDate}}.\n\n{{chief}}";
        long id = publish("Call-in letter", Kind.LETTER_TEMPLATE, "", false, national);
        materials.adopt("chicago", id, Optional.empty(), as(Role.POC, "chicago"));
        materials.adapt(
                "chicago",
                id,
                new Adaptation(
                        national.replace("We invite you", "<script>alert(1)</script> The West End invites you"),
                        "",
                        null),
                police);
        CallIns.Letter adapted = services.callIns().generateLetter("chicago", intervention, person, police);
        assertEquals("material-" + id + " copy 2 of v1", adapted.template());
        assertTrue(adapted.html(), adapted.html().contains("<p>Dear Sam &lt;b&gt;Doe&lt;/b&gt;,</p>"));
        assertTrue(
                adapted.html(),
                adapted.html()
                        .contains(
                                "<p>&lt;script&gt;alert(1)&lt;/script&gt; The West End invites you to District 7 station on"
                                        + " Tuesday, December 1, 2026.</p>"));
        assertFalse(adapted.html(), adapted.html().contains("<script>"));

        // another letter template adopted later is the one used; the first again once it is taken in again
        long other = publish("Call-in letter (short)", Kind.LETTER_TEMPLATE, "", false, "Dear {{name}}, come.");
        materials.adopt("chicago", other, Optional.empty(), police);
        assertEquals(
                "material-" + other + " copy 1 of v1",
                services.callIns()
                        .generateLetter("chicago", intervention, person, police)
                        .template());
        assertTrue(materials.atSite("chicago", other, police).state().usedForLetters());
        assertFalse(materials.atSite("chicago", id, police).state().usedForLetters());
        materials.publishVersion(id, new NewVersion(null, national + "\n{{title}}", "the title too", null), tta());
        materials.adopt("chicago", id, Optional.empty(), police);
        assertEquals(
                "material-" + id + " copy 3 of v2",
                services.callIns()
                        .generateLetter("chicago", intervention, person, police)
                        .template());
        // Denver adopted none: its letters stay the platform's
        assertTrue(materials.atSite("denver", as(Role.POLICE, "denver")).materials().stream()
                .noneMatch(m -> m.state().usedForLetters()));
    }

    private static List<Long> ids(Materials.SiteMaterials list) {
        return list.materials().stream().map(m -> m.material().id()).toList();
    }

    private static void rule(String rule, Runnable action) {
        try {
            action.run();
            fail("not refused by " + rule);
        } catch (RuleException e) {
            assertEquals(rule, e.rule());
        }
    }

    private static void refused(String field, Runnable action) {
        try {
            action.run();
            fail("not refused: " + field);
        } catch (InvalidInputException e) {
            assertEquals(e.getMessage(), field, e.errors().get(0).field());
        }
    }

    private static void missing(Runnable action) {
        try {
            action.run();
            fail("not missing");
        } catch (NoSuchElementException expected) {
            // reads as missing
        }
    }

    private static void denied(Runnable action) {
        try {
            action.run();
            fail("not denied");
        } catch (AccessDeniedException expected) {
            // refused
        }
    }
}
