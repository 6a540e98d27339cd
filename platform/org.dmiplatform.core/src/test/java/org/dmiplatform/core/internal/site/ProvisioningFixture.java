package org.dmiplatform.core.internal.site;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.testing.FakeSites;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The real provisioning over an in-memory ConfigurationAdmin, the features of the repository's feature.xml and an
 * audit log kept in a list. A site's own configuration makes the site appear in {@link #sites}, as the site component
 * does in the framework, so provisioning's wait for the site ends at once.
 */
final class ProvisioningFixture {
    final FakeSites sites = new FakeSites();
    final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    /** Configurations by PID, as ConfigurationAdmin holds them. */
    final Map<String, Hashtable<String, Object>> configurations = Collections.synchronizedMap(new LinkedHashMap<>());

    final Set<String> features;
    final Set<String> installed = Collections.synchronizedSet(new LinkedHashSet<>());
    /** How many times features were installed, and which in each call. */
    final List<Set<String>> installs = new CopyOnWriteArrayList<>();

    final Path folder;
    final SiteProvisioningImpl provisioning;

    /**
     * @param templates the folder of site templates and records systems ({@code site-configs/})
     */
    ProvisioningFixture(Path folder, Path templates) throws IOException {
        this.folder = folder;
        this.features = featuresOfTheRepository();
        AuditLog log = (AuditLog) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {AuditLog.class}, (proxy, method, args) -> {
                    if (method.getName().equals("record")) {
                        audit.add((AuditEvent) args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        provisioning = new SiteProvisioningImpl(
                configAdmin(), sites, log, folder.resolve("etc"), folder.resolve("sites"), templates);
        provisioning.features = featuresService();
    }

    /** The names of the features in {@code features/src/main/feature/feature.xml}. */
    static Set<String> featuresOfTheRepository() throws IOException {
        String xml = Files.readString(Path.of("../../features/src/main/feature/feature.xml"));
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile("<feature name=\"([^\"]+)\"").matcher(xml);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    List<AuditEvent> audit(String action) {
        return audit.stream().filter(e -> e.action().equals(action)).toList();
    }

    /** The stored plug-in configurations of a site, by factory PID. */
    Map<String, Hashtable<String, Object>> pluginsOf(String site) {
        Map<String, Hashtable<String, Object>> out = new java.util.TreeMap<>();
        configurations.forEach((pid, properties) -> {
            if (site.equals(properties.get(Site.SERVICE_PROPERTY))) {
                out.put(String.valueOf(properties.get("service.factoryPid")), properties);
            }
        });
        return out;
    }

    private FeaturesService featuresService() {
        return (FeaturesService) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {FeaturesService.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getFeatures":
                            return features.contains((String) args[0])
                                    ? new Feature[] {feature((String) args[0])}
                                    : new Feature[0];
                        case "listInstalledFeatures":
                            return installed.stream().map(this::feature).toArray(Feature[]::new);
                        case "installFeatures":
                            if (args.length == 2 && args[0] instanceof Set<?> names && args[1] instanceof EnumSet) {
                                Set<String> wanted = new LinkedHashSet<>();
                                names.forEach(n -> wanted.add((String) n));
                                installs.add(wanted);
                                installed.addAll(wanted);
                                return null;
                            }
                            break;
                        default:
                            break;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private Feature feature(String name) {
        return (Feature) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Feature.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getName")) {
                        return name;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private ConfigurationAdmin configAdmin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getFactoryConfiguration":
                            return configuration((String) args[0], (String) args[0] + "~" + args[1]);
                        case "listConfigurations":
                            Filter filter = FrameworkUtil.createFilter((String) args[0]);
                            List<Configuration> found = new ArrayList<>();
                            synchronized (configurations) {
                                configurations.forEach((pid, properties) -> {
                                    if (filter.match(properties)) {
                                        found.add(configuration(
                                                String.valueOf(properties.get("service.factoryPid")), pid));
                                    }
                                });
                            }
                            return found.isEmpty() ? null : found.toArray(new Configuration[0]);
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private Configuration configuration(String factoryPid, String pid) {
        return (Configuration) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getPid":
                            return pid;
                        case "getFactoryPid":
                            return factoryPid;
                        case "getProperties":
                            Hashtable<String, Object> now = configurations.get(pid);
                            return now == null ? null : new Hashtable<>(now);
                        case "update":
                            @SuppressWarnings("unchecked")
                            Dictionary<String, Object> given = (Dictionary<String, Object>) args[0];
                            Hashtable<String, Object> stored = new Hashtable<>();
                            for (String key : Collections.list(given.keys())) {
                                stored.put(key, given.get(key));
                            }
                            stored.put("service.pid", pid);
                            stored.put("service.factoryPid", factoryPid);
                            configurations.put(pid, stored);
                            if (factoryPid.equals(Site.FACTORY_PID)) {
                                appear(stored);
                            }
                            return null;
                        case "delete":
                            configurations.remove(pid);
                            return null;
                        case "hashCode":
                            return pid.hashCode();
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "configuration " + pid;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** What the site component does with a site's configuration: the site as its settings say. */
    private void appear(Hashtable<String, Object> properties) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : SiteSettings.KEYS) {
            if (properties.get(key) != null) {
                settings.put(key, String.valueOf(properties.get(key)));
            }
        }
        sites.add(SiteSettings.check(settings, null, "configuration", key -> 0));
    }
}
