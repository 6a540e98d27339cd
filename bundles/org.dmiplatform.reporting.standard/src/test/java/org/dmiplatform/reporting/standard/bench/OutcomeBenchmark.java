package org.dmiplatform.reporting.standard.bench;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.reporting.OutcomeReport;
import org.dmiplatform.api.reporting.OutcomeRequest;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.programme.CallInsImpl;
import org.dmiplatform.core.internal.programme.CommunityWorkImpl;
import org.dmiplatform.core.internal.programme.ProgrammeImpl;
import org.dmiplatform.core.internal.programme.TeamsImpl;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.store.RecordsStoreImpl;
import org.dmiplatform.reporting.standard.internal.StandardReporting;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.postgresql.PGConnection;

/**
 * The outcome report of an intervention on a site of 1,000,000 records (fixed seed) in PostgreSQL, against its anchor:
 * the same grouped counts (area × window × month × category, in the site's time zone) computed by one SQL query
 * through psql, measured in the same run. Rerun: {@code ./dmi bench report} (docs/benchmarks.md).
 */
public final class OutcomeBenchmark {
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    /** Target, buffer ring (outer box minus the target) and comparison: west, south, east, north. */
    private static final double[] TARGET = {-87.700, 41.800, -87.680, 41.815};

    private static final double[] OUTER = {-87.710, 41.790, -87.670, 41.825};
    private static final double[] COMPARISON = {-87.620, 41.800, -87.600, 41.815};
    private static final LocalDate CALL_IN = LocalDate.of(2025, 6, 12);

    private OutcomeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        int runs = Integer.getInteger("runs", 5);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T15:00:00Z"));
        try (TestDatabases.Fresh fresh = TestDatabases.fresh("postgresql")) {
            Database database = Database.on(fresh.dataSource());
            AuditLogImpl audit = new AuditLogImpl(database, clock);
            FakeSites sites = new FakeSites("bench");
            TeamsImpl teams = new TeamsImpl(database, audit, sites, clock);
            ProgrammeImpl programme =
                    new ProgrammeImpl(database, audit, sites, teams, ProgrammeImpl.standardDefinition(), clock);
            CallInsImpl callIns = new CallInsImpl(database, audit, sites, programme, clock);
            RecordsStoreImpl records = new RecordsStoreImpl(database, sites, audit);
            StandardReporting reporting = new StandardReporting(
                    records, programme, callIns, new CommunityWorkImpl(database, audit, clock), clock);
            Caller analyst = caller(Role.RESEARCH);
            long id = programme
                    .create(
                            "bench",
                            new Programme.NewIntervention("Bench market", LocalDate.of(2025, 1, 5), ""),
                            caller(Role.POC))
                    .id();
            programme.setAreas(
                    "bench",
                    id,
                    new Programme.Areas(
                            Optional.of(polygon(ring(TARGET))),
                            Optional.of(polygon(ring(COMPARISON))),
                            Optional.of(polygon(ring(OUTER) + "," + ring(TARGET))),
                            "benchmark"),
                    caller(Role.POLICE));
            callIns.plan(
                    "bench",
                    id,
                    new CallIns.Plan(LocalDateTime.of(CALL_IN, java.time.LocalTime.of(18, 30)), "Hall", "", ""),
                    caller(Role.POLICE));
            String schema;
            long load = System.nanoTime();
            try (Connection c = fresh.dataSource().getConnection()) {
                schema = c.getSchema();
                load(c, rows);
            }
            System.out.printf(
                    "Loaded %,d records in %.1f s (COPY, then ANALYZE)%n", rows, (System.nanoTime() - load) / 1e9);
            Site site = sites.find("bench").orElseThrow();
            String sql = anchorSql(schema);

            // the two must agree before either is timed
            OutcomeReport report = reporting.outcome(site, id, OutcomeRequest.DEFAULT, analyst);
            Map<String, Long> ours = totals(report);
            Map<String, Long> theirs = psqlTotals(sql);
            if (!ours.equals(theirs)) {
                throw new IllegalStateException("the counts differ:\n ours   " + ours + "\n psql   " + theirs);
            }
            System.out.println("Counts agree: " + ours);

            List<Double> oursSeconds = new ArrayList<>();
            List<Double> psqlSeconds = new ArrayList<>();
            for (int run = 0; run <= runs; run++) {
                long start = System.nanoTime();
                reporting.outcome(site, id, OutcomeRequest.DEFAULT, analyst);
                double a = (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                psqlTotals(sql);
                double b = (System.nanoTime() - start) / 1e9;
                if (run > 0) { // the first is the warm-up
                    oursSeconds.add(a);
                    psqlSeconds.add(b);
                }
                System.out.printf("run %d: outcome report %.3f s, psql %.3f s%n", run, a, b);
            }
            double a = median(oursSeconds);
            double b = median(psqlSeconds);
            System.out.printf(
                    "%nOutcome report of an intervention, %,d records: %.3f s; one grouped SQL query through psql: %.3f s;"
                            + " ratio %.2fx (goal at most 1.5x)%n",
                    rows, a, b, a / b);
        }
    }

    private static Caller caller(Role role) {
        return new Caller(
                new User(
                        1, "bench-" + role.id(), "bench", List.of(Grant.at("bench", role)), true, false, Instant.EPOCH),
                "bench");
    }

    private static String ring(double[] b) {
        return "[[" + b[0] + "," + b[1] + "],[" + b[2] + "," + b[1] + "],[" + b[2] + "," + b[3] + "],[" + b[0] + ","
                + b[3] + "],[" + b[0] + "," + b[1] + "]]";
    }

    private static String polygon(String rings) {
        return "{\"type\":\"Polygon\",\"coordinates\":[" + rings + "]}";
    }

    /**
     * Records over Chicago's box for three and a half years, a tenth of them drawn into the market's blocks, categories
     * weighted as a city's are; COPYed into {@code records}, then analysed.
     */
    private static void load(Connection c, int rows) throws Exception {
        Random random = new Random(20_261_130L);
        Category[] categories = Category.values();
        Instant start = LocalDate.of(2023, 5, 1).atStartOfDay(CHICAGO).toInstant();
        long span = java.time.Duration.between(
                        start, LocalDate.of(2026, 11, 1).atStartOfDay(CHICAGO).toInstant())
                .toSeconds();
        StringBuilder batch = new StringBuilder();
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        String columns = "(site_id, kind, source_id, occurred_from, code, code_text, category, part_one, longitude,"
                + " latitude, address, beat, district, import_id)";
        for (int i = 0; i < rows; i++) {
            double lon;
            double lat;
            if (random.nextInt(10) == 0) {
                double[] box = random.nextBoolean() ? OUTER : COMPARISON;
                lon = box[0] + (box[2] - box[0]) * random.nextDouble();
                lat = box[1] + (box[3] - box[1]) * random.nextDouble();
            } else {
                lon = -87.94 + 0.42 * random.nextDouble();
                lat = 41.64 + 0.38 * random.nextDouble();
            }
            Category category = random.nextInt(5) == 0 ? Category.DRUG : categories[random.nextInt(categories.length)];
            Instant at = start.plusSeconds((long) (random.nextDouble() * span));
            batch.append("bench\tINCIDENT\tB")
                    .append(i)
                    .append('\t')
                    .append(at)
                    .append("\t0000\tbench\t")
                    .append(category.name())
                    .append("\tf\t")
                    .append(lon)
                    .append('\t')
                    .append(lat)
                    .append("\t\t\t\t0\n");
            if (batch.length() > 4_000_000 || i == rows - 1) {
                copy.copyIn("COPY records " + columns + " FROM STDIN", new StringReader(batch.toString()));
                batch.setLength(0);
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE records");
        }
    }

    /** The anchor: every count of the report in one query, grouped in the site's zone. */
    private static String anchorSql(String schema) {
        Instant from = CALL_IN.minusMonths(12).atStartOfDay(CHICAGO).toInstant();
        Instant callIn = CALL_IN.atStartOfDay(CHICAGO).toInstant();
        Instant until = CALL_IN.plusMonths(12).atStartOfDay(CHICAGO).toInstant();
        return "SET search_path TO " + schema + ";"
                + " SELECT area, (occurred_from >= '" + callIn + "') AS after,"
                + " to_char(occurred_from AT TIME ZONE 'America/Chicago', 'YYYY-MM') AS month, category, count(*)"
                + " FROM (SELECT occurred_from, category, CASE"
                + inside("target", TARGET) + inside("buffer", OUTER) + inside("comparison", COMPARISON)
                + " END AS area FROM records WHERE site_id = 'bench' AND occurred_from >= '" + from + "'"
                + " AND occurred_from < '" + until + "') r WHERE area IS NOT NULL GROUP BY 1, 2, 3, 4";
    }

    private static String inside(String name, double[] b) {
        return " WHEN longitude >= " + b[0] + " AND longitude <= " + b[2] + " AND latitude >= " + b[1]
                + " AND latitude <= " + b[3] + " THEN '" + name + "'";
    }

    /** area/before|after/category → count, from psql's rows. */
    private static Map<String, Long> psqlTotals(String sql) throws Exception {
        Process p = new ProcessBuilder(
                        "psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-At", "-F", "\t", "-c", sql)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("psql failed: " + out);
        }
        Map<String, Long> totals = new TreeMap<>();
        for (String line : out.split("\n")) {
            String[] v = line.split("\t");
            if (v.length == 5) {
                totals.merge(
                        v[0] + "/" + (v[1].equals("t") ? "after" : "before") + "/" + v[3],
                        Long.parseLong(v[4]),
                        Long::sum);
            }
        }
        return totals;
    }

    private static Map<String, Long> totals(OutcomeReport report) {
        Map<String, Long> totals = new TreeMap<>();
        for (OutcomeReport.AreaCounts a : report.areas()) {
            for (OutcomeReport.CategoryCounts c : a.categories()) {
                if (c.before() > 0) {
                    totals.put(a.area().id() + "/before/" + c.category().name(), c.before());
                }
                if (c.after() > 0) {
                    totals.put(a.area().id() + "/after/" + c.category().name(), c.after());
                }
            }
        }
        return totals;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
