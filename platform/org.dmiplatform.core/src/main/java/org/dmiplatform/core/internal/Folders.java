package org.dmiplatform.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;

/**
 * Where the platform keeps things. {@code dmi.data} (set by the launcher from {@code DMI_DATA}) holds the
 * embedded database, the sites' configuration files and the demo accounts, apart from the Karaf runtime, so a new
 * distribution can replace the runtime without touching the data.
 */
public final class Folders {
    private Folders() {}

    public static Path data(BundleContext context) {
        String data = context.getProperty("dmi.data");
        if (data == null || data.isBlank()) {
            return Paths.get(String.valueOf(context.getProperty("karaf.data")), "dmi");
        }
        return Paths.get(data);
    }

    /** The distribution's own folder, which carries the site templates under {@code site-configs/}. */
    public static Path home(BundleContext context) {
        String home = context.getProperty("karaf.home");
        return Paths.get(home == null ? "." : home);
    }

    /** Deletes a folder and everything in it, deepest first; nothing when it is not there. */
    public static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
