package org.dmiplatform.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import org.dmiplatform.api.PlatformHealth;

/** {@code GET /health}: open to anyone, for load balancers and site IT; 503 while DOWN. */
final class HealthRoutes {
    private final PlatformHealth health;

    /** The last report and its JSON: load balancers ask often, and a report is kept for its second. */
    private record Written(PlatformHealth.Report report, byte[] json) {}

    private volatile Written last;

    HealthRoutes(PlatformHealth health) {
        this.health = health;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", Api.HEALTH, Guard.PUBLIC, null, call -> {
            PlatformHealth.Report report = health.check();
            Written written = last;
            if (written == null || written.report() != report) {
                written = new Written(report, json(report));
                last = written;
            }
            return new Reply(
                    report.status() == PlatformHealth.Status.UP ? 200 : 503,
                    new Reply.Raw("application/json; charset=utf-8", written.json()),
                    List.of());
        }));
    }

    private static byte[] json(PlatformHealth.Report report) {
        try {
            return Json.MAPPER.writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the health report", e);
        }
    }
}
