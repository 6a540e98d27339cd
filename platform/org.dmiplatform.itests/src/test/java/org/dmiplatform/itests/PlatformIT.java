package org.dmiplatform.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.store.Imports;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.api.store.RecordsStore;
import org.junit.Before;
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

/** The real distribution booted by Pax Exam; these tests run inside it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT {
    static final String ADMIN = Exam.ADMIN;
    static final String PASSWORD = Exam.PASSWORD;
    static final Actor TEST = new Actor("platform-it", "test");

    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Inject
    Sites sites;

    @Inject
    SiteProvisioning provisioning;

    @Inject
    SessionFactory shell;

    @Inject
    AuditLog audit;

    @Inject
    Imports imports;

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

    private Path dataFolder() {
        return Paths.get(context.getProperty("dmi.data"));
    }

    @Before
    public void platformIsUp() {
        new Http(httpPort()).awaitUp(Duration.ofSeconds(60));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
        throw new AssertionError("timed out waiting until " + what);
    }

    private void provisionDemoSites() {
        Path templates = Paths.get(context.getProperty("karaf.home"), "site-configs");
        provisioning.provision(provisioning.read(templates.resolve("chicago")), TEST);
        provisioning.provision(provisioning.read(templates.resolve("denver")), TEST);
    }

    @Test
    public void everyFeatureIsInstalledAndEveryBundleActive() throws Exception {
        Set<String> installed = Arrays.stream(features.listInstalledFeatures())
                .map(Feature::getName)
                .collect(Collectors.toSet());
        assertTrue(
                installed.toString(),
                installed.containsAll(Set.of("dmi-platform", "dmi-shell", "dmi-storage", "dmi-jackson")));
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get("Fragment-Host") != null;
            if (!fragment) {
                assertEquals(bundle.getSymbolicName() + " is not active", Bundle.ACTIVE, bundle.getState());
            }
        }
    }

    @Test
    public void aSiteAppearsWhenItsConfigurationFileIsDroppedAndGoesWhenItIsRemoved() throws Exception {
        Path folder = dataFolder().resolve("etc");
        Files.createDirectories(folder);
        Path temp = folder.resolve("testville.tmp");
        Files.writeString(
                temp, "id = testville\nname = Testville\ntimeZone = America/Phoenix\n", StandardCharsets.UTF_8);
        Path file = folder.resolve(Site.FACTORY_PID + "-testville.cfg");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        await("testville is served", () -> sites.find("testville").isPresent());
        assertEquals("America/Phoenix", sites.find("testville").get().timeZone().getId());

        Files.delete(file);
        await("testville is gone", () -> sites.find("testville").isEmpty());
    }

    @Test
    public void provisioningFromASiteFolderStoresTheSiteWhereItSurvivesANewRuntime() throws Exception {
        provisionDemoSites();
        assertEquals(
                "America/Chicago",
                sites.find("chicago").orElseThrow().timeZone().getId());
        Path stored = dataFolder().resolve("etc").resolve(Site.FACTORY_PID + "-chicago.cfg");
        // FileInstall writes the configuration back to the same file just after; wait for it to settle
        await("the stored file holds the site", () -> {
            try {
                String text = Files.readString(stored);
                return text.contains("Chicago (demo)") && text.contains("America/Chicago");
            } catch (IOException e) {
                return false;
            }
        });
        // provisioning again changes nothing
        provisionDemoSites();
        assertEquals(
                2,
                sites.list().stream()
                        .filter(s -> s.id().equals("chicago") || s.id().equals("denver"))
                        .count());
    }

    @Test
    public void aSiteBeingChangedNeverDropsOut() throws Exception {
        provisionDemoSites();
        java.util.concurrent.atomic.AtomicInteger missing = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                if (sites.find("denver").isEmpty()) {
                    missing.incrementAndGet();
                }
            }
        });
        watcher.start();
        try {
            for (int round = 0; round < 3; round++) {
                java.util.Map<String, String> settings = new java.util.LinkedHashMap<>(
                        sites.find("denver").orElseThrow().settings());
                settings.put("cohort", "Cohort " + round);
                provisioning.provision(
                        provisioning.define(settings, java.util.List.of(), java.util.Map.of(), "test"), TEST);
                String cohort = "Cohort " + round;
                await("denver in " + cohort, () -> sites.find("denver")
                        .map(s -> s.cohort().equals(cohort))
                        .orElse(false));
            }
            Thread.sleep(500);
        } finally {
            watching.set(false);
            watcher.join();
        }
        assertEquals("times denver was missing while it changed", 0, missing.get());
    }

    @Test
    public void shellCommandsListAndProvisionSites() throws Exception {
        String provisioned = shell("dmi:site-provision site-configs/denver");
        assertTrue(provisioned, provisioned.contains("Site denver (Denver (demo)) provisioned"));
        String list = shell("dmi:site-list");
        assertTrue(list, list.contains("denver") && list.contains("America/Denver"));
        AuditEntry recorded = audit.recent(Optional.of("denver"), Optional.of("site.provision"), 1)
                .get(0);
        assertEquals("shell:site-it", recorded.event().actor());
        String refused = shell("dmi:site-provision /nowhere/at-all");
        assertTrue(refused, refused.contains("/nowhere/at-all: is not a folder"));
    }

    @Test
    public void shellFollowsTheProgrammeAndItsGates() throws Exception {
        provisionDemoSites();
        String started = shell("dmi:intervention-start --started 2026-03-01 chicago \"Shell market\"");
        assertTrue(started, started.contains("started at chicago"));
        long id = Long.parseLong(started.replaceAll("(?s).*Intervention (\\d+) .*", "$1"));
        String gated = shell("dmi:step chicago " + id + " 6a in-progress");
        assertTrue(gated, gated.contains("Refused by the rule letters-after-candidate-decision"));
        String done = shell("dmi:step --note \"roster complete\" chicago " + id + " team done");
        assertTrue(done, done.contains("Step team: done."));
        String checklist = shell("dmi:checklist chicago " + id);
        assertTrue(checklist, checklist.contains("current step: SWOT analysis"));
        assertTrue(checklist, checklist.contains("gate: No letter before the candidate decision"));
        String overview = shell("dmi:overview");
        assertTrue(overview, overview.contains("chicago"));
        // the shared materials' service is up in the distribution (the REST API needs it too), and lists as national
        // staff
        String materials = shell("dmi:materials");
        assertTrue(materials, materials.contains("Published (UTC)") && materials.contains("On latest"));
        AuditEntry progress = audit.recent(Optional.of("chicago"), Optional.of("step.progress"), 1)
                .get(0);
        assertEquals("shell:site-it", progress.event().actor());
    }

    private String shell(String command) throws Exception {
        // as site IT logged into the shell with the admin role (dmi: commands require it)
        return shellAs("site-it", "admin", command);
    }

    private String shellAs(String user, String role, String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = shell.create(System.in, out, out);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        for (String each : role.split(",")) {
            subject.getPrincipals().add(new RolePrincipal(each));
        }
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Karaf hardened: a shell user without the admin role may run none of the commands that change the container
     * or the platform (configuration, data sources, features, bundles, the platform's own), nor those the container's
     * ACLs leave unlisted; the SSH console listens on the loopback address only.
     */
    @Test
    public void aShellUserWithoutTheAdminRoleChangesNothing() throws Exception {
        int checked = 0;
        for (String command : List.of(
                "config:install",
                "config:edit",
                "config:property-set",
                "jdbc:ds-create",
                "feature:install",
                "bundle:install",
                "kar:install",
                "dmi:site-provision",
                "dmi:site-provision-all",
                "dmi:user-add",
                "dmi:import",
                "dmi:addon-add",
                "dmi:addon-install",
                "dmi:addon-swap",
                "dmi:addon-uninstall")) {
            String usage;
            try {
                // Karaf's administrators group holds these roles
                usage = shellAs("site-it", "admin,manager,viewer,systembundles", command + " --help");
            } catch (Exception notInstalled) {
                // a command of a feature this distribution does not install (the JDBC commands): nothing to refuse
                assertTrue(command + ": " + notInstalled, command.startsWith("jdbc:"));
                continue;
            }
            assertFalse(command, usage.isBlank());
            try {
                String out = shellAs("viewer-1", "viewer", command + " --help");
                org.junit.Assert.fail(command + " ran for a viewer: " + out);
            } catch (Exception refused) {
                // Karaf hides a command from a user without its role: not found, or refused
                String why = refused.getClass().getSimpleName() + ": " + refused.getMessage();
                assertTrue(
                        command + ": " + why,
                        why.contains("Insufficient credentials") || why.contains("CommandNotFound"));
                checked++;
            }
        }
        assertTrue(checked >= 13);
        org.osgi.service.cm.Configuration ssh = configAdmin.getConfiguration("org.apache.karaf.shell", null);
        assertEquals("127.0.0.1", String.valueOf(ssh.getProperties().get("sshHost")));
    }

    @Test
    public void healthShowsWhichPlugInIsBoundToEachSite() throws Exception {
        provisionDemoSites();
        // which site has which plug-in is the TTA team's to see, not anyone's
        Http anyone = new Http(httpPort());
        JsonNode summary = anyone.get("/api/v1/health").json();
        assertFalse(summary.toString(), summary.toString().contains("chicago"));
        assertTrue(summary.toString(), summary.get("sites").asInt() >= 2);
        assertEquals(401, anyone.get("/api/v1/health/details").status());
        Http http = new Http(httpPort());
        assertEquals(200, http.logIn(ADMIN, PASSWORD).status());
        assertEquals(
                http.get("/api/v1/health/details").json().get("node").asText(),
                http.get("/api/v1/health/details").json().at("/nodes/0").asText());
        await(
                "chicago's records adapter is bound",
                () -> plugins(http, "chicago").get("plugins").toString().contains("org.dmiplatform.adapter.csv"));
        JsonNode chicago = plugins(http, "chicago");
        assertEquals("csv", chicago.at("/plugins/0/name").asText());
        assertEquals("records-adapter", chicago.at("/plugins/0/kind").asText());
        assertFalse(chicago.get("missing").toString().contains("no records adapter"));

        Path riverton = Files.createTempDirectory("sites").resolve("riverton");
        Files.createDirectories(riverton);
        Files.writeString(riverton.resolve("site.cfg"), "name = Riverton\ntimeZone = America/Phoenix\n");
        provisioning.provision(provisioning.read(riverton), TEST);
        assertTrue(
                "a site without a records adapter says so, and is served",
                plugins(http, "riverton").get("missing").toString().contains("no records adapter"));
    }

    /**
     * The programme's national roll-out: every site kit the distribution ships, provisioned into the running platform
     * in one request, each then in the health report with its records adapter bound; a second request changes nothing.
     * A site on the records database system provisions without its password's variable, and health names it.
     */
    @Test
    public void everySiteKitProvisionsInOneRequestAndAppearsInHealth() throws Exception {
        Http admin = new Http(httpPort());
        Http.Response logIn = admin.logIn(ADMIN, PASSWORD);
        assertEquals(logIn.body(), 200, logIn.status());
        long started = System.nanoTime();
        Http.Response all = admin.post("/api/v1/sites", "{\"templates\": \"all\"}");
        long took = (System.nanoTime() - started) / 1_000_000;
        assertEquals(all.body(), 200, all.status());
        List<String> kits = new ArrayList<>();
        all.json().get("sites").forEach(site -> kits.add(site.get("id").asText()));
        assertTrue(kits.toString(), kits.size() >= 25);
        assertTrue(
                kits.toString(), kits.containsAll(List.of("high-point", "rockford", "mesa", "middletown", "austin")));
        assertFalse("the demo sites are demo mode's", kits.contains("chicago") || kits.contains("denver"));
        assertEquals(
                all.body(),
                kits.size(),
                all.json().get("created").asInt() + all.json().get("updated").asInt());
        System.out.printf(
                "site kits: %d sites provisioned in one request in %d ms (%d ms of it checking and provisioning)%n",
                kits.size(), took, all.json().get("milliseconds").asLong());

        Http health = admin;
        long bound = System.nanoTime();
        await("every kit is in the health report with its NIBRS records adapter bound", () -> {
            int ready = 0;
            for (JsonNode site : health.get("/api/v1/health/details").json().get("sites")) {
                if (kits.contains(site.get("id").asText())
                        && site.get("plugins").toString().contains("\"kind\":\"records-adapter\"")
                        && site.get("plugins").toString().contains("\"name\":\"NIBRS\"")
                        && !site.get("missing").toString().contains("no mapping")) {
                    ready++;
                }
            }
            return ready == kits.size();
        });
        System.out.printf(
                "site kits: every records adapter bound %d ms after the answer%n",
                (System.nanoTime() - bound) / 1_000_000);
        for (String kit : kits) {
            assertEquals(kit, "[]", plugins(health, kit).get("problems").toString());
            assertTrue(kit, sites.find(kit).isPresent());
        }
        assertFalse(
                "the audit log has each site's provisioning",
                audit.recent(Optional.of("mesa"), Optional.of("site.provision"), 5)
                        .isEmpty());

        long secondStarted = System.nanoTime();
        Http.Response again = admin.post("/api/v1/sites", "{\"templates\": \"all\"}");
        assertEquals(again.body(), 200, again.status());
        assertEquals(again.body(), kits.size(), again.json().get("unchanged").asInt());
        System.out.printf(
                "site kits: the same request again, every site unchanged, in %d ms%n",
                (System.nanoTime() - secondStarted) / 1_000_000);

        String variable = "DMI_IT_UNSET_" + Long.toHexString(System.nanoTime()).toUpperCase(java.util.Locale.ROOT);
        Path riverton = Files.createTempDirectory("kits").resolve("riverton-rms");
        Files.createDirectories(riverton.resolve("plugins"));
        Files.writeString(
                riverton.resolve("site.cfg"),
                "name = Riverton RMS (test)\ntimeZone = America/Chicago\nrecordsSystem = rms-database\n");
        Files.writeString(
                riverton.resolve("plugins/org.dmiplatform.adapter.jdbc.cfg"),
                "url = jdbc:postgresql://rms.riverton.example:5432/rms\nuser = dmi_reader\n.password = $[env:"
                        + variable + "]\n");
        provisioning.provision(provisioning.read(riverton), TEST);
        await(
                "health names the password's missing variable",
                () -> plugins(health, "riverton-rms").get("problems").toString().contains(variable));
        assertTrue(plugins(health, "riverton-rms").get("plugins").toString().contains("\"name\":\"jdbc\""));
        assertEquals("UP", health.get("/api/v1/health").json().get("status").asText());
    }

    static Caller police(String site) {
        return new Caller(
                new User(
                        0,
                        "it-police-" + site,
                        "IT police",
                        List.of(Grant.at(site, Role.POLICE)),
                        true,
                        false,
                        Instant.EPOCH),
                "test");
    }

    private Path repo() {
        return Paths.get(System.getProperty("dmi.it.repo"));
    }

    private Imports.Import importFile(String site, Path file) {
        Imports.Import started =
                imports.start(site, Optional.empty(), file, file.getFileName().toString(), false, police(site));
        return awaitImport(site, started.id());
    }

    private Imports.Import awaitImport(String site, long id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Imports.Import now = imports.find(site, id, police(site));
            if (now.status() != Imports.Status.QUEUED && now.status() != Imports.Status.RUNNING) {
                return now;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("import " + id + " at " + site + " did not finish");
    }

    private String firstAdapter(String site) {
        List<String> bound = imports.adapters(site);
        return bound.isEmpty() ? "" : bound.get(0);
    }

    @Test
    public void aSitesRecordsAdapterIsReconfiguredAndReplacedWhileTheOtherSitesKeepImporting() throws Exception {
        provisionDemoSites();
        Path exports = repo().resolve("bundles/org.dmiplatform.adapter.csv/src/test/resources/exports");
        await("chicago's CSV adapter", () -> firstAdapter("chicago").startsWith("csv"));
        await("denver's CSV adapter", () -> firstAdapter("denver").startsWith("csv"));

        // Denver imports again and again, and chicago is watched for a moment without an adapter, throughout
        AtomicBoolean going = new AtomicBoolean(true);
        List<Imports.Import> denver = new CopyOnWriteArrayList<>();
        AtomicInteger chicagoWithout = new AtomicInteger();
        Thread importing = new Thread(() -> {
            while (going.get()) {
                denver.add(importFile("denver", exports.resolve("denver_crime_incidents_2.csv")));
            }
        });
        Thread watching = new Thread(() -> {
            while (going.get()) {
                if (imports.adapters("chicago").isEmpty()) {
                    chicagoWithout.incrementAndGet();
                }
            }
        });
        importing.start();
        watching.start();
        org.osgi.service.cm.Configuration nibrs = null;
        try {
            Imports.Import csv = importFile("chicago", exports.resolve("chicago-clear-2016-01-03.csv"));
            assertEquals(csv.errors().toString(), Imports.Status.PUBLISHED, csv.status());
            assertEquals(csv.toString(), 300, csv.inserted());

            // reconfigured: the site's CSV adapter reads through another profile, as calls for service
            Path folder = Files.createTempDirectory("sites").resolve("chicago");
            Path template = Paths.get(context.getProperty("karaf.home"), "site-configs", "chicago");
            Files.createDirectories(folder.resolve("profiles"));
            Files.createDirectories(folder.resolve("plugins"));
            Files.copy(template.resolve("site.cfg"), folder.resolve("site.cfg"));
            Files.writeString(
                    folder.resolve("profiles/chicago-calls.json"),
                    Files.readString(template.resolve("profiles/chicago-clear.json"))
                            .replace("\"kind\": \"incident\"", "\"kind\": \"call-for-service\""));
            Files.writeString(
                    folder.resolve("plugins/org.dmiplatform.adapter.csv.cfg"), "profile = chicago-calls.json\n");
            provisioning.provision(provisioning.read(folder), TEST);
            await("chicago reads through the new profile", () -> firstAdapter("chicago")
                    .contains("chicago-calls.json"));
            Imports.Import calls = importFile("chicago", exports.resolve("chicago-clear-2016-01-03.csv"));
            assertEquals(calls.errors().toString(), 300, calls.inserted());
            assertEquals(
                    300,
                    records.count(
                            "chicago", RecordQuery.ALL.kinds(Set.of(RecordKind.CALL_FOR_SERVICE)), police("chicago")));

            // replaced: the NIBRS adapter is installed beside it with a higher ranking, then the CSV one removed
            features.installFeature("dmi-adapter-nibrs", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            nibrs = configAdmin.getFactoryConfiguration("org.dmiplatform.adapter.nibrs", "chicago-it", "?");
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(Site.SERVICE_PROPERTY, "chicago");
            properties.put("service.ranking", 10);
            nibrs.update(properties);
            await("NIBRS ranks first at chicago", () -> firstAdapter("chicago").startsWith("NIBRS"));
            for (org.osgi.service.cm.Configuration old : configAdmin.listConfigurations(
                    "(&(service.factoryPid=org.dmiplatform.adapter.csv)(" + Site.SERVICE_PROPERTY + "=chicago))")) {
                old.delete();
            }
            await("chicago has NIBRS alone", () -> imports.adapters("chicago").size() == 1);
            Imports.Import incident = importFile(
                    "chicago",
                    repo().resolve(
                                    "bundles/org.dmiplatform.adapter.nibrs/src/test/resources/flatfile/NIBRS_Test_Sample.txt"));
            assertEquals(incident.errors().toString(), Imports.Status.PUBLISHED, incident.status());
            assertEquals("NIBRS", incident.adapter());
            assertEquals(1, incident.inserted());
        } finally {
            going.set(false);
            importing.join();
            watching.join();
            if (nibrs != null) {
                nibrs.delete();
            }
        }
        assertEquals("moments chicago had no records adapter", 0, chicagoWithout.get());
        assertTrue("denver imported " + denver.size() + " times", denver.size() >= 2);
        for (Imports.Import each : denver) {
            assertEquals(each.errors().toString(), Imports.Status.PUBLISHED, each.status());
            assertEquals(131, each.read());
        }
        assertEquals(
                "the same file again changes nothing",
                denver.get(0).inserted() + denver.get(0).unchanged(),
                denver.get(denver.size() - 1).unchanged());
    }

    /**
     * A department onboarded through the REST API alone, as TTA staff and the site's analyst would: the site created
     * with its bounds and first administrator, a profile drafted from a headerless sample, saved, tried, named by
     * the CSV adapter, the sample imported with counts that add up and times as the source wrote them, and the site
     * exported as a folder that provisions a second site.
     */
    @Test
    public void aDepartmentIsOnboardedOverRestAlone() throws Exception {
        Http tta = new Http(httpPort());
        assertEquals(200, tta.logIn(ADMIN, PASSWORD).status());
        Http.Response created = tta.post(
                "/api/v1/sites",
                """
                {"id": "lakeview", "name": "Lakeview (test)", "timeZone": "America/Chicago",
                 "bounds": [-87.95, 41.64, -87.52, 42.03], "sourceCrs": ["EPSG:4326"], "features": ["dmi-adapter-csv"],
                 "firstAdmin": {"username": "lakeview-admin", "displayName": "Lakeview site administrator"}}
                """);
        assertEquals(created.body(), 201, created.status());
        String password = created.json().get("password").asText();
        assertEquals(20, password.length());
        assertEquals(
                "lakeview-admin",
                created.json().get("firstAdmin").get("username").asText());

        // a file name that leaves the profiles folder, or an account the store would refuse: nothing is created
        Http.Response escape = tta.post(
                "/api/v1/sites",
                "{\"id\": \"escape\", \"name\": \"Escape\", \"timeZone\": \"America/Chicago\","
                        + " \"profiles\": {\"../../deploy/x.json\": \"{}\"}}");
        assertEquals(escape.body(), 400, escape.status());
        Http.Response shortName = tta.post(
                "/api/v1/sites",
                "{\"id\": \"half-made\", \"name\": \"Half\", \"timeZone\": \"America/Chicago\","
                        + " \"firstAdmin\": {\"username\": \"x\"}}");
        assertEquals(shortName.body(), 400, shortName.status());
        assertEquals(404, tta.get("/api/v1/sites/escape").status());
        assertEquals(404, tta.get("/api/v1/sites/half-made").status());

        Http analyst = new Http(httpPort());
        assertEquals(200, analyst.logIn("lakeview-admin", password).status());
        byte[] sample = Files.readAllBytes(
                repo().resolve("platform/org.dmiplatform.itests/src/test/resources/onboarding/cad-calls.csv"));
        Http.Response draft = analyst.sendBytes(
                "POST", "/api/v1/sites/lakeview/profile-drafts?name=cad-calls.csv", sample, "text/csv");
        assertEquals(draft.body(), 200, draft.status());
        JsonNode drafted = draft.json();
        assertFalse(
                "no header row: " + drafted.get("layout"),
                drafted.get("layout").get("header").asBoolean());
        assertEquals(7, drafted.get("columns").size());
        String codeTable = drafted.get("codeTableName").asText();
        if (!codeTable.isEmpty()) {
            Http.Response saved = analyst.sendBytes(
                    "PUT",
                    "/api/v1/sites/lakeview/profiles/" + codeTable,
                    drafted.get("codeTable").asText().getBytes(StandardCharsets.UTF_8),
                    "text/csv");
            assertEquals(saved.body(), 200, saved.status());
        }
        Http.Response saved = analyst.sendBytes(
                "PUT",
                "/api/v1/sites/lakeview/profiles/calls.json",
                drafted.get("profile").asText().getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertEquals(saved.body(), 200, saved.status());

        // a broken profile is refused with its line and field, and the saved one stays
        Http.Response broken = analyst.sendBytes(
                "PUT",
                "/api/v1/sites/lakeview/profiles/calls.json",
                "{\n  \"profile\": 1,\n  \"fields\": {\"sourceId\": 1}\n}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertEquals(broken.body(), 400, broken.status());
        assertTrue(broken.body(), broken.body().contains("occurredFrom"));
        assertEquals(
                drafted.get("profile").asText(),
                analyst.get("/api/v1/sites/lakeview/profiles/calls.json").body());

        Http.Response trial = analyst.sendBytes(
                "POST",
                "/api/v1/sites/lakeview/profiles/calls.json/trial?name=cad-calls.csv&show=12",
                sample,
                "text/csv");
        assertEquals(trial.body(), 200, trial.status());
        JsonNode tried = trial.json();
        assertEquals(400, tried.get("read").asLong());
        assertEquals(
                tried.toString(),
                400,
                tried.get("imported").asLong()
                        + tried.get("quarantined").asLong()
                        + tried.get("skipped").asLong()
                        + tried.get("merged").asLong()
                        + tried.get("deletes").asLong());
        JsonNode noon = tried.get("first").get(9);
        assertEquals(10, noon.get("line").asLong());
        assertEquals("2026-11-05 12:30:00 (CST)", noon.get("occurredFrom").asText());
        assertTrue(noon.get("source").asText(), noon.get("source").asText().startsWith("C26-100009,20261105,1230"));
        assertEquals("a 12:30 call leaves no noon-hour warning", 0, count(tried.get("warnings"), "12:00 and 12:59"));

        Http.Response plugin = analyst.sendBytes(
                "PUT",
                "/api/v1/sites/lakeview/plugins/org.dmiplatform.adapter.csv",
                "{\"profile\": \"calls.json\"}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertEquals(plugin.body(), 200, plugin.status());
        await("lakeview's CSV adapter", () -> firstAdapter("lakeview").contains("calls.json"));

        // only the site's own plug-ins, with the settings they declare, and no secret read from the server
        String[][] refused = {
            {
                "org.ops4j.datasource",
                "{\"url\": \"jdbc:postgresql://example.org/x\"}",
                "not a plug-in of the site's features"
            },
            {"org.dmiplatform.adapter.csv", "{\"url\": \"x\"}", "is not a setting of org.dmiplatform.adapter.csv"},
            {"org.dmiplatform.adapter.csv", "{\"profile\": \"$[env:HOME]\"}", "reads the server's environment"},
        };
        for (String[] attempt : refused) {
            Http.Response r = analyst.sendBytes(
                    "PUT",
                    "/api/v1/sites/lakeview/plugins/" + attempt[0],
                    attempt[1].getBytes(StandardCharsets.UTF_8),
                    "application/json");
            assertEquals(r.body(), 400, r.status());
            assertTrue(r.body(), r.body().contains(attempt[2]));
        }
        assertTrue(firstAdapter("lakeview").contains("calls.json"));
        Http.Response inUse = analyst.send("DELETE", "/api/v1/sites/lakeview/profiles/calls.json", null, null);
        assertEquals(inUse.body(), 400, inUse.status());

        Http.Response started =
                analyst.sendBytes("POST", "/api/v1/sites/lakeview/imports?name=cad-calls.csv", sample, "text/csv");
        assertEquals(started.body(), 202, started.status());
        long id = started.json().get("id").asLong();
        JsonNode done = null;
        for (int i = 0; i < 200; i++) {
            done = analyst.get("/api/v1/sites/lakeview/imports/" + id).json();
            if (!done.get("status").asText().matches("QUEUED|RUNNING")) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(done.toString(), "PUBLISHED", done.get("status").asText());
        assertEquals(400, done.get("read").asLong());
        assertEquals(
                done.toString(),
                tried.get("imported").asLong(),
                done.get("inserted").asLong());
        assertEquals(tried.get("quarantined").asLong(), done.get("quarantined").asLong());
        JsonNode page = analyst.get("/api/v1/sites/lakeview/records?limit=500").json();
        JsonNode call = null;
        for (JsonNode record : page.get("records")) {
            if (record.get("line").asLong() == 10) {
                call = record;
            }
        }
        assertTrue("the 12:30 call on line 10 is stored with its line", call != null);
        assertEquals(
                java.time.OffsetDateTime.parse("2026-11-05T12:30-06:00"),
                java.time.OffsetDateTime.parse(call.get("occurredFrom").asText()));
        assertEquals("1600 W MADISON ST", call.get("address").asText());

        // the department's code list as an Excel workbook: its columns, then a code table drafted from its NIBRS codes
        byte[] workbook = xlsx(List.of(
                List.of("Offense Code", "Description", "NIBRS"),
                List.of("0810", "POSS CONTROLLED SUBSTANCE", "35A"),
                List.of("1300", "AGGRAVATED ASSAULT", "13A"),
                List.of("5212", "WEAPON - CARRYING CONCEALED", "520")));
        String xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        Http.Response columns = analyst.sendBytes(
                "POST", "/api/v1/sites/lakeview/code-table-drafts?name=codes.xlsx", workbook, xlsxType);
        assertEquals(columns.body(), 200, columns.status());
        assertEquals(
                "[\"Offense Code\",\"Description\",\"NIBRS\"]",
                columns.json().get("columns").toString());
        Http.Response table = analyst.sendBytes(
                "POST",
                "/api/v1/sites/lakeview/code-table-drafts?name=codes.xlsx&code=Offense%20Code&text=Description&nibrs=NIBRS",
                workbook,
                xlsxType);
        assertEquals(table.body(), 200, table.status());
        String csv = table.json().get("csv").asText();
        assertTrue(csv, csv.contains("0810,drug,false,POSS CONTROLLED SUBSTANCE,35A"));
        assertTrue(csv, csv.contains("1300,violent-part-i,true,AGGRAVATED ASSAULT,13A"));
        assertTrue(csv, csv.contains("5212,weapons,false,"));
        Http.Response notAWorkbook =
                analyst.sendBytes("POST", "/api/v1/sites/lakeview/code-table-drafts?name=codes.xlsx", sample, xlsxType);
        assertEquals(notAWorkbook.body(), 400, notAWorkbook.status());
        assertFalse(notAWorkbook.body(), notAWorkbook.body().contains("Exception"));

        // the site as its folder, which provisions another site the same
        Http.Response zip = tta.get("/api/v1/sites/lakeview/export");
        assertEquals(200, zip.status());
        byte[] folder = tta.getBytes("/api/v1/sites/lakeview/export");
        java.util.Map<String, String> entries = new java.util.TreeMap<>();
        try (java.util.zip.ZipInputStream in =
                new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(folder))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertTrue(entries.keySet().toString(), entries.containsKey("lakeview/site.cfg"));
        assertTrue(
                entries.get("lakeview/plugins/org.dmiplatform.adapter.csv.cfg"),
                entries.get("lakeview/plugins/org.dmiplatform.adapter.csv.cfg").contains("calls.json"));
        assertEquals(drafted.get("profile").asText(), entries.get("lakeview/profiles/calls.json"));
        java.io.ByteArrayOutputStream renamed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(renamed)) {
            for (java.util.Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getKey().replace("lakeview/", "lakeview-two/")));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        Http.Response again =
                tta.sendBytes("POST", "/api/v1/sites?name=lakeview-two.zip", renamed.toByteArray(), "application/zip");
        assertEquals(again.body(), 201, again.status());
        await("lakeview-two's CSV adapter", () -> firstAdapter("lakeview-two").contains("calls.json"));
        Http.Response twice = tta.sendBytes("POST", "/api/v1/sites?name=lakeview.zip", folder, "application/zip");
        assertEquals(twice.body(), 409, twice.status());
    }

    /**
     * Counts that add up for every adapter reading files: every fixture of the CSV adapter (Chicago, Denver, Dallas
     * through their profiles) and of the NIBRS adapter (flat files, XML in both schemas, a Crime Data Explorer
     * extract) imported through the real pipeline: read = new + changed + unchanged + quarantined + skipped + merged
     * + delete instructions + withdrawn, each time.
     */
    @Test
    public void everyFileAdaptersFixturesAddUp() throws Exception {
        // sites of their own, reading as the demo sites do, so the other tests' sites stay as they find them
        Path templates = Paths.get(context.getProperty("karaf.home"), "site-configs");
        for (String city : List.of("chicago", "denver")) {
            SiteDefinition template = provisioning.read(templates.resolve(city));
            java.util.Map<String, String> settings =
                    new java.util.LinkedHashMap<>(template.site().settings());
            settings.put("id", city + "-fixtures");
            provisioning.provision(
                    provisioning.define(settings, template.plugins(), template.profiles(), "test"), TEST);
        }
        Path csv = repo().resolve("bundles/org.dmiplatform.adapter.csv/src/test/resources");
        provisioning.provision(
                provisioning.define(
                        java.util.Map.of(
                                "id",
                                "dallas-fixtures",
                                "name",
                                "Dallas (fixtures)",
                                "timeZone",
                                "America/Chicago",
                                "features",
                                "dmi-adapter-csv"),
                        List.of(new org.dmiplatform.api.PluginConfiguration(
                                "org.dmiplatform.adapter.csv",
                                java.util.Map.of("profile", "dallas-calls.json"),
                                "test")),
                        java.util.Map.of(
                                "dallas-calls.json", Files.readString(csv.resolve("profiles/dallas-calls.json"))),
                        "test"),
                TEST);
        provisioning.provision(
                provisioning.define(
                        java.util.Map.of(
                                "id",
                                "nibrs-fixtures",
                                "name",
                                "NIBRS (fixtures)",
                                "timeZone",
                                "America/Phoenix",
                                "features",
                                "dmi-adapter-nibrs"),
                        List.of(new org.dmiplatform.api.PluginConfiguration(
                                "org.dmiplatform.adapter.nibrs", java.util.Map.of("oris", ""), "test")),
                        java.util.Map.of(),
                        "test"),
                TEST);
        await("chicago's CSV adapter", () -> firstAdapter("chicago-fixtures").startsWith("csv"));
        await("denver's CSV adapter", () -> firstAdapter("denver-fixtures").startsWith("csv"));
        await("the Dallas fixtures' CSV adapter", () -> firstAdapter("dallas-fixtures")
                .startsWith("csv"));
        await("the NIBRS adapter", () -> firstAdapter("nibrs-fixtures").startsWith("NIBRS"));

        java.util.Map<String, List<Path>> files = new java.util.LinkedHashMap<>();
        files.put("chicago-fixtures", List.of(csv.resolve("exports/chicago-clear-2016-01-03.csv")));
        files.put(
                "denver-fixtures",
                List.of(
                        csv.resolve("exports/denver_crime_incidents_1.csv"),
                        csv.resolve("exports/denver_crime_incidents_2.csv"),
                        csv.resolve("exports/denver_crime_incidents_3.csv")));
        files.put("dallas-fixtures", List.of(csv.resolve("exports/dallas-active-calls-2018-01-09.csv")));
        Path nibrs = repo().resolve("bundles/org.dmiplatform.adapter.nibrs/src/test/resources");
        List<Path> nibrsFiles = new java.util.ArrayList<>();
        for (String folder : List.of("flatfile", "xml_2019_1", "xml_4_2")) {
            try (java.util.stream.Stream<Path> list = Files.list(nibrs.resolve(folder))) {
                list.filter(f -> f.toString().endsWith(".txt") || f.toString().endsWith(".xml"))
                        .sorted()
                        .forEach(nibrsFiles::add);
            }
        }
        Path extract = Files.createTempFile("cde-", ".zip");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(extract));
                java.util.stream.Stream<Path> list = Files.list(nibrs.resolve("cde_az_2016"))) {
            for (Path f :
                    list.filter(f -> f.toString().endsWith(".csv")).sorted().toList()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(f.getFileName().toString()));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
        nibrsFiles.add(extract);
        files.put("nibrs-fixtures", nibrsFiles);

        int published = 0;
        for (java.util.Map.Entry<String, List<Path>> site : files.entrySet()) {
            for (Path file : site.getValue()) {
                Path copy = Files.createTempFile("fixture-", file.getFileName().toString());
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Imports.Import done = importFile(site.getKey(), copy);
                if (done.status() == Imports.Status.PUBLISHED) {
                    published++;
                    assertEquals(file + ": " + done, done.read(), done.accounted());
                } else {
                    // a file that cannot be read at all fails whole, with its reasons, and changes nothing
                    assertEquals(file + ": " + done, Imports.Status.FAILED, done.status());
                    assertFalse(file + " failed without a reason", done.errors().isEmpty());
                }
            }
        }
        assertTrue("files published: " + published, published >= 12);
    }

    /** A workbook of one sheet, its cells as inline text: what a spreadsheet program saves, at its smallest. */
    private static byte[] xlsx(List<List<String>> rows) throws IOException {
        StringBuilder sheet = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        for (int r = 0; r < rows.size(); r++) {
            sheet.append("<row r=\"").append(r + 1).append("\">");
            for (int c = 0; c < rows.get(r).size(); c++) {
                sheet.append("<c r=\"")
                        .append((char) ('A' + c))
                        .append(r + 1)
                        .append("\" t=\"inlineStr\"><is><t>")
                        .append(rows.get(r).get(c))
                        .append("</t></is></c>");
            }
            sheet.append("</row>");
        }
        sheet.append("</sheetData></worksheet>");
        java.util.Map<String, String> parts = new java.util.LinkedHashMap<>();
        parts.put(
                "[Content_Types].xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                        + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                        + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                        + "</Types>");
        parts.put(
                "_rels/.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                        + "</Relationships>");
        parts.put(
                "xl/workbook.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
                        + " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                        + "<sheets><sheet name=\"Codes\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
        parts.put(
                "xl/_rels/workbook.xml.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                        + "</Relationships>");
        parts.put("xl/worksheets/sheet1.xml", sheet.toString());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (java.util.Map.Entry<String, String> part : parts.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(part.getKey()));
                zip.write(part.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static int count(JsonNode texts, String part) {
        int n = 0;
        for (JsonNode text : texts) {
            if (text.asText().contains(part)) {
                n++;
            }
        }
        return n;
    }

    private static JsonNode plugins(Http http, String site) {
        for (JsonNode node : http.get("/api/v1/health/details").json().get("sites")) {
            if (node.get("id").asText().equals(site)) {
                return node;
            }
        }
        throw new AssertionError("no site " + site + " in the health report");
    }

    @Test
    public void restRoundTripWithLogInAndCrossSiteRefusal() {
        provisionDemoSites();
        // a fresh name on every attempt, so a retried attempt shows its own failure
        String police = "it-police-" + System.nanoTime();
        Http admin = new Http(httpPort());
        Http.Response adminLogIn = admin.logIn(ADMIN, PASSWORD);
        assertEquals(adminLogIn.body(), 200, adminLogIn.status());
        Http.Response created = admin.post(
                "/api/v1/users",
                "{\"username\":\"" + police + "\",\"displayName\":\"Test officer\",\"password\":\"" + PASSWORD
                        + "\",\"grants\":[{\"role\":\"police\",\"site\":\"chicago\"}]}");
        assertEquals(created.body(), 201, created.status());

        Http officer = new Http(httpPort());
        Http.Response logIn = officer.logIn(police, PASSWORD);
        assertEquals(logIn.body(), 200, logIn.status());
        Http.Response sites = officer.get("/api/v1/sites");
        JsonNode visible = sites.json().get("sites");
        assertEquals(sites.body(), 1, visible.size());
        assertEquals("chicago", visible.get(0).get("id").asText());
        assertEquals(200, officer.get("/api/v1/sites/chicago").status());
        Http.Response refused = officer.get("/api/v1/sites/denver");
        assertEquals(refused.body(), 404, refused.status());
        assertTrue(refused.header("Content-Type").startsWith("application/problem+json"));

        Http.Response audit = admin.get("/api/v1/audit?action=access.denied&site=denver");
        JsonNode denied = audit.json().get("entries");
        assertTrue(audit.body(), denied.size() >= 1);
        assertEquals(audit.body(), police, denied.get(0).at("/event/actor").asText());
        assertEquals("DENIED", denied.get(0).at("/event/outcome").asText());
        Http.Response chain = admin.get("/api/v1/audit/verify");
        assertTrue(chain.body(), chain.json().get("intact").asBoolean());
    }

    @Test
    public void badInputGetsAClearErrorAndThePlatformKeepsServing() {
        Http http = new Http(httpPort());
        Http.Response malformed = http.send("POST", "/api/v1/session", "{\"username\": ", "application/json");
        assertEquals(400, malformed.status());
        assertFalse(malformed.json().get("correlationId").asText().isEmpty());
        assertFalse(malformed.body().contains("Exception"));
        assertEquals(
                415,
                http.send("POST", "/api/v1/session", "username=x", "application/x-www-form-urlencoded")
                        .status());
        assertEquals(
                413,
                http.send(
                                "POST",
                                "/api/v1/session",
                                "{\"username\":\"" + "x".repeat(70_000) + "\"}",
                                "application/json")
                        .status());
        assertEquals(404, http.get("/api/v1/no-such-thing").status());
        assertEquals(200, http.get("/api/v1/health").status());
        assertEquals(200, http.get("/").status());
    }

    /** A Java type's name as it would leak, or a stack frame. */
    private static final java.util.regex.Pattern LEAK = java.util.regex.Pattern.compile(
            "(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_]*|\\$[A-Z][A-Za-z]+|Exception|\\bat [a-z]+\\.");

    /**
     * A corpus of malformed files (empty, random bytes, NUL bytes, UTF-16, a 5 MB line, JSON 10,000 levels deep, an
     * external XML entity, a zip cut in half, a zip leading out of its folder, a zip bomb, a bow-tie polygon with NaN,
     * a text called a workbook) sent to every route that takes a file, in the real distribution with the real
     * readers: no answer is a server error or carries a type name or a stack frame; an import it starts fails; and
     * nothing is stored: the site's records, layers, directory, files and the list of sites are as before, the audit
     * chain verifies and the platform keeps serving.
     */
    @Test
    public void aCorpusOfMalformedFilesSentToEveryFileRouteStoresNothing() throws Exception {
        Http tta = new Http(httpPort());
        assertEquals(200, tta.logIn(ADMIN, PASSWORD).status());
        Http.Response created =
                tta.post("/api/v1/sites", "{\"template\":\"chicago\",\"id\":\"corpus\",\"name\":\"Corpus (test)\"}");
        assertEquals(created.body(), 201, created.status());
        StringBuilder grants = new StringBuilder();
        for (String role : List.of("police", "site-admin", "services", "community", "poc")) {
            grants.append(grants.length() == 0 ? "" : ",")
                    .append("{\"role\":\"")
                    .append(role)
                    .append("\",\"site\":\"corpus\"}");
        }
        assertEquals(
                201,
                tta.post(
                                "/api/v1/users",
                                "{\"username\":\"corpus-all\",\"password\":\"" + PASSWORD + "\",\"grants\":[" + grants
                                        + "]}")
                        .status());
        Http user = new Http(httpPort());
        assertEquals(200, user.logIn("corpus-all", PASSWORD).status());
        await("corpus's records adapter", () -> !plugins(user, "corpus").isEmpty());
        String before = corpusState(tta, user);

        String xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        List<String[]> routes = List.of(
                new String[] {"POST", "/api/v1/sites/corpus/imports?name=corpus.csv", "text/csv"},
                new String[] {"POST", "/api/v1/sites/corpus/layers?name=corpus&file=corpus.zip", "application/zip"},
                new String[] {
                    "POST", "/api/v1/sites/corpus/layers?name=corpus&file=corpus.geojson", "application/geo+json"
                },
                new String[] {"POST", "/api/v1/sites/corpus/directory/import?file=corpus.zip", "application/zip"},
                new String[] {"POST", "/api/v1/sites/corpus/directory/import?file=corpus.json", "application/json"},
                new String[] {"PUT", "/api/v1/sites/corpus/profiles/chicago-clear.json", "application/json"},
                new String[] {"PUT", "/api/v1/sites/corpus/profiles/corpus.json", "application/json"},
                new String[] {
                    "POST", "/api/v1/sites/corpus/profiles/chicago-clear.json/trial?name=corpus.csv", "text/csv"
                },
                new String[] {"POST", "/api/v1/sites/corpus/profile-drafts?name=corpus.csv", "text/csv"},
                new String[] {"POST", "/api/v1/sites/corpus/code-table-drafts?name=corpus.xlsx", xlsx},
                new String[] {"POST", "/api/v1/sites/corpus/code-table-drafts?name=corpus.csv", "text/csv"},
                new String[] {"POST", "/api/v1/sites?name=corpus-site.zip", "application/zip"});
        List<String> broken = new ArrayList<>();
        int sent = 0;
        int imports = 0;
        for (Map.Entry<String, byte[]> file : malformedFiles().entrySet()) {
            for (String[] route : routes) {
                Http who = route[1].startsWith("/api/v1/sites?") ? tta : user;
                Http.Response r = who.sendBytes(route[0], route[1], file.getValue(), route[2]);
                sent++;
                String where = route[0] + " " + route[1] + " with " + file.getKey() + " -> " + r.status();
                if (r.status() >= 500 || LEAK.matcher(r.body()).find()) {
                    broken.add(where + ": " + r.body());
                } else if (r.status() == 202 && route[1].contains("/imports")) {
                    Imports.Import done =
                            awaitImport("corpus", r.json().get("id").asLong());
                    imports++;
                    if (done.status() != Imports.Status.FAILED) {
                        broken.add(where + ": the import of a malformed file reads " + done.status());
                    }
                } else if (r.status() < 300 && !route[1].contains("drafts") && !route[1].contains("/trial")) {
                    broken.add(where + ": a malformed file was stored: " + r.body());
                }
            }
        }
        assertTrue(String.join("\n", broken), broken.isEmpty());
        assertTrue("sent " + sent, sent >= 12 * 12);
        assertEquals(before, corpusState(tta, user));
        assertTrue(tta.get("/api/v1/audit/verify").json().get("intact").asBoolean());
        assertEquals(
                "UP",
                new Http(httpPort()).get("/api/v1/health").json().get("status").asText());
        System.out.printf(
                "malformed files: %d requests, %d imports started and failed, nothing stored%n", sent, imports);
    }

    /** What a malformed file must not change: records, layers, directory, files and the list of sites. */
    private static String corpusState(Http tta, Http user) {
        List<String> sites = new ArrayList<>();
        tta.get("/api/v1/sites")
                .json()
                .get("sites")
                .forEach(s -> sites.add(s.get("id").asText()));
        return String.join(
                "\n",
                String.valueOf(sites),
                user.get("/api/v1/sites/corpus/records/counts?by=total").body(),
                user.get("/api/v1/sites/corpus/layers").body(),
                user.get("/api/v1/sites/corpus/directory").body(),
                user.get("/api/v1/sites/corpus/profiles").body(),
                user.get("/api/v1/sites/corpus/profiles/chicago-clear.json").body());
    }

    private static Map<String, byte[]> malformedFiles() throws IOException {
        Map<String, byte[]> corpus = new java.util.LinkedHashMap<>();
        corpus.put("an empty file", new byte[0]);
        byte[] noise = new byte[64 * 1024];
        new java.util.Random(20261130L).nextBytes(noise);
        corpus.put("random bytes", noise);
        corpus.put("NUL bytes", "ID,Date\n1,\u0000\u0000\n2,01/02/2026\u0000\n".getBytes(StandardCharsets.UTF_8));
        java.io.ByteArrayOutputStream utf16 = new java.io.ByteArrayOutputStream();
        utf16.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        utf16.write("ID,Date,Block\n1,x,\u00e9\n".getBytes(StandardCharsets.UTF_16LE));
        corpus.put("UTF-16", utf16.toByteArray());
        corpus.put("a 5 MB line", "A".repeat(5_000_000).getBytes(StandardCharsets.US_ASCII));
        corpus.put(
                "JSON 10,000 levels deep",
                ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.US_ASCII));
        corpus.put(
                "an external XML entity",
                ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>")
                        .getBytes(StandardCharsets.US_ASCII));
        byte[] zip = zip(Map.of(
                "beats.geojson",
                "{\"type\":\"FeatureCollection\",\"features\":[]}".getBytes(StandardCharsets.UTF_8),
                "services.json",
                "[]".getBytes(StandardCharsets.UTF_8)));
        corpus.put("a zip cut in half", java.util.Arrays.copyOf(zip, zip.length / 2));
        corpus.put("a zip leading out", zip(Map.of("../../escape.json", "{}".getBytes(StandardCharsets.UTF_8))));
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(bomb)) {
            out.putNextEntry(new java.util.zip.ZipEntry("site.cfg"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 300; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        corpus.put("a zip of 300 MB of zeros", bomb.toByteArray());
        corpus.put(
                "a bow-tie polygon and NaN",
                ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
                                + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}},"
                                + "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
                                + "\"coordinates\":[NaN,1e999]}}]}")
                        .getBytes(StandardCharsets.US_ASCII));
        byte[] fakeWorkbook = new byte[4096];
        new java.util.Random(7L).nextBytes(fakeWorkbook);
        System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, fakeWorkbook, 0, 4);
        corpus.put("a text called a workbook", fakeWorkbook);
        return corpus;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
