package org.dmiplatform.web.internal;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the API sees it, apart from the servlet API so it can be built in a test.
 *
 * @param method upper-case HTTP method
 * @param path the path below {@code /api/v1}, starting with {@code /}
 * @param query query parameters
 * @param headers header values by lower-case name
 * @param cookies cookie values by name
 * @param remoteAddress the client's address
 * @param secure true over TLS
 * @param body the request body (read at most up to the limit)
 */
record ApiRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, String> headers,
        Map<String, String> cookies,
        String remoteAddress,
        boolean secure,
        InputStream body) {

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
