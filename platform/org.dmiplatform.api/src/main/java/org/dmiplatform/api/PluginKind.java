package org.dmiplatform.api;

/**
 * What a site can plug in. A plug-in is any service registered with {@link #SERVICE_PROPERTY} set to one of
 * these ids and {@link Site#SERVICE_PROPERTY} set to the site it serves.
 */
public enum PluginKind implements Identified {
    RECORDS_ADAPTER("records-adapter", "records adapter"),
    SERVICE_DIRECTORY("service-directory", "service-provider directory"),
    MAPPING("mapping", "mapping"),
    REPORTING("reporting", "reporting");

    /** Service property holding the kind id. */
    public static final String SERVICE_PROPERTY = "dmi.plugin.kind";

    /** Optional service property with a display name for the implementation. */
    public static final String NAME_PROPERTY = "dmi.plugin.name";

    private final String id;
    private final String label;

    PluginKind(String id, String label) {
        this.id = id;
        this.label = label;
    }

    @Override
    public String id() {
        return id;
    }

    /** In the programme's words, for messages such as "no records adapter". */
    public String label() {
        return label;
    }

    public static java.util.Optional<PluginKind> byId(String id) {
        return Identified.byId(PluginKind.class, id);
    }
}
