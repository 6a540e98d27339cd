package org.dmiplatform.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The distribution started and stopped by {@code ./dmi}, on the embedded SQLite store and on PostgreSQL: the checks a new
 * user makes, and the data surviving a restart.
 */
@RunWith(Parameterized.class)
public class LauncherIT {
    static final String PASSWORD = "violet kettle over 7 bridges";
    static final String POSTGRES =
            System.getProperty("dmi.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return List.of(new Object[] {"sqlite"}, new Object[] {"postgresql"});
    }

    private final String database;
    private String postgresDatabase;
    private Launcher launcher;

    public LauncherIT(String database) {
        this.database = database;
    }

    @Before
    public void setUp() throws Exception {
        launcher = new Launcher(database);
        launcher.env.put("DMI_ADMIN_USER", "tta-root");
        launcher.env.put("DMI_ADMIN_PASSWORD", PASSWORD);
        if (database.equals("postgresql")) {
            postgresDatabase =
                    "dmi_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            sql("CREATE DATABASE " + postgresDatabase);
            launcher.env.put("DMI_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + postgresDatabase);
            launcher.env.put("DMI_DB_USER", "postgres");
        }
    }

    @After
    public void tearDown() throws Exception {
        launcher.close();
        if (postgresDatabase != null) {
            sql("DROP DATABASE IF EXISTS " + postgresDatabase + " WITH (FORCE)");
        }
    }

    /**
     * The machine's listening TCP sockets, from the kernel's tables: {@code *:port} on every address,
     * {@code loopback:port} on the loopback address, else {@code address:port} (hex, as the kernel writes it).
     */
    static java.util.Set<String> listening() throws java.io.IOException {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            java.nio.file.Path file = java.nio.file.Paths.get(table);
            if (!java.nio.file.Files.exists(file)) {
                continue;
            }
            // read once: the table changes while other programs open and close sockets
            List<String> lines = java.nio.file.Files.readAllLines(file);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.strip().split("\\s+");
                if (f.length < 4 || !f[3].equals("0A")) {
                    continue; // not LISTEN
                }
                String address = f[1].substring(0, f[1].indexOf(':'));
                int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                String where;
                if (address.matches("0+")) {
                    where = "*";
                } else if (address.equals("0100007F")
                        || address.equals("00000000000000000000000001000000")
                        || address.equals("0000000000000000FFFF00000100007F")) {
                    where = "loopback";
                } else {
                    where = address;
                }
                out.add(where + ":" + port);
            }
        }
        return out;
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES);
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @Test
    public void administratorFromTheEnvironmentSetsUpASiteUserWhoIsRefusedAnotherSiteAndEverythingSurvivesARestart()
            throws Exception {
        java.util.Set<String> before = listening();
        Launcher.Result started = launcher.start();
        assertTrue(started.output(), started.output().contains("UP at http://localhost:" + launcher.httpPort));
        // only the documented ports listen: HTTP on every address, the rest (the SSH console) on loopback alone
        java.util.Set<String> opened = new java.util.TreeSet<>(listening());
        opened.removeAll(before);
        for (String socket : opened) {
            assertTrue(
                    "listening beyond the documented ports: " + opened,
                    socket.equals("*:" + launcher.httpPort) || socket.startsWith("loopback:"));
        }
        assertTrue(opened.toString(), opened.contains("*:" + launcher.httpPort));

        Http http = launcher.http();
        JsonNode health = http.get("/api/v1/health").json();
        assertEquals("UP", health.get("status").asText());
        assertTrue("the store is not told to anyone", health.path("storage").isMissingNode());

        Http admin = launcher.http();
        assertEquals(200, admin.logIn("tta-root", PASSWORD).status());
        JsonNode details = admin.get("/api/v1/health/details").json();
        assertTrue(
                details.at("/storage/product").asText(),
                details.at("/storage/product")
                        .asText()
                        .startsWith(database.equals("sqlite") ? "SQLite" : "PostgreSQL"));
        assertEquals(
                201, admin.post("/api/v1/sites", "{\"template\":\"chicago\"}").status());
        assertEquals(
                201, admin.post("/api/v1/sites", "{\"template\":\"denver\"}").status());
        Http.Response created = admin.post(
                "/api/v1/users",
                "{\"username\":\"chi-analyst\",\"password\":\"" + PASSWORD
                        + "\",\"grants\":[{\"role\":\"police\",\"site\":\"chicago\"}]}");
        assertEquals(created.body(), 201, created.status());

        Http analyst = launcher.http();
        assertEquals(200, analyst.logIn("chi-analyst", PASSWORD).status());
        assertEquals(200, analyst.get("/api/v1/sites/chicago").status());
        int refused = analyst.get("/api/v1/sites/denver").status();
        assertTrue("refused with " + refused, refused == 403 || refused == 404);
        JsonNode denied = admin.get("/api/v1/audit?action=access.denied").json().get("entries");
        assertEquals("chi-analyst", denied.get(0).at("/event/actor").asText());
        assertEquals("denver", denied.get(0).at("/event/site").asText());

        // the police analyst imports the Chicago export through the site's CSV adapter, in this database
        String export = java.nio.file.Files.readString(java.nio.file.Paths.get(
                "../../bundles/org.dmiplatform.adapter.csv/src/test/resources/exports/chicago-clear-2016-01-03.csv"));
        Http.Response upload =
                analyst.send("POST", "/api/v1/sites/chicago/imports?name=chicago-clear.csv", export, "text/csv");
        assertEquals(upload.body(), 202, upload.status());
        JsonNode imported =
                awaitImport(analyst, "chicago", upload.json().get("id").asLong());
        assertEquals(imported.toString(), "PUBLISHED", imported.get("status").asText());
        assertEquals(300, imported.get("inserted").asLong());
        recordsReadBackPageByPageAreTheFilesRows(analyst, export);
        theRecordsAreMappedOnADistrictLayerFromAZippedShapefile(analyst);

        assertTrue(launcher.dmi("status").output().contains("running"));
        Launcher.Result stopped = launcher.dmi("stop");
        assertEquals(stopped.output(), 0, stopped.exit());
        assertFalse("the port is free once ./dmi stop returns", listening(launcher.httpPort));
        assertEquals(3, launcher.dmi("status").exit());

        launcher.start();
        Http again = launcher.http();
        assertEquals(
                "the account survived",
                200,
                again.logIn("chi-analyst", PASSWORD).status());
        JsonNode sites = again.get("/api/v1/sites").json().get("sites");
        assertEquals("the sites survived", "chicago", sites.get(0).get("id").asText());
        Http adminAgain = launcher.http();
        adminAgain.logIn("tta-root", PASSWORD);
        assertEquals(
                "the refusal is still on record",
                "chi-analyst",
                adminAgain
                        .get("/api/v1/audit?action=access.denied")
                        .json()
                        .at("/entries/0/event/actor")
                        .asText());
        assertEquals(
                "the records survived",
                300,
                again.get("/api/v1/sites/chicago/records/counts?by=total")
                        .json()
                        .get("count")
                        .asLong());
        assertTrue(
                "the audit chain is intact",
                adminAgain.get("/api/v1/audit/verify").json().get("intact").asBoolean());
        assertEquals(
                "sessions are in the database: a restart logs nobody out",
                200,
                admin.get("/api/v1/session").status());
        assertEquals(204, admin.send("DELETE", "/api/v1/session", null, null).status());
        assertEquals("a log-out ends it", 401, admin.get("/api/v1/session").status());
    }

    /**
     * {@code ./dmi backup} while the platform runs, {@code ./dmi restore} into an empty data folder and database: an
     * encrypted archive that a wrong passphrase opens nothing of, and a restored platform serving the same sites,
     * accounts, records and team, with an intact audit chain, without an administrator from the environment.
     */
    @Test
    public void aBackupTakenWhileRunningRestoresIntoAnEmptyDataFolderAndDatabase() throws Exception {
        String passphrase = "seven quiet harbours at dawn";
        launcher.env.put("DMI_BACKUP_PASSPHRASE", passphrase);
        launcher.start();
        Http admin = launcher.http();
        assertEquals(200, admin.logIn("tta-root", PASSWORD).status());
        assertEquals(
                201, admin.post("/api/v1/sites", "{\"template\":\"chicago\"}").status());
        assertEquals(
                201,
                admin.post(
                                "/api/v1/users",
                                "{\"username\":\"chi-analyst\",\"password\":\"" + PASSWORD
                                        + "\",\"grants\":[{\"role\":\"police\",\"site\":\"chicago\"},"
                                        + "{\"role\":\"site-admin\",\"site\":\"chicago\"}]}")
                        .status());
        Http analyst = launcher.http();
        assertEquals(200, analyst.logIn("chi-analyst", PASSWORD).status());
        String export = java.nio.file.Files.readString(java.nio.file.Paths.get(
                "../../bundles/org.dmiplatform.adapter.csv/src/test/resources/exports/chicago-clear-2016-01-03.csv"));
        Http.Response upload =
                analyst.send("POST", "/api/v1/sites/chicago/imports?name=chicago-clear.csv", export, "text/csv");
        assertEquals(upload.body(), 202, upload.status());
        assertEquals(
                "PUBLISHED",
                awaitImport(analyst, "chicago", upload.json().get("id").asLong())
                        .get("status")
                        .asText());
        assertEquals(
                201,
                analyst.post(
                                "/api/v1/sites/chicago/team/members",
                                "{\"name\":\"Lieutenant (backup test)\",\"agency\":\"Police\",\"role\":\"police\","
                                        + "\"pointOfContact\":false,\"startedOn\":\"2026-11-01\",\"contact\":\"\"}")
                        .status());
        String records = analyst.get("/api/v1/sites/chicago/records?limit=1000").body();
        String team = analyst.get("/api/v1/sites/chicago/team").body();
        JsonNode site = settled(analyst);

        java.nio.file.Path archive = launcher.data.resolveSibling(launcher.data.getFileName() + ".dmi-backup");
        Launcher.Result backup = launcher.dmi("backup", archive.toString());
        assertEquals(backup.output(), 0, backup.exit());
        assertTrue(backup.output(), backup.output().contains("audit chain intact"));
        byte[] bytes = java.nio.file.Files.readAllBytes(archive);
        // an OpenPGP message opened by a passphrase (a symmetric-key session packet), nothing readable inside
        assertTrue(
                "not an OpenPGP symmetric message: " + (bytes[0] & 0xff),
                (bytes[0] & 0xff) == 0x8c || (bytes[0] & 0xff) == 0xc3);
        String raw = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("Lieutenant") || raw.contains("chi-analyst") || raw.contains("manifest"));
        JsonNode verified = admin.get("/api/v1/audit/verify").json();
        launcher.dmi("stop");

        try (Launcher restored = new Launcher(database + "-restored")) {
            String restoredDatabase = null;
            if (postgresDatabase != null) {
                restoredDatabase = postgresDatabase + "_r";
                sql("CREATE DATABASE " + restoredDatabase);
                restored.env.put("DMI_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + restoredDatabase);
                restored.env.put("DMI_DB_USER", "postgres");
            }
            try {
                restored.env.put("DMI_BACKUP_PASSPHRASE", "not the passphrase at all");
                Launcher.Result refused = restored.dmi("restore", archive.toString());
                assertTrue(refused.output(), refused.exit() != 0);
                assertTrue(refused.output(), refused.output().contains("nothing was restored"));
                restored.env.put("DMI_BACKUP_PASSPHRASE", passphrase);
                Launcher.Result done = restored.dmi("restore", archive.toString());
                assertEquals(done.output(), 0, done.exit());
                assertTrue(done.output(), done.output().contains("audit chain intact"));
                // no administrator from the environment: the accounts are the backup's
                restored.start();
                Http again = restored.http();
                assertEquals(200, again.logIn("chi-analyst", PASSWORD).status());
                assertEquals(site, settled(again));
                assertEquals(team, again.get("/api/v1/sites/chicago/team").body());
                assertEquals(
                        records,
                        again.get("/api/v1/sites/chicago/records?limit=1000").body());
                Http root = restored.http();
                assertEquals(200, root.logIn("tta-root", PASSWORD).status());
                JsonNode check = root.get("/api/v1/audit/verify").json();
                assertTrue(check.toString(), check.get("intact").asBoolean());
                assertTrue(
                        check + " vs " + verified,
                        check.get("entries").asLong() > verified.get("entries").asLong());
                restored.dmi("stop");
            } finally {
                if (restoredDatabase != null) {
                    restored.dmi("stop");
                    sql("DROP DATABASE IF EXISTS " + restoredDatabase + " WITH (FORCE)");
                }
            }
        }
    }

    /** The site's page once its plug-ins are bound, without its local time and with the plug-ins in name order. */
    private static JsonNode settled(Http http) throws InterruptedException {
        for (int i = 0; ; i++) {
            com.fasterxml.jackson.databind.node.ObjectNode site = (com.fasterxml.jackson.databind.node.ObjectNode)
                    http.get("/api/v1/sites/chicago").json();
            if (site.path("missing").isEmpty() || i == 600) {
                site.remove("localTime");
                java.util.List<String> plugins = new java.util.ArrayList<>();
                site.path("plugins").forEach(p -> plugins.add(p.toString()));
                java.util.Collections.sort(plugins);
                site.put("plugins", String.join(",", plugins));
                return site;
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode awaitImport(Http http, String site, long id) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode now = http.get("/api/v1/sites/" + site + "/imports/" + id).json();
            String status = now.get("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("import " + id + " did not finish");
    }

    /**
     * A data folder of version 0.1, whose embedded store was H2 (migrations V1 to V5, six Chicago records): the first
     * start of this version copies it into the SQLite store, with the H2 driver of the distribution, and sets it aside.
     */
    /**
     * The site's mapping plug-in in the real distribution: a zipped shapefile in Illinois State Plane feet (its dBase
     * values read through H2's classes, its .prj through proj4j) becomes a layer at Chicago, the imported records are
     * counted on its districts and Gi* runs on them.
     */
    private static void theRecordsAreMappedOnADistrictLayerFromAZippedShapefile(Http analyst) throws IOException {
        byte[] zip = java.nio.file.Files.readAllBytes(java.nio.file.Paths.get(
                "../../bundles/org.dmiplatform.mapping.jts/src/test/resources/layers/districts-3435.zip"));
        Http.Response saved = analyst.sendBytes(
                "POST", "/api/v1/sites/chicago/layers?name=districts&file=districts.zip", zip, "application/zip");
        assertEquals(saved.body(), 201, saved.status());
        assertEquals(25, saved.json().get("polygons").asInt());
        assertEquals(
                "NAD_1983_StatePlane_Illinois_East_FIPS_1201_Feet",
                saved.json().get("sourceCrs").asText());
        assertTrue(saved.json().at("/bounds/west").asDouble() > -88
                && saved.json().at("/bounds/east").asDouble() < -87.5);
        JsonNode counts =
                analyst.get("/api/v1/sites/chicago/layers/districts/counts").json();
        long counted = 0;
        for (JsonNode row : counts.get("rows")) {
            counted += row.get("count").asLong();
        }
        assertEquals(counts.get("assigned").asLong(), counted);
        assertEquals(
                "every imported record is assigned, outside or without a location",
                300,
                counted
                        + counts.get("outside").asLong()
                        + counts.get("unlocated").asLong());
        assertTrue(counted > 250);
        JsonNode stars =
                analyst.get("/api/v1/sites/chicago/hotspots?layer=districts").json();
        assertEquals(25, stars.get("features").size());
        assertEquals(counted, stars.at("/summary/records").asLong());
    }

    @Test
    public void theEmbeddedH2StoreOfAnEarlierVersionIsTakenOverAtTheFirstStart() throws Exception {
        org.junit.Assume.assumeTrue(database.equals("sqlite"));
        java.nio.file.Path db = launcher.data.resolve("db");
        Files.createDirectories(db);
        java.nio.file.Path migrations =
                launcher.root.resolve("platform/org.dmiplatform.core/src/main/resources/db/migration");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.resolve("dmi"), "dmi", "");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_history (version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL,"
                    + " checksum CHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            for (int v = 1; v <= 5; v++) {
                String sql = Files.readString(migrations.resolve("V" + v + ".sql"));
                StringBuilder statement = new StringBuilder();
                for (String line : sql.split("\\R")) {
                    if (line.strip().isEmpty() || line.strip().startsWith("--")) {
                        continue;
                    }
                    statement.append(line).append('\n');
                    if (line.strip().endsWith(";")) {
                        String text = statement.toString().strip();
                        st.execute(text.substring(0, text.length() - 1));
                        statement.setLength(0);
                    }
                }
                String checksum = java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                st.execute("INSERT INTO schema_history VALUES (" + v + ", 'v" + v + "', '" + checksum
                        + "', CURRENT_TIMESTAMP)");
            }
            for (int i = 1; i <= 6; i++) {
                st.execute("INSERT INTO records (site_id, kind, source_id, occurred_from, code, code_text, category,"
                        + " part_one, address, beat, district, import_id) VALUES ('chicago', 'INCIDENT', 'OLD" + i
                        + "', TIMESTAMP WITH TIME ZONE '2016-01-0" + i + " 12:00:00+00', '0486', 'BATTERY',"
                        + " 'VIOLENT_PART_I', TRUE, '', '', '', 1)");
            }
        }
        launcher.start();
        assertFalse("the H2 file is set aside", Files.exists(db.resolve("dmi.mv.db")));
        assertTrue(Files.exists(db.resolve("dmi.mv.db.copied-to-sqlite")));
        Http admin = launcher.http();
        assertEquals(200, admin.logIn("tta-root", PASSWORD).status());
        assertEquals(
                201, admin.post("/api/v1/sites", "{\"template\":\"chicago\"}").status());
        assertEquals(
                "the records of version 0.1 are there",
                6,
                admin.get("/api/v1/sites/chicago/records/counts?by=total")
                        .json()
                        .get("count")
                        .asLong());
    }

    @Test
    public void withoutAnAdministratorThePlatformRefusesToServeAndSaysHowToCreateOne() throws Exception {
        launcher.env.remove("DMI_ADMIN_USER");
        launcher.env.remove("DMI_ADMIN_PASSWORD");
        Launcher.Result started = launcher.start();
        assertTrue(
                started.output(),
                started.output().contains("DOWN") && started.output().contains("DMI_ADMIN_USER"));
        Http http = launcher.http();
        assertEquals(503, http.get("/api/v1/health").status());
        Http.Response login = http.logIn("anyone", PASSWORD);
        assertEquals(503, login.status());
        assertTrue(login.body().contains("DMI_ADMIN_PASSWORD"));
        Set<PosixFilePermission> owner = Files.getPosixFilePermissions(launcher.data);
        assertEquals(
                "the data folder is the owner's only",
                Set.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE),
                owner);
    }

    @Test
    public void secretsFromTheEnvironmentAreNeverWrittenToDisk() throws Exception {
        String dbPassword = "canary-db-" + UUID.randomUUID();
        String adminPassword = "canary admin " + UUID.randomUUID();
        String tlsPassword = "canary-tls-" + UUID.randomUUID();
        launcher.env.put("DMI_DB_PASSWORD", dbPassword);
        launcher.env.put("DMI_ADMIN_PASSWORD", adminPassword);
        // TLS with a self-signed certificate, its keystore's password from the environment
        java.nio.file.Path keystore = Files.createTempDirectory("tls").resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "dmi",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        tlsPassword,
                        "-keypass",
                        tlsPassword)
                .redirectErrorStream(true)
                .start();
        assertEquals(new String(keytool.getInputStream().readAllBytes()), 0, keytool.waitFor());
        int httpsPort = Launcher.freePort();
        launcher.env.put("DMI_TLS_KEYSTORE", keystore.toString());
        launcher.env.put("DMI_TLS_KEYSTORE_PASSWORD", tlsPassword);
        launcher.env.put("DMI_HTTPS_PORT", String.valueOf(httpsPort));
        launcher.start();
        Http admin = launcher.http();
        assertEquals(200, admin.logIn("tta-root", adminPassword).status());
        assertEquals(401, launcher.http().logIn("tta-root", adminPassword + "x").status());
        assertEquals(null, launcher.http().get("/api/v1/health").header("strict-transport-security"));

        // over TLS: HSTS on every answer and the session cookie Secure
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, tlsPassword.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory trust =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        java.net.http.HttpClient https =
                java.net.http.HttpClient.newBuilder().sslContext(tls).build();
        java.net.http.HttpResponse<String> health = https.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("https://localhost:" + httpsPort + "/api/v1/health"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(health.body(), 200, health.statusCode());
        assertTrue(health.headers()
                .firstValue("strict-transport-security")
                .orElse("")
                .startsWith("max-age="));
        // the administrator's log-in over TLS, its second factor included: the cookie comes with the code
        Http.Response login = new Http("https://localhost:" + httpsPort, tls).logIn("tta-root", adminPassword);
        assertEquals(login.body(), 200, login.status());
        String cookie = java.util.Objects.requireNonNullElse(login.header("set-cookie"), "");
        assertTrue(
                cookie,
                cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        launcher.dmi("stop");
        List<String> leaks;
        try (var files = Files.walk(launcher.data)) {
            leaks = files.filter(Files::isRegularFile)
                    .filter(f -> contains(f, dbPassword) || contains(f, adminPassword) || contains(f, tlsPassword))
                    .map(Object::toString)
                    .toList();
        }
        assertEquals("files holding a secret", List.of(), leaks);
    }

    private static boolean contains(java.nio.file.Path file, String secret) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The records read back through the API, page after page by their cursors, are the file's rows exactly: every id
     * once, with its time in the site's zone as the export wrote it; and a filter selects what it says.
     */
    private static void recordsReadBackPageByPageAreTheFilesRows(Http analyst, String export) {
        java.util.Map<String, String> expected = new java.util.HashMap<>();
        java.time.format.DateTimeFormatter chicago =
                java.time.format.DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", java.util.Locale.US);
        java.util.Map<String, String> drug = new java.util.HashMap<>();
        for (String line : export.lines().skip(1).toList()) {
            String[] f = csv(line);
            String at = java.time.LocalDateTime.parse(f[2], chicago).toString();
            expected.put(f[0], at);
            if (f[14].equals("18")) {
                drug.put(f[0], at);
            }
        }
        java.util.Map<String, String> read = new java.util.HashMap<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = analyst.get(
                            "/api/v1/sites/chicago/records?limit=37" + (after == null ? "" : "&after=" + after))
                    .json();
            assertEquals("America/Chicago", page.get("zone").asText());
            assertTrue(page.get("records").size() <= 37);
            for (JsonNode r : page.get("records")) {
                String at = r.get("occurredFrom").asText();
                assertTrue(at, at.endsWith("-06:00"));
                assertEquals(
                        "each record once", null, read.put(r.get("sourceId").asText(), at.substring(0, 19)));
            }
            after = page.has("next") ? page.get("next").asText() : null;
            pages++;
        } while (after != null);
        assertEquals(9, pages);
        java.util.Map<String, String> local = new java.util.HashMap<>();
        expected.forEach((id, at) -> local.put(id, at.length() == 16 ? at + ":00" : at));
        assertEquals(local, read);
        JsonNode drugs = analyst.get("/api/v1/sites/chicago/records?category=drug&limit=1000")
                .json();
        java.util.Set<String> drugIds = new java.util.HashSet<>();
        drugs.get("records").forEach(r -> drugIds.add(r.get("sourceId").asText()));
        assertEquals(drug.keySet(), drugIds);
        assertFalse("a page holding the last record has no next", drugs.has("next"));
        Http.Response bad = analyst.get("/api/v1/sites/chicago/records?from=yesterday");
        assertEquals(400, bad.status());
        assertTrue(bad.body(), bad.body().contains("from") && !bad.body().contains("Exception"));
    }

    /** One line of a CSV export, quoted fields kept whole. */
    private static String[] csv(String line) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out.toArray(String[]::new);
    }
}
