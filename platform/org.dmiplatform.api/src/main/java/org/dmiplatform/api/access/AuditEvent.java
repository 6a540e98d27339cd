package org.dmiplatform.api.access;

import java.util.Objects;

/**
 * Something to write to the audit log. Never put a secret or treatment content in {@code detail}.
 *
 * @param actor user name, or {@code -} when nobody is logged in
 * @param site the site the action concerns, or empty
 * @param action what was attempted, e.g. {@code login}, {@code user.create}, {@code site.read}
 * @param target what it was attempted on, e.g. {@code user:12}
 * @param from the client address
 * @param outcome how it ended
 * @param detail a short reason, safe to keep
 */
public record AuditEvent(
        String actor, String site, String action, String target, String from, AuditOutcome outcome, String detail) {
    public AuditEvent {
        actor = Objects.requireNonNullElse(actor, "-");
        site = Objects.requireNonNullElse(site, "");
        Objects.requireNonNull(action, "action");
        target = Objects.requireNonNullElse(target, "");
        from = Objects.requireNonNullElse(from, "");
        Objects.requireNonNull(outcome, "outcome");
        detail = Objects.requireNonNullElse(detail, "");
    }
}
