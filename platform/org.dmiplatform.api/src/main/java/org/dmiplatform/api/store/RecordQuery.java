package org.dmiplatform.api.store;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;

/**
 * Which of a site's records: every condition given must hold. An empty set or an empty optional does not filter.
 *
 * @param from records that occurred at or after this instant
 * @param to records that occurred before this instant
 * @param kinds incidents, calls for service, field contacts
 * @param categories the normalised categories
 * @param partOne only UCR Part I offences (true) or only the others (false)
 * @param box only records with a location inside this longitude/latitude box
 * @param within only records with a location inside one of these polygons (a target area, a beat)
 */
public record RecordQuery(
        Optional<Instant> from,
        Optional<Instant> to,
        Set<RecordKind> kinds,
        Set<Category> categories,
        Optional<Boolean> partOne,
        Optional<Site.Bounds> box,
        List<Polygon> within) {

    public RecordQuery {
        from = Objects.requireNonNullElse(from, Optional.empty());
        to = Objects.requireNonNullElse(to, Optional.empty());
        kinds = kinds == null || kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        categories = categories == null || categories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(categories));
        partOne = Objects.requireNonNullElse(partOne, Optional.empty());
        box = Objects.requireNonNullElse(box, Optional.empty());
        within = within == null ? List.of() : List.copyOf(within);
    }

    /** Every record of the site. */
    public static final RecordQuery ALL = new RecordQuery(
            Optional.empty(), Optional.empty(), Set.of(), Set.of(), Optional.empty(), Optional.empty(), List.of());

    public RecordQuery between(Instant from, Instant to) {
        return new RecordQuery(Optional.of(from), Optional.of(to), kinds, categories, partOne, box, within);
    }

    public RecordQuery kinds(Set<RecordKind> kinds) {
        return new RecordQuery(this.from, to, kinds, categories, partOne, box, within);
    }

    public RecordQuery categories(Set<Category> categories) {
        return new RecordQuery(from, to, kinds, categories, partOne, box, within);
    }

    public RecordQuery partOne(boolean partOne) {
        return new RecordQuery(from, to, kinds, categories, Optional.of(partOne), box, within);
    }

    public RecordQuery box(Site.Bounds box) {
        return new RecordQuery(from, to, kinds, categories, partOne, Optional.of(box), within);
    }

    public RecordQuery within(List<Polygon> within) {
        return new RecordQuery(from, to, kinds, categories, partOne, box, within);
    }

    /**
     * A polygon in longitude/latitude: its outer ring and any holes, each ring a closed list of points (the first
     * point repeated at the end), as in GeoJSON.
     */
    public record Polygon(List<CrimeRecord.Location> shell, List<List<CrimeRecord.Location>> holes) {
        public Polygon {
            shell = List.copyOf(shell);
            holes = holes == null ? List.of() : holes.stream().map(List::copyOf).toList();
        }
    }
}
