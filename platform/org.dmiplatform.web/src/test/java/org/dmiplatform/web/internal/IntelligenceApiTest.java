package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** 28 CFR 23.20(g) and (h) over the API: reviews, the reviews due, copies given out and the dissemination log. */
public class IntelligenceApiTest {
    private static final String TO_THE_DA = "{\"recipient\":\"DA's office (test)\",\"reason\":\"charging review\"}";

    private ApiFixture f;
    private Client police;
    private String base;
    private long person;

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        for (Role role : Role.values()) {
            if (!role.isNational()) {
                f.user("chi-" + role.id(), Grant.at("chicago", role));
            }
        }
        f.user("den-police", Grant.at("denver", Role.POLICE));
        police = f.logIn("chi-police");
        base = "/sites/chicago/interventions/" + f.intervention("chicago", f.logIn("chi-poc"));
        Response entered = f.send(
                "POST",
                base + "/persons",
                "{\"name\":\"Listed Person (test)\",\"level\":\"street\",\"justification\":\"observed sales\","
                        + "\"source\":\"vice survey\"}",
                police);
        assertEquals(entered.text(), 201, entered.status());
        person = entered.json().get("id").asLong();
    }

    @After
    public void tearDown() {
        f.close();
    }

    @Test
    public void policeProsecutorsAndTheSiteAdministratorReviewAnEntryOthersAreRefusedAndAudited() {
        String path = base + "/persons/" + person + "/revalidations";
        String body = "{\"reason\":\"new buys on video\"}";
        long refusals = f.auditCount("access.denied");
        for (String role : List.of("community", "services", "research", "poc")) {
            Response refused = f.send("POST", path, body, f.logIn("chi-" + role));
            assertEquals(role, 403, refused.status());
            assertFalse(refused.text(), refused.text().contains("Exception"));
            assertEquals(
                    role, 403, f.send("GET", path, null, f.logIn("chi-" + role)).status());
        }
        assertEquals(refusals + 8, f.auditCount("access.denied"));
        Response noReason = f.send("POST", path, "{\"reason\":\" \"}", police);
        assertEquals(409, noReason.status());
        assertEquals("review-needs-a-reason", noReason.json().get("rule").asText());

        f.clock.set(Instant.parse("2027-01-05T15:00:00Z"));
        Response reviewed = f.send("POST", path, body, f.logIn("chi-prosecutor"));
        assertEquals(reviewed.text(), 201, reviewed.status());
        assertEquals(
                "2032-01-05",
                reviewed.json().get("intelligence").get("reviewDue").asText());
        Response history = f.send("GET", path, null, f.logIn("chi-site-admin"));
        assertEquals(200, history.status());
        JsonNode first = history.json().get("revalidations").get(0);
        assertEquals("new buys on video", first.get("reason").asText());
        assertEquals("chi-prosecutor", first.get("reviewedBy").asText());
        assertEquals("2031-11-21", first.get("dueBefore").asText());
        assertEquals(1, f.audit("intelligence.review").size());
        // another site's police: as if the site did not exist
        assertEquals(404, f.send("POST", path, body, f.logIn("den-police")).status());
    }

    @Test
    public void theReviewsDueAreTheSitesEntriesWithinTheDaysAsked() {
        Response none = f.send("GET", "/sites/chicago/reviews-due", null, police);
        assertEquals(none.text(), 200, none.status());
        assertEquals(90, none.json().get("within").asInt());
        assertEquals(0, none.json().get("due").size());
        f.clock.set(Instant.parse("2031-10-01T15:00:00Z"));
        police = f.logIn("chi-police");
        JsonNode due = f.send("GET", "/sites/chicago/reviews-due?within=60", null, f.logIn("chi-prosecutor"))
                .json()
                .get("due");
        assertEquals(1, due.size());
        assertEquals(person, due.get(0).get("person").asLong());
        assertEquals("Listed Person (test)", due.get(0).get("name").asText());
        assertFalse(due.get(0).get("overdue").asBoolean());
        Response wrong = f.send("GET", "/sites/chicago/reviews-due?within=99999", null, police);
        assertEquals(400, wrong.status());
        assertEquals(
                403,
                f.send("GET", "/sites/chicago/reviews-due", null, f.logIn("chi-community"))
                        .status());
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/reviews-due", null, f.logIn("den-police"))
                        .status());
    }

    @Test
    public void aCopyGivenOutWithoutRecipientAndReasonIsRefusedWithA400NamingThem() {
        List<String> files = List.of(base + "/persons/" + person + "/notebook", base + "/dealer-list.csv");
        for (String file : files) {
            for (String body : List.of("{}", "{\"recipient\":\"DA's office\"}", "{\"reason\":\"charging review\"}")) {
                Response refused = f.send("POST", file, body, police);
                assertEquals(file + " " + body, 400, refused.status());
                List<String> fields = new ArrayList<>();
                refused.json()
                        .get("errors")
                        .forEach(e -> fields.add(e.get("field").asText()));
                assertTrue(fields.toString(), fields.contains("recipient") || fields.contains("reason"));
                assertFalse(refused.text(), refused.text().contains("Exception"));
            }
        }
        assertEquals(0, f.auditCount("intelligence.disseminate"));
        Response notebook = f.send("POST", files.get(0), TO_THE_DA, police);
        assertEquals(notebook.text(), 200, notebook.status());
        assertTrue(notebook.raw().header("Content-Disposition").startsWith("attachment;"));
        assertEquals(MarketRoutes.NOTEBOOK_CSP, notebook.raw().header("Content-Security-Policy"));
        assertTrue(notebook.text(), notebook.text().contains("Copy given to DA&#39;s office (test)"));
        Response list = f.send("POST", files.get(1), TO_THE_DA, f.logIn("chi-prosecutor"));
        assertEquals(200, list.status());
        assertTrue(list.raw().header("Content-Type").startsWith("text/csv"));
        String csv = new String(list.raw().body(), StandardCharsets.UTF_8);
        assertTrue(csv, csv.startsWith("id,name,alias,decision,level"));
        assertTrue(csv, csv.contains("Listed Person (test)"));
        assertEquals(
                403,
                f.send("POST", files.get(1), TO_THE_DA, f.logIn("chi-community"))
                        .status());
        assertEquals(2, f.auditCount("intelligence.disseminate"));
    }

    @Test
    public void theDisseminationLogIsTheSitesLatestFirstAPageAtATimeForPoliceAndTheSiteAdministrator() {
        for (int i = 1; i <= 3; i++) {
            Response given = f.send(
                    "POST",
                    base + "/dealer-list.csv",
                    "{\"recipient\":\"task force " + i + "\",\"reason\":\"joint operation\"}",
                    police);
            assertEquals(200, given.status());
        }
        Response page = f.send("GET", "/sites/chicago/disseminations?limit=2", null, f.logIn("chi-site-admin"));
        assertEquals(page.text(), 200, page.status());
        JsonNode entries = page.json().get("disseminations");
        assertEquals(2, entries.size());
        assertEquals("task force 3", entries.get(0).get("recipient").asText());
        assertEquals("DEALER_LIST", entries.get(0).get("copy").asText());
        assertEquals(person, entries.get(0).get("persons").get(0).asLong());
        assertEquals("chi-police", entries.get(0).get("givenBy").asText());
        long next = page.json().get("next").asLong();
        JsonNode rest = f.send("GET", "/sites/chicago/disseminations?before=" + next, null, police)
                .json()
                .get("disseminations");
        assertEquals(1, rest.size());
        assertEquals("task force 1", rest.get(0).get("recipient").asText());
        // another site's police: not found; the prosecutor and the community: forbidden
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/disseminations", null, f.logIn("den-police"))
                        .status());
        assertEquals(
                0,
                f.send("GET", "/sites/denver/disseminations", null, f.logIn("den-police"))
                        .json()
                        .get("disseminations")
                        .size());
        assertEquals(
                403,
                f.send("GET", "/sites/chicago/disseminations", null, f.logIn("chi-prosecutor"))
                        .status());
        assertEquals(
                403,
                f.send("GET", "/sites/chicago/disseminations", null, f.logIn("chi-community"))
                        .status());
        assertEquals(
                400,
                f.send("GET", "/sites/chicago/disseminations?before=x", null, police)
                        .status());
    }

    @Test
    public void anEntryPastItsReviewIsPurgedAndGoneFromTheApiAndItsExports() {
        f.clock.set(Instant.parse("2031-11-23T18:00:00Z"));
        assertEquals(
                1, new org.dmiplatform.core.internal.programme.Purge(f.database, f.audit, f.sites, f.clock).purgeDue());
        police = f.logIn("chi-police");
        assertEquals(
                404, f.send("GET", base + "/persons/" + person, null, police).status());
        assertEquals(
                0,
                f.send("GET", base + "/persons", null, police)
                        .json()
                        .get("persons")
                        .size());
        assertEquals(
                404,
                f.send("POST", base + "/persons/" + person + "/notebook", TO_THE_DA, police)
                        .status());
        String csv = new String(
                f.send("POST", base + "/dealer-list.csv", TO_THE_DA, police)
                        .raw()
                        .body(),
                StandardCharsets.UTF_8);
        assertFalse(csv, csv.contains("Listed Person"));
        JsonNode purged = f.send("GET", "/sites/chicago/purged", null, f.logIn("chi-site-admin"))
                .json()
                .get("purged");
        assertEquals(1, purged.size());
        assertEquals(person, purged.get(0).get("person").asLong());
        assertEquals("review overdue", purged.get(0).get("reason").asText());
        assertFalse(purged.toString(), purged.toString().contains("Listed Person"));
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/purged", null, f.logIn("den-police"))
                        .status());
    }
}
