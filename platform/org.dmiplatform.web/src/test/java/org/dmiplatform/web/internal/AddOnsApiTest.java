package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The add-on routes: who may read and change what, the shapes of the answers, and a site administrator choosing only
 * among the add-ons installed. What the changes do to Karaf is AddOnSwapIT's.
 */
public class AddOnsApiTest {
    private ApiFixture f;
    private Client admin;
    private Client staff;
    private Client siteAdmin;

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("tta-coach", Grant.national(Role.TTA_STAFF));
        f.user("chi-admin", Grant.at("chicago", Role.SITE_ADMIN));
        admin = f.logIn("tta-lead");
        staff = f.logIn("tta-coach");
        siteAdmin = f.logIn("chi-admin");
        f.addOns.catalogue.add(new AddOns.AddOn(
                "dmi-adapter-csv",
                PluginKind.RECORDS_ADAPTER,
                "CSV exports",
                List.of(
                        new AddOns.Version("0.2.0", false, "csv-0.2.0.kar", List.of("mvn:org.dmiplatform/x/0.2.0")),
                        new AddOns.Version("0.1.0", true, "shipped", List.of("org.dmiplatform.adapter.csv 0.1.0"))),
                List.of(new AddOns.Use("chicago", "Chicago", true, "org.dmiplatform.adapter.csv 0.1.0", ""))));
        f.addOns.catalogue.add(new AddOns.AddOn(
                "dmi-adapter-nibrs",
                PluginKind.RECORDS_ADAPTER,
                "NIBRS",
                List.of(new AddOns.Version("0.1.0", false, "shipped", List.of())),
                List.of()));
    }

    @After
    public void tearDown() {
        f.close();
    }

    @Test
    public void nationalStaffReadTheCatalogueAndOnlyNationalAdministratorsChangeIt() {
        Response catalogue = f.send("GET", "/addons", null, staff);
        assertEquals(catalogue.text(), 200, catalogue.status());
        JsonNode csv = catalogue.json().at("/addOns/0");
        assertEquals("dmi-adapter-csv", csv.get("feature").asText());
        assertEquals("records-adapter", csv.get("kind").asText());
        assertEquals("csv-0.2.0.kar", csv.at("/versions/0/source").asText());
        assertTrue(csv.at("/uses/0/bound").asBoolean());
        assertEquals(403, f.send("GET", "/addons", null, siteAdmin).status());

        String swap = "{\"action\":\"swap\",\"feature\":\"dmi-adapter-csv\",\"version\":\"0.2.0\"}";
        for (String path : List.of("/addons/plans", "/addons/changes")) {
            assertEquals(path, 403, f.send("POST", path, swap, staff).status());
            assertEquals(path, 403, f.send("POST", path, swap, siteAdmin).status());
        }
        assertEquals(List.of(), f.addOns.changes);
        Response plan = f.send("POST", "/addons/plans", swap, admin);
        assertEquals(plan.text(), 200, plan.status());
        assertEquals("swap", plan.json().at("/change/action").asText());
        assertTrue(plan.json().get("allowed").asBoolean());
        assertEquals(List.of(), f.addOns.changes);
        Response made = f.send("POST", "/addons/changes", swap, admin);
        assertEquals(made.text(), 200, made.status());
        assertEquals(List.of(new AddOns.Change(AddOns.Action.SWAP, "dmi-adapter-csv", "0.2.0")), f.addOns.changes);
    }

    @Test
    public void aChangeThePlanRefusesIsAConflictWithItsReasonsAndAnIncompleteOneIsNamed() {
        f.addOns.refusals.add("it would refresh org.dmiplatform.core/0.1.0, which is not part of the add-on");
        Response refused =
                f.send("POST", "/addons/changes", "{\"action\":\"install\",\"feature\":\"dmi-adapter-nibrs\"}", admin);
        assertEquals(refused.text(), 409, refused.status());
        assertTrue(
                refused.text(), refused.json().at("/errors/0/reason").asText().contains("would refresh"));
        assertEquals(List.of(), f.addOns.changes);

        Response missing = f.send("POST", "/addons/plans", "{\"action\":\"upgrade\"}", admin);
        assertEquals(missing.text(), 400, missing.status());
        assertTrue(missing.text(), missing.text().contains("install, swap, uninstall"));
        assertTrue(missing.text(), missing.text().contains("feature"));
        Response badName =
                f.send("POST", "/addons/plans", "{\"action\":\"install\",\"feature\":\"../etc/users\"}", admin);
        assertEquals(400, badName.status());
    }

    @Test
    public void aFileIsTakenAsItsBytesByNationalAdministratorsOnly() {
        Map<String, String> zip = Map.of("content-type", "application/octet-stream", "x-csrf-token", admin.csrf());
        Response kept =
                f.send("POST", "/addons/files?name=csv-0.2.0.kar", "PK\u0003\u0004 a Karaf archive", admin, zip);
        assertEquals(kept.text(), 201, kept.status());
        assertEquals("csv-0.2.0.kar", kept.json().get("name").asText());
        assertEquals(List.of("csv-0.2.0.kar"), f.addOns.received);
        Response notZip = f.send("POST", "/addons/files?name=x.kar", "plain text", admin, zip);
        assertEquals(notZip.text(), 400, notZip.status());
        Response noName = f.send("POST", "/addons/files", "PK\u0003\u0004", admin, zip);
        assertEquals(noName.text(), 400, noName.status());
        Map<String, String> staffZip = Map.of("content-type", "application/octet-stream", "x-csrf-token", staff.csrf());
        assertEquals(
                403,
                f.send("POST", "/addons/files?name=y.kar", "PK\u0003\u0004", staff, staffZip)
                        .status());
        assertEquals(List.of("csv-0.2.0.kar"), f.addOns.received);
    }

    @Test
    public void aSiteAdministratorSeesTheirSitesAddOnsAndListsOnlyInstalledOnes() {
        Response mine = f.send("GET", "/sites/chicago/addons", null, siteAdmin);
        assertEquals(mine.text(), 200, mine.status());
        JsonNode csv = mine.json().at("/addOns/0");
        assertEquals("0.1.0", csv.get("installed").asText());
        assertTrue(csv.at("/use/bound").asBoolean());
        assertTrue(mine.json().at("/addOns/1/installed").isMissingNode());
        assertEquals(404, f.send("GET", "/sites/denver/addons", null, siteAdmin).status());

        // the installed one: listed; the one not installed: refused, naming it, until a national administrator acts
        Response listed = f.send("PUT", "/sites/chicago", "{\"features\":[\"dmi-adapter-csv\"]}", siteAdmin);
        assertEquals(listed.text(), 200, listed.status());
        Response refused = f.send(
                "PUT", "/sites/chicago", "{\"features\":[\"dmi-adapter-csv\",\"dmi-adapter-nibrs\"]}", siteAdmin);
        assertEquals(refused.text(), 403, refused.status());
        assertTrue(refused.text(), refused.text().contains("dmi-adapter-nibrs"));
        Response national =
                f.send("PUT", "/sites/chicago", "{\"features\":[\"dmi-adapter-csv\",\"dmi-adapter-nibrs\"]}", admin);
        assertEquals(national.text(), 200, national.status());
    }

    @Test
    public void aSiteAdministratorReplacesTheirSitesAddOnAndNoOtherSites() {
        String body =
                "{\"from\":\"dmi-adapter-csv\",\"to\":\"dmi-adapter-nibrs\",\"settings\":{\"oris\":\"AZ0140500\"}}";
        Response done = f.send("POST", "/sites/chicago/addons/replacements", body, siteAdmin);
        assertEquals(done.text(), 200, done.status());
        assertEquals(0, done.json().at("/swap/momentsWithout").asInt());
        assertEquals(List.of("chicago: dmi-adapter-csv -> dmi-adapter-nibrs {oris=AZ0140500}"), f.addOns.replaced);
        assertEquals(
                404,
                f.send("POST", "/sites/denver/addons/replacements", body, siteAdmin)
                        .status());
        Response bad =
                f.send("POST", "/sites/chicago/addons/replacements", "{\"from\":\"dmi-adapter-csv\"}", siteAdmin);
        assertEquals(bad.text(), 400, bad.status());
        assertTrue(bad.text(), bad.text().contains("to"));
        f.addOns.refusals.add("dmi-adapter-jdbc is not installed: a national administrator installs it first");
        Response refused = f.send(
                "POST",
                "/sites/chicago/addons/replacements",
                "{\"from\":\"dmi-adapter-csv\",\"to\":\"dmi-adapter-jdbc\"}",
                siteAdmin);
        assertEquals(refused.text(), 400, refused.status());
        assertEquals(1, f.addOns.replaced.size());
    }
}
