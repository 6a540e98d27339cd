package org.dmiplatform.mapping.jts.internal;

/**
 * Longitude/latitude to metres on a plane about a centre, and back: a sinusoidal projection on the WGS84 ellipsoid's
 * local radii ({@code x = N(φ)·cos φ·(λ − λ0)}, {@code y = M(φ0)·(φ − φ0)}). It keeps areas (so a cell of the grid
 * holds the ground it says) and, across a city of 50 km, distances to better than 0.1%.
 */
final class LocalMetres {
    private static final double A = 6_378_137.0;
    private static final double E2 = 6.69437999014e-3;
    private static final double RAD = Math.PI / 180.0;

    final double lon0;
    final double lat0;
    private final double metresPerDegreeLat;

    LocalMetres(double lon0, double lat0) {
        this.lon0 = lon0;
        this.lat0 = lat0;
        double s = Math.sin(lat0 * RAD);
        double w = 1 - E2 * s * s;
        this.metresPerDegreeLat = A * (1 - E2) / (w * Math.sqrt(w)) * RAD;
    }

    static LocalMetres about(double west, double south, double east, double north) {
        return new LocalMetres((west + east) / 2, (south + north) / 2);
    }

    private static double metresPerDegreeLon(double lat) {
        double s = Math.sin(lat * RAD);
        return A / Math.sqrt(1 - E2 * s * s) * Math.cos(lat * RAD) * RAD;
    }

    double x(double lon, double lat) {
        return (lon - lon0) * metresPerDegreeLon(lat);
    }

    double y(double lat) {
        return (lat - lat0) * metresPerDegreeLat;
    }

    double lat(double y) {
        return lat0 + y / metresPerDegreeLat;
    }

    double lon(double x, double y) {
        return lon0 + x / metresPerDegreeLon(lat(y));
    }
}
