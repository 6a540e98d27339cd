package org.dmiplatform.core.internal.profile;

/**
 * One way a row may give its location: x and y columns, or one column holding a point such as
 * {@code (41.75, -87.66)} or {@code POINT (-87.66 41.75)}; in a coordinate system reprojected to WGS84.
 */
record Location(Columns x, Columns y, Columns point, boolean latFirst, Crs crs) {}
