package org.dmiplatform.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A handler's answer: a status, a body to write as JSON (or none) and extra headers. */
record Reply(int status, Object body, List<Map.Entry<String, String>> headers) {
    static Reply ok(Object body) {
        return new Reply(200, body, List.of());
    }

    static Reply created(Object body) {
        return new Reply(201, body, List.of());
    }

    /** A body that is not JSON: a letter as HTML or PDF. */
    record Raw(String contentType, byte[] bytes) {}

    static Reply raw(String contentType, byte[] bytes) {
        return new Reply(200, new Raw(contentType, bytes), List.of());
    }

    static Reply noContent() {
        return new Reply(204, null, List.of());
    }

    Reply withHeader(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new Reply(status, body, more);
    }
}
