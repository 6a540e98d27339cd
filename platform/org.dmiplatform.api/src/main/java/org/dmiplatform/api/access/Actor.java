package org.dmiplatform.api.access;

import java.util.Objects;

/**
 * Who is acting and from where, for the audit log.
 *
 * @param name the user name, or {@code system} for the platform itself
 * @param from the client address, or {@code shell} / {@code local}
 */
public record Actor(String name, String from) {
    public static final Actor SYSTEM = new Actor("system", "local");

    public Actor {
        Objects.requireNonNull(name, "name");
        from = Objects.requireNonNullElse(from, "");
    }
}
