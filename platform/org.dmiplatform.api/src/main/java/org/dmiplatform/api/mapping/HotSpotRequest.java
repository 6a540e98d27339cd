package org.dmiplatform.api.mapping;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dmiplatform.api.store.RecordQuery;

/**
 * What to look for hot spots in, and how.
 *
 * @param query which records
 * @param method the statistic
 * @param cellMetres grid cell side; the plug-in's rule when empty (documented with it)
 * @param bandwidthMetres kernel bandwidth for {@link Method#DENSITY}; the plug-in's rule when empty
 * @param layer for {@link Method#GI_STAR}: the layer whose polygons are the units, instead of grid cells
 * @param contiguity which cells or polygons are neighbours
 * @param permutations for {@link Method#GI_STAR}: conditional permutations for pseudo p-values (0 for the analytic
 *     p-values only; at most 9999)
 * @param alpha the false-discovery rate for calling a unit significant (Benjamini-Hochberg)
 * @param seed the random seed of the permutations, so a result can be repeated
 */
public record HotSpotRequest(
        RecordQuery query,
        Method method,
        OptionalDouble cellMetres,
        OptionalDouble bandwidthMetres,
        Optional<String> layer,
        Contiguity contiguity,
        int permutations,
        double alpha,
        long seed) {
    public HotSpotRequest {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(method, "method");
        cellMetres = Objects.requireNonNullElse(cellMetres, OptionalDouble.empty());
        bandwidthMetres = Objects.requireNonNullElse(bandwidthMetres, OptionalDouble.empty());
        layer = Objects.requireNonNullElse(layer, Optional.empty());
        contiguity = Objects.requireNonNullElse(contiguity, Contiguity.QUEEN);
    }

    public enum Method {
        /** Records per grid cell. */
        GRID,
        /** Kernel density on the grid. */
        DENSITY,
        /** Getis-Ord Gi* z-scores on grid cells or layer polygons, with a false-discovery-rate correction. */
        GI_STAR,
        /** The Clark-Evans nearest-neighbour index of the records' locations. */
        NEAREST_NEIGHBOUR
    }

    public enum Contiguity {
        /** Sharing an edge or a corner. */
        QUEEN,
        /** Sharing an edge. */
        ROOK
    }
}
