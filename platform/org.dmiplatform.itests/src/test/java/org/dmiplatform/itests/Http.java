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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A browser-like API client: keeps the session cookie and sends the CSRF token it got at log-in. Where a log-in asks
 * for the second factor it gives the code, as the account's holder would from their authenticator app: it enrols the
 * accounts that must (administrators at their first log-in) and keeps their secrets for the rest of the run.
 */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The secrets of the authenticator apps this run set up, by user name. */
    private static final Map<String, String> AUTHENTICATORS = new ConcurrentHashMap<>();
    /** The last 30-second step whose code each account used: a code is accepted once. */
    private static final Map<String, Long> LAST_STEPS = new ConcurrentHashMap<>();

    private final HttpClient client;
    private final String base;
    private String csrf = "";

    Http(int port) {
        this(
                "http://127.0.0.1:" + port,
                HttpClient.newBuilder()
                        .cookieHandler(new CookieManager())
                        .connectTimeout(Duration.ofSeconds(5))
                        .build());
    }

    /** Over TLS, trusting the given context's certificates. */
    Http(String base, javax.net.ssl.SSLContext tls) {
        this(
                base,
                HttpClient.newBuilder()
                        .cookieHandler(new CookieManager())
                        .connectTimeout(Duration.ofSeconds(5))
                        .sslContext(tls)
                        .build());
    }

    private Http(String base, HttpClient client) {
        this.base = base;
        this.client = client;
    }

    /** The same user agent, with its cookies and CSRF token, talking to another node on this machine. */
    Http at(int port) {
        Http other = new Http("http://127.0.0.1:" + port, client);
        other.csrf = csrf;
        return other;
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
        if (r.status() == 202) {
            r = secondFactor(username, r.json());
        }
        if (r.status() == 200) {
            csrf = r.json().get("csrfToken").asText();
        }
        return r;
    }

    /** The log-in's second step: enrols first where the account must, then gives an unused code. */
    private Response secondFactor(String username, JsonNode request) {
        String token = quote(request.get("token").asText());
        if (request.get("enrolmentRequired").asBoolean()) {
            Response enrolment = post("/api/v1/session/second-factor/enrolment", "{\"token\":" + token + "}");
            if (enrolment.status() != 200) {
                return enrolment;
            }
            AUTHENTICATORS.put(username, enrolment.json().get("secret").asText());
            LAST_STEPS.remove(username);
        }
        String secret = AUTHENTICATORS.get(username);
        if (secret == null) {
            throw new AssertionError(username + " has a second factor that this run did not set up");
        }
        return post(
                "/api/v1/session/second-factor",
                "{\"token\":" + token + ",\"code\":" + quote(code(username, secret)) + "}");
    }

    /**
     * A code the account has not used: the current step's, else the next one's (accepted a step early); a third log-in
     * within the same 30 s waits for the next step.
     */
    static String code(String username, String secret) {
        synchronized (LAST_STEPS) {
            long step = Math.max(step(), LAST_STEPS.getOrDefault(username, Long.MIN_VALUE) + 1);
            while (step > step() + 1) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            LAST_STEPS.put(username, step);
            return authenticatorCode(secret, step);
        }
    }

    /**
     * The code an authenticator app shows (RFC 6238: HMAC-SHA1 of the 30-second step, six digits), computed here
     * independently of the platform's library, as a phone would; the Pax Exam tests run inside the platform, where
     * the library is the core bundle's own.
     */
    static String authenticatorCode(String base32Secret, long step) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(base32(base32Secret), "HmacSHA1"));
            byte[] hash =
                    mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24)
                    | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8)
                    | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 4648 base32, as authenticator secrets are written (padding and spaces ignored). */
    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            int value = alphabet.indexOf(c);
            if (value < 0) {
                continue;
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    private static long step() {
        return System.currentTimeMillis() / 30_000;
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
                // UP, and serving more than its health: the first administrator is there (until then, 503)
                Response served = r.status() == 200 ? get("/api/v1/sites") : r;
                if (served.status() != 503 && r.status() == 200) {
                    return;
                }
                last = served.body();
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
