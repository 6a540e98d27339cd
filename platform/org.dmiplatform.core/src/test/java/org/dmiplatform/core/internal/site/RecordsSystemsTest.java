package org.dmiplatform.core.internal.site;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.PluginConfiguration;
import org.dmiplatform.api.SiteDefinition;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A site naming a records system: filled in with the system's features, plug-ins and profiles wherever a site is read
 * (a folder, a template, a zip, a request), its own files first; an unknown system named where it is named.
 */
public class RecordsSystemsTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private SiteProvisioningImpl provisioning;

    @Before
    public void setUp() throws IOException {
        provisioning = new ProvisioningFixture(temp.newFolder("data").toPath(), SiteKitsTest.CONFIGS).provisioning;
    }

    private Path kit(String name, String siteCfg) throws IOException {
        Path folder = temp.newFolder(name).toPath();
        Files.writeString(folder.resolve("site.cfg"), siteCfg, StandardCharsets.UTF_8);
        return folder;
    }

    private static Map<String, PluginConfiguration> byPid(SiteDefinition definition) {
        Map<String, PluginConfiguration> out = new LinkedHashMap<>();
        definition.plugins().forEach(p -> out.put(p.factoryPid(), p));
        return out;
    }

    @Test
    public void aKitNamingASystemGetsItsFeatureAndPlugInAndLaysItsOwnSettingsOverThem() throws IOException {
        Path folder = kit(
                "high-point",
                "name = High Point\ntimeZone = America/New_York\nrecordsSystem = nibrs-flat\n"
                        + "features = dmi-mapping-jts\n");
        SiteDefinition plain = provisioning.read(folder);
        assertEquals("nibrs-flat", plain.recordsSystem());
        assertEquals(
                List.of("dmi-mapping-jts", "dmi-adapter-nibrs"), plain.site().features());
        PluginConfiguration nibrs = byPid(plain).get("org.dmiplatform.adapter.nibrs");
        assertEquals(Map.of(), nibrs.properties());
        assertEquals("records-systems/nibrs-flat/plugins/org.dmiplatform.adapter.nibrs.cfg", nibrs.source());
        assertFalse(
                "recordsSystem is no setting the site keeps",
                plain.site().settings().containsKey("recordsSystem"));

        Files.createDirectories(folder.resolve("plugins"));
        Files.writeString(folder.resolve("plugins/org.dmiplatform.adapter.nibrs.cfg"), "oris = AZ0140500\n");
        SiteDefinition own = provisioning.read(folder);
        nibrs = byPid(own).get("org.dmiplatform.adapter.nibrs");
        assertEquals(Map.of("oris", "AZ0140500"), nibrs.properties());
        assertEquals(folder.resolve("plugins/org.dmiplatform.adapter.nibrs.cfg").toString(), nibrs.source());
        assertEquals(1, own.plugins().size());
    }

    @Test
    public void aDatabaseKitGivesItsAddressAndKeepsTheSystemsQueryAndProfileUnlessItHasItsOwn() throws IOException {
        Path folder = kit("riverton", "name = Riverton\ntimeZone = America/Chicago\nrecordsSystem = rms-database\n");
        Files.createDirectories(folder.resolve("plugins"));
        Files.writeString(
                folder.resolve("plugins/org.dmiplatform.adapter.jdbc.cfg"),
                "url = jdbc:mariadb://rms.riverton.example:3306/rms\nuser = dmi_reader\n"
                        + ".password = $[env:RIVERTON_RMS_PASSWORD]\n");
        SiteDefinition read = provisioning.read(folder);
        Map<String, String> jdbc =
                byPid(read).get("org.dmiplatform.adapter.jdbc").properties();
        assertEquals("jdbc:mariadb://rms.riverton.example:3306/rms", jdbc.get("url"));
        assertEquals("$[env:RIVERTON_RMS_PASSWORD]", jdbc.get(".password"));
        assertTrue(jdbc.get("query"), jdbc.get("query").contains("FROM dmi_incidents WHERE updated_at >= ?"));
        assertEquals(List.of("rms-view.json"), List.copyOf(read.profiles().keySet()));
        String systems =
                Files.readString(SiteKitsTest.CONFIGS.resolve("records-systems/rms-database/profiles/rms-view.json"));
        assertEquals(systems, read.profiles().get("rms-view.json"));

        // the department's view has its own column for the time: its own profile of the same name wins
        Files.createDirectories(folder.resolve("profiles"));
        String own = systems.replace(
                "\"occurredFrom\": {\"column\": \"occurred_at\", \"formats\": [\"iso\"]}",
                "\"occurredFrom\": {\"columns\": [\"occurred_date\", \"occurred_time\"], \"formats\": [\"yyyy-MM-dd HH:mm:ss\"]}");
        Files.writeString(folder.resolve("profiles/rms-view.json"), own);
        assertEquals(own, provisioning.read(folder).profiles().get("rms-view.json"));

        // a profile of the kit's own broken is named as the kit's file
        Files.writeString(folder.resolve("profiles/rms-view.json"), "{\"profile\": 1,\n\"fields\": {}}");
        try {
            provisioning.read(folder);
            fail("a broken profile was read");
        } catch (InvalidInputException e) {
            assertEquals("profiles/rms-view.json", e.errors().get(0).source());
            assertEquals(2, e.errors().get(0).line());
        }
    }

    @Test
    public void anUnknownSystemIsNamedWithTheFileLineAndKey() throws IOException {
        Path folder = kit(
                "gotham", "# settings\nname = Gotham\ntimeZone = America/New_York\nrecordsSystem = ../nibrs-flat\n");
        try {
            provisioning.read(folder);
            fail("read a site naming an unknown records system");
        } catch (InvalidInputException e) {
            InputError error = e.errors().get(0);
            assertEquals(folder.resolve("site.cfg").toString(), error.source());
            assertEquals(4, error.line());
            assertEquals("recordsSystem", error.field());
            assertEquals(
                    "no records system '../nibrs-flat'; this platform has arcgis-denver-crime, cde-extract, nibrs-flat,"
                            + " nibrs-xml, rms-database, socrata-chicago-clear, socrata-dallas-calls",
                    error.reason());
        }
        try {
            SiteProvisioningImpl.readFolder(folder, RecordsSystems.NONE);
            fail("read a records system where there are none");
        } catch (InvalidInputException e) {
            assertTrue(e.errors().get(0).reason(), e.errors().get(0).reason().contains("has no records systems"));
        }
    }

    @Test
    public void aBrokenSystemIsNamedByItsOwnFilesNeverWhereThePlatformIsInstalled() throws IOException {
        Path configs = temp.newFolder("site-configs").toPath();
        Path system = configs.resolve("records-systems/county-rms");
        Files.createDirectories(system.resolve("plugins"));
        Files.createDirectories(system.resolve("profiles"));
        Files.writeString(system.resolve("system.cfg"), "name = County RMS\ncolour = blue\n");
        Files.writeString(system.resolve("plugins/org.dmiplatform.adapter.csv.cfg"), "site = chicago\nprofile = a\n");
        Files.writeString(system.resolve("profiles/a.json"), "{\"profile\": 1}");
        try {
            RecordsSystems.in(configs).read("county-rms", "site.cfg", 3);
            fail("read a broken records system");
        } catch (InvalidInputException e) {
            List<String> where = e.errors().stream()
                    .map(error -> error.source() + ":" + error.line() + ":" + error.field())
                    .toList();
            assertEquals(
                    List.of(
                            "records-systems/county-rms/system.cfg:2:colour",
                            "records-systems/county-rms/system.cfg:0:features",
                            "records-systems/county-rms/plugins/org.dmiplatform.adapter.csv.cfg:1:site"),
                    where);
        }
        assertEquals(List.of("county-rms"), RecordsSystems.in(configs).names());
        assertEquals(
                "a folder of site folders without systems has none",
                List.of(),
                RecordsSystems.in(temp.newFolder("x").toPath()).names());
    }

    @Test
    public void aRequestOrAZipMayNameASystemButNotOneThatReadsTheServersSecrets() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("id", "ocala");
        settings.put("name", "Ocala");
        settings.put("timeZone", "America/New_York");
        settings.put("sourceCrs", "EPSG:2237,EPSG:4326");
        settings.put("recordsSystem", "nibrs-xml");
        SiteDefinition defined = provisioning.define(settings, List.of(), Map.of(), "request body");
        assertEquals("nibrs-xml", defined.recordsSystem());
        assertEquals(List.of("dmi-adapter-nibrs"), defined.site().features());
        assertEquals(
                List.of("org.dmiplatform.adapter.nibrs"),
                List.copyOf(byPid(defined).keySet()));

        settings.put("recordsSystem", "rms-database");
        try {
            provisioning.define(settings, List.of(), Map.of(), "request body");
            fail("a request chose where the server's database password goes");
        } catch (InvalidInputException e) {
            assertEquals("recordsSystem", e.errors().get(0).field());
            assertEquals("request body", e.errors().get(0).source());
            assertTrue(
                    e.errors().get(0).reason(),
                    e.errors()
                            .get(0)
                            .reason()
                            .contains(
                                    "reads a secret from the server's environment (org.dmiplatform.adapter.jdbc .password)"));
        }

        settings.put("recordsSystem", "socrata-dallas-calls");
        settings.put("sourceCrs", "EPSG:2276");
        SiteDefinition dallas = provisioning.define(settings, List.of(), Map.of(), "request body");
        assertEquals(List.of("dallas-calls.json"), List.copyOf(dallas.profiles().keySet()));

        settings.put("sourceCrs", "EPSG:99999");
        try {
            provisioning.define(settings, List.of(), Map.of(), "request body");
            fail("a coordinate system the platform cannot read from was taken");
        } catch (InvalidInputException e) {
            assertEquals(
                    new InputError(
                            "request body",
                            0,
                            "sourceCrs",
                            "'EPSG:99999' is not a coordinate system in the EPSG table"),
                    e.errors().get(0));
        }

        assertEquals(
                "nibrs-flat",
                provisioning
                        .readZip(
                                "aiken.zip",
                                zip(
                                        "aiken/site.cfg",
                                        "name = Aiken\ntimeZone = America/New_York\nrecordsSystem = nibrs-flat\n"))
                        .recordsSystem());
        try {
            provisioning.readZip(
                    "riverton.zip",
                    zip(
                            "riverton/site.cfg",
                            "name = Riverton\ntimeZone = America/Chicago\nrecordsSystem = rms-database\n"));
            fail("a zip chose where the server's database password goes");
        } catch (InvalidInputException e) {
            assertEquals("riverton.zip!/riverton/site.cfg", e.errors().get(0).source());
            assertEquals("recordsSystem", e.errors().get(0).field());
        }
    }

    private static ByteArrayInputStream zip(String name, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(text.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    @Test
    public void theTemplatesAreTheSiteFoldersAloneAndAreReadWithTheirSystems() {
        List<String> templates = provisioning.templates();
        assertFalse(templates.contains(RecordsSystems.FOLDER));
        assertTrue(templates.containsAll(List.of("chicago", "denver", "high-point", "austin")));
        assertEquals("nibrs-flat", provisioning.template("austin").recordsSystem());
        assertEquals(
                List.of("high-point", "chicago"),
                provisioning.templates(List.of("high-point", "chicago")).stream()
                        .map(d -> d.site().id())
                        .toList());
        try {
            provisioning.templates(List.of("high-point", "gotham", "records-systems"));
            fail("read unknown templates");
        } catch (InvalidInputException e) {
            assertEquals(
                    List.of("templates[1]", "templates[2]"),
                    e.errors().stream().map(InputError::field).toList());
        }
    }
}
