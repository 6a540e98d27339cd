package org.dmiplatform.directory.hsds.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.directory.hsds.internal.CsvTable.Row;
import org.dmiplatform.directory.listing.Listing;
import org.dmiplatform.directory.listing.Listing.Address;
import org.dmiplatform.directory.listing.Listing.Hours;
import org.dmiplatform.directory.listing.Listing.Language;
import org.dmiplatform.directory.listing.Listing.Person;
import org.dmiplatform.directory.listing.Listing.Phone;
import org.dmiplatform.directory.listing.Listing.Place;
import org.dmiplatform.directory.listing.Listing.Provider;
import org.dmiplatform.directory.listing.Listing.Term;
import org.dmiplatform.directory.listing.Weekdays;

/**
 * An HSDS CSV data package (3.0 or 1.1), unpacked: its tables read in the order their links need (organisations,
 * terms, locations and addresses, services, services at locations, then contacts, phones, schedules, languages and
 * the services' terms) and joined into listings. A row whose one link it cannot do without points nowhere (a service
 * whose organisation was not taken, a service at a location of a service not taken) is rejected with its file, line,
 * field and reason; a row linked several ways (a phone of a contact, a service and a location) is taken when one link
 * holds, and the links that point nowhere are listed as ignored.
 */
final class CsvImport {
    /** AIRS/211 taxonomy codes, as HSDS 1.1 packages put them in the taxonomy's id: RX, RX-8450, BD-1800.2000-620. */
    private static final String AIRS_CODE = "[A-Z]{1,2}(-\\d{4}(\\.\\d{3,4})?(-\\d{3}(\\.\\d{2})?)?)?";

    private final Unzipped pkg;
    private final Schema schema;
    private final Findings findings;
    private final Map<String, String> files = new HashMap<>();
    private final Map<String, Provider> organizations = new LinkedHashMap<>();
    private final Map<String, Owner> organizationOwners = new HashMap<>();
    private final Map<String, Term> terms = new HashMap<>();
    private final Map<String, Spot> locations = new LinkedHashMap<>();
    private final Map<String, Draft> services = new LinkedHashMap<>();
    private final Map<String, Visit> visits = new LinkedHashMap<>();
    private final Map<String, Contact> contacts = new HashMap<>();

    /** What hours, contacts, phones and languages a service, location, service at location or organisation has. */
    private static class Owner {
        final List<Hours> hours = new ArrayList<>();
        final List<Contact> contacts = new ArrayList<>();
        final List<Phone> phones = new ArrayList<>();
        final List<Language> languages = new ArrayList<>();
    }

    /** A location as read: its name, coordinates if usable, and its best address (physical before postal). */
    private static final class Spot extends Owner {
        final String name;
        final Coordinates coordinates;
        Address address = Address.NONE;
        int addressRank = Integer.MAX_VALUE;

        Spot(String name, Coordinates coordinates) {
            this.name = name;
            this.coordinates = coordinates;
        }
    }

    /** A service as read, before its places, contacts and terms are gathered onto it. */
    private static final class Draft extends Owner {
        final Row row;
        final Provider organization;
        final String status;
        final String assuredDate;
        final List<Visit> visits = new ArrayList<>();
        final Set<Term> terms = new LinkedHashSet<>();
        final List<String> eligibility = new ArrayList<>();

        Draft(Row row, Provider organization, String status, String assuredDate) {
            this.row = row;
            this.organization = organization;
            this.status = status;
            this.assuredDate = assuredDate;
        }
    }

    /** A service at a location. */
    private static final class Visit extends Owner {
        final String id;
        final String locationId;
        final Spot location;

        Visit(String id, String locationId, Spot location) {
            this.id = id;
            this.locationId = locationId;
            this.location = location;
        }
    }

    /** A contact as read; its phones are added as the phones are read. */
    private static final class Contact {
        final Row row;
        final List<Phone> phones = new ArrayList<>();

        Contact(Row row) {
            this.row = row;
        }

        Person person() {
            return new Person(row.get("name"), row.get("title"), row.get("email"), phones);
        }
    }

    private CsvImport(Unzipped pkg, Schema schema, Findings findings) {
        this.pkg = pkg;
        this.schema = schema;
        this.findings = findings;
    }

    /** The services of the package, in the order of its services table. */
    static Imported read(Unzipped pkg, String fileName, Findings findings) {
        List<String> organizationHeader = pkg.table(Schema.V3.table(Schema.ORGANIZATION))
                .map(f -> CsvTable.header(pkg.path(f), f))
                .orElse(List.of());
        Schema schema = Schema.detect(pkg.names(), organizationHeader);
        if (pkg.table(schema.table(Schema.SERVICE)).isEmpty()) {
            throw new InvalidInputException(InputError.of(
                    fileName,
                    "",
                    "has no services table (" + schema.table(Schema.SERVICE).file() + ")"));
        }
        CsvImport read = new CsvImport(pkg, schema, findings);
        read.organizations();
        read.terms();
        read.locations();
        read.addresses();
        read.services();
        read.visits();
        read.contacts();
        read.phones();
        read.schedules();
        read.languages();
        read.serviceTerms();
        read.eligibility();
        return new Imported(schema.name, read.listings());
    }

    private CsvTable table(String logical) {
        Schema.Table table = schema.table(logical);
        return pkg.table(table)
                .map(f -> {
                    files.put(logical, f);
                    return CsvTable.read(pkg.path(f), f, table, schema.name, findings);
                })
                .orElseGet(() -> CsvTable.empty(table.file()));
    }

    /** The file a table was read from, as the report names it. */
    private String file(String logical) {
        return files.getOrDefault(logical, schema.table(logical).file());
    }

    private void organizations() {
        for (Row row : table(Schema.ORGANIZATION).rows) {
            String id = row.get("id");
            organizations.put(
                    id,
                    new Provider(
                            id,
                            row.get("name"),
                            row.get("description"),
                            row.get(schema.isV3() ? "website" : "url"),
                            row.get("email")));
            organizationOwners.put(id, new Owner());
        }
    }

    private void terms() {
        for (Row row : table(Schema.TERM).rows) {
            Term term = schema.isV3()
                    ? new Term(row.get("code"), row.get("name"), row.get("description"), row.get("taxonomy"))
                    : new Term(
                            airsCode(row.get("id"), row.get("vocabulary")), row.get("name"), "", row.get("vocabulary"));
            terms.put(row.get("id"), term);
        }
    }

    /** The id as an AIRS code, when the vocabulary is AIRS or 211 and the id is written as one; else empty. */
    private static String airsCode(String id, String vocabulary) {
        boolean airs = vocabulary.toUpperCase(Locale.ROOT).matches(".*\\b(AIRS|211)\\b.*");
        return airs && id.matches(AIRS_CODE) ? id : "";
    }

    private void locations() {
        CsvTable table = table(Schema.LOCATION);
        for (Row row : table.rows) {
            Links links = new Links(table, row);
            links.find("organization_id", organizations, "organisation", file(Schema.ORGANIZATION));
            links.optional();
            Coordinates coordinates = Coordinates.check(
                            row.get("latitude"),
                            row.get("longitude"),
                            table.file,
                            row.line(),
                            "latitude",
                            "line " + row.line(),
                            findings)
                    .orElse(null);
            locations.put(row.get("id"), new Spot(row.get("name"), coordinates));
        }
    }

    private void addresses() {
        CsvTable table = table(Schema.ADDRESS);
        for (Row row : table.rows) {
            Links links = new Links(table, row);
            Spot spot = links.find("location_id", locations, "location", file(Schema.LOCATION));
            if (!links.all()) {
                continue;
            }
            String type = schema.isV3() ? row.get("address_type").toLowerCase(Locale.ROOT) : "physical";
            int rank = type.equals("physical") ? 0 : type.equals("postal") ? 1 : 2;
            if (rank < spot.addressRank) {
                spot.addressRank = rank;
                spot.address = new Address(
                        row.get("address_1"),
                        row.get("address_2"),
                        row.get("city"),
                        row.get("region"),
                        row.get("state_province"),
                        row.get("postal_code"),
                        row.get("country"),
                        type);
            }
        }
    }

    private void services() {
        CsvTable table = table(Schema.SERVICE);
        for (Row row : table.rows) {
            Links links = new Links(table, row);
            Provider organization =
                    links.find("organization_id", organizations, "organisation", file(Schema.ORGANIZATION));
            if (!links.all()) {
                continue;
            }
            Draft service = new Draft(
                    row,
                    organization,
                    Values.status(row.get("status"), table.file, row.line(), "status", findings),
                    Values.date(row.get("assured_date"), table.file, row.line(), "assured_date", findings));
            if (!row.get("eligibility_description").isEmpty()) {
                service.eligibility.add(row.get("eligibility_description"));
            }
            for (String id : row.get("taxonomy_ids").split(",")) {
                Term term = terms.get(id.strip());
                if (term != null) {
                    service.terms.add(term);
                } else if (!id.isBlank()) {
                    findings.reject(
                            table.file,
                            row.line(),
                            "taxonomy_ids",
                            "'" + id.strip() + "' is no term taken from " + file(Schema.TERM)
                                    + ": that term is not used");
                }
            }
            services.put(row.get("id"), service);
        }
    }

    private void visits() {
        CsvTable table = table(Schema.SERVICE_AT_LOCATION);
        for (Row row : table.rows) {
            Links links = new Links(table, row);
            Draft service = links.find("service_id", services, "service", file(Schema.SERVICE));
            Spot location = links.find("location_id", locations, "location", file(Schema.LOCATION));
            if (!links.all()) {
                continue;
            }
            Visit visit = new Visit(row.get("id"), row.get("location_id"), location);
            visits.put(row.get("id"), visit);
            service.visits.add(visit);
        }
    }

    private void contacts() {
        CsvTable table = table(Schema.CONTACT);
        for (Row row : table.rows) {
            Links links = new Links(table, row);
            List<Owner> owners = links.owners(schema.isV3());
            if (!links.any()) {
                continue;
            }
            Contact contact = new Contact(row);
            contacts.put(row.get("id"), contact);
            owners.forEach(o -> o.contacts.add(contact));
        }
    }

    private void phones() {
        CsvTable table = table(Schema.PHONE);
        for (Row row : table.rows) {
            Links links = new Links(table, row);
            Contact contact = links.find("contact_id", contacts, "contact", file(Schema.CONTACT));
            List<Owner> owners = links.owners(true);
            if (!links.any()) {
                continue;
            }
            Phone phone = new Phone(row.get("number"), row.get("extension"));
            if (contact != null) {
                contact.phones.add(phone);
            } else {
                owners.forEach(o -> o.phones.add(phone));
            }
        }
    }

    private void schedules() {
        CsvTable table = table(Schema.SCHEDULE);
        for (Row row : table.rows) {
            Links links = new Links(table, row);
            Visit visit = links.find(
                    "service_at_location_id", visits, "service at location", file(Schema.SERVICE_AT_LOCATION));
            Spot location = links.find("location_id", locations, "location", file(Schema.LOCATION));
            Draft service = links.find("service_id", services, "service", file(Schema.SERVICE));
            if (!links.any()) {
                continue;
            }
            Hours hours = hours(table, row);
            if (hours.text().isEmpty()) {
                continue;
            }
            if (visit != null) {
                add(visit.hours, hours);
            } else if (location != null && service != null) {
                List<Visit> there = service.visits.stream()
                        .filter(v -> v.location == location)
                        .toList();
                there.forEach(v -> add(v.hours, hours));
                if (there.isEmpty()) {
                    add(service.hours, hours);
                }
            } else if (location != null) {
                add(location.hours, hours);
            } else {
                add(service.hours, hours);
            }
        }
    }

    private Hours hours(CsvTable table, Row row) {
        String days;
        if (schema.isV3()) {
            days = Weekdays.normalise(row.get("byday"));
        } else {
            days = Weekdays.byday(row.get("weekday")).orElseGet(() -> {
                findings.reject(
                        table.file,
                        row.line(),
                        "weekday",
                        "'" + row.get("weekday") + "' is not a day (1 for Monday to 7 for Sunday, or its name):"
                                + " the hours are kept without it");
                return "";
            });
        }
        return new Hours(
                days,
                Values.time(row.get("opens_at"), table.file, row.line(), "opens_at", findings),
                Values.time(row.get("closes_at"), table.file, row.line(), "closes_at", findings),
                row.get("description"));
    }

    /**
     * Adds hours to a list; HSDS 1.1 gives one row per day, so hours with the same times join the days of hours
     * already there.
     */
    private void add(List<Hours> list, Hours hours) {
        for (int i = 0; i < list.size(); i++) {
            Hours h = list.get(i);
            if (!schema.isV3()
                    && h.opensAt().equals(hours.opensAt())
                    && h.closesAt().equals(hours.closesAt())
                    && h.description().equals(hours.description())
                    && !h.byday().isEmpty()
                    && !hours.byday().isEmpty()) {
                list.set(
                        i,
                        new Hours(Weekdays.join(h.byday(), hours.byday()), h.opensAt(), h.closesAt(), h.description()));
                return;
            }
        }
        if (!list.contains(hours)) {
            list.add(hours);
        }
    }

    private void languages() {
        CsvTable table = table(Schema.LANGUAGE);
        for (Row row : table.rows) {
            Links links = new Links(table, row);
            Draft service = links.find("service_id", services, "service", file(Schema.SERVICE));
            Spot location = links.find("location_id", locations, "location", file(Schema.LOCATION));
            if (!links.any()) {
                continue;
            }
            Language language = schema.isV3()
                    ? new Language(row.get("name"), row.get("code"))
                    : new Language(row.get("language"), "");
            if (language.text().isEmpty()) {
                findings.reject(table.file, row.line(), schema.isV3() ? "name" : "language", "is empty: not taken");
            } else {
                (service != null ? service : location).languages.add(language);
            }
        }
    }

    private void serviceTerms() {
        CsvTable table = table(Schema.SERVICE_TERM);
        for (Row row : table.rows) {
            Links links = new Links(table, row);
            String termColumn = schema.isV3() ? "taxonomy_term_id" : "taxonomy_id";
            Term term = links.find(termColumn, terms, "taxonomy term", file(Schema.TERM));
            if (schema.isV3()) {
                if (!links.all()) {
                    continue;
                }
                String link = row.get("link_id");
                Draft service = services.get(link);
                if (service != null) {
                    service.terms.add(term);
                } else if (!organizations.containsKey(link)
                        && !locations.containsKey(link)
                        && !visits.containsKey(link)) {
                    findings.reject(
                            table.file,
                            row.line(),
                            "link_id",
                            "points to no service, organisation or location taken from the package ('" + link
                                    + "'): not taken");
                }
            } else {
                Draft service = links.find("service_id", services, "service", file(Schema.SERVICE));
                if (links.all()) {
                    service.terms.add(term);
                }
            }
        }
    }

    private void eligibility() {
        if (schema.isV3()) {
            return;
        }
        CsvTable table = table(Schema.ELIGIBILITY);
        for (Row row : table.rows) {
            Links links = new Links(table, row);
            Draft service = links.find("service_id", services, "service", file(Schema.SERVICE));
            if (links.all() && !row.get("eligibility").isEmpty()) {
                service.eligibility.add(row.get("eligibility"));
            }
        }
    }

    private List<Listing> listings() {
        List<Listing> out = new ArrayList<>();
        for (Draft d : services.values()) {
            List<Place> places = new ArrayList<>();
            Set<Owner> owners = new LinkedHashSet<>();
            owners.add(d);
            for (Visit v : d.visits) {
                List<Hours> hours = new ArrayList<>(v.hours);
                v.location.hours.forEach(h -> add(hours, h));
                Coordinates c = v.location.coordinates;
                places.add(new Place(
                        v.id,
                        v.locationId,
                        v.location.name,
                        v.location.address,
                        c == null ? null : c.latitude(),
                        c == null ? null : c.longitude(),
                        hours));
                owners.add(v);
                owners.add(v.location);
            }
            Set<Contact> reach = new LinkedHashSet<>();
            Set<Phone> phones = new LinkedHashSet<>();
            owners.forEach(o -> {
                reach.addAll(o.contacts);
                phones.addAll(o.phones);
            });
            Owner organization = organizationOwners.get(d.organization.id());
            if (reach.isEmpty() && phones.isEmpty()) {
                reach.addAll(organization.contacts);
                phones.addAll(organization.phones);
            }
            List<Person> persons = reach.stream().map(Contact::person).toList();
            persons.forEach(p -> p.phones().forEach(phones::remove));
            Row row = d.row;
            out.add(new Listing(
                    row.get("id"),
                    row.get("name"),
                    row.get("description"),
                    row.get("url"),
                    row.get("email"),
                    d.status,
                    String.join("; ", d.eligibility),
                    d.assuredDate,
                    d.organization,
                    places,
                    d.hours,
                    persons,
                    List.copyOf(phones),
                    owners.stream()
                            .flatMap(o -> o.languages.stream())
                            .distinct()
                            .toList(),
                    List.copyOf(d.terms)));
        }
        return out;
    }

    /**
     * The links of one row, looked up one by one: those that point nowhere are collected, and once all are looked
     * up the row is taken or rejected by {@link #all()}, {@link #any()} or {@link #optional()}.
     */
    private final class Links {
        private final CsvTable table;
        private final Row row;
        private final Map<String, String> dangling = new LinkedHashMap<>();
        private boolean found;

        Links(CsvTable table, Row row) {
            this.table = table;
            this.row = row;
        }

        /** What the column's id points to; null when empty or pointing nowhere (then it is collected). */
        <T> T find(String column, Map<String, T> known, String what, String from) {
            String id = row.get(column);
            if (id.isEmpty()) {
                return null;
            }
            T target = known.get(id);
            if (target == null) {
                dangling.put(column, "points to no " + what + " taken from " + from + " ('" + id + "')");
            } else {
                found = true;
            }
            return target;
        }

        /** The service, service at location, location (when the table has the column) and organisation linked. */
        List<Owner> owners(boolean withLocation) {
            return Stream.of(
                            find("service_id", services, "service", file(Schema.SERVICE)),
                            find(
                                    "service_at_location_id",
                                    visits,
                                    "service at location",
                                    file(Schema.SERVICE_AT_LOCATION)),
                            withLocation ? find("location_id", locations, "location", file(Schema.LOCATION)) : null,
                            find("organization_id", organizationOwners, "organisation", file(Schema.ORGANIZATION)))
                    .filter(o -> o != null)
                    .collect(Collectors.toList());
        }

        /** For a row that needs every link: true when all hold; else each that does not is listed. */
        boolean all() {
            dangling.forEach(
                    (column, reason) -> findings.reject(table.file, row.line(), column, reason + ": not taken"));
            return dangling.isEmpty();
        }

        /** For a row linked several ways: true when one link holds; the others that point nowhere are listed. */
        boolean any() {
            if (!found && dangling.isEmpty()) {
                findings.reject(table.file, row.line(), "", "links to nothing (no service, location or organisation)");
                return false;
            }
            dangling.forEach((column, reason) -> findings.reject(
                    table.file, row.line(), column, reason + (found ? ": the link is ignored" : ": not taken")));
            return found;
        }

        /** For a link the row does without: one that points nowhere is listed and ignored. */
        void optional() {
            dangling.forEach((column, reason) ->
                    findings.reject(table.file, row.line(), column, reason + ": the link is ignored"));
        }
    }
}
