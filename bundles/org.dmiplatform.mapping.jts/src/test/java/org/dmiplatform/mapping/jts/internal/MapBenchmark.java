package org.dmiplatform.mapping.jts.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.dmiplatform.api.mapping.HotSpotRequest.Contiguity;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.densify.Densifier;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * The mapping benchmark ({@code ./dmi bench map}, docs/benchmarks.md): fixed-seed points on a 25 km square, a 500 x
 * 500 grid of 50 m cells and 300 polygons, each statistic timed against what an analyst would otherwise run, in the
 * same run: Gi* against R spdep ({@code cell2nb} + {@code nb2listw} + {@code localG}), 999 permutations against the
 * analytic Gi*, kernel density against numpy {@code histogram2d} + scipy {@code gaussian_filter}, point in polygon
 * against plain JTS ({@code STRtree} + {@code IndexedPointInAreaLocator}). Every pair's results are compared too.
 */
public final class MapBenchmark {
    static final double SIDE = 25_000;
    static final int CELLS = 500;
    static final double CELL = SIDE / CELLS;

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("points", 1_000_000);
        int polygons = Integer.getInteger("polygons", 300);
        int runs = Integer.getInteger("runs", 5);
        String phases = System.getProperty("phases", "gistar,permutations,density,pip");
        Path work = Paths.get(System.getProperty("work", "target/bench"));
        Files.createDirectories(work);
        double[] xs = new double[n];
        double[] ys = new double[n];
        points(xs, ys, n, 20261130L);
        System.out.printf(
                Locale.ROOT,
                "%,d points, %d x %d cells of %.0f m, %d polygons, medians of %d runs%n%n",
                n,
                CELLS,
                CELLS,
                CELL,
                polygons,
                runs);
        List<String> rows = new ArrayList<>();
        Grid grid = new Grid(0, 0, CELL, CELLS, CELLS);
        double[] counts = grid.count(xs, ys, n);

        if (phases.contains("gistar")) {
            double ours = median(runs, () -> {
                Neighbours nb = Neighbours.grid(CELLS, CELLS, Contiguity.QUEEN);
                return GiStar.z(counts, nb);
            });
            double withBinning = median(
                    runs, () -> GiStar.z(grid.count(xs, ys, n), Neighbours.grid(CELLS, CELLS, Contiguity.QUEEN)));
            double[] z = GiStar.z(counts, Neighbours.grid(CELLS, CELLS, Contiguity.QUEEN));
            Path in = write(work.resolve("counts.bin"), counts);
            Path out = work.resolve("spdep-z.bin");
            String seconds = run(List.of(
                    "Rscript",
                    script(work, "spdep-gistar.R"),
                    in.toString(),
                    Integer.toString(CELLS),
                    Integer.toString(CELLS),
                    out.toString()));
            double spdep = Double.parseDouble(seconds.strip());
            double[] theirs = read(out, counts.length);
            double worst = 0;
            for (int i = 0; i < z.length; i++) {
                worst = Math.max(worst, Math.abs(z[i] - theirs[i]));
            }
            rows.add(row(
                    "Gi*, analytic z, with the neighbours",
                    "R spdep cell2nb + nb2listw + localG",
                    ours,
                    spdep,
                    1000,
                    String.format(
                            Locale.ROOT,
                            "max |z - spdep| = %.1e; with binning the 1M points: %.1f ms",
                            worst,
                            withBinning * 1000)));
            if (phases.contains("permutations")) {
                double perm = median(runs, () -> {
                    Neighbours nb = Neighbours.grid(CELLS, CELLS, Contiguity.QUEEN);
                    double[] zz = GiStar.z(counts, nb);
                    return GiStar.pPermuted(counts, nb, 999, 12345L).length + zz.length;
                });
                rows.add(row(
                        "Gi*, analytic z and 999 conditional permutations",
                        "Gi*, analytic z (above)",
                        perm,
                        ours,
                        -10,
                        "goal: under 10x the analytic time"));
            }
        }
        if (phases.contains("density")) {
            double sigma = 3.0;
            double ours = median(runs, () -> Density.smooth(grid.count(xs, ys, n), CELLS, CELLS, sigma));
            double[] smoothed = Density.smooth(counts, CELLS, CELLS, sigma);
            Path pts = work.resolve("points.bin");
            double[] interleaved = new double[2 * n];
            for (int i = 0; i < n; i++) {
                interleaved[2 * i] = xs[i];
                interleaved[2 * i + 1] = ys[i];
            }
            write(pts, interleaved);
            Path out = work.resolve("numpy-density.bin");
            String seconds = run(List.of(
                    "/usr/bin/python3",
                    script(work, "numpy-density.py"),
                    pts.toString(),
                    "0",
                    "0",
                    Double.toString(CELL),
                    Integer.toString(CELLS),
                    Integer.toString(CELLS),
                    Double.toString(sigma),
                    Integer.toString(runs),
                    out.toString()));
            double numpy = Double.parseDouble(seconds.strip());
            double[] theirs = read(out, smoothed.length);
            double worst = 0;
            for (int i = 0; i < smoothed.length; i++) {
                worst = Math.max(worst, Math.abs(smoothed[i] - theirs[i]) / Math.max(Math.abs(theirs[i]), 1e-300));
            }
            rows.add(row(
                    "kernel density (binning + Gaussian, σ = 150 m)",
                    "numpy histogram2d + scipy gaussian_filter",
                    ours,
                    numpy,
                    3,
                    String.format(
                            Locale.ROOT,
                            "max relative difference %.1e (cells above 0)",
                            worstNonZero(smoothed, theirs))));
        }
        if (phases.contains("pip")) {
            List<Geometry> layer = polygons(polygons, 7L);
            long vertices = layer.stream().mapToLong(Geometry::getNumPoints).sum();
            int[] ours = new int[n];
            int[] plain = new int[n];
            double oursTime = median(runs, () -> {
                PolygonIndex index = new PolygonIndex(layer);
                for (int i = 0; i < n; i++) {
                    ours[i] = index.locate(xs[i], ys[i]);
                }
                return ours;
            });
            double plainTime = median(runs, () -> {
                STRtree tree = new STRtree();
                IndexedPointInAreaLocator[] locators = new IndexedPointInAreaLocator[layer.size()];
                for (int p = 0; p < layer.size(); p++) {
                    tree.insert(layer.get(p).getEnvelopeInternal(), p);
                    locators[p] = new IndexedPointInAreaLocator(layer.get(p));
                }
                Coordinate c = new Coordinate();
                Envelope e = new Envelope();
                for (int i = 0; i < n; i++) {
                    c.x = xs[i];
                    c.y = ys[i];
                    e.init(c);
                    @SuppressWarnings("unchecked")
                    List<Integer> found = tree.query(e);
                    found.sort(null);
                    int answer = -1;
                    for (int p : found) {
                        if (locators[p].locate(c) != Location.EXTERIOR) {
                            answer = p;
                            break;
                        }
                    }
                    plain[i] = answer;
                }
                return plain;
            });
            int differ = 0;
            for (int i = 0; i < n; i++) {
                differ += ours[i] != plain[i] ? 1 : 0;
            }
            rows.add(row(
                    "point in polygon, index built and every point assigned",
                    "JTS STRtree + IndexedPointInAreaLocator",
                    oursTime,
                    plainTime,
                    2,
                    String.format(Locale.ROOT, "%,d vertices; assignments that differ: %d", vertices, differ)));
        }
        System.out.println("| what | ours | anchor | anchor time | ratio | goal | notes |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static double worstNonZero(double[] ours, double[] theirs) {
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            if (theirs[i] > 1e-12) {
                worst = Math.max(worst, Math.abs(ours[i] - theirs[i]) / theirs[i]);
            }
        }
        return worst;
    }

    /**
     * A row; goal > 0: ours must be at least that many times faster than the anchor; goal < 0: ours may take at most
     * |goal| times the anchor.
     */
    private static String row(String what, String anchor, double ours, double theirs, double goal, String notes) {
        String ratio;
        String met;
        if (goal > 0) {
            double r = theirs / ours;
            ratio = String.format(Locale.ROOT, "**%.1fx faster**", r);
            met = String.format(Locale.ROOT, "≥ %.0fx: %s", goal, r >= goal ? "met" : "not met");
        } else {
            double r = ours / theirs;
            ratio = String.format(Locale.ROOT, "**%.1fx the anchor's time**", r);
            met = String.format(Locale.ROOT, "< %.0fx: %s", -goal, r < -goal ? "met" : "not met");
        }
        return String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s |",
                what,
                time(ours),
                anchor,
                time(theirs),
                ratio,
                met,
                notes);
    }

    private static String time(double seconds) {
        return seconds < 1
                ? String.format(Locale.ROOT, "%.1f ms", seconds * 1000)
                : String.format(Locale.ROOT, "%.2f s", seconds);
    }

    /** Median seconds of the runs, after one unmeasured warm-up. */
    static double median(int runs, Supplier<Object> work) {
        Object sink = work.get();
        double[] t = new double[runs];
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            sink = work.get();
            t[r] = (System.nanoTime() - start) / 1e9;
        }
        if (sink == null) {
            throw new IllegalStateException();
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    /** 60% spread evenly, 40% in 40 clusters of 80-400 m: a city's records, roughly. */
    static void points(double[] xs, double[] ys, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int clusters = 40;
        double[][] centres = new double[clusters][3];
        for (double[] c : centres) {
            c[0] = 1000 + random.nextDouble() * (SIDE - 2000);
            c[1] = 1000 + random.nextDouble() * (SIDE - 2000);
            c[2] = 80 + random.nextDouble() * 320;
        }
        for (int i = 0; i < n; i++) {
            double x;
            double y;
            do {
                if (random.nextDouble() < 0.6) {
                    x = random.nextDouble() * SIDE;
                    y = random.nextDouble() * SIDE;
                } else {
                    double[] c = centres[random.nextInt(clusters)];
                    x = c[0] + gaussian(random) * c[2];
                    y = c[1] + gaussian(random) * c[2];
                }
            } while (x <= 0 || y <= 0 || x >= SIDE || y >= SIDE);
            xs[i] = x;
            ys[i] = y;
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** A tessellation of the square into {@code count} Voronoi cells with an edge vertex every 20 m, as real beats. */
    static List<Geometry> polygons(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        GeometryFactory f = new GeometryFactory();
        List<Coordinate> sites = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sites.add(new Coordinate(random.nextDouble() * SIDE, random.nextDouble() * SIDE));
        }
        VoronoiDiagramBuilder builder = new VoronoiDiagramBuilder();
        builder.setSites(sites);
        Envelope square = new Envelope(0, SIDE, 0, SIDE);
        builder.setClipEnvelope(square);
        Geometry diagram = builder.getDiagram(f);
        Geometry clip = f.toGeometry(square);
        List<Geometry> out = new ArrayList<>();
        for (int i = 0; i < diagram.getNumGeometries(); i++) {
            out.add(Densifier.densify(diagram.getGeometryN(i).intersection(clip), 20));
        }
        return out;
    }

    private static String script(Path work, String name) throws IOException {
        Path target = work.resolve(name);
        try (InputStream in = MapBenchmark.class.getResourceAsStream("/bench/" + name)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target.toString();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static Path write(Path file, double[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        Files.write(file, b.array());
        return file;
    }

    private static double[] read(Path file, int count) throws IOException {
        double[] out = new double[count];
        ByteBuffer.wrap(Files.readAllBytes(file))
                .order(ByteOrder.LITTLE_ENDIAN)
                .asDoubleBuffer()
                .get(out);
        return out;
    }
}
