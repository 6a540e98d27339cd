package org.dmiplatform.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Two nodes on loopback, as an operator runs them: two runtimes of the distribution started by {@code ./dmi}, one
 * PostgreSQL database and one data folder between them. A site provisioned on one is served by both; an import whose
 * node is killed mid-way is finished by the other, once.
 */
public class ClusterIT {
    private static final String POSTGRES =
            System.getProperty("dmi.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final String PASSWORD = LauncherIT.PASSWORD;
    /** Rows of the generated export: long enough an import to kill its node mid-way. */
    private static final int ROWS = 300_000;

    private String database;
    private Path shared;
    private Launcher a;
    private Launcher b;

    @Before
    public void setUp() throws Exception {
        database =
                "dmi_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        sql(POSTGRES, "CREATE DATABASE " + database);
        shared = Paths.get("target", "launcher", "cluster-" + System.nanoTime()).toAbsolutePath();
        Files.createDirectories(shared);
        a = node("node-a");
        b = node("node-b");
    }

    private Launcher node(String name) throws Exception {
        Launcher node = new Launcher(name, shared);
        node.env.put("DMI_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
        node.env.put("DMI_DB_USER", "postgres");
        node.env.put("DMI_ADMIN_USER", "tta-root");
        node.env.put("DMI_ADMIN_PASSWORD", PASSWORD);
        // a node silent for a second and a half is taken for gone (the default is 7 s)
        node.env.put("DMI_CLUSTER_CHECKIN_MS", "1500");
        return node;
    }

    @After
    public void tearDown() throws Exception {
        for (Launcher node : List.of(a, b)) {
            try {
                node.close();
            } catch (RuntimeException | java.io.IOException e) {
                // a killed node has nothing to stop
            }
        }
        sql(POSTGRES, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    @Test
    public void twoNodesServeOneSiteAndAnImportWhoseNodeIsKilledIsFinishedOnceByTheOther() throws Exception {
        a.start();
        Http adminA = a.http();
        assertEquals(200, adminA.logIn("tta-root", PASSWORD).status());
        assertEquals(
                201, adminA.post("/api/v1/sites", "{\"template\":\"chicago\"}").status());
        Http.Response created = adminA.post(
                "/api/v1/users",
                "{\"username\":\"chi-analyst\",\"password\":\"" + PASSWORD
                        + "\",\"grants\":[{\"role\":\"police\",\"site\":\"chicago\"}]}");
        assertEquals(created.body(), 201, created.status());
        Http analystA = a.http();
        assertEquals(200, analystA.logIn("chi-analyst", PASSWORD).status());
        await("chicago's CSV adapter on node a", () -> !analystA.get("/api/v1/sites/chicago/imports")
                .json()
                .get("adapters")
                .isEmpty());

        // an export long enough to be killed during: the fixture's 300 rows again and again, each id its own
        List<String> fixture = Files.readAllLines(Paths.get(
                "../../bundles/org.dmiplatform.adapter.csv/src/test/resources/exports/chicago-clear-2016-01-03.csv"));
        StringBuilder export = new StringBuilder(fixture.get(0)).append('\n');
        for (int i = 0; i < ROWS; i++) {
            String row = fixture.get(1 + i % (fixture.size() - 1));
            export.append(20_000_000 + i)
                    .append(row, row.indexOf(','), row.length())
                    .append('\n');
        }
        // node b starts on the same data folder and database; the session opened on node a is good there too
        b.start();
        Http analystB = analystA.at(b.httpPort);
        assertEquals(
                "a session of node a, on node b",
                200,
                analystB.get("/api/v1/sites/chicago").status());
        await("chicago's CSV adapter on node b", () -> !analystB.get("/api/v1/sites/chicago/imports")
                .json()
                .get("adapters")
                .isEmpty());

        Http.Response upload =
                analystA.send("POST", "/api/v1/sites/chicago/imports?name=big.csv", export.toString(), "text/csv");
        assertEquals(upload.body(), 202, upload.status());
        long id = upload.json().get("id").asLong();
        String runs = "Import " + id + " of site chicago runs on node ";
        await(
                "the import running on one of the nodes",
                () -> a.log().contains(runs) || b.log().contains(runs));
        Launcher killed = a.log().contains(runs + "node-a") ? a : b;
        Launcher other = killed == a ? b : a;
        Http analyst = killed == a ? analystB : analystA;
        assertEquals(
                "killed mid-way: nothing published yet",
                0,
                count("SELECT COUNT(*) FROM records WHERE site_id = 'chicago'"));
        ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();
        long killedAt = System.nanoTime();
        assertEquals(
                "still running when its node was killed",
                "RUNNING",
                analyst.get("/api/v1/sites/chicago/imports/" + id)
                        .json()
                        .get("status")
                        .asText());

        JsonNode done = null;
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            done = analyst.get("/api/v1/sites/chicago/imports/" + id).json();
            String status = done.get("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                break;
            }
            Thread.sleep(200);
        }
        long seconds = (System.nanoTime() - killedAt) / 1_000_000_000L;
        System.out.println("ClusterIT: import " + id + " of " + ROWS + " rows finished by " + other.env.get("DMI_NODE")
                + " " + seconds + " s after " + killed.env.get("DMI_NODE") + " was killed");
        assertTrue(
                "the other node ran it again",
                other.log()
                        .contains("Job import-" + id + ": its node went away before it finished; node "
                                + other.env.get("DMI_NODE") + " runs it again"));
        assertEquals(done.toString(), "PUBLISHED", done.get("status").asText());
        assertEquals(ROWS, done.get("inserted").asLong());
        assertEquals("every row once", ROWS, count("SELECT COUNT(*) FROM records WHERE site_id = 'chicago'"));
        assertEquals(
                "published once",
                1,
                count("SELECT COUNT(*) FROM audit_log WHERE action_name = 'records.import' AND outcome = 'SUCCESS'"
                        + " AND detail LIKE 'PUBLISHED%'"));
        assertEquals("one import", 1, count("SELECT COUNT(*) FROM imports"));
    }

    private long count(String query) throws Exception {
        try (Connection c =
                        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String url, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": not within 60 s");
    }
}
