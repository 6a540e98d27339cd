package org.dmiplatform.directory.hsds.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.directory.DirectoryFile;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ImportReport;
import org.dmiplatform.api.directory.ServiceDirectory;
import org.dmiplatform.directory.listing.DataFolder;
import org.dmiplatform.directory.listing.Directory;
import org.dmiplatform.directory.listing.DirectoryFiles;
import org.dmiplatform.directory.listing.Listing;
import org.dmiplatform.directory.listing.Search;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A site's directory of service providers imported from Open Referral HSDS packages: a zipped HSDS 3.0 or 1.1 CSV
 * data package, or HSDS 3.0 JSON. An import takes what is valid and reports the rest; the new directory replaces the
 * old one whole ({@link DirectoryFiles}). Its services fall into the programme's six categories by the site's
 * {@link CategoryRules}, read again whenever their file changes; anyone at the site may search and export it, the
 * site administrator, services, community and TTA administrator roles may replace it.
 */
@Component(
        service = ServiceDirectory.class,
        configurationPid = HsdsDirectory.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"dmi.plugin.kind=" + ServiceDirectory.KIND, "dmi.plugin.name=hsds"})
@Designate(ocd = HsdsDirectory.Config.class, factory = true)
public class HsdsDirectory implements ServiceDirectory {
    static final String PID = "org.dmiplatform.directory.hsds";

    @ObjectClassDefinition(name = "DMI service directory (Open Referral HSDS)")
    public @interface Config {
        @AttributeDefinition(description = "the site this plug-in serves (written by provisioning)")
        String dmi_site();

        @AttributeDefinition(
                description = "a JSON file of category rules in the site's folder <data>/sites/<site>/;"
                        + " empty for the built-in rules",
                required = false)
        String categories() default "";
    }

    /** The categorised services of one directory under one set of rules. */
    private record Snapshot(Directory directory, CategoryRules rules, Map<String, DirectoryService> services) {}

    /** A site's rules file as last read. */
    private record RulesFile(String site, String name, FileTime modified, CategoryRules.Read read) {}

    private final Path data;
    private final DirectoryFiles files;
    private final Clock clock;
    private volatile String site;
    private volatile String categories = "";
    private volatile RulesFile rulesFile;
    private volatile Snapshot snapshot;

    @Activate
    public HsdsDirectory(BundleContext context, Config config) {
        this(DataFolder.of(context), Clock.systemUTC());
        modified(config);
    }

    HsdsDirectory(Path data, Clock clock) {
        this.data = data;
        this.files = new DirectoryFiles(data);
        this.clock = clock;
    }

    @Modified
    void modified(Config config) {
        this.site = config.dmi_site();
        this.categories = Objects.requireNonNullElse(config.categories(), "").strip();
    }

    private void serves(Site asked) {
        DataFolder.serves(site, asked, "service directory");
    }

    @Override
    public boolean imports() {
        return true;
    }

    @Override
    public String describe(Site site) {
        serves(site);
        Optional<Directory> directory = files.read(site.id());
        if (directory.isEmpty()) {
            return "Open Referral HSDS directory: nothing imported yet";
        }
        Directory d = directory.get();
        LocalDate day = LocalDate.ofInstant(Instant.parse(d.importedAt()), site.timeZone());
        int n = d.services().size();
        return d.format() + " package " + d.source() + ", " + n + (n == 1 ? " service" : " services") + ", imported "
                + day;
    }

    @Override
    public List<DirectoryService> search(Site site, DirectoryQuery query, Caller caller) {
        serves(site);
        caller.require(site.id(), "searching the site's service directory", DataFolder.READERS);
        return Search.run(List.copyOf(services(site.id()).values()), query);
    }

    @Override
    public Optional<DirectoryService> find(Site site, String id, Caller caller) {
        serves(site);
        caller.require(site.id(), "reading the site's service directory", DataFolder.READERS);
        return Optional.ofNullable(services(site.id()).get(id));
    }

    @Override
    public void exportHsds(Site site, OutputStream out, Caller caller) {
        serves(site);
        caller.require(site.id(), "exporting the site's service directory", DataFolder.READERS);
        files.exportHsds(site.id(), out);
    }

    @Override
    public synchronized ImportReport importPackage(Site site, DirectoryFile file, Caller caller) {
        serves(site);
        caller.require(site.id(), "importing the site's service directory", DataFolder.KEEPERS);
        Findings findings = new Findings();
        rules(site.id()).errors().forEach(findings::reject);
        Imported imported = read(file, findings);
        if (imported.services().isEmpty()) {
            List<InputError> errors = new ArrayList<>();
            errors.add(InputError.of(file.fileName(), "", "no service could be taken from it"));
            errors.addAll(findings.rejected()
                    .subList(0, Math.min(99, findings.rejected().size())));
            throw new InvalidInputException(errors);
        }
        Instant now = clock.instant();
        ImportReport report = findings.report(imported.format(), imported.services(), now);
        files.replace(
                site.id(),
                new Directory(imported.format(), file.fileName(), now.toString(), imported.services()),
                report);
        return report;
    }

    /** The package read by its ending, or by its first bytes when the name does not say. */
    private Imported read(DirectoryFile file, Findings findings) {
        String name = file.fileName().toLowerCase(Locale.ROOT);
        InputStream in = new BufferedInputStream(file.content());
        boolean zip = name.endsWith(".zip");
        if (!zip && !name.endsWith(".json")) {
            try {
                in.mark(2);
                zip = in.read() == 'P' && in.read() == 'K';
                in.reset();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!zip) {
            return JsonImport.read(in, file.fileName(), findings);
        }
        try (Unzipped pkg = Unzipped.open(in, file.fileName(), data.resolve("tmp"), findings)) {
            return CsvImport.read(pkg, file.fileName(), findings);
        }
    }

    /** The site's services, categorised by its rules; read again when the directory or the rules change. */
    private Map<String, DirectoryService> services(String site) {
        Optional<Directory> directory = files.read(site);
        if (directory.isEmpty()) {
            return Map.of();
        }
        CategoryRules rules = rules(site).rules();
        Snapshot last = snapshot;
        if (last != null && last.directory() == directory.get() && last.rules() == rules) {
            return last.services();
        }
        Map<String, DirectoryService> services = new LinkedHashMap<>();
        for (Listing l : directory.get().services()) {
            services.put(l.id(), l.toService(rules.categorise(l)));
        }
        snapshot = new Snapshot(directory.get(), rules, services);
        return services;
    }

    /** The site's category rules: the built-in ones, with the configured file over them. */
    private CategoryRules.Read rules(String site) {
        String name = categories;
        if (name.isEmpty()) {
            return new CategoryRules.Read(CategoryRules.defaults(), List.of());
        }
        if (!name.matches("[A-Za-z0-9_][A-Za-z0-9._-]*")) {
            return new CategoryRules.Read(
                    CategoryRules.defaults(),
                    List.of(InputError.of(
                            name,
                            "",
                            "is not a file name in the site's folder (letters, digits, '.', '_', '-'): the built-in"
                                    + " category rules apply")));
        }
        Path file = data.resolve("sites").resolve(site).resolve(name);
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return new CategoryRules.Read(
                    CategoryRules.defaults(),
                    List.of(InputError.of(name, "", "is not in the site's folder: the built-in category rules apply")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RulesFile last = rulesFile;
        if (last != null
                && last.site().equals(site)
                && last.name().equals(name)
                && last.modified().equals(modified)) {
            return last.read();
        }
        CategoryRules.Read read = CategoryRules.read(file, name);
        rulesFile = new RulesFile(site, name, modified, read);
        return read;
    }
}
