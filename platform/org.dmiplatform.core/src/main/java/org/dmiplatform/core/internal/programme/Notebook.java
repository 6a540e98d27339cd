package org.dmiplatform.core.internal.programme;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dmiplatform.api.programme.Market;

/**
 * The three-ring notebook on a call-in candidate (Step 7b): everything the reader may read on the person, on one page
 * to print and take to the call-in. Every text is escaped; the page runs no script.
 */
final class Notebook {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final StringBuilder html = new StringBuilder(8192);
    private final ZoneId zone;

    private Notebook(ZoneId zone) {
        this.zone = zone;
    }

    static String html(Market.Person p, Map<Long, String> addresses, ZoneId zone) {
        Notebook n = new Notebook(zone);
        n.page(p, addresses, java.util.Optional.empty());
        return n.html.toString();
    }

    /** The copy given out: it says, under the name, to whom it was given, by whom, when and why (28 CFR 23.20(g)). */
    static String copy(
            Market.Person p, Map<Long, String> addresses, ZoneId zone, Market.Release release, String by, Instant at) {
        Notebook n = new Notebook(zone);
        n.page(
                p,
                addresses,
                java.util.Optional.of("Copy given to " + release.recipient() + " by " + by + " on " + n.at(at)
                        + ", for: " + release.reason() + ". Recorded in the dissemination log; not to be passed on."));
        return n.html.toString();
    }

    private void page(Market.Person p, Map<Long, String> addresses, java.util.Optional<String> given) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Notebook: ")
                .append(esc(p.name()))
                .append("</title><style>body{font-family:Georgia,serif;max-width:46em;margin:2em auto;line-height:1.4}"
                        + "h1{margin-bottom:0}h2{border-bottom:1px solid #999;margin-top:1.4em;page-break-after:avoid}"
                        + "table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:2px 6px;"
                        + "text-align:left;vertical-align:top}.warn{border:2px solid #222;padding:.4em .8em}"
                        + "section{page-break-inside:avoid}</style></head><body>\n");
        html.append("<h1>").append(esc(p.name())).append("</h1>\n");
        given.ifPresent(g -> html.append("<p class=\"warn\">").append(esc(g)).append("</p>\n"));
        html.append("<p class=\"warn\">Police intelligence for the call-in (Step 7b), under 28 CFR Part 23: kept by"
                + " the team, not copied or passed on; destroyed after the call-in's follow-up. Times at the site ("
                + esc(zone.getId()) + ").</p>\n");
        html.append("<h2>Decision and call-in</h2><p>Decision: ")
                .append(esc(label(p.decision().name())))
                .append(". Call-in: ")
                .append(p.callIn()
                        .map(a -> (a.invited() ? "invited" : "not invited") + (a.attended() ? ", came" : ""))
                        .orElse("not invited"))
                .append(".</p>\n");
        p.intelligence().ifPresent(i -> intelligence(i, addresses));
        if (!p.influentials().isEmpty()) {
            section("Influentials");
            table(
                    List.of("Name", "Relationship", "Contacted", "Outcome"),
                    p.influentials().stream()
                            .map(x -> List.of(
                                    x.name(),
                                    x.relationship(),
                                    x.contactedOn().map(Object::toString).orElse("not yet"),
                                    x.outcome()))
                            .toList());
        }
        // referrals to services are never in it: treatment information is not police intelligence (42 CFR Part 2)
        html.append("</body></html>\n");
    }

    private void intelligence(Market.Intelligence i, Map<Long, String> addresses) {
        section("Who");
        html.append("<table>");
        row("Alias", i.alias());
        row("Level", label(i.level().name()) + (i.active() ? ", active" : ", not active"));
        row("Violence", i.violenceHistory() ? "history of violence: " + i.violenceNote() : "none known");
        row("Pending charges", i.pendingCharges().isEmpty() ? "none recorded" : i.pendingCharges());
        row("Entered", "by " + i.enteredBy() + " on " + at(i.enteredAt()) + "; review due " + i.reviewDue());
        row("Justification", i.justification());
        row("Source", i.source());
        html.append("</table>\n");
        if (!i.incidentNotes().isEmpty()) {
            section("Incident review (Step 3)");
            table(
                    List.of("Reviewed", "Note", "By"),
                    i.incidentNotes().stream()
                            .map(n -> List.of(n.reviewedOn().toString(), n.note(), n.recordedBy()))
                            .toList());
        }
        if (!i.addresses().isEmpty()) {
            section("Addresses");
            table(
                    List.of("Address", "How"),
                    i.addresses().stream()
                            .map(a -> List.of(addresses.getOrDefault(a.address(), "#" + a.address()), a.relation()))
                            .toList());
        }
        section("Decisions, as made");
        table(
                List.of("Decision", "Criteria", "By", "When"),
                i.decisions().stream()
                        .map(d -> List.of(label(d.decision().name()), d.criteria(), d.decidedBy(), at(d.decidedAt())))
                        .toList());
        if (!i.bankedCases().isEmpty()) {
            section("Banked cases (Step 4)");
            table(
                    List.of("Buys", "Evidence", "Warrant", "Deadline", "Status"),
                    i.bankedCases().stream()
                            .map(b -> List.of(
                                    String.valueOf(b.buys()),
                                    b.evidence(),
                                    b.warrant(),
                                    b.deadline().toString(),
                                    label(b.status().name())))
                            .toList());
        }
        if (!i.violations().isEmpty()) {
            section("Violations after the call-in (Step 8)");
            table(
                    List.of("On", "What", "Action taken"),
                    i.violations().stream()
                            .map(v -> List.of(v.occurredOn().toString(), v.description(), v.action()))
                            .toList());
        }
    }

    private void section(String heading) {
        html.append("<h2>").append(esc(heading)).append("</h2>\n");
    }

    private void row(String name, String value) {
        html.append("<tr><th>")
                .append(esc(name))
                .append("</th><td>")
                .append(esc(value))
                .append("</td></tr>");
    }

    private void table(List<String> headers, List<List<String>> rows) {
        html.append("<table><tr>");
        headers.forEach(h -> html.append("<th>").append(esc(h)).append("</th>"));
        html.append("</tr>");
        for (List<String> r : rows) {
            html.append("<tr>");
            r.forEach(cell -> html.append("<td>").append(esc(cell)).append("</td>"));
            html.append("</tr>");
        }
        html.append("</table>\n");
    }

    private String at(Instant instant) {
        return AT.format(instant.atZone(zone));
    }

    private static String label(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String esc(String text) {
        return LetterTemplate.escape(text == null ? "" : text);
    }
}
