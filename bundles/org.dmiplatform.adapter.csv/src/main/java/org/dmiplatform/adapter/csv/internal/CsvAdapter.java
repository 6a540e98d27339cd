package org.dmiplatform.adapter.csv.internal;

import java.io.IOException;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.records.RecordsProfile;
import org.dmiplatform.api.records.RecordsProfiles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A records system's CSV export, read through the site's records profile: the profile says which columns hold what,
 * how dates and coordinates are written, and how local codes map to categories, so a new department is onboarded
 * by writing a profile, not code. One instance per site, from {@code site-configs/<site>/plugins/}.
 */
@Component(
        service = RecordsAdapter.class,
        configurationPid = CsvAdapter.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"dmi.plugin.kind=records-adapter", "dmi.plugin.name=csv"})
@Designate(ocd = CsvAdapter.Config.class, factory = true)
public class CsvAdapter implements RecordsAdapter {
    static final String PID = "org.dmiplatform.adapter.csv";

    @ObjectClassDefinition(
            name = "DMI CSV records adapter",
            description = "Reads a site's CSV exports through one of its records profiles")
    public @interface Config {
        @AttributeDefinition(name = "Site", description = "The site this adapter serves (written by provisioning)")
        String dmi_site();

        @AttributeDefinition(
                name = "Profile",
                description = "The records profile, a file of the site's profiles/ folder, e.g. chicago-clear.json")
        String profile();
    }

    private final RecordsProfiles profiles;
    /** The site and profile name, swapped together when the configuration changes. */
    private volatile Settings settings;

    private record Settings(String site, String profile) {}

    @Activate
    public CsvAdapter(Config config, @Reference RecordsProfiles profiles) {
        this.profiles = profiles;
        modified(config);
    }

    /**
     * A new configuration (another profile, say) takes effect in place: the adapter stays registered, so the site is
     * never without one; an import already running finishes with the profile it started with.
     */
    @Modified
    void modified(Config config) {
        this.settings = new Settings(config.dmi_site(), config.profile());
    }

    @Override
    public String describe() {
        Settings now = settings;
        try {
            RecordsProfile profile = profiles.profile(now.site(), now.profile());
            return "CSV, profile " + profile.name()
                    + (profile.description().isEmpty() ? "" : " (" + profile.description() + ")");
        } catch (InvalidInputException e) {
            return "CSV, profile " + now.profile() + ", which cannot be used: " + e.getMessage();
        }
    }

    @Override
    public boolean mergesRepeats() {
        try {
            Settings now = settings;
            return profiles.profile(now.site(), now.profile()).mergesRepeats();
        } catch (InvalidInputException e) {
            return false;
        }
    }

    @Override
    public void read(RecordsInput input, RecordSink sink) throws IOException {
        Settings now = settings;
        read(profiles.profile(now.site(), now.profile()), input, sink);
    }

    public static void read(RecordsProfile profile, RecordsInput input, RecordSink sink) throws IOException {
        profile.read(input, sink);
    }
}
