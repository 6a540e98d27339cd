package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@code POST /sites} with {@code templates}: a TTA administrator provisions the programme's site kits in one go. */
public class SiteTemplatesApiTest {
    private ApiFixture f;

    private static SiteDefinition template(String id, String name, String cohort, String system) {
        return new SiteDefinition(
                new Site(
                        id,
                        name,
                        name + " Police Department",
                        ZoneId.of("America/New_York"),
                        List.of("EPSG:2264", "EPSG:4326"),
                        cohort,
                        List.of("dmi-adapter-nibrs"),
                        Optional.of(new Site.Bounds(-80.12, 35.85, -79.88, 36.06))),
                List.of(),
                java.util.Map.of(),
                system);
    }

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.templates.put("high-point", template("high-point", "High Point", "Pilot", "nibrs-flat"));
        f.templates.put("raleigh", template("raleigh", "Raleigh", "Faculty sites", "nibrs-flat"));
        f.templates.put("ocala", template("ocala", "Ocala", "National Network sites", "nibrs-xml"));
        f.templates.put("denver", template("denver", "Denver (demo)", SiteProvisioning.DEMO_COHORT, ""));
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("tta-coach", Grant.national(Role.TTA_STAFF));
        f.user("cpd-narcotics", Grant.at("chicago", Role.POLICE));
    }

    @After
    public void tearDown() {
        f.close();
    }

    private static List<String> fields(Response r) {
        List<String> out = new ArrayList<>();
        r.json().get("errors").forEach(e -> out.add(e.get("field").asText()));
        return out;
    }

    @Test
    public void onlyATtaAdministratorProvisionsSeveralSitesAtOnce() {
        String body = "{\"templates\": [\"high-point\", \"raleigh\"]}";
        Response police = f.send("POST", "/sites", body, f.logIn("cpd-narcotics"));
        assertEquals(police.text(), 403, police.status());
        Response staff = f.send("POST", "/sites", body, f.logIn("tta-coach"));
        assertEquals(staff.text(), 403, staff.status());
        assertTrue(staff.text(), staff.json().get("detail").asText().contains("only a TTA administrator"));
        assertFalse(f.sites.find("high-point").isPresent());
        assertTrue("nothing provisioned", f.audit("site.provision").isEmpty());
        assertFalse("the refusal is audited", f.audit("access.denied").isEmpty());
    }

    @Test
    public void everyProblemIsAnsweredAtOnceAndNothingIsProvisioned() {
        Client admin = f.logIn("tta-lead");
        Response unknown =
                f.send("POST", "/sites", "{\"templates\": [\"high-point\", \"gotham\", \"metropolis\"]}", admin);
        assertEquals(unknown.text(), 400, unknown.status());
        assertEquals(List.of("templates[1]", "templates[2]"), fields(unknown));
        assertTrue(
                unknown.text(), unknown.json().at("/errors/0/reason").asText().contains("no template 'gotham'"));
        assertFalse("not even the known one", f.sites.find("high-point").isPresent());

        Response notNames = f.send("POST", "/sites", "{\"templates\": [\"raleigh\", 7, \"\"]}", admin);
        assertEquals(notNames.text(), 400, notNames.status());
        assertEquals(List.of("templates[1]", "templates[2]"), fields(notNames));
        for (String body : List.of("{\"templates\": []}", "{\"templates\": \"some\"}", "{\"templates\": {\"a\": 1}}")) {
            Response r = f.send("POST", "/sites", body, admin);
            assertEquals(body + " " + r.text(), 400, r.status());
            assertEquals(List.of("templates"), fields(r));
        }
        Response mixed = f.send("POST", "/sites", "{\"templates\": \"all\", \"cohort\": \"Second cohort\"}", admin);
        assertEquals(mixed.text(), 400, mixed.status());
        assertEquals(List.of("templates"), fields(mixed));
        assertTrue(f.audit("site.provision").isEmpty());
    }

    @Test
    public void allTheKitsAreProvisionedInOneRequestAndASecondLeavesThemAsTheyAre() {
        Client admin = f.logIn("tta-lead");
        Response first = f.send("POST", "/sites", "{\"templates\": \"all\"}", admin);
        assertEquals(first.text(), 200, first.status());
        JsonNode answer = first.json();
        List<String> done = new ArrayList<>();
        answer.get("sites")
                .forEach(s ->
                        done.add(s.get("id").asText() + " " + s.get("outcome").asText() + " "
                                + s.get("recordsSystem").asText()));
        assertEquals(
                "every template but the demo site",
                List.of("high-point created nibrs-flat", "ocala created nibrs-xml", "raleigh created nibrs-flat"),
                done);
        assertEquals(3, answer.get("created").asInt());
        assertEquals(0, answer.get("unchanged").asInt());
        assertTrue(answer.get("milliseconds").asLong() >= 0);
        assertEquals("Ocala", f.sites.find("ocala").orElseThrow().name());
        assertEquals(
                "one entry per site, as single provisioning writes",
                3,
                f.audit("site.provision").size());

        Response again = f.send("POST", "/sites", "{\"templates\": [\"raleigh\", \"ocala\"]}", admin);
        assertEquals(again.text(), 200, again.status());
        assertEquals(2, again.json().get("unchanged").asInt());
        assertEquals("unchanged", again.json().at("/sites/0/outcome").asText());
        assertEquals(3, f.audit("site.provision").size());

        f.templates.put("raleigh", template("raleigh", "Raleigh", "Second cohort", "nibrs-flat"));
        Response changed = f.send("POST", "/sites", "{\"templates\": [\"raleigh\", \"ocala\"]}", admin);
        assertEquals(
                List.of("updated", "unchanged"),
                List.of(
                        changed.json().at("/sites/0/outcome").asText(),
                        changed.json().at("/sites/1/outcome").asText()));
        assertEquals("Second cohort", f.sites.find("raleigh").orElseThrow().cohort());

        Response demo = f.send("POST", "/sites", "{\"templates\": [\"denver\"]}", admin);
        assertEquals(
                "a demo site is provisioned when named",
                "updated",
                demo.json().at("/sites/0/outcome").asText());
    }
}
