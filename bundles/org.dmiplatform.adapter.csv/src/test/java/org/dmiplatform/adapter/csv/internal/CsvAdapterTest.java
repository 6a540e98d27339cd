package org.dmiplatform.adapter.csv.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.core.internal.profile.RecordsProfilesImpl;
import org.dmiplatform.testing.CollectingSink;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The CSV adapter with the shipped presets on excerpts of the real exports, and on every kind of bad file. */
public class CsvAdapterTest {
    /** The repository's site folders, as provisioning would copy them. */
    static final Path SITE_CONFIGS = Paths.get("../../site-configs");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path sites;
    private RecordsProfilesImpl profiles;

    @Before
    public void setUp() throws IOException {
        sites = temp.newFolder("sites").toPath();
        profiles = RecordsProfilesImpl.in(sites);
        copyProfiles("chicago", SITE_CONFIGS.resolve("chicago/profiles"));
        copyProfiles("denver", SITE_CONFIGS.resolve("denver/profiles"));
        copyProfiles("dallas", Paths.get("src/test/resources/profiles"));
    }

    private void copyProfiles(String site, Path from) throws IOException {
        Path to = RecordsProfilesImpl.folder(sites, site);
        Files.createDirectories(to);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
            for (Path f : files) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private void profile(String site, String name, String json) throws IOException {
        Path to = RecordsProfilesImpl.folder(sites, site);
        Files.createDirectories(to);
        Files.writeString(to.resolve(name), json);
    }

    static CsvAdapter.Config config(String site, String profile) {
        return new CsvAdapter.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CsvAdapter.Config.class;
            }

            @Override
            public String dmi_site() {
                return site;
            }

            @Override
            public String profile() {
                return profile;
            }
        };
    }

    private CsvAdapter adapter(String site, String profile) {
        return new CsvAdapter(config(site, profile), profiles);
    }

    static RecordsInput export(String... files) {
        return new RecordsInput() {
            @Override
            public String name() {
                return files[0];
            }

            @Override
            public InputStream open() throws IOException {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int i = 0; i < files.length; i++) {
                    byte[] bytes = Files.readAllBytes(Paths.get("src/test/resources/exports", files[i]));
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    // later files: without their header row, as if one export
                    all.write(
                            (i == 0 ? text : text.substring(text.indexOf('\n') + 1)).getBytes(StandardCharsets.UTF_8));
                }
                return new java.io.ByteArrayInputStream(all.toByteArray());
            }

            @Override
            public Optional<String> watermark() {
                return Optional.empty();
            }
        };
    }

    static RecordsInput bytes(String name, byte[] bytes) {
        return new RecordsInput() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(bytes);
            }

            @Override
            public Optional<String> watermark() {
                return Optional.empty();
            }
        };
    }

    static RecordsInput text(String name, String text, Charset charset) {
        return bytes(name, text.getBytes(charset));
    }

    private static final String CHICAGO_HEADER =
            "ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,"
                    + "Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,Location";
    private static final String CHICAGO_ROW =
            "10367002,HZ103159,01/03/2016 11:57:00 PM,016XX W 77TH ST,0486,BATTERY,DOMESTIC BATTERY SIMPLE,RESIDENCE,"
                    + "false,true,0611,006,17,71,08B,1166811,1853653,2016,01/10/2016 08:46:55 AM,41.753985135,-87.664263469,"
                    + "\"(41.753985135, -87.664263469)\"";

    private CollectingSink chicago(RecordsInput input) throws IOException {
        CollectingSink sink = new CollectingSink("America/Chicago");
        adapter("chicago", "chicago-clear.json").read(input, sink);
        return sink;
    }

    @Test
    public void chicagoPresetReadsEveryRowOfTheClearExport() throws IOException {
        CollectingSink sink = chicago(export("chicago-clear-2016-01-03.csv"));
        assertEquals(sink.rejected.toString(), 300, sink.accepted.size());
        CrimeRecord first = sink.record("10367002");
        assertEquals(RecordKind.INCIDENT, first.kind());
        assertEquals("local time read in Chicago", Instant.parse("2016-01-04T05:57:00Z"), first.occurredFrom());
        assertEquals("0486", first.code());
        assertEquals("BATTERY: DOMESTIC BATTERY SIMPLE", first.codeText());
        assertEquals("simple battery (FBI 08B) is neither Part I nor a Step 1 crime", Category.OTHER, first.category());
        assertFalse(first.partOne());
        assertEquals("0611", first.beat());
        assertEquals("006", first.district());
        assertEquals("016XX W 77TH ST", first.address());
        assertEquals(-87.664263469, first.location().orElseThrow().longitude(), 1e-9);
        assertEquals(41.753985135, first.location().orElseThrow().latitude(), 1e-9);
        CrimeRecord narcotics = sink.record("10366979");
        assertEquals(Category.DRUG, narcotics.category());
        assertEquals("2027", narcotics.code());
        assertEquals(
                14,
                sink.accepted.stream()
                        .filter(r -> r.category() == Category.DRUG)
                        .count());
        assertEquals(144, sink.accepted.stream().filter(CrimeRecord::partOne).count());
        assertEquals(
                "rows without coordinates keep their place in the data, without a location",
                35,
                sink.accepted.stream().filter(r -> r.location().isEmpty()).count());
    }

    @Test
    public void statePlaneFeetAreReprojectedToWithinAMetreOfThePublishedLongitudeLatitude() throws IOException {
        String chicagoXy = Files.readString(SITE_CONFIGS.resolve("chicago/profiles/chicago-clear.json"))
                .replace("{\"x\": \"Longitude\", \"y\": \"Latitude\", \"crs\": \"EPSG:4326\"},", "");
        profile("chicago", "chicago-xy.json", chicagoXy);
        CollectingSink projected = new CollectingSink("America/Chicago");
        adapter("chicago", "chicago-xy.json").read(export("chicago-clear-2016-01-03.csv"), projected);
        CollectingSink published = chicago(export("chicago-clear-2016-01-03.csv"));
        assertWithinAMetre(published, projected, 265);

        String denverXy = Files.readString(SITE_CONFIGS.resolve("denver/profiles/denver-crime.json"))
                .replace("{\"x\": \"GEO_LON\", \"y\": \"GEO_LAT\", \"crs\": \"EPSG:4326\"},", "");
        profile("denver", "denver-xy.json", denverXy);
        CollectingSink denverProjected = new CollectingSink("America/Denver");
        adapter("denver", "denver-xy.json").read(denverExport(), denverProjected);
        CollectingSink denverPublished = new CollectingSink("America/Denver");
        adapter("denver", "denver-crime.json").read(denverExport(), denverPublished);
        assertWithinAMetre(denverPublished, denverProjected, 205);
    }

    private static void assertWithinAMetre(CollectingSink published, CollectingSink projected, int atLeast) {
        int compared = 0;
        double worst = 0;
        for (int i = 0; i < published.accepted.size(); i++) {
            CrimeRecord a = published.accepted.get(i);
            CrimeRecord b = projected.accepted.get(i);
            assertEquals(a.sourceId(), b.sourceId());
            assertEquals(a.location().isPresent(), b.location().isPresent());
            if (a.location().isPresent()) {
                worst = Math.max(worst, metres(a.location().get(), b.location().get()));
                compared++;
            }
        }
        assertTrue("compared " + compared, compared >= atLeast);
        assertTrue("worst distance " + worst + " m", worst < 1.0);
    }

    static double metres(CrimeRecord.Location a, CrimeRecord.Location b) {
        double lat = Math.toRadians((a.latitude() + b.latitude()) / 2);
        double dx = Math.toRadians(a.longitude() - b.longitude()) * Math.cos(lat) * 6_371_000;
        double dy = Math.toRadians(a.latitude() - b.latitude()) * 6_371_000;
        return Math.hypot(dx, dy);
    }

    private static RecordsInput denverExport() {
        return export("denver_crime_incidents_1.csv", "denver_crime_incidents_2.csv", "denver_crime_incidents_3.csv");
    }

    @Test
    public void denverPresetLeavesTrafficAccidentsOutAndCategorisesByTheOffenceCodeTable() throws IOException {
        CsvAdapter adapter = adapter("denver", "denver-crime");
        assertTrue("one row per offence: the pipeline merges them", adapter.mergesRepeats());
        CollectingSink sink = new CollectingSink("America/Denver");
        adapter.read(denverExport(), sink);
        assertEquals(sink.rejected.toString(), 0, sink.rejected.size());
        assertEquals(47, sink.skipped.size());
        assertTrue(sink.skipped.stream().allMatch(s -> s.why().equals("traffic accident")));
        assertEquals(205, sink.accepted.size());
        CrimeRecord drug = sink.record("201872390");
        assertEquals(Category.DRUG, drug.category());
        assertEquals("3572-0", drug.code());
        assertEquals("the code table's own spelling", "Possession of methampetamine", drug.codeText());
        assertEquals(Instant.parse("2018-01-31T03:04:00Z"), drug.occurredFrom());
        assertEquals(Optional.of(Instant.parse("2018-01-31T05:12:00Z")), drug.reportedAt());
        assertEquals(Optional.empty(), drug.occurredTo());
        assertEquals(
                13,
                sink.accepted.stream()
                        .filter(r -> r.category() == Category.DRUG)
                        .count());
        assertEquals(
                "blank addresses stay blank",
                10,
                sink.accepted.stream().filter(r -> r.address().isEmpty()).count());
    }

    @Test
    public void aNewDepartmentIsOnboardedByAProfileAlone() throws IOException {
        CsvAdapter adapter = adapter("dallas", "dallas-calls.json");
        CollectingSink sink = new CollectingSink("America/Chicago");
        adapter.read(export("dallas-active-calls-2018-01-09.csv"), sink);
        assertEquals(sink.rejected.toString(), 63, sink.accepted.size());
        assertTrue(adapter.mergesRepeats());
        assertEquals(
                45, sink.accepted.stream().map(CrimeRecord::sourceId).distinct().count());
        CrimeRecord call = sink.accepted.get(0);
        assertEquals(RecordKind.CALL_FOR_SERVICE, call.kind());
        assertEquals("18-0052973", call.sourceId());
        assertEquals("38", call.code());
        assertEquals("Meet Complainant", call.codeText());
        assertEquals("3000 E Illinois Ave", call.address());
        assertEquals("South Central", call.district());
        assertEquals(Instant.parse("2018-01-09T15:26:00Z"), call.occurredFrom());
        assertEquals(Category.DISORDER, sink.record("18-0052860").category());
    }

    // ---- bad files ---------------------------------------------------------------------------------------

    private InvalidInputException refused(RecordsInput input) throws IOException {
        try {
            chicago(input);
            fail("accepted " + input.name());
            return null;
        } catch (InvalidInputException e) {
            return e;
        }
    }

    @Test
    public void anEmptyFileIsRefused() throws IOException {
        assertEquals(
                "empty.csv: is empty", refused(bytes("empty.csv", new byte[0])).getMessage());
        assertEquals(
                "blank.csv: is empty",
                refused(text("blank.csv", "\n \r\n", StandardCharsets.UTF_8)).getMessage());
        assertEquals(
                "header.csv, line 1: has a header but no rows",
                refused(text("header.csv", CHICAGO_HEADER + "\n", StandardCharsets.UTF_8))
                        .getMessage());
    }

    @Test
    public void spreadsheetsArchivesAndBinaryFilesAreRefusedSayingWhatTheyAre() throws IOException {
        byte[] xlsx = {'P', 'K', 3, 4, 20, 0, 6, 0, 8, 0};
        assertTrue(refused(bytes("crimes.xlsx", xlsx)).getMessage().contains("is a ZIP archive (an Excel .xlsx"));
        byte[] xls = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
        assertTrue(refused(bytes("crimes.xls", xls)).getMessage().contains("is an Excel .xls workbook"));
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        assertTrue(refused(bytes("noise.bin", noise)).getMessage().contains("is a binary file"));
        String utf16 = CHICAGO_HEADER + "\n" + CHICAGO_ROW + "\n";
        assertTrue(refused(text("utf16.csv", utf16, StandardCharsets.UTF_16LE))
                .getMessage()
                .contains("UTF-16"));
    }

    @Test
    public void byteOrderMarksAreHonouredAndNotPartOfTheFirstColumnName() throws IOException {
        String csv = CHICAGO_HEADER + "\r\n" + CHICAGO_ROW + "\r\n";
        byte[] body = csv.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        assertEquals(
                "10367002", chicago(bytes("bom.csv", withBom)).accepted.get(0).sourceId());
        CollectingSink utf16 = chicago(text("utf16.csv", "\uFEFF" + csv, StandardCharsets.UTF_16LE));
        assertEquals("10367002", utf16.accepted.get(0).sourceId());
    }

    @Test
    public void aFileInAnotherEncodingIsRefusedNamingTheLineAndTheLikelyCause() throws IOException {
        String csv = CHICAGO_HEADER + "\n" + CHICAGO_ROW + "\n"
                + CHICAGO_ROW.replace("016XX W 77TH ST", "016XX W PEÑA ST") + "\n";
        InvalidInputException e = refused(text("latin.csv", csv, Charset.forName("windows-1252")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("latin.csv, line 3: byte 0xD1 is not UTF-8 text"));
        assertTrue(e.getMessage(), e.getMessage().contains("\"encoding\": \"windows-1252\""));
    }

    @Test
    public void aProfileNamingAColumnTheFileLacksIsRefusedListingTheFilesColumns() throws IOException {
        String csv = CHICAGO_HEADER.replace("Date,", "Occurred,") + "\n" + CHICAGO_ROW + "\n";
        InvalidInputException e = refused(text("renamed.csv", csv, StandardCharsets.UTF_8));
        assertEquals("Date", e.errors().get(0).field());
        assertEquals(1, e.errors().get(0).line());
        assertTrue(
                e.errors().get(0).reason(),
                e.errors().get(0).reason().startsWith("is missing from the input's columns"));
        assertTrue(
                e.getMessage(),
                e.getMessage().contains("renamed.csv, line 1: its columns are: ID, Case Number, Occurred, Block"));
    }

    @Test
    public void unusableRowsAreQuarantinedWithLineColumnAndReasonAndTheRestIsRead() throws IOException {
        String csv = String.join(
                "\n",
                CHICAGO_HEADER,
                CHICAGO_ROW,
                CHICAGO_ROW.replace("10367002,", "10367003,").replace("01/03/2016 11:57:00 PM", "2016-01-03 23:57"),
                "10367004,HZ1,01/03/2016 11:00:00 PM,016XX W 77TH ST",
                CHICAGO_ROW.replace("10367002,", ","),
                CHICAGO_ROW.replace("10367002,", "10367006,").replace("41.753985135,-87.664263469", "abc,-87.66"),
                CHICAGO_ROW
                        .replace("10367002,", "10367007,")
                        .replace("41.753985135,-87.664263469", "0,0")
                        .replace("1166811,1853653", "0,0"),
                CHICAGO_ROW
                        .replace("10367002,", "10367008,")
                        .replace("01/03/2016 11:57:00 PM", "13/45/2016 11:57:00 PM"),
                CHICAGO_ROW.replace("10367002,", "10367009,"));
        CollectingSink sink = chicago(text("mixed.csv", csv + "\n", StandardCharsets.UTF_8));
        // a location that cannot be read is optional: the record comes in without it, saying why
        assertEquals(
                List.of("10367002", "10367006", "10367009"),
                sink.accepted.stream().map(CrimeRecord::sourceId).toList());
        CrimeRecord unplaced = sink.accepted.get(1);
        assertEquals(java.util.Optional.empty(), unplaced.location());
        assertEquals(6, unplaced.line());
        assertEquals(1, unplaced.warnings().size());
        assertTrue(unplaced.warnings().get(0), unplaced.warnings().get(0).startsWith("location: "));
        assertTrue(
                unplaced.warnings().get(0),
                unplaced.warnings().get(0).contains("\"abc\" in column Latitude is not a number"));
        assertEquals(5, sink.rejected.size());
        assertRejected(
                sink.rejected.get(0),
                3,
                "Date",
                "'2016-01-03 23:57' is not a date in the format MM/dd/yyyy hh:mm:ss a (occurredFrom)");
        assertRejected(sink.rejected.get(1), 4, "", "has 4 fields where the header has 22");
        assertRejected(
                sink.rejected.get(2), 5, "ID", "is empty: the row has no id, so a re-import could not recognise it");
        assertRejected(
                sink.rejected.get(3),
                7,
                "X Coordinate / Y Coordinate",
                "is 0,0: a placeholder, not a place; clear it or fix it in the source");
        assertRejected(
                sink.rejected.get(4),
                8,
                "Date",
                "'13/45/2016 11:57:00 PM' is not a date in the format MM/dd/yyyy hh:mm:ss a (occurredFrom)");
        assertTrue(sink.rejected.get(1).raw().startsWith("10367004,HZ1"));
    }

    private static void assertRejected(CollectingSink.Rejected r, long line, String field, String reason) {
        assertEquals(r.toString(), line, r.line());
        assertEquals(r.toString(), field, r.field());
        assertEquals(r.toString(), reason, r.reason());
    }

    @Test
    public void anUnclosedQuoteFailsTheImportNamingWhereItStarts() throws IOException {
        String csv = CHICAGO_HEADER + "\n" + CHICAGO_ROW + "\n"
                + CHICAGO_ROW.replace("016XX W 77TH ST", "\"016XX W 77TH ST") + "\n" + CHICAGO_ROW + "\n";
        CollectingSink sink = new CollectingSink("America/Chicago");
        try {
            adapter("chicago", "chicago-clear.json").read(text("quote.csv", csv, StandardCharsets.UTF_8), sink);
            // FastCSV may read the rest as one field: then the row is ragged and quarantined, never silently kept
            assertEquals(1, sink.accepted.size());
            assertEquals(3, sink.rejected.get(0).line());
        } catch (InvalidInputException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("quote.csv"));
        }
    }

    @Test
    public void anUnknownLocalCodeIsQuarantinedNamingTheCodeTable() throws IOException {
        byte[] denver = Files.readAllBytes(Paths.get("src/test/resources/exports/denver_crime_incidents_1.csv"));
        String text = new String(denver, StandardCharsets.UTF_8);
        String[] lines = text.split("\r?\n");
        String changed =
                lines[0] + "\n" + lines[1].replace("\"5213\",\"0\"", "\"9999\",\"7\"") + "\n" + lines[2] + "\n";
        CollectingSink sink = new CollectingSink("America/Denver");
        adapter("denver", "denver-crime.json").read(text("codes.csv", changed, StandardCharsets.UTF_8), sink);
        assertEquals(1, sink.accepted.size());
        assertRejected(
                sink.rejected.get(0),
                2,
                "OFFENSE_CODE + OFFENSE_CODE_EXTENSION",
                "'9999-7' is not in the code table denver-offense-codes.csv: add it there (or set the profile's"
                        + " codes.unknown to \"other\")");
    }

    /** An export that writes 0,0 for "address withheld": declared, those records come in without a place. */
    @Test
    public void aDeclaredPlaceholderMeansNoLocationAndPaddingIsCollapsed() throws IOException {
        profile(
                "chicago",
                "withheld.json",
                """
                {
                  "profile": 1,
                  "file": {"header": true},
                  "fields": {
                    "sourceId": "id",
                    "occurredFrom": {"column": "at", "formats": ["yyyy-MM-dd HH:mm"]},
                    "code": "code",
                    "address": "address",
                    "location": {"x": "lon", "y": "lat", "noLocation": [[0, 0], [-1, -1]]}
                  },
                  "category": [{"column": "code", "startsWith": "20", "is": "drug"}]
                }
                """);
        String file = "id,at,code,address,lon,lat\n"
                + "W1,2016-01-03 23:57,2027,100   W  MAIN ST,0,0\n"
                + "W2,2016-01-03 23:58,2027,200 W MAIN ST,-1,-1\n"
                + "W3,2016-01-03 23:59,2027,300 W MAIN ST,-87.66,41.75\n";
        CollectingSink sink = new CollectingSink("America/Chicago");
        adapter("chicago", "withheld").read(text("withheld.csv", file, StandardCharsets.UTF_8), sink);
        assertEquals(sink.rejected.toString(), 3, sink.accepted.size());
        assertEquals(Optional.empty(), sink.record("W1").location());
        assertEquals(Optional.empty(), sink.record("W2").location());
        assertEquals(-87.66, sink.record("W3").location().orElseThrow().longitude(), 1e-9);
        assertEquals("100 W MAIN ST", sink.record("W1").address());
        // undeclared, 0,0 is still quarantined as a placeholder, not a place (unusableRows... above)
    }

    @Test
    public void filesWithoutAHeaderAreReadByPositionWithDateAndTimeInSeparateColumns() throws IOException {
        profile(
                "chicago",
                "positions.json",
                """
                {
                  "profile": 1,
                  "file": {"header": false, "delimiter": "|", "skipLines": 1},
                  "fields": {
                    "sourceId": 1,
                    "occurredFrom": {"positions": [2, 3], "formats": ["yyyyMMdd HHmm", "yyyyMMdd Hmm", "yyyyMMdd"]},
                    "code": 4,
                    "location": {"point": 5, "order": "lat lon"}
                  },
                  "category": [{"position": 4, "startsWith": "20", "is": "drug"}]
                }
                """);
        String file =
                "RMS EXTRACT 2016-01-04\nA1|20160103|2357|2027|(41.75, -87.66)\nA2|20160103|930|0486|\nA3|20160103||0486|POINT (41.80 -87.60)\n";
        CollectingSink sink = new CollectingSink("America/Chicago");
        adapter("chicago", "positions").read(text("rms.txt", file, StandardCharsets.UTF_8), sink);
        assertEquals(sink.rejected.toString(), 3, sink.accepted.size());
        assertEquals(Instant.parse("2016-01-04T05:57:00Z"), sink.record("A1").occurredFrom());
        assertEquals(Category.DRUG, sink.record("A1").category());
        assertEquals(-87.66, sink.record("A1").location().orElseThrow().longitude(), 1e-9);
        assertEquals(
                "9:30 with a one-digit hour",
                Instant.parse("2016-01-03T15:30:00Z"),
                sink.record("A2").occurredFrom());
        assertEquals(
                "no time: the start of the day",
                Instant.parse("2016-01-03T06:00:00Z"),
                sink.record("A3").occurredFrom());
        assertEquals(41.80, sink.record("A3").location().orElseThrow().latitude(), 1e-9);
    }

    @Test
    public void aBrokenProfileFailsEveryImportWithItsMistakesAndTheAdapterSaysSo() throws IOException {
        profile("chicago", "broken.json", "{\"profile\": 1,\n \"fields\": {\"sourceId\": \"ID\"}}\n");
        CsvAdapter adapter = adapter("chicago", "broken.json");
        assertTrue(adapter.describe(), adapter.describe().contains("cannot be used"));
        try {
            adapter.read(export("chicago-clear-2016-01-03.csv"), new CollectingSink("America/Chicago"));
            fail();
        } catch (InvalidInputException e) {
            assertTrue(
                    e.getMessage(), e.getMessage().contains("broken.json, line 2, field 'fields.code': is required"));
        }
    }

    @Test
    public void aCancelledImportStopsReading() throws IOException {
        CollectingSink sink = new CollectingSink("America/Chicago");
        sink.cancel();
        adapter("chicago", "chicago-clear.json").read(export("chicago-clear-2016-01-03.csv"), sink);
        assertEquals(0, sink.outcomes());
    }
}
