package org.dmiplatform.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A browser-like API client: keeps the session cookie and sends the CSRF token it got at log-in. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private String csrf = "";

    Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Response logIn(String username, String password) {
        Response r = send(
                "POST",
                "/api/v1/session",
                "{\"username\":" + quote(username) + ",\"password\":" + quote(password) + "}",
                "application/json");
        if (r.status() == 200) {
            csrf = r.json().get("csrfToken").asText();
        }
        return r;
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    Response post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    Response send(String method, String path, String body, String contentType) {
        return exchange(
                method,
                path,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body),
                contentType);
    }

    /** A file's bytes as the body (a zipped shapefile). */
    Response sendBytes(String method, String path, byte[] body, String contentType) {
        return exchange(method, path, HttpRequest.BodyPublishers.ofByteArray(body), contentType);
    }

    private Response exchange(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (!csrf.isEmpty()) {
            request.header("X-CSRF-Token", csrf);
        }
        request.method(method, body);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A body that is not text (a zip). */
    byte[] getBytes(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the health answers UP. */
    void awaitUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                Response r = get("/api/v1/health");
                if (r.status() == 200) {
                    return;
                }
                last = r.body();
            } catch (UncheckedIOException notYet) {
                last = notYet.getMessage();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("not UP within " + timeout + ": " + last);
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
