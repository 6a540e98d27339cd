package org.dmiplatform.core.internal.plugins;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.junit.Test;
import org.osgi.framework.Version;

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

    private static Plugins.Plugin version(String site, long bundleId, String bsn, String version, long serviceId) {
        return new Plugins.Plugin(
                site,
                PluginKind.RECORDS_ADAPTER,
                "csv",
                0,
                serviceId,
                bundleId,
                bsn,
                new Version(version),
                new Object(),
                Map.of());
    }

    @Test
    public void anUpgradeInstalledBesideTheOldVersionServesAtOnceAndOtherImplementationsKeepTheirOrder() {
        Plugins plugins = new Plugins();
        plugins.add(version("chicago", 7, "org.dmiplatform.adapter.csv", "0.1.0.202611301200", 20));
        plugins.add(version("chicago", 8, "org.dmiplatform.adapter.nibrs", "0.1.0", 21));
        assertEquals(
                20,
                plugins.serving("chicago", PluginKind.RECORDS_ADAPTER)
                        .orElseThrow()
                        .serviceId());
        plugins.add(version("chicago", 9, "org.dmiplatform.adapter.csv", "0.1.1", 22));
        // the CSV adapter still comes before NIBRS (registered first), now in its new version
        assertEquals(
                List.of(22L, 20L, 21L),
                plugins.of("chicago", PluginKind.RECORDS_ADAPTER).stream()
                        .map(Plugins.Plugin::serviceId)
                        .toList());
        assertEquals(
                "org.dmiplatform.adapter.csv 0.1.1",
                plugins.serving("chicago", PluginKind.RECORDS_ADAPTER)
                        .orElseThrow()
                        .bundle());
    }

    @Test
    public void aRetiringBundleServesOnlyWhereNothingElseIsBoundAndIsReinstatedWhenTheSwapFails() {
        Plugins plugins = new Plugins();
        plugins.add(version("chicago", 9, "org.dmiplatform.adapter.csv", "0.1.1", 22));
        plugins.add(version("denver", 9, "org.dmiplatform.adapter.csv", "0.1.1", 23));
        plugins.add(version("chicago", 7, "org.dmiplatform.adapter.csv", "0.1.0", 24));
        plugins.retireBundle(9);
        // a rollback to the lower version: it serves chicago although its version is lower
        assertEquals(
                24,
                plugins.serving("chicago", PluginKind.RECORDS_ADAPTER)
                        .orElseThrow()
                        .serviceId());
        // denver has nothing else: the retiring one still serves there rather than nothing
        assertEquals(
                23,
                plugins.serving("denver", PluginKind.RECORDS_ADAPTER)
                        .orElseThrow()
                        .serviceId());
        plugins.reinstate(9);
        assertEquals(
                22,
                plugins.serving("chicago", PluginKind.RECORDS_ADAPTER)
                        .orElseThrow()
                        .serviceId());
        plugins.retireService(22);
        assertEquals(
                24,
                plugins.serving("chicago", PluginKind.RECORDS_ADAPTER)
                        .orElseThrow()
                        .serviceId());
    }

    @Test
    public void callsAreCountedWhileTheyRunAndAHeldUseCountsUntilClosed() throws Exception {
        AtomicInteger running = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordsAdapter slow = new RecordsAdapter() {
            @Override
            public String describe() {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "slow";
            }

            @Override
            public void read(RecordsInput input, RecordSink sink) throws IOException {
                throw new IOException("cannot read " + input.name());
            }
        };
        RecordsAdapter counted = (RecordsAdapter) Plugins.counted(RecordsAdapter.class, slow, running);
        Thread call = new Thread(counted::describe);
        call.start();
        inside.await();
        assertEquals(1, running.get());
        release.countDown();
        call.join();
        assertEquals(0, running.get());
        // the plug-in's own exception reaches the caller as it was thrown, and the call is no longer counted
        try {
            counted.read(RecordsInput.of("export.csv", java.nio.file.Path.of("export.csv")), null);
            fail("the adapter's exception");
        } catch (IOException e) {
            assertEquals("cannot read export.csv", e.getMessage());
        }
        assertEquals(0, running.get());
        assertFalse(counted.pulls());
        assertTrue(counted.equals(counted));
    }

    @Test
    public void aSiteLeftWithoutAPlugInIsCounted() {
        Plugins plugins = new Plugins();
        plugins.add(plugin("chicago", "csv", 0, 10));
        plugins.add(plugin("chicago", "csv", 0, 11));
        plugins.remove(10);
        assertEquals(0, plugins.gaps("chicago", PluginKind.RECORDS_ADAPTER));
        plugins.remove(11);
        assertEquals(1, plugins.gaps("chicago", PluginKind.RECORDS_ADAPTER));
    }
}
