package org.dmiplatform.api.mapping;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dmiplatform.api.store.RecordQuery;

/**
 * What to suggest areas from.
 *
 * @param query the records that define the problem in the pre-period (its time range is the pre-period)
 * @param cellMetres grid cell side of the Gi* analysis; the plug-in's rule when empty
 * @param maxTargetKm2 the largest target area to suggest: a narrow area, a few blocks
 * @param bufferMetres width of the displacement buffer around the target
 * @param comparisonLayer a layer whose polygons are the comparison candidates; equal-size grid windows when empty
 * @param comparisons how many comparison areas to suggest (1 to 10)
 * @param alpha the false-discovery rate for significant cells
 */
public record AreaRequest(
        RecordQuery query,
        OptionalDouble cellMetres,
        double maxTargetKm2,
        double bufferMetres,
        Optional<String> comparisonLayer,
        int comparisons,
        double alpha) {
    public AreaRequest {
        Objects.requireNonNull(query, "query");
        cellMetres = Objects.requireNonNullElse(cellMetres, OptionalDouble.empty());
        comparisonLayer = Objects.requireNonNullElse(comparisonLayer, Optional.empty());
    }
}
