package org.dmiplatform.web.internal;

import java.util.List;
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
        int limit = (int) Math.max(
                1,
                Math.min(
                        1000,
                        call.request.query("limit").map(AuditRoutes::number).orElse(100L)));
        Optional<org.dmiplatform.api.access.AuditOutcome> outcome = call.request
                .query("outcome")
                .filter(o -> !o.isBlank())
                .map(o -> java.util.Arrays.stream(org.dmiplatform.api.access.AuditOutcome.values())
                        .filter(v -> v.name().equalsIgnoreCase(o.strip()))
                        .findFirst()
                        .orElseThrow(() -> ApiException.badRequest(
                                "outcome is success, failure or denied",
                                List.of(org.dmiplatform.api.InputError.of(
                                        "query", "outcome", "'" + o + "' is not success, failure or denied")))));
        List<org.dmiplatform.api.access.AuditEntry> entries = audit.search(new AuditLog.Query(
                site,
                text(call, "action"),
                text(call, "actor"),
                outcome,
                call.request.query("from").filter(t -> !t.isBlank()).map(t -> instant("from", t)),
                call.request.query("to").filter(t -> !t.isBlank()).map(t -> instant("to", t)),
                call.request.query("before").filter(t -> !t.isBlank()).map(AuditRoutes::number),
                limit));
        // the next page: the entries before the last one shown, when this page is full
        Optional<Long> next = entries.size() == limit
                ? Optional.of(entries.get(entries.size() - 1).id())
                : Optional.empty();
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("entries", entries);
        next.ifPresent(id -> body.put("next", id));
        return Reply.ok(body);
    }

    private static Optional<String> text(Call call, String name) {
        return call.request.query(name).map(String::strip).filter(t -> !t.isEmpty());
    }

    /** An instant ({@code 2026-11-20T15:00:00Z}) or a day, from its start in UTC ({@code 2026-11-20}). */
    private static java.time.Instant instant(String field, String text) {
        try {
            String t = text.strip();
            return t.length() == 10
                    ? java.time.LocalDate.parse(t)
                            .atStartOfDay(java.time.ZoneOffset.UTC)
                            .toInstant()
                    : java.time.OffsetDateTime.parse(t).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest(
                    field + " is a day (2026-11-20) or an instant (2026-11-20T15:00:00Z)",
                    List.of(org.dmiplatform.api.InputError.of(
                            "query", field, "'" + text + "' is not a day or an instant")));
        }
    }

    static long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "limit and before are whole numbers",
                    List.of(org.dmiplatform.api.InputError.of("query", "", "'" + text + "' is not a whole number")));
        }
    }
}
