package org.dmiplatform.mapping.jts.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Makes a layer as read into one the site can use, or refuses it with the reason: places it in WGS84 (trying the
 * site's own source coordinate systems for a shapefile without {@code .prj}, and only where that lands it at the
 * site), checks it lies at the site (naming swapped latitude/longitude and another city), repairs invalid polygons
 * where the repair keeps the area to within 1% and says so, and gives every polygon an id and a label.
 */
final class LayerCheck {
    /** Id properties tried in this order; the first one present and unique on every feature is used. */
    static final List<String> ID_PROPERTIES = List.of(
            "beat_num",
            "beat",
            "dist_num",
            "district",
            "area_numbe",
            "area_num_1",
            "geoid20",
            "geoid10",
            "geoid",
            "name",
            "id",
            "objectid",
            "fid");
    /** Label properties tried in this order. */
    static final List<String> LABEL_PROPERTIES =
            List.of("name", "label", "community", "beat_num", "beat", "district", "dist_label", "namelsad", "geoid");

    /** Share of a layer's polygons that must lie in the site's box (grown by a tenth on every side). */
    static final double AT_SITE = 0.9;

    private LayerCheck() {}

    /** A layer made usable: its polygons in WGS84, and the coordinate system they were read in. */
    record Checked(List<Shape> shapes, Crs crs) {}

    static Checked check(String file, LayerReader.Read read, Site site, List<String> notes) {
        List<Shape> shapes = read.shapes();
        if (shapes.isEmpty()) {
            throw bad(
                    file,
                    0,
                    "file",
                    "holds no polygon" + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
        }
        Crs crs = read.crs();
        if (!read.crsDeclared() && read.format().equals("Shapefile")) {
            crs = guess(file, shapes, site, notes);
        }
        for (Shape s : shapes) {
            try {
                crs.toWgs84(s.geometry());
            } catch (RuntimeException e) {
                throw bad(
                        file,
                        s.line(),
                        "coordinates",
                        "cannot be reprojected from " + crs.name + ": " + e.getMessage());
            }
        }
        atSite(file, shapes, site, crs, notes);
        List<Shape> fixed = new ArrayList<>(shapes.size());
        List<InputError> errors = new ArrayList<>();
        for (Shape s : shapes) {
            Geometry g = s.geometry();
            IsValidOp op = new IsValidOp(g);
            if (!op.isValid()) {
                TopologyValidationError error = op.getValidationError();
                Geometry repaired = polygonal(GeometryFixer.fix(g));
                double before = Math.abs(signedArea(g));
                double after = repaired == null ? 0 : repaired.getArea();
                String where = error.getCoordinate() == null
                        ? ""
                        : String.format(
                                Locale.ROOT, " at %.6f, %.6f", error.getCoordinate().x, error.getCoordinate().y);
                if (repaired == null || repaired.isEmpty() || before == 0 || Math.abs(after - before) > 0.01 * before) {
                    errors.add(new InputError(
                            file,
                            s.line(),
                            "geometry",
                            error.getMessage().toLowerCase(Locale.ROOT) + where
                                    + ", and a repair would change its area by"
                                    + " more than 1%; fix it in the source"));
                    continue;
                }
                notes.add(lineOf(read, s) + ": " + error.getMessage().toLowerCase(Locale.ROOT) + where
                        + ", repaired (area kept within 1%)");
                g = repaired;
            }
            fixed.add(new Shape(s.line(), s.id(), s.label(), s.properties(), g));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Checked(named(fixed, notes), crs);
    }

    private static String lineOf(LayerReader.Read read, Shape s) {
        return (read.format().equals("Shapefile") ? "shape " : "line ") + s.line();
    }

    /** Shoelace area of the rings as given, which stays meaningful for a self-intersecting ring. */
    private static double signedArea(Geometry g) {
        double total = 0;
        for (int i = 0; i < g.getNumGeometries(); i++) {
            Polygon p = (Polygon) g.getGeometryN(i);
            total += Math.abs(org.locationtech.jts.algorithm.Area.ofRingSigned(
                    p.getExteriorRing().getCoordinates()));
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                total -= Math.abs(org.locationtech.jts.algorithm.Area.ofRingSigned(
                        p.getInteriorRingN(h).getCoordinates()));
            }
        }
        return total;
    }

    private static Geometry polygonal(Geometry g) {
        if (g instanceof Polygonal) {
            return g;
        }
        List<Polygon> parts = new ArrayList<>();
        for (int i = 0; i < g.getNumGeometries(); i++) {
            if (g.getGeometryN(i) instanceof Polygon p) {
                parts.add(p);
            }
        }
        return parts.isEmpty() ? null : LayerReader.GEOMETRY.createMultiPolygon(parts.toArray(new Polygon[0]));
    }

    /** A shapefile without .prj: longitude/latitude if it looks so, else the site's source systems that land it there. */
    private static Crs guess(String file, List<Shape> shapes, Site site, List<String> notes) {
        Envelope e = envelope(shapes);
        if (e.getMinX() >= -180 && e.getMaxX() <= 180 && e.getMinY() >= -90 && e.getMaxY() <= 90) {
            notes.add("the shapefile has no .prj; its coordinates are longitude/latitude, so it was read as WGS84");
            return Crs.wgs84();
        }
        for (String code : site.sourceCrs()) {
            try {
                Crs crs = Crs.epsg(code);
                if (crs.isWgs84()) {
                    continue;
                }
                Geometry probe = LayerReader.GEOMETRY.toGeometry(e);
                crs.toWgs84(probe);
                Envelope placed = probe.getEnvelopeInternal();
                if (site.bounds().isPresent() && share(placed, site.bounds().get()) > 0.5) {
                    notes.add("the shapefile has no .prj; it was read in " + code
                            + ", the site's source coordinate system, which places it at the site");
                    return crs;
                }
            } catch (RuntimeException ignored) {
                // try the next
            }
        }
        throw bad(
                file,
                0,
                "file",
                "the shapefile has no .prj and its coordinates (" + describe(e)
                        + ") are not longitude/latitude nor in a coordinate system of the site; add its .prj to the .zip");
    }

    private static void atSite(String file, List<Shape> shapes, Site site, Crs crs, List<String> notes) {
        Envelope e = envelope(shapes);
        if (e.getMinX() < -180 || e.getMaxX() > 180 || e.getMinY() < -90 || e.getMaxY() > 90) {
            throw bad(
                    file,
                    0,
                    "coordinates",
                    "are not longitude/latitude after reading them as " + crs.name + " (" + describe(e)
                            + "): the file's coordinate system is wrong or missing");
        }
        if (site.bounds().isEmpty()) {
            notes.add("the site has no bounds set, so the layer could not be checked against its area; set the site's"
                    + " bounds (west,south,east,north) in its site.cfg");
            return;
        }
        Site.Bounds b = site.bounds().get();
        double w = (b.east() - b.west()) * 0.1;
        double h = (b.north() - b.south()) * 0.1;
        Site.Bounds grown = new Site.Bounds(b.west() - w, b.south() - h, b.east() + w, b.north() + h);
        int inside = 0;
        int swapped = 0;
        for (Shape s : shapes) {
            org.locationtech.jts.geom.Point c = s.geometry().getEnvelope().getCentroid();
            if (grown.contains(c.getX(), c.getY())) {
                inside++;
            }
            if (grown.contains(c.getY(), c.getX())) {
                swapped++;
            }
        }
        if (inside >= AT_SITE * shapes.size()) {
            return;
        }
        if (swapped >= AT_SITE * shapes.size()) {
            throw bad(
                    file,
                    0,
                    "coordinates",
                    "are in latitude, longitude order: GeoJSON, KML and WGS84 layers give"
                            + " longitude first; swap them in the source");
        }
        double km = distanceKm(e, b);
        throw bad(
                file,
                0,
                "coordinates",
                String.format(
                        Locale.ROOT,
                        "%d of %d polygons lie outside %s's area (%s): the layer lies at %s, %.0f km away; it is another"
                                + " place's layer or its coordinate system (%s) is wrong",
                        shapes.size() - inside,
                        shapes.size(),
                        site.name(),
                        b,
                        describe(e),
                        km,
                        crs.name));
    }

    static double share(Envelope placed, Site.Bounds b) {
        Envelope site = new Envelope(b.west(), b.east(), b.south(), b.north());
        Envelope overlap = placed.intersection(site);
        return placed.getArea() == 0 ? (site.contains(placed) ? 1 : 0) : overlap.getArea() / placed.getArea();
    }

    private static double distanceKm(Envelope e, Site.Bounds b) {
        double lat1 = Math.toRadians(e.centre().y);
        double lat2 = Math.toRadians((b.south() + b.north()) / 2);
        double dLon = Math.toRadians(e.centre().x - (b.west() + b.east()) / 2);
        double a = Math.pow(Math.sin((lat2 - lat1) / 2), 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    private static String describe(Envelope e) {
        return String.format(
                Locale.ROOT, "x %.4f to %.4f, y %.4f to %.4f", e.getMinX(), e.getMaxX(), e.getMinY(), e.getMaxY());
    }

    static Envelope envelope(List<Shape> shapes) {
        Envelope e = new Envelope();
        for (Shape s : shapes) {
            e.expandToInclude(s.geometry().getEnvelopeInternal());
        }
        return e;
    }

    /** Ids from the first property unique on every feature, else 1, 2, ...; labels from a name-like property. */
    private static List<Shape> named(List<Shape> shapes, List<String> notes) {
        String idKey = null;
        String repeated = null;
        for (String candidate : ID_PROPERTIES) {
            String key = key(shapes.get(0).properties(), candidate);
            if (key == null) {
                continue;
            }
            Set<String> seen = new HashSet<>();
            Set<String> twice = new java.util.TreeSet<>();
            boolean unique = true;
            for (Shape s : shapes) {
                Object v = s.properties().get(key);
                if (v == null || String.valueOf(v).isBlank()) {
                    unique = false;
                    break;
                }
                if (!seen.add(text(v))) {
                    unique = false;
                    twice.add(text(v));
                }
            }
            if (unique) {
                idKey = key;
                break;
            }
            if (repeated == null && !twice.isEmpty() && twice.size() <= 10) {
                // the most telling of the ids that are not: say which values repeat, as an analyst will look for them
                repeated = key + " repeats on several polygons (" + String.join(", ", twice)
                        + "), so it is not their id; each polygon is counted on its own";
            }
        }
        if (repeated != null) {
            notes.add(repeated);
        }
        if (idKey == null) {
            notes.add("no property is a unique id of every polygon; polygons are numbered 1, 2, ... in file order");
        }
        List<Shape> out = new ArrayList<>(shapes.size());
        for (int i = 0; i < shapes.size(); i++) {
            Shape s = shapes.get(i);
            String id = idKey == null
                    ? Integer.toString(i + 1)
                    : text(s.properties().get(idKey));
            String label = id;
            for (String candidate : LABEL_PROPERTIES) {
                String key = key(s.properties(), candidate);
                if (key != null
                        && s.properties().get(key) != null
                        && !text(s.properties().get(key)).isBlank()) {
                    label = text(s.properties().get(key));
                    break;
                }
            }
            out.add(new Shape(s.line(), id, label, s.properties(), s.geometry()));
        }
        return out;
    }

    private static String key(Map<String, Object> properties, String name) {
        for (String key : properties.keySet()) {
            if (key.equalsIgnoreCase(name)) {
                return key;
            }
        }
        return null;
    }

    /** 12.0 as "12": numeric ids from a .dbf read as numbers. */
    static String text(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v).strip();
    }

    private static InvalidInputException bad(String file, int line, String field, String reason) {
        return new InvalidInputException(new InputError(file, line, field, reason));
    }
}
