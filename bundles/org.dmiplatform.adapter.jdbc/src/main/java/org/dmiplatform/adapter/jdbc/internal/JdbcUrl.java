package org.dmiplatform.adapter.jdbc.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the adapter can tell from a JDBC URL: where the records system is, and which driver speaks to it. */
final class JdbcUrl {
    /** The drivers the platform knows by their URL prefix, as their DataSourceFactory's osgi.jdbc.driver.class. */
    static final Map<String, String> DRIVERS = Map.of(
            "postgresql", "org.postgresql.Driver",
            "mariadb", "org.mariadb.jdbc.Driver",
            "sqlserver", "com.microsoft.sqlserver.jdbc.SQLServerDriver",
            "oracle", "oracle.jdbc.OracleDriver",
            "h2", "org.h2.Driver");

    private JdbcUrl() {}

    /**
     * The server and database, for messages and the console: no user, no password, no parameters (a URL may carry
     * credentials in any of them), e.g. {@code postgresql://rms.example.org:5432/rms}.
     */
    static String location(String url) {
        String stripped = url == null ? "" : url.strip();
        String s = stripped.regionMatches(true, 0, "jdbc:", 0, 5) ? stripped.substring(5) : stripped;
        // SQL Server names the database among its ;key=value parameters
        String database =
                parameter(s, "databaseName").or(() -> parameter(s, "database")).orElse("");
        int parameters = indexOfAny(s, "?;");
        String base = parameters >= 0 ? s.substring(0, parameters) : s;
        int slashes = base.indexOf("//");
        String scheme;
        String rest;
        if (slashes >= 0) {
            scheme = base.substring(0, slashes);
            rest = base.substring(slashes + 2);
        } else {
            // jdbc:oracle:thin:user/password@host:1521:SID
            int at = base.lastIndexOf('@');
            scheme = at >= 0 ? base.substring(0, base.lastIndexOf(':', at) + 1) : "";
            rest = at >= 0 ? base.substring(at + 1) : base;
        }
        int userInfo = scheme.indexOf('@');
        if (userInfo >= 0) {
            scheme = scheme.substring(0, scheme.lastIndexOf(':', userInfo) + 1);
        }
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            rest = rest.substring(at + 1);
        }
        if (!database.isEmpty() && !rest.contains("/")) {
            rest = rest + "/" + database;
        }
        return scheme + (slashes >= 0 ? "//" : "") + rest;
    }

    /** The driver class for the URL's prefix, if the platform knows it. */
    static Optional<String> driver(String url) {
        String s = url == null ? "" : url.strip().toLowerCase(Locale.ROOT);
        if (!s.startsWith("jdbc:")) {
            return Optional.empty();
        }
        int end = s.indexOf(':', 5);
        return Optional.ofNullable(DRIVERS.get(end < 0 ? s.substring(5) : s.substring(5, end)));
    }

    private static Optional<String> parameter(String url, String key) {
        String lower = url.toLowerCase(Locale.ROOT);
        String find = key.toLowerCase(Locale.ROOT) + "=";
        for (int from = 0; (from = lower.indexOf(find, from)) >= 0; from++) {
            char before = from == 0 ? ';' : lower.charAt(from - 1);
            if (before == ';' || before == '?' || before == '&') {
                int start = from + find.length();
                int end = indexOfAny(url.substring(start), ";&");
                return Optional.of(end < 0 ? url.substring(start) : url.substring(start, start + end));
            }
        }
        return Optional.empty();
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
