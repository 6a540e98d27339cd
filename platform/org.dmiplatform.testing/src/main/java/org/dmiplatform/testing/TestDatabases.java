package org.dmiplatform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * The two stores every storage test runs against: the embedded SQLite store, configured as the distribution
 * configures it, and the PostgreSQL server of the machine ({@code -Ddmi.test.postgres.url}, default
 * 127.0.0.1:5432/test as postgres). Each test gets an empty database file (SQLite) or schema (PostgreSQL) of its own.
 */
public final class TestDatabases {
    public static final String POSTGRES_URL =
            System.getProperty("dmi.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestDatabases() {}

    /** Parameters for a JUnit {@code Parameterized} test. */
    public static List<Object[]> kinds() {
        return List.of(new Object[] {"sqlite"}, new Object[] {"postgresql"});
    }

    /** A fresh, empty data source; {@code close} drops it. */
    public static Fresh fresh(String kind) {
        String name =
                "dmi_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (kind.equals("sqlite")) {
            try {
                Path folder = Files.createTempDirectory(name);
                return new Fresh(sqlite(folder.resolve("dmi.sqlite")), () -> delete(folder));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (Connection c = DriverManager.getConnection(POSTGRES_URL);
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL is needed for the storage tests and did not answer at " + POSTGRES_URL
                            + " (start it as .ci/run does, or set -Ddmi.test.postgres.url): " + e.getMessage(),
                    e);
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(POSTGRES_URL);
        pg.setCurrentSchema(name);
        return new Fresh(pg, () -> exec(pg, "DROP SCHEMA " + name + " CASCADE"));
    }

    /** The embedded store at a file, opened as the platform opens it (the core's EmbeddedStoreFactory). */
    public static DataSource sqlite(Path file) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        ds.setJournalMode("WAL");
        ds.setSynchronous("FULL");
        ds.setEnforceForeignKeys(true);
        ds.setBusyTimeout(30_000);
        return ds;
    }

    private static void delete(Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void exec(DataSource ds, String sql) {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Fresh(DataSource dataSource, Runnable drop) implements AutoCloseable {
        public void sql(String statement) {
            exec(dataSource, statement);
        }

        @Override
        public void close() {
            drop.run();
        }
    }
}
