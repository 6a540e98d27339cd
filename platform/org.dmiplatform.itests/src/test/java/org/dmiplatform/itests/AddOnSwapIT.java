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

    @Inject
    org.apache.karaf.shell.api.console.SessionFactory shells;

    @Inject
    org.dmiplatform.api.access.AuditLog audit;

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
        final List<Long> millis = new CopyOnWriteArrayList<>();
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
            this.millis.add(millis);
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
                // the load test's sites, and any other site using the add-on (the other test's, when it ran first)
                assertTrue(outcome.summary(), swap.sites().containsAll(SITES));
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
                    + " failed, latency median " + percentile(load.millis, 50) + " ms, 99th percentile "
                    + percentile(load.millis, 99) + " ms, max " + load.maxMillis.get() + " ms, by kind "
                    + new TreeMap<>(load.byKind)
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

    /**
     * Issue 14 part 4: one record of what is installed. A change made over REST (the console's) shows in the shell's
     * {@code feature:list}; a {@code feature:install} in the shell and an edit of a site's file show in the catalogue;
     * files are checked before use, a drop in the data folder included; a change the plan refuses is not made; each
     * change and file is audited.
     */
    @org.junit.Before
    public void platformIsUp() {
        new Http(httpPort()).awaitUp(Duration.ofSeconds(60));
    }

    @Test
    public void theCatalogueTheShellAndTheFilesShowOneRecord() throws Exception {
        Path folder = Files.createTempDirectory("sites").resolve("riverside");
        Files.createDirectories(folder.resolve("plugins"));
        Files.writeString(
                folder.resolve("site.cfg"),
                "name = Riverside (test)\ntimeZone = America/Phoenix\nfeatures = dmi-adapter-nibrs\n");
        Files.writeString(folder.resolve("plugins/org.dmiplatform.adapter.nibrs.cfg"), "oris =\n");
        // the profile its CSV adapter will read through, once the site moves to it
        Files.createDirectories(folder.resolve("profiles"));
        Files.copy(
                Paths.get(
                        context.getProperty("karaf.home"), "site-configs", "chicago", "profiles", "chicago-clear.json"),
                folder.resolve("profiles/chicago-clear.json"));
        provisioning.provision(provisioning.read(folder), TEST);
        await("riverside has its NIBRS adapter", () -> kinds("riverside").contains(PluginKind.RECORDS_ADAPTER));

        Http tta = new Http(httpPort());
        assertEquals(200, tta.logIn(Exam.ADMIN, Exam.PASSWORD).status());
        JsonNode nibrs = addOn(tta, "dmi-adapter-nibrs");
        assertTrue(nibrs.toString(), nibrs.at("/versions/0/installed").asBoolean());
        assertEquals("riverside", nibrs.at("/uses/0/site").asText());
        assertTrue(nibrs.toString(), nibrs.at("/uses/0/bound").asBoolean());

        // a change the plan refuses: the add-on a site lists is not removed
        String remove = "{\"action\":\"uninstall\",\"feature\":\"dmi-adapter-nibrs\"}";
        JsonNode refusedPlan = tta.post("/api/v1/addons/plans", remove).json();
        assertTrue(refusedPlan.toString(), !refusedPlan.get("allowed").asBoolean());
        assertTrue(
                refusedPlan.toString(), refusedPlan.at("/refusals/0").asText().contains("riverside"));
        assertEquals(409, tta.post("/api/v1/addons/changes", remove).status());
        assertTrue(kinds("riverside").contains(PluginKind.RECORDS_ADAPTER));

        // installed over REST (the console), planned first: nothing but its own bundles; then seen by the shell
        String install = "{\"action\":\"install\",\"feature\":\"dmi-adapter-jdbc\"}";
        JsonNode plan = tta.post("/api/v1/addons/plans", install).json();
        assertTrue(plan.toString(), plan.get("allowed").asBoolean());
        assertTrue(plan.toString(), plan.get("install").toString().contains("org.dmiplatform.adapter.jdbc"));
        assertEquals(plan.toString(), 0, plan.get("refresh").size());
        Map<Long, String> before = platformBundles();
        Http.Response installed = tta.post("/api/v1/addons/changes", install);
        assertEquals(installed.body(), 200, installed.status());
        assertTrue(shell("feature:list -i").contains("dmi-adapter-jdbc"));
        assertTrue(shell("dmi:addon-list").contains("dmi-adapter-jdbc (records adapter)\n  * "));
        Map<Long, String> after = platformBundles();
        after.keySet().retainAll(before.keySet());
        assertEquals("no bundle of the platform restarted", before, after);
        // removed again from the shell, after its plan
        String removed = shell("dmi:addon-uninstall dmi-adapter-jdbc");
        assertTrue(removed, removed.contains("-> allowed") && removed.contains("Done in"));
        assertTrue(!shell("feature:list -i").contains("dmi-adapter-jdbc"));
        // installed by hand in the shell: the console sees it at once
        shell("feature:install -r dmi-adapter-jdbc");
        assertTrue(addOn(tta, "dmi-adapter-jdbc").at("/versions/0/installed").asBoolean());

        // an edit of the site's own file (as site IT would make it): the console sees the site use the add-on
        Path siteFile =
                Paths.get(context.getProperty("dmi.data")).resolve("etc/" + Site.FACTORY_PID + "-riverside.cfg");
        String text = Files.readString(siteFile)
                .replace("features = dmi-adapter-nibrs", "features = dmi-adapter-nibrs, dmi-adapter-jdbc");
        Path temp = siteFile.resolveSibling(".riverside.tmp");
        Files.writeString(temp, text);
        Files.move(temp, siteFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        await(
                "the console sees riverside list the JDBC adapter",
                () -> addOn(tta, "dmi-adapter-jdbc").get("uses").toString().contains("riverside"));
        JsonNode jdbcUse = addOn(tta, "dmi-adapter-jdbc").at("/uses/0");
        assertTrue(jdbcUse.toString(), !jdbcUse.get("bound").asBoolean());
        assertTrue(jdbcUse.toString(), jdbcUse.get("problem").asText().contains("configuration"));

        // files: checked before use, by digest too; over REST, the shell and dropped in the data folder
        Path system = Paths.get(context.getProperty("karaf.home"), "system");
        byte[] rebuilt = AddOnKar.build(features, system, List.of("dmi-adapter-nibrs"), "0.1.2");
        String sha = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(rebuilt));
        Http.Response wrong = tta.sendBytes(
                "POST",
                "/api/v1/addons/files?name=nibrs-0.1.2.kar&sha256=" + "0".repeat(64),
                rebuilt,
                "application/octet-stream");
        assertEquals(wrong.body(), 400, wrong.status());
        assertTrue(wrong.body(), wrong.body().contains("its SHA-256 is " + sha));
        Http.Response kept = tta.sendBytes(
                "POST", "/api/v1/addons/files?name=nibrs-0.1.2.kar&sha256=" + sha, rebuilt, "application/octet-stream");
        assertEquals(kept.body(), 201, kept.status());
        assertEquals("dmi-adapter-nibrs/0.1.2", kept.json().at("/features/0").asText());
        JsonNode versions = addOn(tta, "dmi-adapter-nibrs").get("versions");
        assertEquals(versions.toString(), "0.1.2", versions.at("/0/version").asText());
        assertEquals("nibrs-0.1.2.kar", versions.at("/0/source").asText());
        assertTrue(versions.toString(), !versions.at("/0/installed").asBoolean());

        Path needsInternet = Files.createTempFile("lims", ".kar");
        try (java.util.zip.ZipOutputStream zip =
                new java.util.zip.ZipOutputStream(Files.newOutputStream(needsInternet))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("repository/org/example/lims/1.0.0/lims-1.0.0-features.xml"));
            zip.write(("<features name=\"lims\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">"
                            + "<feature name=\"dmi-adapter-lims\" version=\"1.0.0\"><feature>dmi-platform</feature>"
                            + "<bundle>mvn:org.example/lims-adapter/1.0.0</bundle></feature></features>")
                    .getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Path named = needsInternet.resolveSibling("lims-1.0.0.kar");
        Files.move(needsInternet, named, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String refusedFile = shell("dmi:addon-add " + named);
        assertTrue(refusedFile, refusedFile.contains("would need the internet"));
        assertTrue(addOns.catalogue().stream().noneMatch(a -> a.feature().equals("dmi-adapter-lims")));

        byte[] dropped = AddOnKar.build(features, system, List.of("dmi-adapter-jdbc"), "0.1.3");
        Path addonsFolder = Paths.get(context.getProperty("dmi.data")).resolve("addons");
        Files.createDirectories(addonsFolder);
        Files.write(addonsFolder.resolve(".jdbc.part"), dropped);
        Files.move(addonsFolder.resolve(".jdbc.part"), addonsFolder.resolve("jdbc-0.1.3.kar"));
        JsonNode jdbc = addOn(tta, "dmi-adapter-jdbc");
        assertEquals(jdbc.toString(), "0.1.3", jdbc.at("/versions/0/version").asText());
        assertEquals("jdbc-0.1.3.kar", jdbc.at("/versions/0/source").asText());

        // a site administrator is no national administrator: the shared runtime is not theirs to change
        accounts.create(
                new NewUser(
                        "riverside-admin",
                        "Riverside admin",
                        PASSWORD.toCharArray(),
                        List.of(Grant.at("riverside", Role.SITE_ADMIN))),
                TEST);
        Http siteAdmin = logIn("riverside-admin");
        assertEquals(403, siteAdmin.post("/api/v1/addons/changes", install).status());
        assertEquals(200, siteAdmin.get("/api/v1/sites/riverside/addons").status());

        // the site administrator moves the site from the NIBRS adapter to the CSV one: never a moment without one
        if (!addOn(tta, "dmi-adapter-csv").toString().contains("\"installed\":true")) {
            Http.Response csv =
                    tta.post("/api/v1/addons/changes", "{\"action\":\"install\",\"feature\":\"dmi-adapter-csv\"}");
            assertEquals(csv.body(), 200, csv.status());
        }
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicInteger without = new AtomicInteger();
        AtomicInteger looked = new AtomicInteger();
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                looked.incrementAndGet();
                if (!kinds("riverside").contains(PluginKind.RECORDS_ADAPTER)) {
                    without.incrementAndGet();
                }
            }
        });
        watcher.start();
        Http.Response replaced;
        try {
            replaced = siteAdmin.post(
                    "/api/v1/sites/riverside/addons/replacements",
                    "{\"from\":\"dmi-adapter-nibrs\",\"to\":\"dmi-adapter-csv\","
                            + "\"settings\":{\"profile\":\"chicago-clear.json\"}}");
        } finally {
            watching.set(false);
            watcher.join();
        }
        assertEquals(replaced.body(), 200, replaced.status());
        assertEquals(
                replaced.body(), 0, replaced.json().at("/swap/momentsWithout").asInt());
        assertEquals("moments riverside had no records adapter, of " + looked.get(), 0, without.get());
        Site riverside = sites.find("riverside").orElseThrow();
        assertTrue(riverside.features().toString(), riverside.features().contains("dmi-adapter-csv"));
        assertTrue(riverside.features().toString(), !riverside.features().contains("dmi-adapter-nibrs"));
        List<PluginBinding> adapters = sites.plugins("riverside").stream()
                .filter(b -> b.kind() == PluginKind.RECORDS_ADAPTER)
                .toList();
        assertEquals(adapters.toString(), 1, adapters.size());
        assertTrue(adapters.toString(), adapters.get(0).bundle().startsWith("org.dmiplatform.adapter.csv "));
        String exported = provisioning.export("riverside").plugins().toString();
        assertTrue(exported, exported.contains("org.dmiplatform.adapter.csv") && !exported.contains("nibrs"));

        for (String action : List.of("addon.file", "addon.install", "addon.uninstall", "addon.replace")) {
            assertTrue(
                    action + " audited",
                    !audit.recent(Optional.empty(), Optional.of(action), 10).isEmpty());
        }
        assertTrue(
                "a refused file is audited",
                audit.recent(Optional.empty(), Optional.of("addon.file"), 20).stream()
                        .anyMatch(e -> e.event().outcome() == org.dmiplatform.api.access.AuditOutcome.FAILURE));
    }

    private JsonNode addOn(Http http, String feature) {
        Http.Response catalogue = http.get("/api/v1/addons");
        assertEquals(catalogue.body(), 200, catalogue.status());
        for (JsonNode addOn : catalogue.json().get("addOns")) {
            if (addOn.get("feature").asText().equals(feature)) {
                return addOn;
            }
        }
        throw new AssertionError("no add-on " + feature + " in " + catalogue.body());
    }

    private String shell(String command) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
        org.apache.karaf.shell.api.console.Session session = shells.create(System.in, out, out);
        javax.security.auth.Subject subject = new javax.security.auth.Subject();
        subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.UserPrincipal("site-it"));
        subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.RolePrincipal("admin"));
        try {
            javax.security.auth.Subject.doAs(
                    subject, (java.security.PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8).replace("\r", "");
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
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
