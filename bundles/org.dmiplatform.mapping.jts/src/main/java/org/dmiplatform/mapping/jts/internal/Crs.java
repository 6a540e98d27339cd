package org.dmiplatform.mapping.jts.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.Proj4jException;
import org.locationtech.proj4j.ProjCoordinate;

/**
 * A layer's coordinate system and its reprojection to WGS84 longitude/latitude, with proj4j. Named by an EPSG code,
 * or read from a shapefile's {@code .prj} (OGC/ESRI WKT 1): its EPSG authority when it has one, else its projection,
 * parameters, ellipsoid and unit turned into proj4 parameters (ADR 0007 says why this small reading is ours: proj4j
 * has no WKT reader). A coordinate system it cannot place exactly is refused, never guessed.
 */
final class Crs {
    static final String WGS84 = "EPSG:4326";
    private static final CRSFactory FACTORY = new CRSFactory();

    final String name;
    private final CoordinateReferenceSystem system;

    private Crs(String name, CoordinateReferenceSystem system) {
        this.name = name;
        this.system = system;
    }

    static Crs wgs84() {
        return new Crs(WGS84, null);
    }

    boolean isWgs84() {
        return system == null;
    }

    /** @throws IllegalArgumentException when the code is not one the EPSG table has */
    static Crs epsg(String code) {
        String normal = code.strip().toUpperCase(Locale.ROOT);
        if (normal.matches("(URN:OGC:DEF:CRS:)?(OGC:(1\\.3:)?)?CRS84")
                || normal.equals(WGS84)
                || normal.equals("URN:OGC:DEF:CRS:EPSG::4326")) {
            return wgs84();
        }
        normal = normal.replaceFirst("^URN:OGC:DEF:CRS:EPSG:[0-9.]*:", "EPSG:");
        if (!normal.startsWith("EPSG:")) {
            throw new IllegalArgumentException("'" + code + "' is not an EPSG code such as EPSG:3435");
        }
        String parameters = Table.DEFINITIONS.get(normal.substring(5));
        if (parameters == null) {
            throw new IllegalArgumentException("'" + code + "' is not a coordinate system in the EPSG table");
        }
        return of(normal, parameters);
    }

    private static Crs of(String name, String parameters) {
        if (parameters.contains("+proj=longlat")
                && (parameters.contains("WGS84") || parameters.contains("NAD83") || parameters.contains("GRS80"))) {
            return new Crs(name, null);
        }
        if (parameters.contains("NAD27") || parameters.contains("clrk66")) {
            throw new IllegalArgumentException(name + " is on the NAD27 datum, which needs a datum-shift grid this"
                    + " platform does not carry; reproject the layer to NAD83 or WGS84 first");
        }
        try {
            return new Crs(name, FACTORY.createFromParameters(name, parameters));
        } catch (Proj4jException | IllegalStateException e) {
            throw new IllegalArgumentException(name + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** Reprojects a geometry in place to longitude/latitude. */
    void toWgs84(Geometry geometry) {
        if (system == null) {
            return;
        }
        CoordinateTransform transform = new CoordinateTransformFactory()
                .createTransform(system, FACTORY.createFromParameters(WGS84, Table.DEFINITIONS.get("4326")));
        ProjCoordinate in = new ProjCoordinate();
        ProjCoordinate out = new ProjCoordinate();
        geometry.apply(new CoordinateSequenceFilter() {
            @Override
            public void filter(CoordinateSequence seq, int i) {
                in.x = seq.getX(i);
                in.y = seq.getY(i);
                transform.transform(in, out);
                seq.setOrdinate(i, 0, out.x);
                seq.setOrdinate(i, 1, out.y);
            }

            @Override
            public boolean isDone() {
                return false;
            }

            @Override
            public boolean isGeometryChanged() {
                return true;
            }
        });
        geometry.geometryChanged();
    }

    /**
     * The coordinate system a {@code .prj} describes.
     *
     * @throws IllegalArgumentException naming what cannot be placed
     */
    static Crs fromWkt(String wkt) {
        Node root = Node.parse(wkt.strip());
        Node authority = root.child("AUTHORITY");
        if (authority != null && authority.args.size() >= 2 && authority.text(0).equalsIgnoreCase("EPSG")) {
            try {
                return epsg("EPSG:" + authority.text(1));
            } catch (IllegalArgumentException e) {
                // fall through to the parameters
            }
        }
        String rootName = root.args.isEmpty() ? "" : root.text(0);
        Node geogcs = root.keyword.equals("GEOGCS") ? root : root.child("GEOGCS");
        if (geogcs == null) {
            throw new IllegalArgumentException(
                    "the .prj is not a GEOGCS or PROJCS coordinate system (" + root.keyword + ")");
        }
        String ellipsoid = ellipsoid(geogcs);
        if (root.keyword.equals("GEOGCS")) {
            if (ellipsoid.contains("+ellps=clrk66")) {
                return of(rootName, "+datum=NAD27");
            }
            return wgs84();
        }
        if (!root.keyword.equals("PROJCS")) {
            throw new IllegalArgumentException("the .prj describes a " + root.keyword
                    + " coordinate system; only geographic (GEOGCS) and projected (PROJCS) ones can be placed");
        }
        Node projection = root.child("PROJECTION");
        String method = projection == null
                ? ""
                : projection.text(0).toLowerCase(Locale.ROOT).replace(' ', '_');
        Map<String, Double> p = new HashMap<>();
        for (Node parameter : root.children("PARAMETER")) {
            p.put(parameter.text(0).toLowerCase(Locale.ROOT).replace(' ', '_'), parameter.number(1));
        }
        Node unit = root.child("UNIT");
        double toMetre = unit == null ? 1 : unit.number(1);
        StringBuilder s = new StringBuilder();
        switch (method) {
            case "transverse_mercator", "gauss_kruger" -> s.append("+proj=tmerc")
                    .append(" +lat_0=")
                    .append(p.getOrDefault("latitude_of_origin", 0.0))
                    .append(" +lon_0=")
                    .append(need(p, rootName, "central_meridian"))
                    .append(" +k=")
                    .append(p.getOrDefault("scale_factor", 1.0));
            case "lambert_conformal_conic", "lambert_conformal_conic_2sp" -> s.append("+proj=lcc")
                    .append(" +lat_1=")
                    .append(need(p, rootName, "standard_parallel_1"))
                    .append(" +lat_2=")
                    .append(p.getOrDefault("standard_parallel_2", p.get("standard_parallel_1")))
                    .append(" +lat_0=")
                    .append(p.getOrDefault("latitude_of_origin", 0.0))
                    .append(" +lon_0=")
                    .append(need(p, rootName, "central_meridian"));
            case "albers", "albers_conic_equal_area" -> s.append("+proj=aea")
                    .append(" +lat_1=")
                    .append(need(p, rootName, "standard_parallel_1"))
                    .append(" +lat_2=")
                    .append(need(p, rootName, "standard_parallel_2"))
                    .append(" +lat_0=")
                    .append(p.getOrDefault("latitude_of_origin", p.getOrDefault("latitude_of_center", 0.0)))
                    .append(" +lon_0=")
                    .append(p.getOrDefault("central_meridian", p.getOrDefault("longitude_of_center", 0.0)));
            case "mercator_auxiliary_sphere", "popular_visualisation_pseudo_mercator" -> {
                return of(
                        rootName,
                        "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m"
                                + " +nadgrids=@null +no_defs");
            }
            case "mercator", "mercator_1sp", "mercator_2sp" -> s.append("+proj=merc")
                    .append(" +lon_0=")
                    .append(p.getOrDefault("central_meridian", 0.0))
                    .append(" +lat_ts=")
                    .append(p.getOrDefault("standard_parallel_1", 0.0));
            default -> throw new IllegalArgumentException(
                    "the .prj's projection '" + (projection == null ? "" : projection.text(0))
                            + "' is not one this platform can place (Transverse Mercator, Lambert Conformal Conic, Albers,"
                            + " Mercator); reproject the layer to WGS84 (EPSG:4326) first");
        }
        s.append(" +x_0=").append(p.getOrDefault("false_easting", 0.0) * toMetre);
        s.append(" +y_0=").append(p.getOrDefault("false_northing", 0.0) * toMetre);
        s.append(' ').append(ellipsoid);
        s.append(" +to_meter=").append(toMetre).append(" +no_defs");
        return of(rootName, s.toString());
    }

    private static double need(Map<String, Double> p, String name, String key) {
        Double v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the .prj of " + name + " has no " + key + " parameter");
        }
        return v;
    }

    private static String ellipsoid(Node geogcs) {
        Node datum = geogcs.child("DATUM");
        Node spheroid = datum == null ? null : datum.child("SPHEROID");
        String datumName = datum == null ? "" : datum.text(0).toLowerCase(Locale.ROOT);
        if (datumName.contains("1927") || datumName.contains("nad27") || datumName.contains("nad_27")) {
            return "+ellps=clrk66";
        }
        if (spheroid == null || spheroid.args.size() < 3) {
            throw new IllegalArgumentException("the .prj names no ellipsoid (SPHEROID)");
        }
        double a = spheroid.number(1);
        double rf = spheroid.number(2);
        Node towgs = datum.child("TOWGS84");
        String shift = towgs == null ? " +towgs84=0,0,0" : " +towgs84=" + towgs.joined();
        // the semi-minor axis, not +rf: proj4j 1.4 takes +rf (and +f) for the flattening itself, not its inverse
        return rf == 0 ? "+a=" + a + " +b=" + a + shift : "+a=" + a + " +b=" + a * (1 - 1 / rf) + shift;
    }

    /** One {@code KEYWORD[arg, ...]} of WKT; an argument is a quoted text, a number, a bare word or a node. */
    static final class Node {
        final String keyword;
        final List<Object> args = new ArrayList<>();

        private Node(String keyword) {
            this.keyword = keyword;
        }

        String text(int i) {
            return String.valueOf(args.get(i));
        }

        double number(int i) {
            Object v = args.get(i);
            if (v instanceof Double d) {
                return d;
            }
            throw new IllegalArgumentException("the .prj's " + keyword + " has '" + v + "' where a number belongs");
        }

        String joined() {
            StringBuilder s = new StringBuilder();
            for (Object a : args) {
                s.append(s.isEmpty() ? "" : ",").append(a);
            }
            return s.toString();
        }

        Node child(String name) {
            for (Object a : args) {
                if (a instanceof Node n && n.keyword.equals(name)) {
                    return n;
                }
            }
            return null;
        }

        List<Node> children(String name) {
            List<Node> out = new ArrayList<>();
            for (Object a : args) {
                if (a instanceof Node n && n.keyword.equals(name)) {
                    out.add(n);
                }
            }
            return out;
        }

        /** Deeper than any coordinate system's WKT (a PROJCS is 4 levels). */
        static final int MAX_DEPTH = 16;

        static Node parse(String wkt) {
            int[] at = {0};
            Node node = node(wkt, at, 0);
            skip(wkt, at);
            if (at[0] != wkt.length()) {
                throw new IllegalArgumentException(
                        "the .prj has text after its coordinate system, at character " + at[0]);
            }
            return node;
        }

        private static Node node(String s, int[] at, int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException(
                        "the .prj nests deeper than " + MAX_DEPTH + " levels: it is not a coordinate system");
            }
            skip(s, at);
            int start = at[0];
            while (at[0] < s.length() && (Character.isLetterOrDigit(s.charAt(at[0])) || s.charAt(at[0]) == '_')) {
                at[0]++;
            }
            if (start == at[0]) {
                throw new IllegalArgumentException("the .prj is not WKT: a keyword was expected at character " + start);
            }
            Node node = new Node(s.substring(start, at[0]).toUpperCase(Locale.ROOT));
            skip(s, at);
            if (at[0] >= s.length() || (s.charAt(at[0]) != '[' && s.charAt(at[0]) != '(')) {
                throw new IllegalArgumentException("the .prj is not WKT: '[' was expected after " + node.keyword);
            }
            char close = s.charAt(at[0]) == '[' ? ']' : ')';
            at[0]++;
            while (true) {
                skip(s, at);
                if (at[0] >= s.length()) {
                    throw new IllegalArgumentException("the .prj ends inside " + node.keyword);
                }
                char c = s.charAt(at[0]);
                if (c == close) {
                    at[0]++;
                    return node;
                }
                if (c == ',') {
                    at[0]++;
                    continue;
                }
                if (c == '"') {
                    int end = s.indexOf('"', at[0] + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("the .prj has a text without its closing quote");
                    }
                    node.args.add(s.substring(at[0] + 1, end));
                    at[0] = end + 1;
                } else if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
                    int from = at[0];
                    while (at[0] < s.length() && "+-.0123456789eE".indexOf(s.charAt(at[0])) >= 0) {
                        at[0]++;
                    }
                    try {
                        node.args.add(Double.parseDouble(s.substring(from, at[0])));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                "the .prj has '" + s.substring(from, at[0]) + "' where a number belongs");
                    }
                } else {
                    int save = at[0];
                    while (at[0] < s.length()
                            && (Character.isLetterOrDigit(s.charAt(at[0])) || s.charAt(at[0]) == '_')) {
                        at[0]++;
                    }
                    int word = at[0];
                    skip(s, at);
                    if (at[0] < s.length() && (s.charAt(at[0]) == '[' || s.charAt(at[0]) == '(')) {
                        at[0] = save;
                        node.args.add(node(s, at, depth + 1));
                    } else {
                        node.args.add(s.substring(save, word));
                    }
                }
            }
        }

        private static void skip(String s, int[] at) {
            while (at[0] < s.length() && Character.isWhitespace(s.charAt(at[0]))) {
                at[0]++;
            }
        }
    }

    /** The EPSG table, read once on first use. */
    private static final class Table {
        static final Map<String, String> DEFINITIONS = read();

        private static Map<String, String> read() {
            Map<String, String> out = new HashMap<>();
            try (InputStream in = Crs.class.getClassLoader().getResourceAsStream("proj4/nad/epsg")) {
                if (in == null) {
                    throw new IllegalStateException("the EPSG table proj4/nad/epsg is missing from the bundle");
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = reader.readLine()) != null; ) {
                    if (!line.startsWith("<")) {
                        continue;
                    }
                    int close = line.indexOf('>');
                    int end = line.lastIndexOf("<>");
                    if (close > 1 && end > close) {
                        out.put(
                                line.substring(1, close),
                                line.substring(close + 1, end).strip());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the EPSG table: " + e.getMessage(), e);
            }
            return Map.copyOf(out);
        }
    }
}
