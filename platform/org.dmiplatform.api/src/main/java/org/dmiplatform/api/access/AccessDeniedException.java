package org.dmiplatform.api.access;

/** The caller's roles do not allow what was asked; nothing was done. */
public class AccessDeniedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(message);
    }
}
