package org.dmiplatform.api.reporting;

import java.io.IOException;
import java.io.OutputStream;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A site's reports. Sites plug one in: register it under this interface with {@code dmi.site=<site>},
 * {@code dmi.plugin.kind=reporting} ({@link #KIND}) and a {@code dmi.plugin.name}. Reports are aggregates: they name no
 * person. Who may read one is the records store's rule (records roles at the site); every figure comes from counts
 * the caller may read.
 */
@ConsumerType
public interface Reporting {

    /** The value of {@code dmi.plugin.kind} for a reporting plug-in. */
    String KIND = "reporting";

    /**
     * The outcome evaluation of an intervention: records in its target, comparison and buffer areas before and after
     * the call-in, by category; percent change; the difference-in-differences rate ratio; the weighted displacement
     * quotient and difference; the monthly series; a segmented Poisson regression of the target area's months. What
     * is missing (an area, the call-in, records in a window) is said in {@link OutcomeReport#notComputed()}: nothing
     * is divided by zero, no figure is NaN or infinite.
     *
     * @throws java.util.NoSuchElementException for an intervention the site does not have
     * @throws org.dmiplatform.api.InvalidInputException for windows out of range
     * @throws org.dmiplatform.api.access.AccessDeniedException for a caller who may not read the site's records
     */
    OutcomeReport outcome(Site site, long intervention, OutcomeRequest request, Caller caller);

    /**
     * The watch over a closed market: its weeks since the call-in against its own level after the call-in. Run by the
     * platform on a schedule (it raises the alerts) and read by the site's records roles.
     *
     * @throws java.util.NoSuchElementException for an intervention the site does not have
     */
    MarketWatch watch(Site site, long intervention, Caller caller);

    /**
     * Writes a report in a format for people and spreadsheets. CSV is UTF-8 (RFC 4180), one figure a row, and a text
     * cell a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is written
     * with a leading apostrophe. HTML (one self-contained page, no script) and PDF are the same document: the figures
     * with their charts (the monthly series with the call-in marked, records a month before and after in each area,
     * the time series with its counterfactual) and a map of the intervention's target, comparison and buffer areas;
     * times in the site's time zone.
     *
     * @param site the report's site, whose name and time zone the document shows
     */
    void write(Site site, OutcomeReport report, ReportFormat format, OutputStream out) throws IOException;

    /** The formats a report is written in. */
    enum ReportFormat {
        CSV("text/csv; charset=utf-8", "csv"),
        HTML("text/html; charset=utf-8", "html"),
        PDF("application/pdf", "pdf");

        private final String mediaType;
        private final String extension;

        ReportFormat(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        public String mediaType() {
            return mediaType;
        }

        public String extension() {
            return extension;
        }
    }
}
