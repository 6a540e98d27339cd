package org.dmiplatform.reporting.standard.internal;

import com.openhtmltopdf.extend.FSObjectDrawer;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.render.DefaultObjectDrawerFactory;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The document as PDF: openhtmltopdf lays the page out (on PDFBox 3), with the bundle's DejaVu Sans embedded (any
 * name, in any script the font covers, prints as typed) and the charts drawn by JFreeChart straight into the page as
 * vector graphics.
 */
final class PdfReport {
    private PdfReport() {}

    static void write(OutcomeDocument.Page page, OutputStream out) throws IOException {
        DefaultObjectDrawerFactory objects = new DefaultObjectDrawerFactory();
        objects.registerDrawer(OutcomeDocument.CHART_OBJECT_TYPE, chartDrawer(page.figures()));
        PdfRendererBuilder builder = new PdfRendererBuilder();
        builder.useFastMode();
        // tagged for screen readers (PDF/UA); it also keeps the renderer from loading the unembedded standard fonts,
        // which sends PDFBox looking through the machine's fonts for substitutes
        builder.usePdfUaAccessibility(true);
        builder.withHtmlContent(page.xhtml(), null);
        builder.useFont(() -> font("DejaVuSans.ttf"), "DejaVu Sans", 400, FontStyle.NORMAL, true);
        builder.useFont(() -> font("DejaVuSans-Bold.ttf"), "DejaVu Sans", 700, FontStyle.NORMAL, true);
        builder.useObjectDrawerFactory(objects);
        builder.withProducer("DMI Platform");
        builder.toStream(out);
        builder.run();
    }

    private static FSObjectDrawer chartDrawer(Map<String, OutcomeCharts.Figure> figures) {
        return (element, x, y, width, height, device, context, dotsPerPixel) -> {
            OutcomeCharts.Figure figure = figures.get(element.getAttribute("data-chart"));
            if (figure != null) {
                float w = (float) width / dotsPerPixel;
                float h = (float) height / dotsPerPixel;
                device.drawWithGraphics(
                        (float) x, (float) y, w, h, g -> figure.chart().draw(g, new Rectangle2D.Float(0, 0, w, h)));
            }
            return null;
        };
    }

    private static java.io.InputStream font(String file) {
        java.io.InputStream in = PdfReport.class.getResourceAsStream("fonts/" + file);
        if (in == null) {
            throw new IllegalStateException("the reporting bundle lacks its font " + file);
        }
        return in;
    }
}
