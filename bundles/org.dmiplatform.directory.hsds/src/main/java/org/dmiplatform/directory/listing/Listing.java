package org.dmiplatform.directory.listing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.programme.Market.ServiceCategory;

/**
 * One service as the directory keeps it: the parts of an HSDS 3.0 {@code service_full} the programme uses, in the
 * same shape, so that the export writes back what the import read. Its contacts, phones and languages are gathered
 * onto it on import, from the service itself, its locations and, where it has none of its own, its organisation.
 * Every text is present (empty, never null), so two listings read from the same data are equal.
 *
 * @param assuredDate when the directory last confirmed the service, {@code yyyy-MM-dd}, or empty
 */
public record Listing(
        String id,
        String name,
        String description,
        String url,
        String email,
        String status,
        String eligibility,
        String assuredDate,
        Provider organization,
        List<Place> places,
        List<Hours> hours,
        List<Person> contacts,
        List<Phone> phones,
        List<Language> languages,
        List<Term> terms) {

    public Listing {
        id = orEmpty(id);
        name = orEmpty(name);
        description = orEmpty(description);
        url = orEmpty(url);
        email = orEmpty(email);
        status = orEmpty(status).isEmpty() ? "active" : status;
        eligibility = orEmpty(eligibility);
        assuredDate = orEmpty(assuredDate);
        organization = Objects.requireNonNullElse(organization, new Provider("", "", "", "", ""));
        places = list(places);
        hours = list(hours);
        contacts = list(contacts);
        phones = list(phones);
        languages = list(languages);
        terms = list(terms);
    }

    public static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    public static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** The service as the programme sees it, in the given categories. */
    public DirectoryService toService(Set<ServiceCategory> categories) {
        List<DirectoryService.Contact> reach = new ArrayList<>();
        for (Person p : contacts) {
            reach.add(new DirectoryService.Contact(
                    p.name(),
                    p.title(),
                    p.phones().stream().map(Phone::text).collect(Collectors.joining("; ")),
                    p.email()));
        }
        for (Phone phone : phones) {
            reach.add(new DirectoryService.Contact("", "", phone.text(), ""));
        }
        return new DirectoryService(
                id,
                name,
                description,
                categories,
                terms.stream().map(Term::text).toList(),
                new DirectoryService.Organization(
                        organization.id(),
                        organization.name(),
                        organization.description(),
                        organization.website(),
                        organization.email()),
                places.stream().map(Place::toLocation).toList(),
                hours.stream().map(Hours::text).filter(h -> !h.isEmpty()).toList(),
                eligibility,
                languages.stream().map(Language::text).toList(),
                reach,
                url,
                email,
                status,
                assuredDate.isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(assuredDate)),
                Optional.empty());
    }

    /** Who provides the service (an HSDS organization). */
    public record Provider(String id, String name, String description, String website, String email) {
        public Provider {
            id = orEmpty(id);
            name = orEmpty(name);
            description = orEmpty(description);
            website = orEmpty(website);
            email = orEmpty(email);
        }
    }

    /**
     * Where the service is given: an HSDS service_at_location with its location.
     *
     * @param id the service_at_location's id
     * @param latitude null where the directory gives none, or an impossible one
     */
    public record Place(
            String id,
            String locationId,
            String name,
            Address address,
            Double latitude,
            Double longitude,
            List<Hours> hours) {
        public Place {
            id = orEmpty(id);
            locationId = orEmpty(locationId);
            name = orEmpty(name);
            address = Objects.requireNonNullElse(address, Address.NONE);
            hours = list(hours);
        }

        public DirectoryService.Location toLocation() {
            return new DirectoryService.Location(
                    locationId,
                    name,
                    address.line(),
                    Optional.ofNullable(longitude),
                    Optional.ofNullable(latitude),
                    hours.stream().map(Hours::text).filter(h -> !h.isEmpty()).toList());
        }
    }

    /** A location's address; {@code type} is HSDS's address_type ({@code physical}, {@code postal}, ...). */
    public record Address(
            String address1,
            String address2,
            String city,
            String region,
            String stateProvince,
            String postalCode,
            String country,
            String type) {
        public static final Address NONE = new Address("", "", "", "", "", "", "", "");

        public Address {
            address1 = orEmpty(address1);
            address2 = orEmpty(address2);
            city = orEmpty(city);
            region = orEmpty(region);
            stateProvince = orEmpty(stateProvince);
            postalCode = orEmpty(postalCode);
            country = orEmpty(country);
            type = orEmpty(type);
        }

        /** One line: street, city, state or province, postal code. */
        public String line() {
            return Stream.of(address1, address2, city, stateProvince, postalCode)
                    .filter(s -> !s.isEmpty())
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * When: an HSDS schedule reduced to its days ({@code byday}, RFC 5545 two-letter days), opening and closing
     * times ({@code HH:mm}) and its description.
     */
    public record Hours(String byday, String opensAt, String closesAt, String description) {
        public Hours {
            byday = orEmpty(byday);
            opensAt = orEmpty(opensAt);
            closesAt = orEmpty(closesAt);
            description = orEmpty(description);
        }

        /** "Mon-Fri 10:00-18:00"; the description where the schedule gives neither days nor times. */
        public String text() {
            String times = opensAt.isEmpty() && closesAt.isEmpty()
                    ? ""
                    : opensAt.isEmpty()
                            ? "until " + closesAt
                            : closesAt.isEmpty() ? "from " + opensAt : opensAt + "-" + closesAt;
            String when = (Weekdays.text(byday) + " " + times).strip();
            return when.isEmpty() ? description : when;
        }
    }

    /** A person or desk to contact, with their phones. */
    public record Person(String name, String title, String email, List<Phone> phones) {
        public Person {
            name = orEmpty(name);
            title = orEmpty(title);
            email = orEmpty(email);
            phones = list(phones);
        }
    }

    public record Phone(String number, String extension) {
        public Phone {
            number = orEmpty(number);
            extension = orEmpty(extension);
        }

        public String text() {
            return extension.isEmpty() ? number : number + " ext. " + extension;
        }
    }

    /** A language the service is given in: its name and ISO 639 code, either may be empty. */
    public record Language(String name, String code) {
        public Language {
            name = orEmpty(name);
            code = orEmpty(code);
        }

        public String text() {
            return name.isEmpty() ? code : name;
        }
    }

    /** A taxonomy term the service is filed under ({@code taxonomy}: the vocabulary, such as AIRS). */
    public record Term(String code, String name, String description, String taxonomy) {
        public Term {
            code = orEmpty(code);
            name = orEmpty(name);
            description = orEmpty(description);
            taxonomy = orEmpty(taxonomy);
        }

        /** "RX-8450 Substance Use Disorder Treatment", or the name alone. */
        public String text() {
            return code.isEmpty() ? name : (code + " " + name).strip();
        }
    }
}
