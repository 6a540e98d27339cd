package org.dmiplatform.directory.hsds.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables of an HSDS CSV data package that this directory reads, as HSDS 3.0 and HSDS 1.1 define them: the
 * resource name and file, every column the standard defines (a column not among them is noted as unknown) and the
 * columns a row cannot do without (a table missing one is not read, a row with one empty is rejected). The column
 * lists are those of the standard's own {@code datapackage.json} (HSDS 3.0.0; the HSDS 1.1 template).
 */
final class Schema {
    static final String ORGANIZATION = "organization";
    static final String SERVICE = "service";
    static final String LOCATION = "location";
    static final String SERVICE_AT_LOCATION = "service_at_location";
    static final String ADDRESS = "address";
    static final String SCHEDULE = "schedule";
    static final String PHONE = "phone";
    static final String CONTACT = "contact";
    static final String LANGUAGE = "language";
    static final String TERM = "taxonomy_term";
    /** HSDS 3.0 attributes; in HSDS 1.1, services_taxonomy. */
    static final String SERVICE_TERM = "attribute";
    /** HSDS 1.1 only: eligibility rows. */
    static final String ELIGIBILITY = "eligibility";

    /**
     * One table.
     *
     * @param resource its resource name in {@code datapackage.json}
     * @param file its file name where {@code datapackage.json} does not say
     */
    record Table(String resource, String file, List<String> columns, List<String> needed) {}

    static final Schema V3 = new Schema(
            "HSDS 3.0",
            Map.ofEntries(
                    Map.entry(
                            ORGANIZATION,
                            table(
                                    "organization",
                                    "organizations.csv",
                                    "id,name,alternate_name,description,email,website,tax_status,tax_id,"
                                            + "year_incorporated,legal_status,logo,uri,parent_organization_id",
                                    "id,name")),
                    Map.entry(
                            SERVICE,
                            table(
                                    "service",
                                    "services.csv",
                                    "id,organization_id,program_id,name,alternate_name,description,url,email,status,"
                                            + "interpretation_services,application_process,fees_description,"
                                            + "wait_time,fees,accreditations,eligibility_description,minimum_age,"
                                            + "maximum_age,assured_date,assurer_email,licenses,alert,last_modified",
                                    "id,organization_id,name")),
                    Map.entry(
                            LOCATION,
                            table(
                                    "location",
                                    "locations.csv",
                                    "id,location_type,url,organization_id,name,alternate_name,description,"
                                            + "transportation,latitude,longitude,external_identifier,"
                                            + "external_identifier_type",
                                    "id")),
                    Map.entry(
                            SERVICE_AT_LOCATION,
                            table(
                                    "service_at_location",
                                    "service_at_location.csv",
                                    "id,service_id,location_id,description",
                                    "id,service_id,location_id")),
                    Map.entry(
                            ADDRESS,
                            table(
                                    "address",
                                    "addresses.csv",
                                    "id,location_id,attention,address_1,address_2,city,region,state_province,"
                                            + "postal_code,country,address_type",
                                    "id,location_id")),
                    Map.entry(
                            SCHEDULE,
                            table(
                                    "schedule",
                                    "schedules.csv",
                                    "id,service_id,location_id,service_at_location_id,valid_from,valid_to,dtstart,"
                                            + "timezone,until,count,wkst,freq,interval,byday,byweekno,bymonthday,"
                                            + "byyearday,description,opens_at,closes_at,schedule_link,"
                                            + "attending_type,notes",
                                    "id")),
                    Map.entry(
                            PHONE,
                            table(
                                    "phone",
                                    "phones.csv",
                                    "id,location_id,service_id,organization_id,contact_id,service_at_location_id,"
                                            + "number,extension,type,description",
                                    "id,number")),
                    Map.entry(
                            CONTACT,
                            table(
                                    "contact",
                                    "contacts.csv",
                                    "id,organization_id,service_id,service_at_location_id,location_id,name,title,"
                                            + "department,email",
                                    "id")),
                    Map.entry(
                            LANGUAGE,
                            table(
                                    "language",
                                    "languages.csv",
                                    "id,service_id,location_id,phone_id,name,code,note",
                                    "id")),
                    Map.entry(
                            TERM,
                            table(
                                    "taxonomy_term",
                                    "taxonomy_terms.csv",
                                    "id,code,name,description,parent_id,taxonomy,language,taxonomy_id,term_uri",
                                    "id,name")),
                    Map.entry(
                            SERVICE_TERM,
                            table(
                                    "attribute",
                                    "attributes.csv",
                                    "id,link_id,taxonomy_term_id,link_type,link_entity,value",
                                    "id,link_id,taxonomy_term_id"))));

    static final Schema V1_1 = new Schema(
            "HSDS 1.1",
            Map.ofEntries(
                    Map.entry(
                            ORGANIZATION,
                            table(
                                    "organization",
                                    "organizations.csv",
                                    "id,name,alternate_name,description,email,url,tax_status,tax_id,"
                                            + "year_incorporated,legal_status",
                                    "id,name")),
                    Map.entry(
                            SERVICE,
                            table(
                                    "service",
                                    "services.csv",
                                    "id,organization_id,program_id,name,alternate_name,description,url,email,status,"
                                            + "interpretation_services,application_process,wait_time,fees,"
                                            + "accreditations,licenses,taxonomy_ids",
                                    "id,organization_id,name")),
                    Map.entry(
                            LOCATION,
                            table(
                                    "location",
                                    "locations.csv",
                                    "id,organization_id,name,alternate_name,description,transportation,latitude,"
                                            + "longitude",
                                    "id")),
                    Map.entry(
                            SERVICE_AT_LOCATION,
                            table(
                                    "service_at_location",
                                    "services_at_location.csv",
                                    "id,service_id,location_id,description",
                                    "id,service_id,location_id")),
                    Map.entry(
                            ADDRESS,
                            table(
                                    "physical_address",
                                    "physical_addresses.csv",
                                    "id,location_id,attention,address_1,address_2,address_3,address_4,city,region,"
                                            + "state_province,postal_code,country",
                                    "id,location_id")),
                    Map.entry(
                            SCHEDULE,
                            table(
                                    "regular_schedule",
                                    "regular_schedules.csv",
                                    "id,service_id,location_id,service_at_location_id,weekday,opens_at,closes_at",
                                    "id,weekday")),
                    Map.entry(
                            PHONE,
                            table(
                                    "phone",
                                    "phones.csv",
                                    "id,location_id,service_id,organization_id,contact_id,service_at_location_id,"
                                            + "number,extension,type,language,description,department",
                                    "id,number")),
                    Map.entry(
                            CONTACT,
                            table(
                                    "contact",
                                    "contacts.csv",
                                    "id,organization_id,service_id,service_at_location_id,name,title,department,"
                                            + "email",
                                    "id")),
                    Map.entry(LANGUAGE, table("language", "languages.csv", "id,service_id,location_id,language", "id")),
                    Map.entry(
                            TERM,
                            table("taxonomy", "taxonomy.csv", "id,name,parent_id,parent_name,vocabulary", "id,name")),
                    Map.entry(
                            SERVICE_TERM,
                            table(
                                    "service_taxonomy",
                                    "services_taxonomy.csv",
                                    "id,service_id,taxonomy_id,taxonomy_detail",
                                    "id,service_id,taxonomy_id")),
                    Map.entry(
                            ELIGIBILITY,
                            table("eligibility", "eligibility.csv", "id,service_id,eligibility", "id,service_id"))));

    /** Files and resources only one of the two versions has. */
    private static final Set<String> ONLY_V3 = Set.of(
            "service_at_location.csv",
            "addresses.csv",
            "schedules.csv",
            "taxonomy_terms.csv",
            "attributes.csv",
            "address",
            "schedule",
            "taxonomy_term",
            "attribute");

    private static final Set<String> ONLY_V1_1 = Set.of(
            "services_at_location.csv",
            "physical_addresses.csv",
            "regular_schedules.csv",
            "taxonomy.csv",
            "services_taxonomy.csv",
            "physical_address",
            "regular_schedule",
            "taxonomy",
            "service_taxonomy");

    final String name;
    private final Map<String, Table> tables;

    private Schema(String name, Map<String, Table> tables) {
        this.name = name;
        this.tables = tables;
    }

    private static Table table(String resource, String file, String columns, String needed) {
        return new Table(resource, file, List.of(columns.split(",")), List.of(needed.split(",")));
    }

    /** The table, if this version has it. */
    Table table(String logical) {
        return tables.get(logical);
    }

    boolean isV3() {
        return this == V3;
    }

    /**
     * The version a package is written in, told by the files and resources only one version has and by the
     * organisations' header (HSDS 3.0 calls the web site {@code website}, HSDS 1.1 {@code url}); HSDS 3.0 when
     * nothing tells.
     *
     * @param names the package's file names and declared resource names
     */
    static Schema detect(Set<String> names, List<String> organizationHeader) {
        long v3 = names.stream().filter(ONLY_V3::contains).count() + (organizationHeader.contains("website") ? 1 : 0);
        long v11 = names.stream().filter(ONLY_V1_1::contains).count() + (organizationHeader.contains("url") ? 1 : 0);
        return v11 > v3 ? V1_1 : V3;
    }
}
