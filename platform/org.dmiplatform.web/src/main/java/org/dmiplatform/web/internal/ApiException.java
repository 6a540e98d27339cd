package org.dmiplatform.web.internal;

import java.util.List;
import org.dmiplatform.api.InputError;

/** A request refused with a given status; becomes a problem body. */
class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;
    private final transient List<InputError> errors;
    /** Written to the audit log as a denial. */
    private final boolean denial;

    ApiException(int status, String title, String detail, List<InputError> errors, boolean denial) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.denial = denial;
    }

    static ApiException badRequest(String detail, List<InputError> errors) {
        return new ApiException(400, "Bad request", detail, errors, false);
    }

    static ApiException notLoggedIn() {
        // audited: an anonymous request for what needs a log-in is a refusal like any other
        return new ApiException(401, "Not logged in", "Log in first: POST /api/v1/session.", List.of(), true);
    }

    static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail, List.of(), true);
    }

    /** Also used for things that exist but the user may not see, so their existence does not leak. */
    static ApiException notFound(String detail, boolean denial) {
        return new ApiException(404, "Not found", detail, List.of(), denial);
    }

    int status() {
        return status;
    }

    String title() {
        return title;
    }

    List<InputError> errors() {
        return errors;
    }

    boolean denial() {
        return denial;
    }

    /** Headers the refusal needs, such as Allow on a 405. */
    List<java.util.Map.Entry<String, String>> headers() {
        return List.of();
    }
}
