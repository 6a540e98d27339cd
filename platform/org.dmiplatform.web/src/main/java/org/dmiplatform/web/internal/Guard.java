package org.dmiplatform.web.internal;

import java.util.EnumSet;
import java.util.Set;
import org.dmiplatform.api.access.Role;

/**
 * Who may call a route. Every route has one; a route with {@code {site}} in its path must be {@link Scope#SITE}
 * scoped, which the router checks when the route is declared.
 *
 * @param scope how the check is made
 * @param roles the roles allowed: held anywhere for {@link Scope#ROLES}, held at the path's site (or nationally)
 *     for {@link Scope#SITE}
 */
record Guard(Scope scope, Set<Role> roles) {
    enum Scope {
        /** Anyone, logged in or not. */
        PUBLIC,
        /** Any logged-in user; the handler limits what they see to themselves or their sites. */
        SIGNED_IN,
        /** A logged-in user holding one of the roles, at any site. */
        ROLES,
        /** A logged-in user holding one of the roles at the site named in the path. */
        SITE
    }

    static final Guard PUBLIC = new Guard(Scope.PUBLIC, Set.of());
    static final Guard SIGNED_IN = new Guard(Scope.SIGNED_IN, Set.of());

    static Guard roles(Role first, Role... more) {
        return new Guard(Scope.ROLES, EnumSet.of(first, more));
    }

    static Guard site(Role first, Role... more) {
        return new Guard(Scope.SITE, EnumSet.of(first, more));
    }

    /** Every role at the site, and both TTA roles. */
    static Guard anyoneAtSite() {
        return new Guard(Scope.SITE, EnumSet.allOf(Role.class));
    }
}
