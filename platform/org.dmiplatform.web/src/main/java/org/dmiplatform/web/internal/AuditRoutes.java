package org.dmiplatform.web.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;

/** Reading the audit log: TTA administrators all of it, site administrators their own site's entries. */
final class AuditRoutes {
    private final AuditLog audit;

    AuditRoutes(AuditLog audit) {
        this.audit = audit;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/audit", Guard.roles(Role.TTA_ADMIN, Role.SITE_ADMIN), "audit.read", this::recent),
                Route.of(
                        "GET",
                        "/audit/verify",
                        Guard.roles(Role.TTA_ADMIN),
                        "audit.verify",
                        call -> Reply.ok(audit.verify())));
    }

    private Reply recent(Call call) {
        User user = call.user();
        Optional<String> site = call.request.query("site");
        if (!user.holds(Role.TTA_ADMIN)) {
            boolean administers = site.isPresent() && user.grants().contains(Grant.at(site.get(), Role.SITE_ADMIN));
            if (!administers) {
                throw ApiException.forbidden(
                        "a site administrator reads the audit log of their own site: add ?site=<your site>");
            }
        }
        int limit = call.request.query("limit").map(AuditRoutes::number).orElse(100);
        return Reply.ok(Map.of("entries", audit.recent(site, call.request.query("action"), limit)));
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "limit must be a number",
                    List.of(org.dmiplatform.api.InputError.of("query", "limit", "'" + text + "' is not a number")));
        }
    }
}
