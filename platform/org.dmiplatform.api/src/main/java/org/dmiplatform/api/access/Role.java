package org.dmiplatform.api.access;

import java.util.Optional;
import org.dmiplatform.api.Identified;

/**
 * What a user does in the programme. The two TTA roles span every site; the others are held at one site.
 */
public enum Role implements Identified {
    TTA_ADMIN("tta-admin", true),
    TTA_STAFF("tta-staff", true),
    SITE_ADMIN("site-admin", false),
    POLICE("police", false),
    PROSECUTOR("prosecutor", false),
    COMMUNITY("community", false),
    SERVICES("services", false),
    RESEARCH("research", false),
    POC("poc", false);

    private final String id;
    private final boolean national;

    Role(String id, boolean national) {
        this.id = id;
        this.national = national;
    }

    @Override
    public String id() {
        return id;
    }

    /** True for the TTA roles, which are not tied to one site. */
    public boolean isNational() {
        return national;
    }

    public static Optional<Role> byId(String id) {
        return Identified.byId(Role.class, id);
    }

    @Override
    public String toString() {
        return id;
    }
}
