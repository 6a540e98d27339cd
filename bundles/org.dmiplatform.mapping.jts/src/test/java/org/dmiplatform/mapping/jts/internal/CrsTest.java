package org.dmiplatform.mapping.jts.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;

/**
 * Coordinate systems named by EPSG code or read from ESRI {@code .prj} WKT, checked against each other and against
 * PROJ's {@code cs2cs} (see SOURCE.md).
 */
public class CrsTest {
    /** NAD83 / Illinois East (US feet) as ArcGIS writes its .prj: no AUTHORITY. */
    static final String ILLINOIS_EAST_ARCGIS = "PROJCS[\"NAD_1983_StatePlane_Illinois_East_FIPS_1201_Feet\","
            + "GEOGCS[\"GCS_North_American_1983\",DATUM[\"D_North_American_1983\","
            + "SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],"
            + "PARAMETER[\"False_Easting\",984250.0],PARAMETER[\"False_Northing\",0.0],"
            + "PARAMETER[\"Central_Meridian\",-88.33333333333333],PARAMETER[\"Scale_Factor\",0.999975],"
            + "PARAMETER[\"Latitude_Of_Origin\",36.66666666666666],UNIT[\"Foot_US\",0.3048006096012192]]";

    /** The same as GDAL 3.6 writes it ({@code gdalsrsinfo -o wkt_esri EPSG:3435}), with line breaks and spaces. */
    static final String ILLINOIS_EAST_GDAL = "PROJCS[\"NAD_1983_StatePlane_Illinois_East_FIPS_1201_Feet\",\n"
            + "    GEOGCS[\"GCS_North_American_1983\",\n"
            + "        DATUM[\"D_North_American_1983\",\n"
            + "            SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],\n"
            + "        PRIMEM[\"Greenwich\",0.0],\n"
            + "        UNIT[\"Degree\",0.0174532925199433]],\n"
            + "    PROJECTION[\"Transverse_Mercator\"],\n"
            + "    PARAMETER[\"False_Easting\",984250.0],\n"
            + "    PARAMETER[\"False_Northing\",0.0],\n"
            + "    PARAMETER[\"Central_Meridian\",-88.3333333333333],\n"
            + "    PARAMETER[\"Scale_Factor\",0.999975],\n"
            + "    PARAMETER[\"Latitude_Of_Origin\",36.6666666666667],\n"
            + "    UNIT[\"US survey foot\",0.304800609601219]]\n";

    static final String WEB_MERCATOR = "PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\","
            + "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
            + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
            + "PROJECTION[\"Mercator_Auxiliary_Sphere\"],PARAMETER[\"False_Easting\",0.0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",0.0],"
            + "PARAMETER[\"Standard_Parallel_1\",0.0],PARAMETER[\"Auxiliary_Sphere_Type\",0.0],UNIT[\"Meter\",1.0]]";

    /** NAD83 / Colorado Central (US feet), Lambert Conformal Conic, as ArcGIS writes it. */
    static final String COLORADO_CENTRAL_ARCGIS = "PROJCS[\"NAD_1983_StatePlane_Colorado_Central_FIPS_0502_Feet\","
            + "GEOGCS[\"GCS_North_American_1983\",DATUM[\"D_North_American_1983\","
            + "SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Lambert_Conformal_Conic\"],"
            + "PARAMETER[\"False_Easting\",3000000.000316083],PARAMETER[\"False_Northing\",1000000.000000000],"
            + "PARAMETER[\"Central_Meridian\",-105.5],PARAMETER[\"Standard_Parallel_1\",38.45],"
            + "PARAMETER[\"Standard_Parallel_2\",39.75],PARAMETER[\"Latitude_Of_Origin\",37.83333333333334],"
            + "UNIT[\"Foot_US\",0.3048006096012192]]";

    /** The same from {@code gdalsrsinfo -o wkt_esri EPSG:2232}: the parallels the other way round. */
    static final String COLORADO_CENTRAL_GDAL = "PROJCS[\"NAD_1983_StatePlane_Colorado_Central_FIPS_0502_Feet\","
            + "GEOGCS[\"GCS_North_American_1983\",DATUM[\"D_North_American_1983\","
            + "SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Lambert_Conformal_Conic\"],"
            + "PARAMETER[\"False_Easting\",3000000.0],PARAMETER[\"False_Northing\",1000000.0],"
            + "PARAMETER[\"Central_Meridian\",-105.5],PARAMETER[\"Standard_Parallel_1\",39.75],"
            + "PARAMETER[\"Standard_Parallel_2\",38.45],PARAMETER[\"Latitude_Of_Origin\",37.8333333333333],"
            + "UNIT[\"US survey foot\",0.304800609601219]]";

    /** NAD27 / Illinois East, {@code gdalsrsinfo -o wkt_esri EPSG:26771}. */
    static final String ILLINOIS_EAST_NAD27 = "PROJCS[\"NAD_1927_StatePlane_Illinois_East_FIPS_1201\","
            + "GEOGCS[\"GCS_North_American_1927\",DATUM[\"D_North_American_1927\","
            + "SPHEROID[\"Clarke_1866\",6378206.4,294.978698213898]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],"
            + "PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],"
            + "PARAMETER[\"Central_Meridian\",-88.3333333333333],PARAMETER[\"Scale_Factor\",0.999975],"
            + "PARAMETER[\"Latitude_Of_Origin\",36.6666666666667],UNIT[\"US survey foot\",0.304800609601219]]";

    static final String POLYCONIC = "PROJCS[\"Polyconic_Test\",GEOGCS[\"GCS_North_American_1983\","
            + "DATUM[\"D_North_American_1983\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],"
            + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Polyconic\"],"
            + "PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],"
            + "PARAMETER[\"Central_Meridian\",-88.0],PARAMETER[\"Latitude_Of_Origin\",41.0],UNIT[\"Meter\",1.0]]";

    /** Chicago state-plane points (feet) and their NAD83 longitude/latitude by PROJ 9.1.1's cs2cs. */
    static final double[][] ILLINOIS = {
        {1176352, 1898167, -87.627959994727, 41.875926588126},
        {1100000, 1830000, -87.909538250330, 41.690239933692},
        {1200000, 1950000, -87.539372370936, 42.017588698820},
    };

    /** Denver state-plane points (feet, EPSG:2232) and their NAD83 longitude/latitude by cs2cs. */
    static final double[][] COLORADO = {
        {3140000, 1700000, -105.002069228237, 39.754251964438},
        {3200000, 1690000, -104.788956106274, 39.725704326359},
        {3100000, 1720000, -105.144054712075, 39.809671031171},
    };

    /** Web Mercator points (metres) and their longitude/latitude by cs2cs. */
    static final double[][] MERCATOR = {
        {-9754900, 5142700, -87.629757650575, 41.877853397826},
        {-9770000, 5130000, -87.765403258477, 41.792851948283},
    };

    static Coordinate lonLat(Crs crs, double x, double y) {
        Geometry p = LayerReader.GEOMETRY.createPoint(new Coordinate(x, y));
        crs.toWgs84(p);
        return p.getCoordinate();
    }

    private static void assertPlaces(Crs crs, double[][] points, double tolerance) {
        for (double[] p : points) {
            Coordinate c = lonLat(crs, p[0], p[1]);
            assertEquals(crs.name + " x " + p[0], p[2], c.x, tolerance);
            assertEquals(crs.name + " y " + p[1], p[3], c.y, tolerance);
        }
    }

    private static void assertSame(Crs expected, Crs actual, double[][] points, double tolerance) {
        for (double[] p : points) {
            Coordinate e = lonLat(expected, p[0], p[1]);
            Coordinate a = lonLat(actual, p[0], p[1]);
            assertEquals(actual.name + " x " + p[0], e.x, a.x, tolerance);
            assertEquals(actual.name + " y " + p[1], e.y, a.y, tolerance);
        }
    }

    @Test
    public void illinoisEastFeetToLongitudeLatitude() {
        Crs epsg = Crs.epsg("EPSG:3435");
        assertEquals("EPSG:3435", epsg.name);
        assertFalse(epsg.isWgs84());
        Coordinate downtown = lonLat(epsg, 1176352, 1898167);
        // near State and Madison
        assertEquals(-87.6298, downtown.x, 0.01);
        assertEquals(41.8781, downtown.y, 0.01);
        assertPlaces(epsg, ILLINOIS, 1e-7);
        Crs esri = Crs.fromWkt(ILLINOIS_EAST_ARCGIS);
        Coordinate fromPrj = lonLat(esri, 1176352, 1898167);
        assertEquals(-87.6298, fromPrj.x, 0.01);
        assertEquals(41.8781, fromPrj.y, 0.01);
        assertEquals(downtown.x, fromPrj.x, 1e-7);
        assertEquals(downtown.y, fromPrj.y, 1e-7);
    }

    @Test
    public void esriPrjWithoutAuthorityIsIllinoisEast() {
        Crs epsg = Crs.epsg("EPSG:3435");
        for (String wkt : new String[] {ILLINOIS_EAST_ARCGIS, ILLINOIS_EAST_GDAL}) {
            Crs esri = Crs.fromWkt(wkt);
            assertEquals("NAD_1983_StatePlane_Illinois_East_FIPS_1201_Feet", esri.name);
            assertFalse(esri.isWgs84());
            assertSame(epsg, esri, ILLINOIS, 1e-7);
            assertPlaces(esri, ILLINOIS, 1e-7);
            // a wider spread over the city and its suburbs
            double[][] more = new double[25][];
            for (int i = 0; i < 25; i++) {
                more[i] = new double[] {1_080_000 + (i % 5) * 35_000, 1_800_000 + (i / 5) * 40_000};
            }
            assertSame(epsg, esri, more, 1e-7);
        }
    }

    @Test
    public void prjWithAnEpsgAuthorityUsesTheEpsgTable() {
        String wkt =
                ILLINOIS_EAST_ARCGIS.substring(0, ILLINOIS_EAST_ARCGIS.length() - 1) + ",AUTHORITY[\"EPSG\",\"3435\"]]";
        Crs crs = Crs.fromWkt(wkt);
        assertEquals("EPSG:3435", crs.name);
        assertPlaces(crs, ILLINOIS, 1e-7);
    }

    @Test
    public void webMercatorPrj() {
        Crs esri = Crs.fromWkt(WEB_MERCATOR);
        assertEquals("WGS_1984_Web_Mercator_Auxiliary_Sphere", esri.name);
        assertPlaces(esri, MERCATOR, 1e-9);
        assertSame(Crs.epsg("EPSG:3857"), esri, MERCATOR, 1e-9);
    }

    @Test
    public void lambertConformalConicPrj() {
        Crs epsg = Crs.epsg("EPSG:2232");
        assertPlaces(epsg, COLORADO, 1e-7);
        for (String wkt : new String[] {COLORADO_CENTRAL_ARCGIS, COLORADO_CENTRAL_GDAL}) {
            Crs esri = Crs.fromWkt(wkt);
            assertEquals("NAD_1983_StatePlane_Colorado_Central_FIPS_0502_Feet", esri.name);
            assertSame(epsg, esri, COLORADO, 1e-7);
            assertPlaces(esri, COLORADO, 1e-7);
        }
    }

    @Test
    public void geographicPrjIsWgs84() {
        Crs nad83 = Crs.fromWkt("GEOGCS[\"GCS_North_American_1983\",DATUM[\"D_North_American_1983\","
                + "SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
                + "UNIT[\"Degree\",0.0174532925199433]]");
        assertTrue(nad83.isWgs84());
        Coordinate c = lonLat(nad83, -87.6, 41.8);
        assertEquals(-87.6, c.x, 0);
        assertEquals(41.8, c.y, 0);
    }

    @Test
    public void epsgNames() {
        assertTrue(Crs.epsg("EPSG:4326").isWgs84());
        assertTrue(Crs.epsg(" epsg:4326 ").isWgs84());
        assertTrue(Crs.epsg("urn:ogc:def:crs:OGC:1.3:CRS84").isWgs84());
        assertTrue(Crs.epsg("urn:ogc:def:crs:EPSG::4326").isWgs84());
        assertTrue(Crs.epsg("EPSG:4269").isWgs84());
        Crs urn = Crs.epsg("urn:ogc:def:crs:EPSG::3435");
        assertEquals("EPSG:3435", urn.name);
        assertPlaces(urn, ILLINOIS, 1e-7);
        refused(() -> Crs.epsg("EPSG:999999"), "not a coordinate system in the EPSG table");
        refused(() -> Crs.epsg("Illinois East"), "is not an EPSG code");
        refused(() -> Crs.epsg("EPSG:26771"), "NAD27");
    }

    @Test
    public void nad27IsRefused() {
        refused(() -> Crs.fromWkt(ILLINOIS_EAST_NAD27), "NAD27");
        refused(
                () -> Crs.fromWkt("GEOGCS[\"GCS_North_American_1927\",DATUM[\"D_North_American_1927\","
                        + "SPHEROID[\"Clarke_1866\",6378206.4,294.9786982]],PRIMEM[\"Greenwich\",0.0],"
                        + "UNIT[\"Degree\",0.0174532925199433]]"),
                "NAD27");
    }

    @Test
    public void anUnknownProjectionIsRefused() {
        String reason = refused(() -> Crs.fromWkt(POLYCONIC), "'Polyconic' is not one this platform can place");
        assertTrue(reason, reason.contains("reproject the layer to WGS84"));
    }

    @Test
    public void garbageIsRefused() {
        refused(() -> Crs.fromWkt("this is not a projection"), "is not WKT");
        refused(() -> Crs.fromWkt(""), "is not WKT");
        refused(() -> Crs.fromWkt("PROJCS[\"x\",GEOGCS[\"y\""), "ends inside");
        refused(() -> Crs.fromWkt(ILLINOIS_EAST_ARCGIS + "]"), "text after its coordinate system");
        refused(() -> Crs.fromWkt("PROJCS[\"x\",PROJECTION[\"Transverse_Mercator\"]]"), "not a GEOGCS or PROJCS");
        refused(() -> Crs.fromWkt("LOCAL_CS[\"site grid\",UNIT[\"Meter\",1.0]]"), "not a GEOGCS or PROJCS");
        refused(
                () -> Crs.fromWkt(
                        ILLINOIS_EAST_ARCGIS.replace("PARAMETER[\"Central_Meridian\",-88.33333333333333],", "")),
                "no central_meridian parameter");
        refused(() -> Crs.fromWkt(ILLINOIS_EAST_ARCGIS.replace("984250.0", "9.8.2")), "where a number belongs");
    }

    private static String refused(Runnable r, String reason) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            assertTrue(
                    "'" + e.getMessage() + "' does not say '" + reason + "'",
                    e.getMessage().contains(reason));
            return e.getMessage();
        }
        fail("not refused; expected: " + reason);
        return null;
    }

    @Test
    public void deeplyNestedTextIsRefusedWithoutExhaustingTheStack() {
        try {
            Crs.fromWkt("A[".repeat(100_000));
            org.junit.Assert.fail("accepted");
        } catch (IllegalArgumentException e) {
            org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().contains("nests deeper than"));
        }
    }
}
