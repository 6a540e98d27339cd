package org.dmiplatform.adapter.nibrs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.testing.CollectingSink;
import org.junit.Test;

public class FlatFileTest {
    static final ZoneId HONOLULU = ZoneId.of("Pacific/Honolulu");
    private static final String ORI = "HI0020000";

    private final NibrsAdapter adapter = new NibrsAdapter(Agencies.ALL, null, CdeExtractReader.RUN_SIZE);

    private CollectingSink read(RecordsInput input) throws IOException {
        CollectingSink sink = new CollectingSink(HONOLULU);
        adapter.read(input, sink);
        return sink;
    }

    private CollectingSink read(String text) throws IOException {
        return read(Inputs.text("segments.txt", text));
    }

    @Test
    public void readsTheFbiSampleDrugIncidentAsOneRecordWithItsSuspectedDrugType() throws IOException {
        CrimeRecord r = read(Inputs.resource("flatfile/NIBRS_Test_Sample.txt")).only();

        assertEquals(RecordKind.INCIDENT, r.kind());
        assertEquals("HI0020000-19164156-3", r.sourceId());
        assertEquals(ZonedDateTime.of(2019, 5, 1, 15, 0, 0, 0, HONOLULU).toInstant(), r.occurredFrom());
        assertEquals(Optional.empty(), r.occurredTo());
        assertEquals(Optional.empty(), r.reportedAt());
        assertEquals("35A", r.code());
        assertEquals("Drug/Narcotic Violations", r.codeText());
        assertEquals(Optional.of("35A"), r.nibrsCode());
        assertEquals(Category.DRUG, r.category());
        assertFalse(r.partOne());
        assertEquals(Optional.of("Amphetamines/Methamphetamines"), r.drugType());
        assertEquals(Optional.empty(), r.location());
        assertEquals("", r.address());
        assertEquals("", r.beat());
        assertEquals(ORI, r.district());
        assertEquals(1, r.line());
    }

    @Test
    public void readsEachCrlfSampleAsOneIncidentWhateverItsNumberOfSegments() throws IOException {
        CrimeRecord burglary =
                read(Inputs.resource("flatfile/Flatfile-XML_Test_1.txt")).only();
        assertEquals("HI0020000-19263469-1", burglary.sourceId());
        assertEquals(ZonedDateTime.of(2019, 7, 13, 14, 0, 0, 0, HONOLULU).toInstant(), burglary.occurredFrom());
        assertEquals("220", burglary.code());
        assertEquals("Burglary/Breaking & Entering", burglary.codeText());
        assertEquals(Category.PROPERTY_PART_I, burglary.category());
        assertTrue(burglary.partOne());
        assertEquals(Optional.empty(), burglary.drugType());

        // simple assault and all other larceny: the larceny decides, and the incident is Part I
        CrimeRecord twoOffenses =
                read(Inputs.resource("flatfile/Flatfile-XML_Test_2.txt")).only();
        assertEquals("HI0020000-19273508-1", twoOffenses.sourceId());
        assertEquals("23H", twoOffenses.code());
        assertEquals("All Other Larceny", twoOffenses.codeText());
        assertEquals(Category.PROPERTY_PART_I, twoOffenses.category());
        assertTrue(twoOffenses.partOne());

        CrimeRecord third =
                read(Inputs.resource("flatfile/Flatfile-XML_Test_3.txt")).only();
        assertEquals("HI0020000-19331231-1", third.sourceId());
        assertEquals(ZonedDateTime.of(2019, 8, 31, 18, 0, 0, 0, HONOLULU).toInstant(), third.occurredFrom());
    }

    @Test
    public void readsConsecutiveIncidentsOfOneFileEachFromItsAdministrativeSegmentsLine() throws IOException {
        // four real samples one after the other, CRLF and LF mixed, some without a final line break
        String file = Inputs.string("flatfile/Flatfile-XML_Test_1.txt") + "\r\n"
                + Inputs.string("flatfile/Flatfile-XML_Test_2.txt") + "\r\n"
                + Inputs.string("flatfile/NIBRS_Test_Sample.txt") + "\n"
                + Inputs.string("flatfile/Flatfile-XML_Test_3.txt");
        CollectingSink sink = read(file);

        assertEquals(sink.toString(), 4, sink.outcomes());
        assertEquals(
                List.of("HI0020000-19263469-1", "HI0020000-19273508-1", "HI0020000-19164156-3", "HI0020000-19331231-1"),
                sink.accepted.stream().map(CrimeRecord::sourceId).toList());
        assertEquals(
                List.of(1L, 7L, 19L, 25L),
                sink.accepted.stream().map(CrimeRecord::line).toList());
    }

    @Test
    public void quarantinesTwoSegmentsRunTogetherOnOneLine() throws IOException {
        // the sample's last segment has no line break; a file appended to it would glue the next segment on
        String glued =
                Inputs.string("flatfile/NIBRS_Test_Sample.txt") + Inputs.string("flatfile/Flatfile-XML_Test_3.txt");

        CollectingSink sink = read(glued);

        // the first incident is quarantined at the glued line; the second has lost its administrative segment
        assertEquals(sink.toString(), 2, sink.outcomes());
        assertEquals(2, sink.rejected.size());
        assertEquals(6, sink.rejected.get(0).line());
        assertEquals("Segment Length", sink.rejected.get(0).field());
        assertTrue(sink.rejected.get(0).reason(), sink.rejected.get(0).reason().contains("more than the 110"));
        assertEquals(7, sink.rejected.get(1).line());
        assertEquals("Segment Level", sink.rejected.get(1).field());
    }

    @Test
    public void readsAFileThatStartsWithAByteOrderMark() throws IOException {
        byte[] sample = Inputs.bytes("flatfile/NIBRS_Test_Sample.txt");
        byte[] withBom = new byte[sample.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(sample, 0, withBom, 3, sample.length);

        CollectingSink sink = read(Inputs.of("bom.txt", withBom));

        assertEquals(read(Inputs.resource("flatfile/NIBRS_Test_Sample.txt")).only(), sink.only());
    }

    @Test
    public void readsLfAndCrlfAlike() throws IOException {
        String crlf = Inputs.string("flatfile/Flatfile-XML_Test_2.txt");
        assertTrue(crlf.contains("\r\n"));

        assertEquals(read(crlf).only(), read(crlf.replace("\r\n", "\n")).only());
    }

    @Test
    public void acceptsSegmentsShorterThanTheirDeclaredLength() throws IOException {
        // the writer trimmed the trailing blanks: the hour and the drug type are the last characters of their lines
        String admin = Segments.administrative('I', ORI, "X-1", "20190601", "22")
                .toString()
                .substring(0, 48);
        String property = Segments.property(ORI, "X-1", "E").toString().substring(0, 233);
        String file = admin + "\n" + Segments.offense(ORI, "X-1", "35A").trimmed() + "\n" + property + "\n"
                + Segments.victim(ORI, "X-1", "35A").trimmed() + "\n"
                + Segments.offender(ORI, "X-1").trimmed();
        assertTrue(admin.startsWith("0087") && admin.length() == 48);
        assertTrue(property.startsWith("0307") && property.length() == 233);

        CrimeRecord r = read(file).only();

        assertEquals(ZonedDateTime.of(2019, 6, 1, 22, 0, 0, 0, HONOLULU).toInstant(), r.occurredFrom());
        assertEquals(Optional.of("Marijuana"), r.drugType());
    }

    @Test
    public void quarantinesSegmentWithUnparseableIncidentDateAndReadsTheNextIncident() throws IOException {
        String file = Segments.incident(ORI, "BAD-1", "20191345", "10", "13B")
                + Segments.incident(ORI, "GOOD-1", "20190701", "10", "13B");

        CollectingSink sink = read(file);

        assertEquals(1, sink.rejected.size());
        CollectingSink.Rejected bad = sink.rejected.get(0);
        assertEquals(1, bad.line());
        assertEquals("Incident Date", bad.field());
        assertTrue(bad.reason(), bad.reason().contains("'20191345' is not a date"));
        assertTrue(bad.raw().startsWith("00871I072019"));
        assertEquals(1, sink.accepted.size());
        assertEquals("HI0020000-GOOD-1", sink.accepted.get(0).sourceId());
        assertEquals(5, sink.accepted.get(0).line());
    }

    @Test
    public void quarantinesUnknownActionTypeOnceForItsIncident() throws IOException {
        String file =
                Segments.administrative('X', ORI, "ODD-1", "20190701", "10").trimmed() + "\n"
                        + Segments.offense(ORI, "ODD-1", "13B").trimmed() + "\n"
                        + Segments.victim(ORI, "ODD-1", "13B").trimmed() + "\n"
                        + Segments.offender(ORI, "ODD-1").trimmed() + "\n"
                        + Segments.incident(ORI, "NEXT-1", "20190701", "10", "13B");

        CollectingSink sink = read(file);

        assertEquals(sink.toString(), 2, sink.outcomes());
        assertEquals(
                List.of(new CollectingSink.Rejected(
                        1,
                        "Segment Action Type",
                        "'X' is not a segment action type (I, A, M, R, D or W)",
                        Segments.administrative('X', ORI, "ODD-1", "20190701", "10")
                                .trimmed())),
                sink.rejected);
        assertEquals("HI0020000-NEXT-1", sink.accepted.get(0).sourceId());
    }

    @Test
    public void quarantinesBadHourReportDateIndicatorOffenseCodeAndDrugTypeWithTheirFields() throws IOException {
        String badHour = Segments.incident(ORI, "H-1", "20190701", "24", "13B");
        String badIndicator = Segments.administrative('I', ORI, "R-1", "20190701", "10")
                        .put(46, "Q")
                        .trimmed() + "\n" + Segments.offense(ORI, "R-1", "13B").trimmed() + "\n";
        String badCode = Segments.incident(ORI, "C-1", "20190701", "10", "99Z");
        String badDrug = Segments.incident(ORI, "D-1", "20190701", "10", "35A", "Z");

        CollectingSink sink = read(badHour + badIndicator + badCode + badDrug);

        assertEquals(
                List.of("Incident Hour", "Report Date Indicator", "UCR Offense Code", "Suspected Drug Type"),
                sink.rejected.stream().map(CollectingSink.Rejected::field).toList());
        // each at the segment at fault: the administrative, the offense, the property segment
        assertEquals(
                List.of(1L, 5L, 8L, 13L),
                sink.rejected.stream().map(CollectingSink.Rejected::line).toList());
        assertTrue(sink.accepted.isEmpty());
    }

    @Test
    public void incidentWithoutOffenseSegmentIsQuarantined() throws IOException {
        String file = Segments.administrative('I', ORI, "E-1", "20190701", "10").trimmed() + "\n"
                + Segments.offender(ORI, "E-1").trimmed() + "\n";

        CollectingSink sink = read(file);

        assertEquals(1, sink.rejected.size());
        assertEquals("UCR Offense Code", sink.rejected.get(0).field());
        assertTrue(sink.rejected.get(0).reason().contains("has no Offense Segment"));
    }

    @Test
    public void offenseSegmentWithoutItsAdministrativeSegmentIsQuarantined() throws IOException {
        String file = Segments.incident(ORI, "A-1", "20190701", "10", "13B")
                + Segments.offense(ORI, "LOST-1", "120").trimmed() + "\n";

        CollectingSink sink = read(file);

        assertEquals(1, sink.accepted.size());
        assertEquals(1, sink.rejected.size());
        assertEquals(5, sink.rejected.get(0).line());
        assertEquals("Segment Level", sink.rejected.get(0).field());
        assertTrue(sink.rejected.get(0).reason().contains("without its Administrative Segment"));
    }

    @Test
    public void quarantinesALineThatIsNoSegment() throws IOException {
        CollectingSink sink = read(Segments.incident(ORI, "A-1", "20190701", "10", "13B") + "garbage\n");

        assertEquals(1, sink.accepted.size());
        assertEquals(
                List.of(new CollectingSink.Rejected(
                        5, "Segment Length", "'garb' is not a 4-digit segment length", "garbage")),
                sink.rejected);
    }

    @Test
    public void deleteWithdrawsTheIncidentByOriAndIncidentNumber() throws IOException {
        String file = Segments.incident(ORI, "KEEP-1", "20190701", "10", "13B")
                + Segments.administrative('D', ORI, "19164156-3", "20190501", "")
                        .trimmed() + "\n";

        CollectingSink sink = read(file);

        assertEquals(1, sink.accepted.size());
        assertEquals(List.of(new CollectingSink.Deleted(5, RecordKind.INCIDENT, "HI0020000-19164156-3")), sink.deleted);
    }

    @Test
    public void deleteCarryingTimeWindowClearanceOffenseCodesIsNoIncidentDelete() throws IOException {
        String file = Segments.administrative('D', ORI, "OLD-1", "20150501", "")
                        .put(58, "220")
                        .trimmed() + "\n";

        CollectingSink sink = read(file);

        assertTrue(sink.deleted.isEmpty());
        assertEquals(1, sink.skipped.size());
        assertTrue(sink.skipped.get(0).why().contains("time-window record"));
    }

    @Test
    public void timeWindowSubmissionIsSkippedAsAFragment() throws IOException {
        String file = Segments.administrative('W', ORI, "OLD-2", "20150501", "10")
                        .put(58, "220")
                        .trimmed() + "\n" + Segments.property(ORI, "OLD-2").trimmed() + "\n";

        CollectingSink sink = read(file);

        assertEquals(sink.toString(), 1, sink.outcomes());
        assertTrue(sink.skipped.get(0).why().startsWith("time-window submission for incident HI0020000-OLD-2"));
    }

    @Test
    public void addOfAnArresteeToAnIncidentReportedBeforeChangesNothingKept() throws IOException {
        String arrestee = "01106A072019    HI002000019164156-3  024053D20     20190502TN35A01    32  MPNR";

        CollectingSink sink = read(arrestee + "\n");

        assertEquals(sink.toString(), 1, sink.skipped.size());
        assertTrue(sink.skipped.get(0).why().contains("reported before"));
    }

    @Test
    public void replaceOfAWholeIncidentIsAcceptedLikeAnIncidentReport() throws IOException {
        String file = Segments.incident(ORI, "R-2", "20190701", "10", "120").replace("1I072019", "1R072019");

        CrimeRecord r = read(file).only();

        assertEquals(Category.VIOLENT_PART_I, r.category());
        assertEquals("Robbery", r.codeText());
    }

    @Test
    public void zeroReportIsSkippedNamingTheAgencyAndMonth() throws IOException {
        CollectingSink sink = read(Segments.zeroReport('A', ORI, "07", "2019").toString() + "\r\n");

        assertEquals(
                List.of(new CollectingSink.Skipped(
                        1, "zero report for HI0020000 2019-07: the agency reported no crime that month")),
                sink.skipped);
    }

    @Test
    public void groupBArrestReportIsSkippedNamingTheArrest() throws IOException {
        CollectingSink sink =
                read(Segments.groupBArrest('A', ORI, "B-77", "20190704", "90C").toString() + "\n");

        assertEquals(sink.toString(), 1, sink.outcomes());
        assertEquals(
                "Group B arrest report HI0020000 B-77 (90C Disorderly Conduct): an arrest without an incident report;"
                        + " arrests are not imported",
                sink.skipped.get(0).why());
    }

    @Test
    public void blankHourStartsTheIncidentAtTheStartOfItsDay() throws IOException {
        CrimeRecord r =
                read(Segments.incident(ORI, "N-1", "20190701", "  ", "13B")).only();

        assertEquals(ZonedDateTime.of(2019, 7, 1, 0, 0, 0, 0, HONOLULU).toInstant(), r.occurredFrom());
    }

    @Test
    public void reportDateIndicatorMakesTheDateTheReportDate() throws IOException {
        String file = Segments.administrative('I', ORI, "R-3", "20190702", "")
                        .put(46, "R")
                        .trimmed() + "\n" + Segments.offense(ORI, "R-3", "23C").trimmed() + "\n";

        CrimeRecord r = read(file).only();

        assertEquals(ZonedDateTime.of(2019, 7, 2, 0, 0, 0, 0, HONOLULU).toInstant(), r.occurredFrom());
        assertEquals(Optional.of(r.occurredFrom()), r.reportedAt());
    }

    @Test
    public void keepsOnlyTheSitesAgenciesWhenConfigured() throws IOException {
        NibrsAdapter honoluluOnly = new NibrsAdapter(Agencies.parse("HI0020000"), null, CdeExtractReader.RUN_SIZE);
        String file = Segments.incident(ORI, "A-1", "20190701", "10", "13B")
                + Segments.incident("HI0030000", "A-1", "20190701", "10", "13B");
        CollectingSink sink = new CollectingSink(HONOLULU);

        honoluluOnly.read(Inputs.text("two.txt", file), sink);

        assertEquals(1, sink.accepted.size());
        assertEquals("HI0020000-A-1", sink.accepted.get(0).sourceId());
        assertEquals(1, sink.skipped.size());
        assertTrue(sink.skipped.get(0).why().contains("HI0030000 is not one of this site's agencies"));
    }

    @Test
    public void stopsReadingWhenTheImportIsCancelled() throws IOException {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            file.append(Segments.incident(ORI, "C-" + i, "20190701", "10", "13B"));
        }
        CollectingSink sink = new CollectingSink(HONOLULU, 3);

        adapter.read(Inputs.text("many.txt", file.toString()), sink);

        assertEquals(3, sink.outcomes());
    }
}
