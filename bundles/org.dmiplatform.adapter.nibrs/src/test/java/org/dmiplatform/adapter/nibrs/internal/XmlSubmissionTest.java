package org.dmiplatform.adapter.nibrs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.testing.CollectingSink;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class XmlSubmissionTest {
    private static final ZoneId CHARLESTON = ZoneId.of("America/New_York");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final NibrsAdapter adapter = new NibrsAdapter(Agencies.ALL, null, CdeExtractReader.RUN_SIZE);

    private CollectingSink read(RecordsInput input, ZoneId zone) throws IOException {
        CollectingSink sink = new CollectingSink(zone);
        adapter.read(input, sink);
        return sink;
    }

    private CollectingSink read(String resource) throws IOException {
        return read(Inputs.resource(resource), CHARLESTON);
    }

    private CollectingSink readText(String xml) throws IOException {
        return read(Inputs.of("submission.xml", xml.getBytes(StandardCharsets.UTF_8)), CHARLESTON);
    }

    @Test
    public void readsTheGroupAIncidentSample() throws IOException {
        CrimeRecord r = read("xml_2019_1/nibrs_GroupAIncident_Sample.xml").only();

        assertEquals(RecordKind.INCIDENT, r.kind());
        assertEquals("WVNDX0100-000054236732", r.sourceId());
        // nc:DateTime wins over the nc:Date beside it
        assertEquals(ZonedDateTime.of(2016, 2, 19, 10, 0, 0, 0, CHARLESTON).toInstant(), r.occurredFrom());
        assertEquals(Optional.empty(), r.reportedAt());
        assertEquals("13A", r.code());
        assertEquals("Aggravated Assault", r.codeText());
        assertEquals(Category.VIOLENT_PART_I, r.category());
        assertTrue(r.partOne());
        // heroin was seized, but the incident has no drug offense
        assertEquals(Optional.empty(), r.drugType());
        assertEquals("WVNDX0100", r.district());
        assertEquals(51, r.line());
    }

    @Test
    public void replaceSampleGivesTheSameRecordAsTheIncidentSample() throws IOException {
        assertEquals(
                read("xml_2019_1/nibrs_GroupAIncident_Sample.xml").only(),
                read("xml_2019_1/nibrs_GroupAReplace_Sample.xml").only());
    }

    @Test
    public void hawaiiExtensionSamplesReadLikeTheFbisOwn() throws IOException {
        CrimeRecord fbi = read("xml_2019_1/nibrs_GroupAIncident_Sample.xml").only();
        CrimeRecord hawaii =
                read("xml_2019_1/nibrs_GroupAIncident_Sample-HI.xml").only();
        CrimeRecord hawaiiReplace =
                read("xml_2019_1/nibrs_GroupAReplace_Sample-HI.xml").only();

        assertEquals(fbi.sourceId(), hawaii.sourceId());
        assertEquals(fbi.occurredFrom(), hawaii.occurredFrom());
        assertEquals(fbi.code(), hawaii.code());
        assertEquals(hawaii.sourceId(), hawaiiReplace.sourceId());
    }

    @Test
    public void readsTheAllFieldsSample() throws IOException {
        CrimeRecord r = read("xml_2019_1/nibrs_AllFields_Sample.xml").only();

        assertEquals("WVNDX0100-54236732", r.sourceId());
        assertEquals("240", r.code());
        assertEquals("Motor Vehicle Theft", r.codeText());
        assertEquals(Category.PROPERTY_PART_I, r.category());
        assertTrue(r.partOne());
        assertEquals(Optional.empty(), r.drugType());
    }

    @Test
    public void incidentDeleteSampleWithdrawsTheIncident() throws IOException {
        CollectingSink sink = read("xml_2019_1/nibrs_IncidentDelete_Sample.xml");

        assertEquals(sink.toString(), 1, sink.outcomes());
        assertEquals(
                List.of(new CollectingSink.Deleted(53, RecordKind.INCIDENT, "WVNDX0100-020160005029")), sink.deleted);
    }

    @Test
    public void zeroReportSampleIsSkippedNamingTheAgencyAndMonth() throws IOException {
        CollectingSink sink = read("xml_2019_1/nibrs_ZeroReport_Sample.xml");

        assertEquals(
                List.of(new CollectingSink.Skipped(
                        49, "zero report for WVNDX0100 2016-02: the agency reported no crime that month")),
                sink.skipped);
        assertEquals(1, sink.outcomes());
    }

    @Test
    public void groupBArrestSamplesAreSkippedAsArrests() throws IOException {
        CollectingSink arrest = read("xml_2019_1/nibrs_GroupBArrest_Sample.xml");
        CollectingSink withdrawn = read("xml_2019_1/nibrs_GroupBArrestDelete_Sample.xml");

        assertEquals(1, arrest.outcomes());
        assertEquals(
                "Group B arrest report WVNDX0100 12345 (90Z All Other Offenses): an arrest without an incident"
                        + " report; arrests are not imported",
                arrest.skipped.get(0).why());
        assertEquals(1, withdrawn.outcomes());
        assertTrue(withdrawn.skipped.get(0).why().startsWith("withdrawal of Group B arrest report WVNDX0100 12345"));
    }

    @Test
    public void flatFileAndItsXmlTwinGiveTheSameRecord() throws IOException {
        ZoneId honolulu = FlatFileTest.HONOLULU;
        CrimeRecord flat = read(Inputs.resource("flatfile/NIBRS_Test_Sample.txt"), honolulu)
                .only();
        CrimeRecord xml = read(Inputs.resource("flatfile/NIBRS_Test_Sample.xml"), honolulu)
                .only();

        assertEquals(Optional.of("Amphetamines/Methamphetamines"), xml.drugType());
        assertEquals(
                flat,
                new CrimeRecord(
                        xml.kind(),
                        xml.sourceId(),
                        xml.occurredFrom(),
                        xml.occurredTo(),
                        xml.reportedAt(),
                        xml.code(),
                        xml.codeText(),
                        xml.category(),
                        xml.partOne(),
                        xml.nibrsCode(),
                        xml.drugType(),
                        xml.location(),
                        xml.address(),
                        xml.beat(),
                        xml.district(),
                        flat.line()));
    }

    @Test
    public void readsIepd42() throws IOException {
        CrimeRecord r = read("xml_4_2/nibrs_4_2_GroupAIncident.xml").only();

        assertEquals("WVNDX0100-000054236799", r.sourceId());
        // nc:Date only: the hour is unknown, so the start of the day
        assertEquals(ZonedDateTime.of(2016, 2, 19, 0, 0, 0, 0, CHARLESTON).toInstant(), r.occurredFrom());
        assertEquals(Category.DRUG, r.category());
        assertEquals(Optional.of("Marijuana; Crack Cocaine"), r.drugType());
    }

    @Test
    public void refusesAnotherNibrsXmlVersionNamingIt() {
        String xml = Inputs.string("xml_4_2/nibrs_4_2_GroupAIncident.xml")
                .replace("http://fbi.gov/cjis/nibrs/4.2\"", "http://fbi.gov/cjis/nibrs/2023.0\"");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> readText(xml));

        InputError error = e.errors().get(0);
        assertEquals("submission.xml", error.source());
        // the root element's start tag spans lines 6 to 11; the parser names its end
        assertEquals(11, error.line());
        assertTrue(error.reason(), error.reason().startsWith("NIBRS XML version '2023.0'"));
        assertTrue(
                error.reason(),
                error.reason().contains("2019.1") && error.reason().contains("4.2"));
    }

    @Test
    public void refusesXmlThatIsNoNibrsSubmission() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> readText("<?xml version=\"1.0\"?>\n<kml><Document/></kml>"));

        assertTrue(e.getMessage(), e.getMessage().contains("not a NIBRS XML submission"));
    }

    @Test
    public void refusesXmlThatBreaksOffNamingTheLine() {
        String xml = Inputs.string("xml_2019_1/nibrs_GroupAIncident_Sample.xml");
        String broken = xml.substring(0, xml.indexOf("<j:Offense"));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> readText(broken));

        assertTrue(e.getMessage(), e.getMessage().contains("not well-formed XML"));
        assertTrue(e.getMessage(), e.errors().get(0).line() > 90);
    }

    @Test
    public void refusesAnExternalEntityWithoutReadingIt() throws IOException {
        Path secret = folder.newFile("secret.txt").toPath();
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(300);
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<!DOCTYPE nibrs:Submission [\n"
                    + "  <!ENTITY file SYSTEM \"" + secret.toUri() + "\">\n"
                    + "  <!ENTITY remote SYSTEM \"http://127.0.0.1:" + listener.getLocalPort() + "/entity\">\n"
                    + "  <!ENTITY % dtd SYSTEM \"http://127.0.0.1:" + listener.getLocalPort() + "/dtd\">\n"
                    + "  %dtd;\n"
                    + "]>\n"
                    + Inputs.string("xml_2019_1/nibrs_GroupAIncident_Sample.xml")
                            .substring(Inputs.string("xml_2019_1/nibrs_GroupAIncident_Sample.xml")
                                    .indexOf("<nibrs:Submission"))
                            .replace("000054236732", "&file;&remote;");
            CollectingSink sink = new CollectingSink(CHARLESTON);

            InvalidInputException e = assertThrows(
                    InvalidInputException.class,
                    () -> adapter.read(Inputs.of("xxe.xml", xml.getBytes(StandardCharsets.UTF_8)), sink));

            assertTrue(e.getMessage(), e.getMessage().contains("DOCTYPE is not allowed"));
            assertFalse(e.getMessage().contains("TOP-SECRET"));
            assertFalse(sink.toString().contains("TOP-SECRET"));
            assertEquals(0, sink.outcomes());
            assertNull("the parser fetched an external entity", accepted(listener));
        }
    }

    private static Socket accepted(ServerSocket listener) throws IOException {
        try {
            return listener.accept();
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    @Test
    public void quarantinesAReportWithABadDateAndReadsTheNextOne() throws IOException {
        String xml = Inputs.string("xml_2019_1/nibrs_GroupAIncident_Sample.xml");
        int start = xml.indexOf("<nibrs:Report>");
        int end = xml.indexOf("</nibrs:Report>") + "</nibrs:Report>".length();
        String report = xml.substring(start, end);
        String bad =
                report.replace("2016-02-19T10:00:00", "2016-02-30T10:00:00").replace("000054236732", "000054236733");
        String twoReports = xml.substring(0, start) + bad + "\n" + report + xml.substring(end);

        CollectingSink sink = readText(twoReports);

        assertEquals(1, sink.rejected.size());
        CollectingSink.Rejected rejected = sink.rejected.get(0);
        assertEquals(51, rejected.line());
        assertEquals("Incident Date", rejected.field());
        assertTrue(rejected.reason(), rejected.reason().contains("'2016-02-30T10:00:00' is not a date"));
        assertTrue(rejected.raw(), rejected.raw().contains("000054236733"));
        assertEquals("WVNDX0100-000054236732", sink.accepted.get(0).sourceId());
        assertEquals(1, sink.accepted.size());
    }

    @Test
    public void readsAnOffsetWrittenInTheDateTime() throws IOException {
        String xml = Inputs.string("xml_2019_1/nibrs_GroupAIncident_Sample.xml")
                .replace("2016-02-19T10:00:00", "2016-02-19T10:00:00-07:00");

        CrimeRecord r = readText(xml).only();

        assertEquals(
                ZonedDateTime.of(2016, 2, 19, 17, 0, 0, 0, ZoneId.of("UTC")).toInstant(), r.occurredFrom());
    }

    @Test
    public void reportDateIndicatorMakesTheDateTheReportDate() throws IOException {
        String xml = Inputs.string("xml_2019_1/nibrs_GroupAIncident_Sample.xml")
                .replace("<cjis:IncidentReportDateIndicator>false<", "<cjis:IncidentReportDateIndicator>true<");

        CrimeRecord r = readText(xml).only();

        assertEquals(Optional.of(r.occurredFrom()), r.reportedAt());
    }

    @Test
    public void keepsOnlyTheSitesAgencies() throws IOException {
        NibrsAdapter other = new NibrsAdapter(Agencies.parse("WV0000000"), null, CdeExtractReader.RUN_SIZE);
        CollectingSink sink = new CollectingSink(CHARLESTON);

        other.read(Inputs.resource("xml_2019_1/nibrs_IncidentDelete_Sample.xml"), sink);

        assertTrue(sink.deleted.isEmpty());
        assertTrue(sink.skipped.get(0).why().contains("WVNDX0100 is not one of this site's agencies"));
    }
}
