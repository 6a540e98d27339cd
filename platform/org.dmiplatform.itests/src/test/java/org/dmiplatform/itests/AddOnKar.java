package org.dmiplatform.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Dependency;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;

/**
 * A second version of shipped add-ons, as a plug-in's author would build it: the same code under a new
 * Bundle-Version, in a Karaf archive ({@code .kar}) with a features file of its own. The bundles are the shipped jars
 * (from the distribution's {@code system/} repository) with their manifest's version changed; everything else they
 * need is shipped with the platform, so the file is all a runtime without the internet needs.
 */
final class AddOnKar {
    private AddOnKar() {}

    static byte[] build(FeaturesService features, Path system, List<String> names, String version) throws Exception {
        List<String> xml = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream kar = new ZipOutputStream(out)) {
            for (String name : names) {
                Feature shipped = features.getFeature(name);
                StringBuilder feature = new StringBuilder("  <feature name=\"" + name + "\" version=\"" + version
                        + "\" description=\"" + shipped.getDescription().replace("\"", "'") + " (rebuilt " + version
                        + ")\">\n");
                for (Dependency dependency : shipped.getDependencies()) {
                    feature.append("    <feature>").append(dependency.getName()).append("</feature>\n");
                }
                for (BundleInfo bundle : shipped.getBundles()) {
                    String location = bundle.getLocation().strip();
                    if (!location.startsWith("mvn:org.dmiplatform/")) {
                        feature.append("    <bundle>").append(location).append("</bundle>\n");
                        continue;
                    }
                    String[] gav = location.substring("mvn:".length()).split("/");
                    String artifact = gav[1];
                    Path jar = system.resolve(
                            "org/dmiplatform/" + artifact + "/" + gav[2] + "/" + artifact + "-" + gav[2] + ".jar");
                    String path = "repository/org/dmiplatform/" + artifact + "/" + version + "/" + artifact + "-"
                            + version + ".jar";
                    kar.putNextEntry(new ZipEntry(path));
                    kar.write(reversioned(jar, version));
                    kar.closeEntry();
                    feature.append("    <bundle>mvn:org.dmiplatform/")
                            .append(artifact)
                            .append("/")
                            .append(version)
                            .append("</bundle>\n");
                }
                xml.add(feature.append("  </feature>\n").toString());
            }
            kar.putNextEntry(new ZipEntry("repository/org/dmiplatform/it/dmi-addons-rebuilt/" + version
                    + "/dmi-addons-rebuilt-" + version + "-features.xml"));
            kar.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<features name=\"dmi-addons-rebuilt-" + version
                            + "\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n" + String.join("", xml)
                            + "</features>\n")
                    .getBytes(StandardCharsets.UTF_8));
            kar.closeEntry();
        }
        return out.toByteArray();
    }

    /** The jar with its Bundle-Version replaced; every other entry as it was. */
    static byte[] reversioned(Path jar, String version) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream file = Files.newInputStream(jar);
                JarInputStream in = new JarInputStream(file)) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (JarOutputStream copy = new JarOutputStream(out, manifest)) {
                for (JarEntry entry; (entry = in.getNextJarEntry()) != null; ) {
                    copy.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(copy);
                    copy.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }
}
