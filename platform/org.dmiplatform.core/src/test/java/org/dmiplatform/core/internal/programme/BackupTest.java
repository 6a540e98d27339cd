package org.dmiplatform.core.internal.programme;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Market.Level;
import org.dmiplatform.api.programme.Materials;
import org.dmiplatform.api.programme.Teams;
import org.dmiplatform.api.programme.Teams.TeamRole;
import org.dmiplatform.core.internal.storage.Backup;
import org.dmiplatform.core.internal.storage.Migrations;
import org.dmiplatform.core.internal.storage.Sql;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Backup and restore on real storage, SQLite and PostgreSQL: a store with a programme, intelligence, records and the
 * audit log, and a data folder with a site's files, backed up, restored into an empty store and folder, and backed
 * up again: every table's and file's checksum equal, the audit chain verified, the store going on where it stopped.
 * A restore that cannot be whole restores nothing.
 */
@RunWith(Parameterized.class)
public class BackupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Seventeen significant digits: a coordinate that text with fifteen would change. */
    private static final double LATITUDE = 41.876543210987654;

    private static final String PASSPHRASE = "seven quiet harbours at dawn";

    @Parameters(name = "{0}")
    public static List<Object[]> databases() {
        return TestDatabases.kinds();
    }

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final String kind;
    private TestDatabases.Fresh original;
    private TestDatabases.Fresh target;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T15:00:00Z"));
    private final Migrations migrations = Migrations.load(Backup.class.getClassLoader());
    private Path data;
    private Path empty;
    private long intervention;

    public BackupTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() throws Exception {
        original = TestDatabases.fresh(kind);
        target = TestDatabases.fresh(kind);
        data = temp.newFolder("data").toPath();
        empty = temp.newFolder("empty").toPath();
        ProgrammeServices services = ProgrammeServices.on(original, clock);
        intervention = services.intervention("chicago");
        services.teams()
                .addMember(
                        "chicago",
                        new Teams.NewMember(
                                "Lieutenant (test)", "Police", TeamRole.POLICE, true, LocalDate.of(2026, 1, 5), ""),
                        ProgrammeServices.as(Role.POC, "chicago"));
        services.market()
                .enter(
                        "chicago",
                        intervention,
                        new Market.NewPerson(
                                "Person A (test)", "", Level.STREET, "seen selling at corner A", "vice survey", ""),
                        ProgrammeServices.as(Role.POLICE, "chicago"));
        // the shared materials: append-only tables (V27), a copy referring to its version by two columns
        MaterialsImpl materials = new MaterialsImpl(services.database(), services.audit(), services.sites(), clock);
        long material = materials
                .publish(
                        new Materials.NewMaterial(
                                "Guide (test)", Materials.Kind.GUIDE, "", false, null, "Nine steps", ""),
                        ProgrammeServices.as(Role.TTA_STAFF, "chicago"))
                .summary()
                .id();
        materials.adopt("chicago", material, java.util.Optional.empty(), ProgrammeServices.as(Role.POC, "chicago"));
        materials.adapt(
                "chicago",
                material,
                new Materials.Adaptation("Nine steps, ours", "", null),
                ProgrammeServices.as(Role.POC, "chicago"));
        try (Connection c = original.dataSource().getConnection()) {
            for (int i = 0; i < 3; i++) {
                Sql.update(
                        c,
                        "INSERT INTO records (site_id, kind, source_id, occurred_from, code, code_text, category,"
                                + " part_one, longitude, latitude, address, beat, district, import_id, warnings)"
                                + " VALUES (?, 'INCIDENT', ?, ?, '2027', 'POSSESS - CANNABIS', 'drug', ?, ?, ?,"
                                + " '016XX W 77TH ST', '0611', '006', 1, ?)",
                        "chicago",
                        "R" + i,
                        Instant.parse("2026-10-0" + (i + 1) + "T03:15:00.123456Z"),
                        i == 0,
                        -87.65432109876543 - i,
                        LATITUDE + i,
                        i == 2 ? null : "line " + i + ": \"quoted\", comma\nand a new line, ünïcödé");
            }
        }
        write(data.resolve("etc/org.dmiplatform.site-chicago.cfg"), "name = Chicago\ntimeZone = America/Chicago\n");
        // an operator's own configuration beside the sites': not the platform's to back up or restore
        write(data.resolve("etc/org.apache.felix.fileinstall-deploy.cfg"), "felix.fileinstall.dir = /tmp\n");
        write(data.resolve("sites/chicago/profiles/chicago.json"), "{\"kind\": \"INCIDENT\"}\n");
        Files.createDirectories(data.resolve("imports"));
        Files.write(data.resolve("imports/7.csv"), new byte[] {'I', 'D', '\n', (byte) 0xE9, (byte) 0xFF, 0, '\n'});
    }

    @After
    public void tearDown() {
        original.close();
        target.close();
    }

    @Test
    public void aRestoreIntoAnEmptyStoreAndFolderHoldsEveryRowAndFileAndTheStoreGoesOn() throws Exception {
        byte[] backup = backup(original, data);
        Backup.Summary restored = restore(backup, target, empty);

        assertTrue(restored.audit().intact());
        assertTrue(restored.audit().entries() >= 3);
        assertEquals(3, restored.files());
        // backed up again, every table and file has the checksum it had
        JsonNode before = entries(backup);
        JsonNode after = entries(backup(target, empty));
        assertEquals(before, after);
        assertTrue(before.has("db/records.jsonl"));
        assertEquals(3, before.path("db/records.jsonl").path("rows").asInt());
        assertEquals(1, before.path("db/persons.jsonl").path("rows").asInt());
        assertEquals(2, before.path("db/material_copies.jsonl").path("rows").asInt());
        for (String file : List.of(
                "etc/org.dmiplatform.site-chicago.cfg", "sites/chicago/profiles/chicago.json", "imports/7.csv")) {
            assertArrayEquals(file, Files.readAllBytes(data.resolve(file)), Files.readAllBytes(empty.resolve(file)));
        }
        assertFalse(Files.exists(empty.resolve("etc/org.apache.felix.fileinstall-deploy.cfg")));
        try (Connection c = target.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT latitude, occurred_from, warnings FROM records WHERE source_id = 'R0'");
                ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(LATITUDE, rs.getDouble(1), 0.0);
            assertEquals(Instant.parse("2026-10-01T03:15:00.123456Z"), Sql.instant(rs, 2));
            assertEquals("line 0: \"quoted\", comma\nand a new line, ünïcödé", rs.getString(3));
        }

        // the restored store goes on where the original stopped: new ids above the old, the chain still whole
        ProgrammeServices restoredServices = ProgrammeServices.on(target, clock);
        assertTrue(restoredServices.intervention("chicago") > intervention);
        assertTrue(restoredServices.audit().verify().intact());
        assertEquals(
                restored.audit().entries() + 1,
                restoredServices.audit().verify().entries());
    }

    @Test
    public void sessionsAndLogInsAwaitingACodeAreNeitherBackedUpNorRestored() throws Exception {
        try (Connection c = original.dataSource().getConnection()) {
            long user = Sql.insert(
                    c,
                    "INSERT INTO users (username, username_key, display_name, password_hash, enabled, locked,"
                            + " failed_logins, created_at, password_changed_at)"
                            + " VALUES ('cpd-officer', 'cpd-officer', 'Officer (test)', 'x', TRUE, FALSE, 0, ?, ?)",
                    clock.instant(),
                    clock.instant());
            Sql.update(
                    c,
                    "INSERT INTO sessions (id_hash, user_id, csrf_token, started_at, last_seen_at)"
                            + " VALUES ('a1', ?, 'c', ?, ?)",
                    user,
                    clock.instant(),
                    clock.instant());
            Sql.update(
                    c,
                    "INSERT INTO pending_log_ins (token_hash, user_id, enrolment_required, tries, expires_at)"
                            + " VALUES ('b2', ?, FALSE, 0, ?)",
                    user,
                    clock.instant());
        }
        byte[] backup = backup(original, data);
        JsonNode listed = entries(backup);
        assertEquals(1, listed.path("db/users.jsonl").path("rows").asInt());
        assertFalse(listed.toString(), listed.has("db/sessions.jsonl"));
        assertFalse(listed.toString(), listed.has("db/pending_log_ins.jsonl"));

        restore(backup, target, empty);
        try (Connection c = target.dataSource().getConnection()) {
            assertEquals(
                    "the account came back",
                    Long.valueOf(1),
                    Sql.one(c, "SELECT COUNT(*) FROM users", rs -> rs.getLong(1))
                            .orElseThrow());
            assertEquals(
                    "its session did not: everyone logs in again",
                    Long.valueOf(0),
                    Sql.one(
                                    c,
                                    "SELECT (SELECT COUNT(*) FROM sessions) + (SELECT COUNT(*) FROM pending_log_ins)",
                                    rs -> rs.getLong(1))
                            .orElseThrow());
        }
    }

    @Test
    public void aStoreThatHoldsDataIsNeverRestoredOver() throws Exception {
        byte[] backup = backup(original, data);
        try {
            restore(backup, original, empty);
            fail("restored over a store with data");
        } catch (Backup.Refused e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not empty"));
        }
        assertEquals(entries(backup), entries(backup(original, data)));
        assertEquals(0, files(empty));
    }

    @Test
    public void aDataFolderThatHoldsFilesIsNeverRestoredOver() throws Exception {
        byte[] backup = backup(original, data);
        try {
            restore(backup, target, data);
            fail("restored over a data folder with files");
        } catch (Backup.Refused e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not empty"));
        }
        restore(backup, target, empty);
    }

    @Test
    public void aChangedOrCutShortBackupRestoresNothingAndTheGoodOneThenRestores() throws Exception {
        byte[] backup = backup(original, data);
        byte[] changed = rewrite(backup, "db/records.jsonl", text -> text.replace(Double.toString(LATITUDE), "41.9"));
        assertFalse(Arrays.equals(backup, changed));
        try {
            restore(changed, target, empty);
            fail("a changed backup was restored");
        } catch (Backup.Refused e) {
            assertTrue(e.getMessage(), e.getMessage().contains("db/records.jsonl"));
        }
        assertEquals(0, files(empty));
        // cut where the manifest begins: every table and file is whole, the list to check them against is not
        int manifest = new String(backup, StandardCharsets.ISO_8859_1).indexOf("manifest.json");
        byte[] cut = Arrays.copyOf(backup, manifest - 30);
        try {
            restore(cut, target, empty);
            fail("a cut-short backup was restored");
        } catch (Backup.Refused e) {
            assertTrue(e.getMessage(), e.getMessage().contains("before its manifest"));
        }
        assertEquals(0, files(empty));
        byte[] newer = rewrite(
                backup,
                "about.json",
                text -> text.replace("\"schema\":" + migrations.latest(), "\"schema\":" + (migrations.latest() + 1)));
        try {
            restore(newer, target, empty);
            fail("a newer platform's backup was restored");
        } catch (Backup.Refused e) {
            assertTrue(e.getMessage(), e.getMessage().contains("newer platform"));
        }
        // nothing of the failed attempts is in the way
        Backup.Summary restored = restore(backup, target, empty);
        assertEquals(entries(backup), entries(backup(target, empty)));
        assertTrue(restored.audit().intact());
    }

    @Test
    public void withoutThePassphraseABackupCannotBeForgedAndItsNamesAreTheSchemasAndTheSitesOwn() throws Exception {
        byte[] backup = backup(original, data);
        try {
            restore(backup, target, empty, "not the passphrase at all");
            fail("restored with a wrong passphrase");
        } catch (Backup.Refused e) {
            assertTrue(e.getMessage(), e.getMessage().contains("seal"));
        }
        // a records entry changed and its checksum put right, sealed by someone without the passphrase
        UnaryOperator<String> moved = text -> text.replace(Double.toString(LATITUDE), "41.9");
        try {
            restore(forge(backup, "db/records.jsonl", moved, "a guess at the passphrase"), target, empty);
            fail("a forged backup was restored");
        } catch (Backup.Refused e) {
            assertTrue(e.getMessage(), e.getMessage().contains("seal"));
        }
        // with the passphrase: a column name that would be SQL, and a file that would reconfigure the platform
        try {
            restore(
                    forge(
                            backup,
                            "about.json",
                            text -> text.replace("\"latitude\"", "\"latitude) VALUES (1); --\""),
                            PASSPHRASE),
                    target,
                    empty);
            fail("a column name that is not the schema's was used");
        } catch (Backup.Refused e) {
            assertTrue(e.getMessage(), e.getMessage().contains("columns of records"));
        }
        try {
            restore(
                    forge(
                            backup,
                            "files/etc/org.apache.felix.fileinstall-deploy.cfg",
                            text -> "felix.fileinstall.dir = /",
                            PASSPHRASE),
                    target,
                    empty);
            fail("a configuration that is not a site's was restored");
        } catch (Backup.Refused e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not a site's"));
        }
        assertEquals(0, files(empty));
        restore(backup, target, empty);
        assertEquals(entries(backup), entries(backup(target, empty)));
    }

    /**
     * The backup with one entry changed (or added), its checksum and size put right in the manifest, and the manifest
     * sealed again with the passphrase given: what someone could make who can write the backup's files.
     */
    private static byte[] forge(byte[] backup, String entry, UnaryOperator<String> change, String passphrase)
            throws Exception {
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(backup))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        byte[] old = entries.getOrDefault(entry, new byte[0]);
        byte[] changed = change.apply(new String(old, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertFalse("the change must change " + entry, Arrays.equals(old, changed));
        JsonNode about = JSON.readTree(entry.equals("about.json") ? changed : entries.get("about.json"));
        com.fasterxml.jackson.databind.node.ObjectNode manifest =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(entries.get("manifest.json"));
        com.fasterxml.jackson.databind.node.ObjectNode listed =
                ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("entries")).putObject(entry);
        listed.put(
                "sha256",
                java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(changed)));
        if (entry.startsWith("files/")) {
            listed.put("bytes", changed.length);
        } else if (entry.startsWith("db/")) {
            listed.put("rows", 3);
        }
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        byte[] seal = java.util.HexFormat.of()
                .formatHex(Backup.seal(
                                passphrase.toCharArray(),
                                java.util.Base64.getDecoder()
                                        .decode(about.at("/seal/salt").asText()),
                                about.at("/seal/iterations").asInt())
                        .doFinal(manifestBytes))
                .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (java.util.Map.Entry<String, byte[]> e : entries.entrySet()) {
                if (e.getKey().equals("manifest.json")) {
                    if (!entries.containsKey(entry)) {
                        zip.putNextEntry(new ZipEntry(entry));
                        zip.write(changed);
                        zip.closeEntry();
                    }
                    zip.putNextEntry(new ZipEntry("manifest.json"));
                    zip.write(manifestBytes);
                } else if (e.getKey().equals("manifest.seal")) {
                    zip.putNextEntry(new ZipEntry("manifest.seal"));
                    zip.write(seal);
                } else {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getKey().equals(entry) ? changed : e.getValue());
                }
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] backup(TestDatabases.Fresh store, Path folder) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection c = store.dataSource().getConnection()) {
            Backup.write(c, folder, out, PASSPHRASE.toCharArray());
        }
        return out.toByteArray();
    }

    private Backup.Summary restore(byte[] backup, TestDatabases.Fresh store, Path folder) throws Exception {
        return restore(backup, store, folder, PASSPHRASE);
    }

    private Backup.Summary restore(byte[] backup, TestDatabases.Fresh store, Path folder, String passphrase)
            throws Exception {
        try (Connection c = store.dataSource().getConnection()) {
            return Backup.restore(new ByteArrayInputStream(backup), c, folder, migrations, passphrase.toCharArray());
        }
    }

    /** The manifest's list of entries with their checksums and counts. */
    private static JsonNode entries(byte[] backup) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(backup))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("manifest.json")) {
                    // about.json is listed too: its time and seal's salt differ from backup to backup
                    com.fasterxml.jackson.databind.node.ObjectNode listed =
                            (com.fasterxml.jackson.databind.node.ObjectNode)
                                    JSON.readTree(zip.readAllBytes()).path("entries");
                    listed.remove("about.json");
                    return listed;
                }
            }
        }
        throw new AssertionError("no manifest");
    }

    /** The backup with one entry's text changed and everything else, the manifest too, as it was. */
    private static byte[] rewrite(byte[] backup, String entry, UnaryOperator<String> change) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(backup));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals(entry)) {
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    String changed = change.apply(text);
                    assertFalse("the change must change " + entry, changed.equals(text));
                    bytes = changed.getBytes(StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static long files(Path folder) throws IOException {
        try (var walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
