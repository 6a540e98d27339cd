package org.dmiplatform.adapter.nibrs.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;

/**
 * Reads an FBI NIBRS flat file (Technical Specification 2019.1, sections 2 and 4): one segment a line, the segments
 * of one Group A incident consecutive (levels 1 to 6), zero reports (level 0) and Group B arrest reports (level 7)
 * between incidents. One incident, whatever its number of segments, gives one outcome to the sink.
 */
final class FlatFileReader {
    private static final DateTimeFormatter YYYYMMDD =
            DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

    private static final String ACTION_TYPES = "IAMRDW";

    /** A UTF-8 byte order mark, as the file's bytes read one character each. */
    private static final String UTF8_BOM = "\u00EF\u00BB\u00BF";

    private final CodeTables tables;
    private final Agencies agencies;
    private final RecordSink sink;

    FlatFileReader(CodeTables tables, Agencies agencies, RecordSink sink) {
        this.tables = tables;
        this.agencies = agencies;
        this.sink = sink;
    }

    void read(BufferedReader in) throws IOException {
        Group current = null;
        long number = 0;
        String text;
        while ((text = in.readLine()) != null) {
            number++;
            if (sink.cancelled()) {
                return;
            }
            if (number == 1 && text.startsWith(UTF8_BOM)) {
                text = text.substring(UTF8_BOM.length());
            }
            if (text.isBlank()) {
                continue;
            }
            Segment segment = new Segment(number, text);
            Optional<Problem> unreadable = segment.unreadable();
            if (unreadable.isPresent()) {
                if (current != null && current.key.equals(segment.key())) {
                    current.taint(unreadable.get());
                } else {
                    reject(unreadable.get());
                }
                continue;
            }
            Optional<Problem> problem = segment.actionProblem().or(segment::overlong);
            switch (segment.level()) {
                case '0', '7' -> {
                    flush(current);
                    current = null;
                    if (problem.isPresent()) {
                        reject(problem.get());
                    } else if (segment.level() == '0') {
                        zeroReport(segment);
                    } else {
                        groupBArrest(segment);
                    }
                }
                case '1' -> {
                    flush(current);
                    current = new Group(segment);
                }
                default -> {
                    if (current != null && current.key.equals(segment.key())) {
                        current.segments.add(segment);
                    } else {
                        flush(current);
                        current = new Group(segment);
                    }
                }
            }
            if (current != null && segment.level() != '0' && segment.level() != '7') {
                problem.ifPresent(current::taint);
            }
        }
        flush(current);
    }

    private void zeroReport(Segment s) {
        String month = s.field(40, 43) + "-" + s.field(38, 39);
        String ori = s.field(17, 25);
        sink.skipped(
                s.line,
                (s.action() == 'D' ? "withdrawal of the zero report for " : "zero report for ") + ori + " " + month
                        + ": the agency reported no crime that month");
    }

    private void groupBArrest(Segment s) {
        String code = s.field(49, 51);
        String offense = tables.offense(code).map(o -> " " + o.name()).orElse("");
        sink.skipped(
                s.line,
                (s.action() == 'D' ? "withdrawal of Group B arrest report " : "Group B arrest report ")
                        + s.field(17, 25) + " " + s.field(26, 37) + " (" + code + offense
                        + "): an arrest without an incident report; arrests are not imported");
    }

    private void flush(Group group) {
        if (group == null) {
            return;
        }
        if (group.problem != null) {
            reject(group.problem);
            return;
        }
        Segment first = group.segments.get(0);
        String ori = first.field(17, 25);
        String number = first.field(26, 37);
        String incident = Incident.sourceId(ori, number);
        if (!ori.isEmpty() && !agencies.keeps(ori)) {
            sink.skipped(first.line, agencies.skipReason(ori));
            return;
        }
        if (first.level() != '1') {
            switch (first.action()) {
                case 'W' -> sink.skipped(first.line, timeWindow(incident));
                case 'A', 'M' -> sink.skipped(
                        first.line,
                        "segment level " + first.level() + " with action " + first.action() + " adds to or changes"
                                + " incident " + incident + " reported before (arrestee or property detail):"
                                + " nothing the platform keeps of it changes");
                default -> reject(new Problem(
                        first.line,
                        "Segment Level",
                        "segment level " + first.level() + " of incident " + incident
                                + " comes without its Administrative Segment (level 1) before it",
                        first.raw));
            }
            return;
        }
        switch (first.action()) {
            case 'D' -> {
                if (!first.field(58, 87).isEmpty()) {
                    // Appendix C: a delete carrying exceptional clearance offense codes withdraws a time-window record
                    sink.skipped(
                            first.line,
                            "delete of a time-window record of incident " + incident + ", not of an incident");
                } else if (ori.isEmpty() || number.isEmpty()) {
                    reject(new Problem(first.line, ori.isEmpty() ? "ORI" : "Incident Number", "is blank", first.raw));
                } else {
                    sink.delete(first.line, RecordKind.INCIDENT, incident);
                }
            }
            case 'W' -> sink.skipped(first.line, timeWindow(incident));
            default -> {
                boolean hasOffense = group.segments.stream().anyMatch(s -> s.level() == '2');
                if (!hasOffense && first.action() != 'I') {
                    sink.skipped(
                            first.line,
                            "action " + first.action() + " changes only the Administrative Segment of incident "
                                    + incident + " (its clearance): nothing the platform keeps of it changes");
                    return;
                }
                incident(group).ifPresent(i -> sink.accept(i.toRecord(sink.zone())));
            }
        }
    }

    private static String timeWindow(String incident) {
        return "time-window submission for incident " + incident
                + ": a fragment updating an incident older than two years, not an incident of its own";
    }

    /** The group as an incident, or empty after rejecting it with the segment and field at fault. */
    private Optional<Incident> incident(Group group) {
        Segment admin = group.segments.get(0);
        String ori = admin.field(17, 25);
        if (ori.isEmpty()) {
            return rejected(admin, "ORI", "is blank");
        }
        String number = admin.field(26, 37);
        if (number.isEmpty()) {
            return rejected(admin, "Incident Number", "is blank");
        }
        String dateText = admin.field(38, 45);
        LocalDate date;
        try {
            date = LocalDate.parse(dateText, YYYYMMDD);
        } catch (DateTimeException e) {
            return rejected(admin, "Incident Date", "'" + dateText + "' is not a date (YYYYMMDD)");
        }
        String indicator = admin.field(46, 46);
        if (!indicator.isEmpty() && !indicator.equals("R")) {
            return rejected(admin, "Report Date Indicator", "'" + indicator + "' is neither R (report date) nor blank");
        }
        String hourText = admin.field(47, 48);
        Optional<LocalTime> time = Optional.empty();
        if (!hourText.isEmpty()) {
            if (!hourText.matches("[0-9]{2}") || Integer.parseInt(hourText) > 23) {
                return rejected(admin, "Incident Hour", "'" + hourText + "' is not an hour (00 to 23, or blank)");
            }
            time = Optional.of(LocalTime.of(Integer.parseInt(hourText), 0));
        }
        List<Offense> offenses = new ArrayList<>();
        List<String> drugs = new ArrayList<>();
        for (Segment s : group.segments) {
            if (s.level() == '2') {
                String code = s.field(38, 40);
                Optional<Offense> offense = tables.offense(code);
                if (offense.isEmpty()) {
                    return rejected(s, "UCR Offense Code", "'" + code + "' is not a NIBRS offense code");
                }
                offenses.add(offense.get());
            } else if (s.level() == '3') {
                // Data Elements 20 to 22 occur three times: drug type, 12-digit quantity, 2-letter measure
                for (int at = 233; at <= 263; at += 15) {
                    String code = s.field(at, at);
                    if (code.isEmpty()) {
                        continue;
                    }
                    Optional<String> drug = tables.drugType(code);
                    if (drug.isEmpty()) {
                        return rejected(s, "Suspected Drug Type", "'" + code + "' is not a suspected drug type code");
                    }
                    if (!code.equals("U")) {
                        drugs.add(drug.get());
                    }
                }
            }
        }
        if (offenses.isEmpty()) {
            return rejected(
                    admin,
                    "UCR Offense Code",
                    "incident " + Incident.sourceId(ori, number) + " has no Offense Segment (level 2)");
        }
        return Optional.of(new Incident(
                ori, number, date, time, Optional.empty(), indicator.equals("R"), offenses, drugs, admin.line));
    }

    private Optional<Incident> rejected(Segment s, String field, String reason) {
        reject(new Problem(s.line, field, reason, s.raw));
        return Optional.empty();
    }

    private void reject(Problem p) {
        sink.reject(p.line, p.field, p.reason, p.raw);
    }

    private record Problem(long line, String field, String reason, String raw) {}

    /** The segments of one incident (or of one orphan run of segments), and the first problem found in them. */
    private static final class Group {
        final String key;
        final List<Segment> segments = new ArrayList<>();
        Problem problem;

        Group(Segment first) {
            key = first.key();
            segments.add(first);
        }

        void taint(Problem p) {
            if (problem == null) {
                problem = p;
            }
        }
    }

    /** One line: a segment, with its fields read by the 1-based positions the specification gives. */
    private static final class Segment {
        final long line;
        final String raw;
        private final String text;

        Segment(long line, String raw) {
            this.line = line;
            this.raw = raw;
            // the record length may declare more than the line holds: the writer trimmed trailing blanks
            String declared = raw.length() >= 4 ? raw.substring(0, 4) : "";
            int length = declared.matches("[0-9]{4}") ? Integer.parseInt(declared) : 0;
            this.text = raw.length() >= length ? raw : raw + " ".repeat(length - raw.length());
        }

        char level() {
            return text.length() > 4 ? text.charAt(4) : ' ';
        }

        char action() {
            return text.length() > 5 ? text.charAt(5) : ' ';
        }

        /** ORI and incident number (or arrest transaction number) as written: what ties segments together. */
        String key() {
            return field(17, 37);
        }

        String field(int from, int to) {
            if (from > text.length()) {
                return "";
            }
            return text.substring(from - 1, Math.min(to, text.length())).trim();
        }

        /** A segment length or level that cannot be read: the line is no segment. */
        Optional<Problem> unreadable() {
            String declared = raw.length() >= 4 ? raw.substring(0, 4) : raw;
            if (!declared.matches("[0-9]{4}")) {
                return Optional.of(
                        new Problem(line, "Segment Length", "'" + declared + "' is not a 4-digit segment length", raw));
            }
            if (level() < '0' || level() > '7') {
                return Optional.of(
                        new Problem(line, "Segment Level", "'" + level() + "' is not a segment level (0 to 7)", raw));
            }
            return Optional.empty();
        }

        Optional<Problem> actionProblem() {
            if (ACTION_TYPES.indexOf(action()) < 0) {
                return Optional.of(new Problem(
                        line,
                        "Segment Action Type",
                        "'" + action() + "' is not a segment action type (I, A, M, R, D or W)",
                        raw));
            }
            return Optional.empty();
        }

        /** More on the line than its length declares: two segments run together, or a damaged line. */
        Optional<Problem> overlong() {
            int declared = Integer.parseInt(raw.substring(0, 4));
            if (raw.length() > declared && !raw.substring(declared).isBlank()) {
                return Optional.of(new Problem(
                        line,
                        "Segment Length",
                        "the line holds " + raw.stripTrailing().length() + " characters, more than the " + declared
                                + " its segment length declares (two segments on one line?)",
                        raw));
            }
            return Optional.empty();
        }
    }
}
