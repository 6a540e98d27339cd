package org.dmiplatform.core.internal.plugins;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.PluginKind;
import org.junit.Test;

public class PluginsTest {
    private static Plugins.Plugin plugin(String site, String name, int ranking, long serviceId) {
        return new Plugins.Plugin(
                site, PluginKind.RECORDS_ADAPTER, name, ranking, serviceId, "bundle " + name, new Object(), Map.of());
    }

    @Test
    public void theHighestRankingServesAndAmongEqualsTheFirstRegistered() {
        Plugins plugins = new Plugins();
        plugins.add(plugin("chicago", "csv", 0, 10));
        plugins.add(plugin("chicago", "nibrs", 0, 11));
        plugins.add(plugin("denver", "csv", 5, 12));
        assertEquals(
                "csv",
                plugins.serving("chicago", PluginKind.RECORDS_ADAPTER)
                        .orElseThrow()
                        .name());
        // a replacement registered above it serves at once; the old one can go after
        plugins.add(plugin("chicago", "jdbc", 10, 13));
        assertEquals(
                "jdbc",
                plugins.serving("chicago", PluginKind.RECORDS_ADAPTER)
                        .orElseThrow()
                        .name());
        plugins.remove(10);
        assertEquals(
                List.of("jdbc", "nibrs"),
                plugins.of("chicago", PluginKind.RECORDS_ADAPTER).stream()
                        .map(Plugins.Plugin::name)
                        .toList());
        assertTrue(plugins.serving("chicago", PluginKind.MAPPING).isEmpty());
        assertEquals(
                List.of(new PluginBinding("denver", PluginKind.RECORDS_ADAPTER, "csv", "bundle csv")),
                plugins.bindings("denver"));
    }

    @Test
    public void aReconfiguredPlugInIsReplacedInOneStep() {
        Plugins plugins = new Plugins();
        plugins.add(plugin("chicago", "csv", 0, 10));
        plugins.add(plugin("chicago", "csv renamed", 0, 10));
        assertEquals(1, plugins.of("chicago", PluginKind.RECORDS_ADAPTER).size());
        assertEquals(
                "csv renamed",
                plugins.serving("chicago", PluginKind.RECORDS_ADAPTER)
                        .orElseThrow()
                        .name());
    }
}
