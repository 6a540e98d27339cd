package org.dmiplatform.adapter.nibrs.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;

/**
 * Reads a NIBRS XML submission (FBI NIBRS IEPD 2019.1, or the older 4.2): one {@code nibrs:Report} at a time, so a
 * submission of any number of reports is read in constant memory. DTDs and external entities are refused.
 */
final class XmlSubmissionReader {
    /** The NIBRS namespaces this adapter reads, and the IEPD version each one is. */
    static final Map<String, String> VERSIONS =
            Map.of("http://fbi.gov/cjis/nibrs/2019", "2019.1", "http://fbi.gov/cjis/nibrs/4.2", "4.2");

    private static final String NIBRS_NAMESPACES = "http://fbi.gov/cjis/nibrs/";

    private final CodeTables tables;
    private final Agencies agencies;
    private final RecordSink sink;
    private final String source;

    XmlSubmissionReader(CodeTables tables, Agencies agencies, RecordSink sink, String source) {
        this.tables = tables;
        this.agencies = agencies;
        this.sink = sink;
        this.source = source;
    }

    static XMLInputFactory factory() {
        // the JDK's own StAX, whatever else the framework offers; no DTD, no external entity is ever read
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    void read(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in);
        Prolog prolog = Prolog.read(buffered);
        XMLStreamReader xml = null;
        try {
            xml = prolog.encoding().isPresent()
                    ? factory()
                            .createXMLStreamReader(
                                    prolog.stream(), prolog.encoding().get())
                    : factory().createXMLStreamReader(prolog.stream());
            root(xml);
            String namespace = xml.getNamespaceURI();
            int depth = 1;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.DTD) {
                    throw refused(xml.getLocation().getLineNumber(), "a DOCTYPE is not allowed in a NIBRS submission");
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    if (depth == 1 && xml.getLocalName().equals("Report") && namespace.equals(xml.getNamespaceURI())) {
                        if (sink.cancelled()) {
                            return;
                        }
                        report(xml);
                    } else {
                        depth++;
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
            throw refused(line, "not well-formed XML: " + e.getMessage().replaceAll("\\s+", " "));
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException e) {
                    // nothing left to read
                }
            }
        }
    }

    /** Reads up to the root element and refuses a document that is no NIBRS submission of a version read here. */
    private void root(XMLStreamReader xml) throws XMLStreamException {
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.DTD) {
                throw refused(xml.getLocation().getLineNumber(), "a DOCTYPE is not allowed in a NIBRS submission");
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                String namespace = xml.getNamespaceURI() == null ? "" : xml.getNamespaceURI();
                int line = xml.getLocation().getLineNumber();
                if (xml.getLocalName().equals("Submission") && VERSIONS.containsKey(namespace)) {
                    return;
                }
                if (namespace.startsWith(NIBRS_NAMESPACES)) {
                    throw refused(
                            line,
                            "NIBRS XML version '" + namespace.substring(NIBRS_NAMESPACES.length()) + "' (namespace "
                                    + namespace + ") is not supported; this adapter reads IEPD 2019.1"
                                    + " (http://fbi.gov/cjis/nibrs/2019) and 4.2 (http://fbi.gov/cjis/nibrs/4.2)");
                }
                throw refused(
                        line,
                        "not a NIBRS XML submission: the root element is {" + namespace + "}" + xml.getLocalName()
                                + ", not nibrs:Submission");
            }
        }
        throw refused(0, "the XML has no root element");
    }

    /** Reads one nibrs:Report (the reader is on its start) and gives its outcome to the sink. */
    private void report(XMLStreamReader xml) throws XMLStreamException {
        Report report = new Report(xml.getLocation().getLineNumber());
        Deque<String> path = new ArrayDeque<>();
        StringBuilder text = new StringBuilder();
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                path.addLast(xml.getLocalName());
                text.setLength(0);
            } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                text.append(xml.getText());
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (path.isEmpty()) {
                    break;
                }
                report.take(String.join("/", path), text.toString().trim());
                path.removeLast();
                text.setLength(0);
            }
        }
        handle(report);
    }

    private void handle(Report r) {
        String ori = r.ori;
        if (!ori.isEmpty() && !agencies.keeps(ori)) {
            sink.skipped(r.line, agencies.skipReason(ori));
            return;
        }
        switch (r.category) {
            case "GROUP A INCIDENT REPORT" -> {
                switch (r.action) {
                    case "I", "R", "A" -> incident(r).ifPresent(i -> sink.accept(i.toRecord(sink.zone())));
                    case "D" -> {
                        if (ori.isEmpty()) {
                            reject(r, "ORI", "nibrs:ReportingAgency has no ORI");
                        } else if (r.number.isEmpty()) {
                            reject(r, "Incident Number", "nc:Incident has no nc:ActivityIdentification");
                        } else {
                            sink.delete(r.line, RecordKind.INCIDENT, Incident.sourceId(ori, r.number));
                        }
                    }
                    default -> reject(
                            r,
                            "Report Action Type",
                            "nibrs:ReportActionCategoryCode '" + r.action
                                    + "' is not an action for a Group A incident report (I, R, A or D)");
                }
            }
            case "GROUP B ARREST REPORT" -> {
                String offense =
                        tables.offense(r.charge).map(o -> " " + o.name()).orElse("");
                sink.skipped(
                        r.line,
                        (r.action.equals("D") ? "withdrawal of Group B arrest report " : "Group B arrest report ")
                                + ori + " " + r.arrest + " (" + r.charge + offense
                                + "): an arrest without an incident report; arrests are not imported");
            }
            case "ZERO REPORT" -> sink.skipped(
                    r.line,
                    (r.action.equals("D") ? "withdrawal of the zero report for " : "zero report for ") + ori + " "
                            + r.month + ": the agency reported no crime that month");
            default -> reject(
                    r,
                    "Report Category",
                    "nibrs:NIBRSReportCategoryCode '" + r.category + "' is none of GROUP A INCIDENT REPORT, GROUP B"
                            + " ARREST REPORT, ZERO REPORT");
        }
    }

    private Optional<Incident> incident(Report r) {
        if (r.ori.isEmpty()) {
            return rejected(r, "ORI", "nibrs:ReportingAgency has no ORI");
        }
        if (r.number.isEmpty()) {
            return rejected(r, "Incident Number", "nc:Incident has no nc:ActivityIdentification");
        }
        LocalDate date;
        Optional<LocalTime> time = Optional.empty();
        Optional<ZoneOffset> offset = Optional.empty();
        try {
            if (!r.dateTime.isEmpty()) {
                if (r.dateTime.matches(".*(Z|[+-][0-9]{2}:[0-9]{2})$")) {
                    OffsetDateTime at = OffsetDateTime.parse(r.dateTime);
                    date = at.toLocalDate();
                    time = Optional.of(at.toLocalTime());
                    offset = Optional.of(at.getOffset());
                } else {
                    LocalDateTime at = LocalDateTime.parse(r.dateTime);
                    date = at.toLocalDate();
                    time = Optional.of(at.toLocalTime());
                }
            } else if (!r.date.isEmpty()) {
                date = LocalDate.parse(r.date);
            } else {
                return rejected(r, "Incident Date", "nc:ActivityDate has neither nc:DateTime nor nc:Date");
            }
        } catch (DateTimeException e) {
            String given = r.dateTime.isEmpty() ? r.date : r.dateTime;
            return rejected(r, "Incident Date", "nc:ActivityDate '" + given + "' is not a date (and time)");
        }
        boolean reportDate;
        switch (r.reportDateIndicator) {
            case "", "false", "0" -> reportDate = false;
            case "true", "1" -> reportDate = true;
            default -> {
                return rejected(
                        r,
                        "Report Date Indicator",
                        "cjis:IncidentReportDateIndicator '" + r.reportDateIndicator + "' is not true or false");
            }
        }
        List<Offense> offenses = new ArrayList<>();
        for (String code : r.offenses) {
            Optional<Offense> offense = tables.offense(code);
            if (offense.isEmpty()) {
                return rejected(
                        r, "UCR Offense Code", "nibrs:OffenseUCRCode '" + code + "' is not a NIBRS offense code");
            }
            offenses.add(offense.get());
        }
        if (offenses.isEmpty()) {
            return rejected(r, "UCR Offense Code", "the report has no j:Offense with a nibrs:OffenseUCRCode");
        }
        List<String> drugs = new ArrayList<>();
        for (String code : r.drugs) {
            Optional<String> drug = tables.drugType(code);
            if (drug.isEmpty()) {
                return rejected(
                        r,
                        "Suspected Drug Type",
                        "j:DrugCategoryCode '" + code + "' is not a suspected drug type code");
            }
            if (!code.equals("U")) {
                drugs.add(drug.get());
            }
        }
        return Optional.of(new Incident(r.ori, r.number, date, time, offset, reportDate, offenses, drugs, r.line));
    }

    private Optional<Incident> rejected(Report r, String field, String reason) {
        reject(r, field, reason);
        return Optional.empty();
    }

    private void reject(Report r, String field, String reason) {
        sink.reject(r.line, field, reason, r.summary());
    }

    private InvalidInputException refused(int line, String reason) {
        return new InvalidInputException(new InputError(source, line, "", reason));
    }

    /**
     * The start of the document, mended where the FBI's own samples break XML: the replace samples put their XML
     * declaration after a licence comment, which no parser accepts. That declaration is blanked (line breaks kept,
     * so lines still count true) and its encoding honoured.
     */
    private record Prolog(InputStream stream, Optional<String> encoding) {
        private static final int WINDOW = 64 * 1024;
        private static final Pattern DECLARATION = Pattern.compile("<\\?xml\\s[^>]*\\?>");
        private static final Pattern ELEMENT = Pattern.compile("<[A-Za-z_]");
        private static final Pattern ENCODING = Pattern.compile("encoding\\s*=\\s*[\"']([A-Za-z0-9._-]+)[\"']");

        static Prolog read(BufferedInputStream in) throws IOException {
            in.mark(WINDOW);
            byte[] head = in.readNBytes(WINDOW);
            in.reset();
            String text = new String(head, StandardCharsets.ISO_8859_1);
            Matcher declaration = DECLARATION.matcher(text);
            Matcher element = ELEMENT.matcher(text);
            int root = element.find() ? element.start() : text.length();
            if (!declaration.find(1) || declaration.start() == 0 || declaration.start() > root) {
                return new Prolog(in, Optional.empty());
            }
            Matcher encoding = ENCODING.matcher(declaration.group());
            for (int i = declaration.start(); i < declaration.end(); i++) {
                if (head[i] != '\n' && head[i] != '\r') {
                    head[i] = ' ';
                }
            }
            in.skipNBytes(head.length);
            return new Prolog(
                    new SequenceInputStream(new ByteArrayInputStream(head), in),
                    encoding.find() ? Optional.of(encoding.group(1)) : Optional.of("UTF-8"));
        }
    }

    /** What the adapter keeps of one nibrs:Report, by the path of local names below it. */
    private static final class Report {
        final long line;
        String category = "";
        String action = "";
        String month = "";
        String ori = "";
        String number = "";
        String dateTime = "";
        String date = "";
        String reportDateIndicator = "";
        String arrest = "";
        String charge = "";
        final List<String> offenses = new ArrayList<>();
        final List<String> drugs = new ArrayList<>();

        Report(long line) {
            this.line = line;
        }

        void take(String path, String value) {
            if (value.isEmpty()) {
                return;
            }
            switch (path) {
                case "ReportHeader/NIBRSReportCategoryCode" -> category = value;
                case "ReportHeader/ReportActionCategoryCode" -> action = value;
                case "ReportHeader/ReportDate/YearMonthDate" -> month = value;
                case "ReportHeader/ReportingAgency/OrganizationAugmentation/OrganizationORIIdentification/IdentificationID" -> ori =
                        value;
                case "Incident/ActivityIdentification/IdentificationID" -> number = value;
                case "Incident/ActivityDate/DateTime" -> dateTime = value;
                case "Incident/ActivityDate/Date" -> date = value;
                case "Incident/IncidentAugmentation/IncidentReportDateIndicator" -> reportDateIndicator = value;
                case "Offense/OffenseUCRCode" -> offenses.add(value);
                case "Substance/DrugCategoryCode" -> drugs.add(value);
                case "Arrest/ActivityIdentification/IdentificationID" -> arrest = value;
                case "Arrest/ArrestCharge/ChargeUCRCode" -> charge = value;
                default -> {
                    // the rest (victims, offenders, property values) is not part of the canonical record
                }
            }
        }

        String summary() {
            return "nibrs:Report at line " + line + ": " + category + " " + action + " " + ori + " " + number + " "
                    + (dateTime.isEmpty() ? date : dateTime) + " offenses " + offenses;
        }
    }
}
