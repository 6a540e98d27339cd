package org.dmiplatform.directory.listing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;

/**
 * A query over a directory's services. Categories: any of those asked. Text: every word asked must begin a word of
 * the service's name, its organisation's name, its description or its taxonomy ("counsel" finds "Counselling"), in
 * any case. Near a point: each service's distance is to its nearest location with coordinates; {@code withinKm}
 * keeps only those that close, and without it services with no located location come last. Nearest first, else by
 * name.
 */
public final class Search {
    private Search() {}

    public static List<DirectoryService> run(List<DirectoryService> all, DirectoryQuery query) {
        if (query.limit() < 1 || query.limit() > DirectoryQuery.MAX_LIMIT) {
            throw new InvalidInputException(
                    InputError.of("query", "limit", "must be a whole number from 1 to " + DirectoryQuery.MAX_LIMIT));
        }
        if (query.withinKm().isPresent()
                && (query.near().isEmpty() || !(query.withinKm().get() > 0))) {
            throw new InvalidInputException(
                    InputError.of("query", "withinKm", "needs a point to measure from and a distance above 0"));
        }
        List<String> words = List.of(words(query.text()).strip().split(" "));
        List<DirectoryService> found = new ArrayList<>();
        for (DirectoryService s : all) {
            if (!query.categories().isEmpty() && s.categories().stream().noneMatch(query.categories()::contains)) {
                continue;
            }
            if (!words.get(0).isEmpty() && !hasWords(s, words)) {
                continue;
            }
            if (query.near().isPresent()) {
                Optional<Double> km = nearest(s, query.near().get());
                if (query.withinKm().isPresent()
                        && (km.isEmpty() || km.get() > query.withinKm().get())) {
                    continue;
                }
                found.add(km.map(s::withDistance).orElse(s));
            } else {
                found.add(s);
            }
        }
        Comparator<DirectoryService> byName = Comparator.comparing(
                        (DirectoryService s) -> s.name().toLowerCase(Locale.ROOT))
                .thenComparing(DirectoryService::id);
        found.sort(
                query.near().isPresent()
                        ? Comparator.comparing(
                                        (DirectoryService s) -> s.distanceKm().orElse(Double.MAX_VALUE))
                                .thenComparing(byName)
                        : byName);
        return List.copyOf(found.subList(0, Math.min(found.size(), query.limit())));
    }

    private static boolean hasWords(DirectoryService s, List<String> words) {
        String text = words(
                String.join(" ", s.name(), s.organization().name(), s.description(), String.join(" ", s.taxonomy())));
        return words.stream().allMatch(w -> text.contains(" " + w));
    }

    /** The distance to the service's nearest location with coordinates. */
    public static Optional<Double> nearest(DirectoryService s, DirectoryQuery.Point point) {
        return s.locations().stream()
                .filter(l -> l.latitude().isPresent() && l.longitude().isPresent())
                .map(l -> km(l.latitude().get(), l.longitude().get(), point.latitude(), point.longitude()))
                .min(Double::compare);
    }

    /** The great-circle distance in kilometres (haversine, on the mean Earth radius). */
    public static double km(double latitude, double longitude, double otherLatitude, double otherLongitude) {
        double dLat = Math.toRadians(otherLatitude - latitude);
        double dLon = Math.toRadians(otherLongitude - longitude);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(latitude))
                        * Math.cos(Math.toRadians(otherLatitude))
                        * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** Lower-case words and numbers, each between spaces (" detox intake "), for matching whole words. */
    public static String words(String text) {
        String words = text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]+", " ")
                .strip();
        return words.isEmpty() ? "" : " " + words + " ";
    }
}
