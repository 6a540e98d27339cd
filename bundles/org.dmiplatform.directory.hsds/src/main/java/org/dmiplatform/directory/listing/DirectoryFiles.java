package org.dmiplatform.directory.listing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.dmiplatform.api.directory.ImportReport;

/**
 * A site's directory on disk, in {@code <data>/sites/<site>/directory/}: {@code services.json}, the directory as one
 * normalised JSON file, and {@code report.json}, the report of the import that made it. Both are written to
 * temporary files first; the directory is then replaced in one atomic move, so a reader sees the old directory or
 * the new one, never half of either, and a failed import leaves the old one. A read directory is kept in memory until
 * its file changes.
 */
public final class DirectoryFiles {
    public static final String SERVICES = "services.json";
    public static final String REPORT = "report.json";
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private record Cached(FileTime modified, long size, Directory directory) {}

    private final Path data;
    private final String name;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public DirectoryFiles(Path data) {
        this(data, "directory");
    }

    /** A directory kept in {@code <data>/sites/<site>/<name>/}. */
    public DirectoryFiles(Path data, String name) {
        this.data = data;
        this.name = name;
    }

    public Path folder(String site) {
        return data.resolve("sites").resolve(site).resolve(name);
    }

    public synchronized void replace(String site, Directory directory, ImportReport report) {
        Path folder = folder(site);
        try {
            Files.createDirectories(folder);
            Path services = Files.createTempFile(folder, "services", ".tmp");
            Path written = Files.createTempFile(folder, "report", ".tmp");
            try {
                JSON.writeValue(services.toFile(), directory);
                if (report != null) {
                    JSON.writerWithDefaultPrettyPrinter().writeValue(written.toFile(), describe(report));
                }
                move(services, folder.resolve(SERVICES));
                if (report != null) {
                    move(written, folder.resolve(REPORT));
                }
            } finally {
                Files.deleteIfExists(services);
                Files.deleteIfExists(written);
            }
            cache.remove(site);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the service directory of " + site, e);
        }
    }

    /**
     * Changes the site's directory by reading, changing and writing it while no other writer can: neither another
     * caller of this object nor another copy of the plug-in on the same folder (the old and the new version side by
     * side while one replaces the other, another node), which take the same lock file. The change sees the directory
     * as last written, never a cached copy.
     */
    public synchronized Directory update(
            String site, java.util.function.Function<Optional<Directory>, Directory> change) {
        Path folder = folder(site);
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(
                            folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lock(channel)) {
                cache.remove(site);
                Directory changed = change.apply(read(site));
                replace(site, changed, null);
                return changed;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot change the service directory of " + site, e);
        }
    }

    /**
     * The file lock, waiting for it: another class loader's copy of this class (the other version of the plug-in) in
     * the same JVM holding it shows as an overlapping lock, not as a wait.
     */
    private static FileLock lock(FileChannel channel) throws IOException {
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("waiting for the directory's lock");
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Map<String, Object> describe(ImportReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", report.format());
        out.put("services", report.services());
        out.put("organizations", report.organizations());
        out.put("locations", report.locations());
        out.put("rejected", report.rejected());
        out.put("notes", report.notes());
        out.put("importedAt", report.importedAt().toString());
        return out;
    }

    /** The site's directory; empty when none has been imported. */
    /** The site's services as an HSDS 3.0 JSON array (none: an empty array). */
    public void exportHsds(String site, java.io.OutputStream out) {
        try {
            HsdsExport.write(read(site).map(Directory::services).orElse(List.of()), out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the service directory of " + site, e);
        }
    }

    public Optional<Directory> read(String site) {
        Path file = folder(site).resolve(SERVICES);
        try {
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
            Cached cached = cache.get(site);
            if (cached != null && cached.modified().equals(now.lastModifiedTime()) && cached.size() == now.size()) {
                return Optional.of(cached.directory());
            }
            Directory directory = JSON.readValue(file.toFile(), Directory.class);
            cache.put(site, new Cached(now.lastModifiedTime(), now.size(), directory));
            return Optional.of(directory);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service directory of " + site + " in " + file, e);
        }
    }
}
