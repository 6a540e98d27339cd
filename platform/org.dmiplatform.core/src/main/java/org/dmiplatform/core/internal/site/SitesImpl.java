package org.dmiplatform.core.internal.site;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured sites and what is plugged into each (as {@link Plugins} tracks them, so a swap shows at once).
 */
@Component(service = Sites.class)
public class SitesImpl implements Sites {
    private static final Logger LOG = LoggerFactory.getLogger(SitesImpl.class);

    private final Plugins plugins;
    private final List<SiteComponent> sites = new CopyOnWriteArrayList<>();
    private final ExecutorService featureInstaller =
            Executors.newSingleThreadExecutor(r -> new Thread(r, "dmi-site-features"));

    private volatile FeaturesService features;

    @Activate
    public SitesImpl(@Reference Plugins plugins) {
        this.plugins = plugins;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSite(SiteComponent site) {
        sites.add(site);
        featureInstaller.execute(() -> ensureFeatures(site.site()));
    }

    void removeSite(SiteComponent site) {
        sites.remove(site);
    }

    /**
     * The features service may come after the sites (a busy start): every site known by then gets its features now,
     * or a site would wait for a restart to bind its plug-ins.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindFeatures(FeaturesService service) {
        features = service;
        for (SiteComponent site : sites) {
            featureInstaller.execute(() -> ensureFeatures(site.site()));
        }
    }

    void unbindFeatures(FeaturesService service) {
        if (features == service) {
            features = null;
        }
    }

    @Deactivate
    void deactivate() {
        featureInstaller.shutdownNow();
    }

    /**
     * A fresh runtime (new distribution, cleaned cache) has the sites' configurations but not the features they
     * need: install what is missing.
     */
    private void ensureFeatures(Site site) {
        FeaturesService service = features;
        if (service == null) {
            return;
        }
        try {
            Set<String> installed = installMissingFeatures(service, site);
            if (!installed.isEmpty()) {
                LOG.info("Installed features {} for site {}", installed, site.id());
            }
        } catch (Exception e) {
            LOG.error("Site {}: cannot install its features {}: {}", site.id(), site.features(), e.getMessage());
        }
    }

    /** Installs the features a site lists that are not installed yet, without refreshing bundles; returns them. */
    public static Set<String> installMissingFeatures(FeaturesService service, Site site) throws Exception {
        return installMissingFeatures(service, site.features());
    }

    /** Installs the features named that are not installed yet, in one go, without refreshing bundles; returns them. */
    static Set<String> installMissingFeatures(FeaturesService service, java.util.Collection<String> names)
            throws Exception {
        if (names.isEmpty()) {
            return Set.of();
        }
        Set<String> installed = new HashSet<>();
        for (Feature feature : service.listInstalledFeatures()) {
            installed.add(feature.getName());
        }
        Set<String> missing = new LinkedHashSet<>(names);
        missing.removeAll(installed);
        if (!missing.isEmpty()) {
            service.installFeatures(missing, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        return missing;
    }

    @Override
    public List<Site> list() {
        List<Site> out = new ArrayList<>();
        for (SiteComponent component : sites) {
            out.add(component.site());
        }
        out.sort(Comparator.comparing(Site::id));
        return out;
    }

    @Override
    public Optional<Site> find(String id) {
        for (SiteComponent component : sites) {
            if (component.site().id().equals(id)) {
                return Optional.of(component.site());
            }
        }
        return Optional.empty();
    }

    @Override
    public List<PluginBinding> plugins(String siteId) {
        return plugins.bindings(siteId);
    }

    @Override
    public <T> Optional<T> plugin(String siteId, Class<T> contract) {
        for (PluginKind kind : PluginKind.values()) {
            if (kind.contract().equals(contract.getName())) {
                return plugins.serving(siteId, kind).map(p -> p.as(contract));
            }
        }
        throw new IllegalArgumentException(contract.getName() + " is not the contract of a plug-in kind");
    }

    @Override
    public <T> List<T> pluginsOf(String siteId, Class<T> contract) {
        for (PluginKind kind : PluginKind.values()) {
            if (kind.contract().equals(contract.getName())) {
                // one answer per implementation: while one version replaces another, both are bound for a moment
                Set<String> implementations = new HashSet<>();
                return plugins.of(siteId, kind).stream()
                        .filter(p -> implementations.add(p.symbolicName()))
                        .map(p -> p.as(contract))
                        .toList();
            }
        }
        throw new IllegalArgumentException(contract.getName() + " is not the contract of a plug-in kind");
    }
}
