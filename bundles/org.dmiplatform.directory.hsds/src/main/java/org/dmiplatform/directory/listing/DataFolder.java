package org.dmiplatform.directory.listing;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Role;
import org.osgi.framework.BundleContext;

/** What the two directories share: where the platform keeps data, who reads and keeps a directory, the site served. */
public final class DataFolder {
    /** Who changes a directory (import, edit): as {@code ServiceDirectory} says. */
    public static final Role[] KEEPERS = {Role.SITE_ADMIN, Role.SERVICES, Role.COMMUNITY, Role.TTA_ADMIN};
    /** Who reads it: every role (a directory is public information). */
    public static final Role[] READERS = Role.values();

    private DataFolder() {}

    /** {@code dmi.data} (set from {@code DMI_DATA}), else Karaf's data folder's {@code dmi}. */
    public static Path of(BundleContext context) {
        String data = context.getProperty("dmi.data");
        return data == null || data.isBlank()
                ? Paths.get(String.valueOf(context.getProperty("karaf.data")), "dmi")
                : Paths.get(data);
    }

    /** Refuses a call for another site than the one the directory was configured for. */
    public static void serves(String mine, Site asked, String what) {
        if (mine != null && !mine.equals(asked.id())) {
            throw new IllegalStateException("the " + what + " of " + mine + " was asked for " + asked.id());
        }
    }
}
