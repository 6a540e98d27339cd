package org.dmiplatform.core.internal.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.dmiplatform.api.access.AuditLog.Verification;
import org.dmiplatform.core.internal.Folders;
import org.dmiplatform.core.internal.access.AuditChain;
import org.sqlite.SQLiteDataSource;

/**
 * A backup of everything the platform keeps, and its restore. The backup is one zip stream: the database read in a
 * single snapshot while the platform may go on writing (SQLite's write-ahead log, PostgreSQL's repeatable read), each
 * table as JSON lines in the order its references need, and the data folder's {@code etc/} (site configurations),
 * {@code sites/} (profiles, code tables, local directories, layers) and {@code imports/} (uploads kept for a re-run).
 * Its last entry lists every other entry's SHA-256 and row count. {@code ./dmi backup} pipes it through
 * {@code gpg --symmetric}, so the archive on disk is an OpenPGP message (AES-256) that {@code gpg} alone can open.
 *
 * <p>A restore goes into an empty store and an empty data folder, all or nothing: the schema is built up to the
 * backup's version, every row is inserted in one transaction that commits only once every entry matched the list,
 * the audit chain verified and the sequences are set; the files wait in a staging folder until then. Later migrations
 * then bring the store up to this platform's version, as they would have at a start. Memory stays constant: rows and
 * files stream through.
 *
 * <p>Run without the platform (its classes and the JDBC drivers on the class path) by {@code ./dmi backup} and
 * {@code ./dmi restore}: {@code java Backup backup DATA > zip}, {@code java Backup restore DATA < zip}, with the
 * store named as the platform names it ({@code DMI_DB_URL}, {@code DMI_DB_USER}, {@code DMI_DB_PASSWORD}, else the
 * embedded store in {@code DATA/db/dmi.sqlite}).
 */
public final class Backup {
    static final int FORMAT = 1;
    static final List<String> FOLDERS = List.of("etc", "sites", "imports");
    static final String ABOUT = "about.json";
    static final String MANIFEST = "manifest.json";
    /** The manifest's seal: HMAC-SHA256 of its bytes, keyed by the passphrase, so no one without it can forge one. */
    static final String SEAL = "manifest.seal";
    /** PBKDF2-HMAC-SHA256 stretches the passphrase into the seal's key (OWASP's 2023 count for this function). */
    static final int ITERATIONS = 600_000;
    /**
     * The only configuration files a backup carries and a restore writes into {@code etc/}: a site's and its plug-ins'
     * ({@code <factory PID>-<site>.cfg}, as provisioning writes them), never one that reconfigures the platform itself.
     */
    static final java.util.regex.Pattern SITE_CONFIGURATION =
            java.util.regex.Pattern.compile("org\\.dmiplatform\\.[a-z0-9]+(\\.[a-z0-9]+)*-[a-z0-9][a-z0-9-]*\\.cfg");

    /**
     * Who is logged in, not what the platform keeps: a restored session could outlive a log-out made after the backup,
     * so sessions and log-ins waiting for their second factor are neither backed up nor restored (everyone logs in
     * again after a restore).
     */
    static final Set<String> NOT_BACKED_UP = Set.of("sessions", "pending_log_ins", "run_results");

    private static final int BATCH = 1000;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private Backup() {}

    /** What a backup held, or a restore put back. */
    public record Summary(int schema, int tables, long rows, long files, long fileBytes, Verification audit) {
        String describe() {
            return String.format(
                    Locale.ROOT,
                    "schema version %d, %d tables, %,d rows, %,d files (%,d bytes); audit chain %s (%,d entries)",
                    schema,
                    tables,
                    rows,
                    files,
                    fileBytes,
                    audit.intact()
                            ? "intact"
                            : "BROKEN at entry " + audit.firstBrokenId().orElse(-1L),
                    audit.entries());
        }
    }

    /** A backup or restore that cannot go on; its message says why, in words for the operator. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** One table of the store: its columns and its key (the order rows are written in, and its id counter's column). */
    record Table(String name, List<String> columns, List<String> key) {}

    // ---- backup ---------------------------------------------------------------------------------------------------

    /**
     * Writes the backup of {@code store} and the data folder to {@code out}, which is left open, sealed with a key
     * stretched from {@code passphrase} (the same passphrase that encrypts the archive).
     */
    public static Summary write(Connection store, Path data, OutputStream out, char[] passphrase)
            throws SQLException, IOException {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        javax.crypto.Mac seal = seal(passphrase, salt, ITERATIONS);
        Dialect dialect = Dialect.of(store);
        store.setAutoCommit(false);
        if (dialect == Dialect.POSTGRESQL) {
            store.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            store.setReadOnly(true);
            try (Statement st = store.createStatement()) {
                st.execute("SET TIME ZONE 'UTC'");
            }
        }
        try {
            int schema = schemaVersion(store);
            List<Table> tables = tables(store, dialect);
            ZipOutputStream zip = new ZipOutputStream(new KeepOpen(out));
            ObjectNode about = JSON.createObjectNode()
                    .put("format", FORMAT)
                    .put("schema", schema)
                    .put("store", dialect.name().toLowerCase(Locale.ROOT))
                    .put("made", Instant.now().toString());
            about.putObject("seal")
                    .put("mac", "HmacSHA256")
                    .put("kdf", "PBKDF2WithHmacSHA256")
                    .put("iterations", ITERATIONS)
                    .put("salt", Base64.getEncoder().encodeToString(salt));
            ArrayNode aboutTables = about.putArray("tables");
            for (Table table : tables) {
                ObjectNode t = aboutTables.addObject().put("name", table.name());
                table.columns().forEach(t.putArray("columns")::add);
            }
            byte[] aboutBytes = JSON.writeValueAsBytes(about);
            zip.putNextEntry(new ZipEntry(ABOUT));
            zip.write(aboutBytes);
            zip.closeEntry();

            ObjectNode manifest = JSON.createObjectNode();
            ObjectNode entries = manifest.putObject("entries");
            entries.putObject(ABOUT).put("sha256", HexFormat.of().formatHex(sha256().digest(aboutBytes)));
            long rows = 0;
            for (Table table : tables) {
                String name = "db/" + table.name() + ".jsonl";
                zip.putNextEntry(new ZipEntry(name));
                DigestOutputStream digest = new DigestOutputStream(new KeepOpen(zip), sha256());
                long count = dump(store, dialect, table, digest);
                zip.closeEntry();
                entries.putObject(name).put("sha256", hex(digest)).put("rows", count);
                rows += count;
            }
            ObjectNode sequences = manifest.putObject("sequences");
            for (Table table : tables) {
                Long value = sequence(store, dialect, table);
                if (value != null) {
                    sequences.put(table.name(), value);
                }
            }
            long files = 0;
            long bytes = 0;
            for (String folder : FOLDERS) {
                for (Path file : files(data.resolve(folder))) {
                    if (folder.equals("etc") && !isSiteConfiguration(data.resolve(folder), file)) {
                        continue; // not the platform's to restore: see SITE_CONFIGURATION
                    }
                    String name = "files/" + folder + "/" + relative(data.resolve(folder), file);
                    zip.putNextEntry(new ZipEntry(name));
                    DigestOutputStream digest = new DigestOutputStream(new KeepOpen(zip), sha256());
                    long size = Files.copy(file, digest);
                    zip.closeEntry();
                    entries.putObject(name).put("sha256", hex(digest)).put("bytes", size);
                    files++;
                    bytes += size;
                }
            }
            Verification audit = AuditChain.verify(store);
            manifest.putObject("audit").put("intact", audit.intact()).put("entries", audit.entries());
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(manifestBytes);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(SEAL));
            zip.write(HexFormat.of().formatHex(seal.doFinal(manifestBytes)).getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
            zip.finish();
            zip.flush();
            return new Summary(schema, tables.size(), rows, files, bytes, audit);
        } finally {
            store.rollback();
        }
    }

    private static long dump(Connection store, Dialect dialect, Table table, OutputStream out)
            throws SQLException, IOException {
        String order = table.key().isEmpty() ? "" : " ORDER BY " + String.join(", ", table.key());
        try (PreparedStatement ps = store.prepareStatement(
                        "SELECT " + String.join(", ", table.columns()) + " FROM " + table.name() + order);
                JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.setRootValueSeparator(new SerializedString("\n"));
            ps.setFetchSize(BATCH);
            long rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                int n = table.columns().size();
                while (rs.next()) {
                    json.writeStartArray();
                    for (int i = 1; i <= n; i++) {
                        writeValue(json, dialect, rs, i);
                    }
                    json.writeEndArray();
                    rows++;
                }
            }
            json.writeRaw('\n');
            return rows;
        }
    }

    /**
     * A value as the store keeps it. SQLite's values are typed (integer, real, text, bytes), and a real read as text
     * would lose digits, so they are written as JSON numbers; PostgreSQL's are written as its own text form, which
     * reads back exactly into the column's type (times in UTC).
     */
    private static void writeValue(JsonGenerator json, Dialect dialect, ResultSet rs, int i)
            throws SQLException, IOException {
        if (dialect == Dialect.POSTGRESQL) {
            String text = rs.getString(i);
            if (text == null) {
                json.writeNull();
            } else {
                json.writeString(text);
            }
            return;
        }
        Object value = rs.getObject(i);
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number number) {
            json.writeNumber(number.doubleValue());
        } else if (value instanceof byte[] bytes) {
            json.writeStartObject();
            json.writeStringField("bytes", Base64.getEncoder().encodeToString(bytes));
            json.writeEndObject();
        } else {
            json.writeString(value.toString());
        }
    }

    // ---- restore --------------------------------------------------------------------------------------------------

    /**
     * Restores a backup read from {@code in} into {@code store} and the data folder {@code data}, both empty.
     *
     * The store is left at the backup's schema version: the platform's next start brings it up to its own, as
     * after any upgrade.
     *
     * @throws Refused when the target is not empty, the backup is of another store or a newer platform, its seal
     *     does not match the passphrase, or any entry does not match its listed hash or row count; nothing is then
     *     left in the store or the folder
     */
    public static Summary restore(InputStream in, Connection store, Path data, Migrations migrations, char[] passphrase)
            throws SQLException, IOException, Refused {
        Dialect dialect = Dialect.of(store);
        for (String folder : FOLDERS) {
            if (!files(data.resolve(folder)).isEmpty()) {
                throw new Refused("the data folder " + data + " is not empty (" + folder + "/ holds files): restore"
                        + " into an empty data folder");
            }
        }
        ZipInputStream zip = new ZipInputStream(new KeepOpenInput(in));
        ZipEntry first = zip.getNextEntry();
        if (first == null || !first.getName().equals(ABOUT)) {
            throw new Refused("this is not a DMI Platform backup (it does not begin with " + ABOUT + ")");
        }
        byte[] aboutBytes = new KeepOpenInput(zip).readAllBytes();
        JsonNode about = JSON.readTree(aboutBytes);
        if (about.path("format").asInt() != FORMAT) {
            throw new Refused(
                    "the backup's format " + about.path("format") + " is not one this platform reads (" + FORMAT + ")");
        }
        int schema = about.path("schema").asInt();
        if (schema < 1 || schema > migrations.latest()) {
            throw new Refused("the backup is at schema version " + schema + ", written by a newer platform than this"
                    + " one (which knows versions up to " + migrations.latest() + "): restore it with that platform");
        }
        String from = about.path("store").asText();
        if (!from.equals(dialect.name().toLowerCase(Locale.ROOT))) {
            throw new Refused("the backup is of a " + from + " store and restores into the same kind of store, not"
                    + " into " + dialect.name().toLowerCase(Locale.ROOT));
        }
        javax.crypto.Mac seal = seal(passphrase, about.path("seal"));
        Map<String, List<String>> columns = new LinkedHashMap<>();
        about.path("tables").forEach(t -> {
            List<String> names = new ArrayList<>();
            t.path("columns").forEach(c -> names.add(c.asText()));
            columns.put(t.path("name").asText(), names);
        });
        if (migrations.apply(store, dialect, schema) != schema) {
            throw new Refused("the store cannot be built at the backup's schema version " + schema);
        }
        Map<String, Table> present = new LinkedHashMap<>();
        for (Table table : tables(store, dialect)) {
            present.put(table.name(), table);
            if (!table.name().equals("audit_head") && hasRows(store, table.name())) {
                throw new Refused("the store is not empty (" + table.name() + " holds rows): restore into an empty"
                        + " database");
            }
        }
        for (Map.Entry<String, List<String>> table : columns.entrySet()) {
            Table live = present.get(table.getKey());
            if (live == null) {
                throw new Refused(
                        "the backup's table " + table.getKey() + " is not in this platform's schema version " + schema);
            }
            // the names go into the statements: they must be the schema's own, each once
            if (!new java.util.HashSet<>(table.getValue()).equals(new java.util.HashSet<>(live.columns()))
                    || table.getValue().size() != live.columns().size()) {
                throw new Refused("the backup's columns of " + table.getKey() + " are not those of this platform's"
                        + " schema version " + schema);
            }
        }
        Path staging = Files.createTempDirectory(Files.createDirectories(data), ".restore-");
        boolean autoCommit = store.getAutoCommit();
        store.setAutoCommit(false);
        try {
            if (dialect == Dialect.SQLITE) {
                try (Statement st = store.createStatement()) {
                    st.execute("PRAGMA defer_foreign_keys = ON");
                }
            }
            try (Statement st = store.createStatement()) {
                // the head a migration seeded is replaced by the backup's
                st.execute("DELETE FROM audit_head");
            }
            Map<String, String> hashes = new TreeMap<>();
            Map<String, Long> counts = new TreeMap<>();
            hashes.put(ABOUT, HexFormat.of().formatHex(sha256().digest(aboutBytes)));
            counts.put(ABOUT, -1L);
            byte[] manifestBytes = null;
            JsonNode manifest = null;
            String sealed = null;
            long files = 0;
            long bytes = 0;
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName();
                if (sealed != null || (manifest != null && !name.equals(SEAL))) {
                    throw new Refused("the backup has an entry after its manifest: " + name);
                }
                if (hashes.containsKey(name)) {
                    throw new Refused("the backup holds " + name + " twice");
                }
                DigestInputStream digest = new DigestInputStream(new KeepOpenInput(zip), sha256());
                if (name.equals(MANIFEST)) {
                    manifestBytes = new KeepOpenInput(zip).readAllBytes();
                    manifest = JSON.readTree(manifestBytes);
                    continue;
                } else if (name.equals(SEAL)) {
                    sealed = new String(new KeepOpenInput(zip).readNBytes(200), StandardCharsets.US_ASCII);
                    continue;
                } else if (name.startsWith("db/") && name.endsWith(".jsonl")) {
                    String table = name.substring(3, name.length() - 6);
                    List<String> names = columns.get(table);
                    if (names == null) {
                        throw new Refused("the backup's entry " + name + " is not a table its " + ABOUT + " lists");
                    }
                    counts.put(name, load(store, dialect, table, names, digest));
                } else if (name.startsWith("files/")) {
                    Path target = stagedFile(staging, name);
                    Files.createDirectories(target.getParent());
                    long size = Files.copy(digest, target);
                    counts.put(name, size);
                    files++;
                    bytes += size;
                } else {
                    throw new Refused("the backup holds an entry this platform does not know: " + name);
                }
                digest.transferTo(OutputStream.nullOutputStream());
                hashes.put(name, hex(digest.getMessageDigest()));
            }
            if (manifest == null) {
                throw new Refused("the backup ends before its manifest: it was cut short, nothing was restored");
            }
            byte[] expected = seal.doFinal(manifestBytes);
            if (sealed == null
                    || !java.security.MessageDigest.isEqual(
                            expected,
                            sealed.strip().getBytes(StandardCharsets.US_ASCII).length == 64
                                    ? HexFormat.of().parseHex(sealed.strip())
                                    : new byte[0])) {
                throw new Refused("the backup's seal does not match the passphrase: a wrong passphrase, or a backup"
                        + " changed or not written by ./dmi backup; nothing was restored");
            }
            check(manifest, hashes, counts, columns.keySet());
            for (Map.Entry<String, JsonNode> sequence : fields(manifest.path("sequences"))) {
                setSequence(
                        store,
                        dialect,
                        sequence.getKey(),
                        present.get(sequence.getKey()),
                        sequence.getValue().asLong());
            }
            Verification audit = AuditChain.verify(store);
            if (manifest.path("audit").path("intact").asBoolean() && !audit.intact()) {
                throw new Refused("the restored audit chain does not verify (broken at entry "
                        + audit.firstBrokenId().orElse(-1L) + ") although the backup's did");
            }
            // the files into place, then the commit as the very last step: a failure before it undoes both
            List<Path> placed = new ArrayList<>();
            try {
                for (String folder : FOLDERS) {
                    Path staged = staging.resolve(folder);
                    if (Files.isDirectory(staged)) {
                        Path target = data.resolve(folder);
                        Folders.deleteTree(target); // no files in it, as checked above
                        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                        placed.add(target);
                    }
                }
                store.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                for (Path target : placed) {
                    Folders.deleteTree(target);
                }
                throw e;
            }
            long rows = counts.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("db/"))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            return new Summary(schema, columns.size(), rows, files, bytes, audit);
        } catch (SQLException | IOException | RuntimeException | Refused e) {
            store.rollback();
            throw e;
        } finally {
            store.setAutoCommit(autoCommit);
            Folders.deleteTree(staging);
        }
    }

    private static void check(
            JsonNode manifest, Map<String, String> hashes, Map<String, Long> counts, Set<String> tables)
            throws Refused {
        Map<String, JsonNode> listed = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : fields(manifest.path("entries"))) {
            listed.put(e.getKey(), e.getValue());
        }
        for (String table : tables) {
            if (!listed.containsKey("db/" + table + ".jsonl")) {
                throw new Refused("the backup's manifest does not list the table " + table);
            }
        }
        if (!listed.keySet().equals(hashes.keySet())) {
            Set<String> missing = new LinkedHashSet<>(listed.keySet());
            missing.removeAll(hashes.keySet());
            Set<String> extra = new LinkedHashSet<>(hashes.keySet());
            extra.removeAll(listed.keySet());
            throw new Refused("the backup's entries differ from its manifest (missing " + missing + ", not listed "
                    + extra + "): nothing was restored");
        }
        for (Map.Entry<String, JsonNode> e : listed.entrySet()) {
            JsonNode item = e.getValue();
            long expected = e.getKey().startsWith("db/")
                    ? item.path("rows").asLong(-1)
                    : item.path("bytes").asLong(-1);
            if (!item.path("sha256").asText().equals(hashes.get(e.getKey())) || expected != counts.get(e.getKey())) {
                throw new Refused("the backup's entry " + e.getKey() + " does not match its manifest (changed or"
                        + " damaged): nothing was restored");
            }
        }
    }

    private static long load(Connection store, Dialect dialect, String table, List<String> columns, InputStream in)
            throws SQLException, IOException, Refused {
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        long rows = 0;
        try (PreparedStatement ps = store.prepareStatement(sql);
                JsonParser lines = JSON.createParser(in)) {
            int pending = 0;
            while (lines.nextToken() != null) {
                JsonNode row = JSON.readTree(lines);
                if (!row.isArray() || row.size() != columns.size()) {
                    throw new Refused(
                            "the backup's table " + table + " has a row of the wrong shape (row " + (rows + 1) + ")");
                }
                for (int i = 0; i < columns.size(); i++) {
                    bindValue(ps, dialect, i + 1, row.get(i));
                }
                ps.addBatch();
                rows++;
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
        return rows;
    }

    private static void bindValue(PreparedStatement ps, Dialect dialect, int index, JsonNode value)
            throws SQLException {
        if (value.isNull()) {
            ps.setNull(index, Types.NULL);
        } else if (dialect == Dialect.POSTGRESQL) {
            // the text form, typed by the column it goes into
            ps.setObject(index, value.asText(), Types.OTHER);
        } else if (value.isIntegralNumber()) {
            ps.setLong(index, value.longValue());
        } else if (value.isNumber()) {
            ps.setDouble(index, value.doubleValue());
        } else if (value.isObject()) {
            ps.setBytes(index, Base64.getDecoder().decode(value.path("bytes").asText()));
        } else {
            ps.setString(index, value.asText());
        }
    }

    private static Path stagedFile(Path staging, String name) throws Refused {
        String[] parts = name.substring("files/".length()).split("/", -1);
        if (parts.length < 2 || !FOLDERS.contains(parts[0])) {
            throw new Refused("the backup's file " + name + " is not in " + FOLDERS);
        }
        if (parts[0].equals("etc")
                && (parts.length != 2 || !SITE_CONFIGURATION.matcher(parts[1]).matches())) {
            throw new Refused("the backup's file " + name + " is not a site's or a site plug-in's configuration"
                    + " (org.dmiplatform.<kind>-<site>.cfg); nothing was restored");
        }
        Path target = staging;
        for (String part : parts) {
            if (part.isEmpty()
                    || part.equals(".")
                    || part.equals("..")
                    || part.contains("\\")
                    || part.indexOf(0) >= 0) {
                throw new Refused("the backup's file name " + name + " is not a plain path inside the data folder");
            }
            target = target.resolve(part);
        }
        if (!target.normalize().startsWith(staging)) {
            throw new Refused("the backup's file name " + name + " leads outside the data folder");
        }
        return target;
    }

    /** A file in {@code etc/} that a backup carries: directly in it and named as provisioning names them. */
    private static boolean isSiteConfiguration(Path etc, Path file) {
        return file.getParent().equals(etc)
                && SITE_CONFIGURATION.matcher(file.getFileName().toString()).matches();
    }

    /** The seal's MAC, keyed by the passphrase stretched with the salt. */
    public static javax.crypto.Mac seal(char[] passphrase, byte[] salt, int iterations) {
        try {
            javax.crypto.SecretKeyFactory factory = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            javax.crypto.spec.PBEKeySpec spec = new javax.crypto.spec.PBEKeySpec(passphrase, salt, iterations, 256);
            byte[] key = factory.generateSecret(spec).getEncoded();
            spec.clearPassword();
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            java.util.Arrays.fill(key, (byte) 0);
            return mac;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2 or HMAC-SHA256: " + e.getMessage(), e);
        }
    }

    /** The seal's MAC as a backup's {@code about.json} describes it, within bounds (no endless key stretching). */
    private static javax.crypto.Mac seal(char[] passphrase, JsonNode described) throws Refused {
        int iterations = described.path("iterations").asInt();
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(described.path("salt").asText());
        } catch (IllegalArgumentException e) {
            salt = new byte[0];
        }
        if (!described.path("mac").asText().equals("HmacSHA256")
                || !described.path("kdf").asText().equals("PBKDF2WithHmacSHA256")
                || iterations < 100_000
                || iterations > 10_000_000
                || salt.length < 16) {
            throw new Refused("the backup carries no seal this platform checks: it was not written by ./dmi backup");
        }
        return seal(passphrase, salt, iterations);
    }

    // ---- the store's tables ---------------------------------------------------------------------------------------

    private static int schemaVersion(Connection store) throws SQLException {
        try (Statement st = store.createStatement();
                ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_history")) {
            rs.next();
            int version = rs.getInt(1);
            if (version < 1) {
                throw new SQLException("the store has no schema yet: there is nothing to back up");
            }
            return version;
        } catch (SQLException e) {
            throw new SQLException("the store is not a DMI Platform store (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Every table of the platform's schema (not the migration history, nor {@link #NOT_BACKED_UP}), each after the
     * tables it references.
     */
    static List<Table> tables(Connection store, Dialect dialect) throws SQLException {
        DatabaseMetaData meta = store.getMetaData();
        String schema = dialect == Dialect.POSTGRESQL ? store.getSchema() : null;
        Map<String, Table> byName = new TreeMap<>();
        Map<String, Set<String>> references = new TreeMap<>();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                // the scheduler's job store belongs to the running nodes: each start schedules its work afresh
                if (!name.startsWith("sqlite_")
                        && !name.equals("schema_history")
                        && !name.startsWith("qrtz_")
                        && !NOT_BACKED_UP.contains(name)) {
                    names.add(name);
                }
            }
        }
        for (String name : names) {
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, schema, name, "%")) {
                Map<Integer, String> ordered = new TreeMap<>();
                while (rs.next()) {
                    // the name is a pattern, in which '_' stands for any letter
                    if (rs.getString("TABLE_NAME").equalsIgnoreCase(name)) {
                        ordered.put(
                                rs.getInt("ORDINAL_POSITION"),
                                rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
                columns.addAll(ordered.values());
            }
            List<String> key = new ArrayList<>();
            try (ResultSet rs = meta.getPrimaryKeys(null, schema, name)) {
                Map<Integer, String> ordered = new TreeMap<>();
                while (rs.next()) {
                    ordered.put(
                            rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
                key.addAll(ordered.values());
            }
            Set<String> refs = new LinkedHashSet<>();
            try (ResultSet rs = meta.getImportedKeys(null, schema, name)) {
                while (rs.next()) {
                    String referenced = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!referenced.equals(name)) {
                        refs.add(referenced);
                    }
                }
            }
            byName.put(name, new Table(name, List.copyOf(columns), List.copyOf(key)));
            references.put(name, refs);
        }
        // each table after those it references (a cycle, which the schema has none of, keeps name order)
        List<Table> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (placed.size() < byName.size()) {
            boolean progress = false;
            for (String name : byName.keySet()) {
                if (!placed.contains(name)
                        && placed.containsAll(references.get(name).stream()
                                .filter(byName::containsKey)
                                .toList())) {
                    placed.add(name);
                    ordered.add(byName.get(name));
                    progress = true;
                }
            }
            if (!progress) {
                byName.keySet().stream().filter(n -> !placed.contains(n)).forEach(n -> {
                    placed.add(n);
                    ordered.add(byName.get(n));
                });
            }
        }
        return ordered;
    }

    private static boolean hasRows(Connection store, String table) throws SQLException {
        try (Statement st = store.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
            return rs.next();
        }
    }

    /** The table's id counter, when it has one: the last id handed out, which may be above the highest kept. */
    private static Long sequence(Connection store, Dialect dialect, Table table) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (PreparedStatement ps = store.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = ?")) {
                ps.setString(1, table.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            } catch (SQLException noAutoincrementTable) {
                return null;
            }
        }
        if (table.key().size() != 1) {
            return null;
        }
        String sequence;
        try (PreparedStatement ps = store.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
            ps.setString(1, table.name());
            ps.setString(2, table.key().get(0));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                sequence = rs.getString(1);
            }
        }
        if (sequence == null) {
            return null;
        }
        try (Statement st = store.createStatement();
                ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + sequence)) {
            rs.next();
            return rs.getBoolean(2) ? rs.getLong(1) : null;
        }
    }

    /** Sets a table's id counter; {@code live} is the schema's table of that name (null when there is none). */
    private static void setSequence(Connection store, Dialect dialect, String table, Table live, long value)
            throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (PreparedStatement delete = store.prepareStatement("DELETE FROM sqlite_sequence WHERE name = ?");
                    PreparedStatement insert =
                            store.prepareStatement("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)")) {
                delete.setString(1, table);
                delete.executeUpdate();
                insert.setString(1, table);
                insert.setLong(2, value);
                insert.executeUpdate();
            }
            return;
        }
        if (live != null && live.key().size() == 1) {
            try (PreparedStatement ps =
                    store.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), ?, true)")) {
                ps.setString(1, table);
                ps.setString(2, live.key().get(0));
                ps.setLong(3, value);
                ps.executeQuery().close();
            }
        }
    }

    // ---- files ----------------------------------------------------------------------------------------------------

    /** The regular files under a folder, in name order; links are not followed. */
    private static List<Path> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.comparing(p -> relative(folder, p)))
                    .toList();
        }
    }

    private static String relative(Path folder, Path file) {
        return folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        node.fields().forEachRemaining(out::add);
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(DigestOutputStream digest) {
        return hex(digest.getMessageDigest());
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Lets a writer close its view without closing the zip underneath. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static final class KeepOpenInput extends FilterInputStream {
        KeepOpenInput(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }

    // ---- the command ----------------------------------------------------------------------------------------------

    /**
     * {@code backup DATA} writes the backup to standard output; {@code restore DATA} reads one from standard input.
     * Messages go to standard error; the exit status is 0 when done, 1 when refused, 2 for wrong usage.
     */
    public static void main(String[] args) {
        if (args.length != 3 || !(args[0].equals("backup") || args[0].equals("restore"))) {
            System.err.println("usage: Backup backup|restore DATA_FOLDER PASSPHRASE_FILE (the archive on standard"
                    + " output or input; the passphrase file is read once, e.g. /dev/fd/3)");
            System.exit(2);
        }
        Path data = Path.of(args[1]).toAbsolutePath();
        char[] passphrase;
        try {
            passphrase =
                    Files.readString(Path.of(args[2]), StandardCharsets.UTF_8).toCharArray();
        } catch (IOException e) {
            System.err.println(args[0] + " failed: cannot read the passphrase from " + args[2]);
            System.exit(2);
            return;
        }
        try (Connection store = open(data, args[0].equals("restore"))) {
            if (args[0].equals("backup")) {
                Summary summary = write(store, data, System.out, passphrase);
                System.out.flush();
                System.err.println("backed up " + summary.describe());
            } else {
                Summary summary =
                        restore(System.in, store, data, Migrations.load(Backup.class.getClassLoader()), passphrase);
                // the zip's directory, so that the decrypting process upstream ends without a broken pipe
                System.in.transferTo(OutputStream.nullOutputStream());
                System.err.println("restored " + summary.describe());
            }
            System.exit(0);
        } catch (Refused e) {
            System.err.println(args[0] + " refused: " + e.getMessage());
        } catch (SQLException | IOException | RuntimeException e) {
            System.err.println(args[0] + " failed: " + e.getMessage());
        }
        System.exit(1);
    }

    /** The store the platform would open with the same environment. */
    private static Connection open(Path data, boolean restoring) throws SQLException, IOException {
        String url = System.getenv("DMI_DB_URL");
        if (url == null || url.isBlank()) {
            Path file = data.resolve("db").resolve("dmi.sqlite");
            if (!restoring && !Files.isRegularFile(file)) {
                throw new SQLException("there is no embedded store at " + file + " (is DMI_DATA right?)");
            }
            if (restoring) {
                Files.createDirectories(file.getParent());
            }
            url = "jdbc:sqlite:" + file;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl(url);
            EmbeddedStoreFactory.durable(ds);
            return ds.getConnection();
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new SQLException("DMI_DB_URL must be a jdbc:postgresql: URL");
        }
        String user = System.getenv().getOrDefault("DMI_DB_USER", "dmi");
        String password = System.getenv().getOrDefault("DMI_DB_PASSWORD", "");
        return DriverManager.getConnection(url, user, password);
    }
}
