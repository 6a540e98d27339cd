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
        assertEquals(Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(current.get())), json);
        assertEquals("application/json; charset=utf-8", ((Reply.Raw) down.body()).contentType());
    }

    private static byte[] body(Reply reply) {
        return ((Reply.Raw) reply.body()).bytes();
    }
}
