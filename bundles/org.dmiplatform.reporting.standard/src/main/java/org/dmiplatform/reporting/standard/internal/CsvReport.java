package org.dmiplatform.reporting.standard.internal;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.dmiplatform.api.reporting.OutcomeReport;

/**
 * An outcome report as one CSV table, a figure a row: section, area, category, month, measure, value, low, high,
 * note. Numbers are written with a dot and full precision; a text cell that a spreadsheet would run as a formula gets
 * a leading apostrophe (OWASP's advice on CSV injection).
 */
final class CsvReport {
    static final String[] HEADER = {"section", "area", "category", "month", "measure", "value", "low", "high", "note"};

    private CsvReport() {}

    static void write(OutcomeReport r, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CsvWriter csv = CsvWriter.builder().build(writer);
        csv.writeRecord(HEADER);
        Rows rows = new Rows(csv);
        rows.text("intervention", "", "", "", "name", r.name());
        r.callIn().ifPresent(d -> rows.text("intervention", "", "", "", "call-in", d.toString()));
        r.before()
                .ifPresent(w -> rows.text(
                        "window",
                        "",
                        "",
                        "",
                        "before",
                        w.from() + " to " + w.until().minusDays(1)));
        r.after()
                .ifPresent(w -> rows.text(
                        "window",
                        "",
                        "",
                        "",
                        "after",
                        w.from() + " to " + w.until().minusDays(1)));
        for (OutcomeReport.AreaCounts a : r.areas()) {
            String area = a.area().id();
            rows.number("counts", area, "all", "", "before", a.before());
            rows.number("counts", area, "all", "", "after", a.after());
            a.percentChange().ifPresent(p -> rows.number("counts", area, "all", "", "percent change", p));
            for (OutcomeReport.CategoryCounts c : a.categories()) {
                rows.number("counts", area, c.category().id(), "", "before", c.before());
                rows.number("counts", area, c.category().id(), "", "after", c.after());
                c.percentChange()
                        .ifPresent(p -> rows.number("counts", area, c.category().id(), "", "percent change", p));
            }
        }
        r.rateRatio()
                .ifPresent(x -> rows.interval(
                        "difference in differences", "target", "rate ratio", x.ratio(), x.low(), x.high()));
        r.displacementQuotient().ifPresent(q -> {
            rows.number("displacement quotient", "buffer", "", "", "success", q.success());
            rows.number("displacement quotient", "buffer", "", "", "buffer change", q.bufferChange());
            q.quotient().ifPresent(v -> rows.number("displacement quotient", "buffer", "", "", "quotient", v));
            rows.text("displacement quotient", "buffer", "", "", "reading", q.reading());
        });
        r.displacementDifference().ifPresent(d -> {
            rows.number("displacement difference", "target", "", "", "local", d.local());
            rows.number("displacement difference", "target", "", "", "local standard error", d.localStandardError());
            rows.number("displacement difference", "buffer", "", "", "displacement", d.displacement());
            rows.number(
                    "displacement difference",
                    "buffer",
                    "",
                    "",
                    "displacement standard error",
                    d.displacementStandardError());
            rows.interval("displacement difference", "all", "total", d.total(), d.low(), d.high());
            rows.number("displacement difference", "all", "", "", "total standard error", d.totalStandardError());
            rows.number("displacement difference", "all", "", "", "z", d.z());
        });
        for (OutcomeReport.Month m : r.months()) {
            m.target()
                    .ifPresent(n -> rows.number("month", "target", "", m.month().toString(), m.period(), n));
            m.comparison()
                    .ifPresent(n ->
                            rows.number("month", "comparison", "", m.month().toString(), m.period(), n));
            m.buffer()
                    .ifPresent(n -> rows.number("month", "buffer", "", m.month().toString(), m.period(), n));
        }
        r.timeSeries().ifPresent(ts -> {
            rows.number("time series", "target", "", "", "months fitted", ts.months());
            rows.number("time series", "target", "", "", "dispersion", ts.dispersion());
            rows.effect("trend before (a month)", ts.trendBefore());
            rows.effect("level change", ts.levelChange());
            rows.effect("trend change (a month)", ts.trendChange());
            for (OutcomeReport.Fitted f : ts.fitted()) {
                rows.number("time series", "target", "", f.month().toString(), "fitted", f.fitted());
                rows.number(
                        "time series", "target", "", f.month().toString(), "without the call-in", f.withoutCallIn());
            }
        });
        for (String note : r.notComputed()) {
            rows.text("not computed", "", "", "", "", note);
        }
        csv.flush();
    }

    /** Cells a spreadsheet would take for a formula, defused. */
    static String text(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    private record Rows(CsvWriter csv) {
        void text(String section, String area, String category, String month, String measure, String note) {
            csv.writeRecord(
                    CsvReport.text(section),
                    CsvReport.text(area),
                    CsvReport.text(category),
                    month,
                    CsvReport.text(measure),
                    "",
                    "",
                    "",
                    CsvReport.text(note));
        }

        void number(String section, String area, String category, String month, String measure, double value) {
            csv.writeRecord(
                    CsvReport.text(section),
                    CsvReport.text(area),
                    CsvReport.text(category),
                    month,
                    CsvReport.text(measure),
                    format(value),
                    "",
                    "",
                    "");
        }

        void interval(String section, String area, String measure, double value, double low, double high) {
            csv.writeRecord(
                    CsvReport.text(section),
                    CsvReport.text(area),
                    "",
                    "",
                    CsvReport.text(measure),
                    format(value),
                    format(low),
                    format(high),
                    "");
        }

        void effect(String measure, OutcomeReport.Effect e) {
            interval("time series", "target", measure + " (rate ratio)", e.rateRatio(), e.low(), e.high());
        }
    }

    /** A count as an integer, any other number with the shortest text that reads back to the same double. */
    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
