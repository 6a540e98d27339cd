package org.dmiplatform.core.internal.addons;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.Repository;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.PlatformHealth;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.core.internal.Folders;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.dmiplatform.core.internal.site.SitesImpl;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The add-ons, read from where they are recorded and changed there: Karaf's features service (what is installed, the
 * same record {@code feature:list} reads), the sites (which lists what) and the health report (what is bound). Changes
 * are planned with Karaf's own deployment report and made one at a time, never refreshing a bundle.
 */
@Component(service = AddOns.class, configurationPid = AddOnsImpl.PID)
@Designate(ocd = AddOnsImpl.Config.class)
public class AddOnsImpl implements AddOns {
    private static final Logger LOG = LoggerFactory.getLogger(AddOnsImpl.class);
    static final String PID = "org.dmiplatform.addons";
    private static final String SHIPPED = "shipped";

    @ObjectClassDefinition(name = "DMI add-ons")
    public @interface Config {
        @AttributeDefinition(description = "Seconds a new version may take to bind its plug-in for every site")
        int bindSeconds() default 60;

        @AttributeDefinition(
                description = "Milliseconds given, after the switch, to a call that looked the old version up just"
                        + " before it")
        int settleMillis() default 1000;

        @AttributeDefinition(description = "Seconds the calls running on the old version (an import) may take to end")
        int drainSeconds() default 600;
    }

    private final FeaturesService features;
    private final ConfigurationAdmin configAdmin;
    private final Sites sites;
    private final PlatformHealth health;
    private final Plugins plugins;
    private final AuditLog audit;
    private final SiteProvisioning provisioning;
    private final BundleContext context;
    private final AddOnFolder folder;
    private final VersionSwap.Limits limits;
    private final ReentrantLock changing = new ReentrantLock();
    private final ExecutorService starting = Executors.newSingleThreadExecutor(r -> new Thread(r, "dmi-addons-start"));

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LogReaderService log;

    @Activate
    public AddOnsImpl(
            @Reference FeaturesService features,
            @Reference ConfigurationAdmin configAdmin,
            @Reference Sites sites,
            @Reference PlatformHealth health,
            @Reference Plugins plugins,
            @Reference AuditLog audit,
            @Reference SiteProvisioning provisioning,
            BundleContext context,
            Config config) {
        this.features = features;
        this.configAdmin = configAdmin;
        this.sites = sites;
        this.health = health;
        this.plugins = plugins;
        this.audit = audit;
        this.provisioning = provisioning;
        this.context = context;
        this.folder = new AddOnFolder(
                Folders.data(context).resolve("addons"),
                Paths.get(String.valueOf(context.getProperty("karaf.data"))).resolve("kar"));
        this.limits = new VersionSwap.Limits(
                Duration.ofSeconds(config.bindSeconds()),
                Duration.ofMillis(config.settleMillis()),
                Duration.ofSeconds(config.drainSeconds()));
        // a new runtime has the kept files but not their repositories: offer them again, then give every site the
        // features it lists (which may come from them); not in the activation itself, which installing would block
        starting.execute(this::restore);
    }

    @Deactivate
    void deactivate() {
        starting.shutdownNow();
    }

    private void restore() {
        try {
            takeIn();
            for (Site site : sites.list()) {
                Set<String> installed = SitesImpl.installMissingFeatures(features, site);
                if (!installed.isEmpty()) {
                    LOG.info("Installed features {} for site {} from the add-on files", installed, site.id());
                }
            }
        } catch (Exception e) {
            LOG.error("Cannot take in the add-on files in {}: {}", folder.folder(), e.getMessage());
        }
    }

    @Override
    public List<AddOn> catalogue() {
        Map<String, String> sources = new HashMap<>();
        for (AddOnFolder.Kept kept : takeIn()) {
            if (kept.checked().sound()) {
                kept.checked().features().forEach(f -> sources.put(f.id(), kept.name()));
            }
        }
        return new Catalogue(features, sites, health, context).read(sources);
    }

    @Override
    public List<AddOnFile> files() {
        return takeIn().stream().map(AddOnFolder.Kept::asFile).toList();
    }

    /**
     * Lists the kept files, checking any new one (a file site IT dropped in the folder), and offers the repository of
     * each sound one that Karaf does not know yet.
     */
    private synchronized List<AddOnFolder.Kept> takeIn() {
        try {
            List<AddOnFolder.Kept> kept = folder.list(this::platform);
            Set<String> known = new HashSet<>();
            for (Repository repository : features.listRepositories()) {
                known.add(repository.getURI().toString());
            }
            for (AddOnFolder.Kept file : kept) {
                for (java.net.URI uri : file.featureFiles()) {
                    if (!known.contains(uri.toString())) {
                        features.addRepository(uri);
                        LOG.info(
                                "Add-on file {} offers {}",
                                file.name(),
                                file.asFile().features());
                        audit.record(new AuditEvent(
                                Actor.SYSTEM.name(),
                                "",
                                "addon.file",
                                "addon-file:" + file.name(),
                                Actor.SYSTEM.from(),
                                AuditOutcome.SUCCESS,
                                "taken in from " + folder.folder() + ": "
                                        + file.asFile().features() + ", SHA-256 "
                                        + file.checked().sha256()));
                    }
                }
            }
            return kept;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot read the add-on files in " + folder.folder() + ": " + e.getMessage(), e);
        }
    }

    /** What a file is checked against: the platform's repository, features and own bundles, and the files kept. */
    private KarFile.Platform platform(Map<String, String> keptArtifacts) {
        try {
            Set<String> featureNames = new HashSet<>();
            Set<String> addOnLocations = new HashSet<>();
            for (Feature f : features.listFeatures()) {
                featureNames.add(f.getName());
                if (AddOns.kindOf(f.getName()).isPresent()) {
                    addOnLocations.addAll(VersionSwap.locations(f));
                }
            }
            Set<String> repositories = new HashSet<>();
            for (Repository repository : features.listRepositories()) {
                repositories.add(repository.getURI().toString());
            }
            // everything the platform runs that is not an add-on's: a file may not bring a second copy of it
            Set<String> platformBundles = new HashSet<>();
            for (Bundle bundle : context.getBundles()) {
                if (bundle.getSymbolicName() != null && !addOnLocations.contains(bundle.getLocation())) {
                    platformBundles.add(bundle.getSymbolicName());
                }
            }
            String home = String.valueOf(context.getProperty("karaf.home"));
            String system = Optional.ofNullable(context.getProperty("karaf.default.repository"))
                    .orElse("system");
            return new KarFile.Platform(
                    Paths.get(home).resolve(system), featureNames, repositories, platformBundles, keptArtifacts);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read what the platform has: " + e.getMessage(), e);
        }
    }

    @Override
    public AddOnFile receive(String fileName, InputStream in, Optional<String> sha256, Actor actor) throws IOException {
        String name = fileName == null || fileName.isBlank()
                ? ""
                : Paths.get(fileName.replace('\\', '/')).getFileName().toString();
        if (!AddOnFolder.NAME.matcher(name).matches()) {
            throw new InvalidInputException(InputError.of(
                    fileName == null ? "" : fileName,
                    "name",
                    "an add-on file is a Karaf archive named with letters, digits, '.', '-' or '_' and ending in .kar"
                            + " (for example dmi-adapter-lims-1.2.0.kar)"));
        }
        if (folder.exists(name)) {
            throw new InvalidInputException(InputError.of(
                    name,
                    "name",
                    "a file of this name is kept already: give a new build a name of its own (its version, say)"));
        }
        Path temp;
        try {
            temp = folder.receive(in);
        } catch (IOException e) {
            throw new InvalidInputException(InputError.of(name, "", "cannot be received: " + e.getMessage()));
        }
        try {
            Map<String, String> keptArtifacts = new HashMap<>();
            for (AddOnFolder.Kept kept : takeIn()) {
                if (kept.checked().sound()) {
                    keptArtifacts.putAll(kept.checked().artifacts());
                }
            }
            KarFile.Checked checked = KarFile.check(temp, platform(keptArtifacts));
            List<String> problems = new ArrayList<>(checked.problems());
            if (sha256.isPresent()
                    && !sha256.get().strip().toLowerCase(Locale.ROOT).equals(checked.sha256())) {
                problems.add("its SHA-256 is " + checked.sha256() + ", not the "
                        + sha256.get().strip() + " given: the file was changed or cut short on its way");
            }
            if (!problems.isEmpty()) {
                record(
                        actor,
                        "addon.file",
                        "addon-file:" + name,
                        AuditOutcome.FAILURE,
                        problems.size() + " problem(s): " + problems.get(0));
                throw new InvalidInputException(
                        problems.stream().map(p -> InputError.of(name, "", p)).toList());
            }
            folder.keep(temp, name);
            record(
                    actor,
                    "addon.file",
                    "addon-file:" + name,
                    AuditOutcome.SUCCESS,
                    "received "
                            + checked.features().stream()
                                    .map(KarFile.Feature::id)
                                    .toList() + ", " + checked.bytes() + " bytes, SHA-256 " + checked.sha256());
            for (AddOnFolder.Kept kept : takeIn()) {
                if (kept.name().equals(name)) {
                    return kept.asFile();
                }
            }
            throw new IllegalStateException("the file " + name + " was kept but is not listed");
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Plan plan(Change change) {
        takeIn();
        return new Plans(features, sites, context, log).plan(change);
    }

    @Override
    public Outcome apply(Change change, Actor actor) {
        if (!changing.tryLock()) {
            throw new IllegalStateException("another add-on change is under way; try again when it has ended");
        }
        String target = "addon:" + change.feature();
        String action = "addon." + change.action().id();
        try {
            long started = System.nanoTime();
            Plan plan = plan(change);
            if (!plan.allowed()) {
                record(actor, action, target, AuditOutcome.FAILURE, "refused: " + String.join("; ", plan.refusals()));
                throw new InvalidInputException(plan.refusals().stream()
                        .map(r -> InputError.of(
                                "add-on " + change.feature(), change.action().id(), r))
                        .toList());
            }
            String name = plan.change().feature();
            String version = plan.change().version();
            Optional<Swap> swap = Optional.empty();
            String summary;
            try {
                switch (plan.change().action()) {
                    case INSTALL -> {
                        List<String> changed = unchangedOthers(() -> features.installFeature(
                                name, version, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles)));
                        summary = "installed " + name + " " + version + (changed.isEmpty() ? "" : "; " + changed);
                    }
                    case SWAP -> {
                        Swap done = new VersionSwap(features, configAdmin, plugins, context, limits).run(name, version);
                        swap = Optional.of(done);
                        summary = "swapped " + name + " " + done.from() + " for " + done.to() + " at " + done.sites()
                                + ": bound in " + done.bindMillis() + " ms, old calls ended in " + done.drainMillis()
                                + " ms, " + done.momentsWithout() + " moment(s) without the plug-in, "
                                + done.otherBundlesChanged().size() + " of " + done.otherBundles()
                                + " other bundles changed";
                    }
                    case UNINSTALL -> {
                        Set<String> requirements = VersionSwap.requirements(features, name);
                        List<String> changed = unchangedOthers(() -> features.removeRequirements(
                                Map.of(FeaturesService.ROOT_REGION, requirements),
                                EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles)));
                        summary = "removed " + name + (changed.isEmpty() ? "" : "; " + changed);
                    }
                    default -> throw new IllegalArgumentException(
                            plan.change().action().toString());
                }
            } catch (IllegalStateException e) {
                record(actor, action, target, AuditOutcome.FAILURE, e.getMessage());
                throw e;
            } catch (Exception e) {
                record(actor, action, target, AuditOutcome.FAILURE, "Karaf: " + e.getMessage());
                throw new IllegalStateException(
                        "Karaf could not " + change.action().id() + " " + name + ": " + e.getMessage(), e);
            }
            record(actor, action, target, AuditOutcome.SUCCESS, summary);
            LOG.info("Add-on change by {}: {}", actor.name(), summary);
            return new Outcome(plan, summary, swap, (System.nanoTime() - started) / 1_000_000);
        } finally {
            changing.unlock();
        }
    }

    @Override
    public Replacement replace(String siteId, String from, String to, Map<String, String> settings, Actor actor) {
        Site site =
                sites.find(siteId).orElseThrow(() -> new java.util.NoSuchElementException("no site '" + siteId + "'"));
        List<InputError> errors = new ArrayList<>();
        Optional<PluginKind> kind = AddOns.kindOf(to);
        if (kind.isEmpty() || !kind.equals(AddOns.kindOf(from))) {
            errors.add(InputError.of(
                    "site " + siteId, "to", "'" + from + "' and '" + to + "' are not add-ons of one kind"));
        } else if (!site.features().contains(from)) {
            errors.add(InputError.of(
                    "site " + siteId,
                    "from",
                    "the site does not list " + from + " (it lists " + site.features() + ")"));
        } else if (from.equals(to)) {
            errors.add(InputError.of("site " + siteId, "to", "is the add-on it replaces: swap its version instead"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (!changing.tryLock()) {
            throw new IllegalStateException("another add-on change is under way; try again when it has ended");
        }
        String target = "addon:" + to;
        try {
            long started = System.nanoTime();
            Swap swap = new ImplementationSwap(features, provisioning, plugins, context, limits)
                    .run(site, from, to, settings, actor);
            String summary =
                    "site " + siteId + " uses " + to + " instead of " + from + ": bound in " + swap.bindMillis()
                            + " ms, old calls ended in " + swap.drainMillis() + " ms, " + swap.momentsWithout()
                            + " moment(s) without a " + kind.get().label();
            audit.record(new AuditEvent(
                    actor.name(), siteId, "addon.replace", target, actor.from(), AuditOutcome.SUCCESS, summary));
            LOG.info("Add-on change by {}: {}", actor.name(), summary);
            return new Replacement(siteId, from, to, summary, swap, (System.nanoTime() - started) / 1_000_000);
        } catch (InvalidInputException | IllegalStateException e) {
            audit.record(new AuditEvent(
                    actor.name(), siteId, "addon.replace", target, actor.from(), AuditOutcome.FAILURE, e.getMessage()));
            throw e;
        } catch (Exception e) {
            audit.record(new AuditEvent(
                    actor.name(), siteId, "addon.replace", target, actor.from(), AuditOutcome.FAILURE, e.getMessage()));
            throw new IllegalStateException(
                    "the replacement of " + from + " by " + to + " at " + siteId + " failed: " + e.getMessage(), e);
        } finally {
            changing.unlock();
        }
    }

    /**
     * Runs a deployment and says which bundles outside it changed (a refresh, a restart): "other bundles unchanged"
     * when none did. The bundles it installs or removes are its own.
     */
    private List<String> unchangedOthers(DeploymentReport.Deployment deployment) throws Exception {
        Map<Long, String> before = states();
        deployment.run();
        Map<Long, String> after = states();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<Long, String> bundle : before.entrySet()) {
            String now = after.get(bundle.getKey());
            if (now != null && !now.equals(bundle.getValue())) {
                changed.add(bundle.getValue() + " is now " + now);
            }
        }
        return changed;
    }

    private Map<Long, String> states() {
        Map<Long, String> out = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            out.put(
                    bundle.getBundleId(),
                    bundle.getSymbolicName() + " " + bundle.getVersion() + " " + VersionSwap.state(bundle.getState()));
        }
        return out;
    }

    private void record(Actor actor, String action, String target, AuditOutcome outcome, String detail) {
        audit.record(new AuditEvent(actor.name(), "", action, target, actor.from(), outcome, detail));
    }
}
