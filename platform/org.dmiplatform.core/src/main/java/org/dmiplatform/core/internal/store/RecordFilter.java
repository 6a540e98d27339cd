package org.dmiplatform.core.internal.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.store.RecordQuery;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;

/**
 * A {@link RecordQuery} as SQL: a WHERE clause over {@code records} with its arguments, and, for polygons, the exact
 * test of each record that the SQL's bounding box lets through (the store has no spatial index: a box on longitude
 * and latitude narrows, JTS decides).
 */
final class RecordFilter {
    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    final String where;
    final List<Object> args;
    private final IndexedPointInAreaLocator area;

    private RecordFilter(String where, List<Object> args, IndexedPointInAreaLocator area) {
        this.where = where;
        this.args = args;
        this.area = area;
    }

    static RecordFilter of(String site, RecordQuery q) {
        StringBuilder where = new StringBuilder("site_id = ?");
        List<Object> args = new ArrayList<>(List.of(site));
        q.from().ifPresent(from -> {
            where.append(" AND occurred_from >= ?");
            args.add(from);
        });
        q.to().ifPresent(to -> {
            where.append(" AND occurred_from < ?");
            args.add(to);
        });
        if (q.from().isPresent() && q.to().isPresent() && !q.from().get().isBefore(q.to().get())) {
            throw new InvalidInputException(InputError.of("query", "to", "must be after from"));
        }
        if (!q.kinds().isEmpty()) {
            where.append(" AND kind IN (").append(marks(q.kinds().size())).append(")");
            q.kinds().stream().sorted().forEach(k -> args.add(k.name()));
        }
        if (!q.categories().isEmpty()) {
            where.append(" AND category IN (")
                    .append(marks(q.categories().size()))
                    .append(")");
            q.categories().stream().sorted().forEach(k -> args.add(k.name()));
        }
        q.partOne().ifPresent(partOne -> {
            where.append(" AND part_one = ?");
            args.add(partOne);
        });
        Envelope box = null;
        if (q.box().isPresent()) {
            Site.Bounds b = q.box().get();
            if (!(b.west() < b.east() && b.south() < b.north())) {
                throw new InvalidInputException(InputError.of(
                        "query", "bbox", "must be west,south,east,north with west < east and south < north"));
            }
            box = new Envelope(b.west(), b.east(), b.south(), b.north());
        }
        IndexedPointInAreaLocator area = null;
        if (!q.within().isEmpty()) {
            Geometry shape = GEOMETRY.buildGeometry(
                    q.within().stream().map(RecordFilter::polygon).collect(Collectors.toList()));
            Envelope around = shape.getEnvelopeInternal();
            box = box == null ? around : box.intersection(around);
            area = new IndexedPointInAreaLocator(shape);
        }
        if (box != null) {
            where.append(" AND longitude >= ? AND longitude <= ? AND latitude >= ? AND latitude <= ?");
            args.addAll(List.of(box.getMinX(), box.getMaxX(), box.getMinY(), box.getMaxY()));
        }
        return new RecordFilter(where.toString(), args, area);
    }

    /** A test of points against polygons (inside or on an edge), indexed for many points. */
    static IndexedPointInAreaLocator locator(List<RecordQuery.Polygon> polygons) {
        return new IndexedPointInAreaLocator(GEOMETRY.buildGeometry(
                polygons.stream().map(RecordFilter::polygon).collect(Collectors.toList())));
    }

    static boolean inside(IndexedPointInAreaLocator area, double longitude, double latitude) {
        return area.locate(new Coordinate(longitude, latitude)) != Location.EXTERIOR;
    }

    /** The exact test the SQL cannot make: inside one of the polygons (or on its edge). */
    boolean accepts(CrimeRecord r) {
        if (area == null) {
            return true;
        }
        return r.location()
                .map(at -> area.locate(new Coordinate(at.longitude(), at.latitude())) != Location.EXTERIOR)
                .orElse(false);
    }

    boolean exact() {
        return area == null;
    }

    /** The filter and, after it, the keyset condition of a page that follows {@code after}. */
    String after() {
        return where + " AND (occurred_from, kind, source_id) < (?, ?, ?)";
    }

    List<Object> afterArgs(Cursor after) {
        List<Object> out = new ArrayList<>(args);
        out.addAll(List.of(after.at(), after.kind().name(), after.sourceId()));
        return out;
    }

    private static Polygon polygon(RecordQuery.Polygon p) {
        LinearRing shell = ring(p.shell(), "within");
        LinearRing[] holes = p.holes().stream().map(h -> ring(h, "within")).toArray(LinearRing[]::new);
        Polygon polygon = GEOMETRY.createPolygon(shell, holes);
        if (!polygon.isValid()) {
            throw new InvalidInputException(
                    InputError.of("query", "within", "is not a valid polygon (it crosses itself or its holes)"));
        }
        return polygon;
    }

    private static LinearRing ring(List<CrimeRecord.Location> points, String field) {
        if (points.size() < 4 || !points.get(0).equals(points.get(points.size() - 1))) {
            throw new InvalidInputException(
                    InputError.of("query", field, "a ring needs at least four points, the last the same as the first"));
        }
        Coordinate[] coordinates = new Coordinate[points.size()];
        for (int i = 0; i < coordinates.length; i++) {
            CrimeRecord.Location at = points.get(i);
            if (Math.abs(at.longitude()) > 180 || Math.abs(at.latitude()) > 90) {
                throw new InvalidInputException(InputError.of(
                        "query",
                        field,
                        "(" + at.longitude() + ", " + at.latitude()
                                + ") is not a longitude/latitude (are longitude and latitude swapped?)"));
            }
            coordinates[i] = new Coordinate(at.longitude(), at.latitude());
        }
        return GEOMETRY.createLinearRing(coordinates);
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** Where a page ended: the last record's time, kind and source id. */
    record Cursor(Instant at, org.dmiplatform.api.records.RecordKind kind, String sourceId) {
        static Cursor of(CrimeRecord r) {
            return new Cursor(r.occurredFrom(), r.kind(), r.sourceId());
        }

        String encode() {
            String text = at.toString() + "|" + kind.name() + "|" + sourceId;
            return java.util.Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String text = new String(
                        java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8);
                String[] parts = text.split("\\|", 3);
                return new Cursor(
                        Instant.parse(parts[0]), org.dmiplatform.api.records.RecordKind.valueOf(parts[1]), parts[2]);
            } catch (RuntimeException e) {
                throw new InvalidInputException(
                        InputError.of("query", "after", "is not a cursor of this store: pass the 'next' of a page"));
            }
        }
    }
}
