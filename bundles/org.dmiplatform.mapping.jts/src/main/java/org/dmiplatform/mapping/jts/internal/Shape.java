package org.dmiplatform.mapping.jts.internal;

import java.util.Map;
import org.locationtech.jts.geom.Geometry;

/**
 * One polygon feature of a layer.
 *
 * @param line where it starts in its file (a GeoJSON or KML line, a shapefile record number)
 * @param id its id in the layer
 * @param label its display name
 * @param properties its attributes, as read
 * @param geometry a Polygon or MultiPolygon, in WGS84 longitude/latitude once the layer is read
 */
record Shape(int line, String id, String label, Map<String, Object> properties, Geometry geometry) {}
