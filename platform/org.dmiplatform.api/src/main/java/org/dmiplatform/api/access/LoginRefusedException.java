package org.dmiplatform.api.access;

/**
 * A log-in was refused. The message is safe to show: it never says whether the user name exists, except that a
 * locked account is reported as locked to the person who knows its password.
 */
public class LoginRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        BAD_CREDENTIALS,
        LOCKED,
        DISABLED,
        THROTTLED
    }

    private final Reason reason;

    public LoginRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
