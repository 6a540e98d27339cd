package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.dmiplatform.api.PlatformHealth;
import org.dmiplatform.api.PlatformHealth.Report;
import org.dmiplatform.api.PlatformHealth.Status;
import org.dmiplatform.api.PlatformHealth.Storage;
import org.junit.Test;

public class HealthRoutesTest {
    private static Report report(Status status, String problem) {
        return new Report(
                status,
                false,
                "1.0",
                problem == null ? List.of() : List.of(problem),
                new Storage("H2", 27, status == Status.UP),
                List.of());
    }

    @Test
    public void theSameReportIsWrittenOnceAndEveryNewOneIsAnsweredAsItIs() throws Exception {
        AtomicReference<Report> current = new AtomicReference<>(report(Status.UP, null));
        PlatformHealth health = current::get;
        Route route = new HealthRoutes(health).routes().get(0);

        Reply first = route.handler.handle(null);
        Reply again = route.handler.handle(null);
        assertEquals(200, first.status());
        assertSame("a report asked again is not written again", body(first), body(again));
        assertEquals("UP", Json.MAPPER.readTree(body(first)).get("status").asText());

        current.set(report(Status.DOWN, "Storage: unreachable"));
        Reply down = route.handler.handle(null);
        assertEquals(503, down.status());
        JsonNode json = Json.MAPPER.readTree(body(down));
        assertEquals("DOWN", json.get("status").asText());
        assertEquals("Storage: unreachable", json.at("/problems/0").asText());
        assertEquals(Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(HealthRoutes.Summary.of(current.get()))), json);
        assertEquals("application/json; charset=utf-8", ((Reply.Raw) down.body()).contentType());
    }

    @Test
    public void anyoneLearnsWhetherItServesAndHowManySitesItHasNeverWhich() throws Exception {
        PlatformHealth.SiteStatus chicago = new PlatformHealth.SiteStatus(
                "chicago",
                "Chicago",
                List.of(),
                List.of("no records adapter"),
                List.of("records adapter: the password's variable DMI_CHICAGO_RMS_PASSWORD is not set"));
        PlatformHealth.SiteStatus denver = new PlatformHealth.SiteStatus(
                "denver",
                "Denver",
                List.of(new org.dmiplatform.api.PluginBinding(
                        "denver", org.dmiplatform.api.PluginKind.MAPPING, "jts", "org.dmiplatform.mapping.jts")),
                List.of(),
                List.of());
        Report report = new Report(
                Status.UP,
                false,
                "1.0",
                List.of(),
                new Storage("PostgreSQL", 28, true),
                List.of(chicago, denver),
                "node-a",
                List.of("node-a", "node-b"));
        Reply reply = new HealthRoutes(() -> report).routes().get(0).handler.handle(null);
        String text = new String(body(reply), java.nio.charset.StandardCharsets.UTF_8);
        JsonNode json = Json.MAPPER.readTree(text);
        assertEquals(2, json.get("sites").asInt());
        assertEquals(1, json.get("sitesWithoutPlugIns").asInt());
        assertEquals(1, json.get("sitesWithProblems").asInt());
        for (String secret : List.of("chicago", "Denver", "DMI_CHICAGO", "jts", "node-a", "PostgreSQL", "1.0")) {
            org.junit.Assert.assertFalse(secret + " in " + text, text.contains(secret));
        }

        // the details: all of it for the TTA team, a site administrator's own sites only
        org.dmiplatform.api.access.User tta =
                user(org.dmiplatform.api.access.Grant.national(org.dmiplatform.api.access.Role.TTA_STAFF));
        assertSame(report, HealthRoutes.details(report, tta));
        org.dmiplatform.api.access.User denverAdmin = user(
                org.dmiplatform.api.access.Grant.at("denver", org.dmiplatform.api.access.Role.SITE_ADMIN),
                org.dmiplatform.api.access.Grant.at("chicago", org.dmiplatform.api.access.Role.POLICE));
        Report theirs = HealthRoutes.details(report, denverAdmin);
        assertEquals(List.of(denver), theirs.sites());
        assertEquals(List.of("node-a", "node-b"), theirs.nodes());
    }

    private static org.dmiplatform.api.access.User user(org.dmiplatform.api.access.Grant... grants) {
        return new org.dmiplatform.api.access.User(
                1, "someone", "", List.of(grants), true, false, java.time.Instant.EPOCH);
    }

    private static byte[] body(Reply reply) {
        return ((Reply.Raw) reply.body()).bytes();
    }
}
