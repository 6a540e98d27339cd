package org.dmiplatform.core.internal;

import java.util.Locale;
import org.osgi.framework.BundleContext;

/**
 * What the launcher sets for a start: {@code DMI_ADMIN_USER}, {@code DMI_DEMO} and the like, from the environment
 * first, then from a framework property of the same name in lower-case dotted form ({@code dmi.demo}).
 */
public final class StartSettings {
    private StartSettings() {}

    public static String get(BundleContext context, String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            value = context.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return value == null ? "" : value;
    }

    /** True in demo mode ({@code DMI_DEMO=true}, as {@code ./dmi run} sets it); never in a production start. */
    public static boolean demo(BundleContext context) {
        return Boolean.parseBoolean(get(context, "DMI_DEMO"));
    }
}
