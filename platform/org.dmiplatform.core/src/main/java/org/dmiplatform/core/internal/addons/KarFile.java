package org.dmiplatform.core.internal.addons;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.dmiplatform.api.AddOns;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A Karaf archive (a {@code .kar}: a zip holding a Maven repository, {@code repository/}, with a features file and
 * the bundles its features need) checked before anything of it is used. It is sound when every feature in it is an
 * add-on; every bundle those features name is a {@code mvn:} artifact that is in the file or shipped with the platform
 * (so installing downloads nothing); none of its bundles is one of the platform's own; it writes no configuration and
 * no file outside its repository; and an artifact it shares with what the platform already has is the same file.
 */
final class KarFile {
    static final long MAX_BYTES = 200L * 1024 * 1024;
    private static final int MAX_ENTRIES = 5_000;
    private static final String REPOSITORY = "repository/";
    private static final Pattern MVN =
            Pattern.compile("mvn:([^/!:\\s]+)/([^/\\s]+)/([^/\\s]+)(?:/([^/\\s]*))?(?:/([^/\\s]+))?");

    /** What the platform has, that a file is checked against. */
    record Platform(
            Path system,
            Set<String> features,
            Set<String> repositories,
            Set<String> platformBundles,
            Map<String, String> keptArtifacts) {}

    /** A feature the file brings. */
    record Feature(String name, String version) {
        String id() {
            return name + "/" + version;
        }
    }

    /**
     * The file as checked.
     *
     * @param artifacts every file of its repository (path below {@code repository/}) with its SHA-256
     * @param featureFiles the paths (below {@code repository/}) of its features files
     * @param bundles the symbolic names of the bundles it carries
     */
    record Checked(
            String sha256,
            long bytes,
            List<Feature> features,
            Map<String, String> artifacts,
            List<String> featureFiles,
            Set<String> bundles,
            List<String> problems) {

        boolean sound() {
            return problems.isEmpty();
        }
    }

    private KarFile() {}

    /** Checks a file on disk; every problem found is listed, not just the first. */
    static Checked check(Path file, Platform platform) throws IOException {
        List<String> problems = new ArrayList<>();
        long bytes = Files.size(file);
        MessageDigest whole = sha256();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(file), whole);
                ZipInputStream zip = new ZipInputStream(in)) {
            long unpacked = 0;
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entries.size() >= MAX_ENTRIES) {
                    problems.add("holds more than " + MAX_ENTRIES + " files: not an add-on");
                    break;
                }
                String name = entry.getName().replace('\\', '/');
                if (entry.isDirectory()) {
                    continue;
                }
                byte[] content = zip.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_BYTES - unpacked + 1));
                unpacked += content.length;
                if (unpacked > MAX_BYTES) {
                    problems.add("unpacks to more than " + MAX_BYTES / 1024 / 1024 + " MB");
                    break;
                }
                entries.put(name, content);
            }
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (ZipException | java.io.EOFException e) {
            problems.add("is not a whole Karaf archive (a zip file): " + e.getMessage());
        }
        String sha = HexFormat.of().formatHex(whole.digest());
        Map<String, String> artifacts = new LinkedHashMap<>();
        List<String> featureFiles = new ArrayList<>();
        List<Feature> features = new ArrayList<>();
        Set<String> bundles = new java.util.TreeSet<>();
        if (problems.isEmpty() && entries.isEmpty()) {
            problems.add("is empty or not a zip file");
        }
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            String name = entry.getKey();
            if (name.startsWith("META-INF/")) {
                continue;
            }
            if (!name.startsWith(REPOSITORY)
                    || name.contains("../")
                    || name.startsWith("/")
                    || name.contains("//")
                    || name.length() == REPOSITORY.length()) {
                problems.add(name + " lies outside repository/: an add-on file brings only a Maven repository (a"
                        + " Karaf archive's resources/ would write into the platform's own folders)");
                continue;
            }
            String path = name.substring(REPOSITORY.length());
            artifacts.put(path, HexFormat.of().formatHex(sha256().digest(entry.getValue())));
            if (path.endsWith(".xml") && isFeatures(entry.getValue())) {
                featureFiles.add(path);
            }
        }
        for (String path : featureFiles) {
            readFeatures(path, entries.get(REPOSITORY + path), entries, platform, features, problems);
        }
        if (problems.isEmpty() && featureFiles.isEmpty()) {
            problems.add("holds no features file in repository/: nothing in it could be installed");
        }
        for (Map.Entry<String, String> artifact : artifacts.entrySet()) {
            String path = artifact.getKey();
            if (path.endsWith(".jar")) {
                checkBundle(path, entries.get(REPOSITORY + path), platform, bundles, problems);
            }
            Path shipped = platform.system().resolve(path);
            if (Files.isRegularFile(shipped)
                    && !path.endsWith(".sha1")
                    && !HexFormat.of()
                            .formatHex(sha256().digest(Files.readAllBytes(shipped)))
                            .equals(artifact.getValue())) {
                problems.add("repository/" + path + " is shipped with the platform with other content: give this build"
                        + " a version of its own");
            }
            String kept = platform.keptArtifacts().get(path);
            if (kept != null && !kept.equals(artifact.getValue())) {
                problems.add("repository/" + path + " came in an earlier file with other content: give this build a"
                        + " version of its own");
            }
        }
        return new Checked(
                sha,
                bytes,
                List.copyOf(features),
                artifacts,
                List.copyOf(featureFiles),
                bundles,
                List.copyOf(problems));
    }

    private static boolean isFeatures(byte[] xml) {
        try {
            Document doc = parse(xml);
            return "features".equals(local(doc.getDocumentElement()));
        } catch (Exception notXml) {
            return false;
        }
    }

    private static void readFeatures(
            String path,
            byte[] xml,
            Map<String, byte[]> entries,
            Platform platform,
            List<Feature> features,
            List<String> problems) {
        String where = "repository/" + path;
        Document doc;
        try {
            doc = parse(xml);
        } catch (Exception e) {
            problems.add(where + " cannot be read: " + e.getMessage());
            return;
        }
        List<Feature> inFile = new ArrayList<>();
        for (Element feature : children(doc.getDocumentElement(), "feature")) {
            inFile.add(new Feature(feature.getAttribute("name"), version(feature.getAttribute("version"))));
        }
        Set<String> names = new java.util.HashSet<>();
        inFile.forEach(f -> names.add(f.name()));
        for (Element repository : children(doc.getDocumentElement(), "repository")) {
            String uri = repository.getTextContent().strip();
            if (!platform.repositories().contains(uri) && !inRepository(uri, entries)) {
                problems.add(where + " refers to the features repository " + uri + ", which neither the file nor the"
                        + " platform has: installing would need the internet");
            }
        }
        for (Element feature : children(doc.getDocumentElement(), "feature")) {
            String name = feature.getAttribute("name");
            String id = name + "/" + version(feature.getAttribute("version"));
            if (AddOns.kindOf(name).isEmpty()) {
                problems.add(where + ": feature " + id + " is not an add-on (records adapters, directories, mapping"
                        + " and reporting are named dmi-adapter-*, dmi-directory-*, dmi-mapping-*, dmi-reporting-*);"
                        + " the platform's own features come only with the platform");
            }
            for (String forbidden : List.of("config", "configfile", "library")) {
                if (!descendants(feature, forbidden).isEmpty()) {
                    problems.add(where + ": feature " + id + " has a <" + forbidden + ">, which would write the"
                            + " platform's configuration or folders; an add-on's settings come from each site's"
                            + " plug-in configuration");
                }
            }
            for (Element dependency : descendants(feature, "feature")) {
                String needed = dependency.getTextContent().strip();
                if (!platform.features().contains(needed) && !names.contains(needed)) {
                    problems.add(where + ": feature " + id + " needs the feature " + needed + ", which neither the"
                            + " file nor the platform has");
                }
            }
            for (Element bundle : descendants(feature, "bundle")) {
                String location = bundle.getTextContent().strip();
                Matcher mvn = MVN.matcher(location);
                if (!mvn.matches()) {
                    problems.add(where + ": feature " + id + " names the bundle " + location + ": only mvn:"
                            + " artifacts in the file or shipped with the platform can be installed offline");
                    continue;
                }
                String artifact = path(mvn);
                if (!entries.containsKey(REPOSITORY + artifact)
                        && !Files.isRegularFile(platform.system().resolve(artifact))) {
                    problems.add(where + ": feature " + id + " needs " + location + ", which is neither in the file"
                            + " nor shipped with the platform: installing it would need the internet");
                }
            }
        }
        features.addAll(inFile);
    }

    /** The path of a {@code mvn:} artifact in a Maven repository. */
    static String path(Matcher mvn) {
        String group = mvn.group(1).replace('.', '/');
        String artifact = mvn.group(2);
        String version = mvn.group(3);
        String type = mvn.group(4) == null || mvn.group(4).isEmpty() ? "jar" : mvn.group(4);
        String classifier = mvn.group(5) == null ? "" : "-" + mvn.group(5);
        return group + "/" + artifact + "/" + version + "/" + artifact + "-" + version + classifier + "." + type;
    }

    /** The path of a {@code mvn:} location, if it is one. */
    static java.util.Optional<String> path(String location) {
        Matcher mvn = MVN.matcher(location.strip());
        return mvn.matches() ? java.util.Optional.of(path(mvn)) : java.util.Optional.empty();
    }

    private static boolean inRepository(String uri, Map<String, byte[]> entries) {
        Matcher mvn = MVN.matcher(uri);
        return mvn.matches() && entries.containsKey(REPOSITORY + path(mvn));
    }

    private static void checkBundle(
            String path, byte[] jar, Platform platform, Set<String> bundles, List<String> problems) {
        Manifest manifest;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            manifest = in.getManifest();
        } catch (IOException e) {
            problems.add("repository/" + path + " is not a readable jar: " + e.getMessage());
            return;
        }
        String name = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        if (name == null) {
            // a jar that is not a bundle (a library's sources, say) is carried, never installed as a bundle
            return;
        }
        String symbolicName = name.split(";")[0].strip();
        String version = manifest.getMainAttributes().getValue("Bundle-Version");
        try {
            org.osgi.framework.Version.parseVersion(version == null ? "0" : version.strip());
        } catch (IllegalArgumentException e) {
            problems.add("repository/" + path + " has a Bundle-Version that is not a version: " + version);
        }
        if (platform.platformBundles().contains(symbolicName)) {
            problems.add("repository/" + path + " is the bundle " + symbolicName + ", a part of the platform itself:"
                    + " the platform is upgraded as a whole, never by an add-on file");
        }
        bundles.add(symbolicName);
    }

    private static String version(String version) {
        return version == null || version.isBlank() ? "0.0.0" : version.strip();
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static String local(Node node) {
        return node.getLocalName() == null ? node.getNodeName() : node.getLocalName();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && name.equals(local(e))) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Element> descendants(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS("*", name);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
