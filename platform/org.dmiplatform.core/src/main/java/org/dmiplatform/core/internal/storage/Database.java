package org.dmiplatform.core.internal.storage;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.dmiplatform.api.StorageUnavailableException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's database: the pax-jdbc data source named {@code dmi}, migrated to the latest schema before
 * first use. Always active, so the platform can say why storage is down instead of vanishing; the data source
 * may come, go or be replaced (H2 to PostgreSQL) while the platform runs.
 */
@Component(service = Database.class)
public class Database {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Identity of the current data source and whether it is migrated. Replaced, never mutated. */
    private record State(DataSource dataSource, String product, int schemaVersion, String problem) {
        boolean ready() {
            return dataSource != null && problem == null && schemaVersion > 0;
        }
    }

    private final Migrations migrations;
    private volatile State state = new State(null, "none", 0, "no data source named 'dmi' is configured");

    @Activate
    public Database() {
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

    @Reference(
            target = "(dataSourceName=dmi)",
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDataSource(DataSource dataSource) {
        state = new State(dataSource, "unknown", 0, "not migrated yet");
        migrate();
    }

    void unbindDataSource(DataSource dataSource) {
        if (state.dataSource() == dataSource) {
            state = new State(null, "none", 0, "the data source 'dmi' went away");
        }
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
            int version = migrations.apply(connection, product);
            next = new State(dataSource, product, version, null);
            LOG.info("Storage ready: {} at schema version {}", product, version);
        } catch (SQLException | RuntimeException e) {
            next = new State(dataSource, current.product(), 0, "database unavailable: " + e.getMessage());
            LOG.error("Storage not ready: {}", e.getMessage());
        }
        if (state.dataSource() == dataSource) {
            state = next;
        }
        return next;
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

    /** Runs read-only work with auto-commit on. */
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = connection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Runs work in one transaction: all of it is committed, or none of it. */
    public <T> T transaction(SqlWork<T> work) {
        try (Connection connection = connection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private Connection connection() throws SQLException {
        State current = migrate();
        if (!current.ready()) {
            throw new StorageUnavailableException("storage is unavailable: " + current.problem(), null);
        }
        return current.dataSource().getConnection();
    }

    private static StorageUnavailableException unavailable(SQLException e) {
        return new StorageUnavailableException("storage error: " + e.getMessage(), e);
    }
}
