package org.dmiplatform.web.internal;

import java.util.List;
import java.util.Map;

/** Headers every response carries (ASVS 14.4): no sniffing, no framing, no referrer, a strict CSP. */
final class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    static List<Map.Entry<String, String>> all(boolean secure) {
        List<Map.Entry<String, String>> headers = new java.util.ArrayList<>(List.of(
                Map.entry("Content-Security-Policy", CSP),
                Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("X-Frame-Options", "DENY"),
                Map.entry("Referrer-Policy", "no-referrer"),
                Map.entry("Cross-Origin-Opener-Policy", "same-origin"),
                Map.entry("Permissions-Policy", "camera=(), microphone=(), payment=()")));
        if (secure) {
            headers.add(Map.entry("Strict-Transport-Security", "max-age=31536000"));
        }
        return headers;
    }
}
