package org.dmiplatform.adapter.jdbc.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.records.RecordsProfile;
import org.dmiplatform.api.records.RecordsProfiles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A records system's database, pulled by a query from a watermark: each pull reads the rows changed since the
 * previous one and maps them through the site's records profile, as the CSV adapter maps an export. One instance
 * per site, from {@code site-configs/<site>/plugins/}.
 */
@Component(
        service = RecordsAdapter.class,
        configurationPid = JdbcAdapter.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"dmi.plugin.kind=records-adapter", "dmi.plugin.name=jdbc"})
@Designate(ocd = JdbcAdapter.Config.class, factory = true)
public class JdbcAdapter implements RecordsAdapter {
    static final String PID = "org.dmiplatform.adapter.jdbc";

    @ObjectClassDefinition(
            name = "DMI JDBC records adapter",
            description = "Pulls a site's records from its records system's database by a query with a watermark,"
                    + " through one of its records profiles")
    public @interface Config {
        @AttributeDefinition(name = "Site", description = "The site this adapter serves (written by provisioning)")
        String dmi_site();

        @AttributeDefinition(
                name = "Profile",
                description = "The records profile, a file of the site's profiles/ folder, e.g. rms-incidents.json")
        String profile();

        @AttributeDefinition(
                name = "JDBC URL",
                description = "The records system's database, e.g. jdbc:postgresql://rms.example.org:5432/rms;"
                        + " no user or password in it")
        String url();

        @AttributeDefinition(name = "User", description = "A database user that may only SELECT", required = false)
        String user() default "";

        /**
         * The property is {@code .password}: a property whose name starts with a full stop is not published with
         * the service, where anyone listing services would read it.
         */
        @AttributeDefinition(
                name = "Password",
                type = AttributeType.PASSWORD,
                required = false,
                description = "Written .password = $[env:RMS_PASSWORD] and resolved from the environment when the"
                        + " configuration is delivered, so it is never stored")
        String _password() default "";

        @AttributeDefinition(
                name = "Driver",
                required = false,
                description = "The osgi.jdbc.driver.class of the DataSourceFactory to use, e.g. org.postgresql.Driver"
                        + " or org.mariadb.jdbc.Driver; by default the URL's")
        String driver() default "";

        @AttributeDefinition(
                name = "Query",
                description = "A SELECT with one ? compared with the watermark column, e.g. SELECT ... FROM incidents"
                        + " WHERE updated_at >= ? ORDER BY updated_at")
        String query();

        @AttributeDefinition(
                name = "Watermark column",
                description = "The result column that grows whenever a row changes, e.g. updated_at")
        String watermark();

        @AttributeDefinition(
                name = "Initial watermark",
                required = false,
                description = "Where the first pull starts, e.g. 1970-01-01T00:00:00 (read in the site's zone) or 0")
        String initialWatermark() default "";

        @AttributeDefinition(name = "Fetch size", description = "Rows fetched from the database at a time")
        int fetchSize() default 1000;

        @AttributeDefinition(
                name = "Query timeout",
                description = "Seconds the query may run before the pull fails; 0 for no limit")
        int queryTimeoutSeconds() default 600;

        @AttributeDefinition(
                name = "Pull every (minutes)",
                description = "How often the platform pulls; 0 to pull only when asked")
        int dmi_pull_minutes() default 0;
    }

    private final String site;
    private final String profileName;
    private final int pullMinutes;
    private final Source source;
    private final RecordsProfiles profiles;
    private final DataSources dataSources;
    private final Drivers drivers;
    /** A configuration mistake that would expose the password, refused at every pull. */
    private final InputError exposed;

    @Activate
    public JdbcAdapter(Config config, Map<String, Object> properties, @Reference RecordsProfiles profiles) {
        this(config, properties, profiles, new Drivers());
    }

    JdbcAdapter(Config config, Map<String, Object> properties, RecordsProfiles profiles, DataSources dataSources) {
        this.site = config.dmi_site();
        this.profileName = config.profile() == null ? "" : config.profile();
        this.pullMinutes = config.dmi_pull_minutes();
        this.source = new Source(
                config.url(),
                config.user(),
                config._password(),
                config.driver(),
                config.query(),
                config.watermark(),
                config.initialWatermark(),
                config.fetchSize(),
                config.queryTimeoutSeconds());
        this.profiles = profiles;
        this.dataSources = dataSources;
        this.drivers = dataSources instanceof Drivers d ? d : null;
        this.exposed = properties.containsKey("password")
                ? InputError.of(
                        source.name(),
                        "password",
                        "is published with the adapter's service, where anyone listing services reads it: write it"
                                + " as .password = $[env:RMS_PASSWORD]")
                : null;
    }

    @Reference(
            name = "driver",
            service = DataSourceFactory.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeDriver")
    void addDriver(DataSourceFactory factory, Map<String, Object> properties) {
        if (drivers != null) {
            drivers.add(factory, properties);
        }
    }

    void removeDriver(DataSourceFactory factory) {
        if (drivers != null) {
            drivers.remove(factory);
        }
    }

    @Override
    public String describe() {
        String pull = "JDBC pull from " + source.location() + (pullMinutes > 0 ? " every " + pullMinutes + " min" : "")
                + ", profile ";
        if (exposed != null) {
            return pull + profileName + ", refused until its configuration is fixed: " + exposed.reason();
        }
        String described;
        try {
            RecordsProfile profile = profiles.profile(site, profileName);
            described =
                    pull + profile.name() + (profile.description().isEmpty() ? "" : " (" + profile.description() + ")");
        } catch (InvalidInputException e) {
            return pull + profileName + ", which cannot be used: " + e.getMessage();
        }
        List<InputError> unready = source.problems();
        return unready.isEmpty()
                ? described
                : described + "; not ready: "
                        + String.join(
                                "; ",
                                unready.stream().map(JdbcAdapter::sentence).toList());
    }

    /**
     * What keeps the adapter from pulling, before the database is asked: a setting missing or wrong, a password whose
     * environment variable the platform does not have, a profile it cannot use.
     */
    @Override
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (exposed != null) {
            out.add(sentence(exposed));
        }
        source.problems().forEach(p -> out.add(sentence(p)));
        try {
            profiles.profile(site, profileName);
        } catch (InvalidInputException e) {
            out.add("profile '" + profileName + "' cannot be used: " + e.getMessage());
        }
        return out;
    }

    /** One problem as the health shows it: the adapter, its source, the setting and what to do. */
    private static String sentence(InputError error) {
        return error.source() + ": " + error.field() + " " + error.reason();
    }

    @Override
    public boolean pulls() {
        return true;
    }

    @Override
    public boolean mergesRepeats() {
        try {
            return profiles.profile(site, profileName).mergesRepeats();
        } catch (InvalidInputException e) {
            return false;
        }
    }

    @Override
    public void read(RecordsInput input, RecordSink sink) throws IOException {
        if (exposed != null) {
            throw new InvalidInputException(exposed);
        }
        RecordsProfile profile = profiles.profile(site, profileName);
        Pull.run(source, dataSources, profile, input.watermark(), sink);
    }
}
