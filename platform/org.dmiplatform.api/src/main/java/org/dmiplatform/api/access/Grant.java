package org.dmiplatform.api.access;

import java.util.Objects;
import org.dmiplatform.api.Site;

/**
 * A role held at a site. National (TTA) roles are held at {@link #ALL_SITES}.
 *
 * @param role the role
 * @param site the site id, or {@code *} for a national role
 */
public record Grant(Role role, String site) {
    public static final String ALL_SITES = "*";

    public Grant {
        Objects.requireNonNull(role, "role");
        if (role.isNational()) {
            if (site != null && !site.isEmpty() && !ALL_SITES.equals(site)) {
                throw new IllegalArgumentException("role " + role + " is national and cannot be held at one site");
            }
            site = ALL_SITES;
        } else if (!Site.isValidId(site)) {
            throw new IllegalArgumentException("role " + role + " needs a site: " + Site.ID_RULE);
        }
    }

    public static Grant national(Role role) {
        return new Grant(role, ALL_SITES);
    }

    public static Grant at(String site, Role role) {
        return new Grant(role, site);
    }

    /** In the programme's words: {@code police at chicago}, or the bare role for a national one. */
    @Override
    public String toString() {
        return role.isNational() ? role.id() : role.id() + " at " + site;
    }
}
