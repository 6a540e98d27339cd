package org.dmiplatform.directory.hsds.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;

/**
 * A zipped HSDS CSV data package, unpacked into a folder of its own under the plug-in's scratch folder and removed on
 * {@link #close()}. Only {@code datapackage.json} and CSV files are unpacked; an entry whose path would leave the
 * folder (absolute, or through {@code ..}) is skipped and noted, and unpacking stops with an error past
 * {@link #MAX_BYTES} or {@link #MAX_ENTRIES}, whatever the archive claims. The package may sit inside one folder of
 * the archive: its root is the folder holding {@code datapackage.json} (or, without one, {@code services.csv}).
 */
final class Unzipped implements AutoCloseable {
    static final long MAX_BYTES = 256L << 20;
    static final int MAX_ENTRIES = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final Path root;
    /** Paths of the unpacked files, relative to the root, with '/'. */
    private final TreeSet<String> files = new TreeSet<>();
    /** The resources datapackage.json declares: name to path. */
    private final Map<String, String> declared = new LinkedHashMap<>();

    private Unzipped(Path folder, TreeSet<String> all, String prefix) {
        this.folder = folder;
        this.root = prefix.isEmpty() ? folder : folder.resolve(prefix);
        for (String path : all) {
            if (path.startsWith(prefix)) {
                files.add(path.substring(prefix.length()));
            }
        }
    }

    /**
     * Unpacks the archive.
     *
     * @throws InvalidInputException when it is no ZIP archive, is too large, or holds no HSDS package
     */
    static Unzipped open(InputStream in, String fileName, Path scratch, Findings findings) {
        Path folder;
        try {
            Files.createDirectories(scratch);
            folder = Files.createTempDirectory(scratch, "hsds-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch folder in " + scratch, e);
        }
        try {
            TreeSet<String> all = unpack(in, fileName, folder, findings);
            Unzipped unzipped = new Unzipped(folder, all, root(all, fileName));
            unzipped.readDeclared(fileName, findings);
            return unzipped;
        } catch (RuntimeException e) {
            delete(folder);
            throw e;
        }
    }

    private static TreeSet<String> unpack(InputStream in, String fileName, Path folder, Findings findings) {
        TreeSet<String> all = new TreeSet<>();
        long bytes = 0;
        int entries = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (++entries > MAX_ENTRIES) {
                    throw refused(fileName, "holds more than " + MAX_ENTRIES + " entries");
                }
                String name = entry.getName().replace('\\', '/');
                String base = name.substring(name.lastIndexOf('/') + 1);
                if (entry.isDirectory() || !wanted(base)) {
                    // skipped entries are inflated all the same: they count towards the limit
                    for (int n = zip.read(buffer); n > 0; n = zip.read(buffer)) {
                        bytes += n;
                        if (bytes > MAX_BYTES) {
                            throw refused(fileName, "unpacks to more than " + (MAX_BYTES >> 20) + " MB");
                        }
                    }
                    continue;
                }
                if (!safe(name)) {
                    findings.note(
                            fileName + ": the entry '" + name + "' is not unpacked: its path leads out of the package");
                    continue;
                }
                Path target = folder.resolve(name).normalize();
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    for (int n = zip.read(buffer); n > 0; n = zip.read(buffer)) {
                        bytes += n;
                        if (bytes > MAX_BYTES) {
                            throw refused(fileName, "unpacks to more than " + (MAX_BYTES >> 20) + " MB");
                        }
                        out.write(buffer, 0, n);
                    }
                }
                all.add(name);
            }
        } catch (IOException | IllegalArgumentException e) {
            // the reason without the server's paths
            throw refused(
                    fileName,
                    "cannot be unpacked as a ZIP archive"
                            + (e instanceof java.util.zip.ZipException
                                    ? ": " + e.getMessage()
                                    : " (two entries clash, or a name is" + " not readable)"));
        }
        if (entries == 0) {
            throw refused(fileName, "is not a ZIP archive, or an empty one");
        }
        return all;
    }

    private static boolean wanted(String base) {
        String lower = base.toLowerCase(Locale.ROOT);
        return !base.startsWith(".") && (lower.endsWith(".csv") || lower.equals("datapackage.json"));
    }

    /** A relative path that stays inside the package: no root, no drive, no '..' part. */
    static boolean safe(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.matches("^[A-Za-z]:.*") || path.startsWith("__MACOSX/")) {
            return false;
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String root(TreeSet<String> all, String fileName) {
        for (String marker : new String[] {"datapackage.json", "services.csv"}) {
            Optional<String> top = all.stream()
                    .filter(p -> p.equals(marker) || p.endsWith("/" + marker))
                    .min(Comparator.comparingLong((String p) ->
                                    p.chars().filter(c -> c == '/').count())
                            .thenComparing(Comparator.naturalOrder()));
            if (top.isPresent()) {
                return top.get().substring(0, top.get().length() - marker.length());
            }
        }
        throw refused(fileName, "holds no datapackage.json and no services.csv: it is not an HSDS CSV data package");
    }

    private void readDeclared(String fileName, Findings findings) {
        if (!files.contains("datapackage.json")) {
            findings.note(fileName + ": there is no datapackage.json; the tables are found by their file names");
            return;
        }
        JsonNode resources;
        try {
            resources = JSON.readTree(root.resolve("datapackage.json").toFile()).path("resources");
        } catch (IOException e) {
            findings.reject(
                    "datapackage.json",
                    0,
                    "",
                    "is not JSON (" + e.getMessage().lines().findFirst().orElse("")
                            + "); the tables are found by their file names");
            return;
        }
        for (JsonNode resource : resources) {
            String name = resource.path("name").asText("");
            JsonNode path = resource.path("path");
            if (!path.isTextual()) {
                findings.note("datapackage.json: the resource '" + name + "' has no single file path: not read");
                continue;
            }
            String file = path.asText().replace('\\', '/');
            if (!safe(file) || file.contains("://")) {
                findings.note("datapackage.json: the resource '" + name + "' is at '" + file
                        + "', outside the package: not read");
            } else if (!files.contains(file)) {
                findings.note("datapackage.json declares the resource '" + name + "' (" + file
                        + "), which is not in the package");
            } else {
                declared.putIfAbsent(name, file);
            }
        }
    }

    /** The file names and declared resource names, which tell the HSDS version. */
    TreeSet<String> names() {
        TreeSet<String> names = new TreeSet<>(files);
        names.addAll(declared.keySet());
        return names;
    }

    /** The table's file, where datapackage.json puts it or under its usual name; empty when the package lacks it. */
    Optional<String> table(Schema.Table table) {
        String declaredPath = declared.get(table.resource());
        if (declaredPath != null) {
            return Optional.of(declaredPath);
        }
        return files.contains(table.file()) ? Optional.of(table.file()) : Optional.empty();
    }

    /** A file of the package by its path relative to the root. */
    Path path(String file) {
        return root.resolve(file);
    }

    @Override
    public void close() {
        delete(folder);
    }

    private static void delete(Path folder) {
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the scratch folder " + folder, e);
        }
    }

    private static InvalidInputException refused(String fileName, String reason) {
        return new InvalidInputException(InputError.of(fileName, "", reason));
    }
}
