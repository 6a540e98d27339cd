package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.Test;

/** Refusals are audited, anonymous ones and probes of another site's ids too; the log is searched page by page. */
public class AuditApiTest {

    @Test
    public void anonymousRequestsAndAnotherSitesIdsAreAuditedRefusals() {
        try (ApiFixture f = new ApiFixture()) {
            f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
            f.user("den-police", Grant.at("denver", Role.POLICE));
            f.user("chi-police", Grant.at("chicago", Role.POLICE));
            Client denver = f.logIn("den-police");
            long id = f.intervention("denver", denver);
            int before = f.audit("access.denied").size();

            assertEquals(401, f.send("GET", "/sites", null, null).status());
            Client chicago = f.logIn("chi-police");
            // denver's intervention asked for under chicago's path: not found, as if it did not exist, and audited
            Response probe = f.send("GET", "/sites/chicago/interventions/" + id + "/persons", null, chicago);
            assertEquals(probe.text(), 404, probe.status());
            var denied = f.audit("access.denied");
            assertEquals(before + 2, denied.size());
            assertTrue(denied.stream().anyMatch(e -> e.event().actor().equals("-")));
            assertTrue(denied.stream()
                    .anyMatch(e -> e.event().actor().equals("chi-police")
                            && e.event().target().contains("/interventions/" + id)));
        }
    }

    @Test
    public void theLogIsSearchedByActorAndOutcomeAndReadPageByPageToTheFirstEntry() {
        try (ApiFixture f = new ApiFixture()) {
            f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
            f.user("chi-police", Grant.at("chicago", Role.POLICE));
            Client police = f.logIn("chi-police");
            for (int i = 0; i < 25; i++) {
                f.send("GET", "/sites/denver", null, police);
            }
            Client admin = f.logIn("tta-lead");
            JsonNode refusals = f.send("GET", "/audit?actor=chi-police&outcome=failure&limit=5", null, admin)
                    .json();
            // a refusal of access is written DENIED, not FAILURE: none of these
            assertEquals(0, refusals.get("entries").size());
            assertEquals(
                    5,
                    f.send("GET", "/audit?actor=chi-police&outcome=denied&limit=5", null, admin)
                            .json()
                            .get("entries")
                            .size());

            Set<Long> seen = new HashSet<>();
            String query = "/audit?actor=chi-police&action=access.denied&limit=10";
            int pages = 0;
            JsonNode page = f.send("GET", query, null, admin).json();
            while (true) {
                pages++;
                for (JsonNode entry : page.get("entries")) {
                    assertTrue(seen.add(entry.get("id").asLong()));
                    assertEquals("chi-police", entry.get("event").get("actor").asText());
                }
                if (!page.has("next")) {
                    break;
                }
                page = f.send("GET", query + "&before=" + page.get("next").asLong(), null, admin)
                        .json();
            }
            assertEquals(25, seen.size());
            assertEquals(3, pages);
            Response bad = f.send("GET", "/audit?from=last%20week", null, admin);
            assertEquals(400, bad.status());
            assertFalse(bad.text(), bad.text().contains("Exception"));
        }
    }
}
