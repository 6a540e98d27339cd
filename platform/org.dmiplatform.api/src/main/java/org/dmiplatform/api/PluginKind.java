package org.dmiplatform.api;

/**
 * What a site can plug in. A plug-in is a service registered under its kind's contract interface, with
 * {@link #SERVICE_PROPERTY} set to the kind's id and {@link Site#SERVICE_PROPERTY} set to the site it serves; where a
 * site has several of a kind, the one with the highest {@code service.ranking} serves. Each kind's contract lives in
 * a package of its own ({@code org.dmiplatform.api.records} for records adapters); the contracts of the other kinds
 * arrive with their first implementations, and until then no plug-in of theirs can bind.
 */
public enum PluginKind implements Identified {
    RECORDS_ADAPTER("records-adapter", "records adapter", "org.dmiplatform.api.records.RecordsAdapter"),
    SERVICE_DIRECTORY(
            "service-directory", "service-provider directory", "org.dmiplatform.api.directory.ServiceDirectory"),
    MAPPING("mapping", "mapping", "org.dmiplatform.api.mapping.Mapping"),
    REPORTING("reporting", "reporting", "org.dmiplatform.api.reporting.Reporting");

    /** Service property holding the kind id. */
    public static final String SERVICE_PROPERTY = "dmi.plugin.kind";

    /** Optional service property with a display name for the implementation. */
    public static final String NAME_PROPERTY = "dmi.plugin.name";

    private final String id;
    private final String label;
    private final String contract;

    PluginKind(String id, String label, String contract) {
        this.id = id;
        this.label = label;
        this.contract = contract;
    }

    /** The name of the interface a plug-in of this kind is registered under. */
    public String contract() {
        return contract;
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
