package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.Test;

/** The console passes on to the API what Pax Web hands it of the API's paths, and serves its own. */
public class ConsoleServletTest {
    /** A GET as a servlet mapped at {@code /} sees it: the whole path as the servlet path. */
    private static HttpServletRequest get(String path) {
        return (HttpServletRequest) Proxy.newProxyInstance(
                ConsoleServletTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "getMethod":
                            return "GET";
                        case "getServletPath":
                            return path;
                        case "getPathInfo":
                            return null;
                        case "isSecure":
                            return false;
                        case "getProtocol":
                            return "HTTP/1.1";
                        default:
                            return null;
                    }
                });
    }

    /** A response that keeps its status and body. */
    private static final class Kept {
        int status = 200;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        /** As a container would, the writer is flushed when the response is done. */
        final PrintWriter writer = new PrintWriter(body, false, StandardCharsets.UTF_8);

        final HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
                ConsoleServletTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setStatus":
                            status = (Integer) a[0];
                            return null;
                        case "getWriter":
                            return writer;
                        case "getOutputStream":
                            return new ServletOutputStream() {
                                @Override
                                public boolean isReady() {
                                    return true;
                                }

                                @Override
                                public void setWriteListener(WriteListener listener) {}

                                @Override
                                public void write(int b) {
                                    body.write(b);
                                }
                            };
                        default:
                            return null;
                    }
                });
    }

    @Test
    public void anApiRequestHandedToTheConsoleGoesOnToTheApiWithItsPathBelowApiV1() throws Exception {
        List<String> seen = new ArrayList<>();
        HttpServlet api = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                seen.add(req.getMethod() + " " + req.getServletPath() + " " + req.getPathInfo());
                resp.setStatus(200);
            }
        };
        ConsoleServlet console = new ConsoleServlet(() -> null, api);
        Kept health = new Kept();
        console.service(get("/api/v1/health"), health.response);
        Kept bare = new Kept();
        console.service(get("/api/v1"), bare.response);
        assertEquals(List.of("GET /api/v1 /health", "GET /api/v1 null"), seen);

        // its own paths it keeps: a file it does not have is its 404, never the API's
        Kept missing = new Kept();
        console.service(get("/api/v10/health"), missing.response);
        missing.writer.flush();
        assertEquals(404, missing.status);
        assertEquals("Not found. The console is at /.", missing.body.toString(StandardCharsets.UTF_8));
        assertEquals(2, seen.size());
    }
}
