package org.dmiplatform.api.mapping;

import java.time.YearMonth;
import java.util.List;
import org.dmiplatform.api.records.Category;

/**
 * Records assigned to a layer's polygons. A record on a shared edge belongs to the first polygon of the layer that
 * holds it, so each record is counted once.
 *
 * @param layer the layer's name
 * @param rows one per polygon, category and month (in the site's zone) that has records
 * @param assigned records that fell in a polygon
 * @param outside records with a location outside every polygon
 * @param unlocated records without a location
 */
public record PolygonCounts(String layer, List<Row> rows, long assigned, long outside, long unlocated) {
    public PolygonCounts {
        rows = List.copyOf(rows);
    }

    /**
     * @param polygon the polygon's id in the layer
     * @param label its display name
     */
    public record Row(String polygon, String label, Category category, YearMonth month, long count) {}
}
