package org.dmiplatform.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.api.store.RecordsStore;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 14's check: replacing a site's records adapter, directory, mapping and reporting bundles under load loses no
 * request and no acknowledged write. Two sites are put under load over HTTP by several clients (reads through each kind
 * of plug-in; imports, directory entries and map layers written and acknowledged), while each of the four add-ons is
 * swapped again and again between its shipped version and a second version given to the platform as a file, 50 swaps
 * in all. Every request must succeed, every acknowledged write be there at the end, no site be without a plug-in for
 * a moment, and nothing but the add-ons' own bundles change.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AddOnSwapIT {
    static final Actor TEST = new Actor("addon-swap-it", "test");
    static final int SWAPS = Integer.getInteger("dmi.it.swaps", 50);
    static final String REBUILT = "0.1.1";
    static final List<String> ADDONS =
            List.of("dmi-adapter-csv", "dmi-directory-local", "dmi-mapping-jts", "dmi-reporting-standard");
    static final List<String> SITES = List.of("chicago", "denver");
    static final Map<String, String> BUNDLES = Map.of(
            "dmi-adapter-csv", "org.dmiplatform.adapter.csv",
            "dmi-directory-local", "org.dmiplatform.directory.local",
            "dmi-mapping-jts", "org.dmiplatform.mapping.jts",
            "dmi-reporting-standard", "org.dmiplatform.reporting.standard");
    static final String PASSWORD = "load test passphrase 42";

    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Inject
    Sites sites;

    @Inject
    SiteProvisioning provisioning;

    @Inject
    Accounts accounts;

    @Inject
    AddOns addOns;

    @Inject
    Programme programme;

    @Inject
    CallIns callIns;

    @Inject
    RecordsStore records;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        return Exam.distribution();
    }

    private int httpPort() {
        return Integer.parseInt(context.getProperty("dmi.http.port"));
    }

    /** What one site's clients did. */
    static final class Load {
        final String site;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong maxMillis = new AtomicLong();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final List<Long> imports = new CopyOnWriteArrayList<>();
        final List<String> services = new CopyOnWriteArrayList<>();
        final List<String> layers = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> byKind = new ConcurrentHashMap<>();

        Load(String site) {
            this.site = site;
        }

        /** One request, timed; a failure is any answer that is not a success, or none at all. */
        Http.Response call(String kind, java.util.function.Supplier<Http.Response> request) {
            long started = System.nanoTime();
            Http.Response response;
            try {
                response = request.get();
            } catch (RuntimeException e) {
                requests.incrementAndGet();
                failures.add(kind + ": " + e);
                return null;
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            requests.incrementAndGet();
            byKind.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            maxMillis.accumulateAndGet(millis, Math::max);
            if (response.status() >= 400) {
                failures.add(kind + ": " + response.status() + " " + response.body());
                return null;
            }
            return response;
        }
    }

    @Test
    public void fiftySwapsUnderLoadLoseNoRequestAndNoAcknowledgedWrite() throws Exception {
        Path templates = Paths.get(context.getProperty("karaf.home"), "site-configs");
        for (String site : SITES) {
            provisioning.provision(provisioning.read(templates.resolve(site)), TEST);
        }
        for (String site : SITES) {
            await(site + " has all four kinds bound", () -> kinds(site).size() == 4);
            for (String role : List.of("police", "services")) {
                accounts.create(
                        new NewUser(
                                site + "-load-" + role,
                                "load test " + role,
                                PASSWORD.toCharArray(),
                                List.of(Grant.at(site, Role.byId(role).orElseThrow()))),
                        TEST);
            }
        }
        Map<String, Long> interventions = new HashMap<>();
        for (String site : SITES) {
            interventions.put(site, intervention(site));
        }
        Map<String, byte[]> exports = new HashMap<>();
        Path repo = Paths.get(System.getProperty("dmi.it.repo"));
        exports.put(
                "chicago",
                Files.readAllBytes(
                        repo.resolve(
                                "bundles/org.dmiplatform.adapter.csv/src/test/resources/exports/chicago-clear-2016-01-03.csv")));
        exports.put(
                "denver",
                Files.readAllBytes(
                        repo.resolve(
                                "bundles/org.dmiplatform.adapter.csv/src/test/resources/exports/denver_crime_incidents_2.csv")));

        // the second version arrives as a file and is checked before anything of it is used
        Path system = Paths.get(context.getProperty("karaf.home"), "system");
        byte[] kar = AddOnKar.build(features, system, ADDONS, REBUILT);
        AddOns.AddOnFile file = addOns.receive(
                "dmi-addons-rebuilt-" + REBUILT + ".kar", new ByteArrayInputStream(kar), Optional.empty(), TEST);
        assertTrue(file.problems().toString(), file.accepted());
        assertEquals(4, file.features().size());
        Map<String, String> shipped = new HashMap<>();
        for (AddOns.AddOn addOn : addOns.catalogue()) {
            if (ADDONS.contains(addOn.feature())) {
                assertEquals(
                        addOn.feature() + " " + addOn.versions(),
                        2,
                        addOn.versions().size());
                shipped.put(addOn.feature(), installed(addOn));
                assertEquals(
                        addOn.feature() + " from the file",
                        file.name(),
                        addOn.versions().stream()
                                .filter(v -> v.version().equals(REBUILT))
                                .findFirst()
                                .orElseThrow()
                                .source());
                assertTrue(addOn.uses().toString(), addOn.uses().stream().allMatch(AddOns.Use::bound));
            }
        }

        // the sites' plug-in configurations are shared between bundles (?), so a new version receives them
        for (org.osgi.service.cm.Configuration c :
                configAdmin.listConfigurations("(" + Site.SERVICE_PROPERTY + "=*)")) {
            String location = c.getBundleLocation();
            assertTrue(c.getPid() + " is bound to " + location, location == null || location.startsWith("?"));
        }
        Map<Long, String> platformBefore = platformBundles();

        // the load: per site a reader, a writer and an importer, each on its own session
        AtomicBoolean going = new AtomicBoolean(true);
        Map<String, Load> loads = new TreeMap<>();
        List<Thread> clients = new ArrayList<>();
        for (String site : SITES) {
            Load load = new Load(site);
            loads.put(site, load);
            clients.add(new Thread(() -> read(load, interventions.get(site), going), site + "-reader"));
            clients.add(new Thread(() -> write(load, going), site + "-writer"));
            clients.add(new Thread(() -> importAgain(load, exports.get(site), going), site + "-importer"));
        }
        clients.forEach(Thread::start);
        Thread.sleep(2000);

        List<AddOns.Swap> swaps = new ArrayList<>();
        Map<String, String> now = new HashMap<>(shipped);
        long started = System.nanoTime();
        try {
            for (int i = 0; i < SWAPS; i++) {
                String addOn = ADDONS.get(i % ADDONS.size());
                String to = now.get(addOn).equals(REBUILT) ? shipped.get(addOn) : REBUILT;
                if (i == 3) {
                    // a configuration bound to the serving bundle alone (as one made with a single location would be)
                    bindToServingBundle("denver", PluginKind.REPORTING);
                }
                AddOns.Outcome outcome = addOns.apply(new AddOns.Change(AddOns.Action.SWAP, addOn, to), TEST);
                AddOns.Swap swap = outcome.swap().orElseThrow();
                swaps.add(swap);
                now.put(addOn, to);
                assertEquals(outcome.summary(), 0, swap.momentsWithout());
                assertEquals(outcome.summary(), List.of(), swap.otherBundlesChanged());
                assertEquals(outcome.summary(), Set.copyOf(SITES), Set.copyOf(swap.sites()));
                PluginKind kind = AddOns.kindOf(addOn).orElseThrow();
                for (String site : SITES) {
                    List<PluginBinding> bound = sites.plugins(site).stream()
                            .filter(b -> b.kind() == kind && b.bundle().startsWith(BUNDLES.get(addOn) + " "))
                            .toList();
                    assertEquals(site + " " + bound, 1, bound.size());
                    assertEquals(
                            site + " served by " + bound + " after the swap to " + to,
                            to.equals(REBUILT),
                            bound.get(0).bundle().endsWith(" " + REBUILT));
                }
            }
        } finally {
            Thread.sleep(2000);
            going.set(false);
            for (Thread client : clients) {
                client.join();
            }
        }
        long swapping = (System.nanoTime() - started) / 1_000_000;

        // every acknowledged write is stored
        for (String site : SITES) {
            Load load = loads.get(site);
            Http police = logIn(site + "-load-police");
            long inserted = 0;
            for (long id : load.imports) {
                JsonNode done =
                        police.get("/api/v1/sites/" + site + "/imports/" + id).json();
                assertEquals(done.toString(), "PUBLISHED", done.get("status").asText());
                inserted += done.get("inserted").asLong();
            }
            assertTrue(site + " imported under load", load.imports.size() >= 3);
            assertEquals(
                    site + ": the records of every acknowledged import",
                    inserted,
                    records.count(site, RecordQuery.ALL, police(site)));
            Set<String> layers = new java.util.HashSet<>();
            police.get("/api/v1/sites/" + site + "/layers")
                    .json()
                    .get("layers")
                    .forEach(l -> layers.add(l.get("name").asText()));
            assertTrue(site + " lost a layer", layers.containsAll(load.layers));
            for (String id : load.services) {
                Http.Response found = police.get("/api/v1/sites/" + site + "/directory/services/" + id);
                assertEquals(site + " lost directory service " + id, 200, found.status());
            }
        }
        assertEquals("the platform's bundles (ids and states) after the swaps", platformBefore, platformBundles());

        long bindMax = swaps.stream().mapToLong(AddOns.Swap::bindMillis).max().orElse(0);
        long drainMax = swaps.stream().mapToLong(AddOns.Swap::drainMillis).max().orElse(0);
        int running = swaps.stream().mapToInt(AddOns.Swap::runningAtSwitch).sum();
        System.out.println("ADD-ON SWAP LOAD TEST: " + swaps.size() + " swaps in " + swapping + " ms (bind max "
                + bindMax + " ms, avg "
                + (long) swaps.stream()
                        .mapToLong(AddOns.Swap::bindMillis)
                        .average()
                        .orElse(0)
                + " ms; old calls ended within max " + drainMax + " ms; " + running
                + " call(s) running on an old version at its switch)");
        for (Load load : loads.values()) {
            System.out.println("  site " + load.site + ": " + load.requests.get() + " requests, " + load.failures.size()
                    + " failed, max latency " + load.maxMillis.get() + " ms, by kind " + new TreeMap<>(load.byKind)
                    + "; acknowledged writes: " + load.imports.size() + " imports, " + load.services.size()
                    + " directory services, " + load.layers.size() + " layers");
        }
        for (Load load : loads.values()) {
            assertEquals(
                    load.site + " failed requests: " + load.failures.subList(0, Math.min(10, load.failures.size())),
                    0,
                    load.failures.size());
        }
        assertEquals(SWAPS, swaps.size());
    }

    /** Reads that go through each kind of plug-in, round and round. */
    private void read(Load load, long intervention, AtomicBoolean going) {
        Http police = logIn(load.site + "-load-police");
        String site = "/api/v1/sites/" + load.site;
        while (going.get()) {
            load.call("records-adapter", () -> police.get(site + "/imports?limit=5"));
            load.call("service-directory", () -> police.get(site + "/directory?q=walk-in&limit=20"));
            load.call("mapping", () -> police.get(site + "/layers"));
            load.call("mapping", () -> police.get(site + "/layers/load-seed/counts"));
            load.call(
                    "reporting",
                    () -> police.get(site + "/interventions/" + intervention + "/reports/outcome?before=6&after=6"));
        }
    }

    /** Directory entries and map layers, each acknowledged (201) and remembered. */
    private void write(Load load, AtomicBoolean going) {
        Http services = logIn(load.site + "-load-services");
        Http police = logIn(load.site + "-load-police");
        String site = "/api/v1/sites/" + load.site;
        double[] at = load.site.equals("chicago") ? new double[] {-87.70, 41.88} : new double[] {-104.99, 39.74};
        for (int n = 0; going.get(); n++) {
            int number = n;
            Http.Response saved = load.call(
                    "service-directory",
                    () -> services.post(
                            site + "/directory/services", service("Walk-in " + number + " (load test)", at)));
            if (saved != null) {
                load.services.add(saved.json().get("id").asText());
            }
            String name = "load-" + n;
            Http.Response layer = load.call(
                    "mapping",
                    () -> police.sendBytes(
                            "POST",
                            site + "/layers?name=" + name + "&file=" + name + ".geojson",
                            square(at[0] + 0.001 * (number % 10), at[1]).getBytes(StandardCharsets.UTF_8),
                            "application/geo+json"));
            if (layer != null) {
                load.layers.add(name);
            }
        }
    }

    /** An export imported again and again, its record ids made new each time, each import followed to its end. */
    private void importAgain(Load load, byte[] export, AtomicBoolean going) {
        Http police = logIn(load.site + "-load-police");
        String site = "/api/v1/sites/" + load.site;
        for (int n = 0; going.get(); n++) {
            byte[] fresh = freshIds(export, "L" + n + "-");
            Http.Response started = load.call(
                    "records-adapter",
                    () -> police.sendBytes("POST", site + "/imports?name=load.csv", fresh, "text/csv"));
            if (started == null) {
                continue;
            }
            long id = started.json().get("id").asLong();
            load.imports.add(id);
            while (true) {
                Http.Response status = load.call("records-adapter", () -> police.get(site + "/imports/" + id));
                String state = status == null ? "" : status.json().get("status").asText();
                if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                    break;
                }
                sleep(50);
            }
        }
    }

    /** The export with every record id (its first column) prefixed, so each import adds its records anew. */
    static byte[] freshIds(byte[] export, String prefix) {
        String[] lines = new String(export, StandardCharsets.UTF_8).split("\r?\n");
        StringBuilder out = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            out.append(line.startsWith("\"") ? "\"" + prefix + line.substring(1) : prefix + line)
                    .append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String service(String name, double[] at) {
        return "{\"name\":" + Http.quote(name) + ",\"categories\":[\"family\"],"
                + "\"organization\":{\"id\":\"\",\"name\":\"Load Partners (test)\",\"description\":\"\",\"url\":\"\","
                + "\"email\":\"\"},\"locations\":[{\"id\":\"\",\"name\":\"Office\",\"address\":\"1 Test St\","
                + "\"longitude\":" + at[0] + ",\"latitude\":" + at[1] + ",\"hours\":[]}],\"status\":\"active\"}";
    }

    static String square(double lon, double lat) {
        double d = 0.01;
        return "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"a\","
                + "\"label\":\"A\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[" + lon + "," + lat + "],["
                + (lon + d) + "," + lat + "],[" + (lon + d) + "," + (lat + d) + "],[" + lon + "," + (lat + d) + "],["
                + lon + "," + lat + "]]]}}]}";
    }

    /** An intervention with its three areas and its call-in planned, for the outcome report; and a map layer. */
    private long intervention(String site) {
        double[] at = site.equals("chicago") ? new double[] {-87.70, 41.80} : new double[] {-104.99, 39.70};
        long id = programme
                .create(
                        site,
                        new Programme.NewIntervention("Load test market", LocalDate.of(2015, 1, 1), ""),
                        as(site, Role.POC))
                .id();
        programme.setAreas(
                site,
                id,
                new Programme.Areas(
                        Optional.of(polygon(at[0], at[1])),
                        Optional.of(polygon(at[0] + 0.1, at[1])),
                        Optional.of(polygon(at[0] + 0.05, at[1])),
                        "load test"),
                as(site, Role.POLICE));
        callIns.plan(
                site,
                id,
                new CallIns.Plan(LocalDateTime.of(2016, 2, 1, 18, 30), "District station", "", ""),
                as(site, Role.POLICE));
        Http police = logIn(site + "-load-police");
        Http.Response seed = police.sendBytes(
                "POST",
                "/api/v1/sites/" + site + "/layers?name=load-seed&file=seed.geojson",
                square(at[0], at[1] + 0.08).getBytes(StandardCharsets.UTF_8),
                "application/geo+json");
        assertEquals(seed.body(), 201, seed.status());
        return id;
    }

    private static String polygon(double lon, double lat) {
        double d = 0.05;
        return "{\"type\":\"Polygon\",\"coordinates\":[[[" + lon + "," + lat + "],[" + (lon + d) + "," + lat + "],["
                + (lon + d) + "," + (lat + d) + "],[" + lon + "," + (lat + d) + "],[" + lon + "," + lat + "]]]}";
    }

    private Http logIn(String user) {
        Http http = new Http(httpPort());
        Http.Response in = http.logIn(user, PASSWORD);
        assertEquals(in.body(), 200, in.status());
        return http;
    }

    private static Caller as(String site, Role role) {
        return new Caller(
                new User(
                        0,
                        "it-" + role.id() + "-" + site,
                        "IT",
                        List.of(Grant.at(site, role)),
                        true,
                        false,
                        Instant.EPOCH),
                "test");
    }

    static Caller police(String site) {
        return as(site, Role.POLICE);
    }

    private Set<PluginKind> kinds(String site) {
        Set<PluginKind> out = java.util.EnumSet.noneOf(PluginKind.class);
        sites.plugins(site).forEach(b -> out.add(b.kind()));
        return out;
    }

    private static String installed(AddOns.AddOn addOn) {
        return addOn.versions().stream()
                .filter(AddOns.Version::installed)
                .findFirst()
                .orElseThrow()
                .version();
    }

    /** Binds the site's configuration of a kind to the bundle serving it now, as a single-location one would be. */
    private void bindToServingBundle(String site, PluginKind kind) throws Exception {
        String bundle = sites.plugins(site).stream()
                .filter(b -> b.kind() == kind)
                .findFirst()
                .orElseThrow()
                .bundle()
                .split(" ")[0];
        for (Bundle b : context.getBundles()) {
            if (bundle.equals(b.getSymbolicName())) {
                for (org.osgi.service.cm.Configuration c : configAdmin.listConfigurations(
                        "(&(" + Site.SERVICE_PROPERTY + "=" + site + ")(service.factoryPid=" + bundle + "))")) {
                    c.setBundleLocation(b.getLocation());
                }
            }
        }
    }

    /** Every bundle that is not one of the swapped add-ons', with its id and state. */
    private Map<Long, String> platformBundles() {
        Map<Long, String> out = new TreeMap<>();
        for (Bundle bundle : context.getBundles()) {
            String name = String.valueOf(bundle.getSymbolicName());
            if (!BUNDLES.containsValue(name)) {
                out.put(bundle.getBundleId(), name + " " + bundle.getVersion() + " " + bundle.getState());
            }
        }
        return out;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
