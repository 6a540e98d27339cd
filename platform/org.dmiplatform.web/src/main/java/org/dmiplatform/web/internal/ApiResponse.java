package org.dmiplatform.web.internal;

import java.util.List;
import java.util.Map;

/** What the API answers: a status, headers (some repeated, such as Set-Cookie) and a body. */
record ApiResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    String header(String name) {
        return headers.stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }
}
