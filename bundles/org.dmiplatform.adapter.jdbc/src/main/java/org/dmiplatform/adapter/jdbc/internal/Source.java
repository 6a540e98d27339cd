package org.dmiplatform.adapter.jdbc.internal;

import java.util.ArrayList;
import java.util.List;
import org.dmiplatform.api.InputError;

/**
 * A records system's database and the query that reads it, as configured. The password is held for the connection
 * only: it is in no message and no {@link #toString}.
 *
 * @param driver the DataSourceFactory's driver class; blank for the URL's usual driver
 * @param query a SELECT with one {@code ?}, compared with the watermark column
 * @param watermark the result column whose greatest value the next pull starts from
 * @param initialWatermark where the first pull starts
 */
record Source(
        String url,
        String user,
        String password,
        String driver,
        String query,
        String watermark,
        String initialWatermark,
        int fetchSize,
        int queryTimeoutSeconds) {

    Source {
        url = blankIfNull(url);
        user = blankIfNull(user);
        password = password == null ? "" : password;
        driver = blankIfNull(driver);
        query = blankIfNull(query);
        watermark = blankIfNull(watermark);
        initialWatermark = blankIfNull(initialWatermark);
    }

    private static String blankIfNull(String value) {
        return value == null ? "" : value.strip();
    }

    /** Where the records are, without credentials, e.g. {@code postgresql://rms.example.org:5432/rms}. */
    String location() {
        return JdbcUrl.location(url);
    }

    /** How messages name the source: {@code jdbc} and its location. */
    String name() {
        return "jdbc " + location();
    }

    /** The driver to ask for: the one configured, else the URL's usual one; blank when neither says. */
    String driverClass() {
        return driver.isEmpty() ? JdbcUrl.driver(url).orElse("") : driver;
    }

    /**
     * A placeholder ConfigAdmin could not replace: {@code $[env:RMS_PASSWORD]} stays as written when the platform's
     * environment has no such variable (the interpolation plugin leaves what it cannot resolve).
     */
    private static final java.util.regex.Pattern UNRESOLVED =
            java.util.regex.Pattern.compile("\\$\\[(env|prop|secret):([^\\];]+)[^\\]]*\\]");

    /** What is missing or wrong in the configuration, before anything is asked of the database. */
    List<InputError> problems() {
        List<InputError> out = new ArrayList<>();
        String name = name();
        unresolved(name, "url", url, out);
        unresolved(name, "user", user, out);
        unresolved(name, ".password", password, out);
        if (url.isEmpty()) {
            out.add(InputError.of(name, "url", "is required, e.g. jdbc:postgresql://rms.example.org:5432/rms"));
        } else if (!url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            out.add(InputError.of(name, "url", "must be a JDBC URL, starting with jdbc:"));
        } else if (driverClass().isEmpty()) {
            out.add(InputError.of(
                    name,
                    "driver",
                    "is required for this URL: the osgi.jdbc.driver.class of the driver's DataSourceFactory"
                            + (url.regionMatches(true, 0, "jdbc:mysql:", 0, 11)
                                    ? " (for MySQL, write the URL as jdbc:mariadb:// and the MariaDB driver is used)"
                                    : "")));
        }
        if (query.isEmpty()) {
            out.add(InputError.of(
                    name,
                    "query",
                    "is required: a SELECT with one ? for the watermark, e.g. SELECT ... FROM incidents"
                            + " WHERE updated_at >= ? ORDER BY updated_at"));
        }
        if (watermark.isEmpty()) {
            out.add(InputError.of(
                    name, "watermark", "is required: the result column that only grows, e.g. updated_at"));
        }
        if (fetchSize < 1 || fetchSize > 100_000) {
            out.add(InputError.of(name, "fetchSize", "must be from 1 to 100000 rows; it is " + fetchSize));
        }
        if (queryTimeoutSeconds < 0) {
            out.add(InputError.of(
                    name, "queryTimeoutSeconds", "must be 0 (no limit) or more; it is " + queryTimeoutSeconds));
        }
        return out;
    }

    private static void unresolved(String name, String field, String value, List<InputError> out) {
        java.util.regex.Matcher m = UNRESOLVED.matcher(value);
        if (!m.find()) {
            return;
        }
        String what = m.group(2).strip();
        out.add(InputError.of(
                name,
                field,
                switch (m.group(1)) {
                    case "env" -> "names the environment variable " + what + ", which the platform's environment does"
                            + " not have: set it (in the service's environment file, readable by the service account"
                            + " only) and restart the platform";
                    case "secret" -> "names the secret file " + what + ", which the platform cannot read: put it in"
                            + " the folder of secrets the platform is given, or set the value another way";
                    default -> "names the framework property " + what + ", which is not set";
                }));
    }

    /** A driver's message with the password, should the driver repeat it, masked. */
    String masked(String message) {
        String text = message == null ? "" : message.replaceAll("\\s+", " ").strip();
        return password.length() < 3 ? text : text.replace(password, "****");
    }

    @Override
    public String toString() {
        return name() + (user.isEmpty() ? "" : " as " + user);
    }
}
