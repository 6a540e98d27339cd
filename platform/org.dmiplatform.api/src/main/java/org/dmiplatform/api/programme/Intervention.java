package org.dmiplatform.api.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * One market intervention at a site. A site runs several over the years.
 *
 * @param targetArea GeoJSON polygon or multipolygon of the target area
 * @param comparisonArea GeoJSON of the comparison area, for the assessment
 * @param bufferArea GeoJSON of the displacement buffer, if one is drawn
 * @param rationale why these areas were chosen
 * @param definitionVersion the version of the step definition this intervention follows
 */
public record Intervention(
        long id,
        String site,
        String name,
        LocalDate startedOn,
        Optional<LocalDate> endedOn,
        Optional<String> targetArea,
        Optional<String> comparisonArea,
        Optional<String> bufferArea,
        String rationale,
        int definitionVersion,
        String createdBy,
        Instant createdAt) {}
