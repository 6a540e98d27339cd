package org.dmiplatform.adapter.jdbc.internal;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Where a pull gets its connection: in the framework the driver bundle's DataSourceFactory, in tests any data source. */
@FunctionalInterface
interface DataSources {

    /**
     * A data source for the records system, or empty when no driver of that class is installed.
     *
     * @param driver the driver class, as the DataSourceFactory's {@code osgi.jdbc.driver.class}
     */
    Optional<DataSource> open(String driver, String url, String user, String password) throws SQLException;

    /** The driver classes installed, for the message when the one asked for is not. */
    default List<String> installed() {
        return List.of();
    }
}
