package org.dmiplatform.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.dmiplatform.api.PlatformHealth;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console: static files from this bundle's {@code console/} folder, served at {@code /} with the same
 * security headers as the API. Everything it shows comes from the API, which checks every request.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("dmi-console")
@HttpWhiteboardServletPattern("/")
public class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /**
     * The console is registered once the platform reports its health, as the API is: a servlet registered while Pax
     * Web 8 is still setting up its default context can be left without one for good ("No matching target context"),
     * which a bundle with no other reference (this one) meets at start on a busy machine.
     */
    @Activate
    public ConsoleServlet(
            @Reference PlatformHealth health,
            @Reference(target = "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=dmi-api)") Servlet api) {
        // the health reference only orders the registration after the platform's
        this.api = api;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);
    private static final String API = "/api/v1";

    /** The REST API's servlet, for the requests Pax Web hands this one by mistake. */
    private final transient Servlet api;

    private final java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * A request for the API that reaches the console goes on to the API. Pax Web 8 at times leaves {@code /api/v1/*}
     * out of Jetty's mapping although it lists the API servlet as registered (seen twice in some sixty starts on a busy
     * two-core machine: every API request then answered the console's 404 until a restart); the console's {@code /}
     * then takes them all.
     */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp)
            throws javax.servlet.ServletException, IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (path.equals(API) || path.startsWith(API + "/")) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("Pax Web left {}/* unmapped: the console passes API requests on to the API", API);
            }
            String below = path.substring(API.length());
            api.service(
                    new javax.servlet.http.HttpServletRequestWrapper(req) {
                        @Override
                        public String getServletPath() {
                            return API;
                        }

                        @Override
                        public String getPathInfo() {
                            return below.isEmpty() ? null : below;
                        }
                    },
                    resp);
            return;
        }
        super.service(req, resp);
    }

    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.(html|js|css|svg|png|ico)");
    /** Leaflet, as its WebJar holds it (the version is the root pom's leaflet.version). */
    private static final String LEAFLET = "/META-INF/resources/webjars/leaflet/1.9.4/dist/";
    /** Chart.js's self-contained build, as its WebJar holds it (the root pom's chartjs.version). */
    private static final String CHART = "/META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.js";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        String name = path.equals("/") || path.isEmpty() ? "index.html" : path.substring(1);
        for (Map.Entry<String, String> header : SecurityHeaders.all(req.isSecure())) {
            resp.setHeader(header.getKey(), header.getValue());
        }
        resp.setHeader("Cache-Control", "no-cache");
        String resource = name.equals("lib/chart.js")
                ? CHART
                : name.startsWith("lib/leaflet.") ? LEAFLET + name.substring("lib/".length()) : "/console/" + name;
        byte[] bytes = FILE.matcher(name).matches() ? file(resource) : null;
        if (bytes == null) {
            resp.setStatus(404);
            resp.setContentType("text/plain; charset=utf-8");
            resp.getWriter().write("Not found. The console is at /.");
            return;
        }
        resp.setContentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /**
     * The console's files, read from the bundle once: they are part of it and never change while it runs. Only files
     * that exist are kept (a name that is not found is looked up again), so the map holds the bundle's files at most.
     */
    private final transient Map<String, byte[]> files = new ConcurrentHashMap<>();

    private byte[] file(String resource) throws IOException {
        byte[] kept = files.get(resource);
        if (kept != null) {
            return kept;
        }
        try (InputStream in = ConsoleServlet.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            files.put(resource, bytes);
            return bytes;
        }
    }
}
