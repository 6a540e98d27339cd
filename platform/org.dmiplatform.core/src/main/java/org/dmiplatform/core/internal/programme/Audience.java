package org.dmiplatform.core.internal.programme;

import java.util.Arrays;
import java.util.List;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;

/**
 * Who may read one kind of programme record: the rule each service enforces on its reads, stated once, so that a
 * summary of those records (the timeline, a count) is shown to exactly the roles that may open them.
 */
enum Audience {
    /** The checklist, the intervention, its areas and the community's work: every role at the site. */
    EVERYONE(Role.values()),
    /** The call-in, its invitations and attendance. */
    CALL_IN(Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN, Role.COMMUNITY, Role.SERVICES, Role.POC),
    /** The letters to call-in candidates. */
    LETTERS(Role.POLICE, Role.PROSECUTOR, Role.POC, Role.SITE_ADMIN),
    /** Police intelligence on a person: the dealer list, decisions, banked cases, violations (28 CFR 23.20(e)). */
    INTELLIGENCE(Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN),
    /** Referrals to services; never police or prosecutors (42 USC 290dd-2). */
    REFERRALS(Role.SERVICES, Role.COMMUNITY, Role.POC);

    private final Role[] roles;

    Audience(Role... roles) {
        this.roles = roles;
    }

    Role[] roles() {
        return roles.clone();
    }

    boolean includes(String site, Caller caller) {
        return caller.holdsAt(site, roles);
    }

    /** The audiences whose records the caller may read at the site. */
    static List<Audience> of(String site, Caller caller) {
        return Arrays.stream(values()).filter(a -> a.includes(site, caller)).toList();
    }
}
