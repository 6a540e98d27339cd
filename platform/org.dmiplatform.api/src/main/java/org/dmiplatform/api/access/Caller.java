package org.dmiplatform.api.access;

import java.util.Arrays;
import java.util.Objects;

/** A logged-in user acting from an address: what the programme services check and audit. */
public record Caller(User user, String from) {
    public Caller {
        Objects.requireNonNull(user, "user");
        from = Objects.requireNonNullElse(from, "");
    }

    public Actor actor() {
        return new Actor(user.username(), from);
    }

    /** True if the user holds one of the roles at the site (national roles count at every site). */
    public boolean holdsAt(String site, Role... roles) {
        return Arrays.stream(roles).anyMatch(role -> user.holdsAt(site, role));
    }

    /** Refuses unless the user holds one of the roles at the site. */
    public void require(String site, String what, Role... roles) {
        if (!holdsAt(site, roles)) {
            throw new AccessDeniedException(what + " needs one of the roles " + Arrays.toString(roles) + " at " + site);
        }
    }
}
