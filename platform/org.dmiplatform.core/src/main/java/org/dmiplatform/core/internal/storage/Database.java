package org.dmiplatform.core.internal.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import javax.sql.DataSource;
import org.dmiplatform.api.StorageUnavailableException;
import org.dmiplatform.core.internal.Folders;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's database: the pax-jdbc data source named {@code dmi} (the embedded SQLite store, or PostgreSQL),
 * migrated to the latest schema before first use. Always active, so the platform can say why storage is down instead
 * of vanishing; the data source may come, go or be replaced while the platform runs. An embedded store that is
 * still empty takes over the data of the H2 store earlier versions kept beside it (see {@link LegacyH2Copy}).
 */
@Component(service = Database.class)
public class Database {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Identity of the current data source and whether it is migrated. Replaced, never mutated. */
    private record State(DataSource dataSource, String product, Dialect dialect, int schemaVersion, String problem) {
        boolean ready() {
            return dataSource != null && problem == null && schemaVersion > 0;
        }
    }

    private final Migrations migrations;
    private volatile State state = new State(null, "none", null, 0, "no data source named 'dmi' is configured");
    /** Opens an H2 database file of an earlier version, when its driver is here. */
    private volatile Function<Path, Optional<DataSource>> legacyH2 = file -> Optional.empty();

    @Activate
    public Database(BundleContext context) {
        this(Migrations.load(Database.class.getClassLoader()));
        // the embedded store's folder: SQLite creates the file, not the folders above it
        Path folder = Folders.data(context).resolve("db");
        try {
            Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            LOG.error("Cannot create the embedded store's folder {}: {}", folder, e.getMessage());
        }
    }

    Database() {
        this(Migrations.load(Database.class.getClassLoader()));
    }

    Database(Migrations migrations) {
        this.migrations = migrations;
    }

    /** For tests and tools: a database on a given data source, migrated now. */
    public static Database on(DataSource dataSource) {
        Database database = new Database();
        database.bindDataSource(dataSource);
        return database;
    }

    /** For tests: as {@link #on}, taking over an earlier version's H2 store found beside an empty embedded store. */
    static Database on(DataSource dataSource, Function<Path, Optional<DataSource>> legacyH2) {
        Database database = new Database();
        database.legacyH2 = legacyH2;
        database.bindDataSource(dataSource);
        return database;
    }

    @Reference(
            target = "(dataSourceName=dmi)",
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDataSource(DataSource dataSource) {
        state = new State(dataSource, "unknown", null, 0, "not migrated yet");
        migrate();
    }

    void unbindDataSource(DataSource dataSource) {
        if (state.dataSource() == dataSource) {
            state = new State(null, "none", null, 0, "the data source 'dmi' went away");
        }
    }

    /** The H2 driver, kept in the distribution only to take over the data of earlier versions. */
    @Reference(
            target = "(osgi.jdbc.driver.name=H2 JDBC Driver)",
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindH2(DataSourceFactory factory) {
        legacyH2 = file -> {
            Properties props = new Properties();
            String name = file.getFileName().toString().replaceFirst("\\.mv\\.db$", "");
            props.setProperty(
                    DataSourceFactory.JDBC_URL,
                    "jdbc:h2:file:" + file.resolveSibling(name) + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r");
            props.setProperty(DataSourceFactory.JDBC_USER, "dmi");
            try {
                return Optional.of(factory.createDataSource(props));
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        };
        migrate();
    }

    void unbindH2(DataSourceFactory factory) {
        legacyH2 = file -> Optional.empty();
    }

    /** Migrates the current data source if that has not succeeded yet; safe to call often. */
    private synchronized State migrate() {
        State current = state;
        if (current.dataSource() == null || current.ready()) {
            return current;
        }
        DataSource dataSource = current.dataSource();
        State next;
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String product = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
            Dialect dialect = Dialect.of(meta.getDatabaseProductName());
            if (dialect == Dialect.SQLITE) {
                checkDurable(connection);
                takeOverLegacyStore(connection);
            }
            int version = migrations.apply(connection, dialect);
            next = new State(dataSource, product, dialect, version, null);
            LOG.info("Storage ready: {} at schema version {}", product, version);
        } catch (SQLException | RuntimeException e) {
            next = new State(dataSource, current.product(), null, 0, "database unavailable: " + e.getMessage());
            LOG.error("Storage not ready: {}", e.getMessage());
        }
        if (state.dataSource() == dataSource) {
            state = next;
        }
        return next;
    }

    /**
     * The embedded store keeps every committed transaction through a crash or a power loss only with a write-ahead log
     * synchronised in full (docs/adr/0005); {@link EmbeddedStoreFactory} opens every connection so. A store opened
     * otherwise (a data source configured by hand) is refused rather than used.
     */
    private static void checkDurable(Connection c) throws SQLException {
        String journal = pragma(c, "journal_mode");
        String synchronous = pragma(c, "synchronous");
        String foreignKeys = pragma(c, "foreign_keys");
        if (!"wal".equalsIgnoreCase(journal) || !"2".equals(synchronous) || !"1".equals(foreignKeys)) {
            throw new SQLException("the embedded store must be opened with journal_mode=WAL, synchronous=FULL and"
                    + " foreign_keys=ON (found " + journal + ", " + synchronous + ", " + foreignKeys
                    + "); its data source must use the platform's driver (osgi.jdbc.driver.class = org.sqlite.JDBC)");
        }
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    /**
     * Earlier versions kept the embedded store in H2 ({@code dmi.mv.db} in the same folder). When this store is new
     * and such a file is there, its data is copied over, then the file is renamed so it is never read again.
     */
    private void takeOverLegacyStore(Connection c) throws SQLException {
        Path store;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA database_list")) {
            if (!rs.next()
                    || rs.getString("file") == null
                    || rs.getString("file").isEmpty()) {
                return; // in memory
            }
            store = Paths.get(rs.getString("file"));
        }
        Path legacy = store.resolveSibling("dmi.mv.db");
        if (!Files.exists(legacy)) {
            return;
        }
        if (holdsData(c)) {
            throw new SQLException("an H2 store of an earlier version is at " + legacy + ", but the embedded store "
                    + store + " already holds data: move one of them out of the folder");
        }
        DataSource h2 = legacyH2.apply(legacy)
                .orElseThrow(() -> new SQLException("an H2 store of an earlier version is at " + legacy
                        + " and waits to be copied into the embedded store, but the H2 driver is not installed"));
        LOG.info("Copying the H2 store of an earlier version at {} into {}", legacy, store);
        LegacyH2Copy.Result copied = LegacyH2Copy.copy(h2, c, migrations);
        Path kept = legacy.resolveSibling("dmi.mv.db.copied-to-sqlite");
        try {
            Files.move(legacy, kept);
        } catch (java.io.IOException e) {
            throw new SQLException("copied the H2 store, but cannot rename " + legacy + ": " + e.getMessage(), e);
        }
        LOG.info(
                "Copied {} rows of {} tables from the H2 store (schema version {}); it is kept as {}",
                copied.rows(),
                copied.tables(),
                copied.version(),
                kept);
    }

    /** True once the store has any account or audit entry: then it is no longer new. */
    private static boolean holdsData(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'")) {
            if (!rs.next() || rs.getInt(1) == 0) {
                return false;
            }
        }
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM audit_log)")) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    /** Null when storage is ready, otherwise why not. */
    public String problem() {
        return migrate().problem();
    }

    public String product() {
        return state.product();
    }

    public int schemaVersion() {
        return state.schemaVersion();
    }

    /** The store's dialect; storage must be ready. */
    public Dialect dialect() {
        State current = migrate();
        if (!current.ready()) {
            throw new StorageUnavailableException("storage is unavailable: " + current.problem(), null);
        }
        return current.dialect();
    }

    /** Runs read-only work with auto-commit on. */
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = connection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Runs a long read that streams its rows (millions of records) in constant memory: PostgreSQL sends rows in
     * batches only inside a transaction with a fetch size, which the work's statements set with {@link #FETCH}.
     */
    public <T> T stream(SqlWork<T> work) {
        try (Connection connection = connection()) {
            if (state.dialect() != Dialect.POSTGRESQL) {
                return work.run(connection);
            }
            connection.setAutoCommit(false);
            try {
                connection.setReadOnly(true);
                return work.run(connection);
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Rows fetched at a time by a streaming read. */
    public static final int FETCH = 2000;

    /** Runs work in one transaction: all of it is committed, or none of it. */
    public <T> T transaction(SqlWork<T> work) {
        try (Connection connection = connection()) {
            return transaction(connection, work);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Runs work in one transaction on a connection of {@link #connection()}. On the embedded store a transaction
     * that will write takes the write lock when it begins ({@code BEGIN IMMEDIATE}), so two writers wait for each
     * other instead of one failing half-way.
     */
    public <T> T transaction(Connection connection, SqlWork<T> work) throws SQLException {
        boolean sqlite = state.dialect() == Dialect.SQLITE;
        if (sqlite) {
            execute(connection, "BEGIN IMMEDIATE");
        } else {
            connection.setAutoCommit(false);
        }
        try {
            T result = work.run(connection);
            if (sqlite) {
                execute(connection, "COMMIT");
            } else {
                connection.commit();
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                if (sqlite) {
                    execute(connection, "ROLLBACK");
                } else {
                    connection.rollback();
                }
            } catch (SQLException rollback) {
                // SQLite ends a transaction by itself on some errors; the first failure is the one to report
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            if (!sqlite) {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** A connection of its own for work that manages its transactions itself (an import). */
    public Connection connection() throws SQLException {
        State current = migrate();
        if (!current.ready()) {
            throw new StorageUnavailableException("storage is unavailable: " + current.problem(), null);
        }
        return current.dataSource().getConnection();
    }

    public static StorageUnavailableException unavailable(SQLException e) {
        return new StorageUnavailableException("storage error: " + e.getMessage(), e);
    }
}
