package org.dmiplatform.core.internal.addons;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.dmiplatform.api.AddOns.AddOnFile;
import org.dmiplatform.core.internal.Folders;

/**
 * The add-on files the platform was given: kept whole in {@code <dmi.data>/addons/} (so a new runtime finds them
 * again, as it finds the sites), each checked ({@link KarFile}); the Maven repository of a sound one unpacked into
 * {@code <karaf.data>/kar/dmi-<name>/}, where Karaf's Maven resolver looks for artifacts offline. A file site IT drops
 * into the folder is taken in the same way the next time the add-ons are listed.
 */
final class AddOnFolder {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}\\.kar");

    private record Cached(long size, long modified, KarFile.Checked checked) {}

    private final Path folder;
    private final Path unpacked;
    private final Map<String, Cached> checked = new ConcurrentHashMap<>();

    AddOnFolder(Path folder, Path karafKar) {
        this.folder = folder;
        this.unpacked = karafKar;
    }

    Path folder() {
        return folder;
    }

    /** Where a file's repository is unpacked. */
    Path repository(String fileName) {
        return unpacked.resolve("dmi-" + fileName.substring(0, fileName.length() - ".kar".length()));
    }

    /** A file taken in: what it brings, where its features files lie once unpacked, and whether it is sound. */
    record Kept(String name, Instant received, KarFile.Checked checked, List<URI> featureFiles) {
        AddOnFile asFile() {
            return new AddOnFile(
                    name,
                    checked.sha256(),
                    checked.bytes(),
                    received,
                    checked.features().stream().map(KarFile.Feature::id).toList(),
                    checked.sound(),
                    checked.problems());
        }
    }

    /**
     * Every file in the folder, oldest first, each checked against the platform and the files before it; a sound one
     * is unpacked if it is not yet.
     */
    synchronized List<Kept> list(Function<Map<String, String>, KarFile.Platform> platform) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(folder, "*.kar")) {
                for (Path file : found) {
                    if (NAME.matcher(file.getFileName().toString()).matches() && Files.isRegularFile(file)) {
                        files.add(file);
                    }
                }
            }
        }
        files.sort(Comparator.comparing((Path f) -> modified(f)).thenComparing(Path::toString));
        Map<String, String> artifacts = new HashMap<>();
        List<Kept> out = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            KarFile.Checked check = check(file, platform.apply(Map.copyOf(artifacts)));
            List<URI> featureFiles = new ArrayList<>();
            if (check.sound()) {
                artifacts.putAll(check.artifacts());
                Path repository = repository(name);
                if (!Files.isDirectory(repository)) {
                    unpack(file, repository);
                }
                for (String path : check.featureFiles()) {
                    featureFiles.add(repository.resolve(path).toUri());
                }
            }
            out.add(new Kept(name, Instant.ofEpochMilli(modified(file)), check, List.copyOf(featureFiles)));
        }
        return out;
    }

    private KarFile.Checked check(Path file, KarFile.Platform platform) throws IOException {
        String name = file.getFileName().toString();
        long size = Files.size(file);
        long modified = modified(file);
        Cached cached = checked.get(name);
        if (cached != null
                && cached.size() == size
                && cached.modified() == modified
                && cached.checked().sound()) {
            return cached.checked();
        }
        KarFile.Checked check = KarFile.check(file, platform);
        checked.put(name, new Cached(size, modified, check));
        return check;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Writes an upload to a temporary file in the folder (never read by {@link #list} before it is checked). */
    Path receive(InputStream in) throws IOException {
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, ".incoming-", ".part");
        try (InputStream limited = in) {
            long copied = Files.copy(limited, temp, StandardCopyOption.REPLACE_EXISTING);
            if (copied > KarFile.MAX_BYTES) {
                Files.deleteIfExists(temp);
                throw new IOException("larger than " + KarFile.MAX_BYTES / 1024 / 1024 + " MB");
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /** Moves a checked upload into place under its name. */
    void keep(Path temp, String name) throws IOException {
        Path target = folder.resolve(name);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target);
        }
    }

    boolean exists(String name) {
        return Files.exists(folder.resolve(name));
    }

    /** Unpacks the file's {@code repository/} into a folder of its own, whole or not at all. */
    private static void unpack(Path file, Path repository) throws IOException {
        Path fresh = repository.resolveSibling(repository.getFileName() + ".unpacking");
        Folders.deleteTree(fresh);
        Files.createDirectories(fresh);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName().replace('\\', '/');
                if (entry.isDirectory() || !name.startsWith("repository/")) {
                    continue;
                }
                Path target =
                        fresh.resolve(name.substring("repository/".length())).normalize();
                if (!target.startsWith(fresh)) {
                    throw new IOException(name + " points outside the repository");
                }
                Files.createDirectories(target.getParent());
                Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(fresh, repository);
    }
}
