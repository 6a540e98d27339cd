package org.dmiplatform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The two databases every storage test runs against: embedded H2 and the PostgreSQL server of the machine
 * ({@code -Ddmi.test.postgres.url}, default 127.0.0.1:5432/test as postgres). Each test gets an empty database
 * (H2) or schema (PostgreSQL) of its own.
 */
public final class TestDatabases {
    public static final String POSTGRES_URL =
            System.getProperty("dmi.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestDatabases() {}

    /** Parameters for a JUnit {@code Parameterized} test. */
    public static List<Object[]> kinds() {
        return List.of(new Object[] {"h2"}, new Object[] {"postgresql"});
    }

    /** A fresh, empty data source; {@code close} drops it. */
    public static Fresh fresh(String kind) {
        String name =
                "dmi_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (kind.equals("h2")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
            return new Fresh(h2, () -> exec(h2, "SHUTDOWN"));
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
