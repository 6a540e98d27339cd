package org.dmiplatform.core.internal.profile;

/**
 * One way a row may give its location: x and y columns, or one column holding a point such as
 * {@code (41.75, -87.66)} or {@code POINT (-87.66 41.75)}; in a coordinate system reprojected to WGS84.
 * {@code noLocation} lists the values (as the source writes them, x then y) that mean "no location", such as 0,0 for
 * an address withheld: a record with one is imported without a location instead of quarantined.
 */
record Location(Columns x, Columns y, Columns point, boolean latFirst, Crs crs, java.util.List<double[]> noLocation) {
    Location(Columns x, Columns y, Columns point, boolean latFirst, Crs crs) {
        this(x, y, point, latFirst, crs, java.util.List.of());
    }
}
