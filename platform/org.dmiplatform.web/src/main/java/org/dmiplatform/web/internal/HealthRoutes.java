package org.dmiplatform.web.internal;

import java.util.List;
import org.dmiplatform.api.PlatformHealth;

/** {@code GET /health}: open to anyone, for load balancers and site IT; 503 while DOWN. */
final class HealthRoutes {
    private final PlatformHealth health;

    HealthRoutes(PlatformHealth health) {
        this.health = health;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", Api.HEALTH, Guard.PUBLIC, null, call -> {
            PlatformHealth.Report report = health.check();
            return new Reply(report.status() == PlatformHealth.Status.UP ? 200 : 503, report, List.of());
        }));
    }
}
