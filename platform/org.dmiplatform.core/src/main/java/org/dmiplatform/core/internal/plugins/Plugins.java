package org.dmiplatform.core.internal.plugins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the platform finds a site's plug-ins. Every service registered with {@code dmi.site} and
 * {@code dmi.plugin.kind} under its kind's contract is tracked here as it comes, changes and goes; a lookup answers
 * from memory, highest {@code service.ranking} first. A replacement registered before the old one is removed takes
 * over at once: there is no moment without a plug-in.
 */
@Component(service = Plugins.class)
public class Plugins {
    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);
    private static final String FILTER = "(&(" + Site.SERVICE_PROPERTY + "=*)(" + PluginKind.SERVICE_PROPERTY + "=*))";

    /**
     * One plug-in as registered.
     *
     * @param name its {@code dmi.plugin.name}, else its component name
     * @param bundle symbolic name and version of the bundle that provides it
     * @param properties its service properties
     */
    public record Plugin(
            String site,
            PluginKind kind,
            String name,
            int ranking,
            long serviceId,
            String bundle,
            Object service,
            Map<String, Object> properties) {

        public <T> T as(Class<T> contract) {
            return contract.cast(service);
        }

        /** A service property as text, if set. */
        public Optional<String> property(String key) {
            Object value = properties.get(key);
            return value == null
                    ? Optional.empty()
                    : Optional.of(value.toString().strip());
        }
    }

    /** Highest ranking first; among equals, the one registered first (the OSGi order). */
    private static final Comparator<Plugin> ORDER =
            Comparator.comparingInt(Plugin::ranking).reversed().thenComparingLong(Plugin::serviceId);

    private final Map<Long, Plugin> plugins = new ConcurrentHashMap<>();
    private ServiceTracker<Object, Plugin> tracker;

    public Plugins() {}

    @Activate
    void activate(BundleContext context) throws InvalidSyntaxException {
        tracker = new ServiceTracker<>(context, context.createFilter(FILTER), null) {
            @Override
            public Plugin addingService(ServiceReference<Object> ref) {
                if (!isPlugin(ref)) {
                    return null;
                }
                Object service = context.getService(ref);
                if (service == null) {
                    return null;
                }
                Plugin plugin = plugin(ref, service);
                Plugins.this.add(plugin);
                return plugin;
            }

            @Override
            public void modifiedService(ServiceReference<Object> ref, Plugin old) {
                // a new ranking or configuration: replaced in one step, so it is never missing in between
                if (isPlugin(ref)) {
                    Plugins.this.add(plugin(ref, old.service()));
                } else {
                    Plugins.this.remove(old.serviceId());
                }
            }

            @Override
            public void removedService(ServiceReference<Object> ref, Plugin old) {
                Plugins.this.remove(old.serviceId());
                context.ungetService(ref);
            }
        };
        tracker.open(true);
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        plugins.clear();
    }

    /** True for a service registered under the contract of the kind it names. */
    private static boolean isPlugin(ServiceReference<Object> ref) {
        Optional<PluginKind> kind = PluginKind.byId(String.valueOf(ref.getProperty(PluginKind.SERVICE_PROPERTY)));
        String[] classes = (String[]) ref.getProperty(Constants.OBJECTCLASS);
        if (kind.isPresent() && Arrays.asList(classes).contains(kind.get().contract())) {
            return true;
        }
        LOG.warn(
                "Service {} for site {} names plug-in kind '{}' but is not registered under its contract {}; ignored",
                ref.getProperty(Constants.SERVICE_ID),
                ref.getProperty(Site.SERVICE_PROPERTY),
                ref.getProperty(PluginKind.SERVICE_PROPERTY),
                kind.map(PluginKind::contract).orElse("(no such kind)"));
        return false;
    }

    private static Plugin plugin(ServiceReference<Object> ref, Object service) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : ref.getPropertyKeys()) {
            properties.put(key, ref.getProperty(key));
        }
        Object name = ref.getProperty(PluginKind.NAME_PROPERTY);
        if (name == null) {
            name = ref.getProperty("component.name");
        }
        if (name == null) {
            name = String.join(",", (String[]) ref.getProperty(Constants.OBJECTCLASS));
        }
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        return new Plugin(
                String.valueOf(ref.getProperty(Site.SERVICE_PROPERTY)).strip(),
                PluginKind.byId(String.valueOf(ref.getProperty(PluginKind.SERVICE_PROPERTY)))
                        .orElseThrow(),
                String.valueOf(name),
                ranking instanceof Integer r ? r : 0,
                (Long) ref.getProperty(Constants.SERVICE_ID),
                ref.getBundle() == null
                        ? "gone"
                        : ref.getBundle().getSymbolicName() + " "
                                + ref.getBundle().getVersion(),
                service,
                Map.copyOf(properties));
    }

    /** Adds (or replaces) a plug-in; what the tracker does, and what tests do by hand. */
    public void add(Plugin plugin) {
        plugins.put(plugin.serviceId(), plugin);
    }

    public void remove(long serviceId) {
        plugins.remove(serviceId);
    }

    /** The site's plug-ins of a kind, the one that serves first. */
    public List<Plugin> of(String site, PluginKind kind) {
        List<Plugin> out = new ArrayList<>();
        for (Plugin p : plugins.values()) {
            if (p.site().equals(site) && p.kind() == kind) {
                out.add(p);
            }
        }
        out.sort(ORDER);
        return out;
    }

    /** The plug-in of a kind that serves the site now, if any. */
    public Optional<Plugin> serving(String site, PluginKind kind) {
        return of(site, kind).stream().findFirst();
    }

    /** What a site administrator does about a missing plug-in. */
    public static String howToBind(PluginKind kind) {
        String example =
                kind == PluginKind.RECORDS_ADAPTER ? "the feature dmi-adapter-csv" : "a dmi-" + kind.id() + " feature";
        return "install one (for example " + example + ") and configure it for the site";
    }

    /** Everything bound to the site now, in kind order. */
    public List<PluginBinding> bindings(String site) {
        List<PluginBinding> out = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            for (Plugin p : of(site, kind)) {
                out.add(new PluginBinding(site, kind, p.name(), p.bundle()));
            }
        }
        return out;
    }
}
