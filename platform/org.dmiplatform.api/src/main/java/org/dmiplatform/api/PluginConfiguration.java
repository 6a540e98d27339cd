package org.dmiplatform.api;

import java.util.Map;
import java.util.Objects;

/**
 * The configuration of one plug-in instance for a site: a factory configuration of {@code factoryPid}, named
 * after the site.
 *
 * @param factoryPid the plug-in's factory PID
 * @param properties its properties (the platform adds {@code dmi.site}, the site it serves)
 * @param source where it was read from, for error messages
 */
public record PluginConfiguration(String factoryPid, Map<String, String> properties, String source) {
    public PluginConfiguration {
        Objects.requireNonNull(factoryPid, "factoryPid");
        properties = Map.copyOf(properties);
        source = Objects.requireNonNullElse(source, factoryPid);
    }
}
