package org.dmiplatform.api.mapping;

import java.time.Instant;
import java.util.List;
import org.dmiplatform.api.Site;

/**
 * A boundary layer a site keeps.
 *
 * @param name short name, unique at the site
 * @param label display name
 * @param fileName the file it was read from
 * @param format {@code GeoJSON}, {@code KML} or {@code Shapefile}
 * @param sourceCrs the coordinate system the file was in, as read (an EPSG code or the {@code .prj}'s name)
 * @param polygons how many polygon features it holds
 * @param bounds its longitude/latitude box
 * @param notes what was repaired or left out, one line each (empty when the file was used as it was)
 * @param savedBy who saved it
 * @param savedAt when
 */
public record Layer(
        String name,
        String label,
        String fileName,
        String format,
        String sourceCrs,
        int polygons,
        Site.Bounds bounds,
        List<String> notes,
        String savedBy,
        Instant savedAt) {
    public Layer {
        notes = List.copyOf(notes);
    }
}
