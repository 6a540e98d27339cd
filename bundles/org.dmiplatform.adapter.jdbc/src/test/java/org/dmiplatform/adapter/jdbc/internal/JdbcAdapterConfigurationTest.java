package org.dmiplatform.adapter.jdbc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.core.internal.profile.RecordsProfilesImpl;
import org.dmiplatform.testing.CollectingSink;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What the adapter says and refuses before it asks anything of a database. */
public class JdbcAdapterConfigurationTest {
    private static final String SITE = "riverton";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path folder;
    private RecordsProfilesImpl profiles;

    @Before
    public void setUp() throws IOException {
        Path sites = temp.newFolder("sites").toPath();
        profiles = RecordsProfilesImpl.in(sites);
        folder = RecordsProfilesImpl.folder(sites, SITE);
        Files.createDirectories(folder);
        Files.copy(Paths.get("src/test/resources/profiles/rms-incidents.json"), folder.resolve("rms-incidents.json"));
    }

    private static TestConfig config() {
        return new TestConfig()
                .set("dmi_site", SITE)
                .set("profile", "rms-incidents.json")
                .set("url", "jdbc:postgresql://rms.example.org:5432/rms?sslmode=require&password=Url-S3cret")
                .set("user", "svc_dmi")
                .set("_password", "Cfg-S3cret")
                .set("query", SyntheticRms.query(">= ?"))
                .set("watermark", "updated_at")
                .set("initialWatermark", "1970-01-01T00:00:00");
    }

    /** An adapter that must not connect: what it refuses, it refuses before. */
    private JdbcAdapter adapter(TestConfig config, Map<String, Object> properties) {
        return new JdbcAdapter(config.build(), properties, profiles, (driver, url, user, password) -> {
            throw new AssertionError("connected to " + url);
        });
    }

    private static InvalidInputException refused(JdbcAdapter adapter) throws IOException {
        try {
            adapter.read(JdbcAdapterTest.from(Optional.empty()), new CollectingSink("America/Chicago"));
        } catch (InvalidInputException e) {
            return e;
        }
        fail("pulled");
        return null;
    }

    private static List<String> fields(InvalidInputException e) {
        return e.errors().stream().map(InputError::field).toList();
    }

    @Test
    public void describeNamesTheDatabaseAndTheProfileButNoCredentials() throws IOException {
        JdbcAdapter adapter = adapter(config().set("dmi_pull_minutes", 15), Map.of());
        assertEquals(
                "JDBC pull from postgresql://rms.example.org:5432/rms every 15 min, profile rms-incidents.json"
                        + " (Synthetic RMS incidents joined with their offence-code table)",
                adapter.describe());
        assertTrue(adapter.pulls());
        assertFalse(adapter.mergesRepeats());

        Files.writeString(
                folder.resolve("rms-charges.json"),
                Files.readString(folder.resolve("rms-incidents.json"))
                        .replace("\"kind\": \"incident\",", "\"kind\": \"incident\", \"repeats\": \"merge\","));
        assertTrue(
                "one row per charge: the profile says so",
                adapter(config().set("profile", "rms-charges.json"), Map.of()).mergesRepeats());

        String missing =
                adapter(config().set("profile", "rms-missing.json"), Map.of()).describe();
        assertTrue(missing, missing.contains("profile rms-missing.json, which cannot be used: "));
    }

    @Test
    public void aPasswordThatWouldBePublishedWithTheServiceIsRefused() throws IOException {
        JdbcAdapter adapter = adapter(config(), Map.of("password", "Cfg-S3cret"));
        InvalidInputException e = refused(adapter);
        assertEquals(List.of("password"), fields(e));
        assertTrue(e.getMessage(), e.getMessage().contains("write it as .password = $[env:RMS_PASSWORD]"));
        assertFalse(e.getMessage(), e.getMessage().contains("S3cret"));
        assertTrue(adapter.describe(), adapter.describe().contains("refused until its configuration is fixed"));
    }

    @Test
    public void aPasswordWhoseEnvironmentVariableIsNotSetIsAProblemTheAdapterNamesBeforeConnecting()
            throws IOException {
        // ConfigAdmin's interpolation leaves a reference it cannot resolve as written
        String variable =
                "DMI_TEST_UNSET_" + Long.toHexString(System.nanoTime()).toUpperCase();
        assertEquals(null, System.getenv(variable));
        JdbcAdapter adapter = adapter(config().set("_password", "$[env:" + variable + "]"), Map.of());
        InvalidInputException e = refused(adapter);
        assertEquals(List.of(".password"), fields(e));
        assertTrue(e.getMessage(), e.getMessage().contains("names the environment variable " + variable + ", which"));
        List<String> problems = adapter.problems();
        assertEquals(problems.toString(), 1, problems.size());
        assertTrue(
                problems.get(0), problems.get(0).startsWith("jdbc postgresql://rms.example.org:5432/rms: .password"));
        assertTrue(adapter.describe(), adapter.describe().contains("; not ready: jdbc postgresql://"));

        assertEquals(
                "a configured adapter has none",
                List.of(),
                adapter(config(), Map.of()).problems());
        TestConfig bare = new TestConfig().set("dmi_site", SITE).set("profile", "rms-missing.json");
        List<String> all = adapter(bare, Map.of()).problems();
        assertEquals(all.toString(), 4, all.size());
        assertTrue(all.get(0), all.get(0).contains("url is required"));
        assertTrue(all.get(3), all.get(3).startsWith("profile 'rms-missing.json' cannot be used"));
    }

    @Test
    public void everyMissingSettingIsNamedAtOnce() throws IOException {
        TestConfig bare = new TestConfig().set("dmi_site", SITE).set("profile", "rms-incidents.json");
        InvalidInputException e = refused(adapter(bare, Map.of()));
        assertEquals(List.of("url", "query", "watermark", "initialWatermark"), fields(e));

        InvalidInputException sizes =
                refused(adapter(config().set("fetchSize", 0).set("queryTimeoutSeconds", -1), Map.of()));
        assertEquals(List.of("fetchSize", "queryTimeoutSeconds"), fields(sizes));
    }

    @Test
    public void aUrlWithoutAKnownDriverAsksForOne() throws IOException {
        InvalidInputException mysql =
                refused(adapter(config().set("url", "jdbc:mysql://rms.example.org/rms"), Map.of()));
        assertEquals(List.of("driver"), fields(mysql));
        assertTrue(mysql.getMessage(), mysql.getMessage().contains("write the URL as jdbc:mariadb://"));

        InvalidInputException notJdbc =
                refused(adapter(config().set("url", "postgresql://rms.example.org/rms"), Map.of()));
        assertEquals(List.of("url"), fields(notJdbc));
    }

    @Test
    public void aDriverRepeatingThePasswordHasItMasked() throws IOException {
        DataSource refusing = (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        throw new SQLException("password 'Cfg-S3cret' is expired for svc_dmi", "28P01");
                    }
                    return null;
                });
        JdbcAdapter adapter = new JdbcAdapter(config().build(), Map.of(), profiles, (driver, url, user, password) -> {
            assertEquals("Cfg-S3cret", password);
            return Optional.of(refusing);
        });
        InvalidInputException e = refused(adapter);
        assertEquals(List.of("user"), fields(e));
        assertEquals(
                "jdbc postgresql://rms.example.org:5432/rms, field 'user': the records system refuses the login of user"
                        + " 'svc_dmi': password '****' is expired for svc_dmi; check user and .password in the"
                        + " adapter's configuration",
                e.getMessage());
    }

    @Test
    public void aValueTheDriverCannotConvertQuarantinesItsRowNamingTheColumn() throws SQLException {
        Pull.Row row = new Pull.Row(
                new String[] {"case_number", "occurred_time"}, new ColumnType[] {ColumnType.TEXT, ColumnType.TIME});
        assertFalse(row.read(resultSet(new SQLDataException("Time 838:59:59 is out of range", "22008"))));
        assertEquals("occurred_time", row.unreadableColumn);
        assertEquals("cannot be read as time: Time 838:59:59 is out of range", row.unreadableReason);
        assertEquals("case_number: JT100000 | occurred_time: 838:59:59", row.raw());
        assertEquals("the watermark does not take an unread value", null, row.watermarkValue(1));

        try {
            row.read(resultSet(new SQLNonTransientConnectionException("socket closed", "08000")));
            fail("a lost connection is not a bad value");
        } catch (SQLNonTransientConnectionException e) {
            assertEquals("08000", e.getSQLState());
        }
    }

    /** A result whose second column, a time, fails with {@code failure}. */
    private static ResultSet resultSet(SQLException failure) {
        return (ResultSet) Proxy.newProxyInstance(
                ResultSet.class.getClassLoader(), new Class<?>[] {ResultSet.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getString") && args[0].equals(1)) {
                        return "JT100000";
                    }
                    if (method.getName().equals("getObject") && args[0].equals(2) && args[1] == LocalTime.class) {
                        throw failure;
                    }
                    if (method.getName().equals("getString") && args[0].equals(2)) {
                        return "838:59:59";
                    }
                    throw new UnsupportedOperationException(method.toString());
                });
    }
}
