package org.dmiplatform.core.internal.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.Proj4jException;
import org.locationtech.proj4j.ProjCoordinate;

/**
 * A source coordinate system, by EPSG code, and its reprojection to WGS84 longitude/latitude. The EPSG definitions
 * are proj4j's own table, carried inside this bundle: proj4j looks for it with its own class loader, which in OSGi
 * cannot see another bundle's resources.
 */
final class Crs {
    static final String WGS84 = "EPSG:4326";
    private static final String TABLE = "proj4/nad/epsg";
    private static final CRSFactory FACTORY = new CRSFactory();

    final String code;
    private final CoordinateReferenceSystem system;

    private Crs(String code, CoordinateReferenceSystem system) {
        this.code = code;
        this.system = system;
    }

    /**
     * @throws IllegalArgumentException when the code is not an EPSG code proj4j knows
     */
    static Crs of(String code) {
        String normal = code.strip().toUpperCase(Locale.ROOT);
        if (normal.equals(WGS84) || normal.equals("CRS84") || normal.equals("OGC:CRS84")) {
            return new Crs(WGS84, null);
        }
        if (!normal.startsWith("EPSG:")) {
            throw new IllegalArgumentException("is not an EPSG code such as EPSG:3435");
        }
        String parameters = Table.DEFINITIONS.get(normal.substring(5));
        if (parameters == null) {
            throw new IllegalArgumentException("is not a coordinate system in the EPSG table");
        }
        try {
            return new Crs(normal, FACTORY.createFromParameters(normal, parameters));
        } catch (Proj4jException e) {
            throw new IllegalArgumentException("cannot be used: " + e.getMessage(), e);
        }
    }

    boolean isWgs84() {
        return system == null;
    }

    /** A reprojection to WGS84; not thread-safe, one per import. */
    Transform transform() {
        if (system == null) {
            return (x, y, out) -> {
                out[0] = x;
                out[1] = y;
                return true;
            };
        }
        CoordinateTransform transform = new CoordinateTransformFactory()
                .createTransform(system, FACTORY.createFromParameters(WGS84, Table.DEFINITIONS.get("4326")));
        ProjCoordinate in = new ProjCoordinate();
        ProjCoordinate to = new ProjCoordinate();
        return (x, y, out) -> {
            in.x = x;
            in.y = y;
            try {
                transform.transform(in, to);
            } catch (Proj4jException e) {
                return false;
            }
            out[0] = to.x;
            out[1] = to.y;
            return Double.isFinite(to.x) && Double.isFinite(to.y);
        };
    }

    @FunctionalInterface
    interface Transform {
        /** Writes longitude, latitude into {@code out}; false when the point cannot be reprojected. */
        boolean apply(double x, double y, double[] out);
    }

    /** The EPSG table, read once on first use. */
    private static final class Table {
        static final Map<String, String> DEFINITIONS = read();

        private static Map<String, String> read() {
            Map<String, String> out = new HashMap<>();
            try (InputStream in = Crs.class.getClassLoader().getResourceAsStream(TABLE)) {
                if (in == null) {
                    throw new IllegalStateException("the EPSG table " + TABLE + " is missing from the bundle");
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = reader.readLine()) != null; ) {
                    // <3435> +proj=tmerc ... +no_defs  <>
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
