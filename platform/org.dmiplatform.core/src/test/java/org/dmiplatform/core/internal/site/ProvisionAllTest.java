package org.dmiplatform.core.internal.site;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning.Outcome;
import org.dmiplatform.api.SiteProvisioning.Provisioned;
import org.dmiplatform.api.access.Actor;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Several sites provisioned at once: all checked before any is touched, and a second time changes nothing. */
public class ProvisionAllTest {
    static final Actor ADMIN = new Actor("tta-lead", "test");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path configs;
    private ProvisioningFixture f;

    /** A folder of site folders with three of the programme's kits and the shipped records systems. */
    @Before
    public void setUp() throws IOException {
        configs = temp.newFolder("site-configs").toPath();
        for (String kit : List.of("high-point", "rockford", "ocala", RecordsSystems.FOLDER)) {
            copy(SiteKitsTest.CONFIGS.resolve(kit), configs.resolve(kit));
        }
        f = new ProvisioningFixture(temp.newFolder("data").toPath(), configs);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private List<Provisioned> provisionAll() {
        return f.provisioning.provisionAll(f.provisioning.readAll(configs), ADMIN);
    }

    private static List<Outcome> outcomes(List<Provisioned> done) {
        return done.stream().map(Provisioned::outcome).toList();
    }

    private Map<String, Hashtable<String, Object>> snapshot() {
        Map<String, Hashtable<String, Object>> out = new HashMap<>();
        f.configurations.forEach((pid, properties) -> out.put(pid, new Hashtable<>(properties)));
        return out;
    }

    @Test
    public void aSecondRunLeavesSitesAsTheyAreAndAChangedKitUpdatesItsSite() throws IOException {
        List<Provisioned> first = provisionAll();
        assertEquals(
                List.of("high-point", "ocala", "rockford"),
                first.stream().map(p -> p.site().id()).toList());
        assertEquals(List.of(Outcome.CREATED, Outcome.CREATED, Outcome.CREATED), outcomes(first));
        assertEquals(
                List.of("nibrs-flat", "nibrs-xml", "nibrs-flat"),
                first.stream().map(Provisioned::recordsSystem).toList());
        assertEquals(3, f.audit("site.provision").size());
        Map<String, Hashtable<String, Object>> written = snapshot();
        assertEquals("a site, the NIBRS adapter and three plug-ins each", 15, written.size());

        List<Provisioned> again = provisionAll();
        assertEquals(List.of(Outcome.UNCHANGED, Outcome.UNCHANGED, Outcome.UNCHANGED), outcomes(again));
        assertEquals(
                "nothing is audited when nothing is done",
                3,
                f.audit("site.provision").size());
        assertEquals("nothing is written", written, snapshot());

        // Rockford's department sends a state extract: it names its agency, and its box grows
        Path rockford = configs.resolve("rockford");
        Files.writeString(
                rockford.resolve("site.cfg"),
                Files.readString(rockford.resolve("site.cfg"))
                        .replace("bounds = -89.18, 42.16, -88.93, 42.36", "bounds = -89.20, 42.15, -88.92, 42.37"));
        Files.writeString(rockford.resolve("plugins/org.dmiplatform.adapter.nibrs.cfg"), "oris = IL1010100\n");
        Files.delete(rockford.resolve("plugins/org.dmiplatform.directory.local.cfg"));
        List<Provisioned> changed = provisionAll();
        assertEquals(List.of(Outcome.UNCHANGED, Outcome.UNCHANGED, Outcome.UPDATED), outcomes(changed));
        assertEquals(
                -89.20, f.sites.find("rockford").orElseThrow().bounds().get().west(), 0);
        Map<String, Hashtable<String, Object>> plugins = f.pluginsOf("rockford");
        assertEquals("IL1010100", plugins.get("org.dmiplatform.adapter.nibrs").get("oris"));
        assertFalse(
                "a plug-in the kit no longer has is removed", plugins.containsKey("org.dmiplatform.directory.local"));
        assertEquals(4, f.audit("site.provision").size());
        assertEquals("rockford", f.audit("site.provision").get(3).site());
        assertEquals(ADMIN.name(), f.audit("site.provision").get(3).actor());
    }

    @Test
    public void aSitesExportProvisionsTheSameSiteWithTheSystemsFilesItWasGiven() throws IOException {
        Files.writeString(configs.resolve("ocala/plugins/org.dmiplatform.adapter.nibrs.cfg"), "oris = FL0420100\n");
        provisionAll();
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        f.provisioning.exportFolder("ocala", zip);
        SiteDefinition exported =
                f.provisioning.readZip("ocala.zip", new java.io.ByteArrayInputStream(zip.toByteArray()));
        assertEquals(
                "the export is whole: it names no system, it holds what the system gave", "", exported.recordsSystem());
        assertEquals(
                List.of("dmi-mapping-jts", "dmi-directory-local", "dmi-reporting-standard", "dmi-adapter-nibrs"),
                exported.site().features());
        assertEquals(
                Map.of("oris", "FL0420100"),
                exported.plugins().stream()
                        .filter(p -> p.factoryPid().equals("org.dmiplatform.adapter.nibrs"))
                        .findFirst()
                        .orElseThrow()
                        .properties());
        assertEquals(List.of(Outcome.UNCHANGED), outcomes(f.provisioning.provisionAll(List.of(exported), ADMIN)));
    }

    @Test
    public void everyProblemOfEveryKitIsReportedAndNothingIsChanged() throws IOException {
        provisionAll();
        Map<String, Hashtable<String, Object>> before = snapshot();
        int audited = f.audit.size();

        Path ocala = configs.resolve("ocala");
        Files.writeString(
                ocala.resolve("site.cfg"),
                Files.readString(ocala.resolve("site.cfg"))
                        .replace("timeZone = America/New_York", "timeZone = America/Ocala")
                        .replace("recordsSystem = nibrs-xml", "recordsSystem = nibrs-json"));
        Path rockford = configs.resolve("rockford");
        Files.writeString(
                rockford.resolve("site.cfg"),
                Files.readString(rockford.resolve("site.cfg")).replace("EPSG:3436", "EPSG:99999"));
        try {
            provisionAll();
            fail("two broken kits were provisioned");
        } catch (InvalidInputException e) {
            List<String> where = e.errors().stream()
                    .map(error -> Path.of(error.source()).getParent().getFileName() + "/"
                            + Path.of(error.source()).getFileName() + ":" + error.line() + ":" + error.field())
                    .toList();
            assertEquals(
                    List.of(
                            "ocala/site.cfg:10:recordsSystem",
                            "ocala/site.cfg:6:timeZone",
                            "rockford/site.cfg:8:sourceCrs"),
                    where);
            assertTrue(
                    e.errors().get(0).reason(),
                    e.errors()
                            .get(0)
                            .reason()
                            .startsWith(
                                    "no records system 'nibrs-json'; this platform has arcgis-denver-crime, cde-extract, nibrs-flat,"));
            assertTrue(
                    e.errors().get(2).reason(),
                    e.errors().get(2).reason().contains("'EPSG:99999' is not a coordinate system in the EPSG table"));
        }
        assertEquals(before, snapshot());
        assertEquals(audited, f.audit.size());
    }

    @Test
    public void aSiteIsCheckedWithTheOthersBeforeAnyIsWritten() throws IOException {
        List<SiteDefinition> kits = f.provisioning.readAll(configs);
        SiteDefinition ocala = kits.get(1);
        SiteDefinition unknownFeature = new SiteDefinition(
                new org.dmiplatform.api.Site(
                        "gotham",
                        "Gotham",
                        "",
                        java.time.ZoneId.of("America/New_York"),
                        List.of(),
                        "",
                        List.of("dmi-mapping-jts", "dmi-adapter-telepathy"),
                        java.util.Optional.empty()),
                List.of());
        try {
            f.provisioning.provisionAll(List.of(kits.get(0), ocala, unknownFeature, ocala), ADMIN);
            fail("provisioned a site with an unknown feature, and one site twice");
        } catch (InvalidInputException e) {
            assertEquals(
                    List.of(
                            new InputError(
                                    "site gotham",
                                    0,
                                    "features",
                                    "no feature 'dmi-adapter-telepathy' in the" + " installed repositories"),
                            new InputError("site ocala", 0, "id", "is given twice")),
                    e.errors());
        }
        assertTrue("nothing is written", f.configurations.isEmpty());
        assertTrue("no feature is installed", f.installs.isEmpty());
        assertTrue(f.audit.isEmpty());
    }

    @Test
    public void aDatabaseSiteProvisionsWithoutItsPasswordAndIsUnchangedTheSecondTime() throws IOException {
        Path riverton = configs.resolve("riverton");
        Files.createDirectories(riverton.resolve("plugins"));
        Files.writeString(
                riverton.resolve("site.cfg"),
                "name = Riverton (test)\ntimeZone = America/Chicago\nrecordsSystem = rms-database\n");
        Files.writeString(
                riverton.resolve("plugins/org.dmiplatform.adapter.jdbc.cfg"),
                "url = jdbc:postgresql://rms.riverton.example:5432/rms\nuser = dmi_reader\n"
                        + ".password = $[env:RIVERTON_RMS_PASSWORD]\n");
        List<Provisioned> first = provisionAll();
        assertEquals("riverton", first.get(2).site().id());
        assertEquals(Outcome.CREATED, first.get(2).outcome());
        assertEquals("rms-database", first.get(2).recordsSystem());
        Hashtable<String, Object> jdbc = f.pluginsOf("riverton").get("org.dmiplatform.adapter.jdbc");
        assertEquals("the reference is stored, never a value", "$[env:RIVERTON_RMS_PASSWORD]", jdbc.get(".password"));
        assertEquals("jdbc:postgresql://rms.riverton.example:5432/rms", jdbc.get("url"));
        assertEquals("updated_at", jdbc.get("watermark"));
        assertEquals("rms-view.json", jdbc.get("profile"));
        assertTrue(Files.isRegularFile(f.folder.resolve("sites/riverton/profiles/rms-view.json")));
        assertEquals(
                List.of(Outcome.UNCHANGED, Outcome.UNCHANGED, Outcome.UNCHANGED, Outcome.UNCHANGED),
                outcomes(provisionAll()));
    }
}
