package org.dmiplatform.directory.hsds.internal;

import static org.dmiplatform.directory.hsds.internal.Fixtures.CHICAGO;
import static org.dmiplatform.directory.hsds.internal.Fixtures.POLICE;
import static org.dmiplatform.directory.hsds.internal.Fixtures.SERVICES;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ImportReport;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A messy package made from the HSDS 1.1 sample the way real exports go wrong, each fault reported exactly; and
 * packages that give nothing, which leave the earlier directory as it was.
 */
public class MessyPackageTest {
    static final String SANCTUARY = "1899600a-649c-11e6-8b77-86f30ca893d3";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path data;
    private HsdsDirectory directory;

    @Before
    public void setUp() throws Exception {
        data = temp.newFolder().toPath();
        directory = new HsdsDirectory(data, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        directory.modified(Fixtures.config("chicago", ""));
    }

    private static String text(Map<String, byte[]> files, String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    private static void replace(Map<String, byte[]> files, String name, String from, String to) {
        String before = text(files, name);
        assertTrue(name + " holds " + from, before.contains(from));
        files.put(
                name,
                before.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.UTF_8));
    }

    private static void append(Map<String, byte[]> files, String name, String row) {
        files.put(name, (text(files, name) + row + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The full 1.1 sample with the faults of a real export. */
    static Map<String, byte[]> messy() {
        Map<String, byte[]> files =
                new TreeMap<>(Fixtures.files(Fixtures.resource("hsds1.1_sample_datapackage/all_resources")));
        // a resource datapackage.json declares is left out
        files.remove("funding.csv");
        // a header renamed
        replace(files, "phones.csv", ",number,", ",phone_number,");
        // times as people type them, and one that cannot be read (line 3)
        replace(files, "regular_schedules.csv", ",1,09:00:00,17:00:00", ",1,8:00am,5:30 PM");
        replace(files, "regular_schedules.csv", ",2,09:00:00,17:00:00", ",2,17h,17:00:00");
        // impossible coordinates (line 2) and a latitude without longitude (line 5); the others stay blank
        replace(files, "locations.csv", "On the Number 41 bus route.,,", "On the Number 41 bus route.,100,-87.6");
        replace(
                files,
                "locations.csv",
                "open to visitors with appointments only.,,,",
                "open to visitors with appointments only.,,41.88,");
        // stray spaces
        replace(files, "organizations.csv", "," + "Sanctuary Example City,", ", Sanctuary Example City ,");
        replace(files, "services.csv", ",Never Homeless Helpline,", ",Never Homeless Helpline  ,");
        // a service at a location of a service that is not there (line 15)
        append(files, "services_at_location.csv", "orphan-visit,no-such-service,30b83c60-64a1-11e6-8b77-86f30ca893d3,");
        // an organisation id used twice (line 16)
        append(files, "organizations.csv", SANCTUARY + ",Sanctuary Again,,Another row,,,,,,");
        // a service of an organisation that is not there (line 19)
        append(files, "services.csv", "phantom,no-such-org,,Phantom Service,,,,,active,,,,,,,");
        return files;
    }

    @Test
    public void everyFaultIsReportedWithFileLineFieldAndReason() {
        ImportReport report =
                directory.importPackage(CHICAGO, Fixtures.file("messy.zip", Fixtures.zip(messy(), "")), SERVICES);

        assertEquals("HSDS 1.1", report.format());
        assertEquals(13, report.services());
        assertEquals(10, report.organizations());
        assertEquals(10, report.locations());
        assertEquals(
                List.of(
                        new InputError(
                                "organizations.csv",
                                16,
                                "id",
                                "'" + SANCTUARY + "' is already the id of line 2: not taken"),
                        new InputError(
                                "locations.csv",
                                2,
                                "latitude",
                                "latitude 100, longitude -87.6 is not a place on Earth (latitude runs from -90 to 90,"
                                        + " longitude from -180 to 180): the location is kept without coordinates"),
                        new InputError(
                                "locations.csv",
                                5,
                                "latitude",
                                "has no longitude to go with it: the location is kept without coordinates"),
                        new InputError(
                                "services.csv",
                                19,
                                "organization_id",
                                "points to no organisation taken from organizations.csv ('no-such-org'): not taken"),
                        new InputError(
                                "services_at_location.csv",
                                15,
                                "service_id",
                                "points to no service taken from services.csv ('no-such-service'): not taken"),
                        new InputError(
                                "phones.csv",
                                1,
                                "number",
                                "the header has no column 'number', which every row needs (it has phone_number):"
                                        + " none of its 5 rows is read"),
                        new InputError(
                                "regular_schedules.csv",
                                3,
                                "opens_at",
                                "'17h' is not a time (17:00, 5:30 PM, 8am): the hours are kept without it")),
                report.rejected());
        assertEquals(
                List.of(
                        "datapackage.json declares the resource 'funding' (funding.csv), which is not in the package",
                        "phones.csv: columns not in the HSDS 1.1 schema, not read: phone_number",
                        "organizations.csv, field 'name': spaces trimmed around 1 value",
                        "services.csv, field 'name': spaces trimmed around 1 value",
                        "services.csv, field 'description': spaces trimmed around 1 value",
                        "regular_schedules.csv, field 'opens_at': 1 time such as 8:00am read as 24-hour HH:mm",
                        "regular_schedules.csv, field 'closes_at': 1 time such as 8:00am read as 24-hour HH:mm",
                        "locations.csv: 7 locations have no coordinates and cannot be found by distance"
                                + " (line 4, line 6, line 7, line 8, line 9, line 10, line 11)"),
                report.notes());
    }

    @Test
    public void whatIsValidInTheMessyPackageIsTaken() {
        directory.importPackage(CHICAGO, Fixtures.file("messy.zip", Fixtures.zip(messy(), "")), SERVICES);

        DirectoryService helpline = directory.search(CHICAGO, DirectoryQuery.all(), POLICE).stream()
                .filter(s -> s.id().equals("c89eb05c-62dd-4b64-b494-0cc347b6ea7f"))
                .findFirst()
                .orElseThrow();
        assertEquals("Never Homeless Helpline", helpline.name());
        assertEquals("Sanctuary Example City", helpline.organization().name());
        DirectoryService.Location place = helpline.locations().get(0);
        assertEquals(Optional.empty(), place.latitude());
        assertEquals(List.of("Mon 08:00-17:30", "Tue until 17:00", "Wed 09:00-17:00"), place.hours());
        assertTrue(directory.find(CHICAGO, "phantom", POLICE).isEmpty());
        assertTrue(
                "phones were not read",
                directory
                        .find(CHICAGO, "21a1192b-abb9-45e8-bc52-c81ca4087240", POLICE)
                        .orElseThrow()
                        .contacts()
                        .isEmpty());
    }

    private byte[] services() throws IOException {
        return Files.readAllBytes(data.resolve("sites/chicago/directory/services.json"));
    }

    @Test
    public void aPackageThatGivesNothingLeavesTheEarlierDirectory() throws Exception {
        directory.importPackage(CHICAGO, Fixtures.zipped("hsds1.1_sample_datapackage/simple", "simple.zip"), SERVICES);
        byte[] before = services();
        byte[] report = Files.readAllBytes(data.resolve("sites/chicago/directory/report.json"));

        InvalidInputException noPackage = assertThrows(
                InvalidInputException.class,
                () -> directory.importPackage(
                        CHICAGO,
                        Fixtures.file("minutes.zip", Fixtures.zip(Map.of("minutes.txt", new byte[] {'h', 'i'}), "")),
                        SERVICES));
        assertEquals(
                List.of(InputError.of(
                        "minutes.zip",
                        "",
                        "holds no datapackage.json and no services.csv: it is not an HSDS CSV data package")),
                noPackage.errors());

        InvalidInputException notZip = assertThrows(
                InvalidInputException.class,
                () -> directory.importPackage(
                        CHICAGO,
                        Fixtures.file("services.zip", "id,name\n".getBytes(StandardCharsets.UTF_8)),
                        SERVICES));
        assertEquals(
                List.of(InputError.of("services.zip", "", "is not a ZIP archive, or an empty one")), notZip.errors());

        Map<String, byte[]> orphans = Fixtures.files(Fixtures.resource("hsds1.1_sample_datapackage/simple"));
        orphans.remove("organizations.csv");
        InvalidInputException noService = assertThrows(
                InvalidInputException.class,
                () -> directory.importPackage(
                        CHICAGO, Fixtures.file("orphans.zip", Fixtures.zip(orphans, "")), SERVICES));
        assertEquals(
                InputError.of("orphans.zip", "", "no service could be taken from it"),
                noService.errors().get(0));
        assertTrue(noService
                .errors()
                .contains(new InputError(
                        "services.csv",
                        2,
                        "organization_id",
                        "points to no organisation taken from organizations.csv"
                                + " ('1899600a-649c-11e6-8b77-86f30ca893d3'): not taken")));

        assertArrayEquals(before, services());
        assertArrayEquals(report, Files.readAllBytes(data.resolve("sites/chicago/directory/report.json")));
        assertEquals(13, directory.search(CHICAGO, DirectoryQuery.all(), POLICE).size());
        assertEquals("HSDS 1.1 package simple.zip, 13 services, imported 2026-11-30", directory.describe(CHICAGO));
    }

    @Test
    public void anEntryWhosePathLeavesThePackageIsNotUnpacked() throws Exception {
        Map<String, byte[]> entries =
                new TreeMap<>(Fixtures.files(Fixtures.resource("hsds1.1_sample_datapackage/simple")));
        entries.put("../escaped.csv", "id\nx\n".getBytes(StandardCharsets.UTF_8));
        entries.put("/tmp/absolute.csv", "id\nx\n".getBytes(StandardCharsets.UTF_8));

        ImportReport report =
                directory.importPackage(CHICAGO, Fixtures.file("sly.zip", Fixtures.zip(entries, "")), SERVICES);

        assertEquals(13, report.services());
        assertTrue(report.notes()
                .contains("sly.zip: the entry '../escaped.csv' is not unpacked: its path leads out of the package"));
        assertTrue(report.notes()
                .contains("sly.zip: the entry '/tmp/absolute.csv' is not unpacked: its path leads out of the package"));
        assertFalse(Files.exists(data.resolve("escaped.csv")));
        assertFalse(Files.exists(data.resolve("tmp/escaped.csv")));
    }

    @Test
    public void aTableOfMoreThan200000RowsIsRefused() {
        StringBuilder locations = new StringBuilder("id,organization_id,name,latitude,longitude\n");
        for (int i = 0; i <= CsvTable.MAX_ROWS; i++) {
            locations.append('l').append(i).append(",o,,,\n");
        }
        Map<String, byte[]> files =
                new TreeMap<>(Fixtures.files(Fixtures.resource("hsds1.1_sample_datapackage/simple")));
        files.put("locations.csv", locations.toString().getBytes(StandardCharsets.UTF_8));

        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> directory.importPackage(CHICAGO, Fixtures.file("big.zip", Fixtures.zip(files, "")), SERVICES));

        assertEquals(
                List.of(new InputError(
                        "locations.csv", 200_002, "", "has more than 200000 rows, the most a table may have")),
                e.errors());
    }

    @Test
    public void anArchiveUnpackingToMoreThan256MegabytesIsRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("datapackage.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("services.csv"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i <= 256; i++) {
                zip.write(spaces);
            }
        }

        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> directory.importPackage(CHICAGO, Fixtures.file("bomb.zip", bytes.toByteArray()), SERVICES));

        assertEquals(List.of(InputError.of("bomb.zip", "", "unpacks to more than 256 MB")), e.errors());
        try (var scratch = Files.list(data.resolve("tmp"))) {
            assertFalse(
                    "the partly unpacked package is removed", scratch.findAny().isPresent());
        }
    }
}
