package org.dmiplatform.directory.listing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.dmiplatform.directory.listing.Listing.Hours;
import org.dmiplatform.directory.listing.Listing.Person;
import org.dmiplatform.directory.listing.Listing.Phone;
import org.dmiplatform.directory.listing.Listing.Place;
import org.dmiplatform.directory.listing.Listing.Term;

/**
 * The directory as an Open Referral HSDS 3.0 JSON array of services in the {@code service_full} form: each with its
 * organisation, its services at locations (the location with its coordinates and address, and the hours there), its
 * own hours, contacts with their phones, phones, languages and taxonomy terms (as attributes), its eligibility and
 * when it was last assured. The objects the directory keeps no id for (schedules, phones, contacts, languages,
 * addresses, attributes) are given one made from the service's id and their place in it, so the same directory is
 * always exported the same way; a term's id is made from the term, so one term has one id throughout.
 */
public final class HsdsExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HsdsExport() {}

    public static void write(List<Listing> services, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartArray();
            for (Listing s : services) {
                service(g, s);
            }
            g.writeEndArray();
        }
    }

    private static void service(JsonGenerator g, Listing s) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", s.id());
        g.writeStringField("name", s.name());
        optional(g, "description", s.description());
        optional(g, "url", s.url());
        optional(g, "email", s.email());
        g.writeStringField("status", s.status());
        optional(g, "eligibility_description", s.eligibility());
        optional(g, "assured_date", s.assuredDate());
        if (!s.organization().id().isEmpty()) {
            g.writeObjectFieldStart("organization");
            g.writeStringField("id", s.organization().id());
            g.writeStringField("name", s.organization().name());
            g.writeStringField("description", s.organization().description());
            optional(g, "website", s.organization().website());
            optional(g, "email", s.organization().email());
            g.writeEndObject();
        }
        g.writeArrayFieldStart("service_at_locations");
        for (int i = 0; i < s.places().size(); i++) {
            place(g, s.id(), i, s.places().get(i));
        }
        g.writeEndArray();
        schedules(g, s.id(), "schedule", s.hours());
        g.writeArrayFieldStart("phones");
        for (int i = 0; i < s.phones().size(); i++) {
            phone(g, id(s.id(), "phone", i), s.phones().get(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("contacts");
        for (int i = 0; i < s.contacts().size(); i++) {
            contact(g, s.id(), i, s.contacts().get(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("languages");
        for (int i = 0; i < s.languages().size(); i++) {
            g.writeStartObject();
            g.writeStringField("id", id(s.id(), "language", i));
            optional(g, "name", s.languages().get(i).name());
            optional(g, "code", s.languages().get(i).code());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("attributes");
        for (int i = 0; i < s.terms().size(); i++) {
            attribute(g, s.id(), i, s.terms().get(i));
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void place(JsonGenerator g, String service, int i, Place p) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", p.id());
        schedules(g, service, "place " + i + " schedule", p.hours());
        g.writeObjectFieldStart("location");
        g.writeStringField("id", p.locationId());
        g.writeStringField("location_type", "physical");
        optional(g, "name", p.name());
        if (p.latitude() != null && p.longitude() != null) {
            g.writeNumberField("latitude", p.latitude());
            g.writeNumberField("longitude", p.longitude());
        }
        g.writeArrayFieldStart("addresses");
        if (!p.address().equals(Listing.Address.NONE)) {
            Listing.Address a = p.address();
            g.writeStartObject();
            g.writeStringField("id", id(service, "place " + i + " address", 0));
            g.writeStringField("location_id", p.locationId());
            g.writeStringField("address_1", a.address1());
            optional(g, "address_2", a.address2());
            g.writeStringField("city", a.city());
            optional(g, "region", a.region());
            g.writeStringField("state_province", a.stateProvince());
            g.writeStringField("postal_code", a.postalCode());
            g.writeStringField("country", a.country());
            g.writeStringField("address_type", a.type());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void schedules(JsonGenerator g, String service, String kind, List<Hours> hours) throws IOException {
        g.writeArrayFieldStart("schedules");
        for (int i = 0; i < hours.size(); i++) {
            Hours h = hours.get(i);
            g.writeStartObject();
            g.writeStringField("id", id(service, kind, i));
            if (!h.byday().isEmpty()) {
                g.writeStringField("freq", "WEEKLY");
                g.writeStringField("byday", h.byday());
            }
            optional(g, "opens_at", h.opensAt());
            optional(g, "closes_at", h.closesAt());
            optional(g, "description", h.description());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void contact(JsonGenerator g, String service, int i, Person p) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id(service, "contact", i));
        optional(g, "name", p.name());
        optional(g, "title", p.title());
        optional(g, "email", p.email());
        g.writeArrayFieldStart("phones");
        for (int k = 0; k < p.phones().size(); k++) {
            phone(g, id(service, "contact " + i + " phone", k), p.phones().get(k));
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void phone(JsonGenerator g, String id, Phone p) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("number", p.number());
        if (p.extension().matches("[1-9]\\d{0,8}")) {
            g.writeNumberField("extension", Integer.parseInt(p.extension()));
        } else {
            optional(g, "extension", p.extension());
        }
        g.writeEndObject();
    }

    private static void attribute(JsonGenerator g, String service, int i, Term t) throws IOException {
        String termId = UUID.nameUUIDFromBytes(
                        (t.taxonomy() + "\n" + t.code() + "\n" + t.name()).getBytes(StandardCharsets.UTF_8))
                .toString();
        g.writeStartObject();
        g.writeStringField("id", id(service, "attribute", i));
        g.writeStringField("link_id", service);
        g.writeStringField("link_type", "service");
        g.writeStringField("link_entity", "service");
        g.writeStringField("taxonomy_term_id", termId);
        g.writeObjectFieldStart("taxonomy_term");
        g.writeStringField("id", termId);
        optional(g, "code", t.code());
        g.writeStringField("name", t.name());
        g.writeStringField("description", t.description());
        optional(g, "taxonomy", t.taxonomy());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (!value.isEmpty()) {
            g.writeStringField(field, value);
        }
    }

    private static String id(String service, String kind, int i) {
        return UUID.nameUUIDFromBytes((service + "\n" + kind + "\n" + i).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
