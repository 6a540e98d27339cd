package org.dmiplatform.adapter.nibrs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.testing.CollectingSink;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CdeExtractTest {
    private static final ZoneId PHOENIX = ZoneId.of("America/Phoenix");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private CollectingSink read(RecordsInput input, Agencies agencies, int runSize) throws IOException {
        CollectingSink sink = new CollectingSink(PHOENIX);
        new NibrsAdapter(agencies, folder.getRoot().toPath(), runSize).read(input, sink);
        return sink;
    }

    private CollectingSink read(Map<String, String> tables) throws IOException {
        return read(Inputs.zip("az-2016.zip", tables), Agencies.ALL, CdeExtractReader.RUN_SIZE);
    }

    private CollectingSink readExcerpt() throws IOException {
        return read(Inputs.cdeTables());
    }

    private static Map<String, String> change(String table, String from, String to) {
        Map<String, String> tables = Inputs.cdeTables();
        String text = tables.get(table);
        if (!text.contains(from)) {
            throw new IllegalArgumentException(table + " has no " + from);
        }
        tables.put(table, text.replace(from, to));
        return tables;
    }

    private static Instant at(int year, int month, int day, int hour) {
        return ZonedDateTime.of(year, month, day, hour, 0, 0, 0, PHOENIX).toInstant();
    }

    private List<Path> leftInTheTempFolder() throws IOException {
        try (Stream<Path> files = Files.list(folder.getRoot().toPath())) {
            return files.toList();
        }
    }

    @Test
    public void joinsTablesThatAreNotSortedByIncidentIdIntoOneRecordPerIncident() throws IOException {
        List<Long> ids = Inputs.string("cde_az_2016/nibrs_incident.csv")
                .lines()
                .skip(1)
                .map(line -> Long.parseLong(line.split(",")[1]))
                .toList();
        assertFalse(
                "the excerpt keeps the extract's own order",
                ids.equals(ids.stream().sorted().toList()));

        CollectingSink sink = readExcerpt();

        assertEquals(sink.toString(), 39, sink.accepted.size());
        assertEquals(39, sink.outcomes());
        assertEquals(
                39, sink.accepted.stream().map(CrimeRecord::sourceId).distinct().count());
        assertEquals(
                List.of("AZ0071100", "AZ0111300", "AZ0140000", "AZ0140500", "AZ0140900"),
                sink.accepted.stream()
                        .map(CrimeRecord::district)
                        .distinct()
                        .sorted()
                        .toList());
        assertEquals(List.of(), leftInTheTempFolder());
    }

    @Test
    public void drugIncidentCarriesItsSuspectedDrugTypeInTheFbisWords() throws IOException {
        CrimeRecord r = readExcerpt().record("AZ0111300-160127009");

        // weapon law violation, drug equipment and drug/narcotic violations: drugs first, the violation decides
        assertEquals(at(2016, 1, 27, 13), r.occurredFrom());
        assertEquals(Optional.empty(), r.reportedAt());
        assertEquals("35A", r.code());
        assertEquals("Drug/Narcotic Violations", r.codeText());
        assertEquals(Optional.of("35A"), r.nibrsCode());
        assertEquals(Category.DRUG, r.category());
        assertFalse(r.partOne());
        // the extract calls it "Meth/ Amphetamines"; the specification's name keeps all formats alike
        assertEquals(Optional.of("Amphetamines/Methamphetamines"), r.drugType());
        assertEquals("AZ0111300", r.district());
        assertEquals(2, r.line());
    }

    @Test
    public void drugIncidentWithAnAggravatedAssaultIsADrugRecordAndPartOne() throws IOException {
        CrimeRecord r = readExcerpt().record("AZ0111300-160516014");

        assertEquals(Category.DRUG, r.category());
        assertEquals("35A", r.code());
        assertTrue(r.partOne());
    }

    @Test
    public void blankIncidentHourStartsTheIncidentAtTheStartOfItsDay() throws IOException {
        CrimeRecord r = readExcerpt().record("AZ0111300-160216014");

        assertEquals(at(2016, 2, 16, 0), r.occurredFrom());
        assertEquals(Optional.of("Marijuana"), r.drugType());
    }

    @Test
    public void drugEquipmentViolationAloneIsADrugRecordWithItsSuspectedDrugType() throws IOException {
        // the incident without its drug/narcotic violation: only the drug equipment violation is left
        CrimeRecord r = read(change("nibrs_offense.csv", "93039239,85122461,16,C,13,,,\n", ""))
                .record("AZ0111300-160216014");

        assertEquals("35B", r.code());
        assertEquals("Drug Equipment Violations", r.codeText());
        assertEquals(Category.DRUG, r.category());
        assertEquals(Optional.of("Marijuana"), r.drugType());
    }

    @Test
    public void hourZeroIsMidnight() throws IOException {
        assertEquals(
                at(2016, 2, 20, 0), readExcerpt().record("AZ0111300-160220002").occurredFrom());
    }

    @Test
    public void reportDateFlagMakesTheDateTheReportDate() throws IOException {
        CrimeRecord r = readExcerpt().record("AZ0140500-201600036228");

        assertEquals(at(2016, 5, 31, 0), r.occurredFrom());
        assertEquals(Optional.of(r.occurredFrom()), r.reportedAt());
    }

    @Test
    public void unknownDrugTypeIsLeftOut() throws IOException {
        CollectingSink sink = readExcerpt();

        assertEquals(Optional.empty(), sink.record("AZ0111300-160506012").drugType());
        assertEquals(
                Optional.of("Marijuana"), sink.record("AZ0071100-16000022042").drugType());
    }

    @Test
    public void namesEverySuspectedDrugTypeOfTheIncident() throws IOException {
        Map<String, String> tables = Inputs.cdeTables();
        // a second drug seized with the same property: crack cocaine beside the methamphetamine
        tables.put("nibrs_suspected_drug.csv", tables.get("nibrs_suspected_drug.csv") + "1,99194578,12,1,99999991\n");

        assertEquals(
                Optional.of("Amphetamines/Methamphetamines; Crack Cocaine"),
                read(tables).record("AZ0111300-160127009").drugType());
    }

    @Test
    public void pseudoCode23StarIsALarcenyOfUnspecifiedKind() throws IOException {
        // no 2016 offense uses it, but the code table carries it: one all-other-larceny becomes "not specified"
        CollectingSink sink = read(change("nibrs_offense.csv", ",86043349,45,", ",86043349,58,"));

        CrimeRecord r = sink.record("AZ0140000-201600012227");
        assertEquals("23*", r.code());
        assertEquals("Larceny/Theft Offenses, Not Specified", r.codeText());
        assertEquals(Optional.empty(), r.nibrsCode());
        assertEquals(Category.PROPERTY_PART_I, r.category());
        assertTrue(r.partOne());
        assertEquals(39, sink.accepted.size());
    }

    @Test
    public void readsSurrogateIdsThroughTheExtractsOwnCodeTable() throws IOException {
        // another data year numbers the offense types differently: 27 and 51 swap
        Map<String, String> tables = change(
                "nibrs_offense_type.csv",
                "27,13A,Aggravated Assault,Person,N,Y,04,Assault Offenses",
                "27,13B,Simple Assault,Person,N,Y,09,Assault Offenses");
        tables.put(
                "nibrs_offense_type.csv",
                tables.get("nibrs_offense_type.csv")
                        .replace(
                                "51,13B,Simple Assault,Person,N,Y,09,Assault Offenses",
                                "51,13A,Aggravated Assault,Person,N,Y,04,Assault Offenses"));

        CollectingSink sink = read(tables);

        CrimeRecord wasSimple = sink.record("AZ0111300-160220002");
        assertEquals("13A", wasSimple.code());
        assertEquals(Category.VIOLENT_PART_I, wasSimple.category());
        assertEquals("13B", sink.record("AZ0140900-201600000098").code());
    }

    @Test
    public void givesTheSameRecordsWhateverTheSizeOfASortRun() throws IOException {
        List<CrimeRecord> inMemory = readExcerpt().accepted;
        List<CrimeRecord> oneRowARun = read(Inputs.zip("az.zip", Inputs.cdeTables()), Agencies.ALL, 1).accepted;

        assertEquals(inMemory, oneRowARun);
        assertEquals(List.of(), leftInTheTempFolder());
    }

    @Test
    public void quarantinesUnusableIncidentRowsWithTheirLineAndColumn() throws IOException {
        Map<String, String> tables = change(
                "nibrs_incident.csv",
                "895,83886284,7263767,160101009,,2017-11-06 00:00:00,2016-01-01 00:00:00,,9,",
                "895,83886284,7263767,160101009,,2017-11-06 00:00:00,2016-13-01 00:00:00,,9,");
        tables.put(
                "nibrs_incident.csv",
                tables.get("nibrs_incident.csv")
                        .replace("895,83886562,7263767,160102006,", "999,83886562,7263767,160102006,")
                        .replace(
                                "160104007,,2017-11-06 00:00:00,2016-01-04 00:00:00,,14,",
                                "160104007,,2017-11-06 00:00:00,2016-01-04 00:00:00,,25,"));

        CollectingSink sink = read(tables);

        assertEquals(36, sink.accepted.size());
        assertEquals(
                List.of(
                        "5 nibrs_incident.incident_date",
                        "6 nibrs_incident.agency_id",
                        "7 nibrs_incident.incident_hour"),
                sink.rejected.stream()
                        .map(r -> r.line() + " " + r.field())
                        .sorted()
                        .toList());
        CollectingSink.Rejected date =
                sink.rejected.stream().filter(r -> r.line() == 5).findFirst().orElseThrow();
        assertEquals("'2016-13-01 00:00:00' is not a date", date.reason());
        assertTrue(date.raw(), date.raw().startsWith("895,83886284,7263767,160101009,"));
    }

    @Test
    public void quarantinesAnIncidentWhoseOffenseTypeTheCodeTableLacks() throws IOException {
        CollectingSink sink = read(change("nibrs_offense.csv", ",86043349,45,", ",86043349,777,"));

        assertEquals(1, sink.rejected.size());
        assertEquals("nibrs_offense.offense_type_id", sink.rejected.get(0).field());
        assertTrue(sink.rejected.get(0).reason(), sink.rejected.get(0).reason().startsWith("offense_type_id '777'"));
        assertEquals(16, sink.rejected.get(0).line());
    }

    @Test
    public void quarantinesAnOffenseOfAnIncidentTheExtractLacksAtItsOwnLine() throws IOException {
        Map<String, String> tables = Inputs.cdeTables();
        tables.put("nibrs_offense.csv", tables.get("nibrs_offense.csv") + "99999999,12345,16,C,13,,,\n");

        CollectingSink sink = read(tables);

        assertEquals(39, sink.accepted.size());
        assertEquals(
                List.of(new CollectingSink.Rejected(
                        58,
                        "nibrs_offense.incident_id",
                        "an offense of incident_id 12345, which nibrs_incident.csv lacks",
                        "99999999,12345,16,C,13,,,")),
                sink.rejected);
    }

    @Test
    public void quarantinesARepeatedIncidentId() throws IOException {
        Map<String, String> tables = Inputs.cdeTables();
        String first =
                tables.get("nibrs_incident.csv").lines().skip(1).findFirst().orElseThrow();
        tables.put("nibrs_incident.csv", tables.get("nibrs_incident.csv") + first + "\n");

        CollectingSink sink = read(tables);

        assertEquals(39, sink.accepted.size());
        assertEquals(1, sink.rejected.size());
        assertEquals(41, sink.rejected.get(0).line());
        assertTrue(sink.rejected.get(0).reason().contains("repeats the incident at line 2"));
    }

    @Test
    public void keepsOnlyTheSitesAgencies() throws IOException {
        CollectingSink sink =
                read(Inputs.zip("az.zip", Inputs.cdeTables()), Agencies.parse("az0140500"), CdeExtractReader.RUN_SIZE);

        assertEquals(7, sink.accepted.size());
        assertTrue(sink.accepted.stream().allMatch(r -> r.district().equals("AZ0140500")));
        assertEquals(32, sink.skipped.size());
    }

    @Test
    public void stopsWhenCancelledAndDeletesItsSpillFiles() throws IOException {
        CollectingSink sink = new CollectingSink(PHOENIX, 5);

        new NibrsAdapter(Agencies.ALL, folder.getRoot().toPath(), 2)
                .read(Inputs.zip("az.zip", Inputs.cdeTables()), sink);

        assertEquals(5, sink.outcomes());
        assertEquals(List.of(), leftInTheTempFolder());
    }

    @Test
    public void refusesAnExtractLackingATableAndDeletesItsSpillFiles() throws IOException {
        Map<String, String> tables = Inputs.cdeTables();
        tables.remove("nibrs_offense_type.csv");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(tables));

        InputError error = e.errors().get(0);
        assertEquals("az-2016.zip", error.source());
        assertEquals("nibrs_offense_type.csv", error.field());
        assertTrue(error.reason(), error.reason().contains("lacks its table nibrs_offense_type.csv"));
        assertEquals(List.of(), leftInTheTempFolder());
    }

    @Test
    public void refusesATableLackingAColumnNamingIt() {
        Map<String, String> tables = change("nibrs_incident.csv", ",incident_hour,", ",hour,");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(tables));

        assertEquals("nibrs_incident.incident_hour", e.errors().get(0).field());
        assertEquals(1, e.errors().get(0).line());
    }

    @Test
    public void refusesAZipThatIsNoExtract() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> read(Map.of("README.md", "# photos of the block party\n")));

        assertTrue(e.getMessage(), e.getMessage().contains("not a Crime Data Explorer NIBRS extract"));
    }

    @Test
    public void refusesAZipHoldingTwoExtracts() {
        Map<String, String> tables = Inputs.cdeTables();
        Map<String, String> twice = new LinkedHashMap<>(tables);
        twice.put("NM-2016/nibrs_incident.csv", tables.get("nibrs_incident.csv"));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(twice));

        assertTrue(e.getMessage(), e.getMessage().contains("holds nibrs_incident.csv twice"));
    }
}
