package org.dmiplatform.adapter.jdbc.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsProfile;
import org.dmiplatform.api.records.SourceRow;

/**
 * One pull: connects read-only, runs the query from the watermark, streams the rows through the profile, and reports
 * the greatest watermark read. Rows are fetched {@code fetchSize} at a time and never held, so memory does not grow
 * with the number of rows.
 */
final class Pull {
    /** Seconds to wait for the database to answer a connection. */
    static final int LOGIN_TIMEOUT = 30;

    /** How much of one value, and of a row, is kept with a quarantined row. */
    static final int RAW_VALUE = 200;

    static final int RAW_ROW = 2000;

    private final Source source;
    private final String name;
    private final RecordsProfile profile;
    private final RecordSink sink;

    private Pull(Source source, RecordsProfile profile, RecordSink sink) {
        this.source = source;
        this.name = source.name();
        this.profile = profile;
        this.sink = sink;
    }

    /**
     * @param previous the watermark the previous successful pull reached, if any
     * @throws InvalidInputException when the configuration, the database, the query or the profile is at fault, in
     *     words site IT can act on and without the password
     * @throws IOException when the database fails while the rows are read
     */
    static void run(
            Source source, DataSources dataSources, RecordsProfile profile, Optional<String> previous, RecordSink sink)
            throws IOException {
        new Pull(source, profile, sink).run(dataSources, previous);
    }

    private void run(DataSources dataSources, Optional<String> previous) throws IOException {
        List<InputError> problems = new ArrayList<>(source.problems());
        if (previous.isEmpty() && source.initialWatermark().isEmpty()) {
            problems.add(InputError.of(
                    name,
                    "initialWatermark",
                    "is required for the first pull: the value to start from, e.g. 1970-01-01T00:00:00 or 0"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        try (Connection connection = connect(dataSources)) {
            try {
                connection.setReadOnly(true);
                // PostgreSQL streams with a fetch size only inside a transaction
                connection.setAutoCommit(false);
                read(connection, previous);
            } finally {
                rollbackQuietly(connection);
            }
        } catch (SQLException e) {
            throw new IOException(name + ": " + source.masked(e.getMessage()), e);
        }
    }

    private Connection connect(DataSources dataSources) {
        String driver = source.driverClass();
        DataSource dataSource;
        try {
            dataSource = dataSources
                    .open(driver, source.url(), source.user(), source.password())
                    .orElseThrow(() -> refused(
                            "driver",
                            "no JDBC driver " + driver + " is installed"
                                    + (dataSources.installed().isEmpty()
                                            ? ""
                                            : " (installed: " + String.join(", ", dataSources.installed()) + ")")
                                    + ": install its bundle, or the feature dmi-adapter-jdbc for PostgreSQL and"
                                    + " MariaDB"));
        } catch (SQLException e) {
            throw refused("url", "the driver " + driver + " refuses the URL: " + said(e));
        }
        try {
            dataSource.setLoginTimeout(LOGIN_TIMEOUT);
        } catch (SQLException | UnsupportedOperationException e) {
            // the driver's own connect timeout applies
        }
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            String state = state(e);
            if (state.startsWith("28")) {
                throw refused(
                        "user",
                        "the records system refuses the login"
                                + (source.user().isEmpty() ? "" : " of user '" + source.user() + "'") + ": " + said(e)
                                + "; check user and .password in the adapter's configuration");
            }
            if (state.startsWith("08")) {
                throw refused(
                        "url",
                        "cannot reach the records system: " + said(e)
                                + "; check the host, the port and that the firewall lets this server through");
            }
            throw refused("url", "cannot connect to the records system: " + said(e));
        }
    }

    private void read(Connection connection, Optional<String> previous) throws SQLException, IOException {
        try (PreparedStatement query = prepare(connection)) {
            // PostgreSQL and MariaDB describe the result before it runs: a wrong column costs no query
            ResultSetMetaData described = describe(query);
            RecordsProfile.RowMapper mapper = null;
            ColumnType markType = null;
            if (described != null) {
                Row columns = row(described);
                markType = columns.types[watermarkColumn(columns)];
                mapper = profile.start(name, List.of(columns.labels), sink);
            }
            bind(query, previous.orElse(source.initialWatermark()), markType, previous.isPresent());
            try (ResultSet rows = execute(query)) {
                Row row = row(rows.getMetaData());
                int mark = watermarkColumn(row);
                if (mapper == null) {
                    mapper = profile.start(name, List.of(row.labels), sink);
                }
                Watermark watermark = new Watermark();
                long line = 0;
                while (!sink.cancelled() && next(rows, line)) {
                    line++;
                    if (row.read(rows)) {
                        mapper.map(line, row);
                    } else {
                        sink.reject(line, row.unreadableColumn, row.unreadableReason, row.raw());
                    }
                    watermark.saw(row.watermarkValue(mark));
                }
                if (sink.cancelled()) {
                    // else closing a streamed MariaDB result would read it to its end
                    cancelQuietly(query);
                    return;
                }
                String reached = watermark.reached();
                if (reached != null) {
                    sink.watermark(reached);
                }
            }
        }
    }

    private PreparedStatement prepare(Connection connection) {
        PreparedStatement query;
        try {
            query = connection.prepareStatement(
                    source.query(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        } catch (SQLException e) {
            throw queryRefused(e);
        }
        try {
            query.setFetchSize(source.fetchSize());
            query.setQueryTimeout(source.queryTimeoutSeconds());
        } catch (SQLException e) {
            closeQuietly(query);
            throw queryRefused(e);
        }
        int parameters = parameters(query);
        if (parameters >= 0 && parameters != 1) {
            closeQuietly(query);
            throw refused(
                    "query",
                    "must compare the watermark column with exactly one ?, e.g. ... WHERE updated_at >= ? ORDER BY"
                            + " updated_at; it has " + parameters);
        }
        return query;
    }

    /** The number of parameters, or -1 when the driver cannot tell before the query runs. */
    private static int parameters(PreparedStatement query) {
        try {
            return query.getParameterMetaData().getParameterCount();
        } catch (SQLException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** The result's columns before the query runs (so a wrong query or profile costs no query), or null. */
    private ResultSetMetaData describe(PreparedStatement query) {
        try {
            return query.getMetaData();
        } catch (SQLException e) {
            if (e instanceof java.sql.SQLFeatureNotSupportedException) {
                return null;
            }
            throw queryRefused(e);
        }
    }

    private int watermarkColumn(Row row) {
        for (int i = 0; i < row.labels.length; i++) {
            if (row.labels[i].equalsIgnoreCase(source.watermark())) {
                if (!row.types[i].watermark) {
                    throw refused(
                            "watermark",
                            "the column '" + row.labels[i] + "' cannot be a watermark: it must hold date-times,"
                                    + " dates, whole or decimal numbers, or text");
                }
                return i;
            }
        }
        throw refused(
                "watermark",
                "the query returns no column '" + source.watermark() + "'; it returns: "
                        + String.join(", ", row.labels));
    }

    private void bind(PreparedStatement query, String from, ColumnType type, boolean stored) {
        Object parameter;
        try {
            parameter = Watermark.parameter(from, type, sink.zone());
        } catch (IllegalArgumentException e) {
            throw stored
                    ? refused(
                            "watermark",
                            "the previous pull reached " + e.getMessage().replace("' is not", "', which is not")
                                    + " for the column " + source.watermark()
                                    + "; was the watermark column changed?")
                    : refused("initialWatermark", e.getMessage());
        }
        try {
            query.setObject(1, parameter);
        } catch (SQLException e) {
            throw queryRefused(e);
        }
    }

    private ResultSet execute(PreparedStatement query) throws IOException {
        try {
            return query.executeQuery();
        } catch (SQLException e) {
            if (state(e).startsWith("08")) {
                throw new IOException(name + ": lost the connection: " + said(e), e);
            }
            throw queryRefused(e);
        }
    }

    private boolean next(ResultSet rows, long line) throws IOException {
        try {
            return rows.next();
        } catch (SQLException e) {
            if (timedOut(e)) {
                throw timeout(e);
            }
            throw new IOException(name + ": failed after row " + line + ": " + said(e), e);
        }
    }

    private Row row(ResultSetMetaData columns) throws SQLException {
        int n = columns.getColumnCount();
        String[] labels = new String[n];
        ColumnType[] types = new ColumnType[n];
        for (int i = 0; i < n; i++) {
            labels[i] = columns.getColumnLabel(i + 1);
            types[i] = ColumnType.of(columns.getColumnType(i + 1), columns.getColumnTypeName(i + 1));
        }
        return new Row(labels, types);
    }

    private InvalidInputException queryRefused(SQLException e) {
        if (timedOut(e)) {
            return timeout(e);
        }
        return refused("query", "the records system refuses the query: " + said(e));
    }

    private InvalidInputException timeout(SQLException e) {
        return refused(
                "queryTimeoutSeconds",
                "the query ran longer than " + source.queryTimeoutSeconds() + " s (" + said(e)
                        + "); an index on the watermark column helps, or raise queryTimeoutSeconds");
    }

    private static boolean timedOut(SQLException e) {
        String state = state(e);
        // PostgreSQL's driver cancels a query that runs too long: the server says "canceling statement"
        return e instanceof SQLTimeoutException || state.equals("57014") || state.equals("70100");
    }

    private InvalidInputException refused(String field, String reason) {
        return new InvalidInputException(InputError.of(name, field, reason));
    }

    private String said(SQLException e) {
        return source.masked(e.getMessage());
    }

    private static String state(SQLException e) {
        return e.getSQLState() == null ? "" : e.getSQLState();
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // nothing was written; closing the connection ends the transaction
        }
    }

    private static void closeQuietly(PreparedStatement query) {
        try {
            query.close();
        } catch (SQLException e) {
            // the connection is closed next
        }
    }

    private static void cancelQuietly(PreparedStatement query) {
        try {
            query.cancel();
        } catch (SQLException | UnsupportedOperationException e) {
            // closing reads what is left
        }
    }

    /** The current row of the result, read once per row into values the profile may look at many times. */
    static final class Row implements SourceRow {
        final String[] labels;
        final ColumnType[] types;
        private final Object[] values;
        private final boolean[] readable;
        String unreadableColumn;
        String unreadableReason;

        Row(String[] labels, ColumnType[] types) {
            this.labels = labels;
            this.types = types;
            this.values = new Object[labels.length];
            this.readable = new boolean[labels.length];
        }

        /** Reads the current row; false when a value cannot be read, which quarantines the row. */
        boolean read(ResultSet rows) throws SQLException {
            unreadableColumn = null;
            unreadableReason = null;
            for (int i = 0; i < values.length; i++) {
                try {
                    values[i] = types[i].read(rows, i + 1);
                    readable[i] = true;
                } catch (SQLException e) {
                    if (!(e instanceof SQLDataException) && !state(e).startsWith("22")) {
                        throw e;
                    }
                    readable[i] = false;
                    values[i] = asText(rows, i + 1);
                    if (unreadableColumn == null) {
                        unreadableColumn = labels[i];
                        unreadableReason = "cannot be read as "
                                + types[i].name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": "
                                + e.getMessage();
                    }
                }
            }
            return unreadableColumn == null;
        }

        private static String asText(ResultSet rows, int column) {
            try {
                return rows.getString(column);
            } catch (SQLException e) {
                return "?";
            }
        }

        Object watermarkValue(int column) {
            return readable[column] ? values[column] : null;
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public Object get(int column) {
            return values[column];
        }

        /** The row as "column: value" pairs: a query's row has no line of text to show. */
        @Override
        public String raw() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < values.length && out.length() < RAW_ROW; i++) {
                if (i > 0) {
                    out.append(" | ");
                }
                String value = values[i] == null ? "" : ColumnType.text(values[i]);
                out.append(labels[i])
                        .append(": ")
                        .append(value.length() > RAW_VALUE ? value.substring(0, RAW_VALUE) + "..." : value);
            }
            return out.length() > RAW_ROW ? out.substring(0, RAW_ROW) : out.toString();
        }
    }
}
