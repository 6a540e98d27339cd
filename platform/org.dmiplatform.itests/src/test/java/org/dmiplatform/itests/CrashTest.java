package org.dmiplatform.itests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The crash test (run by {@code ./dmi crash-test}, not in the normal test time): the platform, started by
 * {@code ./dmi start} on the embedded store or on PostgreSQL, is killed with {@code kill -9} at a random moment while
 * it imports an export, while a team manager adds members, while the police enter persons on the dealer list and
 * while a TTA administrator provisions a site, again and again. After every kill it must start again, the store must
 * pass SQLite's integrity check (embedded store) and the audit chain its verification, and each operation must be as
 * before or as after, never between: the records exactly as before the import or exactly as after it (the import
 * INTERRUPTED, nothing of it published); every member and person the platform acknowledged there, and of those it did
 * not, at most the one in flight; a site whose provisioning was interrupted either absent, and provisioned afresh
 * under the same name, or whole, with its plug-ins bound.
 *
 * <p>Usage: {@code CrashTest [kills] [rows] [seed] [sqlite|postgresql]} (defaults 50, 100000, 20261130, sqlite).
 * Prints one line per kill and a summary; exits 1 on the first broken promise.
 */
public final class CrashTest {
    private static final String PASSWORD = "violet kettle over 7 bridges";
    private static final DateTimeFormatter CHICAGO_DATE =
            DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", Locale.US);

    private final Launcher launcher;
    private final Random random;
    private final int rows;
    private final Set<String> acknowledgedMembers = new HashSet<>();
    private final Set<String> acknowledgedPersons = new HashSet<>();
    private long personsKept;
    private final String store;
    private String postgresDatabase;
    private long records;
    private long intervention;

    private CrashTest(int rows, long seed, String store) throws Exception {
        this.launcher = new Launcher("crash-test-" + store);
        this.random = new Random(seed);
        this.rows = rows;
        this.store = store;
        launcher.env.put("DMI_ADMIN_USER", "crash-admin");
        launcher.env.put("DMI_ADMIN_PASSWORD", PASSWORD);
        if (store.equals("postgresql")) {
            postgresDatabase = "dmi_crash_" + System.currentTimeMillis();
            postgres("CREATE DATABASE " + postgresDatabase);
            launcher.env.put("DMI_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + postgresDatabase);
            launcher.env.put("DMI_DB_USER", "postgres");
        } else if (!store.equals("sqlite")) {
            throw new IllegalArgumentException("the store is sqlite or postgresql, not " + store);
        }
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261130L;
        String store = args.length > 3 ? args[3] : "sqlite";
        CrashTest test = new CrashTest(rows, seed, store);
        boolean kept;
        try {
            kept = test.run(kills);
        } finally {
            test.launcher.close();
            if (test.postgresDatabase != null) {
                postgres("DROP DATABASE IF EXISTS " + test.postgresDatabase + " WITH (FORCE)");
            }
        }
        System.exit(kept ? 0 : 1);
    }

    private static void postgres(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(System.getProperty(
                        "dmi.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private boolean run(int kills) throws Exception {
        System.out.printf("crash test: %d kills, %,d rows an import, data in %s%n", kills, rows, launcher.data);
        launcher.start();
        Http admin = launcher.http();
        admin.logIn("crash-admin", PASSWORD);
        expect(admin.post("/api/v1/sites", "{\"template\":\"chicago\"}").status() == 201, "chicago provisioned");
        expect(
                admin.post(
                                        "/api/v1/users",
                                        "{\"username\":\"crash-police\",\"password\":\"" + PASSWORD
                                                + "\",\"grants\":[{\"role\":\"police\",\"site\":\"chicago\"},"
                                                + "{\"role\":\"site-admin\",\"site\":\"chicago\"}]}")
                                .status()
                        == 201,
                "crash-police created");
        awaitAdapter();
        int published = 0;
        int interrupted = 0;
        int sitesWhole = 0;
        int sitesAbsent = 0;
        int sitesAcknowledged = 0;
        int sitesUnaudited = 0;
        int sitesAuditedAbsent = 0;
        int membersInFlight = 0;
        int personsInFlight = 0;
        List<Long> killedAfter = new ArrayList<>();
        for (int kill = 1; kill <= kills; kill++) {
            Path export = export(kill);
            Http police = launcher.http();
            police.logIn("crash-police", PASSWORD);
            Http persons = launcher.http();
            persons.logIn("crash-police", PASSWORD);
            Http provisioner = launcher.http();
            provisioner.logIn("crash-admin", PASSWORD);
            // each round's persons go on a market of its own, so that its list stays short
            Http.Response market = police.post(
                    "/api/v1/sites/chicago/interventions",
                    "{\"name\":\"Crash market " + kill + "\",\"startedOn\":\"2026-03-01\",\"rationale\":\"kill -9\"}");
            expect(market.status() == 201, "intervention started: " + market.body());
            intervention = market.json().get("id").asLong();
            acknowledgedPersons.clear();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread members = memberWriter(police, kill, writing);
            Thread dealers = personWriter(persons, kill, writing);
            Http.Response started = police.send(
                    "POST",
                    "/api/v1/sites/chicago/imports?name=crash-" + kill + ".csv",
                    Files.readString(export),
                    "text/csv");
            expect(started.status() == 202, "import " + kill + " started: " + started.body());
            long importId = started.json().get("id").asLong();
            members.start();
            dealers.start();
            long delay = 300 + random.nextInt(9_000);
            // the site is provisioned shortly before the kill, so that the kill often lands in it
            long provisionAt = Math.max(0, delay - random.nextInt(600));
            String siteId = "crash" + kill;
            AtomicBoolean siteAcknowledged = new AtomicBoolean();
            Thread provisioning = new Thread(() -> {
                try {
                    Thread.sleep(provisionAt);
                    siteAcknowledged.set(provision(provisioner, siteId).status() == 201);
                } catch (RuntimeException | InterruptedException dead) {
                    // the platform died under the request
                }
            });
            provisioning.start();
            Thread.sleep(delay);
            long pid = Long.parseLong(
                    Files.readString(launcher.data.resolve("runtime/karaf.pid")).strip());
            new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
            writing.set(false);
            members.join();
            dealers.join();
            provisioning.join();
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(50);
            }
            killedAfter.add(delay);

            launcher.start();
            Http check = launcher.http();
            check.logIn("crash-police", PASSWORD);
            expect(store.equals("postgresql") || integrityOk(), "store intact after kill " + kill);
            JsonNode imported =
                    check.get("/api/v1/sites/chicago/imports/" + importId).json();
            String status = imported.get("status").asText();
            long now = check.get("/api/v1/sites/chicago/records/counts?by=total")
                    .json()
                    .get("count")
                    .asLong();
            if (status.equals("PUBLISHED")) {
                expect(now == records + imported.get("inserted").asLong(), "records after publish: " + now);
                expect(imported.get("inserted").asLong() == rows, "every row published: " + imported);
                published++;
            } else {
                expect(status.equals("INTERRUPTED"), "import " + importId + " reads " + status);
                expect(now == records, "records as before the interrupted import: " + now + " vs " + records);
                interrupted++;
            }
            records = now;
            Set<String> present = new HashSet<>();
            check.get("/api/v1/sites/chicago/team")
                    .json()
                    .get("members")
                    .forEach(m -> present.add(m.get("name").asText()));
            membersInFlight += asBeforeOrAfter("member", present, acknowledgedMembers);
            Set<String> entered = new HashSet<>();
            check.get("/api/v1/sites/chicago/interventions/" + intervention + "/persons")
                    .json()
                    .get("persons")
                    .forEach(p -> entered.add(p.get("name").asText()));
            personsInFlight += asBeforeOrAfter("person", entered, acknowledgedPersons);
            personsKept += acknowledgedPersons.size();
            Http auditor = launcher.http();
            auditor.logIn("crash-admin", PASSWORD);
            // the site provisioned at the kill: whole, or absent and provisioned afresh
            Http.Response site = auditor.get("/api/v1/sites/" + siteId);
            String siteState;
            if (site.status() == 200) {
                awaitPlugins(auditor, siteId);
                sitesWhole++;
                siteState = "whole";
                // the audit entry follows the site's files: a kill between the two leaves a site without it
                if (auditor.get("/api/v1/audit?action=site.provision&site=" + siteId)
                        .json()
                        .get("entries")
                        .isEmpty()) {
                    sitesUnaudited++;
                    siteState = "whole, its provisioning not audited";
                }
            } else {
                expect(site.status() == 404, "site " + siteId + " answers " + site.status());
                expect(!siteAcknowledged.get(), "acknowledged site " + siteId + " is there");
                // the entry comes just before the site's own file: a kill between the two leaves it without a site
                if (!auditor.get("/api/v1/audit?action=site.provision&site=" + siteId)
                        .json()
                        .get("entries")
                        .isEmpty()) {
                    sitesAuditedAbsent++;
                }
                Http.Response again = provision(auditor, siteId);
                expect(again.status() == 201, "site " + siteId + " provisioned afresh: " + again.body());
                awaitPlugins(auditor, siteId);
                sitesAbsent++;
                siteState = "absent, provisioned afresh";
            }
            if (siteAcknowledged.get()) {
                sitesAcknowledged++;
            }
            expect(auditor.get("/api/v1/audit/verify").json().get("intact").asBoolean(), "audit chain intact");
            System.out.printf(
                    "kill %3d after %5d ms: import %s, %,d records, %d members and %d persons acknowledged, site %s %s;"
                            + " %s and audit chain intact%n",
                    kill,
                    delay,
                    status,
                    records,
                    acknowledgedMembers.size(),
                    personsKept,
                    siteId,
                    siteState,
                    store.equals("sqlite") ? "store" : "PostgreSQL");
            Files.deleteIfExists(export);
        }
        launcher.dmi("stop");
        System.out.printf(
                "%d kills on %s: %d imports published before the kill, %d interrupted and shown so; every restart"
                        + " intact, records always as before or after; %d members and %d persons acknowledged, all kept"
                        + " (%d and %d unacknowledged ones in flight found stored); sites provisioned at the kill: %d"
                        + " whole (%d of them acknowledged, %d without their audit entry), %d absent and provisioned"
                        + " afresh (%d of them audited)%n",
                kills,
                store,
                published,
                interrupted,
                acknowledgedMembers.size(),
                personsKept,
                membersInFlight,
                personsInFlight,
                sitesWhole,
                sitesAcknowledged,
                sitesUnaudited,
                sitesAbsent,
                sitesAuditedAbsent);
        return true;
    }

    /**
     * Every acknowledged write is there, and of the rest at most the one in flight at the kill; that one then counts
     * as acknowledged too (it is stored). Returns how many unacknowledged writes were found stored (0 or 1).
     */
    private static int asBeforeOrAfter(String what, Set<String> present, Set<String> acknowledged) {
        synchronized (acknowledged) {
            for (String name : acknowledged) {
                expect(present.contains(name), "acknowledged " + what + " " + name + " is there");
            }
            Set<String> extra = new HashSet<>(present);
            extra.removeAll(acknowledged);
            expect(extra.size() <= 1, "at most the " + what + " in flight is stored unacknowledged: " + extra);
            acknowledged.addAll(extra);
            return extra.size();
        }
    }

    /** Chicago's template under another name: five plug-in configurations, profiles and the site's settings. */
    private static Http.Response provision(Http admin, String siteId) {
        return admin.post(
                "/api/v1/sites",
                "{\"template\":\"chicago\",\"id\":\"" + siteId + "\",\"name\":\"Crash site " + siteId + "\"}");
    }

    /** A whole site binds every plug-in its configuration names. */
    private static void awaitPlugins(Http admin, String siteId) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode site = admin.get("/api/v1/sites/" + siteId).json();
            if (site.path("missing").isArray()
                    && site.path("missing").isEmpty()
                    && site.path("plugins").size() == 5) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("BROKEN: site " + siteId + " never bound its plug-ins");
    }

    /** A police officer entering persons on the dealer list one after the other until the platform dies. */
    private Thread personWriter(Http http, int kill, AtomicBoolean writing) {
        return new Thread(() -> {
            for (int i = 0; writing.get(); i++) {
                String name = "Crash person " + kill + "-" + i;
                try {
                    Http.Response r = http.post(
                            "/api/v1/sites/chicago/interventions/" + intervention + "/persons",
                            "{\"name\":\"" + name + "\",\"alias\":\"\",\"level\":\"street\","
                                    + "\"justification\":\"observed sales\",\"source\":\"crash survey\"}");
                    if (r.status() == 201) {
                        synchronized (acknowledgedPersons) {
                            acknowledgedPersons.add(name);
                        }
                    }
                } catch (RuntimeException dead) {
                    return;
                }
            }
        });
    }

    /** A team manager adding members one after the other until the platform dies; remembers what it was told. */
    private Thread memberWriter(Http http, int kill, AtomicBoolean writing) {
        return new Thread(() -> {
            for (int i = 0; writing.get(); i++) {
                String name = "Crash member " + kill + "-" + i;
                try {
                    Http.Response r = http.post(
                            "/api/v1/sites/chicago/team/members",
                            "{\"name\":\"" + name
                                    + "\",\"agency\":\"test\",\"role\":\"outreach\",\"pointOfContact\":false,"
                                    + "\"startedOn\":\"2026-11-01\",\"contact\":\"\"}");
                    if (r.status() == 201) {
                        synchronized (acknowledgedMembers) {
                            acknowledgedMembers.add(name);
                        }
                    }
                } catch (RuntimeException dead) {
                    return;
                }
            }
        });
    }

    private void awaitAdapter() throws InterruptedException {
        Http police = launcher.http();
        police.logIn("crash-police", PASSWORD);
        for (int i = 0; i < 200; i++) {
            if (police.get("/api/v1/sites/chicago/imports")
                            .json()
                            .get("adapters")
                            .size()
                    > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chicago got no records adapter");
    }

    /** SQLite's own check of every page and index, read beside the running platform (WAL allows it). */
    private boolean integrityOk() throws Exception {
        Path store = launcher.data.resolve("db/dmi.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store + "?open_mode=1");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            String answer = rs.getString(1);
            if (!answer.equals("ok")) {
                System.out.println("integrity_check: " + answer);
            }
            return answer.equals("ok");
        }
    }

    /** A Chicago-shaped export of new incidents: ids of this round, so a published import adds every row. */
    private Path export(int round) throws IOException {
        Path file = Files.createTempFile(launcher.data.getParent(), "crash-" + round, ".csv");
        LocalDateTime start = LocalDateTime.of(2016, 1, 1, 0, 0);
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write(
                    "ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,"
                            + "District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,"
                            + "Location\n");
            for (int i = 0; i < rows; i++) {
                LocalDateTime at = start.plusMinutes(random.nextInt(60 * 24 * 300));
                double lat = 41.70 + random.nextDouble() * 0.25;
                double lon = -87.75 + random.nextDouble() * 0.15;
                out.write(String.format(
                        Locale.ROOT,
                        "%d,CT%d%07d,%s,016XX W 77TH ST,0486,BATTERY,DOMESTIC BATTERY SIMPLE,RESIDENCE,false,true,0611,006,"
                                + "17,71,08B,,,2016,%s,%.6f,%.6f,\"(%.6f, %.6f)\"%n",
                        round * 10_000_000L + i,
                        round,
                        i,
                        at.format(CHICAGO_DATE),
                        at.format(CHICAGO_DATE),
                        lat,
                        lon,
                        lat,
                        lon));
            }
        }
        return file;
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("BROKEN at " + Instant.now() + ": " + what);
        }
    }
}
