package org.dmiplatform.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import org.dmiplatform.api.PlatformHealth;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;

/**
 * {@code GET /health}: open to anyone, for load balancers, monitors and {@code ./dmi}; 503 while DOWN. It says whether
 * the platform serves and how many sites it has, never which: the sites, their plug-ins and what keeps them from
 * working, the version and the nodes are in {@code GET /health/details}, for the TTA team and, of their own sites, the
 * sites' administrators.
 */
final class HealthRoutes {
    /** What anyone may know: whether it serves, why not, and counts of sites. */
    record Summary(
            PlatformHealth.Status status,
            boolean starting,
            List<String> problems,
            int sites,
            int sitesWithoutPlugIns,
            int sitesWithProblems) {
        static Summary of(PlatformHealth.Report report) {
            return new Summary(
                    report.status(),
                    report.starting(),
                    report.problems(),
                    report.sites().size(),
                    (int) report.sites().stream()
                            .filter(s -> s.plugins().isEmpty())
                            .count(),
                    (int) report.sites().stream()
                            .filter(s -> !s.problems().isEmpty())
                            .count());
        }
    }

    private final PlatformHealth health;

    /** The last report and its summary's JSON: load balancers ask often, and a report is kept for its second. */
    private record Written(PlatformHealth.Report report, byte[] json) {}

    private volatile Written last;

    HealthRoutes(PlatformHealth health) {
        this.health = health;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", Api.HEALTH, Guard.PUBLIC, null, call -> {
                    PlatformHealth.Report report = health.check();
                    Written written = last;
                    if (written == null || written.report() != report) {
                        written = new Written(report, json(Summary.of(report)));
                        last = written;
                    }
                    return new Reply(
                            report.status() == PlatformHealth.Status.UP ? 200 : 503,
                            new Reply.Raw("application/json; charset=utf-8", written.json()),
                            List.of());
                }),
                Route.of(
                        "GET",
                        Api.HEALTH + "/details",
                        Guard.roles(Role.TTA_ADMIN, Role.TTA_STAFF, Role.SITE_ADMIN),
                        null,
                        call -> Reply.ok(details(health.check(), call.user()))));
    }

    /** The whole report for the TTA team; a site administrator's own sites only. */
    static PlatformHealth.Report details(PlatformHealth.Report report, User user) {
        if (user.isNational()) {
            return report;
        }
        return new PlatformHealth.Report(
                report.status(),
                report.starting(),
                report.version(),
                report.problems(),
                report.storage(),
                report.sites().stream()
                        .filter(s -> user.holdsAt(s.id(), Role.SITE_ADMIN))
                        .toList(),
                report.node(),
                report.nodes());
    }

    private static byte[] json(Summary summary) {
        try {
            return Json.MAPPER.writeValueAsBytes(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the health report", e);
        }
    }
}
