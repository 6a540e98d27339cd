package org.dmiplatform.core.internal.programme;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;

/** Collects every problem with an input, then refuses once, naming each field. */
final class Check {
    private final String source;
    private final List<InputError> errors = new ArrayList<>();

    Check(String source) {
        this.source = source;
    }

    /** Required text, stripped, at most {@code max} characters. */
    String text(String field, String value, int max) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            errors.add(InputError.of(source, field, "is required"));
        } else if (v.length() > max) {
            errors.add(InputError.of(source, field, "must be at most " + max + " characters"));
        }
        return v;
    }

    /** Optional text: empty when absent. */
    String optional(String field, String value, int max) {
        String v = value == null ? "" : value.strip();
        if (v.length() > max) {
            errors.add(InputError.of(source, field, "must be at most " + max + " characters"));
        }
        return v;
    }

    <T> T required(String field, T value) {
        if (value == null || (value instanceof Optional<?> o && o.isEmpty())) {
            errors.add(InputError.of(source, field, "is required"));
        }
        return value;
    }

    void fail(String field, String reason) {
        errors.add(InputError.of(source, field, reason));
    }

    /** A problem found elsewhere, with its own line. */
    void fail(InputError error) {
        errors.add(error);
    }

    boolean failed() {
        return !errors.isEmpty();
    }

    void done() {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
