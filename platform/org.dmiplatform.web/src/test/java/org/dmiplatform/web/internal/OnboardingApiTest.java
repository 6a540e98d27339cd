package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Test;

/** Drafting a profile from a sample and trying it, over the API: who may, what comes back, what is audited. */
public class OnboardingApiTest {
    private final ApiFixture f = new ApiFixture();

    @After
    public void close() {
        f.close();
    }

    private static String sample() throws IOException {
        try (InputStream in = OnboardingApiTest.class.getResourceAsStream("/onboarding/cad-calls.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Response post(String path, String body, Client client) {
        return f.send("POST", path, body, client, Map.of("content-type", "text/csv", "x-csrf-token", client.csrf()));
    }

    @Test
    public void aSampleIsDraftedAndTriedWithNothingStoredAndEachAudited() throws IOException {
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("analyst", Grant.at("chicago", Role.POLICE));
        f.user("neighbour", Grant.at("chicago", Role.COMMUNITY));
        Client analyst = f.logIn("analyst");

        Response draft = post("/sites/chicago/profile-drafts?name=cad-calls.csv", sample(), analyst);
        assertEquals(draft.text(), 200, draft.status());
        JsonNode drafted = draft.json();
        assertFalse(drafted.get("layout").get("header").asBoolean());
        assertEquals(400, drafted.get("layout").get("rows").asLong());
        assertEquals(1, f.audit("records.profile-draft").size());

        // the draft, saved as the site's profile, tried on the same sample
        Path folder = Files.createDirectories(f.sitesFolder.resolve("chicago/profiles"));
        Files.writeString(folder.resolve("calls.json"), drafted.get("profile").asText());
        if (!drafted.get("codeTableName").asText().isEmpty()) {
            Files.writeString(
                    folder.resolve(drafted.get("codeTableName").asText()),
                    drafted.get("codeTable").asText());
        }
        Response trial = post("/sites/chicago/profiles/calls.json/trial?name=cad-calls.csv&show=25", sample(), analyst);
        assertEquals(trial.text(), 200, trial.status());
        JsonNode tried = trial.json();
        assertEquals(400, tried.get("read").asLong());
        assertEquals(
                400,
                tried.get("imported").asLong()
                        + tried.get("quarantined").asLong()
                        + tried.get("skipped").asLong()
                        + tried.get("merged").asLong()
                        + tried.get("deletes").asLong());
        JsonNode noon = tried.get("first").get(9);
        assertEquals(10, noon.get("line").asLong());
        assertEquals("2026-11-05 12:30:00 (CST)", noon.get("occurredFrom").asText());
        assertEquals(
                "C26-100009,20261105,1230,DRUG - NARCOTICS ACTIVITY,1600   W  MADISON ST,41.881500,-87.667200",
                noon.get("source").asText());
        assertEquals("1600 W MADISON ST", noon.get("record").get("address").asText());
        // the placeholder date is quarantined by line, the 0,0 call kept without a place
        boolean line30 = false;
        for (JsonNode reason : tried.get("quarantineReasons")) {
            for (JsonNode line : reason.get("lines")) {
                line30 |= line.asLong() == 30;
            }
        }
        assertTrue(tried.get("quarantineReasons").toString(), line30);
        JsonNode unplaced = null;
        for (JsonNode mapped : tried.get("first")) {
            if (mapped.get("line").asLong() == 20) {
                unplaced = mapped.get("record");
            }
        }
        assertTrue(
                tried.get("first").toString(),
                unplaced != null && unplaced.path("location").isMissingNode());
        // latitude and longitude the right way round, though the file names neither
        JsonNode placed = noon.get("record").get("location");
        assertEquals(placed.toString(), -87.6672, placed.get("longitude").asDouble(), 1e-9);
        assertEquals(41.8815, placed.get("latitude").asDouble(), 1e-9);
        assertEquals(1, f.audit("records.profile-trial").size());

        // community members do not set up records; the refusal says who can
        Client neighbour = f.logIn("neighbour");
        Response refused = post("/sites/chicago/profile-drafts?name=cad-calls.csv", sample(), neighbour);
        assertEquals(403, refused.status());
        assertTrue(
                refused.text(),
                refused.text().contains("site-admin") && refused.text().contains("Users page"));

        // code lists need the spreadsheet reader the CSV adapter brings; without it, a clear 503
        Response codes = post("/sites/chicago/code-table-drafts?name=codes.csv", "code,text\n1,x\n", analyst);
        assertEquals(codes.text(), 503, codes.status());
        assertTrue(codes.text(), codes.text().contains("dmi-adapter-csv"));
    }
}
