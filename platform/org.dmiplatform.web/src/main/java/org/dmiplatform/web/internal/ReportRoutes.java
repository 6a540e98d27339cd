package org.dmiplatform.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.MarketAlerts;
import org.dmiplatform.api.programme.PerformanceMeasures;
import org.dmiplatform.api.programme.ProcessReports;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.reporting.OutcomeReport;
import org.dmiplatform.api.reporting.OutcomeRequest;
import org.dmiplatform.api.reporting.Reporting;

/** A site's reports, through the reporting plug-in bound to it: an intervention's outcome evaluation. */
final class ReportRoutes {
    /** An outcome report's HTML page: inline style and inline pictures, nothing run, nothing loaded, not framed. */
    static final String DOCUMENT_CSP =
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

    record Acknowledgement(String note) {}

    private final Sites sites;
    private final MarketAlerts alerts;
    private final PerformanceMeasures performance;
    private final ProcessReports processReports;

    ReportRoutes(Sites sites, MarketAlerts alerts, PerformanceMeasures performance, ProcessReports processReports) {
        this.sites = sites;
        this.alerts = alerts;
        this.performance = performance;
        this.processReports = processReports;
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
                                this::outcome)
                        .runnable(),
                Route.of("GET", ProgrammeRoutes.INTERVENTION + "/reports/watch", analysts, "report.watch", call -> {
                            Site site = site(call);
                            return Reply.ok(reporting(site).watch(site, call.idParam("intervention"), call.caller()));
                        })
                        .runnable(),
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
                                ProgrammeRoutes.INTERVENTION + "/reports/process",
                                Guard.anyoneAtSite(),
                                "report.process",
                                call -> Reply.ok(processReports.process(
                                        call.param("site"), call.idParam("intervention"), call.caller())))
                        .runnable(),
                Route.of(
                        "GET",
                        "/performance",
                        Guard.roles(Role.TTA_ADMIN, Role.TTA_STAFF),
                        // PerformanceMeasures audits the quarter read
                        null,
                        this::performance),
                Route.of(
                        "GET",
                        "/alerts/open",
                        Guard.roles(Role.TTA_ADMIN, Role.TTA_STAFF),
                        null,
                        call -> Reply.ok(Map.of("openBySite", alerts.openBySite(call.caller())))));
    }

    /** {@code ?quarter=2026-Q3&format=json|csv}: the cross-site measures of a quarter, small counts suppressed. */
    private Reply performance(Call call) {
        String quarter = call.request
                .query("quarter")
                .orElseThrow(() -> RecordRoutes.bad("quarter", "give the quarter, such as 2026-Q3"));
        PerformanceMeasures.Quarter q = performance.quarter(quarter, call.caller());
        String format = call.request.query("format").orElse("json").toLowerCase(Locale.ROOT);
        if (format.equals("json")) {
            return Reply.ok(q);
        }
        if (!format.equals("csv")) {
            throw RecordRoutes.bad("format", "'" + format + "' is not one of json, csv");
        }
        // one row a site and measure, the shape of federal performance-measurement uploads
        StringBuilder csv = new StringBuilder(
                "reporting_period,period_start,period_end,site,site_name,cohort,measure_id,measure,value\r\n");
        for (PerformanceMeasures.SiteMeasures site : q.sites()) {
            for (int i = 0; i < q.measures().size(); i++) {
                PerformanceMeasures.Measure measure = q.measures().get(i);
                csv.append(String.join(
                                ",",
                                cell(q.period()),
                                q.from().toString(),
                                q.until().minusDays(1).toString(),
                                cell(site.site()),
                                cell(site.name()),
                                cell(site.cohort()),
                                cell(measure.id()),
                                cell(measure.label()),
                                site.values()
                                        .get(i)
                                        .count()
                                        .map(String::valueOf)
                                        .orElse("suppressed (<5)")))
                        .append("\r\n");
            }
        }
        return Reply.raw("text/csv; charset=utf-8", csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .withHeader("Content-Disposition", "attachment; filename=\"dmi-performance-" + q.period() + ".csv\"");
    }

    /** RFC 4180 quoting, and text a spreadsheet would run as a formula defused with an apostrophe. */
    static String cell(String value) {
        String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\""
                : v;
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
     * {@code format=json|csv|html|pdf}.
     */
    private Reply outcome(Call call) {
        Site site = site(call);
        String format = call.request.query("format").orElse("json").toLowerCase(Locale.ROOT);
        Optional<Reporting.ReportFormat> document = Arrays.stream(Reporting.ReportFormat.values())
                .filter(f -> f.extension().equals(format))
                .findFirst();
        if (document.isEmpty() && !format.equals("json")) {
            throw RecordRoutes.bad("format", "'" + format + "' is not one of json, csv, html, pdf");
        }
        Reporting reporting = reporting(site);
        OutcomeRequest request = new OutcomeRequest(
                months(call, "before"),
                months(call, "after"),
                RecordRoutes.ids(call, "category", Category.class),
                RecordRoutes.ids(call, "kind", RecordKind.class));
        long id = call.idParam("intervention");
        OutcomeReport report = reporting.outcome(site, id, request, call.caller());
        if (document.isEmpty()) {
            return Reply.ok(report);
        }
        Reporting.ReportFormat f = document.get();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            reporting.write(site, report, f, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String file = site.id() + "-intervention-" + id + "-outcome." + f.extension();
        Reply reply = Reply.raw(f.mediaType(), out.toByteArray())
                .withHeader(
                        "Content-Disposition",
                        (f == Reporting.ReportFormat.CSV ? "attachment" : "inline") + "; filename=\"" + file + "\"");
        // the page carries its charts as pictures and its style inline; it runs nothing and loads nothing
        return f == Reporting.ReportFormat.HTML ? reply.withHeader("Content-Security-Policy", DOCUMENT_CSP) : reply;
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
