package org.dmiplatform.directory.hsds.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.dmiplatform.api.Site;
import org.osgi.framework.BundleContext;

/** What the bundle's two directories share: where the platform keeps data, and the site each one serves. */
final class DataFolder {
    private DataFolder() {}

    /** {@code dmi.data} (set from {@code DMI_DATA}), else Karaf's data folder's {@code dmi}. */
    static Path of(BundleContext context) {
        String data = context.getProperty("dmi.data");
        return data == null || data.isBlank()
                ? Paths.get(String.valueOf(context.getProperty("karaf.data")), "dmi")
                : Paths.get(data);
    }

    /** Refuses a call for another site than the one the directory was configured for. */
    static void serves(String mine, Site asked, String what) {
        if (mine != null && !mine.equals(asked.id())) {
            throw new IllegalStateException("the " + what + " of " + mine + " was asked for " + asked.id());
        }
    }
}
