package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.directory.DirectoryFile;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ImportReport;
import org.dmiplatform.api.directory.ServiceDirectory;
import org.dmiplatform.api.programme.Market.ServiceCategory;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The directory routes: queries as the directory receives them, import, export, guards, no directory bound. */
public class DirectoryApiTest {
    private ApiFixture f;
    private Client services;
    private final Recording directory = new Recording();

    static class Recording implements ServiceDirectory {
        final List<Object> asked = new ArrayList<>();
        String imported;
        boolean editable;

        @Override
        public boolean edits() {
            return editable;
        }

        @Override
        public DirectoryService save(Site site, DirectoryService service, Caller caller) {
            asked.add(service);
            return service.id().isEmpty() ? service.withDistance(0) : service;
        }

        @Override
        public void remove(Site site, String id, Caller caller) {
            asked.add("remove " + id);
        }

        static DirectoryService service(String id, String name, double km) {
            return new DirectoryService(
                    id,
                    name,
                    "",
                    Set.of(ServiceCategory.DRUG_TREATMENT),
                    List.of(),
                    null,
                    List.of(),
                    List.of(),
                    "",
                    List.of(),
                    List.of(),
                    "",
                    "",
                    "active",
                    Optional.empty(),
                    Optional.of(km));
        }

        @Override
        public boolean imports() {
            return true;
        }

        @Override
        public String describe(Site site) {
            return "HSDS 3.0 package, 2 services";
        }

        @Override
        public List<DirectoryService> search(Site site, DirectoryQuery query, Caller caller) {
            asked.add(query);
            return List.of(service("b", "Beacon Recovery", 2.5), service("a", "Access Detox", 0.7));
        }

        @Override
        public Optional<DirectoryService> find(Site site, String id, Caller caller) {
            return id.equals("a") ? Optional.of(service("a", "Access Detox", 0)) : Optional.empty();
        }

        @Override
        public ImportReport importPackage(Site site, DirectoryFile file, Caller caller) {
            try {
                imported = file.fileName() + ":" + new String(file.content().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ImportReport("HSDS 3.0", 2, 1, 1, List.of(), List.of(), Instant.EPOCH);
        }

        @Override
        public void exportHsds(Site site, OutputStream out, Caller caller) {
            try {
                out.write("[{\"id\":\"a\",\"name\":\"Access Detox\"}]".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.sites.bind("chicago", ServiceDirectory.class, directory);
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("chi-services", Grant.at("chicago", Role.SERVICES));
        f.user("chi-police", Grant.at("chicago", Role.POLICE));
        f.user("den-services", Grant.at("denver", Role.SERVICES));
        services = f.logIn("chi-services");
    }

    @After
    public void tearDown() {
        f.close();
    }

    @Test
    public void aSearchReachesTheDirectoryAsAskedAndComesBackNearestFirst() {
        Response r = f.send(
                "GET",
                "/sites/chicago/directory?category=drug-treatment,job-training&q=detox"
                        + "&near=-87.65,41.85&withinKm=5&limit=20",
                null,
                f.logIn("chi-police"));
        assertEquals(r.text(), 200, r.status());
        DirectoryQuery asked = (DirectoryQuery) directory.asked.get(0);
        assertEquals(Set.of(ServiceCategory.DRUG_TREATMENT, ServiceCategory.JOB_TRAINING), asked.categories());
        assertEquals("detox", asked.text());
        assertEquals(new DirectoryQuery.Point(-87.65, 41.85), asked.near().orElseThrow());
        assertEquals(5.0, asked.withinKm().orElseThrow(), 0);
        assertEquals(20, asked.limit());
        JsonNode body = r.json();
        assertEquals("HSDS 3.0 package, 2 services", body.at("/directories/0").asText());
        assertEquals("a", body.at("/services/0/id").asText());
        assertEquals("drug-treatment", body.at("/services/0/categories/0").asText());

        JsonNode byName =
                f.send("GET", "/sites/chicago/directory", null, services).json();
        assertEquals("Access Detox", byName.at("/services/0/name").asText());
        assertEquals(
                200,
                f.send("GET", "/sites/chicago/directory/services/a", null, services)
                        .status());
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/directory/services/zz", null, services)
                        .status());

        for (String bad : List.of(
                "category=therapy",
                "near=200,41",
                "near=NaN,NaN",
                "withinKm=5",
                "limit=0",
                "near=-87,41&withinKm=-1")) {
            Response refused = f.send("GET", "/sites/chicago/directory?" + bad, null, services);
            assertEquals(bad, 400, refused.status());
        }
    }

    @Test
    public void packagesAreImportedByTheKeepersOfTheDirectoryAndExportedAsHsds() {
        Response imported = f.send(
                "POST",
                "/sites/chicago/directory/import?file=package.json",
                "[]",
                services,
                Map.of("content-type", "application/json", "x-csrf-token", services.csrf()));
        assertEquals(imported.text(), 200, imported.status());
        assertEquals("HSDS 3.0", imported.json().get("format").asText());
        assertEquals("package.json:[]", directory.imported);
        assertEquals(1, f.audit("directory.import").size());
        Client police = f.logIn("chi-police");
        assertEquals(
                403,
                f.send(
                                "POST",
                                "/sites/chicago/directory/import?file=p.json",
                                "[]",
                                police,
                                Map.of("content-type", "application/json", "x-csrf-token", police.csrf()))
                        .status());
        Response export = f.send("GET", "/sites/chicago/directory/export", null, police);
        assertEquals(200, export.status());
        assertEquals("Access Detox", export.json().at("/0/name").asText());
        assertTrue(export.raw().headers().stream()
                .anyMatch(h -> h.getKey().equalsIgnoreCase("Content-Disposition")
                        && h.getValue().contains("hsds3")));
    }

    @Test
    public void aLocalDirectoryIsEditedServiceByService() {
        String body = "{\"name\":\"Recovery Walk-in\",\"categories\":[\"drug-treatment\",\"family\"],"
                + "\"organization\":{\"id\":\"\",\"name\":\"Westside Partners\",\"description\":\"\",\"url\":\"\","
                + "\"email\":\"\"},\"locations\":[{\"id\":\"\",\"name\":\"Office\",\"address\":\"2000 W Madison St\","
                + "\"longitude\":-87.7,\"latitude\":41.88,\"hours\":[\"Mon-Fri 09:00-17:00\"]}],\"status\":\"active\"}";
        Response refused = f.send("POST", "/sites/chicago/directory/services", body, services);
        assertEquals(refused.text(), 400, refused.status());
        assertTrue(refused.json().at("/errors/0/reason").asText().contains("no directory edited here"));
        directory.editable = true;
        Response created = f.send("POST", "/sites/chicago/directory/services", body, services);
        assertEquals(created.text(), 201, created.status());
        DirectoryService typed = (DirectoryService) directory.asked.get(0);
        assertEquals("", typed.id());
        assertEquals(Set.of(ServiceCategory.DRUG_TREATMENT, ServiceCategory.FAMILY), typed.categories());
        assertEquals(-87.7, typed.locations().get(0).longitude().orElseThrow(), 0);
        assertEquals(List.of("Mon-Fri 09:00-17:00"), typed.locations().get(0).hours());
        Response changed = f.send("PUT", "/sites/chicago/directory/services/s-1", body, services);
        assertEquals(200, changed.status());
        assertEquals("s-1", ((DirectoryService) directory.asked.get(1)).id());
        assertEquals(
                204,
                f.send("DELETE", "/sites/chicago/directory/services/s-1", null, services)
                        .status());
        assertEquals("remove s-1", directory.asked.get(2));
        assertEquals(
                403,
                f.send("DELETE", "/sites/chicago/directory/services/s-1", null, f.logIn("chi-police"))
                        .status());
        assertEquals(2, f.audit("directory.save").size());
    }

    @Test
    public void twoDirectoriesAreCombinedTheEditedOneFirstAndEachServiceOnce() {
        Recording local = new Recording() {
            @Override
            public String describe(Site site) {
                return "Local directory, 2 services";
            }

            @Override
            public List<DirectoryService> search(Site site, DirectoryQuery query, Caller caller) {
                // "a" is in both: a combined export imported back; the local copy is the one shown
                return List.of(service("a", "Access Detox (local copy)", 0.7), service("c", "Carpool Club", 0.2));
            }

            @Override
            public void exportHsds(Site site, OutputStream out, Caller caller) {
                try {
                    out.write("[]".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        local.editable = true;
        f.sites.bind("chicago", ServiceDirectory.class, local);
        JsonNode body = f.send("GET", "/sites/chicago/directory?near=-87.65,41.85", null, services)
                .json();
        assertEquals("Local directory, 2 services", body.at("/directories/0").asText());
        assertEquals("HSDS 3.0 package, 2 services", body.at("/directories/1").asText());
        List<String> ids = new ArrayList<>();
        body.get("services")
                .forEach(s -> ids.add(s.get("id").asText() + ":" + s.get("name").asText()));
        assertEquals(List.of("c:Carpool Club", "a:Access Detox (local copy)", "b:Beacon Recovery"), ids);
        assertEquals("[\"a\",\"c\"]", body.get("editableIds").toString());
        // the export joins both arrays as written, an empty one adding nothing
        JsonNode export =
                f.send("GET", "/sites/chicago/directory/export", null, services).json();
        assertEquals(1, export.size());
    }

    @Test
    public void anotherSiteOrNoDirectoryIsRefused() {
        Client denver = f.logIn("den-services");
        assertEquals(
                404, f.send("GET", "/sites/chicago/directory", null, denver).status());
        Response none = f.send("GET", "/sites/denver/directory", null, denver);
        assertEquals(409, none.status());
        assertTrue(none.json().get("detail").asText().contains("no service directory"));
    }
}
