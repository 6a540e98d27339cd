package org.dmiplatform.core.internal.site;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.junit.Test;

/** A site's features are installed whether the features service comes before the site or after it. */
public class SitesImplTest {
    @Test
    public void aSiteKnownBeforeTheFeaturesServiceGetsItsFeaturesWhenTheServiceComes() throws Exception {
        List<Set<String>> installs = new CopyOnWriteArrayList<>();
        FeaturesService service = (FeaturesService) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {FeaturesService.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "listInstalledFeatures":
                            return new Feature[0];
                        case "installFeatures":
                            @SuppressWarnings("unchecked")
                            Set<String> names = (Set<String>) args[0];
                            installs.add(Set.copyOf(names));
                            return null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        SitesImpl sites = new SitesImpl(new Plugins());
        try {
            // a busy start: the site's configuration is there before the features service
            sites.addSite(new SiteComponent(Map.of(
                    "id",
                    "high-point",
                    "name",
                    "High Point",
                    "timeZone",
                    "America/New_York",
                    "features",
                    "dmi-adapter-csv, dmi-mapping-jts")));
            // its first try at the features, without the service, is over
            TimeUnit.MILLISECONDS.sleep(300);
            assertTrue(installs.isEmpty());
            sites.bindFeatures(service);
            for (int i = 0; i < 100 && installs.isEmpty(); i++) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertEquals(List.of(Set.of("dmi-adapter-csv", "dmi-mapping-jts")), installs);
            assertTrue(sites.find("high-point").isPresent());
        } finally {
            sites.deactivate();
        }
    }
}
