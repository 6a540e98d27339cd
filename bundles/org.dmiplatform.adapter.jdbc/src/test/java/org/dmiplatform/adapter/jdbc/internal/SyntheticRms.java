package org.dmiplatform.adapter.jdbc.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A records-management system's incidents, made up from a fixed seed: no real case, person or address (blocks are
 * hundred blocks of made-up streets), with the mistakes real extracts carry in known rows.
 */
final class SyntheticRms {
    static final ZoneId SITE_ZONE = ZoneId.of("America/Chicago");

    /** A point the City of Chicago publishes in Illinois State Plane East feet and in longitude/latitude. */
    static final BigDecimal KNOWN_X = new BigDecimal("1166811");

    static final BigDecimal KNOWN_Y = new BigDecimal("1853653");
    static final double KNOWN_LONGITUDE = -87.664263469;
    static final double KNOWN_LATITUDE = 41.753985135;

    /** The first pull's rows are updated a minute apart from here on. */
    static final LocalDateTime FIRST_UPDATE = LocalDateTime.of(2024, 4, 1, 8, 0);

    static final int ROWS = 40;

    /** Rows the profile quarantines: 0,0 coordinates and an impossible time. */
    static final int ZERO_ZERO = 7;

    static final int BAD_TIME = 12;

    /** A row without coordinates, and one without a time of day. */
    static final int NO_LOCATION = 3;

    static final int NO_TIME = 4;

    /** Local offence codes: code, text, the RMS's UCR class (what the profile categorises by). */
    static final String[][] OFFENCES = {
        {"D210", "POSSESSION - CRACK COCAINE", "NARCOTICS"},
        {"D220", "DELIVERY - HEROIN", "NARCOTICS"},
        {"D240", "POSSESSION - CANNABIS OVER 30G", "NARCOTICS"},
        {"W150", "UNLAWFUL POSSESSION - HANDGUN", "WEAPONS"},
        {"A041", "AGGRAVATED BATTERY - HANDGUN", "AGG ASSAULT"},
        {"R031", "ROBBERY - ARMED", "ROBBERY"},
        {"B051", "BURGLARY - FORCIBLE ENTRY", "BURGLARY"},
        {"T061", "THEFT - FROM BUILDING", "THEFT"},
        {"P160", "SOLICITING", "PROSTITUTION"},
        {"C260", "CRIMINAL TRESPASS - RESIDENCE", "TRESPASS"},
        {"O240", "LOITERING - DRUG MARKET", "DISORDERLY"},
        {"M999", "LOST PROPERTY", "NON-CRIMINAL"}
    };

    private static final String[] STREETS = {
        "W ASHGROVE AVE", "S BIRCHWOOD ST", "N CEDARLANE AVE", "E DOGWOOD PL", "W ELMHAVEN ST", "S FERNBROOK AVE"
    };

    record Incident(
            String caseNumber,
            LocalDate occurredDate,
            String occurredTime,
            ZonedDateTime reportedAt,
            String offence,
            String block,
            String beat,
            String district,
            BigDecimal x,
            BigDecimal y,
            LocalDateTime updatedAt) {

        String ucrClass() {
            for (String[] o : OFFENCES) {
                if (o[0].equals(offence)) {
                    return o[2];
                }
            }
            throw new IllegalStateException(offence);
        }
    }

    static final String QUERY = "SELECT i.case_number, i.occurred_date, i.occurred_time, i.reported_at,"
            + " i.offence_code, o.description AS offence_text, o.ucr_class, i.block_address, i.beat, i.district,"
            + " i.x_coord, i.y_coord, i.updated_at, i.narrative"
            + " FROM %s i JOIN offence_codes o ON o.code = i.offence_code"
            + " WHERE i.updated_at %s ORDER BY i.updated_at, i.case_number";

    /** The incidents query, from the watermark by {@code >= ?} (the recommended form), {@code > ?}, or another. */
    static String query(String condition) {
        return String.format(QUERY, "incidents", condition);
    }

    /** The incidents of the first pull, the same every run. */
    static List<Incident> incidents() {
        Random random = new Random(20240401L);
        List<Incident> out = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            LocalDate date = LocalDate.of(2024, 3, 1).plusDays(random.nextInt(28));
            String time = String.format("%02d%02d", random.nextInt(24), random.nextInt(60));
            String offence = OFFENCES[random.nextInt(OFFENCES.length)][0];
            String block = String.format("%03dXX %s", random.nextInt(120), STREETS[random.nextInt(STREETS.length)]);
            String beat = String.format("%04d", 611 + random.nextInt(12));
            String district = "006";
            BigDecimal x = KNOWN_X.add(BigDecimal.valueOf(random.nextInt(6000) - 3000));
            BigDecimal y = KNOWN_Y.add(BigDecimal.valueOf(random.nextInt(6000) - 3000));
            if (i == 0) {
                // the known point, just before the spring change of clocks
                date = LocalDate.of(2024, 3, 9);
                time = "2357";
                offence = "D220";
                x = KNOWN_X;
                y = KNOWN_Y;
            } else if (i == 1) {
                date = LocalDate.of(2024, 3, 12);
                time = "0930";
                offence = "A041";
            } else if (i == ZERO_ZERO) {
                x = BigDecimal.ZERO;
                y = BigDecimal.ZERO;
            } else if (i == BAD_TIME) {
                time = "2575";
            } else if (i == NO_LOCATION) {
                x = null;
                y = null;
            } else if (i == NO_TIME) {
                time = null;
            }
            ZonedDateTime occurred = time == null || i == BAD_TIME
                    ? date.atStartOfDay(SITE_ZONE)
                    : date.atTime(Integer.parseInt(time.substring(0, 2)), Integer.parseInt(time.substring(2)))
                            .atZone(SITE_ZONE);
            ZonedDateTime reported = occurred.plusMinutes(5 + random.nextInt(90));
            out.add(new Incident(
                    String.format("JT%06d", 100_000 + i * 37),
                    date,
                    time,
                    reported,
                    offence,
                    block,
                    beat,
                    district,
                    x,
                    y,
                    FIRST_UPDATE.plusMinutes(i)));
        }
        return out;
    }

    /** Creates the offence-code table and an incidents table, and writes the incidents. */
    static void create(RmsDatabase db, List<Incident> incidents) throws SQLException {
        db.sql(
                "DROP TABLE IF EXISTS incidents_bulk",
                "DROP TABLE IF EXISTS incidents",
                "DROP TABLE IF EXISTS offence_codes",
                "CREATE TABLE offence_codes (code VARCHAR(8) PRIMARY KEY, description VARCHAR(80) NOT NULL,"
                        + " ucr_class VARCHAR(20) NOT NULL)",
                incidentsTable(db, "incidents"));
        try (Connection c = db.admin();
                PreparedStatement codes = c.prepareStatement("INSERT INTO offence_codes VALUES (?, ?, ?)")) {
            for (String[] o : OFFENCES) {
                codes.setString(1, o[0]);
                codes.setString(2, o[1]);
                codes.setString(3, o[2]);
                codes.addBatch();
            }
            codes.executeBatch();
            insert(db, c, incidents);
        }
    }

    static String incidentsTable(RmsDatabase db, String name) {
        return "CREATE TABLE " + name + " (case_number VARCHAR(12) PRIMARY KEY, occurred_date DATE NOT NULL,"
                + " occurred_time CHAR(4), reported_at " + db.timestampWithZone() + ","
                + " offence_code VARCHAR(8) NOT NULL REFERENCES offence_codes (code),"
                + " block_address VARCHAR(60), beat VARCHAR(6), district VARCHAR(4),"
                + " x_coord DECIMAL(12, 2), y_coord DECIMAL(12, 2), updated_at " + db.timestamp() + " NOT NULL,"
                + " narrative VARCHAR(2000))";
    }

    static void insert(RmsDatabase db, List<Incident> incidents) throws SQLException {
        try (Connection c = db.admin()) {
            insert(db, c, incidents);
        }
    }

    private static void insert(RmsDatabase db, Connection c, List<Incident> incidents) throws SQLException {
        try (PreparedStatement insert =
                c.prepareStatement("INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Incident i : incidents) {
                insert.setString(1, i.caseNumber());
                insert.setObject(2, i.occurredDate());
                insert.setString(3, i.occurredTime());
                db.setMoment(insert, 4, i.reportedAt());
                insert.setString(5, i.offence());
                insert.setString(6, i.block());
                insert.setString(7, i.beat());
                insert.setString(8, i.district());
                insert.setBigDecimal(9, i.x());
                insert.setBigDecimal(10, i.y());
                insert.setObject(11, i.updatedAt());
                insert.setString(12, "Synthetic narrative of case " + i.caseNumber() + ".");
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Fills {@code incidents_bulk} with {@code rows} incidents made by the server itself, each with a narrative of
     * some 700 characters, as a department's full history would be.
     */
    /** As a department's database would have it: the watermark column indexed, so the query reads in its order. */
    private static final String INDEX = "CREATE INDEX incidents_bulk_updated ON incidents_bulk (updated_at)";

    static void bulk(RmsDatabase db, int rows) {
        boolean pg = db.kind == RmsDatabase.Kind.POSTGRESQL;
        String n = pg ? "CAST(n AS TEXT)" : "CAST(n AS CHAR)";
        String select = " SELECT CONCAT('BK', LPAD(" + n + ", 7, '0')),"
                + (pg ? " DATE '2024-01-01' + (n % 60)," : " DATE '2024-01-01' + INTERVAL (n % 60) DAY,")
                + " LPAD(" + n.replace("n AS", "(n % 24) * 100 + n % 60 AS") + ", 4, '0'),"
                + (pg
                        ? " TIMESTAMPTZ '2024-01-01 00:00:00-06' + n * INTERVAL '1 minute',"
                        : " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL n MINUTE,")
                + " CASE n % 4 WHEN 0 THEN 'D210' WHEN 1 THEN 'T061' WHEN 2 THEN 'C260' ELSE 'A041' END,"
                + " CONCAT(LPAD(" + n.replace("n AS", "n % 120 AS") + ", 3, '0'), 'XX W ASHGROVE AVE'), '0611', '006',"
                + " 1166811 + n % 2000, 1853653 + n % 3000,"
                + (pg
                        ? " TIMESTAMP '2024-05-01 00:00:00' + n * INTERVAL '1 second',"
                        : " TIMESTAMP '2024-05-01 00:00:00' + INTERVAL n SECOND,")
                + " CONCAT('Case ', " + n + ", ': ', REPEAT('synthetic narrative text, ', 27))";
        if (pg) {
            db.sql(
                    incidentsTable(db, "incidents_bulk"),
                    "INSERT INTO incidents_bulk" + select + " FROM generate_series(1, " + rows + ") AS g(n)",
                    INDEX);
        } else {
            db.sql(
                    incidentsTable(db, "incidents_bulk"),
                    "SET SESSION max_recursive_iterations = " + (rows + 1),
                    "INSERT INTO incidents_bulk WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < "
                            + rows + ")" + select + " FROM g",
                    INDEX);
        }
    }

    private SyntheticRms() {}
}
