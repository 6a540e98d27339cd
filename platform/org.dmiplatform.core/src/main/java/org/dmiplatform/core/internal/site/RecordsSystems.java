package org.dmiplatform.core.internal.site;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.PluginConfiguration;
import org.dmiplatform.core.internal.profile.RecordsProfilesImpl;

/**
 * The records systems shipped beside the site templates, one folder each under {@code site-configs/records-systems/}:
 * for each common source of a police department's records (the FBI's NIBRS flat file, NIBRS XML, a Crime Data
 * Explorer extract, a pull from the records database, the open-data exports the CSV adapter has presets for), the
 * features, plug-in configurations and records profiles a site needs to read it. A site names one in its
 * {@code site.cfg} ({@code recordsSystem = nibrs-flat}) and carries no copy of them:
 *
 * <ul>
 *   <li>the system's features are added to the site's;
 *   <li>each plug-in configuration of the system is the site's, with the settings of the site's own file of the same
 *       name laid over it (the site gives its database's address, the system the query);
 *   <li>each profile file of the system is the site's, unless the site has its own file of that name.
 * </ul>
 *
 * A records system's folder holds {@code system.cfg} ({@code name}, {@code features}), {@code plugins/*.cfg} and
 * {@code profiles/}. Errors name its files as {@code records-systems/<system>/...}, never by where the platform is
 * installed.
 */
final class RecordsSystems {
    static final String FOLDER = "records-systems";
    static final String SYSTEM_FILE = "system.cfg";
    /** The {@code site.cfg} key naming a site's records system. */
    static final String KEY = "recordsSystem";

    /** Where there are none: a site naming one is refused, saying so. */
    static final RecordsSystems NONE = new RecordsSystems(null);

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,40}");
    private static final Pattern PROFILE_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Set<String> SYSTEM_KEYS = Set.of("name", "features");

    /** One records system: what it adds to a site naming it. */
    record RecordsSystem(
            String name,
            String title,
            List<String> features,
            List<PluginConfiguration> plugins,
            Map<String, String> profiles) {}

    /** The folder holding one folder per system, or null for none. */
    private final Path folder;

    private RecordsSystems(Path folder) {
        this.folder = folder;
    }

    /** The systems of a folder of site folders ({@code site-configs/}): its {@code records-systems/}. */
    static RecordsSystems in(Path siteConfigs) {
        return new RecordsSystems(siteConfigs.resolve(FOLDER));
    }

    /** The names of the systems there are, sorted. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        if (folder == null || !Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(folder, Files::isDirectory)) {
            for (Path system : folders) {
                String name = system.getFileName().toString();
                if (NAME.matcher(name).matches() && Files.isRegularFile(system.resolve(SYSTEM_FILE))) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the records systems in " + folder + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /**
     * Reads the system a site names.
     *
     * @param source the file or request naming it, and the line of its {@code recordsSystem}, for the error when there
     *     is no such system
     * @throws InvalidInputException naming an unknown system at the site's line and key, or every problem of the
     *     system's own files
     */
    RecordsSystem read(String name, String source, int line) {
        List<String> known = names();
        if (!known.contains(name)) {
            throw new InvalidInputException(new InputError(
                    source,
                    line,
                    KEY,
                    known.isEmpty()
                            ? "names the records system '" + name + "', but this platform has no records systems"
                                    + " (site-configs/" + FOLDER + "/ is missing)"
                            : "no records system '" + name + "'; this platform has " + String.join(", ", known)));
        }
        Path system = folder.resolve(name);
        String shown = FOLDER + "/" + name + "/";
        List<InputError> errors = new ArrayList<>();
        String title = "";
        List<String> features = List.of();
        try {
            CfgFile cfg = CfgFile.read(system.resolve(SYSTEM_FILE), shown + SYSTEM_FILE);
            Map<String, String> values = cfg.asMap();
            for (String key : values.keySet()) {
                if (!SYSTEM_KEYS.contains(key)) {
                    errors.add(new InputError(
                            shown + SYSTEM_FILE,
                            cfg.line(key),
                            key,
                            "is not a records system setting; known: features, name"));
                }
            }
            title = values.getOrDefault("name", "").strip();
            if (title.isEmpty()) {
                errors.add(new InputError(shown + SYSTEM_FILE, cfg.line("name"), "name", "is required"));
            }
            features = SiteSettings.list(values.get("features"));
            if (features.isEmpty()) {
                errors.add(new InputError(
                        shown + SYSTEM_FILE,
                        cfg.line("features"),
                        "features",
                        "is required: the features of the system's plug-ins, e.g. dmi-adapter-nibrs"));
            }
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        List<PluginConfiguration> plugins = new ArrayList<>();
        Path pluginFolder = system.resolve(SiteProvisioningImpl.PLUGIN_FOLDER);
        if (Files.isDirectory(pluginFolder)) {
            for (Path file : sorted(pluginFolder, "*.cfg", shown, errors)) {
                String fileName = file.getFileName().toString();
                String fileSource = shown + SiteProvisioningImpl.PLUGIN_FOLDER + "/" + fileName;
                try {
                    CfgFile cfg = CfgFile.read(file, fileSource);
                    Map<String, String> properties = cfg.asMap();
                    for (String key : List.of("site", org.dmiplatform.api.Site.SERVICE_PROPERTY)) {
                        if (properties.containsKey(key)) {
                            errors.add(new InputError(
                                    fileSource,
                                    cfg.line(key),
                                    key,
                                    "a records system serves every site naming it: no site"));
                        }
                    }
                    plugins.add(new PluginConfiguration(
                            fileName.substring(0, fileName.length() - ".cfg".length()), properties, fileSource));
                } catch (InvalidInputException e) {
                    errors.addAll(e.errors());
                }
            }
        }
        Map<String, String> profiles = new TreeMap<>();
        Path profileFolder = system.resolve(RecordsProfilesImpl.FOLDER);
        if (Files.isDirectory(profileFolder)) {
            for (Path file : sorted(profileFolder, "*", shown, errors)) {
                String fileName = file.getFileName().toString();
                if (fileName.startsWith(".") || fileName.equalsIgnoreCase("README.md")) {
                    continue;
                }
                if (!Files.isRegularFile(file)
                        || !PROFILE_FILE.matcher(fileName).matches()) {
                    errors.add(InputError.of(
                            shown + RecordsProfilesImpl.FOLDER + "/" + fileName,
                            "",
                            "profiles/ holds only profile (.json) and code table (.csv) files"));
                    continue;
                }
                try {
                    profiles.put(fileName, RecordsProfilesImpl.text(file));
                } catch (InvalidInputException e) {
                    for (InputError error : e.errors()) {
                        errors.add(new InputError(
                                shown + RecordsProfilesImpl.FOLDER + "/" + error.source(),
                                error.line(),
                                error.field(),
                                error.reason()));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new RecordsSystem(name, title, features, plugins, profiles);
    }

    private static List<Path> sorted(Path folder, String glob, String shown, List<InputError> errors) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, glob)) {
            files.forEach(out::add);
        } catch (IOException e) {
            errors.add(InputError.of(shown + folder.getFileName(), "", "cannot be listed: " + e.getMessage()));
        }
        out.sort(null);
        return out;
    }

    /** A site's features with the system's added (the site's first, each once). */
    static List<String> features(List<String> own, RecordsSystem system) {
        Set<String> out = new LinkedHashSet<>(own);
        out.addAll(system.features());
        return List.copyOf(out);
    }

    /**
     * A site's plug-in configurations with the system's: a system's configuration with the settings of the site's own
     * configuration of the same factory PID laid over it (named after the site's file), then the site's others.
     */
    static List<PluginConfiguration> plugins(List<PluginConfiguration> own, RecordsSystem system) {
        Map<String, PluginConfiguration> byPid = new TreeMap<>();
        for (PluginConfiguration plugin : system.plugins()) {
            byPid.put(plugin.factoryPid(), plugin);
        }
        for (PluginConfiguration plugin : own) {
            PluginConfiguration base = byPid.get(plugin.factoryPid());
            if (base == null) {
                byPid.put(plugin.factoryPid(), plugin);
            } else {
                Map<String, String> properties = new LinkedHashMap<>(base.properties());
                properties.putAll(plugin.properties());
                byPid.put(
                        plugin.factoryPid(), new PluginConfiguration(plugin.factoryPid(), properties, plugin.source()));
            }
        }
        return List.copyOf(byPid.values());
    }

    /** A site's profile files with the system's: the site's own file of a name wins. */
    static Map<String, String> profiles(Map<String, String> own, RecordsSystem system) {
        Map<String, String> out = new TreeMap<>(system.profiles());
        out.putAll(own);
        return out;
    }

    /**
     * Settings of the system's plug-ins that read the server's environment or files ({@code $[env:...]}): a site naming
     * such a system is provisioned by site IT from its folder, never over the API.
     */
    static List<String> secretReferences(RecordsSystem system) {
        List<String> out = new ArrayList<>();
        for (PluginConfiguration plugin : system.plugins()) {
            plugin.properties().forEach((key, value) -> {
                if (value.contains("$[") || value.contains("${")) {
                    out.add(plugin.factoryPid() + " " + key);
                }
            });
        }
        out.sort(null);
        return out;
    }
}
