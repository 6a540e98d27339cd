package org.dmiplatform.directory.hsds.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
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
 * HSDS 3.0 JSON: one service in the {@code service_full} form, an array of them, or a page of them as the HSDS API
 * answers ({@code {"contents": [...]}}). The full form repeats a schedule, phone or contact wherever it applies
 * (service, service at location, location, organisation); each is taken once, by its id. A service's hours are those
 * not given for one of its places. A place without an id is given one made from the service's id and the place's
 * position, so that the same file always gives the same directory. Problems are reported by the path of the value
 * ({@code [2].service_at_locations[0].location.latitude}), line 0. It may hold as many services as a CSV table rows.
 */
final class JsonImport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final Findings findings;

    private JsonImport(String file, Findings findings) {
        this.file = file;
        this.findings = findings;
    }

    static Imported read(InputStream in, String file, Findings findings) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidInputException(new InputError(file, line, "", "is not JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, JsonNode> services = new LinkedHashMap<>();
        if (root != null && root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                services.put("[" + i + "]", root.get(i));
            }
        } else if (root != null && root.path("contents").isArray()) {
            for (int i = 0; i < root.get("contents").size(); i++) {
                services.put("contents[" + i + "]", root.get("contents").get(i));
            }
        } else if (root != null && root.has("id") && root.has("name") && root.has("status")) {
            services.put("", root);
        } else {
            throw new InvalidInputException(InputError.of(
                    file,
                    "",
                    "is not HSDS 3.0 JSON: neither a service (with id, name and status), an array of services,"
                            + " nor a page of them (contents)"));
        }
        if (services.size() > CsvTable.MAX_ROWS) {
            throw new InvalidInputException(InputError.of(
                    file, "", "holds more than " + CsvTable.MAX_ROWS + " services, the most a directory may have"));
        }
        JsonImport read = new JsonImport(file, findings);
        List<Listing> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        services.forEach((path, node) -> {
            String id = node.path("id").asText("").strip();
            String first = id.isEmpty() ? null : seen.putIfAbsent(id, path);
            if (first != null) {
                findings.reject(
                        file,
                        0,
                        field(path, "id"),
                        "'" + id + "' is already the id of the service at " + first + ": not taken");
                return;
            }
            Listing listing = read.service(node, path);
            if (listing != null) {
                out.add(listing);
            }
        });
        return new Imported(Schema.V3.name, out);
    }

    private static String field(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A text value without the spaces around it; empty when absent or not a single value. */
    private String text(JsonNode node, String name, String key) {
        JsonNode value = node.path(name);
        return value.isValueNode() && !value.isNull() ? findings.trim(file, key, value.asText()) : "";
    }

    private Listing service(JsonNode node, String path) {
        if (!node.isObject()) {
            findings.reject(file, 0, path, "is not a service (a JSON object): not taken");
            return null;
        }
        String id = text(node, "id", "id");
        String name = text(node, "name", "name");
        if (id.isEmpty() || name.isEmpty()) {
            findings.reject(file, 0, field(path, id.isEmpty() ? "id" : "name"), "is empty: the service is not taken");
            return null;
        }
        List<Place> places = new ArrayList<>();
        Gathered<Person> persons = new Gathered<>();
        Gathered<Phone> phones = new Gathered<>();
        Gathered<Language> languages = new Gathered<>();
        Set<String> placeSchedules = new HashSet<>();
        JsonNode visits = node.path("service_at_locations");
        visits = list(visits, field(path, "service_at_locations"));
        for (int i = 0; i < visits.size(); i++) {
            JsonNode visit = visits.get(i);
            JsonNode location = visit.path("location");
            String at = field(path, "service_at_locations[" + i + "]");
            Gathered<Hours> hours = new Gathered<>();
            schedules(visit.path("schedules"), at, hours, placeSchedules);
            schedules(location.path("schedules"), at + ".location", hours, placeSchedules);
            contacts(visit, persons, phones);
            contacts(location, persons, phones);
            languages(location.path("languages"), languages);
            String lat = text(location, "latitude", "location.latitude");
            String lon = text(location, "longitude", "location.longitude");
            String placeName = text(location, "name", "location.name");
            Coordinates coordinates = Coordinates.check(
                            lat,
                            lon,
                            file,
                            0,
                            at + ".location.latitude",
                            placeName.isEmpty() ? at : placeName,
                            findings)
                    .orElse(null);
            places.add(new Place(
                    orMade(text(visit, "id", "service_at_locations.id"), id, at),
                    orMade(text(location, "id", "location.id"), id, at + ".location"),
                    placeName,
                    address(location.path("addresses")),
                    coordinates == null ? null : coordinates.latitude(),
                    coordinates == null ? null : coordinates.longitude(),
                    hours.values()));
        }
        Gathered<Hours> hours = new Gathered<>();
        schedules(node.path("schedules"), path, hours, new HashSet<>());
        hours.removeIds(placeSchedules);
        contacts(node, persons, phones);
        JsonNode organization = node.path("organization");
        if (persons.values().isEmpty() && phones.values().isEmpty()) {
            contacts(organization, persons, phones);
        }
        languages(node.path("languages"), languages);
        Gathered<Term> terms = new Gathered<>();
        JsonNode attributes = node.path("attributes");
        attributes = list(attributes, field(path, "attributes"));
        for (int i = 0; i < attributes.size(); i++) {
            JsonNode term = attributes.get(i).path("taxonomy_term");
            if (!term.isObject()) {
                findings.reject(
                        file,
                        0,
                        field(path, "attributes[" + i + "].taxonomy_term"),
                        "is missing: the attribute names no term, not used");
                continue;
            }
            String taxonomy = text(term, "taxonomy", "taxonomy_term.taxonomy");
            terms.add(
                    text(term, "id", "taxonomy_term.id"),
                    new Term(
                            text(term, "code", "taxonomy_term.code"),
                            text(term, "name", "taxonomy_term.name"),
                            text(term, "description", "taxonomy_term.description"),
                            taxonomy.isEmpty()
                                    ? text(term.path("taxonomy_detail"), "name", "taxonomy.name")
                                    : taxonomy));
        }
        List<Person> people = persons.values();
        List<Phone> own = new ArrayList<>(phones.values());
        people.forEach(p -> own.removeAll(p.phones()));
        return new Listing(
                id,
                name,
                text(node, "description", "description"),
                text(node, "url", "url"),
                text(node, "email", "email"),
                Values.status(text(node, "status", "status"), file, 0, field(path, "status"), findings),
                text(node, "eligibility_description", "eligibility_description"),
                Values.date(text(node, "assured_date", "assured_date"), file, 0, field(path, "assured_date"), findings),
                new Provider(
                        text(organization, "id", "organization.id"),
                        text(organization, "name", "organization.name"),
                        text(organization, "description", "organization.description"),
                        text(organization, "website", "organization.website"),
                        text(organization, "email", "organization.email")),
                places,
                hours.values(),
                people,
                own,
                languages.values(),
                terms.values());
    }

    /** The id given, or one made from the service's id and where the object is in the file. */
    private static String orMade(String id, String serviceId, String where) {
        return id.isEmpty()
                ? UUID.nameUUIDFromBytes((serviceId + " " + where).getBytes(StandardCharsets.UTF_8))
                        .toString()
                : id;
    }

    private void schedules(JsonNode given, String path, Gathered<Hours> into, Set<String> ids) {
        JsonNode schedules = list(given, path + (path.isEmpty() ? "" : ".") + "schedules");
        for (int i = 0; i < schedules.size(); i++) {
            JsonNode s = schedules.get(i);
            String at = path + (path.isEmpty() ? "" : ".") + "schedules[" + i + "]";
            Hours hours = new Hours(
                    Weekdays.normalise(text(s, "byday", "schedules.byday")),
                    Values.time(text(s, "opens_at", "schedules.opens_at"), file, 0, at + ".opens_at", findings),
                    Values.time(text(s, "closes_at", "schedules.closes_at"), file, 0, at + ".closes_at", findings),
                    text(s, "description", "schedules.description"));
            String id = text(s, "id", "schedules.id");
            if (!hours.text().isEmpty()) {
                into.add(id, hours);
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        }
    }

    /** The contacts (with their phones) and the phones of a service, service at location, location or organisation. */
    private void contacts(JsonNode owner, Gathered<Person> persons, Gathered<Phone> phones) {
        Set<String> theirs = new HashSet<>();
        for (JsonNode c : list(owner.path("contacts"), "contacts")) {
            Gathered<Phone> own = new Gathered<>();
            for (JsonNode p : list(c.path("phones"), "contacts.phones")) {
                phone(p, own);
                theirs.add(text(p, "id", "phones.id"));
            }
            persons.add(
                    text(c, "id", "contacts.id"),
                    new Person(
                            text(c, "name", "contacts.name"),
                            text(c, "title", "contacts.title"),
                            text(c, "email", "contacts.email"),
                            own.values()));
        }
        for (JsonNode p : list(owner.path("phones"), "phones")) {
            if (!theirs.contains(text(p, "id", "phones.id"))
                    || text(p, "id", "phones.id").isEmpty()) {
                phone(p, phones);
            }
        }
    }

    private void phone(JsonNode p, Gathered<Phone> into) {
        String number = text(p, "number", "phones.number");
        if (!number.isEmpty()) {
            into.add(text(p, "id", "phones.id"), new Phone(number, text(p, "extension", "phones.extension")));
        }
    }

    private void languages(JsonNode languages, Gathered<Language> into) {
        for (JsonNode l : list(languages, "languages")) {
            Language language = new Language(text(l, "name", "languages.name"), text(l, "code", "languages.code"));
            if (!language.text().isEmpty()) {
                into.add(text(l, "id", "languages.id"), language);
            }
        }
    }

    /** A location's best address: physical before postal before any other. */
    private Address address(JsonNode addresses) {
        Address best = Address.NONE;
        int rank = Integer.MAX_VALUE;
        for (JsonNode a : list(addresses, "addresses")) {
            String type = text(a, "address_type", "addresses.address_type").toLowerCase(Locale.ROOT);
            int r = type.equals("physical") ? 0 : type.equals("postal") ? 1 : 2;
            if (r < rank) {
                rank = r;
                best = new Address(
                        text(a, "address_1", "addresses.address_1"),
                        text(a, "address_2", "addresses.address_2"),
                        text(a, "city", "addresses.city"),
                        text(a, "region", "addresses.region"),
                        text(a, "state_province", "addresses.state_province"),
                        text(a, "postal_code", "addresses.postal_code"),
                        text(a, "country", "addresses.country"),
                        type);
            }
        }
        return best;
    }

    /** Values met more than once in the full form, each kept once: by its id when it has one, else by its value. */
    private static final class Gathered<T> {
        private final Map<String, T> byId = new LinkedHashMap<>();
        private final List<T> values = new ArrayList<>();

        void add(String id, T value) {
            if (!id.isEmpty() && byId.containsKey(id) || values.contains(value)) {
                return;
            }
            if (!id.isEmpty()) {
                byId.put(id, value);
            }
            values.add(value);
        }

        /** Drops the values with these ids. */
        void removeIds(Set<String> ids) {
            ids.forEach(id -> {
                T value = byId.remove(id);
                if (value != null) {
                    values.remove(value);
                }
            });
        }

        List<T> values() {
            return List.copyOf(values);
        }
    }

    /**
     * A list member as a list: absent or null is an empty list; anything else that is not a list of objects is
     * reported and taken as empty, so a messy package never stops the import.
     */
    private JsonNode list(JsonNode node, String path) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return JSON.createArrayNode();
        }
        if (!node.isArray()) {
            findings.reject(file, 0, path, "must be a list; what is there is not used");
            return JSON.createArrayNode();
        }
        com.fasterxml.jackson.databind.node.ArrayNode objects = JSON.createArrayNode();
        for (JsonNode item : node) {
            if (item.isObject()) {
                objects.add(item);
            } else {
                findings.reject(file, 0, path, "holds something that is not an object; it is not used");
            }
        }
        return objects;
    }
}
