package org.dmiplatform.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.PlatformHealth;
import org.dmiplatform.api.PluginConfiguration;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.User;
import org.dmiplatform.core.internal.access.AccountsImpl;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.access.PasswordHasher;
import org.dmiplatform.core.internal.access.PasswordPolicy;
import org.dmiplatform.core.internal.access.SessionsImpl;
import org.dmiplatform.core.internal.imports.ImportsImpl;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.dmiplatform.core.internal.programme.CallInsImpl;
import org.dmiplatform.core.internal.programme.CommunityWorkImpl;
import org.dmiplatform.core.internal.programme.MarketImpl;
import org.dmiplatform.core.internal.programme.ProgrammeImpl;
import org.dmiplatform.core.internal.programme.TeamsImpl;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.store.RecordsStoreImpl;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;

/** The API over real accounts, sessions and audit log on SQLite, with two sites and a fake provisioning. */
final class ApiFixture implements AutoCloseable {
    static final String PASSWORD = "violet kettle over 7 bridges";

    final TestDatabases.Fresh fresh = TestDatabases.fresh("sqlite");
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T15:00:00Z"));
    final Database database = Database.on(fresh.dataSource());
    final AuditLogImpl audit = new AuditLogImpl(database, clock);
    final FakeSites sites = new FakeSites("chicago", "denver");
    final AccountsImpl accounts =
            new AccountsImpl(database, audit, sites, clock, new PasswordHasher(1000), PasswordPolicy.standard());
    final SessionsImpl sessions = new SessionsImpl(database, accounts, clock);
    final TeamsImpl teams = new TeamsImpl(database, audit, sites, clock);
    final ProgrammeImpl programme =
            new ProgrammeImpl(database, audit, sites, teams, ProgrammeImpl.standardDefinition(), clock);
    final MarketImpl market = new MarketImpl(database, audit, sites, programme, clock);
    final CallInsImpl callIns = new CallInsImpl(database, audit, sites, programme, clock);
    final CommunityWorkImpl community = new CommunityWorkImpl(database, audit, clock);
    final org.dmiplatform.core.internal.programme.TreatmentConsentsImpl consents =
            new org.dmiplatform.core.internal.programme.TreatmentConsentsImpl(database, audit, sites, accounts, clock);
    final org.dmiplatform.core.internal.programme.FollowUpsImpl followUps =
            new org.dmiplatform.core.internal.programme.FollowUpsImpl(database, audit, sites, clock);
    final org.dmiplatform.core.internal.programme.MarketAlertsImpl alerts =
            org.dmiplatform.core.internal.programme.MarketAlertsImpl.byHand(database, audit, sites, programme, clock);
    final org.dmiplatform.core.internal.programme.MaterialsImpl materials =
            new org.dmiplatform.core.internal.programme.MaterialsImpl(database, audit, sites, clock);
    /** The add-ons the tests set. */
    final org.dmiplatform.testing.FakeAddOns addOns = new org.dmiplatform.testing.FakeAddOns();
    /** The plug-ins the tests bind ({@link #bind}). */
    final Plugins plugins = new Plugins();

    final ImportsImpl imports = ImportsImpl.onOneNode(database, sites, audit, plugins, clock, folder("imports"));
    final RecordsStoreImpl records = new RecordsStoreImpl(database, sites, audit);
    final org.dmiplatform.core.internal.programme.PerformanceMeasuresImpl performance =
            new org.dmiplatform.core.internal.programme.PerformanceMeasuresImpl(
                    database, audit, sites, programme, records);
    /** The sites' profile folders ({@code <site>/profiles/}). */
    final java.nio.file.Path sitesFolder = folder("sites");

    final org.dmiplatform.core.internal.profile.RecordsProfilesImpl profiles =
            org.dmiplatform.core.internal.profile.RecordsProfilesImpl.in(sitesFolder, sites::find);
    /** Runs, made on a schedule of their own in memory, as on one node. */
    final org.dmiplatform.core.internal.schedule.Schedule schedule = startedSchedule(database);

    final org.dmiplatform.core.internal.schedule.RunsImpl runs =
            org.dmiplatform.core.internal.schedule.RunsImpl.on(database, sites, accounts, schedule, clock);
    /** The runs as the API sees them: {@link HeldRuns#hold} keeps runs from being made until released. */
    final HeldRuns heldRuns = new HeldRuns(runs);

    final Api api = ApiServlet.create(
            new ApiServlet.Services(
                    this::health,
                    sites,
                    new Provisioning(),
                    accounts,
                    sessions,
                    audit,
                    programme,
                    teams,
                    market,
                    callIns,
                    community,
                    consents,
                    followUps,
                    alerts,
                    performance,
                    new org.dmiplatform.core.internal.programme.ProcessReportsImpl(database, programme),
                    new org.dmiplatform.core.internal.programme.DebriefsImpl(
                            database,
                            audit,
                            programme,
                            new org.dmiplatform.core.internal.programme.DebriefsImpl.Sources(
                                    sites, callIns, community, alerts),
                            clock),
                    materials,
                    imports,
                    records,
                    profiles,
                    java.util.Optional::empty,
                    addOns,
                    heldRuns),
            clock,
            LoginThrottle.DEFAULT_ATTEMPTS,
            1024 * 1024);

    private PlatformHealth.Report health() {
        return new PlatformHealth.Report(
                PlatformHealth.Status.UP,
                false,
                "test",
                List.of(),
                new PlatformHealth.Storage("SQLite", 1, true),
                List.of());
    }

    /** Runs as the API uses them, whose making a test can hold back: what is made then lands when the test says. */
    static final class HeldRuns implements org.dmiplatform.api.Runs {
        private final org.dmiplatform.api.Runs inner;
        private volatile Maker maker;
        private volatile Registration registration;

        HeldRuns(org.dmiplatform.api.Runs inner) {
            this.inner = inner;
        }

        /** No run is made (they wait) until {@link #release}. */
        void hold() {
            registration.close();
        }

        void release() {
            registration = inner.maker(maker);
        }

        @Override
        public Registration maker(Maker made) {
            maker = made;
            registration = inner.maker(made);
            return () -> registration.close();
        }

        @Override
        public Run submit(String site, String request, org.dmiplatform.api.access.Caller caller) {
            return inner.submit(site, request, caller);
        }

        @Override
        public List<Run> runs(String site, int limit, org.dmiplatform.api.access.Caller caller) {
            return inner.runs(site, limit, caller);
        }

        @Override
        public Run run(String site, long id, org.dmiplatform.api.access.Caller caller) {
            return inner.run(site, id, caller);
        }

        @Override
        public Optional<Result> result(String site, long id, org.dmiplatform.api.access.Caller caller) {
            return inner.result(site, id, caller);
        }
    }

    private static org.dmiplatform.core.internal.schedule.Schedule startedSchedule(Database database) {
        org.dmiplatform.core.internal.schedule.Schedule started =
                new org.dmiplatform.core.internal.schedule.Schedule("test node", java.time.Duration.ofSeconds(7), 2);
        started.start(database, false);
        return started;
    }

    private static java.nio.file.Path folder(String name) {
        try {
            return java.nio.file.Files.createTempDirectory(name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Binds a records adapter to a site, as its plug-in "test-adapter". */
    void bind(String site, org.dmiplatform.api.records.RecordsAdapter adapter) {
        plugins.add(new Plugins.Plugin(
                site,
                org.dmiplatform.api.PluginKind.RECORDS_ADAPTER,
                "test-adapter",
                0,
                site.hashCode(),
                "test",
                adapter,
                Map.of()));
    }

    User user(String name, Grant... grants) {
        return accounts.create(new NewUser(name, name, PASSWORD.toCharArray(), List.of(grants)), Actor.SYSTEM);
    }

    /** A logged-in client: its cookie and CSRF token. */
    record Client(String cookie, String csrf) {}

    /**
     * Logs in from an address of the user's own, so many users do not trip the per-address throttle; gives the code
     * from the account's app when the log-in asks for it, enrolling first where an administrator must.
     */
    Client logIn(String name) {
        String address = "198.51.100." + (Math.abs(name.hashCode() % 250) + 1);
        String body = "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}";
        Response r = send("POST", "/session", body, null, Map.of("content-type", "application/json"), address);
        if (r.status() == 202) {
            r = secondFactor(name, r.json(), address);
        }
        if (r.status() != 200) {
            throw new AssertionError("log-in of " + name + " failed: " + r.text());
        }
        String cookie = r.raw().header("Set-Cookie");
        return new Client(
                cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')),
                r.json().get("csrfToken").asText());
    }

    /** The secrets of the accounts' authenticator apps, by user name, as enrolment gave them. */
    final Map<String, String> authenticators = new HashMap<>();

    private final Map<String, Long> lastStep = new HashMap<>();

    /** Answers a log-in's request for the second factor as the holder would, enrolling first when required. */
    Response secondFactor(String name, JsonNode request, String address) {
        Map<String, String> json = Map.of("content-type", "application/json");
        String token = request.get("token").asText();
        if (request.get("enrolmentRequired").asBoolean()) {
            Response enrolment = send(
                    "POST", "/session/second-factor/enrolment", "{\"token\":\"" + token + "\"}", null, json, address);
            if (enrolment.status() != 200) {
                throw new AssertionError("enrolment of " + name + " failed: " + enrolment.text());
            }
            authenticators.put(name, enrolment.json().get("secret").asText());
        }
        String body = "{\"token\":\"" + token + "\",\"code\":\"" + code(name) + "\"}";
        return send("POST", "/session/second-factor", body, null, json, address);
    }

    /**
     * A code from the account's app that was not used yet: a code is accepted once, so a second log-in within the same
     * 30 s takes the next step's code (accepted a step early), and a third moves the clock on.
     */
    String code(String name) {
        String secret = authenticators.get(name);
        if (secret == null) {
            throw new AssertionError(name + " has no authenticator app enrolled here");
        }
        long step = Math.max(step(), lastStep.getOrDefault(name, Long.MIN_VALUE) + 1);
        while (step > step() + 1) {
            clock.advance(java.time.Duration.ofSeconds(30));
        }
        lastStep.put(name, step);
        try {
            return new dev.samstevens.totp.code.DefaultCodeGenerator(dev.samstevens.totp.code.HashingAlgorithm.SHA1, 6)
                    .generate(secret, step);
        } catch (dev.samstevens.totp.exceptions.CodeGenerationException e) {
            throw new AssertionError(e);
        }
    }

    private long step() {
        return clock.instant().getEpochSecond() / 30;
    }

    Response send(String method, String path, String body, Client client) {
        Map<String, String> headers = new HashMap<>();
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        if (client != null) {
            headers.put("x-csrf-token", client.csrf());
        }
        return send(method, path, body, client, headers);
    }

    Response send(String method, String path, String body, Client client, Map<String, String> headers) {
        return send(method, path, body, client, headers, "192.0.2.10");
    }

    Response send(String method, String path, String body, Client client, Map<String, String> headers, String address) {
        Map<String, String> cookies = new LinkedHashMap<>();
        if (client != null) {
            cookies.put(Api.SESSION_COOKIE, client.cookie());
        }
        String[] parts = path.split("\\?", 2);
        ApiRequest request = new ApiRequest(
                method,
                parts[0],
                ApiServlet.query(parts.length > 1 ? parts[1] : null),
                headers,
                cookies,
                address,
                false,
                new ByteArrayInputStream(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
        return new Response(api.handle(request));
    }

    /** Starts an intervention at the site as the client (who must be allowed to), and gives its id. */
    long intervention(String site, Client client) {
        Response created = send(
                "POST",
                "/sites/" + site + "/interventions",
                "{\"name\":\"East Colfax\",\"startedOn\":\"2026-03-01\",\"rationale\":\"drug calls\"}",
                client);
        if (created.status() != 201) {
            throw new AssertionError("the intervention was not started: " + created.text());
        }
        return created.json().get("id").asLong();
    }

    /** How many audit entries have the action, however many. */
    long auditCount(String action) {
        return database.read(c -> org.dmiplatform.core.internal.storage.Sql.one(
                        c, "SELECT COUNT(*) FROM audit_log WHERE action_name = ?", rs -> rs.getLong(1), action)
                .orElse(0L));
    }

    List<AuditEntry> audit(String action) {
        return audit.recent(Optional.empty(), Optional.of(action), 100);
    }

    @Override
    public void close() {
        api.close();
        imports.deactivate();
        schedule.deactivate();
        fresh.close();
    }

    record Response(ApiResponse raw) {
        int status() {
            return raw.status();
        }

        String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }
    }

    /** Provisioning without ConfigurationAdmin: checks settings like the real one and adds the site. */
    final class Provisioning implements SiteProvisioning {
        @Override
        public SiteDefinition read(Path folder) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SiteDefinition define(
                Map<String, String> settings,
                List<PluginConfiguration> plugins,
                Map<String, String> profiles,
                String source) {
            return new SiteDefinition(
                    new Site(
                            settings.get("id"),
                            settings.get("name"),
                            settings.get("jurisdiction"),
                            java.time.ZoneId.of(settings.get("timeZone")),
                            List.of(),
                            "",
                            settings.getOrDefault("features", "").isBlank()
                                    ? List.of()
                                    : List.of(settings.get("features").split("\\s*,\\s*")),
                            java.util.Optional.empty()),
                    plugins,
                    profiles);
        }

        @Override
        public Site provision(SiteDefinition definition, Actor actor) {
            sites.add(definition.site());
            audit.record(new AuditEvent(
                    actor.name(),
                    definition.site().id(),
                    "site.provision",
                    "site:" + definition.site().id(),
                    actor.from(),
                    AuditOutcome.SUCCESS,
                    ""));
            return definition.site();
        }

        @Override
        public Site configure(Site site, Actor actor) {
            sites.add(site);
            // as SiteProvisioningImpl: one entry for the change
            audit.record(new AuditEvent(
                    actor.name(),
                    site.id(),
                    "site.configure",
                    "site:" + site.id(),
                    actor.from(),
                    AuditOutcome.SUCCESS,
                    site.settings().toString()));
            return site;
        }

        /** The site with the profile files of its folder ({@code sitesFolder/<site>/profiles}) and no plug-ins. */
        @Override
        public SiteDefinition export(String site) {
            Site found = sites.find(site).orElseThrow();
            Map<String, String> files = new java.util.TreeMap<>();
            Path folder = sitesFolder.resolve(site).resolve("profiles");
            if (java.nio.file.Files.isDirectory(folder)) {
                try (java.util.stream.Stream<Path> list = java.nio.file.Files.list(folder)) {
                    for (Path file : list.toList()) {
                        files.put(file.getFileName().toString(), java.nio.file.Files.readString(file));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return new SiteDefinition(found, List.of(), files);
        }

        /** The profile files as a zip, under {@code profiles/}. */
        @Override
        public void exportFolder(String site, java.io.OutputStream zip) {
            try {
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip);
                for (Map.Entry<String, String> file : export(site).profiles().entrySet()) {
                    out.putNextEntry(new java.util.zip.ZipEntry("profiles/" + file.getKey()));
                    out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
                out.finish();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public SiteDefinition readZip(String name, java.io.InputStream zip) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void saveProfileFile(String site, String name, String text, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeProfileFile(String site, String name, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void configurePlugin(String site, String factoryPid, Map<String, String> properties, Actor actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> templates() {
            return List.copyOf(templates.keySet());
        }

        @Override
        public SiteDefinition template(String name) {
            return templates(List.of(name)).get(0);
        }

        /** The fixture's {@link #templates}, an unknown name refused as the real provisioning refuses it. */
        @Override
        public List<SiteDefinition> templates(List<String> names) {
            List<org.dmiplatform.api.InputError> errors = new java.util.ArrayList<>();
            List<SiteDefinition> out = new java.util.ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                SiteDefinition template = templates.get(names.get(i));
                if (template == null) {
                    errors.add(org.dmiplatform.api.InputError.of(
                            "templates", "templates[" + i + "]", "no template '" + names.get(i) + "'"));
                } else {
                    out.add(template);
                }
            }
            if (!errors.isEmpty()) {
                throw new org.dmiplatform.api.InvalidInputException(errors);
            }
            return out;
        }

        @Override
        public List<SiteDefinition> readAll(Path parent) {
            throw new UnsupportedOperationException();
        }

        /** Each site not yet there, or not as defined, provisioned as {@link #provision} does; the others left. */
        @Override
        public List<Provisioned> provisionAll(List<SiteDefinition> definitions, Actor actor) {
            List<Provisioned> out = new java.util.ArrayList<>();
            for (SiteDefinition definition : definitions) {
                Optional<Site> now = sites.find(definition.site().id());
                if (now.filter(definition.site()::equals).isPresent()) {
                    out.add(new Provisioned(definition.site(), Outcome.UNCHANGED, definition.recordsSystem()));
                } else {
                    provision(definition, actor);
                    out.add(new Provisioned(
                            definition.site(),
                            now.isPresent() ? Outcome.UPDATED : Outcome.CREATED,
                            definition.recordsSystem()));
                }
            }
            return out;
        }
    }

    /** The templates {@link Provisioning} ships, by name: none until a test adds them. */
    final Map<String, SiteDefinition> templates = new java.util.TreeMap<>();
}
