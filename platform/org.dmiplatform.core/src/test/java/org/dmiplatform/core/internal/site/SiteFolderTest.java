package org.dmiplatform.core.internal.site;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.SiteDefinition;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SiteFolderTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path folder(String name, String siteCfg) throws IOException {
        Path folder = temp.newFolder(name).toPath();
        Files.writeString(folder.resolve("site.cfg"), siteCfg, StandardCharsets.UTF_8);
        return folder;
    }

    private static List<InputError> errors(Path folder) {
        try {
            SiteProvisioningImpl.readFolder(folder);
            fail("the folder should be refused");
            return List.of();
        } catch (InvalidInputException e) {
            return e.errors();
        }
    }

    @Test
    public void shippedDemoSitesAreValid() {
        Path configs = Paths.get("../../site-configs");
        SiteDefinition chicago = SiteProvisioningImpl.readFolder(configs.resolve("chicago"));
        assertEquals("chicago", chicago.site().id());
        assertEquals(ZoneId.of("America/Chicago"), chicago.site().timeZone());
        assertEquals(List.of("EPSG:3435", "EPSG:4326"), chicago.site().sourceCrs());
        assertEquals(
                List.of("chicago-clear.json"), List.copyOf(chicago.profiles().keySet()));
        SiteDefinition denver = SiteProvisioningImpl.readFolder(configs.resolve("denver"));
        assertEquals(List.of("EPSG:2232", "EPSG:4326"), denver.site().sourceCrs());
        assertEquals(
                List.of("denver-crime.json", "denver-offense-codes.csv"),
                List.copyOf(denver.profiles().keySet()));
    }

    private static final String PROFILE = "{\"profile\": 1, \"fields\": {\"sourceId\": \"ID\", \"code\": \"C\","
            + " \"occurredFrom\": {\"column\": \"D\", \"formats\": [\"iso\"]}}}";

    @Test
    public void readsTheRecordsProfilesAndChecksThemBeforeAnythingIsProvisioned() throws IOException {
        Path folder = folder("high-point", "name = High Point\ntimeZone = America/New_York\n");
        Files.createDirectories(folder.resolve("profiles"));
        Files.createDirectories(folder.resolve("plugins"));
        Files.writeString(folder.resolve("profiles/rms.json"), PROFILE);
        Files.writeString(
                folder.resolve("profiles/broken.json"), "{\"profile\": 1,\n\"fields\": {\"sourceId\": \"ID\"}}");
        Files.writeString(folder.resolve("plugins/org.dmiplatform.adapter.csv.cfg"), "profile = missing.json\n");
        List<InputError> errors = errors(folder);
        assertEquals(new InputError("profiles/broken.json", 2, "fields.code", "is required"), errors.get(0));
        assertEquals(new InputError("profiles/broken.json", 2, "fields.occurredFrom", "is required"), errors.get(1));
        assertEquals(
                folder.resolve("plugins/org.dmiplatform.adapter.csv.cfg").toString(),
                errors.get(2).source());
        assertEquals("profile", errors.get(2).field());
        assertTrue(
                errors.get(2).reason(),
                errors.get(2).reason().startsWith("names the profile 'missing.json', which is not"));
        Files.delete(folder.resolve("profiles/broken.json"));
        Files.writeString(folder.resolve("plugins/org.dmiplatform.adapter.csv.cfg"), "profile = rms\n");
        assertEquals(
                Map.of("rms.json", PROFILE),
                SiteProvisioningImpl.readFolder(folder).profiles());
    }

    @Test
    public void aSiteDefinedFromARequestCarriesItsTemplatesProfilesAndChecksThem() {
        SiteProvisioningImpl provisioning = new SiteProvisioningImpl(null, null, null, null, null, null);
        Map<String, String> settings = Map.of("id", "high-point", "name", "High Point", "timeZone", "America/New_York");
        List<org.dmiplatform.api.PluginConfiguration> plugins = List.of(new org.dmiplatform.api.PluginConfiguration(
                "org.dmiplatform.adapter.csv", Map.of("profile", "rms"), "template high-point"));
        assertEquals(
                Map.of("rms.json", PROFILE),
                provisioning
                        .define(settings, plugins, Map.of("rms.json", PROFILE), "request body")
                        .profiles());
        try {
            provisioning.define(settings, plugins, Map.of(), "request body");
            fail("a plug-in naming a profile the definition lacks is refused");
        } catch (InvalidInputException e) {
            assertEquals("template high-point", e.errors().get(0).source());
            assertEquals("profile", e.errors().get(0).field());
        }
    }

    @Test
    public void aZipCutShortOrNotAZipIsRefusedNamingTheFile() throws IOException {
        SiteProvisioningImpl provisioning = new SiteProvisioningImpl(null, null, null, null, null, null);
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(whole)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("site.cfg"));
            zip.write("name = High Point\ntimeZone = America/New_York\n"
                    .repeat(50)
                    .getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        byte[] cut = java.util.Arrays.copyOf(whole.toByteArray(), whole.size() / 2);
        byte[] notAZip = new byte[4096];
        new java.util.Random(7L).nextBytes(notAZip);
        System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, notAZip, 0, 4);
        for (byte[] bytes : List.of(cut, notAZip)) {
            try {
                provisioning.readZip("high-point.zip", new java.io.ByteArrayInputStream(bytes));
                fail("a damaged zip was read");
            } catch (InvalidInputException e) {
                assertEquals("high-point.zip", e.errors().get(0).source());
                assertTrue(
                        e.errors().get(0).reason(), e.errors().get(0).reason().contains("zip"));
            }
        }
    }

    @Test
    public void readsSettingsAndPluginConfigurations() throws IOException {
        Path folder = folder("high-point", "name = High Point\ntimeZone = America/New_York\nfeatures = dmi-a, dmi-b\n");
        Files.createDirectory(folder.resolve("plugins"));
        Files.writeString(folder.resolve("plugins/org.dmiplatform.adapter.csv.cfg"), "profile = rms.json\n");
        Files.createDirectory(folder.resolve("profiles"));
        Files.writeString(folder.resolve("profiles/rms.json"), PROFILE);
        SiteDefinition definition = SiteProvisioningImpl.readFolder(folder);
        assertEquals("high-point", definition.site().id());
        assertEquals(List.of("dmi-a", "dmi-b"), definition.site().features());
        assertEquals("org.dmiplatform.adapter.csv", definition.plugins().get(0).factoryPid());
        assertEquals(Map.of("profile", "rms.json"), definition.plugins().get(0).properties());
    }

    @Test
    public void reportsEveryProblemWithFileLineAndField() throws IOException {
        Path folder = folder(
                "gotham",
                "# settings\nname = Gotham\ntimeZone = Gotham/Central\nsourceCrs = 3435\ncolour = blue\nname = Again\n");
        List<InputError> errors = errors(folder);
        String file = folder.resolve("site.cfg").toString();
        assertEquals(new InputError(file, 6, "name", "is set twice (first on line 2)"), errors.get(0));
        assertEquals(1, errors.size());

        Files.writeString(
                folder.resolve("site.cfg"),
                "name = Gotham\ntimeZone = Gotham/Central\nsourceCrs = 3435\ncolour = blue\n");
        errors = errors(folder);
        assertEquals(
                List.of("colour:4", "timeZone:2", "sourceCrs:3"),
                errors.stream().map(e -> e.field() + ":" + e.line()).toList());
        assertTrue(errors.stream().allMatch(e -> e.source().equals(file)));
        assertTrue(errors.get(1).reason().contains("'Gotham/Central' is not a time zone"));
    }

    @Test
    public void refusesAnIdThatDiffersFromTheFolderName() throws IOException {
        List<InputError> errors = errors(folder("denver", "id = boulder\nname = X\ntimeZone = America/Denver\n"));
        assertEquals("id", errors.get(0).field());
        assertEquals(1, errors.get(0).line());
    }

    @Test
    public void refusesAFolderWithoutSettingsAndAPluginForAnotherSite() throws IOException {
        Path empty = temp.newFolder("empty").toPath();
        assertTrue(errors(empty).get(0).reason().contains("site.cfg"));

        Path folder = folder("denver", "name = Denver\ntimeZone = America/Denver\n");
        Files.createDirectory(folder.resolve("plugins"));
        Files.writeString(folder.resolve("plugins/org.dmiplatform.adapter.csv.cfg"), "site = chicago\n");
        Files.writeString(folder.resolve("plugins/bad-name.cfg"), "a = b\n");
        List<InputError> errors = errors(folder);
        assertEquals(2, errors.size());
        assertTrue(errors.get(0).reason().contains("factory PID"));
        assertEquals("site", errors.get(1).field());
    }

    @Test
    public void refusesTextThatIsNotUtf8() throws IOException {
        Path folder = folder("denver", "");
        Files.write(folder.resolve("site.cfg"), new byte[] {'n', 'a', 'm', 'e', '=', (byte) 0xff, (byte) 0xfe, '\n'});
        assertEquals("is not UTF-8 text", errors(folder).get(0).reason());
    }
}
