package org.dmiplatform.core.internal.storage;

import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.XADataSource;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jdbc.DataSourceFactory;
import org.sqlite.JDBC;
import org.sqlite.SQLiteDataSource;
import org.sqlite.javax.SQLiteConnectionPoolDataSource;

/**
 * The embedded store's connections, for pax-jdbc's pool: SQLite with the settings that make every committed
 * transaction survive a crash or a power loss (write-ahead log, full sync; docs/adr/0005), references checked, and
 * writers waiting up to 30 s for one another. Any user and password in the data source's configuration (there for
 * PostgreSQL) are ignored: the embedded store is a file of the platform's own.
 */
@Component(
        service = DataSourceFactory.class,
        property = {
            DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=org.sqlite.JDBC",
            DataSourceFactory.OSGI_JDBC_DRIVER_NAME + "=DMI embedded SQLite store"
        })
public class EmbeddedStoreFactory implements DataSourceFactory {
    static final int BUSY_TIMEOUT_MILLIS = 30_000;

    @Override
    public DataSource createDataSource(Properties props) throws SQLException {
        return configure(new SQLiteDataSource(), props);
    }

    @Override
    public ConnectionPoolDataSource createConnectionPoolDataSource(Properties props) throws SQLException {
        return configure(new SQLiteConnectionPoolDataSource(), props);
    }

    @Override
    public XADataSource createXADataSource(Properties props) throws SQLException {
        throw new SQLFeatureNotSupportedException("the embedded store has no XA transactions");
    }

    @Override
    public Driver createDriver(Properties props) {
        return new JDBC();
    }

    private static <T extends SQLiteDataSource> T configure(T ds, Properties props) throws SQLException {
        String url = props.getProperty(JDBC_URL);
        if (url == null || !url.startsWith("jdbc:sqlite:")) {
            throw new SQLException("the embedded store needs a jdbc:sqlite: url, not " + url);
        }
        ds.setUrl(url);
        durable(ds);
        return ds;
    }

    /** The settings every connection to the embedded store opens with. */
    public static void durable(SQLiteDataSource ds) {
        ds.setJournalMode("WAL");
        ds.setSynchronous("FULL");
        ds.setEnforceForeignKeys(true);
        ds.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    }
}
