package org.dmiplatform.api;

import java.util.Objects;

/**
 * One problem with input from outside: where it is and why it was refused.
 *
 * @param source the file, upload or request body the input came from
 * @param line 1-based line number, or 0 when the input has no lines
 * @param field the field, column or property at fault (empty when the whole input is at fault)
 * @param reason why, in words a user can act on
 */
public record InputError(String source, int line, String field, String reason) {
    public InputError {
        source = Objects.requireNonNullElse(source, "");
        field = Objects.requireNonNullElse(field, "");
        Objects.requireNonNull(reason, "reason");
    }

    public static InputError of(String source, String field, String reason) {
        return new InputError(source, 0, field, reason);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(source);
        if (line > 0) {
            out.append(", line ").append(line);
        }
        if (!field.isEmpty()) {
            out.append(", field '").append(field).append('\'');
        }
        return out.append(": ").append(reason).toString();
    }
}
