package org.dmiplatform.api;

import java.util.Optional;

/** Something the programme names by a short id, such as a role ({@code site-admin}) or a status ({@code done}). */
public interface Identified {
    String id();

    /** The constant of {@code type} with this id. */
    static <E extends Enum<E> & Identified> Optional<E> byId(Class<E> type, String id) {
        for (E constant : type.getEnumConstants()) {
            if (constant.id().equals(id)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}
