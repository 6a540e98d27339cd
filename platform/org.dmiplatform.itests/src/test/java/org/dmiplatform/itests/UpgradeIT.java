package org.dmiplatform.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.Test;

/**
 * An upgrade from the previous release's data folder, and the rollback (resources/upgrade/SOURCE.md): this version
 * starts on the folder release 13 left, migrates its store and serves what it held; the backup release 13 took before
 * the upgrade restores, with this version's tool, into exactly the store release 13 had (its schema version, its rows),
 * which is what the rollback gives back to release 13.
 */
public class UpgradeIT {
    private static final Path FIXTURE = Paths.get("src/test/resources/upgrade");
    private static final String PASSPHRASE = "upgrade fixture passphrase 13";
    private static final int PREVIOUS_SCHEMA = 24;

    @Test
    public void thisVersionStartsOnThePreviousReleasesDataFolderAndItsBackupRollsBack() throws Exception {
        Map<String, String> passwords;
        Map<String, String> siteFiles = new HashMap<>();
        try (Launcher upgraded = new Launcher("upgrade")) {
            unzip(FIXTURE.resolve("release-13-data.zip"), upgraded.data);
            passwords = passwords(upgraded.data.resolve("demo-users.txt"));
            try (var files = Files.list(upgraded.data.resolve("etc"))) {
                for (Path file : files.toList()) {
                    siteFiles.put(file.getFileName().toString(), Files.readString(file));
                }
            }
            assertEquals(PREVIOUS_SCHEMA, schemaVersion(upgraded.data));

            upgraded.start();
            JsonNode health = upgraded.http().get("/api/v1/health").json();
            assertEquals(health.toString(), "UP", health.get("status").asText());
            int latest = schemaVersion(upgraded.data);
            assertTrue("migrated past " + PREVIOUS_SCHEMA + ": " + latest, latest > PREVIOUS_SCHEMA);
            assertEquals(health.toString(), 2, health.get("sites").asInt());

            Http police = upgraded.http();
            assertEquals(
                    200,
                    police.logIn("chicago-police", passwords.get("chicago-police"))
                            .status());
            assertEquals(
                    "the records release 13 imported",
                    1373,
                    police.get("/api/v1/sites/chicago/records/counts?by=total")
                            .json()
                            .get("count")
                            .asLong());
            JsonNode imports = police.get("/api/v1/sites/chicago/imports").json();
            assertEquals(2, imports.get("imports").size());
            assertTrue(imports.toString(), imports.at("/adapters/0").asText().startsWith("csv"));
            assertEquals(200, police.get("/api/v1/sites/chicago/interventions").status());
            Http admin = upgraded.http();
            assertEquals(
                    200,
                    admin.logIn("demo-tta-admin", passwords.get("demo-tta-admin"))
                            .status());
            JsonNode verified = admin.get("/api/v1/audit/verify").json();
            assertTrue(
                    "the audit chain release 13 wrote goes on: " + verified,
                    verified.get("intact").asBoolean());
            // the sites' configuration files are read as they are, and left as they were
            for (Map.Entry<String, String> file : siteFiles.entrySet()) {
                assertEquals(
                        file.getKey(),
                        file.getValue(),
                        Files.readString(upgraded.data.resolve("etc").resolve(file.getKey())));
            }
            upgraded.dmi("stop");
        }

        // the rollback: release 13's backup, taken before the upgrade, restored into an empty data folder
        try (Launcher rolledBack = new Launcher("rollback")) {
            rolledBack.env.put("DMI_BACKUP_PASSPHRASE", PASSPHRASE);
            Launcher.Result restored = rolledBack.dmi(
                    "restore",
                    FIXTURE.resolve("release-13.dmi-backup").toAbsolutePath().toString());
            assertEquals(restored.output(), 0, restored.exit());
            assertTrue(restored.output(), restored.output().contains("restored schema version " + PREVIOUS_SCHEMA));
            assertTrue(restored.output(), restored.output().contains("audit chain intact"));
            assertEquals(
                    "the store is release 13's again: the previous release serves it",
                    PREVIOUS_SCHEMA,
                    schemaVersion(rolledBack.data));
            try (Connection c = sqlite(rolledBack.data)) {
                assertEquals(1373, count(c, "SELECT COUNT(*) FROM records WHERE site_id = 'chicago'"));
                assertEquals(0, count(c, "SELECT COUNT(*) FROM schema_history WHERE version > " + PREVIOUS_SCHEMA));
            }
            for (Map.Entry<String, String> file : siteFiles.entrySet()) {
                assertEquals(
                        file.getKey(),
                        file.getValue(),
                        Files.readString(rolledBack.data.resolve("etc").resolve(file.getKey())));
            }
            // and this version upgrades it again when started on it
            rolledBack.env.remove("DMI_BACKUP_PASSPHRASE");
            rolledBack.start();
            Http police = rolledBack.http();
            assertEquals(
                    200,
                    police.logIn("chicago-police", passwords.get("chicago-police"))
                            .status());
            assertEquals(
                    1373,
                    police.get("/api/v1/sites/chicago/records/counts?by=total")
                            .json()
                            .get("count")
                            .asLong());
        }
    }

    private static Connection sqlite(Path data) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("db/dmi.sqlite"));
    }

    private static int schemaVersion(Path data) throws Exception {
        try (Connection c = sqlite(data)) {
            return (int) count(c, "SELECT MAX(version) FROM schema_history");
        }
    }

    private static long count(Connection c, String query) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The demo accounts' passwords release 13 printed: {@code user password role}. */
    private static Map<String, String> passwords(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && !line.startsWith("#")) {
                out.put(f[0], f[1]);
            }
        }
        return out;
    }

    private static void unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (InputStream in = Files.newInputStream(zip);
                ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target);
                }
            }
        }
    }
}
