package org.dmiplatform.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.store.RecordQuery;

/** A GeoJSON Polygon or MultiPolygon (bare, or as a Feature) as the records store's polygons. */
final class GeoJsonAreas {
    private GeoJsonAreas() {}

    static List<RecordQuery.Polygon> polygons(String field, String geojson) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(geojson);
        } catch (JsonProcessingException e) {
            throw bad(field, "is not GeoJSON: " + e.getOriginalMessage());
        }
        if (node != null && "Feature".equals(node.path("type").asText())) {
            node = node.path("geometry");
        }
        String type = node == null ? "" : node.path("type").asText();
        List<RecordQuery.Polygon> out = new ArrayList<>();
        switch (type) {
            case "Polygon" -> out.add(polygon(field, node.path("coordinates")));
            case "MultiPolygon" -> {
                for (JsonNode polygon : node.path("coordinates")) {
                    out.add(polygon(field, polygon));
                }
            }
            default -> throw bad(field, "must be a GeoJSON Polygon or MultiPolygon, not '" + type + "'");
        }
        if (out.isEmpty()) {
            throw bad(field, "holds no polygon");
        }
        return out;
    }

    private static RecordQuery.Polygon polygon(String field, JsonNode rings) {
        if (!rings.isArray() || rings.isEmpty()) {
            throw bad(field, "a Polygon needs at least one ring of coordinates");
        }
        List<List<CrimeRecord.Location>> all = new ArrayList<>();
        for (JsonNode ring : rings) {
            List<CrimeRecord.Location> points = new ArrayList<>();
            for (JsonNode position : ring) {
                if (!position.isArray()
                        || position.size() < 2
                        || !position.get(0).isNumber()
                        || !position.get(1).isNumber()) {
                    throw bad(field, "every position must be [longitude, latitude]");
                }
                points.add(new CrimeRecord.Location(
                        position.get(0).asDouble(), position.get(1).asDouble()));
            }
            all.add(points);
        }
        return new RecordQuery.Polygon(all.get(0), all.subList(1, all.size()));
    }

    private static InvalidInputException bad(String field, String reason) {
        return new InvalidInputException(InputError.of("query", field, reason));
    }
}
