package org.dmiplatform.core.internal.addons;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.AddOns.AddOn;
import org.dmiplatform.api.AddOns.Use;
import org.dmiplatform.api.AddOns.Version;
import org.dmiplatform.api.PlatformHealth;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The add-ons as the platform's one record has them, read live and kept nowhere: what Karaf has and has installed (its
 * features, the record {@code feature:list} reads), which site lists each (the sites' configuration files) and whether
 * it is bound there (the health report).
 */
final class Catalogue {
    private static final String SHIPPED = "shipped";

    private final FeaturesService features;
    private final Sites sites;
    private final PlatformHealth health;
    private final BundleContext context;

    Catalogue(FeaturesService features, Sites sites, PlatformHealth health, BundleContext context) {
        this.features = features;
        this.sites = sites;
        this.health = health;
        this.context = context;
    }

    /** Every add-on; {@code sources} names the file each version (name/version) came from. */
    List<AddOn> read(Map<String, String> sources) {
        Map<String, List<Feature>> byName = new TreeMap<>();
        try {
            for (Feature feature : features.listFeatures()) {
                if (AddOns.kindOf(feature.getName()).isPresent()) {
                    byName.computeIfAbsent(feature.getName(), n -> new ArrayList<>())
                            .add(feature);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the features: " + e.getMessage(), e);
        }
        Map<String, Bundle> byLocation = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            byLocation.put(bundle.getLocation(), bundle);
        }
        Map<String, PlatformHealth.SiteStatus> status = new HashMap<>();
        for (PlatformHealth.SiteStatus site : health.check().sites()) {
            status.put(site.id(), site);
        }
        List<AddOn> out = new ArrayList<>();
        for (Map.Entry<String, List<Feature>> addOn : byName.entrySet()) {
            String name = addOn.getKey();
            PluginKind kind = AddOns.kindOf(name).orElseThrow();
            List<Feature> all = addOn.getValue();
            all.sort(Comparator.comparing((Feature f) -> VersionSwap.osgi(f.getVersion()))
                    .reversed());
            List<Version> versions = new ArrayList<>();
            boolean installed = false;
            for (Feature f : all) {
                boolean in = features.isInstalled(f);
                installed |= in;
                List<String> bundles = new ArrayList<>();
                for (BundleInfo info : f.getBundles()) {
                    Bundle b = byLocation.get(info.getLocation().strip());
                    bundles.add(
                            b == null
                                    ? info.getLocation().strip()
                                    : b.getSymbolicName() + " " + b.getVersion() + " ("
                                            + VersionSwap.state(b.getState()) + ")");
                }
                versions.add(new Version(
                        f.getVersion(),
                        in,
                        sources.getOrDefault(f.getName() + "/" + f.getVersion(), SHIPPED),
                        bundles));
            }
            Set<String> own = symbolicNames(all, byLocation);
            List<Use> uses = new ArrayList<>();
            for (Site site : sites.list()) {
                if (site.features().contains(name)) {
                    uses.add(use(site, kind, own, installed, status.get(site.id())));
                }
            }
            out.add(new AddOn(name, kind, description(all), versions, uses));
        }
        return out;
    }

    private static String description(List<Feature> versions) {
        for (Feature f : versions) {
            if (f.getDescription() != null && !f.getDescription().isBlank()) {
                return f.getDescription().strip();
            }
        }
        return "";
    }

    /** A site's use of an add-on, from the health report: bound when a plug-in of the add-on's bundles is. */
    private static Use use(
            Site site, PluginKind kind, Set<String> own, boolean installed, PlatformHealth.SiteStatus status) {
        List<PluginBinding> bound = status == null ? List.of() : status.plugins();
        String first = null;
        for (PluginBinding binding : bound) {
            if (binding.kind() != kind) {
                continue;
            }
            String symbolicName = binding.bundle().split(" ")[0];
            if (own.contains(symbolicName)) {
                String note = first == null ? "" : "bound, but " + first + " serves the site first";
                return new Use(site.id(), site.name(), true, binding.bundle(), note);
            }
            if (first == null) {
                first = binding.bundle();
            }
        }
        String problem = installed
                ? "installed, but no " + kind.label() + " of it is bound to the site: the site needs its plug-in"
                        + " configuration (plugins/<factory PID>.cfg in its folder, or set on the site's page); the"
                        + " log says why a configuration was not taken"
                : "not installed: a national administrator installs it on the Add-ons page (or dmi:addon-install)";
        return new Use(site.id(), site.name(), false, "", problem);
    }

    /** The bundles of an add-on, by symbolic name: as installed, else as its Maven artifacts are named. */
    static Set<String> symbolicNames(List<Feature> versions, Map<String, Bundle> byLocation) {
        Set<String> out = new HashSet<>();
        for (Feature f : versions) {
            for (BundleInfo info : f.getBundles()) {
                Bundle b = byLocation.get(info.getLocation().strip());
                if (b != null && b.getSymbolicName() != null) {
                    out.add(b.getSymbolicName());
                } else {
                    String[] mvn = info.getLocation().strip().split("/");
                    if (mvn.length >= 3 && mvn[0].startsWith("mvn:")) {
                        out.add(mvn[1]);
                    }
                }
            }
        }
        return out;
    }

    /** Every bundle by its location. */
    static Map<String, Bundle> byLocation(BundleContext context) {
        Map<String, Bundle> out = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            out.put(bundle.getLocation(), bundle);
        }
        return out;
    }
}
