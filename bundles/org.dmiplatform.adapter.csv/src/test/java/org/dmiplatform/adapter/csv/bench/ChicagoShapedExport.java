package org.dmiplatform.adapter.csv.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.ProjCoordinate;

/**
 * Writes a synthetic export shaped like the City of Chicago's CLEAR crime export (the same 22 columns, formats and
 * quirks: hundred-block addresses, zero-padded beats, 11% of rows without coordinates, state-plane X/Y beside
 * latitude/longitude), from a fixed seed: the same rows every time. No row is a real incident.
 */
public final class ChicagoShapedExport {
    static final String HEADER =
            "ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,"
                    + "Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,Location";

    /** IUCR, primary type, description, FBI code; weighted by how often each appears in the real export. */
    private static final String[][] OFFENCES = {
        {"0486", "BATTERY", "DOMESTIC BATTERY SIMPLE", "08B", "20"},
        {"0820", "THEFT", "$500 AND UNDER", "06", "18"},
        {"1310", "CRIMINAL DAMAGE", "TO PROPERTY", "14", "10"},
        {"0460", "BATTERY", "SIMPLE", "08B", "8"},
        {"0560", "ASSAULT", "SIMPLE", "08A", "6"},
        {"0610", "BURGLARY", "FORCIBLE ENTRY", "05", "5"},
        {"0910", "MOTOR VEHICLE THEFT", "AUTOMOBILE", "07", "5"},
        {"2027", "NARCOTICS", "POSS: CRACK", "18", "3"},
        {"1811", "NARCOTICS", "POSS: CANNABIS 30GMS OR LESS", "18", "3"},
        {"031A", "ROBBERY", "ARMED: HANDGUN", "03", "3"},
        {"143A", "WEAPONS VIOLATION", "UNLAWFUL POSS OF HANDGUN", "15", "2"},
        {"041A", "BATTERY", "AGGRAVATED: HANDGUN", "04B", "2"},
        {"1320", "CRIMINAL DAMAGE", "TO VEHICLE", "14", "4"},
        {"1330", "CRIMINAL TRESPASS", "TO LAND", "26", "2"},
        {"2820", "OTHER OFFENSE", "TELEPHONE THREAT", "26", "4"},
        {"1153", "DECEPTIVE PRACTICE", "FINANCIAL IDENTITY THEFT OVER $ 300", "11", "3"},
        {"0265", "CRIM SEXUAL ASSAULT", "AGGRAVATED: OTHER", "02", "1"},
        {"1537", "SEX OFFENSE", "CRIMINAL SEXUAL ABUSE", "17", "1"},
        {"1511", "PROSTITUTION", "SOLICIT FOR BUSINESS", "16", "1"},
        {"0110", "HOMICIDE", "FIRST DEGREE MURDER", "01A", "1"}
    };

    private static final String[] STREETS = {
        "W 77TH ST",
        "S HALSTED ST",
        "W MADISON ST",
        "N CLARK ST",
        "S ASHLAND AVE",
        "W CHICAGO AVE",
        "E 63RD ST",
        "S COTTAGE GROVE AVE",
        "W NORTH AVE",
        "N PULASKI RD",
        "W ROOSEVELT RD",
        "S KEDZIE AVE"
    };
    private static final String[] PLACES = {"STREET", "RESIDENCE", "APARTMENT", "SIDEWALK", "ALLEY", "PARKING LOT"};

    private ChicagoShapedExport() {}

    public static void write(Path file, int rows, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int totalWeight = 0;
        for (String[] o : OFFENCES) {
            totalWeight += Integer.parseInt(o[4]);
        }
        CRSFactory crs = new CRSFactory();
        CoordinateTransform toStatePlane = new CoordinateTransformFactory()
                .createTransform(
                        crs.createFromParameters("EPSG:4326", "+proj=longlat +datum=WGS84 +no_defs"),
                        crs.createFromParameters(
                                "EPSG:3435",
                                "+proj=tmerc +lat_0=36.66666666666666 +lon_0=-88.33333333333333 +k=0.9999749999999999"
                                        + " +x_0=300000.0000000001 +y_0=0 +datum=NAD83 +units=us-ft +no_defs"));
        ProjCoordinate in = new ProjCoordinate();
        ProjCoordinate out = new ProjCoordinate();
        DateTimeFormatter date = DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", Locale.US);
        LocalDateTime start = LocalDateTime.of(2015, 1, 1, 0, 0);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            StringBuilder line = new StringBuilder(320);
            for (int i = 0; i < rows; i++) {
                int pick = random.nextInt(totalWeight);
                String[] offence = OFFENCES[0];
                for (String[] o : OFFENCES) {
                    pick -= Integer.parseInt(o[4]);
                    if (pick < 0) {
                        offence = o;
                        break;
                    }
                }
                LocalDateTime at = start.plusMinutes(random.nextInt(2 * 365 * 24 * 60));
                int beat = 100 * (1 + random.nextInt(25)) + 10 * random.nextInt(9) + 1 + random.nextInt(5);
                line.setLength(0);
                line.append(10_000_000 + i)
                        .append(",JA")
                        .append(100_000 + i)
                        .append(',')
                        .append(date.format(at))
                        .append(',')
                        .append(String.format(Locale.ROOT, "%03dXX ", random.nextInt(130)))
                        .append(STREETS[random.nextInt(STREETS.length)])
                        .append(',')
                        .append(offence[0])
                        .append(',')
                        .append(offence[1])
                        .append(',')
                        .append(offence[2].contains(",") ? '"' + offence[2] + '"' : offence[2])
                        .append(',')
                        .append(PLACES[random.nextInt(PLACES.length)])
                        .append(',')
                        .append(random.nextInt(5) == 0)
                        .append(',')
                        .append(offence[0].equals("0486"))
                        .append(',')
                        .append(String.format(Locale.ROOT, "%04d", beat))
                        .append(',')
                        .append(String.format(Locale.ROOT, "%03d", beat / 100))
                        .append(',')
                        .append(1 + random.nextInt(50))
                        .append(',')
                        .append(1 + random.nextInt(77))
                        .append(',')
                        .append(offence[3])
                        .append(',');
                boolean located = random.nextInt(100) >= 11;
                double lat = 41.65 + random.nextDouble() * 0.36;
                double lon = -87.93 + random.nextDouble() * 0.40;
                if (located) {
                    in.x = lon;
                    in.y = lat;
                    toStatePlane.transform(in, out);
                    line.append(Math.round(out.x)).append(',').append(Math.round(out.y));
                } else {
                    line.append(',');
                }
                line.append(',')
                        .append(at.getYear())
                        .append(',')
                        .append(date.format(at.plusDays(7)))
                        .append(',');
                if (located) {
                    String la = String.format(Locale.ROOT, "%.9f", lat);
                    String lo = String.format(Locale.ROOT, "%.9f", lon);
                    line.append(la)
                            .append(',')
                            .append(lo)
                            .append(",\"(")
                            .append(la)
                            .append(", ")
                            .append(lo)
                            .append(")\"");
                } else {
                    line.append(",,");
                }
                line.append('\n');
                w.append(line);
            }
        }
    }
}
