package org.dmiplatform.api.directory;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.programme.Market.ServiceCategory;

/**
 * Which services: every condition given must hold.
 *
 * @param categories any of these categories (empty: any)
 * @param text words that must all appear in the service's or its organisation's name, description or taxonomy
 * @param near a point (longitude, latitude) to measure distance from; results nearest first
 * @param withinKm with {@code near}: only services with a location this close
 * @param limit at most this many, 1 to 500
 */
public record DirectoryQuery(
        Set<ServiceCategory> categories, String text, Optional<Point> near, Optional<Double> withinKm, int limit) {
    public DirectoryQuery {
        categories = Set.copyOf(Objects.requireNonNullElse(categories, Set.of()));
        text = Objects.requireNonNullElse(text, "").strip();
        near = Objects.requireNonNullElse(near, Optional.empty());
        withinKm = Objects.requireNonNullElse(withinKm, Optional.empty());
    }

    public static final int MAX_LIMIT = 500;

    public static DirectoryQuery all() {
        return new DirectoryQuery(Set.of(), "", Optional.empty(), Optional.empty(), MAX_LIMIT);
    }

    public record Point(double longitude, double latitude) {}
}
