package org.dmiplatform.api.access;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A person who logs in, with the roles they hold. Never carries a password or its hash.
 *
 * @param id storage id
 * @param username log-in name, unique regardless of case
 * @param displayName how the console shows them
 * @param grants roles held, per site
 * @param enabled false once an administrator has disabled the account
 * @param locked true after too many failed log-ins, until an administrator unlocks it
 * @param createdAt when the account was created
 */
public record User(
        long id,
        String username,
        String displayName,
        List<Grant> grants,
        boolean enabled,
        boolean locked,
        Instant createdAt) {

    public User {
        grants = List.copyOf(grants);
    }

    public boolean holds(Role role) {
        return grants.stream().anyMatch(g -> g.role() == role);
    }

    /** True if the user holds {@code role} at {@code site}, or holds it nationally. */
    public boolean holdsAt(String site, Role role) {
        return grants.stream()
                .anyMatch(g ->
                        g.role() == role && (g.site().equals(site) || g.site().equals(Grant.ALL_SITES)));
    }

    public boolean isNational() {
        return grants.stream().anyMatch(g -> g.role().isNational());
    }

    /** Sites at which the user holds a site role (national roles not included). */
    public Set<String> memberOf() {
        return grants.stream()
                .filter(g -> !g.role().isNational())
                .map(Grant::site)
                .collect(Collectors.toUnmodifiableSet());
    }

    public Set<Role> rolesAt(String site) {
        return grants.stream()
                .filter(g -> g.site().equals(site))
                .map(Grant::role)
                .collect(Collectors.toUnmodifiableSet());
    }
}
