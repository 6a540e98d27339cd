package org.dmiplatform.reporting.standard.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.dmiplatform.api.programme.Programme.AreaKind;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.reporting.OutcomeReport;
import org.dmiplatform.api.store.RecordQuery;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * The outcome report's charts, drawn by JFreeChart: the monthly series with the call-in marked, records a month before
 * and after in each area, the segmented regression against its counterfactual, and the map of the three areas. The
 * same chart is drawn as a picture for the HTML page and as vector graphics into the PDF.
 */
final class OutcomeCharts {
    /** The areas' colours, as in the console's map: target red, comparison blue, buffer amber. */
    static final Map<AreaKind, Color> COLOURS = new EnumMap<>(Map.of(
            AreaKind.TARGET, new Color(0xC0392B),
            AreaKind.COMPARISON, new Color(0x2471A3),
            AreaKind.BUFFER, new Color(0xD68910)));

    /** The fonts and the theme, made on first use (and made again after a failure, once the machine is fixed). */
    private record Look(Font regular, StandardChartTheme theme) {}

    private static volatile Look look;

    private OutcomeCharts() {}

    /** A chart with the text a reader without the picture gets, and the size it is drawn at (CSS pixels). */
    record Figure(String id, String caption, JFreeChart chart, int width, int height) {}

    /** The monthly counts of each drawn area, the call-in's day marked; a month is plotted at its first day. */
    static Optional<Figure> series(OutcomeReport report, ZoneId zone) {
        if (report.months().isEmpty()) {
            return Optional.empty();
        }
        TimeSeriesCollection data = new TimeSeriesCollection(java.util.TimeZone.getTimeZone(zone));
        for (AreaKind kind : AreaKind.values()) {
            Function<OutcomeReport.Month, Optional<Long>> count = monthly(kind);
            if (report.months().stream().anyMatch(m -> count.apply(m).isPresent())) {
                TimeSeries series = new TimeSeries(OutcomeDocument.areaName(kind));
                for (OutcomeReport.Month m : report.months()) {
                    count.apply(m).ifPresent(n -> series.add(day(m.month().atDay(1)), n));
                }
                data.addSeries(series);
            }
        }
        JFreeChart chart = org.jfree.chart.ChartFactory.createTimeSeriesChart(
                null, "month", "records a month", data, true, false, false);
        look().theme().apply(chart);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int i = 0;
        for (AreaKind kind : AreaKind.values()) {
            if (i < data.getSeriesCount() && data.getSeriesKey(i).equals(OutcomeDocument.areaName(kind))) {
                renderer.setSeriesPaint(i, COLOURS.get(kind));
                renderer.setSeriesStroke(i, new BasicStroke(2f));
                renderer.setSeriesShape(i, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
                i++;
            }
        }
        plot.setRenderer(renderer);
        report.callIn().ifPresent(day -> plot.addDomainMarker(callInMarker(day, zone)));
        monthAxis((DateAxis) plot.getDomainAxis(), zone, report.months().size());
        integerAxis((NumberAxis) plot.getRangeAxis());
        return Optional.of(new Figure(
                "series",
                "Records a month in each area, " + report.months().get(0).month() + " to "
                        + report.months().get(report.months().size() - 1).month()
                        + "; the line marks the call-in",
                chart,
                680,
                300));
    }

    /** Records a month before and after the call-in in each area: the windows may differ in length. */
    static Optional<Figure> beforeAfter(OutcomeReport report) {
        if (report.areas().isEmpty()
                || report.before().isEmpty()
                || report.after().isEmpty()) {
            return Optional.empty();
        }
        int monthsBefore = report.before().get().months();
        int monthsAfter = report.after().get().months();
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (OutcomeReport.AreaCounts area : report.areas()) {
            String name = OutcomeDocument.areaName(area.area());
            data.addValue((double) area.before() / monthsBefore, "before the call-in", name);
            data.addValue((double) area.after() / monthsAfter, "after the call-in", name);
        }
        JFreeChart chart = org.jfree.chart.ChartFactory.createBarChart(
                null, null, "records a month", data, org.jfree.chart.plot.PlotOrientation.VERTICAL, true, false, false);
        look().theme().apply(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(0x7F8C8D));
        renderer.setSeriesPaint(1, new Color(0x1F618D));
        renderer.setItemMargin(0.05);
        renderer.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator(
                "{2}", new java.text.DecimalFormat("0.#")));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(look().regular().deriveFont(10f));
        CategoryAxis axis = plot.getDomainAxis();
        axis.setCategoryMargin(0.3);
        return Optional.of(new Figure(
                "before-after",
                "Records a month in each area, " + monthsBefore + " month(s) before and " + monthsAfter
                        + " month(s) after the call-in",
                chart,
                520,
                280));
    }

    /** The target area's fitted months: observed, the model, and the model had the call-in changed nothing. */
    static Optional<Figure> regression(OutcomeReport report, ZoneId zone) {
        if (report.timeSeries().isEmpty()) {
            return Optional.empty();
        }
        OutcomeReport.SegmentedRegression ts = report.timeSeries().get();
        TimeSeries observed = new TimeSeries("observed");
        TimeSeries fitted = new TimeSeries("fitted");
        TimeSeries without = new TimeSeries("without the call-in");
        for (OutcomeReport.Fitted f : ts.fitted()) {
            Day day = day(f.month().atDay(1));
            observed.add(day, f.observed());
            fitted.add(day, f.fitted());
            without.add(day, f.withoutCallIn());
        }
        TimeSeriesCollection data = new TimeSeriesCollection(java.util.TimeZone.getTimeZone(zone));
        data.addSeries(observed);
        data.addSeries(fitted);
        data.addSeries(without);
        JFreeChart chart = org.jfree.chart.ChartFactory.createTimeSeriesChart(
                null, "month", "target area: records a month", data, true, false, false);
        look().theme().apply(chart);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        Color target = COLOURS.get(AreaKind.TARGET);
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        renderer.setSeriesPaint(0, target);
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesPaint(1, Color.DARK_GRAY);
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        renderer.setSeriesShapesVisible(2, false);
        renderer.setSeriesPaint(2, Color.GRAY);
        renderer.setSeriesStroke(
                2, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        plot.setRenderer(renderer);
        report.callIn().ifPresent(day -> plot.addDomainMarker(callInMarker(day, zone)));
        monthAxis((DateAxis) plot.getDomainAxis(), zone, ts.fitted().size());
        integerAxis((NumberAxis) plot.getRangeAxis());
        return Optional.of(new Figure(
                "time-series",
                "Segmented Poisson regression of the target area's " + ts.months()
                        + " fitted months: observed, fitted, and the fitted trend had the call-in changed nothing"
                        + " (dashed)",
                chart,
                680,
                300));
    }

    /**
     * The intervention's areas on one map, in kilometres east and north of their common centre (an equirectangular
     * projection at the centre's latitude: over a few kilometres it keeps shapes and distances to a fraction of a
     * percent). Drawn buffer first, then comparison, then target, so the target stays on top.
     */
    static Optional<Figure> areas(Map<AreaKind, List<RecordQuery.Polygon>> areas) {
        if (areas.values().stream().allMatch(List::isEmpty)) {
            return Optional.empty();
        }
        double minLon = Double.MAX_VALUE;
        double maxLon = -Double.MAX_VALUE;
        double minLat = Double.MAX_VALUE;
        double maxLat = -Double.MAX_VALUE;
        for (List<RecordQuery.Polygon> polygons : areas.values()) {
            for (RecordQuery.Polygon p : polygons) {
                for (CrimeRecord.Location l : p.shell()) {
                    minLon = Math.min(minLon, l.longitude());
                    maxLon = Math.max(maxLon, l.longitude());
                    minLat = Math.min(minLat, l.latitude());
                    maxLat = Math.max(maxLat, l.latitude());
                }
            }
        }
        double lon0 = (minLon + maxLon) / 2;
        double lat0 = (minLat + maxLat) / 2;
        double kmPerDegreeLat = 111.32;
        double kmPerDegreeLon = 111.32 * Math.cos(Math.toRadians(lat0));
        Function<CrimeRecord.Location, double[]> project =
                l -> new double[] {(l.longitude() - lon0) * kmPerDegreeLon, (l.latitude() - lat0) * kmPerDegreeLat};
        XYPlot plot = new XYPlot(
                null, new NumberAxis("km east"), new NumberAxis("km north"), new XYLineAndShapeRenderer(false, false));
        LegendItemCollection legend = new LegendItemCollection();
        for (AreaKind kind : List.of(AreaKind.BUFFER, AreaKind.COMPARISON, AreaKind.TARGET)) {
            List<RecordQuery.Polygon> polygons = areas.getOrDefault(kind, List.of());
            if (polygons.isEmpty()) {
                continue;
            }
            Color colour = COLOURS.get(kind);
            Paint fill = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 90);
            for (RecordQuery.Polygon polygon : polygons) {
                Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
                ring(path, polygon.shell(), project);
                polygon.holes().forEach(hole -> ring(path, hole, project));
                plot.addAnnotation(new XYShapeAnnotation(path, new BasicStroke(1.5f), colour, fill));
            }
            legend.add(new LegendItem(
                    OutcomeDocument.areaName(kind), null, null, null, new Rectangle2D.Double(-6, -6, 12, 12), fill));
        }
        plot.setFixedLegendItems(legend);
        // one kilometre the same length across and up: the plot's ranges follow the figure's proportions
        int width = 520;
        int height = 420;
        double halfX = (maxLon - minLon) * kmPerDegreeLon / 2 * 1.1 + 0.05;
        double halfY = (maxLat - minLat) * kmPerDegreeLat / 2 * 1.1 + 0.05;
        double plotRatio = (width - 70.0) / (height - 90.0);
        if (halfX / halfY < plotRatio) {
            halfX = halfY * plotRatio;
        } else {
            halfY = halfX / plotRatio;
        }
        plot.getDomainAxis().setRange(-halfX, halfX);
        plot.getRangeAxis().setRange(-halfY, halfY);
        plot.setDomainGridlinesVisible(true);
        plot.setRangeGridlinesVisible(true);
        JFreeChart chart = new JFreeChart(null, look().regular().deriveFont(12f), plot, true);
        look().theme().apply(chart);
        plot.setFixedLegendItems(legend);
        chart.addSubtitle(new TextTitle(
                String.format(java.util.Locale.ROOT, "centre %.5f, %.5f (latitude, longitude)", lat0, lon0),
                look().regular().deriveFont(10f)));
        return Optional.of(new Figure(
                "areas",
                "Map of the intervention's areas (" + String.join(", ", drawnNames(areas))
                        + "), in kilometres from their common centre",
                chart,
                width,
                height));
    }

    private static List<String> drawnNames(Map<AreaKind, List<RecordQuery.Polygon>> areas) {
        return java.util.Arrays.stream(AreaKind.values())
                .filter(k -> !areas.getOrDefault(k, List.of()).isEmpty())
                .map(OutcomeDocument::areaName)
                .toList();
    }

    private static void ring(
            Path2D.Double path, List<CrimeRecord.Location> ring, Function<CrimeRecord.Location, double[]> project) {
        boolean first = true;
        for (CrimeRecord.Location l : ring) {
            double[] xy = project.apply(l);
            if (first) {
                path.moveTo(xy[0], xy[1]);
                first = false;
            } else {
                path.lineTo(xy[0], xy[1]);
            }
        }
        path.closePath();
    }

    private static Function<OutcomeReport.Month, Optional<Long>> monthly(AreaKind kind) {
        return switch (kind) {
            case TARGET -> OutcomeReport.Month::target;
            case COMPARISON -> OutcomeReport.Month::comparison;
            case BUFFER -> OutcomeReport.Month::buffer;
        };
    }

    private static Day day(LocalDate date) {
        return new Day(date.getDayOfMonth(), date.getMonthValue(), date.getYear());
    }

    private static ValueMarker callInMarker(LocalDate day, ZoneId zone) {
        ValueMarker marker = new ValueMarker(day.atStartOfDay(zone).toInstant().toEpochMilli());
        marker.setPaint(Color.BLACK);
        marker.setStroke(new BasicStroke(1.5f));
        marker.setLabel("call-in " + day);
        marker.setLabelFont(look().regular().deriveFont(10f));
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        return marker;
    }

    /** Ticks on the first of a month in the site's zone, every 1, 3, 6 or 12 months as the span asks. */
    private static void monthAxis(DateAxis axis, ZoneId zone, int months) {
        java.util.TimeZone timeZone = java.util.TimeZone.getTimeZone(zone);
        java.text.SimpleDateFormat format = new java.text.SimpleDateFormat("yyyy-MM", java.util.Locale.ROOT);
        format.setTimeZone(timeZone);
        axis.setTimeZone(timeZone);
        int step = months <= 12 ? 1 : months <= 36 ? 3 : months <= 72 ? 6 : 12;
        axis.setTickUnit(
                new org.jfree.chart.axis.DateTickUnit(org.jfree.chart.axis.DateTickUnitType.MONTH, step, format));
        axis.setTickMarkPosition(org.jfree.chart.axis.DateTickMarkPosition.START);
    }

    private static void integerAxis(NumberAxis axis) {
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setAutoRangeIncludesZero(true);
    }

    /** The bundle's own DejaVu Sans: the charts and the PDF read alike on any machine, whatever fonts it has. */
    private static Font font(String file) {
        try (InputStream in = OutcomeCharts.class.getResourceAsStream("fonts/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the reporting bundle lacks its font " + file);
            }
            return Font.createFont(Font.TRUETYPE_FONT, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (FontFormatException e) {
            throw new IllegalStateException("the reporting bundle's font " + file + " cannot be read", e);
        }
    }

    private static Look look() {
        Look made = look;
        if (made == null) {
            try {
                Font regular = font("DejaVuSans.ttf");
                Font bold = font("DejaVuSans-Bold.ttf");
                made = new Look(regular, theme(regular, bold));
            } catch (LinkageError | java.awt.AWTError e) {
                throw new IllegalStateException(
                        "charts cannot be drawn: Java finds no font support on this machine (on Debian: apt-get"
                                + " install fontconfig)",
                        e);
            }
            look = made;
        }
        return made;
    }

    /** JFreeChart's default look, in the bundle's font, on white. */
    private static StandardChartTheme theme(Font regular, Font bold) {
        StandardChartTheme theme = new StandardChartTheme("DMI");
        theme.setExtraLargeFont(bold.deriveFont(16f));
        theme.setLargeFont(bold.deriveFont(12f));
        theme.setRegularFont(regular.deriveFont(11f));
        theme.setSmallFont(regular.deriveFont(10f));
        theme.setChartBackgroundPaint(Color.WHITE);
        theme.setPlotBackgroundPaint(Color.WHITE);
        theme.setDomainGridlinePaint(new Color(0xDDDDDD));
        theme.setRangeGridlinePaint(new Color(0xDDDDDD));
        theme.setBarPainter(new StandardBarPainter());
        theme.setShadowVisible(false);
        return theme;
    }
}
