package org.dmiplatform.directory.hsds.internal;

import static org.dmiplatform.directory.hsds.internal.Fixtures.CHICAGO;
import static org.dmiplatform.directory.hsds.internal.Fixtures.POLICE;
import static org.dmiplatform.directory.hsds.internal.Fixtures.SERVICES;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ImportReport;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The HSDS 3.0 specification's example CSV package, zipped as published: one service, and the broken links the
 * example really has (its location, contact and attribute point to ids found nowhere in the package).
 */
public class Hsds3PackageTest {
    static final String PACKAGE = "hsds3_spec_examples/csv";
    static final String SERVICE = "ac148810-d857-441c-9679-408f346de14b";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path data;
    private HsdsDirectory directory;

    @Before
    public void setUp() throws Exception {
        data = temp.newFolder("data").toPath();
        directory = new HsdsDirectory(data, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        directory.modified(Fixtures.config("chicago", ""));
    }

    /** What the example package's report must say: each of these is true of the published files. */
    static final List<InputError> EXPECTED_REJECTED = List.of(
            new InputError(
                    "locations.csv",
                    2,
                    "organization_id",
                    "points to no organisation taken from organizations.csv"
                            + " ('985e4a42-bd9f-4edc-911d-0243a4640aca'): the link is ignored"),
            new InputError(
                    "locations.csv",
                    2,
                    "latitude",
                    "latitude 100, longitude 101 is not a place on Earth (latitude runs from -90 to 90, longitude"
                            + " from -180 to 180): the location is kept without coordinates"),
            new InputError(
                    "contacts.csv",
                    2,
                    "service_at_location_id",
                    "points to no service at location taken from service_at_location.csv"
                            + " ('93eaf18d-1cd2-4ec7-bffb-3c9172ee5070'): the link is ignored"),
            new InputError(
                    "contacts.csv",
                    2,
                    "organization_id",
                    "points to no organisation taken from organizations.csv"
                            + " ('ae67a707-5893-4225-b0b1-320ab9cb596b'): the link is ignored"),
            new InputError(
                    "attributes.csv",
                    2,
                    "link_id",
                    "points to no service, organisation or location taken from the package"
                            + " ('f28dd44b-0c4d-479f-8e90-4c52219a8b3c'): not taken"));

    @Test
    public void theExamplePackageIsTakenWithItsBrokenLinksReported() {
        ImportReport report = directory.importPackage(CHICAGO, Fixtures.zipped(PACKAGE, "hsds3.zip"), SERVICES);

        assertEquals("HSDS 3.0", report.format());
        assertEquals(1, report.services());
        assertEquals(1, report.organizations());
        assertEquals(1, report.locations());
        assertEquals(Fixtures.NOW, report.importedAt());
        assertEquals(EXPECTED_REJECTED, report.rejected());
        assertEquals(List.of("services.csv, field 'description': spaces trimmed around 1 value"), report.notes());
    }

    @Test
    public void theServiceIsReadWithItsLocationHoursContactsAndLanguages() {
        directory.importPackage(CHICAGO, Fixtures.zipped(PACKAGE, "hsds3.zip"), SERVICES);

        DirectoryService s = directory.find(CHICAGO, SERVICE, POLICE).orElseThrow();
        assertEquals("Community Counselling", s.name());
        assertTrue(
                "the trailing space is trimmed", s.description().endsWith("difficult life events and circumstances."));
        assertEquals("Example Organization Inc.", s.organization().name());
        assertEquals("http://example.com", s.organization().url());
        assertEquals(1, s.locations().size());
        DirectoryService.Location place = s.locations().get(0);
        assertEquals("3a19ff88-4620-4d17-9830-ac1d859eb5d5", place.id());
        assertEquals("MyCity Civic Center", place.name());
        assertEquals("1-30 Main Street, MyVillage, MyCity, MyState, ABC 1234", place.address());
        assertEquals("latitude 100 is not kept", Optional.empty(), place.latitude());
        assertEquals(Optional.empty(), place.longitude());
        // the schedule names the service at location, so its hours are the place's; the example's byday says
        // Thursday and Friday while its description says weekdays
        assertEquals(List.of("Thu, Fri 10:00-18:00"), place.hours());
        assertEquals(List.of(), s.hours());
        assertEquals(
                List.of(new DirectoryService.Contact(
                        "Ann Persona", "Reception Manager", "\"+44 1234 234567\" ext. 100", "email@example.com")),
                s.contacts());
        assertEquals(List.of("Urdu"), s.languages());
        assertEquals(Optional.of(LocalDate.of(2005, 1, 1)), s.lastVerified());
        assertEquals("active", s.status());
        assertEquals(
                "This service is intended for all people aged 12 and over who require counselling services in the"
                        + " MyCity area",
                s.eligibility());
        assertEquals("its one attribute links to nothing", List.of(), s.taxonomy());
        assertEquals(List.of(s), directory.search(CHICAGO, DirectoryQuery.all(), POLICE));
    }

    @Test
    public void aPackageInsideOneFolderOfTheArchiveReadsTheSame() {
        ImportReport flat = directory.importPackage(CHICAGO, Fixtures.zipped(PACKAGE, "hsds3.zip"), SERVICES);
        List<DirectoryService> before = directory.search(CHICAGO, DirectoryQuery.all(), POLICE);

        ImportReport nested = directory.importPackage(
                CHICAGO,
                Fixtures.file("nested.zip", Fixtures.zip(Fixtures.files(Fixtures.resource(PACKAGE)), "hsds-3.0/")),
                SERVICES);

        assertEquals(flat.rejected(), nested.rejected());
        assertEquals(before, directory.search(CHICAGO, DirectoryQuery.all(), POLICE));
    }

    @Test
    public void theDirectoryIsOneNormalisedFileWithItsReportBeside() throws Exception {
        directory.importPackage(CHICAGO, Fixtures.zipped(PACKAGE, "hsds3.zip"), SERVICES);

        Path folder = data.resolve("sites/chicago/directory");
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(
                    List.of("report.json", "services.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        JsonNode services =
                new ObjectMapper().readTree(folder.resolve("services.json").toFile());
        assertEquals("HSDS 3.0", services.get("format").asText());
        assertEquals("hsds3.zip", services.get("source").asText());
        assertEquals(SERVICE, services.get("services").get(0).get("id").asText());
        JsonNode report =
                new ObjectMapper().readTree(folder.resolve("report.json").toFile());
        assertEquals(5, report.get("rejected").size());
        assertEquals(
                "attributes.csv", report.get("rejected").get(4).get("source").asText());
        assertEquals(Fixtures.NOW.toString(), report.get("importedAt").asText());
        try (Stream<Path> scratch = Files.list(data.resolve("tmp"))) {
            assertFalse("the unpacked package is removed", scratch.findAny().isPresent());
        }
    }

    @Test
    public void describeSaysWhatWasImportedAndWhen() {
        assertEquals("Open Referral HSDS directory: nothing imported yet", directory.describe(CHICAGO));

        directory.importPackage(CHICAGO, Fixtures.zipped(PACKAGE, "hsds3.zip"), SERVICES);

        // 03:00 UTC on 1 December is still 30 November in Chicago
        assertEquals("HSDS 3.0 package hsds3.zip, 1 service, imported 2026-11-30", directory.describe(CHICAGO));
    }
}
