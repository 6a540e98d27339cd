package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.Progress;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.reporting.Reporting;
import org.dmiplatform.reporting.standard.internal.StandardReporting;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The outcome report end to end: records imported into the real store, an intervention with its three areas and its
 * call-in, the standard reporting plug-in counting through the records store in the site's time zone.
 */
public class ReportApiTest {
    private ApiFixture f;
    private Client police;
    private String base;

    /** {@code id,local time,longitude,latitude}: drug incidents at a place. */
    static final class PointAdapter implements RecordsAdapter {
        @Override
        public String describe() {
            return "id,time,lon,lat";
        }

        @Override
        public void read(RecordsInput input, RecordSink sink) throws IOException {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(input.open(), StandardCharsets.UTF_8))) {
                long line = 0;
                for (String text; (text = in.readLine()) != null; ) {
                    line++;
                    String[] v = text.split(",");
                    sink.accept(new CrimeRecord(
                            RecordKind.INCIDENT,
                            v[0],
                            LocalDateTime.parse(v[1]).atZone(sink.zone()).toInstant(),
                            Optional.empty(),
                            Optional.empty(),
                            "1811",
                            "POSS: CANNABIS",
                            Category.DRUG,
                            false,
                            Optional.of("35A"),
                            Optional.empty(),
                            Optional.of(new CrimeRecord.Location(Double.parseDouble(v[2]), Double.parseDouble(v[3]))),
                            "",
                            "",
                            "",
                            line));
                }
            }
        }
    }

    private static String square(double lon, double lat) {
        double d = 0.005;
        return "{\"type\":\"Polygon\",\"coordinates\":[[[" + lon + "," + lat + "],[" + (lon + d) + "," + lat + "],["
                + (lon + d) + "," + (lat + d) + "],[" + lon + "," + (lat + d) + "],[" + lon + "," + lat + "]]]}";
    }

    private static Caller caller(Role role) {
        return new Caller(
                new org.dmiplatform.api.access.User(
                        80 + role.ordinal(),
                        "system-" + role.id(),
                        "",
                        java.util.List.of(Grant.at("chicago", role)),
                        true,
                        false,
                        java.time.Instant.EPOCH),
                "test");
    }

    /** Records in the middle of each area: target (-87.700), comparison (-87.600), buffer (-87.650). */
    private static void month(StringBuilder rows, YearMonth m, int target, int comparison, int buffer) {
        int[] counts = {target, comparison, buffer};
        double[] lon = {-87.6975, -87.5975, -87.6475};
        for (int area = 0; area < 3; area++) {
            for (int i = 0; i < counts[area]; i++) {
                rows.append("R")
                        .append(m)
                        .append('-')
                        .append(area)
                        .append('-')
                        .append(i)
                        .append(',')
                        .append(m.atDay(15).atTime(12, i))
                        .append(',')
                        .append(lon[area])
                        .append(",41.8025\n");
            }
        }
    }

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.bind("chicago", new PointAdapter());
        f.sites.bind(
                "chicago",
                Reporting.class,
                new StandardReporting(f.records, f.programme, f.callIns, f.community, f.clock));
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("chi-police", Grant.at("chicago", Role.POLICE));
        f.user("chi-community", Grant.at("chicago", Role.COMMUNITY));
        f.user("chi-research", Grant.at("chicago", Role.RESEARCH));
        f.user("den-police", Grant.at("denver", Role.POLICE));
        police = f.logIn("chi-police");
        long id = f.programme
                .create(
                        "chicago",
                        new Programme.NewIntervention("=West End", LocalDate.of(2024, 1, 1), ""),
                        caller(Role.POC))
                .id();
        f.programme.setAreas(
                "chicago",
                id,
                new Programme.Areas(
                        Optional.of(square(-87.70, 41.80)),
                        Optional.of(square(-87.60, 41.80)),
                        Optional.of(square(-87.65, 41.80)),
                        "test"),
                caller(Role.POLICE));
        f.callIns.plan(
                "chicago",
                id,
                new CallIns.Plan(LocalDateTime.of(2025, 6, 12, 18, 30), "District station", "", ""),
                caller(Role.POLICE));
        base = "/sites/chicago/interventions/" + id + "/reports/outcome";
        StringBuilder rows = new StringBuilder();
        for (YearMonth m = YearMonth.of(2024, 5); m.isBefore(YearMonth.of(2025, 6)); m = m.plusMonths(1)) {
            month(rows, m, 3, 2, 2);
        }
        for (YearMonth m = YearMonth.of(2025, 7); !m.isAfter(YearMonth.of(2026, 7)); m = m.plusMonths(1)) {
            month(rows, m, 1, 2, 1);
        }
        // either side of the call-in day's midnight in Chicago (05:00 UTC): one before, one after
        rows.append("EDGE1,2025-06-11T23:30:00,-87.6975,41.8025\n");
        rows.append("EDGE2,2025-06-12T00:30:00,-87.6975,41.8025\n");
        // nowhere in any area
        rows.append("AWAY,2025-01-15T12:00:00,-87.90,41.95\n");
        imported(rows.toString());
    }

    private void imported(String rows) {
        Response started = f.send(
                "POST",
                "/sites/chicago/imports?name=export.csv",
                rows,
                police,
                Map.of("content-type", "text/csv", "x-csrf-token", police.csrf()));
        assertEquals(started.text(), 202, started.status());
        for (int i = 0; i < 300; i++) {
            String status = f.send("GET", started.raw().header("Location").replace("/api/v1", ""), null, police)
                    .json()
                    .get("status")
                    .asText();
            if (status.equals("PUBLISHED")) {
                return;
            }
            assertTrue(status, status.equals("QUEUED") || status.equals("RUNNING"));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("the import did not finish");
    }

    @After
    public void tearDown() {
        f.close();
    }

    @Test
    public void theOutcomeReportCountsTheAreasInTheSitesTimeZone() {
        JsonNode r = f.send("GET", base, null, f.logIn("chi-research")).json();
        assertEquals("2025-06-12", r.get("callIn").asText());
        assertEquals("2024-06-12", r.at("/before/from").asText());
        // before 12 June 2024 - 11 June 2025: the 15ths of June 2024 to May 2025 (12 months) and EDGE1
        JsonNode target = r.at("/areas/0");
        assertEquals("target", target.get("area").asText());
        assertEquals(12 * 3 + 1, target.get("before").asLong());
        // after 12 June 2025 - 11 June 2026: EDGE2 and the 15ths of July 2025 to May 2026 (11 months)
        assertEquals(1 + 11, target.get("after").asLong());
        assertEquals(12 * 2, r.at("/areas/1/before").asLong());
        assertEquals(11 * 2, r.at("/areas/1/after").asLong());
        assertEquals(12 * 2, r.at("/areas/2/before").asLong());
        assertEquals(11, r.at("/areas/2/after").asLong());
        double t0 = 37, t1 = 12, c0 = 24, c1 = 22;
        assertEquals((t1 / t0) / (c1 / c0), r.at("/rateRatio/ratio").asDouble(), 1e-12);
        assertEquals(
                (t1 - t0) - (c1 - c0) + (11 - 24),
                r.at("/displacementDifference/total").asDouble(),
                1e-12);
        assertEquals(
                (11.0 / 22 - 24.0 / 24) / (12.0 / 22 - 37.0 / 24),
                r.at("/displacementQuotient/quotient").asDouble(),
                1e-12);
        // whole months either side of June 2025: July 2024 - May 2025 and July 2025 - May 2026
        assertEquals(22, r.at("/timeSeries/months").asInt());
        assertEquals(1.0 / 3, r.at("/timeSeries/levelChange/rateRatio").asDouble(), 1e-9);
        assertEquals(
                "the call-in is not recorded as held: its planned day, 2025-06-12, divides before from after",
                r.at("/notComputed/0").asText());
        assertEquals(25, r.get("months").size());
    }

    @Test
    public void theCsvDefusesFormulasAndBadRequestsAreRefused() {
        Response csv = f.send("GET", base + "?format=csv&before=6&after=6", null, police);
        assertEquals(csv.text(), 200, csv.status());
        assertTrue(csv.raw().header("Content-Type").startsWith("text/csv"));
        String text = csv.text();
        assertTrue(text, text.startsWith("section,area,category,month,measure,value,low,high,note\r\n"));
        // the intervention's name begins with "=": a spreadsheet would run it
        assertTrue(text, text.contains("intervention,,,,name,,,,'=West End\r\n"));
        assertTrue(text, text.contains("counts,target,all,,before,19,,,\r\n"));
        assertTrue(text, text.contains("difference in differences,target,,,rate ratio,"));

        assertEquals(400, f.send("GET", base + "?before=0", null, police).status());
        assertEquals(400, f.send("GET", base + "?after=x", null, police).status());
        assertEquals(400, f.send("GET", base + "?format=xml", null, police).status());
        assertEquals(400, f.send("GET", base + "?category=drugs", null, police).status());
        assertEquals(403, f.send("GET", base, null, f.logIn("chi-community")).status());
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/interventions/999/reports/outcome", null, police)
                        .status());
        Client denverPolice = f.logIn("den-police");
        long denverMarket = f.intervention("denver", denverPolice);
        Response noPlugin =
                f.send("GET", "/sites/denver/interventions/" + denverMarket + "/reports/outcome", null, denverPolice);
        assertEquals(noPlugin.text(), 409, noPlugin.status());
    }

    @Test
    public void theReportIsAlsoAPageAndAPdfWithItsChartsAndMap() {
        Response page = f.send("GET", base + "?format=html", null, police);
        assertEquals(page.text(), 200, page.status());
        assertEquals("text/html; charset=utf-8", page.raw().header("Content-Type"));
        // a page that runs nothing and loads nothing
        assertEquals(ReportRoutes.DOCUMENT_CSP, page.raw().header("Content-Security-Policy"));
        assertTrue(page.raw()
                .header("Content-Disposition")
                .matches("inline; filename=\"chicago-intervention-\\d+-outcome\\.html\""));
        String html = page.text();
        assertTrue(html, html.contains("<title>Outcome evaluation: =West End</title>"));
        // the map of the three areas, the bars, the series and the time series
        assertEquals(4, html.split("<img src=\"data:image/png;base64,", -1).length - 1);
        assertTrue(html.contains("alt=\"Map of the intervention&#39;s areas (target, comparison, buffer)"));
        assertTrue(html.contains("The target area: 37 records before, 12 after"));

        // the PDF is made with PDFBox 3, private to the reporting bundle: it is fetched in the running distribution
        // (ConsoleBrowserIT), since this class path holds the core's PDFBox 2
        assertEquals(
                403,
                f.send("GET", base + "?format=pdf", null, f.logIn("chi-community"))
                        .status());
        Response bad = f.send("GET", base + "?format=docx", null, police);
        assertEquals(400, bad.status());
        assertTrue(bad.text(), bad.text().contains("is not one of json, csv, html, pdf"));
    }

    private JsonNode awaitRun(String run, Client client, String status) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode now = f.send("GET", run, null, client).json();
            if (now.path("status").asText().equals(status)) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(run + " is not " + status + ": "
                + f.send("GET", run, null, client).text());
    }

    @Test
    public void aReportAskedForAsARunIsMadeLaterAsTheAskerAndOnlyTheyFetchIt() throws Exception {
        Map<String, String> json = Map.of("content-type", "application/json", "x-csrf-token", police.csrf());
        String page = base + "?format=html&before=6&after=6";
        Response asked = f.send("POST", "/sites/chicago/runs", "{\"request\":\"/api/v1" + page + "\"}", police, json);
        assertEquals(asked.text(), 202, asked.status());
        String run = asked.raw().header("Location").replace("/api/v1", "");
        assertEquals(page, asked.json().get("request").asText());
        JsonNode done = awaitRun(run, police, "DONE");
        assertEquals("chi-police", done.get("requestedBy").asText());
        assertEquals(1, done.get("attempts").asInt());
        assertTrue(done.get("kept").asBoolean());

        Response result = f.send("GET", run + "/result", null, police);
        assertEquals(result.text(), 200, result.status());
        assertEquals("text/html; charset=utf-8", result.raw().header("Content-Type"));
        assertEquals(ReportRoutes.DOCUMENT_CSP, result.raw().header("Content-Security-Policy"));
        assertTrue(result.raw()
                .header("Content-Disposition")
                .matches("attachment; filename=\"chicago-intervention-\\d+-outcome\\.html\""));
        // the same page the read itself answers
        assertEquals(f.send("GET", page, null, police).text(), result.text());
        // made as the asker: the read is in the audit trail under their name, as asked for and as fetched
        List<String> audited = f.audit.recent(Optional.of("chicago"), Optional.empty(), 50).stream()
                .filter(e -> e.event().actor().equals("chi-police"))
                .map(e -> e.event().action() + " " + e.event().target())
                .toList();
        String id = run.substring(run.lastIndexOf('/') + 1);
        assertTrue(audited.toString(), audited.contains("run.submit /sites/chicago/runs"));
        assertTrue(audited.toString(), audited.contains("report.outcome " + base));
        assertTrue(audited.toString(), audited.contains("run.result /sites/chicago/runs/" + id + "/result"));

        // nobody else sees it, nor its result
        Client research = f.logIn("chi-research");
        assertEquals(404, f.send("GET", run, null, research).status());
        assertEquals(404, f.send("GET", run + "/result", null, research).status());
        assertEquals(
                0,
                f.send("GET", "/sites/chicago/runs", null, research)
                        .json()
                        .get("runs")
                        .size());
        assertEquals(
                1,
                f.send("GET", "/sites/chicago/runs", null, police)
                        .json()
                        .get("runs")
                        .size());
        assertEquals(404, f.send("GET", run, null, f.logIn("den-police")).status());

        // a bad parameter fails the run with the read's own reason
        Response docx =
                f.send("POST", "/sites/chicago/runs", "{\"request\":\"" + base + "?format=docx\"}", police, json);
        assertEquals(docx.text(), 202, docx.status());
        String failedRun = docx.raw().header("Location").replace("/api/v1", "");
        JsonNode failed = awaitRun(failedRun, police, "FAILED");
        assertTrue(failed.toString(), failed.get("problem").asText().contains("is not one of json, csv, html, pdf"));
        Response none = f.send("GET", failedRun + "/result", null, police);
        assertEquals(409, none.status());
        assertTrue(none.text(), none.text().contains("failed: "));

        // only a site's reports and analyses, of this site, by those who may read them
        Response notOne =
                f.send("POST", "/sites/chicago/runs", "{\"request\":\"/sites/chicago/interventions\"}", police, json);
        assertEquals(400, notOne.status());
        assertTrue(notOne.text(), notOne.text().contains("is not one ("));
        assertEquals(
                400,
                f.send("POST", "/sites/chicago/runs", "{\"request\":\"/sites/denver/hotspots\"}", police, json)
                        .status());
        for (String nowhere : List.of("/sites/chicago/nothing-here", "/sites/chicago/runs")) {
            Response notRead = f.send("POST", "/sites/chicago/runs", "{\"request\":\"" + nowhere + "\"}", police, json);
            assertEquals(notRead.text(), 400, notRead.status());
            assertTrue(notRead.text(), notRead.text().contains("\"field\":\"request\""));
        }
        assertEquals(
                400,
                f.send("POST", "/sites/chicago/runs", "{\"request\":\"https://example.org/x\"}", police, json)
                        .status());
        Client community = f.logIn("chi-community");
        Response refused = f.send(
                "POST",
                "/sites/chicago/runs",
                "{\"request\":\"" + base + "\"}",
                community,
                Map.of("content-type", "application/json", "x-csrf-token", community.csrf()));
        assertEquals(refused.text(), 403, refused.status());

        // a role taken away takes the result away with it
        long policeId = f.accounts.findByUsername("chi-police").orElseThrow().id();
        f.accounts.update(
                policeId,
                org.dmiplatform.api.access.UserChange.none().withGrants(List.of(Grant.at("chicago", Role.COMMUNITY))),
                org.dmiplatform.api.access.Actor.SYSTEM);
        assertEquals(
                403, f.send("GET", run + "/result", null, f.logIn("chi-police")).status());
    }

    @Test
    public void aMarketWhoseActivityReturnsRaisesExactlyOneAlert() {
        long id = f.programme
                .create(
                        "chicago",
                        new Programme.NewIntervention("Watched corner", LocalDate.of(2026, 1, 5), ""),
                        caller(Role.POC))
                .id();
        f.programme.setAreas(
                "chicago",
                id,
                new Programme.Areas(Optional.of(square(-87.55, 41.80)), Optional.empty(), Optional.empty(), "test"),
                caller(Role.POLICE));
        // Monday 1 June 2026; the fixture's today is Saturday 21 November: 24 whole weeks
        f.callIns.plan(
                "chicago",
                id,
                new CallIns.Plan(LocalDateTime.of(2026, 6, 1, 18, 0), "Church hall", "", ""),
                caller(Role.POLICE));
        assertTrue(
                "a call-in not held yet is not watched",
                f.send("GET", "/sites/chicago/interventions/" + id + "/reports/watch", null, police)
                        .json()
                        .at("/notComputed/0")
                        .asText()
                        .contains("once the call-in is recorded as held"));
        held(id);
        StringBuilder rows = new StringBuilder();
        for (int week = 0; week < 24; week++) {
            // one a week while the market is closed, seven a week from week 16: the market is back
            int n = week < 16 ? 1 : 7;
            for (int i = 0; i < n; i++) {
                rows.append("W")
                        .append(week)
                        .append('-')
                        .append(i)
                        .append(',')
                        .append(LocalDate.of(2026, 6, 3).plusWeeks(week).atTime(12, i))
                        .append(",-87.5475,41.8025\n");
            }
        }
        imported(rows.toString());
        JsonNode watch = f.send("GET", "/sites/chicago/interventions/" + id + "/reports/watch", null, police)
                .json();
        JsonNode incidents = watch.at("/measures/0");
        assertEquals("drug-incidents", incidents.get("measure").asText());
        assertEquals(1.0, incidents.get("expectedPerWeek").asDouble(), 0);
        assertEquals(24, incidents.get("weeks").size());
        assertTrue(incidents.at("/weeks/16/exceeds").asBoolean());
        assertTrue(incidents.at("/weeks/15/exceeds").asBoolean() == false);

        assertEquals(1, f.alerts.watchAll());
        assertEquals("the watch runs every hour: nothing new", 0, f.alerts.watchAll());
        JsonNode alerts = f.send("GET", "/sites/chicago/alerts", null, f.logIn("chi-community"))
                .json()
                .get("alerts");
        assertEquals(1, alerts.size());
        assertEquals("drug-incidents", alerts.at("/0/measure").asText());
        assertEquals("2026-09-21", alerts.at("/0/weekFrom").asText());
        assertEquals(7, alerts.at("/0/observed").asLong());
        Client tta = f.logIn("tta-lead");
        assertEquals(
                1,
                f.send("GET", "/alerts/open", null, tta)
                        .json()
                        .at("/openBySite/chicago")
                        .asInt());
        assertEquals(403, f.send("GET", "/alerts/open", null, police).status());
        // national staff count open alerts; the team's alerts and notes stay the team's
        assertEquals(403, f.send("GET", "/sites/chicago/alerts", null, tta).status());
        // another site's police do not learn that the site exists
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/alerts", null, f.logIn("den-police"))
                        .status());

        String ack = "/sites/chicago/alerts/" + alerts.at("/0/id").asLong() + "/acknowledged";
        Response done = f.send("POST", ack, "{\"note\":\"extra patrols, call-in of the new sellers\"}", police);
        assertEquals(done.text(), 200, done.status());
        assertEquals("chi-police", done.json().at("/acknowledged/by").asText());
        assertEquals(409, f.send("POST", ack, "{\"note\":\"again\"}", police).status());
        assertTrue(f.send("GET", "/alerts/open", null, tta)
                .json()
                .get("openBySite")
                .isEmpty());
    }

    /** The call-in held: the six kinds of service arranged, the steps before it done. */
    private void held(long id) {
        for (org.dmiplatform.api.programme.Market.ServiceCategory kind :
                org.dmiplatform.api.programme.Market.ServiceCategory.values()) {
            f.callIns.arrangeService(
                    "chicago",
                    id,
                    new CallIns.Arrangement(kind, true, "Provider (test)", "", ""),
                    caller(Role.SERVICES));
        }
        for (String step : java.util.List.of("3b", "5a", "6a", "7a")) {
            f.programme.setProgress(
                    "chicago", id, step, "", org.dmiplatform.api.programme.Progress.DONE, "", caller(Role.SITE_ADMIN));
        }
        f.callIns.held("chicago", id, caller(Role.POC));
    }

    @Test
    public void nationalStaffReadEachSitesQuarterWithNoCountUnderFive() {
        long id = f.programme.interventions("chicago").get(0).id();
        // six candidates referred in February 2025: a count that may be shown
        for (int i = 0; i < 6; i++) {
            long person = candidate(id, "Candidate " + i + " (test)");
            f.market.addReferral(
                    "chicago",
                    id,
                    person,
                    new org.dmiplatform.api.programme.Market.NewReferral(
                            org.dmiplatform.api.programme.Market.ServiceCategory.JOB_TRAINING,
                            "Trades (test)",
                            LocalDate.of(2025, 2, 1)),
                    caller(Role.SERVICES));
        }
        Client tta = f.logIn("tta-lead");
        JsonNode q = f.send("GET", "/performance?quarter=2025-Q1", null, tta).json();
        assertEquals("2025-01-01", q.get("from").asText());
        JsonNode chicago = q.at("/sites/0");
        assertEquals("chicago", chicago.get("site").asText());
        Map<String, JsonNode> values = new java.util.HashMap<>();
        chicago.get("values").forEach(v -> values.put(v.get("measure").asText(), v));
        assertEquals(6, values.get("referrals-made").get("count").asLong());
        // January to March 2025: three drug incidents a month on the 15th in the target square
        assertEquals(9, values.get("target-drug-incidents").get("count").asLong());
        // one intervention, no call-in held, no letter: under five, so absent
        for (String small : java.util.List.of("interventions-active", "call-ins-held", "candidates-notified")) {
            assertTrue(small, values.get(small).get("count") == null);
        }
        // nowhere a count under five, in the JSON or the CSV
        q.at("/sites").forEach(site -> site.get("values")
                .forEach(v -> assertTrue(
                        v.toString(), v.get("count") == null || v.get("count").asLong() >= 5)));
        String csv = f.send("GET", "/performance?quarter=2025-Q1&format=csv", null, tta)
                .text();
        assertTrue(csv, csv.startsWith("reporting_period,period_start,period_end,site,site_name,cohort,measure_id"));
        for (String line : csv.split("\r\n")) {
            String value = line.substring(line.lastIndexOf(',') + 1);
            assertTrue(line, value.equals("value") || value.equals("suppressed (<5)") || Long.parseLong(value) >= 5);
        }
        assertTrue(csv, csv.contains("2025-Q1,2025-01-01,2025-03-31,chicago,Chicago,,referrals-made,"));
        assertEquals(
                403, f.send("GET", "/performance?quarter=2025-Q1", null, police).status());
        assertEquals(
                400, f.send("GET", "/performance?quarter=2025-3", null, tta).status());
        assertEquals(
                400, f.send("GET", "/performance?quarter=2099-Q1", null, tta).status());
    }

    @Test
    public void theProcessReportGivesEachRoleTheCountsOfWhatItMaySee() {
        long id = f.programme.interventions("chicago").get(0).id();
        long person = candidate(id, "Candidate (test)");
        // cases are banked once the candidates are decided (Step 3b)
        f.programme.setProgress("chicago", id, "3b", "", Progress.DONE, "", caller(Role.SITE_ADMIN));
        f.market.bankCase(
                "chicago",
                id,
                person,
                new org.dmiplatform.api.programme.Market.NewBankedCase(2, "buys", "warrant", LocalDate.of(2027, 1, 1)),
                caller(Role.POLICE));
        long referral = f.market
                .addReferral(
                        "chicago",
                        id,
                        person,
                        new org.dmiplatform.api.programme.Market.NewReferral(
                                org.dmiplatform.api.programme.Market.ServiceCategory.EMPLOYMENT,
                                "Jobs (test)",
                                LocalDate.of(2026, 11, 1)),
                        caller(Role.SERVICES))
                .id();
        f.followUps.recordOutcome(
                "chicago",
                id,
                referral,
                org.dmiplatform.api.programme.FollowUps.Outcome.ENGAGED,
                LocalDate.of(2026, 11, 2),
                "",
                caller(Role.SERVICES));
        String path = "/sites/chicago/interventions/" + id + "/reports/process";

        JsonNode byPolice = f.send("GET", path, null, police).json();
        assertEquals(1, byPolice.at("/enforcement/bankedCases").asInt());
        assertEquals(1, byPolice.at("/callIn/candidates").asInt());
        assertTrue("police see no referral", byPolice.path("referrals").isMissingNode());

        f.user("chi-services", Grant.at("chicago", Role.SERVICES));
        JsonNode byServices = f.send("GET", path, null, f.logIn("chi-services")).json();
        assertEquals(1, byServices.at("/referrals/engaged").asInt());
        assertTrue("services see no enforcement", byServices.path("enforcement").isMissingNode());

        JsonNode byResearch = f.send("GET", path, null, f.logIn("chi-research")).json();
        assertTrue(byResearch.path("callIn").isMissingNode()
                && byResearch.path("referrals").isMissingNode());
        assertTrue(byResearch.path("enforcement").isMissingNode());
        assertTrue(byResearch.has("fidelity") && byResearch.has("team") && byResearch.has("timeline"));
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/interventions/" + id + "/reports/process", null, f.logIn("den-police"))
                        .status());
    }

    @Test
    public void aDebriefAssessesTheFourGoalsAndTheNextInterventionStartsFromIt() {
        long first = f.programme.interventions("chicago").get(0).id();
        String path = "/sites/chicago/interventions/" + first + "/debriefs";
        String goals = "[{\"goal\":\"eliminate-market\",\"assessment\":\"met\",\"evidence\":\"rate ratio 0.38\"},"
                + "{\"goal\":\"return-neighborhood\",\"assessment\":\"partly-met\",\"evidence\":\"residents' calls\"},"
                + "{\"goal\":\"reduce-crime\",\"assessment\":\"met\",\"evidence\":\"WDD -11\"}";
        Response missing = f.send("POST", path, "{\"goals\":" + goals + "]}", police);
        assertEquals(missing.text(), 400, missing.status());
        assertTrue(missing.text(), missing.text().contains("Improve the public's safety and quality of life"));
        String all = goals + ",{\"goal\":\"improve-safety\",\"assessment\":\"too-early\",\"evidence\":\"\"}]";
        Response made = f.send(
                "POST",
                path,
                "{\"goals\":" + all + ",\"wentToPlan\":\"the call-in\",\"toChange\":\"start the services sooner\","
                        + "\"strengths\":\"the team\",\"weaknesses\":\"\",\"opportunities\":\"\",\"threats\":\"\"}",
                police);
        assertEquals(made.text(), 201, made.status());
        assertEquals("eliminate-market", made.json().at("/goals/0/goal").asText());
        // a later debrief stands; the first stays
        f.send("POST", path, "{\"goals\":" + all + ",\"toChange\":\"and the letters\"}", police);
        JsonNode list =
                f.send("GET", path, null, f.logIn("chi-community")).json().get("debriefs");
        assertEquals(2, list.size());
        assertEquals("and the letters", list.at("/0/toChange").asText());
        assertEquals(
                403,
                f.send("POST", path, "{\"goals\":" + all + "}", f.logIn("tta-lead"))
                        .status());

        long next = f.programme
                .create(
                        "chicago",
                        new Programme.NewIntervention("Next market", LocalDate.of(2026, 11, 1), ""),
                        caller(Role.POC))
                .id();
        JsonNode lessons = f.send("GET", "/sites/chicago/interventions/" + next + "/debriefs/lessons", null, police)
                .json();
        assertEquals("and the letters", lessons.at("/lessons/toChange").asText());
        assertTrue(f.send("GET", path + "/lessons", null, police).json().isEmpty());
    }

    @Test
    public void aDebriefsEvidenceIsThePlatformsFiguresAsTheCallerMayReadThem() {
        long id = f.programme.interventions("chicago").get(0).id();
        Caller community = caller(Role.COMMUNITY);
        f.community.addCall("chicago", id, Instant.parse("2025-03-01T15:00:00Z"), "selling at the corner", community);
        long answered = f.community
                .addCall("chicago", id, Instant.parse("2025-08-01T15:00:00Z"), "back again", community)
                .id();
        f.community.answer("chicago", id, answered, Instant.parse("2025-08-01T18:00:00Z"), "patrol sent", community);
        // 23:30 in Chicago on 11 June 2026 is the last evening of the window after the call-in
        f.community.addCall("chicago", id, Instant.parse("2026-06-12T04:30:00Z"), "cars at night", community);
        f.community.addCall("chicago", id, Instant.parse("2026-06-12T05:30:00Z"), "after the window", community);
        String path = "/sites/chicago/interventions/" + id + "/debriefs/evidence";

        JsonNode research = f.send("GET", path, null, f.logIn("chi-research")).json();
        Map<String, List<String>> lines = evidence(research, "lines");
        Map<String, List<String>> figures = evidence(research, "fromRecords");
        // drug records in the target: 37 in the year before, 12 in the year after (the call-in is 17 months ago)
        assertTrue(
                figures.toString(),
                figures.get("eliminate-market")
                        .contains("Drug records in the target area: 37 in the 12 months before the call-in, 12 in the"
                                + " 12 month(s) after (-67.6% a month)."));
        assertTrue(
                figures.toString(),
                figures.get("eliminate-market")
                        .get(1)
                        .startsWith("Drug records against the comparison area: rate ratio "
                                + String.format(Locale.ROOT, "%.2f", (12.0 / 37) / (22.0 / 24)) + " (95% CI "));
        assertTrue(figures.get("reduce-crime")
                .contains("All records in the buffer area: 24 before, 11 in the 12 month(s) after (-54.2% a month)."));
        assertTrue(figures.get("improve-safety")
                .contains("Violent Part I offences in the target area: none before or after."));
        // what goes into the debrief is what every reader of a debrief may read: no records figure
        assertEquals(
                List.of(
                        "No community meetings recorded.",
                        "Residents' calls: 1 in the 12 months before the call-in, 2 in the 12 month(s) after.",
                        "Residents' calls answered, of all recorded: 1 of 4."),
                lines.get("return-neighborhood"));
        assertEquals(List.of(), lines.get("eliminate-market"));
        assertEquals(List.of(), lines.get("reduce-crime"));
        // the call-in is planned, not held: the watch has not started, and nothing is claimed of it
        String missing = research.get("missing").toString();
        assertTrue(missing, research.at("/missing/0").asText().startsWith("the call-in is not recorded as held"));
        assertTrue(missing, missing.contains("the market watch: it starts once the call-in is recorded as held"));
        assertFalse(research.toString().contains("raised no alert"));

        // community reads no records: the residents' evidence, and what it lacks, never the counts
        int deniedBefore = denied();
        JsonNode fromCommunity =
                f.send("GET", path, null, f.logIn("chi-community")).json();
        assertEquals(
                lines.get("return-neighborhood"),
                evidence(fromCommunity, "lines").get("return-neighborhood"));
        evidence(fromCommunity, "fromRecords").values().forEach(l -> assertEquals(List.of(), l));
        assertTrue(fromCommunity.get("missing").toString().contains("your role does not read the site's records"));
        assertFalse(fromCommunity.toString().contains("Drug records"));
        // and the store is not even asked (no refusal in the audit log)
        assertEquals(deniedBefore, denied());
        assertEquals(403, f.send("GET", path, null, f.logIn("tta-lead")).status());
        // another site's intervention reads as missing
        assertEquals(404, f.send("GET", path, null, f.logIn("den-police")).status());
    }

    private int denied() {
        return (int) f.audit.recent(Optional.of("chicago"), Optional.empty(), 10_000).stream()
                .filter(e -> e.event().outcome() == org.dmiplatform.api.access.AuditOutcome.DENIED)
                .count();
    }

    private static Map<String, List<String>> evidence(JsonNode answer, String which) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (JsonNode goal : answer.get("goals")) {
            List<String> lines = new java.util.ArrayList<>();
            goal.get(which).forEach(l -> lines.add(l.asText()));
            out.put(goal.get("goal").asText(), lines);
        }
        return out;
    }

    /** A person entered by the police and decided a call-in candidate. */
    private long candidate(long intervention, String name) {
        long person = f.market
                .enter(
                        "chicago",
                        intervention,
                        new org.dmiplatform.api.programme.Market.NewPerson(
                                name,
                                "",
                                org.dmiplatform.api.programme.Market.Level.STREET,
                                "seen selling",
                                "survey",
                                ""),
                        caller(Role.POLICE))
                .id();
        f.market.decide(
                "chicago",
                intervention,
                person,
                org.dmiplatform.api.programme.Market.Decision.CALL_IN,
                "street level",
                caller(Role.PROSECUTOR));
        return person;
    }
}
