package org.dmiplatform.core.internal.addons;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.dmiplatform.core.internal.site.PluginSettings;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * One site changes which add-on serves it for a kind (a records adapter for another), with no moment without one: the
 * other add-on (installed already) is listed for the site and configured, waited for until its plug-in is bound for
 * the site, made to serve (the old one marked as being replaced), the calls running on the old one waited for, and
 * only then the old one's configuration removed and its name taken off the site's features. Every step goes through
 * provisioning, so the site's files say what the site uses at each moment. Nothing is installed or removed.
 */
final class ImplementationSwap {
    private final FeaturesService features;
    private final SiteProvisioning provisioning;
    private final Plugins plugins;
    private final BundleContext context;
    private final VersionSwap.Limits limits;

    ImplementationSwap(
            FeaturesService features,
            SiteProvisioning provisioning,
            Plugins plugins,
            BundleContext context,
            VersionSwap.Limits limits) {
        this.features = features;
        this.provisioning = provisioning;
        this.plugins = plugins;
        this.context = context;
        this.limits = limits;
    }

    AddOns.Swap run(Site site, String from, String to, Map<String, String> settings, Actor actor) throws Exception {
        PluginKind kind = AddOns.kindOf(to).orElseThrow();
        String where = "site " + site.id();
        Set<String> fromBundles = installedBundles(from);
        Set<String> toBundles = installedBundles(to);
        if (toBundles.isEmpty()) {
            throw new InvalidInputException(InputError.of(
                    where, "to", to + " is not installed: a national administrator installs it first (Add-ons page)"));
        }
        List<Plugins.Plugin> old = new ArrayList<>();
        for (Plugins.Plugin p : plugins.of(site.id(), kind)) {
            if (fromBundles.contains(p.symbolicName())) {
                old.add(p);
            }
        }
        String toPid = factoryPid(site, to);
        int gapsBefore = plugins.gaps(site.id(), kind);

        // listed and configured: the site's files say it uses both, for as long as both serve
        List<String> both = new ArrayList<>(site.features());
        if (!both.contains(to)) {
            both.add(to);
        }
        configureFeatures(site, both, actor);
        provisioning.configurePlugin(site.id(), toPid, settings, actor);
        long started = System.nanoTime();
        boolean bound = VersionSwap.await(limits.bind(), () -> plugins.of(site.id(), kind).stream()
                .anyMatch(p -> toBundles.contains(p.symbolicName())));
        long bindMillis = VersionSwap.millis(started);
        if (!bound) {
            provisioning.configurePlugin(site.id(), toPid, Map.of(), actor);
            configureFeatures(site, site.features(), actor);
            throw new IllegalStateException(to + " bound no " + kind.label() + " for " + where + " within "
                    + limits.bind().toSeconds() + " s with the settings given (the log says why); its configuration"
                    + " was removed again and " + from + " serves as before");
        }

        List<Long> oldServices = old.stream().map(Plugins.Plugin::serviceId).toList();
        oldServices.forEach(plugins::retireService);
        int runningAtSwitch = plugins.running(oldServices);
        long switched = System.nanoTime();
        Thread.sleep(limits.settle().toMillis());
        if (!VersionSwap.await(limits.drain(), () -> plugins.running(oldServices) == 0)) {
            throw new IllegalStateException(to + " serves " + where + " now, but " + plugins.running(oldServices)
                    + " call(s) still run on " + from + " after "
                    + limits.drain().toSeconds() + " s; its configuration"
                    + " stays until the replacement is asked again");
        }
        long drainMillis = VersionSwap.millis(switched);

        Set<String> oldPids = new HashSet<>();
        for (Plugins.Plugin p : old) {
            // the configuration's own property, which Declarative Services passes on to the service; else, by the
            // plug-in recipe, the bundle's symbolic name
            oldPids.add(p.property("service.factoryPid").orElse(p.symbolicName()));
        }
        for (String pid : oldPids) {
            provisioning.configurePlugin(site.id(), pid, Map.of(), actor);
        }
        List<String> remaining = new ArrayList<>(both);
        remaining.remove(from);
        configureFeatures(site, remaining, actor);
        return new AddOns.Swap(
                from,
                to,
                List.of(site.id()),
                bindMillis,
                drainMillis,
                runningAtSwitch,
                plugins.gaps(site.id(), kind) - gapsBefore,
                0,
                List.of());
    }

    private void configureFeatures(Site site, List<String> wanted, Actor actor) {
        Map<String, String> settings = new LinkedHashMap<>(site.settings());
        settings.put("features", String.join(",", wanted));
        provisioning.configure(
                provisioning
                        .define(settings, List.of(), Map.of(), "add-on replacement")
                        .site(),
                actor);
    }

    /** The symbolic names of the installed bundles of an add-on. */
    private Set<String> installedBundles(String name) throws Exception {
        Set<String> locations = new HashSet<>();
        for (Feature f : VersionSwap.versions(features, name)) {
            if (features.isInstalled(f)) {
                locations.addAll(VersionSwap.locations(f));
            }
        }
        Set<String> out = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            if (locations.contains(bundle.getLocation()) && bundle.getSymbolicName() != null) {
                out.add(bundle.getSymbolicName());
            }
        }
        return out;
    }

    /** The factory PID of the add-on's plug-in: the one its bundles declare (by the convention, their symbolic name). */
    private String factoryPid(Site site, String addOn) throws Exception {
        Site only = new Site(
                site.id(),
                site.name(),
                site.jurisdiction(),
                site.timeZone(),
                site.sourceCrs(),
                site.cohort(),
                List.of(addOn),
                site.bounds());
        Set<String> pids = PluginSettings.of(only, features, context).keySet();
        Set<String> names = installedBundles(addOn);
        for (String pid : pids) {
            if (names.contains(pid)) {
                return pid;
            }
        }
        if (pids.size() == 1) {
            return pids.iterator().next();
        }
        throw new InvalidInputException(InputError.of(
                "site " + site.id(), "to", addOn + " declares no single plug-in configuration (it has " + pids + ")"));
    }
}
