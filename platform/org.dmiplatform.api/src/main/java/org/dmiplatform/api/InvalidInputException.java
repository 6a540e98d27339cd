package org.dmiplatform.api;

import java.util.List;
import java.util.stream.Collectors;

/** Input was refused; nothing was changed. Carries every problem found, not just the first. */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<InputError> errors;

    public InvalidInputException(List<InputError> errors) {
        super(errors.stream().map(InputError::toString).collect(Collectors.joining("; ")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid input needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(InputError error) {
        this(List.of(error));
    }

    public List<InputError> errors() {
        return errors;
    }
}
