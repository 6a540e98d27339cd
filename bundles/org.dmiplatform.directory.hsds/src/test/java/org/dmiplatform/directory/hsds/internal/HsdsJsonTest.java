package org.dmiplatform.directory.hsds.internal;

import static org.dmiplatform.directory.hsds.internal.Fixtures.CHICAGO;
import static org.dmiplatform.directory.hsds.internal.Fixtures.POLICE;
import static org.dmiplatform.directory.hsds.internal.Fixtures.SERVICES;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ImportReport;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** HSDS 3.0 JSON in its three forms (one full service, an array, a page of the API), and what is not one. */
public class HsdsJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private HsdsDirectory directory;

    @Before
    public void setUp() throws Exception {
        directory = new HsdsDirectory(temp.newFolder().toPath(), Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        directory.modified(Fixtures.config("chicago", ""));
    }

    private List<DirectoryService> all() {
        return directory.search(CHICAGO, DirectoryQuery.all(), POLICE);
    }

    @Test
    public void oneFullServiceIsTakenOnceThoughItRepeatsItsParts() {
        ImportReport report =
                directory.importPackage(CHICAGO, Fixtures.json("hsds3_spec_examples/json/service_full.json"), SERVICES);

        assertEquals("HSDS 3.0", report.format());
        assertEquals(
                List.of(new InputError(
                        "service_full.json",
                        0,
                        "service_at_locations[0].location.latitude",
                        "latitude 100, longitude 101 is not a place on Earth (latitude runs from -90 to 90, longitude"
                                + " from -180 to 180): the location is kept without coordinates")),
                report.rejected());
        assertEquals(List.of("service_full.json, field 'description': spaces trimmed around 1 value"), report.notes());
        DirectoryService s = all().get(0);
        // the schedule, contact and phone appear at the service, its place, its location and its organisation
        assertEquals(List.of("Thu, Fri 10:00-18:00"), s.locations().get(0).hours());
        assertEquals(List.of(), s.hours());
        assertEquals(
                List.of(new DirectoryService.Contact(
                        "Ann Persona", "Reception Manager", "\"+44 1234 234567\" ext. 100", "email@example.com")),
                s.contacts());
        assertEquals(List.of("Urdu"), s.languages());
        // in JSON the attribute carries its term, which the CSV form cannot link
        assertEquals(List.of("code name"), s.taxonomy());
        assertEquals(
                "1-30 Main Street, MyVillage, MyCity, MyState, ABC 1234",
                s.locations().get(0).address());
    }

    @Test
    public void anArrayOfServicesIsTakenAndARepeatedIdIsNot() throws Exception {
        ObjectNode full = (ObjectNode)
                JSON.readTree(Files.readAllBytes(Fixtures.resource("hsds3_spec_examples/json/service_full.json")));
        ObjectNode second = full.deepCopy();
        second.put("id", "second-service");
        second.put("name", "Second Counselling");
        second.put("status", "Temporarily_Closed");
        ArrayNode array = JSON.createArrayNode().add(full).add(second).add(full.deepCopy());

        ImportReport report = directory.importPackage(
                CHICAGO, Fixtures.file("services.json", JSON.writeValueAsBytes(array)), SERVICES);

        assertEquals(2, report.services());
        assertTrue(report.rejected()
                .contains(new InputError(
                        "services.json",
                        0,
                        "[2].id",
                        "'ac148810-d857-441c-9679-408f346de14b' is already the id of the service at [0]: not taken")));
        assertEquals(
                "the repeated service is not read, so its latitude is not reported again",
                2,
                report.rejected().stream()
                        .filter(e -> e.field().endsWith("latitude"))
                        .count());
        assertEquals(
                List.of("Community Counselling", "Second Counselling"),
                all().stream().map(DirectoryService::name).toList());
        assertEquals("temporarily closed", all().get(1).status());
    }

    @Test
    public void aPageOfTheApiIsTakenFromItsContents() {
        ImportReport report =
                directory.importPackage(CHICAGO, Fixtures.json("hsds3_spec_examples/json/service_list.json"), SERVICES);

        assertEquals(1, report.services());
        assertEquals("the list form carries no locations", 0, report.locations());
        DirectoryService s = all().get(0);
        assertEquals("Community Counselling", s.name());
        assertEquals("Example Organization Inc.", s.organization().name());
        assertEquals(List.of(), s.locations());
    }

    @Test
    public void jsonThatIsNoServiceIsRefused() {
        InvalidInputException organization = assertThrows(
                InvalidInputException.class,
                () -> directory.importPackage(
                        CHICAGO, Fixtures.json("hsds3_spec_examples/json/organization_full.json"), SERVICES));
        assertEquals(
                List.of(InputError.of(
                        "organization_full.json",
                        "",
                        "is not HSDS 3.0 JSON: neither a service (with id, name and status), an array of services,"
                                + " nor a page of them (contents)")),
                organization.errors());

        InvalidInputException broken = assertThrows(
                InvalidInputException.class,
                () -> directory.importPackage(
                        CHICAGO,
                        Fixtures.file(
                                "broken.json", "[\n{\"id\": \"a\",\n\"name\": }".getBytes(StandardCharsets.UTF_8)),
                        SERVICES));
        assertEquals("broken.json", broken.errors().get(0).source());
        assertEquals(3, broken.errors().get(0).line());
        assertTrue(
                broken.errors().get(0).reason(), broken.errors().get(0).reason().startsWith("is not JSON: "));

        InvalidInputException empty = assertThrows(
                InvalidInputException.class,
                () -> directory.importPackage(
                        CHICAGO,
                        Fixtures.file(
                                "empty.json", "[{\"id\": \"\", \"name\": \"No id\"}]".getBytes(StandardCharsets.UTF_8)),
                        SERVICES));
        assertEquals(
                List.of(
                        InputError.of("empty.json", "", "no service could be taken from it"),
                        InputError.of("empty.json", "[0].id", "is empty: the service is not taken")),
                empty.errors());
        assertEquals(List.of(), all());
    }

    @Test
    public void aFileNamedNeitherZipNorJsonIsToldByItsFirstBytes() {
        byte[] zip = Fixtures.zip(Fixtures.files(Fixtures.resource("hsds1.1_sample_datapackage/simple")), "");

        ImportReport report = directory.importPackage(CHICAGO, Fixtures.file("upload.bin", zip), SERVICES);

        assertEquals("HSDS 1.1", report.format());
        assertEquals(13, report.services());
    }
}
