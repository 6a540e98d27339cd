package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class RecordApiTest {
    private ApiFixture f;
    private Client police;

    /** {@code id,local time}; anything else is rejected. */
    static final class PairAdapter implements RecordsAdapter {
        @Override
        public String describe() {
            return "id,time pairs";
        }

        @Override
        public void read(RecordsInput input, RecordSink sink) throws IOException {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(input.open(), StandardCharsets.UTF_8))) {
                long line = 0;
                for (String text; (text = in.readLine()) != null; ) {
                    line++;
                    String[] f = text.split(",");
                    try {
                        sink.accept(new CrimeRecord(
                                RecordKind.INCIDENT,
                                f[0],
                                LocalDateTime.parse(f[1]).atZone(sink.zone()).toInstant(),
                                Optional.empty(),
                                Optional.empty(),
                                "1811",
                                "POSS: CANNABIS",
                                Category.DRUG,
                                false,
                                Optional.of("35A"),
                                Optional.empty(),
                                Optional.empty(),
                                "",
                                "",
                                "",
                                line));
                    } catch (RuntimeException e) {
                        sink.reject(line, "time", "'" + text + "' has no time", text);
                    }
                }
            }
        }
    }

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.bind("chicago", new PairAdapter());
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("chi-police", Grant.at("chicago", Role.POLICE));
        f.user("chi-community", Grant.at("chicago", Role.COMMUNITY));
        f.user("chi-research", Grant.at("chicago", Role.RESEARCH));
        f.user("den-police", Grant.at("denver", Role.POLICE));
        police = f.logIn("chi-police");
    }

    @After
    public void tearDown() {
        f.close();
    }

    private Response upload(Client client, String site, String body, String type) {
        return f.send(
                "POST",
                "/sites/" + site + "/imports?name=export.csv",
                body,
                client,
                Map.of("content-type", type, "x-csrf-token", client.csrf()));
    }

    private JsonNode awaitDone(String location, Client client) {
        for (int i = 0; i < 300; i++) {
            JsonNode now =
                    f.send("GET", location.replace("/api/v1", ""), null, client).json();
            String status = now.get("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return now;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("import did not finish");
    }

    @Test
    public void anUploadedExportIsImportedInTheBackgroundWithItsQuarantine() {
        Response started =
                upload(police, "chicago", "A1,2016-01-03T10:00:00\nA2,2016-01-03T11:00:00\nbroken\n", "text/csv");
        assertEquals(started.text(), 202, started.status());
        JsonNode done = awaitDone(started.raw().header("Location"), police);
        assertEquals("PUBLISHED", done.get("status").asText());
        assertEquals(2, done.get("inserted").asInt());
        assertEquals(1, done.get("quarantined").asInt());
        String base = started.raw().header("Location").replace("/api/v1", "");
        JsonNode q = f.send("GET", base + "/quarantine", null, police).json().get("rows");
        assertEquals(3, q.get(0).get("line").asInt());
        assertEquals("'broken' has no time", q.get(0).get("reason").asText());
        JsonNode records = f.send("GET", "/sites/chicago/records?kind=incident", null, police)
                .json();
        assertEquals(2, records.get("records").size());
        assertFalse("one page holds both: no cursor to a next page", records.has("next"));
        assertEquals("drug", records.at("/records/0/category").asText());
        JsonNode history = f.send("GET", "/sites/chicago/imports", null, police).json();
        assertEquals("test-adapter: id,time pairs", history.at("/adapters/0").asText());
        assertEquals(1, history.get("imports").size());
    }

    @Test
    public void anUploadOverTheLimitIsRefusedAndStartsNothing() {
        // the fixture's limit is 1 MiB: an export a byte over it is refused while streaming, and no import is made
        StringBuilder export = new StringBuilder();
        while (export.length() <= 1024 * 1024) {
            export.append("A").append(export.length()).append(",2016-01-03T10:00:00\n");
        }
        Response refused = upload(police, "chicago", export.toString(), "text/csv");
        assertEquals(refused.text(), 413, refused.status());
        assertFalse(refused.text(), refused.text().contains("Exception"));
        assertEquals(
                0,
                f.send("GET", "/sites/chicago/imports", null, police)
                        .json()
                        .get("imports")
                        .size());
        assertEquals(
                0,
                f.send("GET", "/sites/chicago/records?kind=incident", null, police)
                        .json()
                        .get("records")
                        .size());
    }

    @Test
    public void wrongTypesEmptyUploadsAndOtherRolesAreRefused() {
        assertEquals(
                415, upload(police, "chicago", "{\"a\":1}", "application/json").status());
        assertEquals(400, upload(police, "chicago", "", "text/csv").status());
        assertEquals(
                403,
                upload(f.logIn("chi-community"), "chicago", "A1,2016-01-03T10:00:00", "text/csv")
                        .status());
        Response otherSite = upload(f.logIn("den-police"), "chicago", "A1,2016-01-03T10:00:00", "text/csv");
        assertEquals(404, otherSite.status());
        Response noAdapter = upload(f.logIn("den-police"), "denver", "A1,2016-01-03T10:00:00", "text/csv");
        assertEquals(400, noAdapter.status());
        assertTrue(
                noAdapter.text(),
                noAdapter
                        .json()
                        .at("/errors/0/reason")
                        .asText()
                        .contains("no records adapter that reads files is bound to site denver"));
        assertEquals(
                0,
                f.send("GET", "/sites/chicago/records", null, police)
                        .json()
                        .get("records")
                        .size());
    }

    private void imported(String rows) {
        Response started = upload(police, "chicago", rows, "text/csv");
        assertEquals(started.text(), 202, started.status());
        assertEquals(
                "PUBLISHED",
                awaitDone(started.raw().header("Location"), police)
                        .get("status")
                        .asText());
    }

    @Test
    public void recordsAreFilteredAndReadInTheSitesTimeZonePageByPage() {
        // 23:30 in Chicago on January 3 is already January 4 in UTC
        imported("A1,2016-01-03T23:30:00\nA2,2016-01-03T08:00:00\nA3,2016-01-04T00:30:00\nA4,2016-01-02T12:00:00\n");
        JsonNode day = f.send("GET", "/sites/chicago/records?from=2016-01-03&to=2016-01-03", null, police)
                .json();
        assertEquals("America/Chicago", day.get("zone").asText());
        assertEquals(2, day.get("records").size());
        assertEquals(
                "2016-01-03T23:30:00-06:00", day.at("/records/0/occurredFrom").asText());
        assertEquals("A2", day.at("/records/1/sourceId").asText());

        JsonNode first =
                f.send("GET", "/sites/chicago/records?limit=3", null, police).json();
        assertEquals(3, first.get("records").size());
        assertTrue("the page is cut and says so", first.has("next"));
        JsonNode second = f.send(
                        "GET",
                        "/sites/chicago/records?limit=3&after="
                                + first.get("next").asText(),
                        null,
                        police)
                .json();
        assertEquals("A4", second.at("/records/0/sourceId").asText());
        assertFalse(second.has("next"));

        JsonNode counts = f.send("GET", "/sites/chicago/records/counts?by=day", null, police)
                .json();
        assertEquals("2016-01-02", counts.at("/counts/0/day").asText());
        assertEquals(2, counts.at("/counts/1/count").asInt());
        assertEquals(
                4,
                f.send("GET", "/sites/chicago/records/counts?by=total&category=drug", null, police)
                        .json()
                        .get("count")
                        .asInt());
    }

    @Test
    public void badFiltersAreRefusedNamingTheFieldAndOtherRolesSeeOnlyWhatTheyMay() {
        imported("B1,2016-01-03T10:00:00\n");
        for (String query : java.util.List.of(
                "from=yesterday",
                "kind=arrest",
                "category=drugs",
                "partOne=maybe",
                "bbox=1,2,3",
                "limit=0",
                "limit=1001",
                "after=not-a-cursor",
                "within=%7B%22type%22:%22Point%22%7D",
                "area=target")) {
            String field = query.substring(0, query.indexOf('='));
            Response r = f.send("GET", "/sites/chicago/records?" + query, null, police);
            assertEquals(query + ": " + r.text(), 400, r.status());
            assertEquals(
                    query,
                    field.equals("area") ? "intervention" : field,
                    r.json().at("/errors/0/field").asText());
            assertFalse(r.text(), r.text().contains("Exception") || r.text().contains("org.dmiplatform"));
        }
        assertEquals(
                200,
                f.send("GET", "/sites/chicago/records", null, f.logIn("chi-research"))
                        .status());
        Client community = f.logIn("chi-community");
        assertEquals(
                403, f.send("GET", "/sites/chicago/records", null, community).status());
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/records", null, f.logIn("den-police"))
                        .status());
        // national staff count, and see no count under five
        Client tta = f.logIn("tta-lead");
        assertEquals(403, f.send("GET", "/sites/chicago/records", null, tta).status());
        JsonNode days =
                f.send("GET", "/sites/chicago/records/counts?by=day", null, tta).json();
        assertEquals(1, days.get("counts").size());
        assertFalse("one record is a small count", days.at("/counts/0").has("count"));
    }
}
