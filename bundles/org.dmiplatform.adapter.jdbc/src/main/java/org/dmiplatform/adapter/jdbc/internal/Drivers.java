package org.dmiplatform.adapter.jdbc.internal;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * The JDBC drivers of the framework, by the DataSourceFactory each driver bundle registers: in OSGi,
 * {@code DriverManager} does not see drivers in other bundles.
 */
final class Drivers implements DataSources {
    private final Map<DataSourceFactory, String> factories = new ConcurrentHashMap<>();

    void add(DataSourceFactory factory, Map<String, ?> properties) {
        Object driver = properties.get(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS);
        if (driver != null) {
            factories.put(factory, driver.toString());
        }
    }

    void remove(DataSourceFactory factory) {
        factories.remove(factory);
    }

    @Override
    public Optional<DataSource> open(String driver, String url, String user, String password) throws SQLException {
        for (Map.Entry<DataSourceFactory, String> f : factories.entrySet()) {
            if (f.getValue().equals(driver)) {
                Properties properties = new Properties();
                properties.setProperty(DataSourceFactory.JDBC_URL, url);
                if (!user.isEmpty()) {
                    properties.setProperty(DataSourceFactory.JDBC_USER, user);
                }
                if (!password.isEmpty()) {
                    properties.setProperty(DataSourceFactory.JDBC_PASSWORD, password);
                }
                return Optional.of(f.getKey().createDataSource(properties));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> installed() {
        return factories.values().stream().distinct().sorted().toList();
    }
}
