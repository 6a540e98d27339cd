package org.dmiplatform.adapter.jdbc.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.util.UUID;
import javax.sql.DataSource;
import org.dmiplatform.testing.TestDatabases;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A records-management database of its own on one of the machine's servers: a PostgreSQL schema or a MariaDB
 * database, with a user that may only SELECT from it, as a department would grant the platform. Dropped on close.
 */
final class RmsDatabase implements AutoCloseable {
    static final String MARIADB_URL =
            System.getProperty("dmi.test.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    enum Kind {
        POSTGRESQL("org.postgresql.Driver"),
        MARIADB("org.mariadb.jdbc.Driver");

        final String driver;

        Kind(String driver) {
            this.driver = driver;
        }

        String adminUrl() {
            return this == POSTGRESQL ? TestDatabases.POSTGRES_URL : MARIADB_URL;
        }
    }

    final Kind kind;
    final String name;
    final String reader;
    final String readerPassword;

    private RmsDatabase(Kind kind, String name) {
        this.kind = kind;
        this.name = name;
        this.reader = name.replace("rms_jdbc_test_", "rms_reader_");
        this.readerPassword = "Rd-" + UUID.randomUUID().toString().substring(0, 13);
    }

    static RmsDatabase create(Kind kind) {
        String name =
                "rms_jdbc_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        RmsDatabase db = new RmsDatabase(kind, name);
        try (Connection c = DriverManager.getConnection(kind.adminUrl());
                Statement st = c.createStatement()) {
            if (kind == Kind.POSTGRESQL) {
                st.execute("CREATE SCHEMA " + name);
                st.execute("CREATE ROLE " + db.reader + " LOGIN PASSWORD '" + db.readerPassword + "'");
                st.execute("GRANT USAGE ON SCHEMA " + name + " TO " + db.reader);
                st.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA " + name + " GRANT SELECT ON TABLES TO " + db.reader);
            } else {
                st.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
                st.execute("CREATE USER '" + db.reader + "'@'%' IDENTIFIED BY '" + db.readerPassword + "'");
                st.execute("GRANT SELECT ON " + name + ".* TO '" + db.reader + "'@'%'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    kind + " is needed for the JDBC adapter tests and did not answer at " + kind.adminUrl()
                            + " (start it, or set -Ddmi.test.postgres.url / -Ddmi.test.mariadb.url): "
                            + e.getMessage(),
                    e);
        }
        return db;
    }

    /** The URL the adapter is configured with: the server, and this schema or database. */
    String url() {
        String base = kind.adminUrl().split("\\?")[0];
        return kind == Kind.POSTGRESQL
                ? base + "?currentSchema=" + name
                : base.substring(0, base.lastIndexOf('/') + 1) + name;
    }

    /** The same server's host with a port nothing listens on. */
    String unreachableUrl(int port) {
        String base = kind.adminUrl().split("\\?")[0];
        return base.replaceFirst("//([^/:]+)(:\\d+)?/", "//$1:" + port + "/");
    }

    /** The server and database as messages name them. */
    String location() {
        String base = url().substring("jdbc:".length()).split("\\?")[0];
        return base;
    }

    /** A plain data source, as a test passes instead of the framework's DataSourceFactory. */
    static DataSource dataSource(Kind kind, String url, String user, String password) throws SQLException {
        if (kind == Kind.POSTGRESQL) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            pg.setUser(user);
            pg.setPassword(password);
            return pg;
        }
        MariaDbDataSource maria = new MariaDbDataSource(url);
        maria.setUser(user);
        maria.setPassword(password);
        return maria;
    }

    /** A connection as the owner, with this schema or database as the default. */
    Connection admin() throws SQLException {
        Connection c = DriverManager.getConnection(kind.adminUrl());
        try (Statement st = c.createStatement()) {
            st.execute(kind == Kind.POSTGRESQL ? "SET search_path TO " + name : "USE " + name);
        }
        return c;
    }

    void sql(String... statements) {
        try (Connection c = admin();
                Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A local date-time column: an RMS's ordinary timestamps, in the department's time. */
    String timestamp() {
        return kind == Kind.POSTGRESQL ? "TIMESTAMP(3)" : "DATETIME(3)";
    }

    /** The server's date-time that knows its instant: PostgreSQL's timestamptz, MariaDB's TIMESTAMP. */
    String timestampWithZone() {
        return kind == Kind.POSTGRESQL ? "TIMESTAMPTZ" : "TIMESTAMP(3) NULL";
    }

    /**
     * Binds a moment to a {@link #timestampWithZone()} column: PostgreSQL keeps the instant; MariaDB's TIMESTAMP
     * comes back as the session's local time, so it is written as the department's local time.
     */
    void setMoment(PreparedStatement insert, int index, ZonedDateTime at) throws SQLException {
        insert.setObject(index, kind == Kind.POSTGRESQL ? at.toOffsetDateTime() : at.toLocalDateTime());
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(kind.adminUrl());
                Statement st = c.createStatement()) {
            if (kind == Kind.POSTGRESQL) {
                st.execute("DROP SCHEMA " + name + " CASCADE");
                st.execute("DROP OWNED BY " + reader);
                st.execute("DROP ROLE " + reader);
            } else {
                st.execute("DROP DATABASE " + name);
                st.execute("DROP USER '" + reader + "'@'%'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
