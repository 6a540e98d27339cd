package org.dmiplatform.reporting.standard.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.programme.Programme.AreaKind;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord.Location;
import org.dmiplatform.api.reporting.OutcomeReport;
import org.dmiplatform.api.store.RecordQuery.Polygon;
import org.jfree.chart.plot.XYPlot;
import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The outcome report as a page and a PDF: the report's figures, its charts, its areas, and nothing run or lost. */
public class OutcomeDocumentTest {
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    private static final Site SITE =
            new Site("chicago", "Chicago", "Chicago, IL", CHICAGO, List.of(), "demo", List.of(), Optional.empty());
    private static final LocalDate CALL_IN = LocalDate.of(2024, 6, 12);
    /** A name the standard PDF fonts cannot print, with markup that must stay text. */
    private static final String NAME = "Quartier Nguyễn Trãi <script>alert(1)</script> & \"Ngô\"";

    /** Counts that vary from month to month (fixed seed), halved in the target after the call-in. */
    private static OutcomeReport fullReport() {
        Random random = new Random(20261130);
        Map<AreaKind, Evaluation.Counts> drawn = new EnumMap<>(AreaKind.class);
        for (AreaKind kind : AreaKind.values()) {
            Map<YearMonth, Map<Category, Long>> before = new TreeMap<>();
            Map<YearMonth, Map<Category, Long>> after = new TreeMap<>();
            for (YearMonth m = YearMonth.of(2023, 6); !m.isAfter(YearMonth.of(2025, 6)); m = m.plusMonths(1)) {
                boolean isAfter = !m.isBefore(YearMonth.from(CALL_IN));
                long level = kind == AreaKind.TARGET && isAfter ? 15 : 30;
                long drugs = level + random.nextInt(9) - 4;
                long weapons = 2 + random.nextInt(3);
                Map<Category, Long> month = new EnumMap<>(Map.of(Category.DRUG, drugs, Category.WEAPONS, weapons));
                if (m.equals(YearMonth.from(CALL_IN))) {
                    // the call-in month is split at the day: a part in each window
                    before.put(m, new EnumMap<>(Map.of(Category.DRUG, drugs / 2)));
                    after.put(m, new EnumMap<>(Map.of(Category.DRUG, drugs - drugs / 2)));
                } else {
                    (isAfter ? after : before).put(m, month);
                }
            }
            drawn.put(kind, new Evaluation.Counts(before, after));
        }
        return Evaluation.evaluate(7, NAME, CALL_IN, 12, 12, drawn, List.of(), LocalDate.of(2026, 11, 30));
    }

    private static Map<AreaKind, List<Polygon>> outlines() {
        Map<AreaKind, List<Polygon>> areas = new EnumMap<>(AreaKind.class);
        areas.put(AreaKind.TARGET, List.of(square(-87.70, 41.88, 0.01)));
        // the buffer: a ring with the target as its hole
        Polygon ring = new Polygon(
                square(-87.71, 41.87, 0.03).shell(),
                List.of(square(-87.70, 41.88, 0.01).shell()));
        areas.put(AreaKind.BUFFER, List.of(ring));
        areas.put(AreaKind.COMPARISON, List.of(square(-87.65, 41.90, 0.012), square(-87.62, 41.91, 0.008)));
        return areas;
    }

    private static Polygon square(double lon, double lat, double size) {
        return new Polygon(
                List.of(
                        new Location(lon, lat),
                        new Location(lon + size, lat),
                        new Location(lon + size, lat + size),
                        new Location(lon, lat + size),
                        new Location(lon, lat)),
                List.of());
    }

    private static final Instant MADE = Instant.parse("2026-11-30T03:30:00Z");

    @Test
    public void theHtmlPageCarriesTheReportsFiguresAndChartsAndRunsNothing() throws Exception {
        OutcomeReport r = fullReport();
        assertTrue(r.notComputed().toString(), r.notComputed().isEmpty());
        assertTrue(r.timeSeries().isPresent() && r.rateRatio().isPresent());
        String html = OutcomeDocument.write(SITE, r, outlines(), MADE, OutcomeDocument.Charts.PICTURES)
                .xhtml();
        // well-formed XHTML (the PDF renderer parses the same text as XML)
        Document dom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, dom.getElementsByTagName("script").getLength());
        assertFalse(html.contains("<script>alert"));
        assertTrue(html.contains("Quartier Nguyễn Trãi &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ngô&quot;"));
        // made in the site's time zone: 03:30 UTC is 21:30 the evening before in Chicago
        assertTrue(html, html.contains("Made 2026-11-29 21:30 (America/Chicago)"));
        // four charts, each a PNG drawn at twice its size, with a text for readers who cannot see it
        NodeList images = dom.getElementsByTagName("img");
        assertEquals(4, images.getLength());
        List<String> alts = new ArrayList<>();
        for (int i = 0; i < images.getLength(); i++) {
            org.w3c.dom.Element img = (org.w3c.dom.Element) images.item(i);
            String src = img.getAttribute("src");
            assertTrue(src.startsWith("data:image/png;base64,"));
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()))));
            assertNotNull(png);
            assertEquals(2 * Integer.parseInt(img.getAttribute("width")), png.getWidth());
            alts.add(img.getAttribute("alt"));
        }
        assertTrue(
                alts.toString(),
                alts.get(0).startsWith("Map of the intervention's areas (target, comparison, buffer)"));
        // the figures are the report's, as people read them
        OutcomeReport.RateRatio ratio = r.rateRatio().orElseThrow();
        assertTrue(html.contains("rate ratio " + OutcomeDocument.num(ratio.ratio()) + " (95% CI "
                + OutcomeDocument.num(ratio.low()) + " to " + OutcomeDocument.num(ratio.high()) + ")"));
        OutcomeReport.AreaCounts target = r.areas().get(0);
        assertTrue(html.contains("The target area: " + target.before() + " records before, " + target.after()
                + " after, " + OutcomeDocument.percent(target.percentChange().orElseThrow()) + " a month."));
        assertTrue(html.contains(
                OutcomeDocument.num(r.timeSeries().orElseThrow().levelChange().rateRatio())));
        // every month in the table, with its three counts
        assertEquals(r.months().size(), count(html, "<tr><td>20\\d\\d-\\d\\d</td>"));
        OutcomeReport.Month first = r.months().get(0);
        assertTrue(html.contains("<tr><td>" + first.month() + "</td><td>before</td><td class=\"n\">"
                + first.target().orElseThrow() + "</td>"));
    }

    @Test
    public void thePdfIsTheSameDocumentInTheBundlesFontWithVectorCharts() throws Exception {
        OutcomeReport r = fullReport();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PdfReport.write(OutcomeDocument.write(SITE, r, outlines(), MADE, OutcomeDocument.Charts.DRAWINGS), out);
        try (PDDocument pdf = Loader.loadPDF(out.toByteArray())) {
            assertTrue(pdf.getNumberOfPages() >= 2);
            String text = new PDFTextStripper().getText(pdf).replaceAll("\\s+", " ");
            // printed as typed: the standard fonts would have turned ễ and ã into '#'
            assertTrue(text, text.contains("Outcome evaluation: Quartier Nguyễn Trãi <script>alert(1)</script>"));
            OutcomeReport.RateRatio ratio = r.rateRatio().orElseThrow();
            assertTrue(text.contains(OutcomeDocument.num(ratio.ratio())));
            assertTrue(text, text.contains("page 1 of " + pdf.getNumberOfPages()));
            // the font is the bundle's, embedded; no picture: the charts are drawn as vectors
            List<String> fonts = new ArrayList<>();
            int pictures = 0;
            int charts = 0;
            for (var page : pdf.getPages()) {
                pictures += resources(page.getResources(), fonts);
                for (var name : page.getResources().getXObjectNames()) {
                    if (page.getResources().getXObject(name) instanceof PDFormXObject chart) {
                        charts++;
                        pictures += resources(chart.getResources(), fonts);
                    }
                }
            }
            // the charts' text too is in the bundle's font
            assertTrue(fonts.toString(), !fonts.isEmpty() && fonts.stream().allMatch(f -> f.contains("DejaVuSans")));
            assertEquals(0, pictures);
            assertEquals(4, charts);
            assertEquals(
                    "Outcome evaluation: " + NAME, pdf.getDocumentInformation().getTitle());
        }
    }

    @Test
    public void aReportWithNothingToShowSaysWhatIsMissingAndStillPrints() throws Exception {
        OutcomeReport nothing =
                OutcomeReport.nothing(3, "Eastside\u0007", List.of("everything: the call-in has no date yet"));
        String html = OutcomeDocument.write(
                        SITE, nothing, new EnumMap<>(AreaKind.class), MADE, OutcomeDocument.Charts.PICTURES)
                .xhtml();
        assertTrue(html.contains("Missing, or not computed"));
        assertTrue(html.contains("everything: the call-in has no date yet"));
        assertFalse(html.contains("<img"));
        assertFalse(html.contains("NaN") || html.contains("Infinity"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PdfReport.write(
                OutcomeDocument.write(
                        SITE, nothing, new EnumMap<>(AreaKind.class), MADE, OutcomeDocument.Charts.DRAWINGS),
                out);
        try (PDDocument pdf = Loader.loadPDF(out.toByteArray())) {
            assertTrue(new PDFTextStripper().getText(pdf).contains("the call-in has no date yet"));
        }
    }

    @Test
    public void whatXmlCannotCarryIsAShownAsASpaceAndNoFigureReadsNaN() throws Exception {
        // a lone surrogate and a control character, as a paste from elsewhere can bring
        assertEquals("a b c &lt;&amp;&gt; 𝄞", OutcomeDocument.esc("a\uD800b\u0001c <&> \uD834\uDD1E"));
        assertEquals("–", OutcomeDocument.num(Double.NaN));
        assertEquals("–", OutcomeDocument.num(Double.POSITIVE_INFINITY));
        assertEquals("–", OutcomeDocument.percent(Double.NaN));
        OutcomeReport r = fullReport();
        OutcomeReport odd = new OutcomeReport(
                r.intervention(),
                "Corner \uDC00 market",
                r.callIn(),
                r.before(),
                r.after(),
                r.areas(),
                r.rateRatio(),
                r.displacementQuotient(),
                r.displacementDifference(),
                r.months(),
                r.timeSeries(),
                List.of("a note with a lone \uD800 surrogate"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PdfReport.write(OutcomeDocument.write(SITE, odd, outlines(), MADE, OutcomeDocument.Charts.DRAWINGS), out);
        try (PDDocument pdf = Loader.loadPDF(out.toByteArray())) {
            String text = new PDFTextStripper().getText(pdf).replaceAll("\\s+", " ");
            assertTrue(text, text.contains("Outcome evaluation: Corner market"));
            assertTrue(text, text.contains("a note with a lone surrogate"));
        }
    }

    @Test
    public void theMapKeepsAKilometreTheSameLengthAcrossAndUp() {
        OutcomeCharts.Figure map = OutcomeCharts.areas(outlines()).orElseThrow();
        XYPlot plot = map.chart().getXYPlot();
        // buffer (1 ring with its hole), comparison (2), target (1), drawn in that order
        assertEquals(4, plot.getAnnotations().size());
        assertEquals(3, plot.getFixedLegendItems().getItemCount());
        assertEquals("buffer", plot.getFixedLegendItems().get(0).getLabel());
        assertEquals("target", plot.getFixedLegendItems().get(2).getLabel());
        // draw it and measure the target square (0.01° on each side at 41.88° N: 0.745 km across, 1.113 km up)
        BufferedImage image = map.chart().createBufferedImage(map.width(), map.height());
        int[] box = extent(image, OutcomeCharts.COLOURS.get(AreaKind.TARGET).getRGB());
        double across = box[1] - box[0];
        double up = box[3] - box[2];
        double expected = (0.01 * Math.cos(Math.toRadians(41.885))) / 0.01;
        assertEquals(expected, across / up, 0.04);
    }

    /** Adds the fonts of these resources to the list (embedded or not), and counts their pictures. */
    private static int resources(PDResources resources, List<String> fonts) throws java.io.IOException {
        int pictures = 0;
        for (var name : resources.getFontNames()) {
            PDFont font = resources.getFont(name);
            fonts.add(font.getName() + (font.isEmbedded() ? "" : " (not embedded)"));
        }
        for (var name : resources.getXObjectNames()) {
            if (resources.isImageXObject(name)) {
                pictures++;
            }
        }
        return pictures;
    }

    /** The pixel box of a colour's outline: min x, max x, min y, max y. */
    private static int[] extent(BufferedImage image, int rgb) {
        int[] box = {Integer.MAX_VALUE, -1, Integer.MAX_VALUE, -1};
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) {
                    box[0] = Math.min(box[0], x);
                    box[1] = Math.max(box[1], x);
                    box[2] = Math.min(box[2], y);
                    box[3] = Math.max(box[3], y);
                }
            }
        }
        return box;
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
