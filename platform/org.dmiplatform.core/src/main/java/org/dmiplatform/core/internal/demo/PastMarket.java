package org.dmiplatform.core.internal.demo;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Demo mode's finished intervention at Chicago: made-up drug incidents, in the format of Chicago's crime export, for
 * two and a half years around a call-in eighteen months ago, in a target square, its ring of buffer and a comparison
 * square. Drawn from Poisson counts with a fixed seed: the target area's rate halves after the call-in, the buffer's
 * falls a little, the comparison area's stays; in the last six weeks the target's market comes back (the market watch
 * raises an alert). Made up entirely; no real incident or person.
 */
final class PastMarket {
    static final String NAME = "Past market (demo)";

    static final String TARGET = square(-87.720, 41.880, -87.700, 41.895);
    static final String COMPARISON = square(-87.660, 41.880, -87.640, 41.895);
    /** The ring around the target square: an outer square with the target as its hole. */
    static final String BUFFER = "{\"type\":\"Polygon\",\"coordinates\":[" + ring(-87.730, 41.872, -87.690, 41.903)
            + "," + ring(-87.720, 41.880, -87.700, 41.895) + "]}";

    private static final String HEADER = "ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,"
            + "Arrest,Domestic,Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,"
            + "Latitude,Longitude,Location";
    private static final DateTimeFormatter CHICAGO_TIME =
            DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", Locale.US);

    private PastMarket() {}

    private static String ring(double west, double south, double east, double north) {
        return "[[" + west + "," + south + "],[" + east + "," + south + "],[" + east + "," + north + "],[" + west + ","
                + north + "],[" + west + "," + south + "]]";
    }

    private static String square(double west, double south, double east, double north) {
        return "{\"type\":\"Polygon\",\"coordinates\":[" + ring(west, south, east, north) + "]}";
    }

    /** The call-in: the 12th of the month eighteen months before today. */
    static LocalDate callIn(LocalDate today) {
        return today.minusMonths(18).withDayOfMonth(12);
    }

    /** Writes the export: every day of the thirty whole months before this one. */
    static void write(Path file, LocalDate today) throws IOException {
        Random random = new Random(20_160_103L);
        LocalDate callIn = callIn(today);
        long id = 900_000_000L;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER + "\n");
            for (YearMonth month = YearMonth.from(today.minusMonths(30));
                    month.isBefore(YearMonth.from(today));
                    month = month.plusMonths(1)) {
                // a yearly swing: more in summer
                double season = 1 + 0.2 * Math.sin(2 * Math.PI * (month.getMonthValue() - 4) / 12.0);
                for (int area = 0; area < 3; area++) {
                    for (int day = 1; day <= month.lengthOfMonth(); day++) {
                        LocalDate date = month.atDay(day);
                        boolean after = !date.isBefore(callIn);
                        // the last six weeks: the market is back, and the watch raises its alert
                        boolean back = !date.isBefore(today.minusWeeks(6));
                        double perMonth =
                                switch (area) {
                                    case 0 -> back ? 80 : after ? 8 : 16;
                                    case 1 -> 12;
                                    default -> after ? 9 : 10;
                                };
                        int n = poisson(random, perMonth * season / month.lengthOfMonth());
                        for (int i = 0; i < n; i++) {
                            double[] at = place(random, area);
                            LocalDateTime time = date.atTime(random.nextInt(24), random.nextInt(60));
                            id++;
                            out.write(id + ",JD" + id + "," + CHICAGO_TIME.format(time)
                                    + ",0XXX W DEMO ST,2024,NARCOTICS,POSS: HEROIN(WHITE) (demo),STREET,true,false,"
                                    + ",,,,18,,," + time.getYear() + ",," + at[1] + "," + at[0] + ",\n");
                        }
                    }
                }
            }
        }
    }

    /** A point in the target square, the comparison square, or the buffer's ring. */
    private static double[] place(Random random, int area) {
        while (true) {
            double lon;
            double lat;
            if (area == 1) {
                lon = -87.660 + 0.020 * random.nextDouble();
                lat = 41.880 + 0.015 * random.nextDouble();
                return new double[] {round(lon), round(lat)};
            }
            if (area == 0) {
                lon = -87.720 + 0.020 * random.nextDouble();
                lat = 41.880 + 0.015 * random.nextDouble();
                return new double[] {round(lon), round(lat)};
            }
            lon = -87.730 + 0.040 * random.nextDouble();
            lat = 41.872 + 0.031 * random.nextDouble();
            boolean inTarget = lon >= -87.720 && lon <= -87.700 && lat >= 41.880 && lat <= 41.895;
            if (!inTarget) {
                return new double[] {round(lon), round(lat)};
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /** Knuth's method: fine for the small means of a day. */
    private static int poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }
}
