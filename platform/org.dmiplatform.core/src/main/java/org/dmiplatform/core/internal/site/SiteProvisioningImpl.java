package org.dmiplatform.core.internal.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.karaf.features.FeaturesService;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.PluginConfiguration;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.core.internal.Folders;
import org.dmiplatform.core.internal.profile.RecordsProfilesImpl;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions a site from a definition. The site's configurations live in ConfigurationAdmin and, one file each,
 * in the platform's configuration folder ({@code <dmi.data>/etc}), which FileInstall watches: the folder survives
 * a new distribution, and an edit to a file there changes the running site the same way this class does.
 */
@Component(service = SiteProvisioning.class)
public class SiteProvisioningImpl implements SiteProvisioning {
    private static final Logger LOG = LoggerFactory.getLogger(SiteProvisioningImpl.class);
    /** FileInstall's own property linking a configuration to its file. */
    static final String FILENAME_PROPERTY = "felix.fileinstall.filename";
    /** Marks plug-in configurations written by provisioning, so a later provisioning may remove them. */
    static final String PROVISIONED_PROPERTY = "dmi.provisioned";

    static final String SITE_FILE = "site.cfg";
    static final String PLUGIN_FOLDER = "plugins";
    private static final Pattern FACTORY_PID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)+");
    private static final long APPEAR_TIMEOUT_MS = 10_000;

    private final ConfigurationAdmin configAdmin;
    private final Sites sites;
    private final AuditLog audit;
    private final Path configFolder;
    private final Path sitesFolder;
    private final Path templateFolder;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FeaturesService features;

    @Activate
    public SiteProvisioningImpl(
            @Reference ConfigurationAdmin configAdmin,
            @Reference Sites sites,
            @Reference AuditLog audit,
            BundleContext context) {
        this(
                configAdmin,
                sites,
                audit,
                Folders.data(context).resolve("etc"),
                Folders.data(context).resolve("sites"),
                Folders.home(context).resolve("site-configs"));
        this.context = context;
    }

    /** The framework, to find the plug-ins a site's features bring; absent in tests without one. */
    private BundleContext context;

    SiteProvisioningImpl(
            ConfigurationAdmin configAdmin,
            Sites sites,
            AuditLog audit,
            Path configFolder,
            Path sitesFolder,
            Path templateFolder) {
        this.configAdmin = configAdmin;
        this.sites = sites;
        this.audit = audit;
        this.configFolder = configFolder;
        this.sitesFolder = sitesFolder;
        this.templateFolder = templateFolder;
        this.systems = templateFolder == null ? RecordsSystems.NONE : RecordsSystems.in(templateFolder);
    }

    /** The records systems shipped with the templates ({@code site-configs/records-systems/}). */
    private final RecordsSystems systems;

    @Override
    public SiteDefinition read(Path folder) {
        return readFolder(folder, systems);
    }

    /** Reads a site folder that names no records system (one naming one is refused, saying there are none). */
    static SiteDefinition readFolder(Path folder) {
        return readFolder(folder, RecordsSystems.NONE);
    }

    /**
     * Reads a site folder; a {@code recordsSystem} its {@code site.cfg} names is looked up among {@code systems} and
     * its features, plug-in configurations and profiles are filled in (the folder's own files first).
     */
    static SiteDefinition readFolder(Path folder, RecordsSystems systems) {
        String name = folder.getFileName() == null ? "" : folder.getFileName().toString();
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(InputError.of(folder.toString(), "", "is not a folder"));
        }
        Path siteFile = folder.resolve(SITE_FILE);
        if (!Files.isRegularFile(siteFile)) {
            throw new InvalidInputException(InputError.of(
                    siteFile.toString(), "", "is missing: every site folder needs its settings in site.cfg"));
        }
        List<InputError> errors = new ArrayList<>();
        Site site = null;
        RecordsSystems.RecordsSystem system = null;
        try {
            CfgFile settings = CfgFile.read(siteFile);
            Map<String, String> values = settings.asMap();
            String systemName = values.remove(RecordsSystems.KEY);
            if (systemName != null) {
                try {
                    system = systems.read(systemName.strip(), siteFile.toString(), settings.line(RecordsSystems.KEY));
                    values.put(
                            "features",
                            String.join(
                                    ",", RecordsSystems.features(SiteSettings.list(values.get("features")), system)));
                } catch (InvalidInputException e) {
                    errors.addAll(e.errors());
                }
            }
            site = SiteSettings.check(values, name, siteFile.toString(), settings::line);
            checkCrs(site, siteFile.toString(), settings.line("sourceCrs"), errors);
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        List<PluginConfiguration> plugins = new ArrayList<>();
        Path pluginFolder = folder.resolve(PLUGIN_FOLDER);
        if (Files.isDirectory(pluginFolder)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(pluginFolder, "*.cfg")) {
                List<Path> sorted = new ArrayList<>();
                files.forEach(sorted::add);
                sorted.sort(null);
                for (Path file : sorted) {
                    try {
                        plugins.add(plugin(file, site == null ? name : site.id()));
                    } catch (InvalidInputException e) {
                        errors.addAll(e.errors());
                    }
                }
            } catch (IOException e) {
                errors.add(InputError.of(pluginFolder.toString(), "", "cannot be listed: " + e.getMessage()));
            }
        }
        Map<String, String> profiles = readProfiles(folder.resolve(RecordsProfilesImpl.FOLDER), errors);
        if (system != null) {
            plugins = RecordsSystems.plugins(plugins, system);
            profiles = RecordsSystems.profiles(profiles, system);
        }
        checkProfiles(profiles, plugins, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new SiteDefinition(site, plugins, profiles, system == null ? "" : system.name());
    }

    /**
     * Every coordinate system the site's records arrive in must be one a profile can read them from: a code missing
     * from the EPSG table would only show when the first import's points all fall outside the site.
     */
    private static void checkCrs(Site site, String source, int line, List<InputError> errors) {
        for (String code : site.sourceCrs()) {
            RecordsProfilesImpl.crsProblem(code)
                    .ifPresent(problem ->
                            errors.add(new InputError(source, line, "sourceCrs", "'" + code + "' " + problem)));
        }
    }

    private static final Pattern PROFILE_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private static Map<String, String> readProfiles(Path folder, List<InputError> errors) {
        Map<String, String> out = new java.util.TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || name.equalsIgnoreCase("README.md")) {
                    continue;
                }
                if (!Files.isRegularFile(file) || !PROFILE_FILE.matcher(name).matches()) {
                    errors.add(InputError.of(
                            file.toString(), "", "profiles/ holds only profile (.json) and code table (.csv) files"));
                    continue;
                }
                try {
                    out.put(name, RecordsProfilesImpl.text(file));
                } catch (InvalidInputException e) {
                    errors.addAll(e.errors());
                }
            }
        } catch (IOException e) {
            errors.add(InputError.of(folder.toString(), "", "cannot be listed: " + e.getMessage()));
        }
        return out;
    }

    /** Every profile must load, and a plug-in's {@code profile} must name one of them. */
    private static void checkProfiles(
            Map<String, String> profiles, List<PluginConfiguration> plugins, List<InputError> errors) {
        for (Map.Entry<String, String> file : profiles.entrySet()) {
            if (!file.getKey().endsWith(".json")) {
                continue;
            }
            try {
                RecordsProfilesImpl.read(
                        file.getKey(),
                        file.getValue(),
                        sibling -> java.util.Optional.ofNullable(profiles.get(sibling)));
            } catch (InvalidInputException e) {
                for (InputError error : e.errors()) {
                    errors.add(new InputError(
                            RecordsProfilesImpl.FOLDER + "/" + error.source(),
                            error.line(),
                            error.field(),
                            error.reason()));
                }
            }
        }
        for (PluginConfiguration plugin : plugins) {
            String profile = plugin.properties().get("profile");
            if (profile == null) {
                continue;
            }
            String file = profile.endsWith(".json") ? profile : profile + ".json";
            if (!profiles.containsKey(file)) {
                errors.add(InputError.of(
                        plugin.source(),
                        "profile",
                        "names the profile '" + profile + "', which is not in the folder's profiles/ (it has "
                                + profiles.keySet().stream()
                                        .filter(n -> n.endsWith(".json"))
                                        .toList() + ")"));
            }
        }
    }

    /** Replaces the site's profiles folder with the definition's, whole: a reader never sees half of each. */
    private void writeProfiles(String siteId, Map<String, String> profiles) throws IOException {
        Path target = RecordsProfilesImpl.folder(sitesFolder, siteId);
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path fresh = parent.resolve(".profiles.new");
        Path old = parent.resolve(".profiles.old");
        Folders.deleteTree(fresh);
        Folders.deleteTree(old);
        Files.createDirectories(fresh);
        for (Map.Entry<String, String> file : profiles.entrySet()) {
            Path written = fresh.resolve(file.getKey()).normalize();
            if (!written.getParent().equals(fresh)) {
                throw new IllegalArgumentException("a profile file name names another folder: " + file.getKey());
            }
            Files.writeString(written, file.getValue(), StandardCharsets.UTF_8);
        }
        if (Files.exists(target)) {
            Files.move(target, old);
        }
        Files.move(fresh, target);
        Folders.deleteTree(old);
    }

    private static PluginConfiguration plugin(Path file, String siteId) {
        String fileName = file.getFileName().toString();
        String factoryPid = fileName.substring(0, fileName.length() - ".cfg".length());
        if (!FACTORY_PID.matcher(factoryPid).matches()) {
            throw new InvalidInputException(InputError.of(
                    file.toString(),
                    "",
                    "the file name must be the plug-in's factory PID, e.g. org.dmiplatform.adapter.csv.cfg"));
        }
        CfgFile cfg = CfgFile.read(file);
        Map<String, String> properties = cfg.asMap();
        String site = properties.get("site");
        if (site != null && !site.equals(siteId)) {
            throw new InvalidInputException(new InputError(
                    file.toString(),
                    cfg.line("site"),
                    "site",
                    "names site '" + site + "' but the folder is site '" + siteId + "'"));
        }
        return new PluginConfiguration(factoryPid, properties, file.toString());
    }

    @Override
    public SiteDefinition define(
            Map<String, String> settings,
            List<PluginConfiguration> plugins,
            Map<String, String> profiles,
            String source) {
        Map<String, String> values = new LinkedHashMap<>(settings);
        String systemName = values.remove(RecordsSystems.KEY);
        RecordsSystems.RecordsSystem system = null;
        if (systemName != null && !systemName.isBlank()) {
            system = systems.read(systemName.strip(), source, 0);
            refuseSecretsOverApi(system, source, 0);
            values.put(
                    "features",
                    String.join(",", RecordsSystems.features(SiteSettings.list(values.get("features")), system)));
            plugins = RecordsSystems.plugins(plugins, system);
            profiles = RecordsSystems.profiles(profiles, system);
        }
        Site site = SiteSettings.check(values, null, source, key -> 0);
        List<InputError> errors = new ArrayList<>();
        checkCrs(site, source, 0, errors);
        for (String name : profiles.keySet()) {
            try {
                checkProfileFileName(name);
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        for (PluginConfiguration plugin : plugins) {
            checkPluginShape(site.id(), plugin, true, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        checkProfiles(profiles, plugins, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new SiteDefinition(site, plugins, profiles, system == null ? "" : system.name());
    }

    /**
     * A records system whose plug-in settings read the server's environment (a database password as
     * {@code $[env:...]}) is not for a site sent over the API: the sender would choose where that secret goes.
     */
    private static void refuseSecretsOverApi(RecordsSystems.RecordsSystem system, String source, int line) {
        List<String> secrets = RecordsSystems.secretReferences(system);
        if (!secrets.isEmpty()) {
            throw new InvalidInputException(new InputError(
                    source,
                    line,
                    RecordsSystems.KEY,
                    "the records system '" + system.name() + "' reads a secret from the server's environment ("
                            + String.join(", ", secrets) + "): a site using it is provisioned by site IT from its"
                            + " folder (dmi:site-provision) or from a template shipped with the platform, not over the"
                            + " API"));
        }
    }

    /**
     * A plug-in configuration's own settings, as text, in key order: not the framework's ({@code service.*},
     * FileInstall's {@code felix.*}) nor the site and provisioning marks the platform adds.
     */
    private static Map<String, String> settings(Configuration configuration) {
        Map<String, String> settings = new java.util.TreeMap<>();
        for (String key :
                java.util.Collections.list(configuration.getProperties().keys())) {
            if (!key.startsWith("service.")
                    && !key.startsWith("felix.")
                    && !key.equals(Site.SERVICE_PROPERTY)
                    && !key.equals(PROVISIONED_PROPERTY)) {
                settings.put(key, String.valueOf(configuration.getProperties().get(key)));
            }
        }
        return settings;
    }

    @Override
    public SiteDefinition export(String siteId) {
        Site site = sites.find(siteId)
                .orElseThrow(
                        () -> new InvalidInputException(InputError.of("site", "site", "no site '" + siteId + "'")));
        List<PluginConfiguration> plugins = new ArrayList<>();
        for (Configuration configuration : provisioned(siteId)) {
            Map<String, String> properties = new java.util.TreeMap<>();
            settings(configuration).forEach((key, value) -> properties.put(key, shown(key, value)));
            plugins.add(new PluginConfiguration(
                    configuration.getFactoryPid(),
                    properties,
                    PLUGIN_FOLDER + "/" + configuration.getFactoryPid() + ".cfg"));
        }
        plugins.sort(java.util.Comparator.comparing(PluginConfiguration::factoryPid));
        List<InputError> errors = new ArrayList<>();
        Map<String, String> profiles = readProfiles(RecordsProfilesImpl.folder(sitesFolder, siteId), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new SiteDefinition(site, plugins, profiles);
    }

    @Override
    public void exportFolder(String siteId, java.io.OutputStream out) throws IOException {
        SiteDefinition site = export(siteId);
        String folder = siteId + "/";
        java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out, StandardCharsets.UTF_8);
        Map<String, Object> settings = new LinkedHashMap<>(site.site().settings());
        settings.remove("id");
        zipEntry(zip, folder + SITE_FILE, CfgFile.render("site " + siteId + ", exported by DMI Platform", settings));
        for (PluginConfiguration plugin : site.plugins()) {
            zipEntry(
                    zip,
                    folder + PLUGIN_FOLDER + "/" + plugin.factoryPid() + ".cfg",
                    CfgFile.render(
                            plugin.factoryPid() + " of site " + siteId, new LinkedHashMap<>(plugin.properties())));
        }
        for (Map.Entry<String, String> file : site.profiles().entrySet()) {
            zipEntry(zip, folder + RecordsProfilesImpl.FOLDER + "/" + file.getKey(), file.getValue());
        }
        zip.finish();
    }

    private static void zipEntry(java.util.zip.ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new java.util.zip.ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    /** A site folder is a few small files: far below these. */
    private static final int MAX_ZIP_ENTRIES = 500;

    private static final long MAX_ZIP_BYTES = 100L * 1024 * 1024;
    private static final Pattern ZIP_ENTRY = Pattern.compile(
            "(site\\.cfg|plugins/[A-Za-z0-9._-]+\\.cfg|profiles/[A-Za-z0-9][A-Za-z0-9._-]{0,99}|plugins/|profiles/)");

    @Override
    public SiteDefinition readZip(String name, java.io.InputStream in) throws IOException {
        Path temp = Files.createTempDirectory("dmi-site-");
        try {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            long total = 0;
            List<InputError> errors = new ArrayList<>();
            try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(in, StandardCharsets.UTF_8)) {
                for (java.util.zip.ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    if (entries.size() >= MAX_ZIP_ENTRIES) {
                        throw new InvalidInputException(InputError.of(
                                name, "", "holds more than " + MAX_ZIP_ENTRIES + " files: not a site folder"));
                    }
                    byte[] bytes = zip.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_ZIP_BYTES - total + 1));
                    total += bytes.length;
                    if (total > MAX_ZIP_BYTES) {
                        throw new InvalidInputException(InputError.of(
                                name,
                                "",
                                "unpacks to more than " + MAX_ZIP_BYTES / 1024 / 1024 + " MB: not a site folder"));
                    }
                    String entryName = entry.getName().replace('\\', '/');
                    if (!entryName.startsWith("__MACOSX/") && !entryName.endsWith(".DS_Store")) {
                        entries.put(entryName, bytes);
                    }
                }
            } catch (java.util.zip.ZipException e) {
                throw new InvalidInputException(InputError.of(name, "", "is not a zip file: " + e.getMessage()));
            } catch (java.io.EOFException | IllegalArgumentException e) {
                // a zip cut short, or an entry name that is not text: the upload is already whole on disk
                throw new InvalidInputException(
                        InputError.of(name, "", "is not a whole zip file (cut short, damaged, or not a zip at all)"));
            }
            if (entries.isEmpty()) {
                throw new InvalidInputException(InputError.of(name, "", "is empty or not a zip file"));
            }
            // the files may sit in one folder, named after the site
            String prefix = "";
            String first = entries.keySet().iterator().next();
            int slash = first.indexOf('/');
            if (slash > 0) {
                String candidate = first.substring(0, slash + 1);
                if (entries.keySet().stream().allMatch(e -> e.startsWith(candidate))
                        && entries.containsKey(candidate + SITE_FILE)) {
                    prefix = candidate;
                }
            }
            String siteName = prefix.isEmpty()
                    ? name.replaceAll("(?i)\\.zip$", "").replaceAll("[^a-z0-9-]", "")
                    : prefix.substring(0, prefix.length() - 1);
            if (!Site.isValidId(siteName)) {
                siteName = "site";
            }
            Path folder = temp.resolve(siteName);
            Files.createDirectories(folder);
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                String relative = entry.getKey().substring(prefix.length());
                if (relative.isEmpty()) {
                    continue;
                }
                if (!ZIP_ENTRY.matcher(relative).matches() || relative.contains("..")) {
                    errors.add(InputError.of(
                            name + "!/" + entry.getKey(),
                            "",
                            "is not part of a site folder (site.cfg, plugins/*.cfg, profiles/*)"));
                    continue;
                }
                if (relative.endsWith("/")) {
                    continue;
                }
                Path target = folder.resolve(relative).normalize();
                if (!target.startsWith(folder)) {
                    errors.add(InputError.of(name + "!/" + entry.getKey(), "", "points outside the folder"));
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.write(target, entry.getValue());
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            try {
                SiteDefinition read = readFolder(folder, systems);
                if (!read.recordsSystem().isEmpty()) {
                    refuseSecretsOverApi(
                            systems.read(
                                    read.recordsSystem(),
                                    folder.resolve(SITE_FILE).toString(),
                                    0),
                            folder.resolve(SITE_FILE).toString(),
                            0);
                }
                for (PluginConfiguration plugin : read.plugins()) {
                    checkPluginShape(read.site().id(), plugin, true, errors);
                }
                if (!errors.isEmpty()) {
                    throw new InvalidInputException(errors);
                }
                return read;
            } catch (InvalidInputException e) {
                // named as the zip's entries, never as the temporary folder they were unpacked in
                String local = folder.toString();
                String shown = name + "!/" + prefix;
                List<InputError> named = new ArrayList<>();
                for (InputError error : e.errors()) {
                    named.add(new InputError(
                            error.source().replace(local + "/", shown).replace(local, shown),
                            error.line(),
                            error.field(),
                            error.reason().replace(local + "/", shown).replace(local, shown)));
                }
                throw new InvalidInputException(named);
            }
        } finally {
            Folders.deleteTree(temp);
        }
    }

    private static final Pattern SECRET_KEY = Pattern.compile("(?i)^\\..*|.*(password|secret|token).*");
    private static final Pattern SECRET_REFERENCE = Pattern.compile("\\$\\[(env|secret):[^\\]]+\\]");

    /**
     * A setting as it may be shown and exported: a secret ({@code .password}, a token) only as the reference to where
     * it is kept ({@code $[env:RMS_PASSWORD]}), never its value.
     */
    static String shown(String key, String value) {
        return SECRET_KEY.matcher(key).matches()
                        && !value.isEmpty()
                        && !SECRET_REFERENCE.matcher(value).matches()
                ? "(set, not shown)"
                : value;
    }

    /** A plug-in configuration's settings as stored, secrets included, without the framework's own. */
    private Map<String, Object> stored(String siteId, String factoryPid) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Configuration configuration : provisioned(siteId)) {
            if (configuration.getFactoryPid().equals(factoryPid)) {
                for (String key :
                        java.util.Collections.list(configuration.getProperties().keys())) {
                    if (!key.startsWith("service.") && !key.startsWith("felix.")) {
                        out.put(key, configuration.getProperties().get(key));
                    }
                }
            }
        }
        return out;
    }

    /** The plug-in configurations provisioning wrote for a site. */
    private List<Configuration> provisioned(String siteId) {
        try {
            Configuration[] found = configAdmin.listConfigurations(
                    "(&(" + Site.SERVICE_PROPERTY + "=" + siteId + ")(" + PROVISIONED_PROPERTY + "=true))");
            List<Configuration> out = new ArrayList<>();
            for (Configuration c : found == null ? new Configuration[0] : found) {
                try {
                    if (c.getFactoryPid() != null && c.getProperties() != null) {
                        out.add(c);
                    }
                } catch (IllegalStateException deletedMeanwhile) {
                    // removed while listed (FileInstall follows a deleted file): not the site's any more
                }
            }
            return out;
        } catch (InvalidSyntaxException | IOException e) {
            throw new IllegalStateException("cannot list the plug-in configurations of site " + siteId, e);
        }
    }

    @Override
    public synchronized void saveProfileFile(String siteId, String name, String text, Actor actor) {
        SiteDefinition now = export(siteId);
        checkProfileFileName(name);
        Map<String, String> files = new java.util.TreeMap<>(now.profiles());
        files.put(name, text);
        List<InputError> errors = new ArrayList<>();
        if (text.getBytes(StandardCharsets.UTF_8).length > RecordsProfilesImpl.MAX_FILE_BYTES) {
            errors.add(InputError.of(
                    name, "", "is larger than " + RecordsProfilesImpl.MAX_FILE_BYTES / 1024 / 1024 + " MB"));
        }
        checkProfiles(files, now.plugins(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        try {
            Path folder = RecordsProfilesImpl.folder(sitesFolder, siteId);
            Files.createDirectories(folder);
            Path temp = folder.resolve("." + name + ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(
                        temp,
                        folder.resolve(name),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot store " + name + " of site " + siteId + ": " + e.getMessage(), e);
        }
        String change = (now.profiles().containsKey(name) ? "replaced " : "added ") + name + " ("
                + text.getBytes(StandardCharsets.UTF_8).length + " bytes, SHA-256 " + sha256(text) + ")";
        LOG.info("Site {}: profile file {}", siteId, change);
        record(actor, now.site(), "site.profile-file", change);
    }

    @Override
    public synchronized void removeProfileFile(String siteId, String name, Actor actor) {
        SiteDefinition now = export(siteId);
        checkProfileFileName(name);
        if (!now.profiles().containsKey(name)) {
            throw new InvalidInputException(InputError.of(
                    PROFILE_FOLDER_PREFIX + name,
                    "",
                    "site " + siteId + " has no such file (it has "
                            + now.profiles().keySet() + ")"));
        }
        Map<String, String> files = new java.util.TreeMap<>(now.profiles());
        files.remove(name);
        List<InputError> errors = new ArrayList<>();
        checkProfiles(files, now.plugins(), errors);
        if (!errors.isEmpty()) {
            List<InputError> named = new ArrayList<>();
            named.add(
                    InputError.of(PROFILE_FOLDER_PREFIX + name, "", "cannot be removed while it is used; without it:"));
            named.addAll(errors);
            throw new InvalidInputException(named);
        }
        try {
            Files.deleteIfExists(RecordsProfilesImpl.folder(sitesFolder, siteId).resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + name + " of site " + siteId + ": " + e.getMessage(), e);
        }
        record(actor, now.site(), "site.profile-file", "removed " + name);
    }

    private static final String PROFILE_FOLDER_PREFIX = RecordsProfilesImpl.FOLDER + "/";

    private static void checkProfileFileName(String name) {
        if (name == null
                || !PROFILE_FILE.matcher(name).matches()
                || !(name.endsWith(".json") || name.endsWith(".csv"))) {
            throw new InvalidInputException(InputError.of(
                    PROFILE_FOLDER_PREFIX + name,
                    "name",
                    "a profile file is named with letters, digits, '.', '-' or '_' and ends in .json (a profile) or"
                            + " .csv (a code table or lookup file)"));
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest =
                    java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern SETTING = Pattern.compile("[A-Za-z._][A-Za-z0-9_.-]{0,99}");

    /**
     * A plug-in configuration's PID and settings: a plug-in's factory PID, settings a plug-in can take (not the
     * framework's own, not another site). Over the API ({@code fromApi}) a value may not read the server's
     * environment or files ({@code $[env:...]}, {@code ${...}}): such a secret is set by site IT in the site's folder.
     */
    private static void checkPluginShape(
            String siteId, PluginConfiguration plugin, boolean fromApi, List<InputError> errors) {
        String pid = plugin.factoryPid();
        if (pid == null || !FACTORY_PID.matcher(pid).matches() || pid.equals(Site.FACTORY_PID)) {
            errors.add(InputError.of(
                    plugin.source(), "factoryPid", "is not a plug-in's factory PID, e.g. org.dmiplatform.adapter.csv"));
            return;
        }
        for (Map.Entry<String, String> e : plugin.properties().entrySet()) {
            String key = e.getKey();
            if (key == null
                    || !SETTING.matcher(key).matches()
                    || key.startsWith("service.") && !key.equals("service.ranking")
                    || key.startsWith("felix.")
                    || key.startsWith("component.")
                    || key.equals(PROVISIONED_PROPERTY)) {
                errors.add(InputError.of(plugin.source(), String.valueOf(key), "is not a setting a plug-in takes"));
            } else if (key.equals(Site.SERVICE_PROPERTY) || key.equals("site")) {
                if (!siteId.equals(e.getValue())) {
                    errors.add(InputError.of(plugin.source(), key, "names site '" + e.getValue() + "', not " + siteId));
                }
            } else if (e.getValue() == null) {
                errors.add(InputError.of(plugin.source(), key, "has no value"));
            } else if (fromApi && (e.getValue().contains("$[") || e.getValue().contains("${"))) {
                errors.add(InputError.of(
                        plugin.source(),
                        key,
                        "reads the server's environment or files ($[...], ${...}): a secret like this is set by site IT"
                                + " in the site's folder (dmi:site-provision), not over the API"));
            }
        }
    }

    /**
     * Every configuration must be for a plug-in of the site's features, with the settings that plug-in declares.
     * Checked once the features are installed; without a framework (tests) there is nothing to ask.
     */
    private void checkPlugins(Site site, List<PluginConfiguration> plugins, List<InputError> errors) {
        FeaturesService service = features;
        if (context == null || service == null || plugins.isEmpty()) {
            return;
        }
        Map<String, Set<String>> allowed;
        try {
            allowed = PluginSettings.of(site, service, context);
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the plug-ins of the features " + site.features(), e);
        }
        for (PluginConfiguration plugin : plugins) {
            Set<String> settings = allowed.get(plugin.factoryPid());
            if (settings == null) {
                errors.add(InputError.of(
                        plugin.source(),
                        "factoryPid",
                        "'" + plugin.factoryPid() + "' is not a plug-in of the site's features " + site.features()
                                + " (they bring " + new java.util.TreeSet<>(allowed.keySet()) + ")"));
                continue;
            }
            if (settings.isEmpty()) {
                continue;
            }
            for (String key : plugin.properties().keySet()) {
                if (!settings.contains(key) && !key.equals("service.ranking")) {
                    errors.add(InputError.of(
                            plugin.source(),
                            key,
                            "is not a setting of " + plugin.factoryPid() + " (it takes "
                                    + new java.util.TreeSet<>(settings) + ")"));
                }
            }
        }
    }

    @Override
    public synchronized void configurePlugin(
            String siteId, String factoryPid, Map<String, String> properties, Actor actor) {
        SiteDefinition now = export(siteId);
        String source = PLUGIN_FOLDER + "/" + factoryPid + ".cfg";
        List<InputError> errors = new ArrayList<>();
        Map<String, String> wanted = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            // the site a plug-in serves is written by provisioning
            if (!(Site.SERVICE_PROPERTY.equals(key) || "site".equals(key)) || !siteId.equals(value)) {
                wanted.put(key, value);
            }
        });
        PluginConfiguration asked = new PluginConfiguration(factoryPid, wanted, source);
        checkPluginShape(siteId, asked, true, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (!wanted.isEmpty()) {
            checkPlugins(now.site(), List.of(asked), errors);
        }
        List<PluginConfiguration> plugins = new ArrayList<>(now.plugins());
        plugins.removeIf(p -> p.factoryPid().equals(factoryPid));
        if (!wanted.isEmpty()) {
            plugins.add(new PluginConfiguration(factoryPid, wanted, source));
        }
        checkProfiles(now.profiles(), plugins, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        try {
            if (wanted.isEmpty()) {
                Set<String> keep = new LinkedHashSet<>();
                now.plugins().stream()
                        .map(PluginConfiguration::factoryPid)
                        .filter(p -> !p.equals(factoryPid))
                        .forEach(keep::add);
                removeStalePlugins(siteId, keep);
            } else {
                // the settings sent change, the others (a database's address and password reference) stay
                Map<String, Object> written = new LinkedHashMap<>(stored(siteId, factoryPid));
                written.putAll(wanted);
                written.put(Site.SERVICE_PROPERTY, siteId);
                written.put(PROVISIONED_PROPERTY, "true");
                write(factoryPid, siteId, written);
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot store the configuration " + factoryPid + " of site " + siteId + ": " + e.getMessage(), e);
        }
        record(
                actor,
                now.site(),
                "site.plugin",
                wanted.isEmpty() ? "removed " + factoryPid : factoryPid + " " + new java.util.TreeMap<>(wanted));
    }

    @Override
    public List<String> templates() {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(templateFolder)) {
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(templateFolder, Files::isDirectory)) {
                for (Path folder : folders) {
                    String name = folder.getFileName().toString();
                    if (!name.equals(RecordsSystems.FOLDER) && Files.isRegularFile(folder.resolve(SITE_FILE))) {
                        names.add(name);
                    }
                }
            } catch (IOException e) {
                LOG.warn("Cannot list site templates in {}: {}", templateFolder, e.getMessage());
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public SiteDefinition template(String name) {
        if (!templates().contains(name)) {
            throw new InvalidInputException(
                    InputError.of("template", "template", "no template '" + name + "'; available: " + templates()));
        }
        return readFolder(templateFolder.resolve(name), systems);
    }

    @Override
    public List<SiteDefinition> templates(List<String> names) {
        List<String> known = templates();
        List<InputError> errors = new ArrayList<>();
        List<SiteDefinition> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || !known.contains(name)) {
                errors.add(InputError.of(
                        "templates", "templates[" + i + "]", "no template '" + name + "'; available: " + known));
                continue;
            }
            try {
                out.add(readFolder(templateFolder.resolve(name), systems));
            } catch (InvalidInputException e) {
                errors.addAll(shownInTemplates(e.errors()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return out;
    }

    /** A template's files named as {@code site-configs/...}, not by where the platform is installed. */
    private List<InputError> shownInTemplates(List<InputError> errors) {
        String local = templateFolder.toString();
        List<InputError> out = new ArrayList<>();
        for (InputError error : errors) {
            out.add(new InputError(
                    error.source().replace(local + "/", "site-configs/").replace(local, "site-configs"),
                    error.line(),
                    error.field(),
                    error.reason().replace(local + "/", "site-configs/")));
        }
        return out;
    }

    @Override
    public List<SiteDefinition> readAll(Path parent) {
        if (!Files.isDirectory(parent)) {
            throw new InvalidInputException(InputError.of(parent.toString(), "", "is not a folder"));
        }
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(parent, Files::isDirectory)) {
            for (Path folder : list) {
                String name = folder.getFileName().toString();
                if (!name.equals(RecordsSystems.FOLDER) && !name.startsWith(".")) {
                    folders.add(folder);
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    InputError.of(parent.toString(), "", "cannot be listed: " + e.getMessage()));
        }
        folders.sort(null);
        List<InputError> errors = new ArrayList<>();
        List<SiteDefinition> out = new ArrayList<>();
        for (Path folder : folders) {
            try {
                out.add(readFolder(folder, systems));
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        if (folders.isEmpty()) {
            errors.add(InputError.of(parent.toString(), "", "holds no site folder"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return out;
    }

    @Override
    public Site provision(SiteDefinition definition, Actor actor) {
        Site site = definition.site();
        List<InputError> errors = new ArrayList<>(featureProblems(site));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        installFeatures(site.features());
        checkPlugins(site, definition.plugins(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        write(definition, actor);
        awaitSite(site);
        return site;
    }

    @Override
    public synchronized List<Provisioned> provisionAll(List<SiteDefinition> definitions, Actor actor) {
        List<InputError> errors = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        Set<String> features = new LinkedHashSet<>();
        for (SiteDefinition definition : definitions) {
            Site site = definition.site();
            if (!ids.add(site.id())) {
                errors.add(InputError.of("site " + site.id(), "id", "is given twice"));
            }
            errors.addAll(featureProblems(site));
            features.addAll(site.features());
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        // the plug-ins a configuration may be for come with the features: install them all at once, then check
        installFeatures(List.copyOf(features));
        for (SiteDefinition definition : definitions) {
            checkPlugins(definition.site(), definition.plugins(), errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        List<Provisioned> out = new ArrayList<>();
        for (SiteDefinition definition : definitions) {
            Site site = definition.site();
            boolean exists = sites.find(site.id()).isPresent();
            if (exists && runsOn(definition)) {
                out.add(new Provisioned(site, Outcome.UNCHANGED, definition.recordsSystem()));
                continue;
            }
            write(definition, actor);
            out.add(new Provisioned(site, exists ? Outcome.UPDATED : Outcome.CREATED, definition.recordsSystem()));
        }
        // configuration events are delivered asynchronously: the sites appear together, so wait for them together
        for (Provisioned done : out) {
            if (done.outcome() != Outcome.UNCHANGED) {
                awaitSite(done.site());
            }
        }
        LOG.info(
                "Provisioned {} site(s): {}",
                out.size(),
                out.stream()
                        .map(p -> p.site().id() + " " + p.outcome().name().toLowerCase(java.util.Locale.ROOT))
                        .collect(java.util.stream.Collectors.joining(", ")));
        return out;
    }

    /**
     * True when the site runs on exactly this definition now: its settings, the plug-in configurations provisioning
     * wrote (as written, secrets and references alike) and the files of its profiles.
     */
    private boolean runsOn(SiteDefinition definition) {
        Site site = definition.site();
        if (!sites.find(site.id()).filter(site::equals).isPresent()) {
            return false;
        }
        Map<String, Map<String, String>> now = new java.util.TreeMap<>();
        for (Configuration configuration : provisioned(site.id())) {
            if (now.put(configuration.getFactoryPid(), settings(configuration)) != null) {
                return false;
            }
        }
        Map<String, Map<String, String>> wanted = new java.util.TreeMap<>();
        for (PluginConfiguration plugin : definition.plugins()) {
            wanted.put(plugin.factoryPid(), new java.util.TreeMap<>(plugin.properties()));
        }
        if (!now.equals(wanted)) {
            return false;
        }
        List<InputError> errors = new ArrayList<>();
        Map<String, String> profiles = readProfiles(RecordsProfilesImpl.folder(sitesFolder, site.id()), errors);
        return errors.isEmpty() && profiles.equals(definition.profiles());
    }

    /** Writes a checked definition: profiles, plug-in configurations, the audit entry, then the site's own file. */
    private void write(SiteDefinition definition, Actor actor) {
        Site site = definition.site();
        try {
            if (!definition.profiles().isEmpty() || Files.exists(RecordsProfilesImpl.folder(sitesFolder, site.id()))) {
                writeProfiles(site.id(), definition.profiles());
            }
            Set<String> keep = new LinkedHashSet<>();
            for (PluginConfiguration plugin : definition.plugins()) {
                Map<String, Object> properties = new LinkedHashMap<>(plugin.properties());
                // the plug-in's services carry the site they serve (dmi.site), straight from their configuration
                properties.put(Site.SERVICE_PROPERTY, site.id());
                properties.put(PROVISIONED_PROPERTY, "true");
                write(plugin.factoryPid(), site.id(), properties);
                keep.add(plugin.factoryPid());
            }
            removeStalePlugins(site.id(), keep);
            // audited before the site's own file, which makes the site: the audit entry may wait for the store
            // (another writer holds it), and a crash meanwhile must leave no site without its entry; after the entry
            // only a file's rename is left
            record(
                    actor,
                    site,
                    "site.provision",
                    definition.plugins().size() + " plug-in configuration(s), "
                            + definition.profiles().size() + " profile file(s), features " + site.features()
                            + (definition.recordsSystem().isEmpty()
                                    ? ""
                                    : ", records system " + definition.recordsSystem()));
            try {
                write(Site.FACTORY_PID, site.id(), new LinkedHashMap<>(site.settings()));
            } catch (IOException | RuntimeException e) {
                // the entry above stands; this one says the provisioning did not end in a site
                audit.record(new AuditEvent(
                        actor.name(),
                        site.id(),
                        "site.provision",
                        "site:" + site.id(),
                        actor.from(),
                        AuditOutcome.FAILURE,
                        "the site's own file could not be written: " + e.getMessage()));
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot store the configuration of site " + site.id() + ": " + e.getMessage(), e);
        }
        LOG.info(
                "Provisioned site {} ({}) with {} plug-in configuration(s)",
                site.id(),
                site.name(),
                definition.plugins().size());
    }

    @Override
    public Site configure(Site site, Actor actor) {
        List<InputError> errors = featureProblems(site);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        installFeatures(site.features());
        try {
            write(Site.FACTORY_PID, site.id(), new LinkedHashMap<>(site.settings()));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot store the configuration of site " + site.id() + ": " + e.getMessage(), e);
        }
        LOG.info("Site {} settings changed", site.id());
        record(actor, site, "site.configure", site.settings().toString());
        awaitSite(site);
        return site;
    }

    /** The features a site names that the installed repositories lack. */
    private List<InputError> featureProblems(Site site) {
        List<InputError> errors = new ArrayList<>();
        if (site.features().isEmpty()) {
            return errors;
        }
        FeaturesService service = features;
        if (service == null) {
            throw new IllegalStateException(
                    "the Karaf features service is not available; features cannot be installed");
        }
        for (String feature : site.features()) {
            if (org.dmiplatform.api.AddOns.kindOf(feature).isEmpty()) {
                // a site asks for its plug-ins, never for a feature of the platform's runtime (a console, a shell)
                errors.add(InputError.of(
                        "site " + site.id(),
                        "features",
                        "'" + feature + "' is not an add-on: a site lists the features of its plug-ins"
                                + " (dmi-adapter-*, dmi-directory-*, dmi-mapping-*, dmi-reporting-*)"));
                continue;
            }
            try {
                if (service.getFeatures(feature).length == 0) {
                    errors.add(InputError.of(
                            "site " + site.id(),
                            "features",
                            "no feature '" + feature + "' in the installed repositories"));
                }
            } catch (Exception e) {
                errors.add(InputError.of(
                        "site " + site.id(),
                        "features",
                        "cannot look up feature '" + feature + "': " + e.getMessage()));
            }
        }
        return errors;
    }

    private void installFeatures(List<String> names) {
        FeaturesService service = features;
        if (service == null || names.isEmpty()) {
            return;
        }
        try {
            SitesImpl.installMissingFeatures(service, names);
        } catch (Exception e) {
            throw new IllegalStateException("installing features " + names + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes the file first, then the configuration pointing at it, so FileInstall finds them equal. */
    private void write(String factoryPid, String name, Map<String, Object> properties) throws IOException {
        Files.createDirectories(configFolder);
        Path file = configFolder.resolve(factoryPid + "-" + name + ".cfg").toAbsolutePath();
        Path temp = configFolder.resolve("." + factoryPid + "-" + name + ".cfg.tmp");
        Files.writeString(
                temp,
                CfgFile.render(
                        "written by DMI Platform site provisioning; edits here apply to the running site", properties),
                StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Configuration configuration = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
        Dictionary<String, Object> dictionary = new Hashtable<>(properties);
        dictionary.put(FILENAME_PROPERTY, file.toUri().toString());
        if (!same(configuration.getProperties(), dictionary)) {
            // an update that changes nothing would still wake every consumer of the configuration
            configuration.update(dictionary);
        }
    }

    private static boolean same(Dictionary<String, Object> current, Dictionary<String, Object> wanted) {
        if (current == null) {
            return false;
        }
        for (String key : java.util.Collections.list(wanted.keys())) {
            if (!String.valueOf(wanted.get(key)).equals(String.valueOf(current.get(key)))) {
                return false;
            }
        }
        for (String key : java.util.Collections.list(current.keys())) {
            if (!key.startsWith("service.") && wanted.get(key) == null) {
                return false;
            }
        }
        return true;
    }

    private void removeStalePlugins(String siteId, Set<String> keep) throws IOException {
        Configuration[] existing;
        try {
            existing = configAdmin.listConfigurations(
                    "(&(" + Site.SERVICE_PROPERTY + "=" + siteId + ")(" + PROVISIONED_PROPERTY + "=true))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (existing == null) {
            return;
        }
        for (Configuration configuration : existing) {
            try {
                if (configuration.getFactoryPid() == null || keep.contains(configuration.getFactoryPid())) {
                    continue;
                }
                Object file = configuration.getProperties().get(FILENAME_PROPERTY);
                if (file != null) {
                    Files.deleteIfExists(Paths.get(java.net.URI.create(file.toString())));
                }
                LOG.info("Site {}: removing plug-in configuration {}", siteId, configuration.getPid());
                configuration.delete();
            } catch (IllegalStateException deletedMeanwhile) {
                // FileInstall deletes a configuration whose file was removed: an earlier provisioning's, going
            }
        }
    }

    private void record(Actor actor, Site site, String action, String detail) {
        audit.record(new AuditEvent(
                actor.name(), site.id(), action, "site:" + site.id(), actor.from(), AuditOutcome.SUCCESS, detail));
    }

    /** Configuration events are delivered asynchronously: wait until the site is served with its new settings. */
    private void awaitSite(Site site) {
        long deadline = System.currentTimeMillis() + APPEAR_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (sites.find(site.id()).filter(site::equals).isPresent()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn(
                "Site {} was configured but has not started within {} ms; see the log for its configuration errors",
                site.id(),
                APPEAR_TIMEOUT_MS);
    }
}
