package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The programme over the API: the role matrix as the JSON each role receives, the rules as refusals. */
public class ProgrammeApiTest {
    private static final String CANARY = "CANARY-PENDING-CHARGE-4411";
    private ApiFixture f;
    private Client police;
    private Client prosecutor;
    private String base;

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("tta-coach", Grant.national(Role.TTA_STAFF));
        for (Role role : Role.values()) {
            if (!role.isNational()) {
                f.user("chi-" + role.id(), Grant.at("chicago", role));
            }
        }
        f.user("den-police", Grant.at("denver", Role.POLICE));
        police = f.logIn("chi-police");
        prosecutor = f.logIn("chi-prosecutor");
        Response created = f.send(
                "POST",
                "/sites/chicago/interventions",
                "{\"name\":\"West End\",\"startedOn\":\"2026-03-01\",\"rationale\":\"drug calls\"}",
                f.logIn("chi-poc"));
        assertEquals(created.text(), 201, created.status());
        base = "/sites/chicago/interventions/" + created.json().get("id").asLong();
    }

    @After
    public void tearDown() {
        f.close();
    }

    private long person(String name, String decision) {
        Response entered = f.send(
                "POST",
                base + "/persons",
                "{\"name\":\"" + name
                        + "\",\"level\":\"street\",\"justification\":\"observed sales\",\"source\":\"vice survey\"}",
                police);
        assertEquals(entered.text(), 201, entered.status());
        long id = entered.json().get("id").asLong();
        Response decided = f.send(
                "PUT",
                base + "/persons/" + id + "/decision",
                "{\"decision\":\"" + decision + "\",\"criteria\":\"street level, no violence\"}",
                prosecutor);
        assertEquals(decided.text(), 200, decided.status());
        return id;
    }

    private void done(String step) {
        Response r = f.send("PUT", base + "/steps/" + step, "{\"status\":\"done\"}", f.logIn("chi-site-admin"));
        assertEquals(r.text(), 200, r.status());
    }

    /** Chicago's evening: a time typed as read on a clock at the site is stored as that moment, and read back so. */
    @Test
    public void residentsCallTimesAreTypedAtTheSiteAndAnsweredOnce() {
        Client community = f.logIn("chi-community");
        Response made = f.send(
                "POST",
                base + "/resident-calls",
                "{\"receivedAt\":\"2026-11-20T21:45\",\"about\":\"selling at the corner\"}",
                community);
        assertEquals(made.text(), 201, made.status());
        // 21:45 on 20 November in Chicago (UTC-6) is 03:45 UTC on the 21st
        assertEquals("2026-11-21T03:45:00Z", made.json().get("receivedAt").asText());
        long call = made.json().get("id").asLong();
        // the night the clocks went forward has no 02:30; the night they went back has two 01:30s
        // a field the route does not know is named, in the detail as in the errors
        Response unknown = f.send(
                "POST", base + "/resident-calls", "{\"recievedAt\":\"2026-11-20T21:45\",\"about\":\"x\"}", community);
        assertEquals(400, unknown.status());
        assertTrue(
                unknown.text(),
                unknown.json().get("detail").asText().contains("field 'recievedAt': is not a known field"));
        Response skipped = f.send(
                "POST", base + "/resident-calls", "{\"receivedAt\":\"2026-03-08T02:30\",\"about\":\"x\"}", community);
        assertEquals(400, skipped.status());
        assertTrue(
                skipped.text(),
                skipped.text().contains("receivedAt") && skipped.text().contains("does not exist"));
        Response twice = f.send(
                "POST", base + "/resident-calls", "{\"receivedAt\":\"2026-11-01T01:30\",\"about\":\"x\"}", community);
        assertEquals(400, twice.status());
        assertTrue(
                twice.text(),
                twice.text().contains("happened twice") && twice.text().contains("-05:00"));
        assertEquals(
                201,
                f.send(
                                "POST",
                                base + "/resident-calls",
                                "{\"receivedAt\":\"2026-11-01T01:30:00-06:00\",\"about\":\"the second 01:30\"}",
                                community)
                        .status());
        // answered once, with who answered; a second answer changes nothing
        Client police = f.logIn("chi-police");
        Response answered = f.send(
                "PUT",
                base + "/resident-calls/" + call + "/answer",
                "{\"answeredAt\":\"2026-11-20T22:05\",\"outcome\":\"patrol sent\"}",
                police);
        assertEquals(answered.text(), 200, answered.status());
        assertEquals("chi-police", answered.json().get("answeredBy").asText());
        assertEquals(20, answered.json().get("minutesToAnswer").asInt());
        Response again = f.send(
                "PUT",
                base + "/resident-calls/" + call + "/answer",
                "{\"answeredAt\":\"2026-11-20T23:00\",\"outcome\":\"overwritten\"}",
                f.logIn("chi-poc"));
        assertEquals(409, again.status());
        assertEquals("call-answered-once", again.json().get("rule").asText());
        JsonNode kept = null;
        for (JsonNode c :
                f.send("GET", base + "/resident-calls", null, community).json().get("calls")) {
            if (c.get("id").asLong() == call) {
                kept = c;
            }
        }
        assertEquals("patrol sent", kept.get("outcome").asText());
        assertEquals("chi-police", kept.get("answeredBy").asText());
    }

    @Test
    public void eachRoleGetsTheFieldsItMaySeeAndNoMore() {
        long candidate = person("Candidate A", "call-in");
        long prosecuted = person("Person B", "prosecute-now");
        Response refined = f.send(
                "PATCH",
                base + "/persons/" + prosecuted,
                "{\"pendingCharges\":\"" + CANARY + "\",\"violenceHistory\":true}",
                police);
        assertEquals(refined.text(), 200, refined.status());

        for (String role : List.of("police", "prosecutor", "site-admin")) {
            JsonNode persons = f.send("GET", base + "/persons", null, f.logIn("chi-" + role))
                    .json()
                    .get("persons");
            assertEquals(role, 2, persons.size());
            assertEquals(
                    role,
                    CANARY,
                    persons.get(1).at("/intelligence/pendingCharges").asText());
            assertTrue(
                    role + " sees no referral", persons.get(0).path("referrals").isMissingNode());
        }
        for (String role : List.of("community", "services", "poc")) {
            Response r = f.send("GET", base + "/persons", null, f.logIn("chi-" + role));
            JsonNode persons = r.json().get("persons");
            assertEquals(role, 1, persons.size());
            assertEquals(candidate, persons.get(0).get("id").asLong());
            assertTrue(role, persons.get(0).path("intelligence").isMissingNode());
            assertFalse(role + " must never receive the charges", r.text().contains(CANARY));
            assertFalse(r.text().contains("Person B"));
            assertEquals(
                    role,
                    404,
                    f.send("GET", base + "/persons/" + prosecuted, null, f.logIn("chi-" + role))
                            .status());
        }
        for (String user : List.of("chi-research", "tta-lead", "tta-coach")) {
            Response r = f.send("GET", base + "/persons", null, f.logIn(user));
            assertEquals(user + " sees aggregates only", 403, r.status());
            assertFalse(r.text().contains("Candidate A"));
        }
    }

    @Test
    public void ttaOverviewShowsStepReadinessAndFidelityWithoutAnyPerson() {
        person("Candidate A", "call-in");
        done("team");
        Response overview = f.send("GET", "/overview", null, f.logIn("tta-coach"));
        assertEquals(overview.text(), 200, overview.status());
        JsonNode chicago = overview.json().get("sites").get(0);
        assertEquals("chicago", chicago.get("site").asText());
        assertEquals("SWOT analysis", chicago.get("currentStep").asText());
        assertEquals(false, chicago.at("/readiness/ready").asBoolean());
        assertFalse("no person data for national staff", overview.text().contains("Candidate A"));
        assertEquals(403, f.send("GET", "/overview", null, police).status());
    }

    @Test
    public void aRuleRefusesWithItsNameAndNothingChanges() {
        long candidate = person("Candidate A", "call-in");
        Response early = f.send("POST", base + "/persons/" + candidate + "/letters", null, police);
        assertEquals(early.text(), 409, early.status());
        assertEquals(
                "letters-after-candidate-decision", early.json().get("rule").asText());
        assertTrue(early.json().get("detail").asText().contains("Step 3b"));

        Response callIn = f.send("PUT", base + "/steps/7b", "{\"status\":\"in-progress\"}", police);
        assertEquals(409, callIn.status());
        assertEquals(
                "call-in-after-letters-and-services", callIn.json().get("rule").asText());
        assertEquals(
                "not-started",
                f.send("GET", base + "/checklist", null, police)
                        .json()
                        .at("/steps")
                        .findValue("status")
                        .asText());

        Response noCriteria = f.send(
                "PUT",
                base + "/persons/" + candidate + "/decision",
                "{\"decision\":\"excluded\",\"criteria\":\"\"}",
                prosecutor);
        assertEquals("decision-needs-criteria", noCriteria.json().get("rule").asText());
        Response missingCase = f.send(
                "PUT",
                base + "/banked-cases/999/status",
                "{\"status\":\"activated\",\"reason\":\"sold again\"}",
                police);
        // a case that is not this intervention's is not found (and the refusal audited), not a rule's 409
        assertEquals(404, missingCase.status());
        assertEquals(
                "call-in",
                f.send("GET", base + "/persons/" + candidate, null, police)
                        .json()
                        .get("decision")
                        .asText());
    }

    @Test
    public void aForbiddenActionIs403AndAudited() {
        long candidate = person("Candidate A", "call-in");
        Response r = f.send(
                "PUT",
                base + "/persons/" + candidate + "/decision",
                "{\"decision\":\"excluded\",\"criteria\":\"x\"}",
                f.logIn("chi-community"));
        assertEquals(403, r.status());
        assertEquals("chi-community", f.audit("access.denied").get(0).event().actor());
        assertEquals("chicago", f.audit("access.denied").get(0).event().site());
        assertEquals(
                "call-in",
                f.send("GET", base + "/persons/" + candidate, null, police)
                        .json()
                        .get("decision")
                        .asText());
    }

    @Test
    public void anInterventionOfAnotherSiteIsNotFoundEvenForItsOwnSitesPolice() {
        Client denver = f.logIn("den-police");
        String denverPath = base.replace("/sites/chicago/", "/sites/denver/");
        assertEquals(404, f.send("GET", denverPath + "/persons", null, denver).status());
        assertEquals(404, f.send("GET", base + "/persons", null, denver).status());
    }

    @Test
    public void theLetterIsAnHtmlDocumentWithoutScriptAndAPdf() {
        long candidate = person("Candidate A", "call-in");
        done("3b");
        assertEquals(
                200,
                f.send(
                                "PUT",
                                base + "/call-in",
                                "{\"at\":\"2026-06-12T18:30:00\",\"place\":\"District 7 station\"}",
                                police)
                        .status());
        Response letter = f.send("POST", base + "/persons/" + candidate + "/letters", null, police);
        assertEquals(letter.text(), 201, letter.status());
        long id = letter.json().get("id").asLong();
        Response html = f.send("GET", base + "/letters/" + id + "/html", null, police);
        assertTrue(html.raw().header("Content-Type").startsWith("text/html"));
        assertEquals(CallInRoutes.LETTER_CSP, html.raw().header("Content-Security-Policy"));
        assertTrue(html.text().contains("Dear Candidate A,"));
        String mailed = "{\"recipient\":\"the candidate, by mail\",\"reason\":\"Step 6a: the invitation\"}";
        Response pdf = f.send("POST", base + "/letters/" + id + "/pdf", mailed, police);
        assertEquals("application/pdf", pdf.raw().header("Content-Type"));
        assertEquals("%PDF", new String(pdf.raw().body(), 0, 4, StandardCharsets.US_ASCII));
        assertEquals(
                403,
                f.send("POST", base + "/letters/" + id + "/pdf", mailed, f.logIn("chi-community"))
                        .status());
    }

    @Test
    public void enumsTravelInTheProgrammesWords() {
        JsonNode checklist = f.send("GET", base + "/checklist", null, police).json();
        assertEquals("not-started", checklist.at("/steps/0/state/status").asText());
        Response bad = f.send("PUT", base + "/steps/1", "{\"status\":\"finished\"}", police);
        assertEquals(400, bad.status());
        assertTrue(
                bad.text(),
                bad.json()
                        .at("/errors/0/reason")
                        .asText()
                        .contains("not one of [not-started, in-progress, done, blocked, not-applicable]"));
        JsonNode firstStep = f.send("GET", "/programme", null, police).json().at("/phases/1/steps/0");
        assertEquals("1", firstStep.get("number").asText());
        assertEquals("[\"police\",\"research\"]", firstStep.get("roles").toString());
    }
}
