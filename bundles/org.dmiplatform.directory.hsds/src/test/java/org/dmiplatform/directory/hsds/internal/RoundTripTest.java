package org.dmiplatform.directory.hsds.internal;

import static org.dmiplatform.directory.hsds.internal.Fixtures.CHICAGO;
import static org.dmiplatform.directory.hsds.internal.Fixtures.POLICE;
import static org.dmiplatform.directory.hsds.internal.Fixtures.SERVICES;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.dmiplatform.api.directory.DirectoryFile;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Import, export as HSDS 3.0 JSON, import that again: the same services, field for field. */
public class RoundTripTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private HsdsDirectory directory() throws Exception {
        HsdsDirectory d = new HsdsDirectory(temp.newFolder().toPath(), Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        d.modified(Fixtures.config("chicago", ""));
        return d;
    }

    private static byte[] export(HsdsDirectory d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.exportHsds(CHICAGO, out, POLICE);
        return out.toByteArray();
    }

    private void roundTrip(DirectoryFile original) throws Exception {
        HsdsDirectory first = directory();
        first.importPackage(CHICAGO, original, SERVICES);
        List<DirectoryService> before = first.search(CHICAGO, DirectoryQuery.all(), POLICE);
        byte[] exported = export(first);

        HsdsDirectory second = directory();
        second.importPackage(CHICAGO, Fixtures.file("export.json", exported), SERVICES);

        assertFalse(before.isEmpty());
        assertEquals(before, second.search(CHICAGO, DirectoryQuery.all(), POLICE));
        assertArrayEquals("the export of the export is the same file", exported, export(second));
    }

    @Test
    public void theHsds3CsvPackage() throws Exception {
        roundTrip(Fixtures.zipped("hsds3_spec_examples/csv", "hsds3.zip"));
    }

    @Test
    public void theHsds11FullSample() throws Exception {
        roundTrip(Fixtures.zipped("hsds1.1_sample_datapackage/all_resources", "all.zip"));
    }

    @Test
    public void theHsds11SimpleSample() throws Exception {
        roundTrip(Fixtures.zipped("hsds1.1_sample_datapackage/simple", "simple.zip"));
    }

    @Test
    public void theFullServiceJson() throws Exception {
        roundTrip(Fixtures.json("hsds3_spec_examples/json/service_full.json"));
    }

    @Test
    public void thePageOfServices() throws Exception {
        roundTrip(Fixtures.json("hsds3_spec_examples/json/service_list.json"));
    }

    @Test
    public void theExportIsAnArrayOfFullServices() throws Exception {
        HsdsDirectory d = directory();
        d.importPackage(CHICAGO, Fixtures.json("hsds3_spec_examples/json/service_full.json"), SERVICES);

        JsonNode services = new ObjectMapper().readTree(export(d));

        assertTrue(services.isArray());
        JsonNode s = services.get(0);
        Set<String> fields = new TreeSet<>();
        s.fieldNames().forEachRemaining(fields::add);
        assertEquals(
                new TreeSet<>(List.of(
                        "id",
                        "name",
                        "description",
                        "url",
                        "email",
                        "status",
                        "eligibility_description",
                        "assured_date",
                        "organization",
                        "service_at_locations",
                        "schedules",
                        "phones",
                        "contacts",
                        "languages",
                        "attributes")),
                fields);
        assertEquals("2005-01-01", s.get("assured_date").asText());
        JsonNode location = s.get("service_at_locations").get(0).get("location");
        assertEquals("3a19ff88-4620-4d17-9830-ac1d859eb5d5", location.get("id").asText());
        assertFalse("an impossible position is not exported", location.has("latitude"));
        assertEquals("MyCity", location.get("addresses").get(0).get("city").asText());
        JsonNode schedule =
                s.get("service_at_locations").get(0).get("schedules").get(0);
        assertEquals("TH,FR", schedule.get("byday").asText());
        assertEquals("10:00", schedule.get("opens_at").asText());
        JsonNode term = s.get("attributes").get(0).get("taxonomy_term");
        assertEquals("code", term.get("code").asText());
        assertEquals(
                term.get("id").asText(),
                s.get("attributes").get(0).get("taxonomy_term_id").asText());
        assertEquals(
                100,
                s.get("contacts").get(0).get("phones").get(0).get("extension").asInt());
    }

    @Test
    public void nothingImportedExportsAnEmptyArray() throws Exception {
        assertEquals("[]", new String(export(directory()), java.nio.charset.StandardCharsets.UTF_8));
    }
}
