package org.dmiplatform.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.MarketAlerts;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.reporting.OutcomeReport;
import org.dmiplatform.api.reporting.OutcomeRequest;
import org.dmiplatform.api.reporting.Reporting;

/** A site's reports, through the reporting plug-in bound to it: an intervention's outcome evaluation. */
final class ReportRoutes {
    record Acknowledgement(String note) {}

    private final Sites sites;
    private final MarketAlerts alerts;

    ReportRoutes(Sites sites, MarketAlerts alerts) {
        this.sites = sites;
        this.alerts = alerts;
    }

    List<Route> routes() {
        // those who read the site's records; the records store checks each count again, as the caller
        Guard analysts = Guard.site(Role.POLICE, Role.SITE_ADMIN, Role.RESEARCH, Role.POC, Role.PROSECUTOR);
        return List.of(
                Route.of(
                        "GET",
                        ProgrammeRoutes.INTERVENTION + "/reports/outcome",
                        analysts,
                        "report.outcome",
                        this::outcome),
                Route.of("GET", ProgrammeRoutes.INTERVENTION + "/reports/watch", analysts, "report.watch", call -> {
                    Site site = site(call);
                    return Reply.ok(reporting(site).watch(site, call.idParam("intervention"), call.caller()));
                }),
                Route.of(
                        "GET",
                        "/sites/{site}/alerts",
                        Guard.anyoneAtSite(),
                        null,
                        call -> Reply.ok(Map.of("alerts", alerts.alerts(call.param("site"), call.caller())))),
                Route.of(
                        "POST",
                        "/sites/{site}/alerts/{alert}/acknowledged",
                        Guard.anyoneAtSite(),
                        null,
                        call -> Reply.ok(alerts.acknowledge(
                                call.param("site"),
                                call.idParam("alert"),
                                call.body(Acknowledgement.class).note(),
                                call.caller()))),
                Route.of(
                        "GET",
                        "/alerts/open",
                        Guard.roles(Role.TTA_ADMIN, Role.TTA_STAFF),
                        null,
                        call -> Reply.ok(Map.of("openBySite", alerts.openBySite(call.caller())))));
    }

    private Site site(Call call) {
        return sites.find(call.param("site"))
                .orElseThrow(() -> new NoSuchElementException("no site '" + call.param("site") + "'"));
    }

    private Reporting reporting(Site site) {
        return sites.plugin(site.id(), Reporting.class)
                .orElseThrow(() -> new ApiException(
                        409,
                        "No reporting plug-in",
                        "site " + site.id() + " has no reporting plug-in bound; its site IT installs one (feature"
                                + " dmi-reporting-standard) and provisions it",
                        List.of(),
                        false));
    }

    /**
     * {@code ?before=12&after=12} (months), {@code category=drug,weapons}, {@code kind=incident,call-for-service},
     * {@code format=json|csv}.
     */
    private Reply outcome(Call call) {
        Site site = site(call);
        Reporting reporting = reporting(site);
        OutcomeRequest request = new OutcomeRequest(
                months(call, "before"),
                months(call, "after"),
                RecordRoutes.ids(call, "category", Category.class),
                RecordRoutes.ids(call, "kind", RecordKind.class));
        long id = call.idParam("intervention");
        OutcomeReport report = reporting.outcome(site, id, request, call.caller());
        String format = call.request.query("format").orElse("json").toLowerCase(Locale.ROOT);
        return switch (format) {
            case "json" -> Reply.ok(report);
            case "csv" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    reporting.write(report, Reporting.ReportFormat.CSV, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                yield Reply.raw(Reporting.ReportFormat.CSV.mediaType(), out.toByteArray())
                        .withHeader(
                                "Content-Disposition",
                                "attachment; filename=\"" + site.id() + "-intervention-" + id + "-outcome.csv\"");
            }
            default -> throw RecordRoutes.bad("format", "'" + format + "' is not one of json, csv");
        };
    }

    private static int months(Call call, String field) {
        String text = call.request.query(field).orElse("").strip();
        if (text.isEmpty()) {
            return OutcomeRequest.DEFAULT_MONTHS;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RecordRoutes.bad(field, "'" + text + "' is not a number of months");
        }
    }
}
