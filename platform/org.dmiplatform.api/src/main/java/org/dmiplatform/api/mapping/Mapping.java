package org.dmiplatform.api.mapping;

import java.util.List;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.store.RecordQuery;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A site's maps. Sites plug one in, one instance per site: register it under this interface with
 * {@code dmi.site=<site>}, {@code dmi.plugin.kind=mapping} ({@link #KIND}) and a {@code dmi.plugin.name}. Every method
 * takes the site it serves and the caller; records are read through the records store as the caller, so a role that
 * may not read a site's records cannot map them either. Geometry in and out is WGS84 longitude/latitude, as GeoJSON.
 *
 * <p>Errors: {@link org.dmiplatform.api.InvalidInputException} names the file, line (where there is one), field and
 * reason; {@link java.util.NoSuchElementException} for a layer the site does not have;
 * {@link org.dmiplatform.api.access.AccessDeniedException} for a caller without the role.
 */
@ConsumerType
public interface Mapping {

    /** The value of {@code dmi.plugin.kind} for a mapping plug-in. */
    String KIND = "mapping";

    /**
     * Reads a boundary layer (GeoJSON, KML, or a zipped shapefile with its {@code .prj}), reprojects it to WGS84,
     * checks it against the site and keeps it under its name, replacing a layer of that name. A layer in an unknown
     * coordinate system, or one that does not lie at the site, is refused with the reason; polygons that can be
     * repaired safely are repaired and the repair is said in {@link Layer#notes}.
     */
    Layer saveLayer(Site site, LayerFile file, Caller caller);

    /** The site's layers, by name. */
    List<Layer> layers(Site site, Caller caller);

    /** One layer's polygons as a GeoJSON FeatureCollection, each feature with its {@code id} and properties. */
    String layerGeoJson(Site site, String layer, Caller caller);

    /** Removes a layer. */
    void deleteLayer(Site site, String layer, Caller caller);

    /** The matching records assigned to the layer's polygons, counted by polygon, category and month. */
    PolygonCounts countByPolygon(Site site, String layer, RecordQuery query, Caller caller);

    /**
     * Hot spots of the matching records, as a GeoJSON FeatureCollection whose {@code parameters} member holds every
     * parameter used (method, cell size, bandwidth rule, neighbours, correction, seed) and whose {@code summary}
     * member holds what the method found.
     */
    String hotSpots(Site site, HotSpotRequest request, Caller caller);

    /**
     * Suggested target, comparison and displacement (buffer) areas, as a GeoJSON FeatureCollection: each feature's
     * {@code role} is {@code target}, {@code comparison} or {@code buffer}, with its counts and the reason it was
     * chosen; {@code parameters} holds the request as used.
     */
    String suggestAreas(Site site, AreaRequest request, Caller caller);

    /** A printable map (PNG) of layers, areas and hot spots, for a community meeting. */
    byte[] printMap(Site site, PrintRequest request, Caller caller);
}
