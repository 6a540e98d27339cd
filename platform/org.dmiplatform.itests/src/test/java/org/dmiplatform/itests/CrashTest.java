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
 * The crash test of the embedded store (run by {@code ./dmi crash-test}, not in the normal test time): the platform,
 * started by {@code ./dmi start} on its embedded default, is killed with {@code kill -9} at a random moment while it
 * imports a 100,000-row export and while a team manager adds members, again and again. After every kill it must start
 * again, the store must pass SQLite's integrity check and the audit chain its verification, the records must be
 * exactly as before the import or exactly as after it, the interrupted import must read INTERRUPTED (and nothing of
 * it published), and every team member the platform acknowledged must be there.
 *
 * <p>Usage: {@code CrashTest [kills] [rows] [seed]} (defaults 50, 100000, 20261130). Prints one line per kill and a
 * summary; exits 1 on the first broken promise.
 */
public final class CrashTest {
    private static final String PASSWORD = "violet kettle over 7 bridges";
    private static final DateTimeFormatter CHICAGO_DATE =
            DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", Locale.US);

    private final Launcher launcher;
    private final Random random;
    private final int rows;
    private final Set<String> acknowledgedMembers = new HashSet<>();
    private long records;

    private CrashTest(int rows, long seed) throws IOException {
        this.launcher = new Launcher("crash-test");
        this.random = new Random(seed);
        this.rows = rows;
        launcher.env.put("DMI_ADMIN_USER", "crash-admin");
        launcher.env.put("DMI_ADMIN_PASSWORD", PASSWORD);
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261130L;
        CrashTest test = new CrashTest(rows, seed);
        try {
            System.exit(test.run(kills) ? 0 : 1);
        } finally {
            test.launcher.close();
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
        List<Long> killedAfter = new ArrayList<>();
        for (int kill = 1; kill <= kills; kill++) {
            Path export = export(kill);
            Http police = launcher.http();
            police.logIn("crash-police", PASSWORD);
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread members = memberWriter(police, kill, writing);
            Http.Response started = police.send(
                    "POST",
                    "/api/v1/sites/chicago/imports?name=crash-" + kill + ".csv",
                    Files.readString(export),
                    "text/csv");
            expect(started.status() == 202, "import " + kill + " started: " + started.body());
            long importId = started.json().get("id").asLong();
            members.start();
            long delay = 300 + random.nextInt(9_000);
            Thread.sleep(delay);
            long pid = Long.parseLong(
                    Files.readString(launcher.data.resolve("runtime/karaf.pid")).strip());
            new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
            writing.set(false);
            members.join();
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(50);
            }
            killedAfter.add(delay);

            launcher.start();
            Http check = launcher.http();
            check.logIn("crash-police", PASSWORD);
            expect(integrityOk(), "store intact after kill " + kill);
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
            for (String name : acknowledgedMembers) {
                expect(present.contains(name), "acknowledged member " + name + " is there");
            }
            Http auditor = launcher.http();
            auditor.logIn("crash-admin", PASSWORD);
            expect(auditor.get("/api/v1/audit/verify").json().get("intact").asBoolean(), "audit chain intact");
            System.out.printf(
                    "kill %2d after %5d ms: import %s, %,d records, %d members acknowledged, store and audit chain intact%n",
                    kill, delay, status, records, acknowledgedMembers.size());
            Files.deleteIfExists(export);
        }
        launcher.dmi("stop");
        System.out.printf(
                "%d kills: %d imports published before the kill, %d interrupted and shown so; every restart intact,"
                        + " records always as before or after, %d acknowledged writes all kept%n",
                kills, published, interrupted, acknowledgedMembers.size());
        return true;
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
