package org.dmiplatform.core.internal.programme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * Checks an area given as GeoJSON: a Polygon or MultiPolygon, bare or as a Feature, in WGS84 longitude/latitude,
 * every ring closed with at least four positions. Keeps the geometry alone, compact.
 */
final class AreaCheck {
    static final int MAX_CHARS = 2_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AreaCheck() {}

    static Optional<String> check(Check check, String field, Optional<String> geojson) {
        return check(check, field, geojson, Optional.empty());
    }

    /**
     * As {@link #check(Check, String, Optional)}, and every position must lie in the site's box (grown by a tenth on
     * each side): a polygon of another city, or with latitude and longitude swapped, is refused and says which.
     */
    static Optional<String> check(
            Check check, String field, Optional<String> geojson, Optional<org.dmiplatform.api.Site.Bounds> site) {
        Optional<String> area = checkShape(check, field, geojson);
        if (area.isEmpty() || site.isEmpty()) {
            return area;
        }
        org.dmiplatform.api.Site.Bounds b = site.get();
        double w = (b.east() - b.west()) * 0.1;
        double h = (b.north() - b.south()) * 0.1;
        org.dmiplatform.api.Site.Bounds grown =
                new org.dmiplatform.api.Site.Bounds(b.west() - w, b.south() - h, b.east() + w, b.north() + h);
        boolean outside = false;
        boolean swappedInside = true;
        for (JsonNode position : positions(area.get())) {
            double lon = position.get(0).asDouble();
            double lat = position.get(1).asDouble();
            if (!grown.contains(lon, lat)) {
                outside = true;
            }
            if (!grown.contains(lat, lon)) {
                swappedInside = false;
            }
        }
        if (!outside) {
            return area;
        }
        check.fail(
                field,
                swappedInside
                        ? "has its coordinates in latitude, longitude order; GeoJSON gives longitude first"
                        : "lies outside the site's area (" + b + "): it is another place's polygon");
        return Optional.empty();
    }

    /** A checked area (a Polygon or MultiPolygon geometry, as {@link #check} keeps it) as the records store's polygons. */
    static java.util.List<org.dmiplatform.api.store.RecordQuery.Polygon> polygons(String geometry) {
        JsonNode node;
        try {
            node = JSON.readTree(geometry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored area is not GeoJSON", e);
        }
        java.util.List<JsonNode> polygons = new java.util.ArrayList<>();
        if ("Polygon".equals(node.path("type").asText())) {
            polygons.add(node.path("coordinates"));
        } else {
            node.path("coordinates").forEach(polygons::add);
        }
        java.util.List<org.dmiplatform.api.store.RecordQuery.Polygon> out = new java.util.ArrayList<>();
        for (JsonNode rings : polygons) {
            java.util.List<java.util.List<org.dmiplatform.api.records.CrimeRecord.Location>> all =
                    new java.util.ArrayList<>();
            for (JsonNode ring : rings) {
                java.util.List<org.dmiplatform.api.records.CrimeRecord.Location> points = new java.util.ArrayList<>();
                ring.forEach(p -> points.add(new org.dmiplatform.api.records.CrimeRecord.Location(
                        p.get(0).asDouble(), p.get(1).asDouble())));
                all.add(points);
            }
            out.add(new org.dmiplatform.api.store.RecordQuery.Polygon(all.get(0), all.subList(1, all.size())));
        }
        return out;
    }

    private static java.util.List<JsonNode> positions(String geometry) {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        try {
            collect(JSON.readTree(geometry).path("coordinates"), out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static void collect(JsonNode node, java.util.List<JsonNode> out) {
        if (node.isArray() && node.size() >= 2 && node.get(0).isNumber()) {
            out.add(node);
        } else {
            node.forEach(child -> collect(child, out));
        }
    }

    private static Optional<String> checkShape(Check check, String field, Optional<String> geojson) {
        if (geojson.isEmpty() || geojson.get().isBlank()) {
            return Optional.empty();
        }
        if (geojson.get().length() > MAX_CHARS) {
            check.fail(field, "is larger than " + MAX_CHARS + " characters");
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(geojson.get());
        } catch (JsonProcessingException e) {
            check.fail(field, "is not JSON: " + e.getOriginalMessage());
            return Optional.empty();
        }
        if ("FeatureCollection".equals(node.path("type").asText())) {
            JsonNode features = node.path("features");
            if (features.size() != 1) {
                check.fail(field, "a FeatureCollection must hold exactly one feature, not " + features.size());
                return Optional.empty();
            }
            node = features.get(0);
        }
        if ("Feature".equals(node.path("type").asText())) {
            node = node.path("geometry");
        }
        String type = node.path("type").asText();
        String problem =
                switch (type) {
                    case "Polygon" -> polygon(node.path("coordinates"));
                    case "MultiPolygon" -> multi(node.path("coordinates"));
                    default -> "must be a GeoJSON Polygon or MultiPolygon (or a Feature of one), not '" + type + "'";
                };
        if (problem != null) {
            check.fail(field, problem);
            return Optional.empty();
        }
        String invalid = validity(type, node.path("coordinates"));
        if (invalid != null) {
            check.fail(field, invalid);
            return Optional.empty();
        }
        return Optional.of(node.toString());
    }

    private static final org.locationtech.jts.geom.GeometryFactory GEOMETRY =
            new org.locationtech.jts.geom.GeometryFactory();

    /** JTS's verdict on a well-formed Polygon or MultiPolygon: null when valid, else what is wrong and where. */
    private static String validity(String type, JsonNode coordinates) {
        java.util.List<org.locationtech.jts.geom.Polygon> polygons = new java.util.ArrayList<>();
        if (type.equals("Polygon")) {
            polygons.add(jtsPolygon(coordinates));
        } else {
            coordinates.forEach(p -> polygons.add(jtsPolygon(p)));
        }
        org.locationtech.jts.geom.Geometry g = polygons.size() == 1
                ? polygons.get(0)
                : GEOMETRY.createMultiPolygon(polygons.toArray(new org.locationtech.jts.geom.Polygon[0]));
        org.locationtech.jts.operation.valid.IsValidOp op = new org.locationtech.jts.operation.valid.IsValidOp(g);
        if (op.isValid()) {
            return null;
        }
        org.locationtech.jts.operation.valid.TopologyValidationError e = op.getValidationError();
        return "is not a valid polygon: " + e.getMessage().toLowerCase(java.util.Locale.ROOT)
                + (e.getCoordinate() == null
                        ? ""
                        : String.format(
                                java.util.Locale.ROOT, " at %.6f, %.6f", e.getCoordinate().x, e.getCoordinate().y))
                + " (draw it again without crossing its own edges)";
    }

    private static org.locationtech.jts.geom.Polygon jtsPolygon(JsonNode rings) {
        org.locationtech.jts.geom.LinearRing shell = null;
        java.util.List<org.locationtech.jts.geom.LinearRing> holes = new java.util.ArrayList<>();
        for (JsonNode ring : rings) {
            org.locationtech.jts.geom.Coordinate[] cs = new org.locationtech.jts.geom.Coordinate[ring.size()];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = new org.locationtech.jts.geom.Coordinate(
                        ring.get(i).get(0).asDouble(), ring.get(i).get(1).asDouble());
            }
            org.locationtech.jts.geom.LinearRing r = GEOMETRY.createLinearRing(cs);
            if (shell == null) {
                shell = r;
            } else {
                holes.add(r);
            }
        }
        return GEOMETRY.createPolygon(shell, holes.toArray(new org.locationtech.jts.geom.LinearRing[0]));
    }

    private static String multi(JsonNode polygons) {
        if (!polygons.isArray() || polygons.isEmpty()) {
            return "a MultiPolygon needs at least one polygon";
        }
        for (JsonNode polygon : polygons) {
            String problem = polygon(polygon);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String polygon(JsonNode rings) {
        if (!rings.isArray() || rings.isEmpty()) {
            return "a Polygon needs at least one ring of coordinates";
        }
        for (JsonNode ring : rings) {
            if (!ring.isArray() || ring.size() < 4) {
                return "every ring needs at least four positions";
            }
            for (JsonNode position : ring) {
                if (!position.isArray()
                        || position.size() < 2
                        || !position.get(0).isNumber()
                        || !position.get(1).isNumber()) {
                    return "every position must be [longitude, latitude]";
                }
                double lon = position.get(0).asDouble();
                double lat = position.get(1).asDouble();
                if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
                    return "position [" + lon + ", " + lat
                            + "] is not WGS84 longitude/latitude (reproject state-plane coordinates first)";
                }
            }
            if (!ring.get(0).equals(ring.get(ring.size() - 1))) {
                return "every ring must end where it starts";
            }
        }
        return null;
    }
}
