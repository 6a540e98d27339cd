package org.dmiplatform.core.internal.plugins;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.directory.ServiceDirectory;
import org.dmiplatform.api.mapping.Mapping;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.reporting.Reporting;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the platform finds a site's plug-ins. Every service registered with {@code dmi.site} and
 * {@code dmi.plugin.kind} under its kind's contract is tracked here as it comes, changes and goes; a lookup answers
 * from memory, highest {@code service.ranking} first (see {@link #of} for the whole order). A replacement registered
 * before the old one is removed takes over at once: there is no moment without a plug-in. Every call on a plug-in is
 * counted while it runs, so a plug-in being replaced ({@link #retireBundle}) is removed only once its calls have ended
 * (docs/adr/0011).
 */
@Component(service = Plugins.class)
public class Plugins {
    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);
    private static final String FILTER = "(&(" + Site.SERVICE_PROPERTY + "=*)(" + PluginKind.SERVICE_PROPERTY + "=*))";

    /**
     * One plug-in as registered.
     *
     * @param name its {@code dmi.plugin.name}, else its component name
     * @param bundleId the id of the bundle that provides it ({@code -1} when made by hand)
     * @param symbolicName that bundle's symbolic name
     * @param version that bundle's version
     * @param service the service, through which every call is counted while it runs
     * @param properties its service properties
     */
    public record Plugin(
            String site,
            PluginKind kind,
            String name,
            int ranking,
            long serviceId,
            long bundleId,
            String symbolicName,
            Version version,
            Object service,
            Map<String, Object> properties) {

        /** A plug-in made by hand (tests, benchmarks), its bundle named in one string. */
        public Plugin(
                String site,
                PluginKind kind,
                String name,
                int ranking,
                long serviceId,
                String bundle,
                Object service,
                Map<String, Object> properties) {
            this(site, kind, name, ranking, serviceId, -1, bundle, Version.emptyVersion, service, properties);
        }

        /** Symbolic name and version of the bundle that provides it. */
        public String bundle() {
            return Version.emptyVersion.equals(version) ? symbolicName : symbolicName + " " + version;
        }

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

    private final Map<Long, Plugin> plugins = new ConcurrentHashMap<>();
    /** Calls running now on each plug-in service (by service id), and uses held across calls (imports). */
    private final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Plug-ins being replaced: they serve only where nothing else of their kind is bound to the site. */
    private final Set<Long> retiringBundles = ConcurrentHashMap.newKeySet();

    private final Set<Long> retiringServices = ConcurrentHashMap.newKeySet();
    /** Times a site was left with no plug-in of a kind (site and kind id), counted as it happens. */
    private final Map<String, AtomicInteger> gaps = new ConcurrentHashMap<>();

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
                PluginKind kind = PluginKind.byId(String.valueOf(ref.getProperty(PluginKind.SERVICE_PROPERTY)))
                        .orElseThrow();
                Class<?> contract = contract(kind);
                if (!contract.isInstance(service)) {
                    // wired to another copy of the API: a call would fail, so it is not offered at all
                    LOG.warn(
                            "Service {} for site {} is not a {} this platform can call (another API version?); ignored",
                            ref.getProperty(Constants.SERVICE_ID),
                            ref.getProperty(Site.SERVICE_PROPERTY),
                            kind.contract());
                    context.ungetService(ref);
                    return null;
                }
                long id = (Long) ref.getProperty(Constants.SERVICE_ID);
                AtomicInteger running = calls.computeIfAbsent(id, i -> new AtomicInteger());
                Plugin plugin = plugin(ref, counted(contract, service, running));
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
                calls.remove(old.serviceId());
                retiringServices.remove(old.serviceId());
                context.ungetService(ref);
            }
        };
        tracker.open(true);
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        plugins.clear();
        calls.clear();
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
        Bundle bundle = ref.getBundle();
        return new Plugin(
                String.valueOf(ref.getProperty(Site.SERVICE_PROPERTY)).strip(),
                PluginKind.byId(String.valueOf(ref.getProperty(PluginKind.SERVICE_PROPERTY)))
                        .orElseThrow(),
                String.valueOf(name),
                ranking instanceof Integer r ? r : 0,
                (Long) ref.getProperty(Constants.SERVICE_ID),
                bundle == null ? -1 : bundle.getBundleId(),
                bundle == null ? "gone" : bundle.getSymbolicName(),
                bundle == null ? Version.emptyVersion : bundle.getVersion(),
                service,
                Map.copyOf(properties));
    }

    /** The interface a kind's plug-ins are called through, as this bundle sees it. */
    static Class<?> contract(PluginKind kind) {
        return switch (kind) {
            case RECORDS_ADAPTER -> RecordsAdapter.class;
            case SERVICE_DIRECTORY -> ServiceDirectory.class;
            case MAPPING -> Mapping.class;
            case REPORTING -> Reporting.class;
        };
    }

    /**
     * The service as its contract, counting the calls running on it: a plug-in being replaced is removed only once
     * none runs (a call running in a bundle that has gone may need a class its closed class loader no longer gives).
     */
    static Object counted(Class<?> contract, Object service, AtomicInteger running) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> service.toString();
                };
            }
            running.incrementAndGet();
            try {
                return method.invoke(service, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                running.decrementAndGet();
            }
        };
        return Proxy.newProxyInstance(contract.getClassLoader(), new Class<?>[] {contract}, handler);
    }

    /** Adds (or replaces) a plug-in; what the tracker does, and what tests do by hand. */
    public void add(Plugin plugin) {
        plugins.put(plugin.serviceId(), plugin);
    }

    public void remove(long serviceId) {
        Plugin gone = plugins.remove(serviceId);
        if (gone != null && of(gone.site(), gone.kind()).isEmpty()) {
            gaps.computeIfAbsent(gone.site() + "/" + gone.kind().id(), k -> new AtomicInteger())
                    .incrementAndGet();
        }
    }

    /**
     * The site's plug-ins of a kind, the one that serves first. The order: plug-ins being replaced last; then the
     * highest {@code service.ranking}; among equals, implementations in the order their first service registered (the
     * OSGi order), and of one implementation (one bundle symbolic name) the highest bundle version first, so an upgrade
     * installed beside the old version serves at once; last, the service registered first.
     */
    public List<Plugin> of(String site, PluginKind kind) {
        List<Plugin> out = new ArrayList<>();
        Map<String, Long> firstOfBundle = new HashMap<>();
        for (Plugin p : plugins.values()) {
            if (p.site().equals(site) && p.kind() == kind) {
                out.add(p);
                firstOfBundle.merge(p.symbolicName(), p.serviceId(), Math::min);
            }
        }
        out.sort(Comparator.comparing((Plugin p) -> retiring(p))
                .thenComparing(Comparator.comparingInt(Plugin::ranking).reversed())
                .thenComparingLong(p -> firstOfBundle.get(p.symbolicName()))
                .thenComparing(Plugin::version, Comparator.reverseOrder())
                .thenComparingLong(Plugin::serviceId));
        return out;
    }

    /** Every plug-in bound now, of every site. */
    public List<Plugin> all() {
        return List.copyOf(plugins.values());
    }

    private boolean retiring(Plugin p) {
        return retiringServices.contains(p.serviceId()) || retiringBundles.contains(p.bundleId());
    }

    /**
     * Marks a bundle's plug-ins as being replaced: from now on each serves only where its site has nothing else of
     * its kind. Until {@link #reinstate}, also for the services it registers later.
     */
    public void retireBundle(long bundleId) {
        retiringBundles.add(bundleId);
    }

    /** Marks one plug-in service as being replaced (a site changing implementation). */
    public void retireService(long serviceId) {
        retiringServices.add(serviceId);
    }

    /** Undoes a {@link #retireBundle}: a replacement that failed leaves the old version serving as before. */
    public void reinstate(long bundleId) {
        retiringBundles.remove(bundleId);
    }

    public void reinstateService(long serviceId) {
        retiringServices.remove(serviceId);
    }

    /** Calls running now (and uses held) on the given plug-in services. */
    public int running(java.util.Collection<Long> serviceIds) {
        int sum = 0;
        for (long id : serviceIds) {
            AtomicInteger n = calls.get(id);
            sum += n == null ? 0 : n.get();
        }
        return sum;
    }

    /**
     * Holds a plug-in for a use that spans several calls (an import: reading, then publishing): it counts as running
     * until closed, so it is not removed in between.
     */
    public Held hold(Plugin plugin) {
        AtomicInteger n = calls.get(plugin.serviceId());
        if (n == null) {
            return () -> {};
        }
        n.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                n.decrementAndGet();
            }
        };
    }

    /** A plug-in held; closing it twice counts once. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** How many times the site has been left without a plug-in of the kind since the platform started. */
    public int gaps(String site, PluginKind kind) {
        AtomicInteger n = gaps.get(site + "/" + kind.id());
        return n == null ? 0 : n.get();
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
