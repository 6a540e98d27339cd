package org.dmiplatform.mapping.jts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.mapping.PrintRequest;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;

/**
 * A printable map (PNG) drawn with Java 2D: the chosen layers as the base map (no outside tiles), hot-spot cells
 * shaded, the areas outlined, a title, legend, scale bar and north arrow. Longitude is scaled by the cosine of the
 * map's middle latitude, so shapes keep their proportions.
 */
final class MapPrinter {
    private static final Color[] AREA_COLOURS = {
        new Color(0xC0392B), new Color(0x1F618D), new Color(0xD68910), new Color(0x7D3C98), new Color(0x117A65)
    };

    private MapPrinter() {}

    static byte[] print(
            Site site,
            PrintRequest request,
            List<LayerStore.Loaded> layers,
            String hotSpots,
            java.time.LocalDate printed) {
        int w = request.widthPixels();
        int h = request.heightPixels();
        if (w < 400 || w > 4000 || h < 300 || h > 4000) {
            throw new InvalidInputException(
                    InputError.of("query", "size", "width must be 400-4000 and height 300-4000 pixels"));
        }
        List<Geometry> areas = new ArrayList<>();
        for (PrintRequest.NamedArea area : request.areas()) {
            try {
                LayerReader.Read read = LayerReader.read(
                        area.label() + ".geojson",
                        new ByteArrayInputStream(
                                ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
                                                + "\"geometry\":" + geometryOf(area.geoJson()) + "}]}")
                                        .getBytes(StandardCharsets.UTF_8)),
                        null);
                areas.add(read.shapes().get(0).geometry());
            } catch (RuntimeException e) {
                throw new InvalidInputException(InputError.of("areas", area.label(), "is not a GeoJSON polygon"));
            }
        }
        JsonNode cells = null;
        if (hotSpots != null) {
            try {
                cells = Analysis.JSON.readTree(hotSpots).path("features");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Envelope view = new Envelope();
        for (LayerStore.Loaded l : layers) {
            for (Shape s : l.shapes()) {
                view.expandToInclude(s.geometry().getEnvelopeInternal());
            }
        }
        for (Geometry a : areas) {
            view.expandToInclude(a.getEnvelopeInternal());
        }
        if (view.isNull() && site.bounds().isPresent()) {
            Site.Bounds b = site.bounds().get();
            view = new Envelope(b.west(), b.east(), b.south(), b.north());
        }
        if (view.isNull()) {
            throw new InvalidInputException(InputError.of("query", "layers", "name a layer or an area to print"));
        }
        if (!areas.isEmpty() && !layers.isEmpty()) {
            // frame the areas with some of their surroundings, not the whole city
            Envelope focus = new Envelope();
            areas.forEach(a -> focus.expandToInclude(a.getEnvelopeInternal()));
            focus.expandBy(Math.max(focus.getWidth(), focus.getHeight()) * 0.6);
            view = focus;
        }
        view.expandBy(Math.max(view.getWidth(), view.getHeight()) * 0.03);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int top = 56;
        int legendWidth = 230;
        Frame frame = new Frame(view, 12, top, w - legendWidth - 24, h - top - 12);
        g.setClip(12, top, w - legendWidth - 24, h - top - 12);
        g.setColor(new Color(0xF4F6F6));
        g.fillRect(12, top, w - legendWidth - 24, h - top - 12);
        for (LayerStore.Loaded l : layers) {
            for (Shape s : l.shapes()) {
                Path2D path = frame.path(s.geometry());
                g.setColor(new Color(0xFDFEFE));
                g.fill(path);
                g.setColor(new Color(0x909497));
                g.setStroke(new BasicStroke(0.8f));
                g.draw(path);
            }
        }
        if (cells != null) {
            double most = 1;
            for (JsonNode cell : cells) {
                most = Math.max(most, cell.path("properties").path("count").asDouble(0));
            }
            for (JsonNode cell : cells) {
                JsonNode p = cell.path("properties");
                String call = p.path("call").asText("");
                double share = p.path("share").asDouble(-1);
                Color c;
                if (call.equals("hot")) {
                    c = new Color(214, 48, 39, 150);
                } else if (call.equals("cold")) {
                    c = new Color(69, 117, 180, 150);
                } else if (share >= 0) {
                    c = new Color(214, 48, 39, (int) Math.round(30 + 170 * share));
                } else if (call.isEmpty() && p.path("count").asDouble(0) > 0) {
                    // grid counts: darker the more records
                    c = new Color(125, 60, 152, (int)
                            Math.round(40 + 180 * p.path("count").asDouble() / most));
                } else {
                    c = null;
                }
                if (c == null) {
                    continue;
                }
                Geometry geometry = geometry(cell.path("geometry"));
                if (geometry != null) {
                    g.setColor(c);
                    g.fill(frame.path(geometry));
                }
            }
        }
        for (int i = 0; i < areas.size(); i++) {
            Color c = AREA_COLOURS[i % AREA_COLOURS.length];
            Path2D path = frame.path(areas.get(i));
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 40));
            g.fill(path);
            g.setColor(c);
            g.setStroke(
                    i == 0
                            ? new BasicStroke(3f)
                            : new BasicStroke(
                                    2.5f,
                                    BasicStroke.CAP_BUTT,
                                    BasicStroke.JOIN_MITER,
                                    10f,
                                    new float[] {10f, 6f},
                                    0f));
            g.draw(path);
        }
        g.setClip(null);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(12, top, w - legendWidth - 24, h - top - 12);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        g.drawString(request.title().isBlank() ? site.name() : request.title(), 12, 34);
        legend(g, w - legendWidth, top, request, layers, cells != null, printed);
        scaleBar(g, frame, 24, h - 28);
        north(g, w - legendWidth - 44, top + 14);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String geometryOf(String geoJson) {
        try {
            JsonNode node = Analysis.JSON.readTree(geoJson);
            if (node.path("type").asText().equals("Feature")) {
                node = node.path("geometry");
            }
            return node.toString();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Geometry geometry(JsonNode node) {
        try {
            LayerReader.Read read = LayerReader.read(
                    "cell.geojson",
                    new ByteArrayInputStream(
                            ("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
                                            + node + "}]}")
                                    .getBytes(StandardCharsets.UTF_8)),
                    null);
            return read.shapes().isEmpty() ? null : read.shapes().get(0).geometry();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void legend(
            Graphics2D g,
            int x,
            int y,
            PrintRequest request,
            List<LayerStore.Loaded> layers,
            boolean hot,
            java.time.LocalDate printed) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString("Legend", x, y + 14);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int line = y + 38;
        for (int i = 0; i < request.areas().size(); i++) {
            Color c = AREA_COLOURS[i % AREA_COLOURS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(3f));
            g.drawRect(x, line - 11, 22, 12);
            g.setColor(Color.BLACK);
            g.drawString(request.areas().get(i).label(), x + 30, line);
            line += 22;
        }
        if (hot) {
            g.setColor(new Color(214, 48, 39, 150));
            g.fillRect(x, line - 11, 22, 12);
            g.setColor(Color.BLACK);
            g.drawString(
                    request.hotSpots()
                            .map(h -> switch (h.method()) {
                                case DENSITY -> "Density of records";
                                case GI_STAR -> "Hot spot (Gi*, FDR " + h.alpha() + ")";
                                default -> "Cells with records";
                            })
                            .orElse(""),
                    x + 30,
                    line);
            line += 22;
        }
        for (LayerStore.Loaded l : layers) {
            g.setColor(new Color(0x909497));
            g.setStroke(new BasicStroke(1f));
            g.drawRect(x, line - 11, 22, 12);
            g.setColor(Color.BLACK);
            g.drawString(l.layer().label(), x + 30, line);
            line += 22;
        }
        g.setColor(Color.GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("Printed " + printed, x, line + 10);
    }

    private static void scaleBar(Graphics2D g, Frame frame, int x, int y) {
        double metresPerPixel = frame.metresPerPixel();
        double target = metresPerPixel * 150;
        double nice = Math.pow(10, Math.floor(Math.log10(target)));
        for (double m : new double[] {5, 2, 1}) {
            if (nice * m <= target) {
                nice *= m;
                break;
            }
        }
        int px = (int) Math.round(nice / metresPerPixel);
        g.setColor(Color.WHITE);
        g.fillRect(x - 4, y - 16, px + 70, 24);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(2f));
        g.drawLine(x, y, x + px, y);
        g.drawLine(x, y - 5, x, y + 3);
        g.drawLine(x + px, y - 5, x + px, y + 3);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(
                nice >= 1000
                        ? String.format(Locale.ROOT, "%.0f km", nice / 1000)
                        : String.format(Locale.ROOT, "%.0f m", nice),
                x + px + 6,
                y + 4);
    }

    private static void north(Graphics2D g, int x, int y) {
        g.setColor(Color.BLACK);
        g.fillPolygon(new int[] {x, x - 8, x + 8}, new int[] {y, y + 20, y + 20}, 3);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString("N", x - 4, y + 34);
    }

    /** Longitude/latitude to pixels, proportions kept. */
    private static final class Frame {
        final double scale;
        final double lonScale;
        final double left;
        final double top;
        final Envelope view;

        Frame(Envelope view, int x, int y, int width, int height) {
            this.view = view;
            this.lonScale = Math.cos(Math.toRadians(view.centre().y));
            double sx = width / (view.getWidth() * lonScale);
            double sy = height / view.getHeight();
            this.scale = Math.min(sx, sy);
            this.left = x + (width - view.getWidth() * lonScale * scale) / 2;
            this.top = y + (height - view.getHeight() * scale) / 2;
        }

        double px(double lon) {
            return left + (lon - view.getMinX()) * lonScale * scale;
        }

        double py(double lat) {
            return top + (view.getMaxY() - lat) * scale;
        }

        double metresPerPixel() {
            return 111_320.0 / scale;
        }

        Path2D path(Geometry geometry) {
            Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
            for (int i = 0; i < geometry.getNumGeometries(); i++) {
                Polygon p = (Polygon) geometry.getGeometryN(i);
                ring(path, p.getExteriorRing().getCoordinates());
                for (int k = 0; k < p.getNumInteriorRing(); k++) {
                    ring(path, p.getInteriorRingN(k).getCoordinates());
                }
            }
            return path;
        }

        private void ring(Path2D.Double path, org.locationtech.jts.geom.Coordinate[] cs) {
            for (int i = 0; i < cs.length; i++) {
                if (i == 0) {
                    path.moveTo(px(cs[i].x), py(cs[i].y));
                } else {
                    path.lineTo(px(cs[i].x), py(cs[i].y));
                }
            }
            path.closePath();
        }
    }
}
