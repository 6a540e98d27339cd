package org.dmiplatform.core.internal.addons;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.Before;
import org.junit.Test;

public class KarFileTest {
    private Path folder;
    private Path system;
    private KarFile.Platform platform;

    @Before
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("kar-file");
        system = Files.createDirectories(folder.resolve("system"));
        platform = new KarFile.Platform(
                system,
                Set.of("dmi-platform", "dmi-storage"),
                Set.of(),
                Set.of("org.dmiplatform.core", "com.fasterxml.jackson.core.jackson-databind"),
                Map.of());
    }

    static byte[] bundle(String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName + ";singleton:=false");
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new ZipEntry("org/example/lims/internal/README.txt"));
            jar.write("a plug-in".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    static String features(String body) {
        return "<features name=\"lims-1.0.0\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">" + body
                + "</features>";
    }

    Path kar(String name, Map<String, byte[]> entries) throws IOException {
        Path file = folder.resolve(name);
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void aSoundFileBringsItsAddOnsAndEveryBundleTheyNeed() throws Exception {
        Files.createDirectories(system.resolve("org/apache/commons/commons-math3/3.6.1"));
        Files.write(
                system.resolve("org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"), bundle("m", "3.6.1"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", text("Manifest-Version: 1.0\n"));
        entries.put(
                "repository/org/example/lims-features/1.0.0/lims-features-1.0.0-features.xml",
                text(features("<feature name=\"dmi-adapter-lims\" version=\"1.0.0\" description=\"LIMS\">"
                        + "<feature>dmi-platform</feature>"
                        + "<bundle>mvn:org.apache.commons/commons-math3/3.6.1</bundle>"
                        + "<bundle start-level=\"80\">mvn:org.example/org.example.lims/1.0.0</bundle></feature>")));
        entries.put(
                "repository/org/example/org.example.lims/1.0.0/org.example.lims-1.0.0.jar",
                bundle("org.example.lims", "1.0.0"));
        KarFile.Checked checked = KarFile.check(kar("lims-1.0.0.kar", entries), platform);
        assertEquals(List.of(), checked.problems());
        assertTrue(checked.sound());
        assertEquals(List.of(new KarFile.Feature("dmi-adapter-lims", "1.0.0")), checked.features());
        assertEquals(
                List.of("org/example/lims-features/1.0.0/lims-features-1.0.0-features.xml"), checked.featureFiles());
        assertEquals(Set.of("org.example.lims"), checked.bundles());
        assertEquals(64, checked.sha256().length());
    }

    @Test
    public void everyProblemOfAFileIsNamed() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(
                "repository/org/example/lims-features/1.0.0/lims-features-1.0.0-features.xml",
                text(features("<repository>mvn:org.example/elsewhere/1.0/xml/features</repository>"
                        + "<feature name=\"jackson-next\" version=\"2.22.0\">"
                        + "<bundle>mvn:com.fasterxml.jackson.core/jackson-databind/2.22.0</bundle></feature>"
                        + "<feature name=\"dmi-adapter-lims\" version=\"1.0.0\">"
                        + "<feature>dmi-cloud</feature>"
                        + "<configfile finalname=\"${karaf.etc}/org.dmiplatform.accounts.cfg\">mvn:org.example/cfg/1.0/cfg</configfile>"
                        + "<bundle>https://example.org/lims.jar</bundle>"
                        + "<bundle>mvn:org.example/org.example.lims/1.0.0</bundle>"
                        + "<bundle>mvn:org.dmiplatform/org.dmiplatform.core/9.9.9</bundle></feature>")));
        entries.put(
                "repository/org/dmiplatform/org.dmiplatform.core/9.9.9/org.dmiplatform.core-9.9.9.jar",
                bundle("org.dmiplatform.core", "9.9.9"));
        entries.put("resources/etc/users.properties", text("admin = admin,_g_:admingroup\n"));
        KarFile.Checked checked = KarFile.check(kar("bad.kar", entries), platform);
        assertFalse(checked.sound());
        String all = String.join("\n", checked.problems());
        for (String expected : List.of(
                "resources/etc/users.properties lies outside repository/",
                "refers to the features repository mvn:org.example/elsewhere/1.0/xml/features",
                "feature jackson-next/2.22.0 is not an add-on",
                "needs mvn:com.fasterxml.jackson.core/jackson-databind/2.22.0, which is neither in the file nor shipped",
                "feature dmi-adapter-lims/1.0.0 has a <configfile>",
                "needs the feature dmi-cloud",
                "names the bundle https://example.org/lims.jar",
                "needs mvn:org.example/org.example.lims/1.0.0, which is neither in the file nor shipped",
                "is the bundle org.dmiplatform.core, a part of the platform itself")) {
            assertTrue("missing '" + expected + "' in:\n" + all, all.contains(expected));
        }
    }

    @Test
    public void anArtifactTheplatformShipsMustBeTheSameFile() throws Exception {
        Files.createDirectories(system.resolve("org/example/org.example.lims/1.0.0"));
        Files.write(
                system.resolve("org/example/org.example.lims/1.0.0/org.example.lims-1.0.0.jar"),
                bundle("org.example.lims", "1.0.0.shipped"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(
                "repository/org/example/f/1.0.0/f-1.0.0-features.xml",
                text(features("<feature name=\"dmi-adapter-lims\" version=\"1.0.0\">"
                        + "<bundle>mvn:org.example/org.example.lims/1.0.0</bundle></feature>")));
        entries.put(
                "repository/org/example/org.example.lims/1.0.0/org.example.lims-1.0.0.jar",
                bundle("org.example.lims", "1.0.0.rebuilt"));
        KarFile.Checked checked = KarFile.check(kar("rebuilt.kar", entries), platform);
        assertEquals(1, checked.problems().size());
        assertTrue(
                checked.problems().get(0),
                checked.problems().get(0).contains("is shipped with the platform with other content"));
    }

    @Test
    public void aFileThatIsNoZipIsRefused() throws Exception {
        Path file = folder.resolve("notes.kar");
        Files.writeString(file, "not a zip at all");
        KarFile.Checked checked = KarFile.check(file, platform);
        assertFalse(checked.sound());
        assertTrue(checked.problems().toString(), checked.problems().get(0).contains("empty or not a zip"));
    }
}
