package org.dmiplatform.api.directory;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.programme.Market.ServiceCategory;

/**
 * One service, as the programme needs it.
 *
 * @param id its id in the directory
 * @param name its name
 * @param description what it offers
 * @param categories the programme's categories it falls in (from the directory's taxonomy)
 * @param taxonomy the directory's own terms for it ("RX-8450 Substance Use Disorder Treatment")
 * @param organization who provides it
 * @param locations where, each with its address, coordinates and hours
 * @param hours when, where not given per location ("Mon-Fri 10:00-18:00")
 * @param eligibility who may use it
 * @param languages languages it is offered in
 * @param contacts people and phones to reach
 * @param url its web page
 * @param email its address
 * @param status {@code active}, {@code inactive}, {@code defunct} or {@code temporarily closed}
 * @param lastVerified when the directory last confirmed it
 * @param distanceKm from the query's point to its nearest location, when the query has one
 */
public record DirectoryService(
        String id,
        String name,
        String description,
        Set<ServiceCategory> categories,
        List<String> taxonomy,
        Organization organization,
        List<Location> locations,
        List<String> hours,
        String eligibility,
        List<String> languages,
        List<Contact> contacts,
        String url,
        String email,
        String status,
        Optional<LocalDate> lastVerified,
        Optional<Double> distanceKm) {
    public DirectoryService {
        id = Objects.requireNonNullElse(id, "");
        name = Objects.requireNonNullElse(name, "");
        description = Objects.requireNonNullElse(description, "");
        categories = Set.copyOf(Objects.requireNonNullElse(categories, Set.of()));
        taxonomy = List.copyOf(Objects.requireNonNullElse(taxonomy, List.of()));
        organization = Objects.requireNonNullElse(organization, new Organization("", "", "", "", ""));
        locations = List.copyOf(Objects.requireNonNullElse(locations, List.of()));
        hours = List.copyOf(Objects.requireNonNullElse(hours, List.of()));
        eligibility = Objects.requireNonNullElse(eligibility, "");
        languages = List.copyOf(Objects.requireNonNullElse(languages, List.of()));
        contacts = List.copyOf(Objects.requireNonNullElse(contacts, List.of()));
        url = Objects.requireNonNullElse(url, "");
        email = Objects.requireNonNullElse(email, "");
        status = Objects.requireNonNullElse(status, "active");
        lastVerified = Objects.requireNonNullElse(lastVerified, Optional.empty());
        distanceKm = Objects.requireNonNullElse(distanceKm, Optional.empty());
    }

    public DirectoryService withDistance(double km) {
        return copy(id, Optional.of(km));
    }

    /** The same service under another id (an empty one asks a directory to give it one), without a distance. */
    public DirectoryService withId(String newId) {
        return copy(newId, Optional.empty());
    }

    private DirectoryService copy(String newId, Optional<Double> km) {
        return new DirectoryService(
                newId,
                name,
                description,
                categories,
                taxonomy,
                organization,
                locations,
                hours,
                eligibility,
                languages,
                contacts,
                url,
                email,
                status,
                lastVerified,
                km);
    }

    public record Organization(String id, String name, String description, String url, String email) {
        public Organization {
            id = Objects.requireNonNullElse(id, "");
            name = Objects.requireNonNullElse(name, "");
            description = Objects.requireNonNullElse(description, "");
            url = Objects.requireNonNullElse(url, "");
            email = Objects.requireNonNullElse(email, "");
        }
    }

    /**
     * @param address one line: street, city, region, postal code
     * @param longitude empty where the directory gives none (or an impossible one)
     */
    public record Location(
            String id,
            String name,
            String address,
            Optional<Double> longitude,
            Optional<Double> latitude,
            List<String> hours) {
        public Location {
            id = Objects.requireNonNullElse(id, "");
            name = Objects.requireNonNullElse(name, "");
            address = Objects.requireNonNullElse(address, "");
            hours = List.copyOf(Objects.requireNonNullElse(hours, List.of()));
            longitude = Objects.requireNonNullElse(longitude, Optional.empty());
            latitude = Objects.requireNonNullElse(latitude, Optional.empty());
        }
    }

    public record Contact(String name, String title, String phone, String email) {
        public Contact {
            name = Objects.requireNonNullElse(name, "");
            title = Objects.requireNonNullElse(title, "");
            phone = Objects.requireNonNullElse(phone, "");
            email = Objects.requireNonNullElse(email, "");
        }
    }
}
