package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The shared materials over the API: a cohort's material reaches its sites only, a site's copy is adopted, adapted,
 * told when the national version is newer and compared, history stays, and each role is refused what it may not do.
 */
public class MaterialsApiTest {
    private static final String SCRIPT = "Welcome (the chief)\\nWe know who you are.\\nThe community speaks\\nServices"
            + " on offer\\nJob training\\nClosing (the prosecutor)";

    private ApiFixture f;
    private Client tta;
    private Client poc;

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.sites.add(new Site(
                "chicago",
                "Chicago",
                "",
                ZoneId.of("America/Chicago"),
                List.of(),
                "2026 spring",
                List.of(),
                Optional.empty()));
        f.sites.add(new Site(
                "denver",
                "Denver",
                "",
                ZoneId.of("America/Denver"),
                List.of(),
                "2026 fall",
                List.of(),
                Optional.empty()));
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("tta-coach", Grant.national(Role.TTA_STAFF));
        for (Role role : Role.values()) {
            if (!role.isNational()) {
                f.user("chi-" + role.id(), Grant.at("chicago", role));
            }
        }
        f.user("den-poc", Grant.at("denver", Role.POC));
        tta = f.logIn("tta-coach");
        poc = f.logIn("chi-poc");
    }

    @After
    public void tearDown() {
        f.close();
    }

    private long publish(String body) {
        Response r = f.send("POST", "/materials", body, tta);
        assertEquals(r.text(), 201, r.status());
        long id = r.json().get("summary").get("id").asLong();
        assertEquals("/api/v1/materials/" + id, r.raw().header("Location"));
        return id;
    }

    private JsonNode ok(Response r, int status) {
        assertEquals(r.text(), status, r.status());
        return r.json();
    }

    @Test
    public void aCohortsMaterialReachesItsSitesOnlyAndASiteOutsideCanNeitherReadNorAdoptIt() {
        long spring = publish("{\"title\":\"Spring training, day 2\",\"kind\":\"training-material\","
                + "\"cohort\":\"2026 spring\",\"content\":\"Day two: the call-in\",\"note\":\"first\"}");
        JsonNode chicago = ok(f.send("GET", "/sites/chicago/materials", null, poc), 200);
        assertEquals("America/Chicago", chicago.get("timeZone").asText());
        assertEquals(1, chicago.get("materials").size());
        assertEquals(
                "not-adopted",
                chicago.get("materials").get(0).get("state").get("state").asText());
        assertEquals(
                "training-material",
                chicago.get("materials").get(0).get("material").get("kind").asText());

        Client denver = f.logIn("den-poc");
        assertEquals(
                0,
                ok(f.send("GET", "/sites/denver/materials", null, denver), 200)
                        .get("materials")
                        .size());
        long denied = f.auditCount("access.denied");
        for (String[] call : List.of(
                new String[] {"GET", "/sites/denver/materials/" + spring, null},
                new String[] {"GET", "/sites/denver/materials/" + spring + "/versions/1", null},
                new String[] {"GET", "/sites/denver/materials/" + spring + "/compare", null},
                new String[] {"POST", "/sites/denver/materials/" + spring + "/adoptions", "{}"},
                new String[] {"POST", "/sites/denver/materials/" + spring + "/copies", "{\"content\":\"x\"}"})) {
            Response r = f.send(call[0], call[1], call[2], denver);
            assertEquals(call[0] + " " + call[1] + ": " + r.text(), 404, r.status());
        }
        assertEquals("each refusal audited", denied + 5, f.auditCount("access.denied"));
        // and Chicago's point of contact at Denver's path: no such site for them
        assertEquals(404, f.send("GET", "/sites/denver/materials", null, poc).status());

        JsonNode national = ok(f.send("GET", "/materials/" + spring, null, tta), 200);
        assertEquals(1, national.get("summary").get("sitesMeant").asInt());
        assertEquals(List.of("chicago"), sites(national));

        Response unknown = f.send(
                "POST",
                "/materials",
                "{\"title\":\"X\",\"kind\":\"guide\",\"cohort\":\"2025 winter\",\"content\":\"x\"}",
                tta);
        assertEquals(400, unknown.status());
        assertEquals("cohort", unknown.json().get("errors").get(0).get("field").asText());
        Response badKind = f.send("POST", "/materials", "{\"title\":\"X\",\"kind\":\"poster\",\"content\":\"x\"}", tta);
        assertEquals(400, badKind.status());
        assertEquals("kind", badKind.json().get("errors").get(0).get("field").asText());
        assertTrue(badKind.text(), badKind.text().contains("letter-template"));
    }

    private static List<String> sites(JsonNode material) {
        List<String> out = new ArrayList<>();
        material.get("sites").forEach(s -> out.add(s.get("site").asText()));
        return out;
    }

    @Test
    public void aSiteAdoptsAdaptsSeesTheNationalVersionNewerComparesAndTakesItIn() {
        long id = publish("{\"title\":\"Call-in script\",\"kind\":\"call-in-script\",\"content\":\"" + SCRIPT + "\"}");
        String at = "/sites/chicago/materials/" + id;
        JsonNode adopted = ok(f.send("POST", at + "/adoptions", "{}", poc), 201);
        assertEquals("current", adopted.get("state").get("state").asText());
        assertEquals(1, adopted.get("current").get("info").get("number").asInt());
        Response again = f.send("POST", at + "/adoptions", "{}", poc);
        assertEquals(409, again.status());
        assertEquals("copy-is-current", again.json().get("rule").asText());

        String ours = SCRIPT.replace("The community speaks", "The community speaks: mothers and ministers");
        Client admin = f.logIn("chi-site-admin");
        JsonNode adapted = ok(
                f.send(
                        "POST",
                        at + "/copies",
                        "{\"content\":\"" + ours + "\",\"note\":\"our speakers\",\"replaces\":1}",
                        admin),
                201);
        assertTrue(adapted.get("state").get("copy").get("adapted").asBoolean());
        assertEquals(
                "chi-site-admin", adapted.get("copies").get(0).get("madeBy").asText());
        Response stale = f.send("POST", at + "/copies", "{\"content\":\"other\",\"replaces\":1}", poc);
        assertEquals(409, stale.status());
        assertEquals("copy-changed-meanwhile", stale.json().get("rule").asText());

        f.clock.advance(Duration.ofDays(9));
        // sessions end after 12 hours: a new day, a new log-in
        tta = f.logIn("tta-coach");
        poc = f.logIn("chi-poc");
        String published = f.clock.instant().toString();
        ok(
                f.send(
                        "POST",
                        "/materials/" + id + "/versions",
                        "{\"content\":\"" + SCRIPT.replace("Job training", "Job training\\nHousing")
                                + "\",\"note\":\"housing on offer\",\"replaces\":1}",
                        tta),
                201);
        JsonNode newer = ok(f.send("GET", "/sites/chicago/materials", null, poc), 200)
                .get("materials")
                .get(0);
        assertEquals("national-newer", newer.get("state").get("state").asText());
        assertEquals(1, newer.get("state").get("copy").get("basedOn").asInt());
        assertEquals(
                "housing on offer",
                newer.get("state").get("newer").get(0).get("note").asText());
        assertEquals(
                published,
                newer.get("state").get("newer").get(0).get("publishedAt").asText());

        JsonNode national = ok(f.send("GET", at + "/compare", null, poc), 200);
        assertEquals("national v1", national.get("from").asText());
        assertEquals("national v2", national.get("to").asText());
        assertEquals(1, national.get("added").asInt());
        assertEquals(0, national.get("removed").asInt());
        JsonNode lines = national.get("hunks").get(0).get("lines");
        assertTrue(lines.toString(), lines.toString().contains("{\"change\":\"added\",\"text\":\"Housing\"}"));
        JsonNode mine = ok(f.send("GET", at + "/compare?from=copy:2&to=national:2", null, poc), 200);
        assertEquals(2, mine.get("added").asInt());
        assertEquals(1, mine.get("removed").asInt());
        Response bad = f.send("GET", at + "/compare?from=copy:x", null, poc);
        assertEquals(400, bad.status());
        assertEquals("from", bad.json().get("errors").get(0).get("field").asText());
        assertEquals(404, f.send("GET", at + "/compare?from=copy:9", null, poc).status());
        JsonNode nationalOnly = ok(f.send("GET", "/materials/" + id + "/compare?from=1&to=2", null, tta), 200);
        assertEquals(1, nationalOnly.get("added").asInt());

        JsonNode taken = ok(f.send("POST", at + "/adoptions", "{}", poc), 201);
        assertEquals("current", taken.get("state").get("state").asText());
        assertEquals(3, taken.get("copies").size());
        assertEquals(2, taken.get("current").get("info").get("basedOn").asInt());
        assertTrue(ok(f.send("GET", at + "/copies/2", null, poc), 200)
                .get("content")
                .asText()
                .contains("mothers"));
        assertTrue(ok(f.send("GET", at + "/versions/1", null, poc), 200)
                .get("content")
                .asText()
                .contains("Job"));

        ok(f.send("POST", "/materials/" + id + "/withdrawal", "{\"reason\":\"replaced by 2027's\"}", tta), 200);
        Response twice = f.send("POST", "/materials/" + id + "/withdrawal", "{\"reason\":\"again\"}", tta);
        assertEquals("material-withdrawn", twice.json().get("rule").asText());
        assertEquals(
                "withdrawn",
                ok(f.send("GET", at, null, poc), 200).get("state").get("state").asText());
        assertEquals(1, f.auditCount("material.publish"));
        assertEquals(1, f.auditCount("material.version"));
        assertEquals(1, f.auditCount("material.withdraw"));
        assertEquals(2, f.auditCount("material.adopt"));
        assertEquals(1, f.auditCount("material.adapt"));
    }

    @Test
    public void eachRoleIsRefusedWhatItMayNotDo() {
        long letter = publish("{\"title\":\"Call-in letter\",\"kind\":\"letter-template\",\"content\":\"Dear"
                + " {{name}},\\n\\nCome on {{callInDate}}.\"}");
        long police = publish("{\"title\":\"Banking cases\",\"kind\":\"guide\",\"lawEnforcementOnly\":true,"
                + "\"content\":\"Buys and warrants\"}");
        Client community = f.logIn("chi-community");
        Client research = f.logIn("chi-research");
        Client admin = f.logIn("chi-site-admin");
        assertEquals(
                0,
                ok(f.send("GET", "/sites/chicago/materials", null, community), 200)
                        .get("materials")
                        .size());
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/materials/" + letter, null, community)
                        .status());
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/materials/" + police, null, poc).status());
        assertEquals(
                403,
                f.send("POST", "/sites/chicago/materials/" + police + "/adoptions", "{}", research)
                        .status());
        assertEquals(
                403,
                f.send("POST", "/sites/chicago/materials/" + letter + "/adoptions", "{}", tta)
                        .status());
        assertEquals(
                404,
                f.send("POST", "/sites/chicago/materials/" + police + "/adoptions", "{}", poc)
                        .status());
        assertEquals(
                201,
                f.send("POST", "/sites/chicago/materials/" + police + "/adoptions", "{}", admin)
                        .status());
        for (Client site : List.of(admin, poc, community)) {
            assertEquals(403, f.send("GET", "/materials", null, site).status());
            assertEquals(
                    403,
                    f.send("POST", "/materials", "{\"title\":\"Ours\",\"kind\":\"guide\",\"content\":\"x\"}", site)
                            .status());
            assertEquals(
                    403,
                    f.send("POST", "/materials/" + letter + "/withdrawal", "{\"reason\":\"x\"}", site)
                            .status());
        }
        JsonNode list = ok(f.send("GET", "/sites/chicago/materials", null, admin), 200);
        assertEquals(2, list.get("materials").size());
        assertFalse(ok(f.send("GET", "/sites/chicago/materials/" + letter, null, f.logIn("chi-prosecutor")), 200)
                .get("mayAdapt")
                .asBoolean());
        // a letter template's text is checked as the letter will use it
        Response placeholder = f.send("POST", "/sites/chicago/materials/" + letter + "/adoptions", "{}", admin);
        assertEquals(201, placeholder.status());
        Response wrong = f.send(
                "POST",
                "/sites/chicago/materials/" + letter + "/copies",
                "{\"content\":\"Dear {{name}},\\n\\nCome to {{place}}.\"}",
                admin);
        assertEquals(400, wrong.status());
        JsonNode error = wrong.json().get("errors").get(0);
        assertEquals("content", error.get("field").asText());
        assertEquals(3, error.get("line").asInt());
        assertTrue(error.get("reason").asText(), error.get("reason").asText().contains("{{callInPlace}}"));
    }
}
