package org.dmiplatform.core.internal.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Versioned schema migrations: {@code db/migration/V1.sql}, {@code V2.sql}, ... applied in order, each once, in
 * one transaction (both stores change their schema transactionally). A migration already applied must not change: its checksum is
 * kept and compared at every start.
 */
public final class Migrations {
    static final String FOLDER = "db/migration/";

    /** One migration script; its first line is a {@code -- description}. */
    record Script(int version, String description, String sql, String checksum) {}

    private final List<Script> scripts;

    Migrations(List<Script> scripts) {
        this.scripts = List.copyOf(scripts);
    }

    /** Loads V1, V2, ... from the class loader until the next version is missing. */
    public static Migrations load(ClassLoader loader) {
        List<Script> found = new ArrayList<>();
        for (int version = 1; ; version++) {
            try (InputStream in = loader.getResourceAsStream(FOLDER + "V" + version + ".sql")) {
                if (in == null) {
                    break;
                }
                found.add(script(version, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read migration V" + version, e);
            }
        }
        return new Migrations(found);
    }

    static Script script(int version, String sql) {
        String first = sql.lines().findFirst().orElse("").trim();
        String description = first.startsWith("--") ? first.substring(2).trim() : "";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
            return new Script(version, description, sql, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Script> scripts() {
        return scripts;
    }

    public int latest() {
        return scripts.isEmpty() ? 0 : scripts.get(scripts.size() - 1).version();
    }

    /**
     * Brings the schema up to date.
     *
     * @return the schema version now in place
     * @throws SQLException when a migration fails (it is rolled back), an applied migration was changed, or the
     *     database was written by a newer platform
     */
    public int apply(Connection connection, Dialect dialect) throws SQLException {
        return apply(connection, dialect, latest());
    }

    /** Brings the schema up to version {@code upTo} (for a copy of a store written at that version). */
    public int apply(Connection connection, Dialect dialect, int upTo) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            ensureHistoryTable(connection);
            if (dialect == Dialect.POSTGRESQL) {
                // several nodes may start at once; only one migrates
                try (Statement st = connection.createStatement()) {
                    st.execute("SELECT pg_advisory_xact_lock(4242001)");
                }
            }
            Map<Integer, String> applied = applied(connection);
            int newest =
                    applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (newest > latest()) {
                throw new SQLException("the database is at schema version " + newest + ", written by a newer platform"
                        + " than this one (which knows versions up to " + latest() + "); run that newer platform, or"
                        + " restore the backup taken before it was installed (docs/operations.md)");
            }
            int reached = newest;
            for (Script script : scripts) {
                String checksum = applied.get(script.version());
                if (checksum != null) {
                    if (!checksum.equals(script.checksum())) {
                        throw new SQLException("migration V" + script.version() + " (" + script.description()
                                + ") was changed after it was applied; restore it and add a new version instead");
                    }
                    continue;
                }
                if (script.version() > upTo) {
                    break;
                }
                run(connection, dialect, script);
                reached = script.version();
            }
            connection.commit();
            return reached;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void ensureHistoryTable(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_history ("
                    + "version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL, "
                    + "checksum CHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
        connection.commit();
    }

    private static Map<Integer, String> applied(Connection connection) throws SQLException {
        Map<Integer, String> applied = new TreeMap<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, checksum FROM schema_history")) {
            while (rs.next()) {
                applied.put(rs.getInt(1), rs.getString(2).trim());
            }
        }
        return applied;
    }

    private static void run(Connection connection, Dialect dialect, Script script) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String statement : statements(script.sql())) {
                java.util.Optional<String> own = dialect.own(statement);
                if (own.isEmpty()) {
                    continue;
                }
                statement = own.get();
                try {
                    st.execute(dialect.migration(statement));
                } catch (SQLException e) {
                    throw new SQLException(
                            "migration V" + script.version() + " failed at: " + firstLine(statement) + ": "
                                    + e.getMessage(),
                            e.getSQLState(),
                            e);
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO schema_history (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, script.version());
            ps.setString(2, script.description());
            ps.setString(3, script.checksum());
            Sql.set(ps, 4, java.time.Instant.now());
            ps.executeUpdate();
        }
    }

    /** Splits a script on semicolons that end a line; comment lines are dropped. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                out.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static String firstLine(String statement) {
        return statement.lines().findFirst().orElse("");
    }
}
