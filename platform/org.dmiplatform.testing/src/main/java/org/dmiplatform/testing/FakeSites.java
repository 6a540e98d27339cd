package org.dmiplatform.testing;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;

/** Sites with the given ids (Chicago time, nothing bound); more can be added. */
public final class FakeSites implements Sites {
    private final List<Site> sites = new CopyOnWriteArrayList<>();
    private final Map<String, List<Object>> bound = new ConcurrentHashMap<>();

    public FakeSites(String... ids) {
        for (String id : ids) {
            add(new Site(
                    id,
                    id.substring(0, 1).toUpperCase() + id.substring(1),
                    "",
                    ZoneId.of("America/Chicago"),
                    List.of(),
                    "",
                    List.of(),
                    java.util.Optional.empty()));
        }
    }

    public void add(Site site) {
        sites.removeIf(s -> s.id().equals(site.id()));
        sites.add(site);
    }

    @Override
    public List<Site> list() {
        return List.copyOf(sites);
    }

    @Override
    public Optional<Site> find(String id) {
        return sites.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    @Override
    public List<PluginBinding> plugins(String siteId) {
        return List.of();
    }

    /** Binds a plug-in to a site under its contract, as if registered; a later one ranks below the earlier ones. */
    public <T> void bind(String siteId, Class<T> contract, T plugin) {
        bound.computeIfAbsent(siteId + "|" + contract.getName(), k -> new CopyOnWriteArrayList<>())
                .add(plugin);
    }

    @Override
    public <T> List<T> pluginsOf(String siteId, Class<T> contract) {
        return bound.getOrDefault(siteId + "|" + contract.getName(), List.of()).stream()
                .map(contract::cast)
                .toList();
    }

    @Override
    public <T> Optional<T> plugin(String siteId, Class<T> contract) {
        return pluginsOf(siteId, contract).stream().findFirst();
    }
}
