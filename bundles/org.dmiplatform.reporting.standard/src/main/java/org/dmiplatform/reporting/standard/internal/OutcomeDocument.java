package org.dmiplatform.reporting.standard.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.programme.Programme.AreaKind;
import org.dmiplatform.api.reporting.OutcomeReport;
import org.dmiplatform.api.store.RecordQuery;
import org.jfree.chart.ChartUtils;

/**
 * The outcome report as a document for people: one XHTML page, the same for the HTML answer and the PDF. The figures
 * come from the report alone (nothing is recomputed here); every text is escaped; the page has no script and loads
 * nothing (charts are inline pictures in HTML and vector drawings in the PDF).
 */
final class OutcomeDocument {
    /** How a chart is placed: as a PNG inside the page, or as an object the PDF renderer draws. */
    enum Charts {
        PICTURES,
        DRAWINGS
    }

    static final String CHART_OBJECT_TYPE = "application/x-dmi-chart";

    private static final String STYLE =
            """
            @page { size: letter; margin: 18mm 16mm 20mm 16mm;
              @bottom-right { content: "page " counter(page) " of " counter(pages); font: 8pt 'DejaVu Sans'; } }
            body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; line-height: 1.4; color: #222;
              max-width: 60em; margin: 1em auto; padding: 0 1em; }
            h1 { font-size: 17pt; margin: 0 0 .2em; }
            h2 { font-size: 13pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #ccc; page-break-after: avoid; }
            p.meta { color: #555; margin: 0 0 1em; }
            table { border-collapse: collapse; margin: .4em 0 1em; page-break-inside: auto; }
            th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
            td.n, th.n { text-align: right; }
            tr { page-break-inside: avoid; }
            figure { margin: .6em 0 1.2em; page-break-inside: avoid; }
            figcaption { font-size: 9pt; color: #555; }
            .missing { border-left: 4px solid #b9770e; background: #fdf2e9; padding: .4em .8em; }
            .small { font-size: 8.5pt; color: #555; }
            """;

    private final StringBuilder html = new StringBuilder(32_768);
    private final Charts charts;
    private final Map<String, OutcomeCharts.Figure> figures = new LinkedHashMap<>();

    private OutcomeDocument(Charts charts) {
        this.charts = charts;
    }

    /** The page, and the charts it places by id (which the PDF renderer draws). */
    record Page(String xhtml, Map<String, OutcomeCharts.Figure> figures) {}

    static Page write(
            Site site,
            OutcomeReport r,
            Map<AreaKind, List<RecordQuery.Polygon>> outlines,
            Instant made,
            Charts charts) {
        OutcomeDocument d = new OutcomeDocument(charts);
        d.page(site, r, outlines, made);
        return new Page(d.html.toString(), Map.copyOf(d.figures));
    }

    static String areaName(AreaKind kind) {
        return switch (kind) {
            case TARGET -> "target";
            case COMPARISON -> "comparison";
            case BUFFER -> "buffer";
        };
    }

    private void page(Site site, OutcomeReport r, Map<AreaKind, List<RecordQuery.Polygon>> outlines, Instant made) {
        ZoneId zone = site.timeZone();
        String title = "Outcome evaluation: " + r.name();
        html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>")
                .append("<meta charset=\"utf-8\"/><meta name=\"subject\" content=\"")
                .append(esc(
                        "The outcome evaluation of an intervention of the Drug Market Intervention at " + site.name()
                                + ": records in its target, comparison and buffer areas before and after the call-in"))
                .append("\"/><meta name=\"description\" content=\"")
                .append(esc(
                        "The outcome evaluation of an intervention of the Drug Market Intervention at " + site.name()))
                .append("\"/><title>")
                .append(esc(title))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n");
        html.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"meta\">");
        html.append(esc(site.name())).append(" · intervention ").append(r.intervention());
        r.callIn().ifPresent(day -> html.append(" · call-in ").append(day));
        r.before().ifPresent(w -> html.append(" · before: ")
                .append(w.from())
                .append(" to ")
                .append(w.until().minusDays(1)));
        r.after().ifPresent(w -> html.append(" · after: ")
                .append(w.from())
                .append(" to ")
                .append(w.until().minusDays(1)));
        html.append("<br/>Made ")
                .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
                        .format(made.atZone(zone)))
                .append(" (")
                .append(esc(zone.getId()))
                .append("). Counts are of records by when they occurred in the site's time zone; the report names no"
                        + " person.</p>\n");
        if (!r.notComputed().isEmpty()) {
            html.append("<div class=\"missing\"><strong>Missing, or not computed</strong><ul>");
            r.notComputed().forEach(n -> html.append("<li>").append(esc(n)).append("</li>"));
            html.append("</ul></div>\n");
        }
        summary(r);
        OutcomeCharts.areas(outlines).ifPresent(f -> section("The areas", f));
        OutcomeCharts.beforeAfter(r).ifPresent(f -> section("Before and after the call-in", f));
        counts(r);
        OutcomeCharts.series(r, zone).ifPresent(f -> section("Month by month", f));
        comparisons(r);
        timeSeries(r, zone);
        months(r);
        html.append("<h2>How the figures are made</h2><p class=\"small\">")
                .append("Windows are whole days in the site's time zone: before = [call-in − m months, call-in),"
                        + " after = [call-in, call-in + m months). Percent change compares records a month. The rate"
                        + " ratio is (target after / before) / (comparison after / before) with a 95% Wald interval on"
                        + " the log scale. The weighted displacement quotient is Bowers and Johnson's (2003); the"
                        + " weighted displacement difference Wheeler and Ratcliffe's (2018), the before counts"
                        + " weighted to the after window's length. The time series is a segmented Poisson"
                        + " regression of the target area's whole months (the call-in's month left out), its"
                        + " standard errors scaled by the Pearson dispersion when above 1.")
                .append("</p>\n</body></html>\n");
    }

    private void summary(OutcomeReport r) {
        List<String> lines = new ArrayList<>();
        for (OutcomeReport.AreaCounts a : r.areas()) {
            StringBuilder line = new StringBuilder("The ")
                    .append(areaName(a.area()))
                    .append(" area: ")
                    .append(a.before())
                    .append(" records before, ")
                    .append(a.after())
                    .append(" after");
            a.percentChange()
                    .ifPresent(p -> line.append(", ").append(percent(p)).append(" a month"));
            lines.add(line.append('.').toString());
        }
        r.rateRatio()
                .ifPresent(x -> lines.add("Difference in differences: rate ratio " + num(x.ratio()) + " (95% CI "
                        + num(x.low()) + " to " + num(x.high()) + "): "
                        + (x.high() < 1
                                ? "the target area fell more, or rose less, than the comparison area, beyond chance."
                                : x.low() > 1
                                        ? "the target area rose more, or fell less, than the comparison area, beyond"
                                                + " chance."
                                        : "the interval includes 1: no difference from the comparison area beyond"
                                                + " chance.")));
        r.displacementQuotient()
                .ifPresent(q -> lines.add("Weighted displacement quotient"
                        + q.quotient().map(v -> " " + num(v)).orElse("") + ": " + q.reading()));
        r.displacementDifference()
                .ifPresent(d -> lines.add("Weighted displacement difference: " + num(d.total()) + " records (z "
                        + num(d.z()) + ", 95% CI " + num(d.low()) + " to " + num(d.high()) + ")."));
        r.timeSeries()
                .ifPresent(ts -> lines.add("Time series: level at the call-in × "
                        + num(ts.levelChange().rateRatio())
                        + " (95% CI " + num(ts.levelChange().low()) + " to "
                        + num(ts.levelChange().high())
                        + "), monthly trend after it × " + num(ts.trendChange().rateRatio()) + " (95% CI "
                        + num(ts.trendChange().low()) + " to "
                        + num(ts.trendChange().high()) + ")."));
        if (lines.isEmpty()) {
            return;
        }
        html.append("<h2>In short</h2><ul>");
        lines.forEach(l -> html.append("<li>").append(esc(l)).append("</li>"));
        html.append("</ul>\n");
    }

    private void counts(OutcomeReport r) {
        if (r.areas().isEmpty()) {
            return;
        }
        html.append("<h2>Records by area and category</h2><table><thead><tr><th>area</th><th>category</th>")
                .append("<th class=\"n\">before</th><th class=\"n\">after</th>")
                .append("<th class=\"n\">change a month</th></tr></thead><tbody>");
        for (OutcomeReport.AreaCounts a : r.areas()) {
            row(
                    "<strong>" + esc(areaName(a.area())) + "</strong>",
                    "all",
                    Long.toString(a.before()),
                    Long.toString(a.after()),
                    a.percentChange().map(OutcomeDocument::percent).orElse("–"));
            for (OutcomeReport.CategoryCounts c : a.categories()) {
                row(
                        "",
                        esc(c.category().id()),
                        Long.toString(c.before()),
                        Long.toString(c.after()),
                        c.percentChange().map(OutcomeDocument::percent).orElse("–"));
            }
        }
        html.append("</tbody></table>\n");
    }

    private void comparisons(OutcomeReport r) {
        if (r.rateRatio().isEmpty()
                && r.displacementQuotient().isEmpty()
                && r.displacementDifference().isEmpty()) {
            return;
        }
        html.append("<h2>Against the comparison area, and next door</h2><table><thead><tr><th>measure</th>")
                .append("<th class=\"n\">value</th><th class=\"n\">95% interval</th><th>note</th></tr></thead><tbody>");
        r.rateRatio()
                .ifPresent(x -> row(
                        "difference in differences (rate ratio)",
                        num(x.ratio()),
                        num(x.low()) + " to " + num(x.high()),
                        "below 1: the target fell more (or rose less) than the comparison area"));
        r.displacementQuotient().ifPresent(q -> {
            row("success measure (Ra/Ca − Rb/Cb)", num(q.success()), "", "");
            row("buffer change (Ba/Ca − Bb/Cb)", num(q.bufferChange()), "", "");
            row(
                    "weighted displacement quotient",
                    q.quotient().map(OutcomeDocument::num).orElse("–"),
                    "",
                    esc(q.reading()));
        });
        r.displacementDifference().ifPresent(d -> {
            row("local effect (T1 − T0) − (C1 − C0)", num(d.local()), "", "SE " + num(d.localStandardError()));
            row("displacement B1 − B0", num(d.displacement()), "", "SE " + num(d.displacementStandardError()));
            row(
                    "weighted displacement difference",
                    num(d.total()),
                    num(d.low()) + " to " + num(d.high()),
                    "SE " + num(d.totalStandardError()) + ", z " + num(d.z()));
        });
        html.append("</tbody></table>\n");
    }

    private void timeSeries(OutcomeReport r, ZoneId zone) {
        if (r.timeSeries().isEmpty()) {
            return;
        }
        OutcomeReport.SegmentedRegression ts = r.timeSeries().get();
        html.append("<h2>Interrupted time series</h2>");
        OutcomeCharts.regression(r, zone).ifPresent(this::figure);
        html.append("<table><thead><tr><th>term</th><th class=\"n\">rate ratio</th>")
                .append("<th class=\"n\">95% interval</th><th class=\"n\">coefficient (SE)</th></tr></thead><tbody>");
        effect("trend before the call-in, a month", ts.trendBefore());
        effect("level change at the call-in", ts.levelChange());
        effect("change in the trend after it, a month", ts.trendChange());
        html.append("</tbody></table><p class=\"small\">")
                .append(ts.months())
                .append(" months fitted")
                .append(ts.seasonal() ? ", with yearly terms" : "")
                .append("; dispersion ")
                .append(num(ts.dispersion()))
                .append(ts.dispersion() > 1 ? " (standard errors scaled by it)" : " (Poisson standard errors)")
                .append(".</p>\n");
    }

    private void effect(String term, OutcomeReport.Effect e) {
        row(
                term,
                num(e.rateRatio()),
                num(e.low()) + " to " + num(e.high()),
                num(e.coefficient()) + " (" + num(e.standardError()) + ")");
    }

    private void months(OutcomeReport r) {
        if (r.months().isEmpty()) {
            return;
        }
        html.append("<h2>The months</h2><table><thead><tr><th>month</th><th>period</th>")
                .append("<th class=\"n\">target</th><th class=\"n\">comparison</th><th class=\"n\">buffer</th>")
                .append("</tr></thead><tbody>");
        for (OutcomeReport.Month m : r.months()) {
            row(
                    m.month().toString(),
                    esc(m.period()),
                    m.target().map(String::valueOf).orElse("–"),
                    m.comparison().map(String::valueOf).orElse("–"),
                    m.buffer().map(String::valueOf).orElse("–"));
        }
        html.append("</tbody></table>\n");
    }

    private void section(String heading, OutcomeCharts.Figure figure) {
        html.append("<h2>").append(esc(heading)).append("</h2>");
        figure(figure);
    }

    private void figure(OutcomeCharts.Figure f) {
        html.append("<figure>");
        if (charts == Charts.PICTURES) {
            html.append("<img src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png(f)))
                    .append("\" width=\"")
                    .append(f.width())
                    .append("\" height=\"")
                    .append(f.height())
                    .append("\" alt=\"")
                    .append(esc(f.caption()))
                    .append("\"/>");
        } else {
            figures.put(f.id(), f);
            html.append("<object type=\"")
                    .append(CHART_OBJECT_TYPE)
                    .append("\" data-chart=\"")
                    .append(f.id())
                    .append("\" alt=\"")
                    .append(esc(f.caption()))
                    .append("\" style=\"width: ")
                    .append(f.width())
                    .append("px; height: ")
                    .append(f.height())
                    .append("px; display: block;\"></object>");
        }
        html.append("<figcaption>").append(esc(f.caption())).append("</figcaption></figure>\n");
    }

    /** Drawn at twice its size, for sharp print and high-density screens. */
    static byte[] png(OutcomeCharts.Figure f) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeScaledChartAsPNG(out, f.chart(), f.width(), f.height(), 2, 2);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A row of cells already escaped (or made of numbers). */
    private void row(String... cells) {
        html.append("<tr>");
        for (int i = 0; i < cells.length; i++) {
            boolean number = i > 0 && !cells[i].isEmpty() && isNumeric(cells[i]);
            html.append(number ? "<td class=\"n\">" : "<td>").append(cells[i]).append("</td>");
        }
        html.append("</tr>");
    }

    private static boolean isNumeric(String cell) {
        char c = cell.charAt(0);
        return Character.isDigit(c) || c == '-' || c == '+' || c == '–';
    }

    /**
     * Four significant digits (whole numbers from 1,000 on), as people read them; the CSV and JSON carry full
     * precision.
     */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return new java.math.BigDecimal(v)
                .round(new java.math.MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
    }

    static String percent(double p) {
        if (!Double.isFinite(p)) {
            return "–";
        }
        return (p > 0 ? "+" : "") + String.format(Locale.ROOT, "%.1f%%", p);
    }

    /**
     * Text as XHTML: markup escaped, and what XML 1.0 cannot carry (control characters, a surrogate without its pair,
     * U+FFFE and U+FFFF) shown as a space, so no typed name can stop the PDF.
     */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    boolean allowed = c == '\t'
                            || c == '\n'
                            || c == '\r'
                            || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD)
                            || (c >= 0x10000 && c <= 0x10FFFF);
                    if (allowed) {
                        out.appendCodePoint(c);
                    } else {
                        out.append(' ');
                    }
                }
            }
        });
        return out.toString();
    }
}
