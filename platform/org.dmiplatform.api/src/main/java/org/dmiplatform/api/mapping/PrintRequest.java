package org.dmiplatform.api.mapping;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A map to print.
 *
 * @param title printed at the top
 * @param layers the site's layers to draw, as the base map
 * @param areas areas to draw over them (the intervention's target, comparison and buffer)
 * @param hotSpots hot spots to shade, if any
 * @param widthPixels 400 to 4000
 * @param heightPixels 300 to 4000
 */
public record PrintRequest(
        String title,
        List<String> layers,
        List<NamedArea> areas,
        Optional<HotSpotRequest> hotSpots,
        int widthPixels,
        int heightPixels) {
    public PrintRequest {
        title = Objects.requireNonNullElse(title, "");
        layers = List.copyOf(layers);
        areas = List.copyOf(areas);
        hotSpots = Objects.requireNonNullElse(hotSpots, Optional.empty());
    }

    /**
     * @param label printed in the legend ({@code Target area})
     * @param geoJson a Polygon or MultiPolygon, bare or as a Feature
     */
    public record NamedArea(String label, String geoJson) {}
}
