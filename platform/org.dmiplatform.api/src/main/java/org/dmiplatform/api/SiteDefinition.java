package org.dmiplatform.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that provisions one site: its settings (which name the features it needs), its plug-in configurations
 * and its records profiles. Read from a {@code site-configs/<site>/} folder or sent to the REST API.
 *
 * @param profiles the files of the folder's {@code profiles/} (records profiles and their code tables), by name
 * @param recordsSystem the records system the definition was filled in from ({@code recordsSystem} in its
 *     {@code site.cfg}, e.g. {@code nibrs-flat}): its features, plug-in configurations and profiles are already part
 *     of this definition; empty when it names none
 */
public record SiteDefinition(
        Site site, List<PluginConfiguration> plugins, Map<String, String> profiles, String recordsSystem) {
    public SiteDefinition {
        Objects.requireNonNull(site, "site");
        plugins = List.copyOf(Objects.requireNonNullElse(plugins, List.of()));
        profiles = java.util.Collections.unmodifiableSortedMap(
                new java.util.TreeMap<>(Objects.requireNonNullElse(profiles, Map.of())));
        recordsSystem = Objects.requireNonNullElse(recordsSystem, "");
    }

    public SiteDefinition(Site site, List<PluginConfiguration> plugins, Map<String, String> profiles) {
        this(site, plugins, profiles, "");
    }

    public SiteDefinition(Site site, List<PluginConfiguration> plugins) {
        this(site, plugins, Map.of(), "");
    }
}
