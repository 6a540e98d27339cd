package org.dmiplatform.api;

/** The database cannot be used right now; the request may be retried later. */
public class StorageUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
