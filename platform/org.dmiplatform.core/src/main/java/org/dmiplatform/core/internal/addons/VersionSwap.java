package org.dmiplatform.core.internal.addons;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.VersionRange;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the installed version of an add-on with another, with no moment without the plug-in and nothing else
 * restarted (docs/adr/0011):
 *
 * <ol>
 *   <li>the sites' configurations of the add-on's plug-ins are made visible to every bundle (a configuration bound to
 *       the old bundle alone would never reach the new one);
 *   <li>the other version is installed beside the old one, without refreshing any bundle, and waited for until its
 *       plug-in is bound for every site the old one serves;
 *   <li>the old version is marked as being replaced: the new one serves every new call from then on;
 *   <li>the calls already running on the old version (an import holds its adapter throughout) are waited for;
 *   <li>the old version is removed, again without refreshing anything, and every other bundle is checked to be as it
 *       was (same id, same state).
 * </ol>
 *
 * A new version that does not bind in time is removed again and the old one serves on as before.
 */
final class VersionSwap {
    private static final Logger LOG = LoggerFactory.getLogger(VersionSwap.class);

    /** How long each step may take. */
    record Limits(Duration bind, Duration settle, Duration drain) {}

    private final FeaturesService features;
    private final ConfigurationAdmin configAdmin;
    private final Plugins plugins;
    private final BundleContext context;
    private final Limits limits;

    VersionSwap(
            FeaturesService features,
            ConfigurationAdmin configAdmin,
            Plugins plugins,
            BundleContext context,
            Limits limits) {
        this.features = features;
        this.configAdmin = configAdmin;
        this.plugins = plugins;
        this.context = context;
        this.limits = limits;
    }

    AddOns.Swap run(String name, String target) throws Exception {
        Feature to = feature(name, target);
        Set<String> newLocations = locations(to);
        List<Feature> installed = new ArrayList<>();
        for (Feature f : features.listInstalledFeatures()) {
            if (f.getName().equals(name) && !f.getVersion().equals(to.getVersion())) {
                installed.add(f);
            }
        }
        Set<String> oldLocations = new HashSet<>();
        installed.forEach(f -> oldLocations.addAll(locations(f)));
        oldLocations.removeAll(newLocations);
        Set<Long> oldBundles = bundles(oldLocations);
        String from =
                String.join(", ", installed.stream().map(Feature::getVersion).toList());

        // the plug-ins the old version serves, by site and kind: the new one must serve each of them
        Map<String, PluginKind> served = new LinkedHashMap<>();
        for (Plugins.Plugin p : plugins.all()) {
            if (oldBundles.contains(p.bundleId())) {
                served.put(p.site() + "/" + p.kind().id(), p.kind());
            }
        }
        List<String> sites = new ArrayList<>(new TreeSet<>(served.keySet().stream()
                .map(k -> k.substring(0, k.indexOf('/')))
                .toList()));
        int gapsBefore = gaps(served);

        shareConfigurations(oldBundles);
        Set<String> requirementsBefore = requirements(name);
        Map<Long, String> before = states(oldBundles);

        long started = System.nanoTime();
        features.installFeature(name, to.getVersion(), EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Set<Long> newBundles = bundles(newLocations);
        boolean bound = await(limits.bind(), () -> servesAll(served, newBundles));
        long bindMillis = millis(started);
        if (!bound) {
            Set<String> added = requirements(name);
            added.removeAll(requirementsBefore);
            String missing = String.join(", ", missing(served, newBundles));
            if (!added.isEmpty()) {
                features.removeRequirements(
                        Map.of(FeaturesService.ROOT_REGION, added),
                        EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            }
            throw new IllegalStateException("version " + to.getVersion() + " of " + name + " bound no plug-in for "
                    + missing + " within " + limits.bind().toSeconds() + " s (see the log for why); it was removed"
                    + " again and version " + from + " serves as before");
        }

        List<Long> oldServices = new ArrayList<>();
        for (Plugins.Plugin p : plugins.all()) {
            if (oldBundles.contains(p.bundleId())) {
                oldServices.add(p.serviceId());
            }
        }
        oldBundles.forEach(plugins::retireBundle);
        int runningAtSwitch = plugins.running(oldServices);
        long switched = System.nanoTime();
        // a caller may have looked the old plug-in up an instant before the switch and not called it yet
        Thread.sleep(limits.settle().toMillis());
        if (!await(limits.drain(), () -> plugins.running(oldServices) == 0)) {
            throw new IllegalStateException("version " + to.getVersion() + " of " + name + " serves now, but "
                    + plugins.running(oldServices) + " call(s) still run on version " + from + " after "
                    + limits.drain().toSeconds() + " s; it stays installed, taking no new call, until the swap is run"
                    + " again");
        }
        long drainMillis = millis(switched);

        Set<String> old = requirements(name);
        old.removeIf(r -> pins(r, to.getVersion(), installed));
        if (!old.isEmpty()) {
            features.removeRequirements(
                    Map.of(FeaturesService.ROOT_REGION, old), EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        oldBundles.forEach(plugins::reinstate);

        List<String> changed = new ArrayList<>();
        Map<Long, String> after = states(Set.of());
        for (Map.Entry<Long, String> bundle : before.entrySet()) {
            String now = after.get(bundle.getKey());
            if (!bundle.getValue().equals(now)) {
                changed.add(bundle.getValue() + " is now " + (now == null ? "gone" : now));
            }
        }
        int momentsWithout = gaps(served) - gapsBefore;
        LOG.info(
                "Swapped {} {} for {} at {}: bound in {} ms, drained in {} ms ({} call(s) running at the switch), {}"
                        + " moment(s) without a plug-in, {} other bundle(s) changed",
                name,
                from,
                to.getVersion(),
                sites,
                bindMillis,
                drainMillis,
                runningAtSwitch,
                momentsWithout,
                changed.size());
        return new AddOns.Swap(
                from,
                to.getVersion(),
                sites,
                bindMillis,
                drainMillis,
                runningAtSwitch,
                momentsWithout,
                before.size(),
                changed);
    }

    /** Every version of a feature the platform has (Karaf's getFeatures(name) answers the highest alone). */
    static List<Feature> versions(FeaturesService features, String name) throws Exception {
        List<Feature> out = new ArrayList<>();
        for (Feature f : features.listFeatures()) {
            if (f.getName().equals(name)) {
                out.add(f);
            }
        }
        return out;
    }

    private Feature feature(String name, String version) throws Exception {
        for (Feature f : versions(features, name)) {
            if (f.getVersion().equals(version)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no version " + version + " of " + name);
    }

    static Set<String> locations(Feature feature) {
        Set<String> out = new HashSet<>();
        for (BundleInfo bundle : feature.getBundles()) {
            out.add(bundle.getLocation().strip());
        }
        return out;
    }

    private Set<Long> bundles(Set<String> locations) {
        Set<Long> out = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            if (locations.contains(bundle.getLocation())) {
                out.add(bundle.getBundleId());
            }
        }
        return out;
    }

    /**
     * A configuration bound to one bundle's location reaches only that bundle; the platform writes the sites' with the
     * multi-location {@code ?} (so does FileInstall), which every bundle may receive. One bound to the old version is
     * made so too, or the new version would never see it.
     */
    private void shareConfigurations(Set<Long> oldBundles) throws Exception {
        Set<String> oldLocations = new HashSet<>();
        for (long id : oldBundles) {
            Bundle bundle = context.getBundle(id);
            if (bundle != null) {
                oldLocations.add(bundle.getLocation());
            }
        }
        Configuration[] configurations = configAdmin.listConfigurations("(" + Site.SERVICE_PROPERTY + "=*)");
        for (Configuration configuration : configurations == null ? new Configuration[0] : configurations) {
            String location = configuration.getBundleLocation();
            if (location != null && oldLocations.contains(location)) {
                LOG.info(
                        "Configuration {} was bound to {}; now shared with its next version",
                        configuration.getPid(),
                        location);
                configuration.setBundleLocation("?");
            }
        }
    }

    private boolean servesAll(Map<String, PluginKind> served, Set<Long> newBundles) {
        return missing(served, newBundles).isEmpty();
    }

    private List<String> missing(Map<String, PluginKind> served, Set<Long> newBundles) {
        Set<String> bound = new HashSet<>();
        for (Plugins.Plugin p : plugins.all()) {
            if (newBundles.contains(p.bundleId())) {
                bound.add(p.site() + "/" + p.kind().id());
            }
        }
        List<String> out = new ArrayList<>();
        for (String key : served.keySet()) {
            if (!bound.contains(key)) {
                out.add("site " + key.replace("/", " (") + ")");
            }
        }
        return out;
    }

    private int gaps(Map<String, PluginKind> served) {
        int sum = 0;
        for (Map.Entry<String, PluginKind> e : served.entrySet()) {
            sum += plugins.gaps(e.getKey().substring(0, e.getKey().indexOf('/')), e.getValue());
        }
        return sum;
    }

    /** The requirements Karaf keeps for the feature (whichever version, however asked). */
    Set<String> requirements(String name) {
        return requirements(features, name);
    }

    static Set<String> requirements(FeaturesService features, String name) {
        Set<String> out = new HashSet<>();
        Set<String> root = features.listRequirements().getOrDefault(FeaturesService.ROOT_REGION, Set.of());
        for (String requirement : root) {
            if (requirement.startsWith("feature:" + name + "/")) {
                out.add(requirement);
            }
        }
        return out;
    }

    /** True when the requirement asks for this version and for none of the others installed. */
    static boolean pins(String requirement, String version, List<Feature> others) {
        VersionRange range = range(requirement);
        if (range == null || !range.includes(osgi(version))) {
            return false;
        }
        for (Feature other : others) {
            if (range.includes(osgi(other.getVersion()))) {
                return false;
            }
        }
        return true;
    }

    private static VersionRange range(String requirement) {
        String text = requirement.substring(requirement.indexOf('/') + 1);
        try {
            return new VersionRange(text.replaceAll("(\\d)-", "$1."));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A feature's version as OSGi reads it ({@code 0.1.0-SNAPSHOT} is {@code 0.1.0.SNAPSHOT}). */
    static org.osgi.framework.Version osgi(String version) {
        try {
            return org.osgi.framework.Version.parseVersion(version.replaceFirst("(\\d)-", "$1."));
        } catch (IllegalArgumentException e) {
            return org.osgi.framework.Version.emptyVersion;
        }
    }

    /** Every bundle but the given ones, as id to name, version and state. */
    private Map<Long, String> states(Set<Long> except) {
        Map<Long, String> out = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (!except.contains(bundle.getBundleId())) {
                out.put(
                        bundle.getBundleId(),
                        bundle.getSymbolicName() + " " + bundle.getVersion() + " (" + bundle.getBundleId() + ") "
                                + state(bundle.getState()));
            }
        }
        return out;
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }

    /** Waits until the condition holds, at most {@code limit}; false when it did not. */
    static boolean await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Milliseconds since a {@link System#nanoTime()}. */
    static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
