package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.Test;

/**
 * Randomised tries across sites and roles, with a fixed seed: every route under another site's path answers as if
 * the site did not exist, every route a role may not call is refused, whatever the ids and the body, and every one
 * of those refusals is in the audit log.
 */
public class CrossSiteTest {
    private static final long SEED = 20261130L;

    @Test
    public void anotherSitesRoutesAreNotFoundAndARolesForbiddenRoutesRefusedEachAudited() {
        try (ApiFixture f = new ApiFixture()) {
            f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
            Map<Role, Client> chicago = new EnumMap<>(Role.class);
            for (Role role : Role.values()) {
                if (!role.isNational()) {
                    f.user("chi-" + role.id(), Grant.at("chicago", role));
                    chicago.put(role, f.logIn("chi-" + role.id()));
                }
            }
            Random random = new Random(SEED);
            List<String> leaks = new ArrayList<>();
            int refusals = 0;
            int tries = 0;
            long before = f.auditCount("access.denied");
            for (Route route : f.api.routes()) {
                if (route.guard.scope() != Guard.Scope.SITE) {
                    continue;
                }
                for (Map.Entry<Role, Client> who : chicago.entrySet()) {
                    // another site, whatever the role: not found, its existence not told
                    Response other = call(f, route, "denver", who.getValue(), random);
                    tries++;
                    refusals++;
                    if (other.status() != 404) {
                        leaks.add(who.getKey().id() + " " + route + " at denver -> " + other.status() + " "
                                + other.text());
                    }
                    // the own site, with a role the route is not for: forbidden
                    if (!route.guard.roles().contains(who.getKey())) {
                        Response own = call(f, route, "chicago", who.getValue(), random);
                        tries++;
                        refusals++;
                        if (own.status() != 403) {
                            leaks.add(who.getKey().id() + " " + route + " at chicago -> " + own.status() + " "
                                    + own.text());
                        }
                    }
                }
            }
            assertTrue("tries: " + tries, tries > 1000);
            assertTrue(String.join("\n", leaks), leaks.isEmpty());
            assertEquals("every refusal audited", before + refusals, f.auditCount("access.denied"));
        }
    }

    /** The route with random ids in its path and a random body from a small corpus. */
    private static Response call(ApiFixture f, Route route, String site, Client client, Random random) {
        String path = route.template.replace("{site}", site);
        while (path.contains("{")) {
            int open = path.indexOf('{');
            path = path.substring(0, open) + (1 + random.nextInt(50)) + path.substring(path.indexOf('}', open) + 1);
        }
        String[] bodies = {null, "{}", "{\"name\": \"x\"}", "[]"};
        String body = route.unsafe() ? bodies[random.nextInt(bodies.length)] : null;
        return f.send(
                route.method,
                path,
                body,
                client,
                body == null
                        ? Map.of("x-csrf-token", client.csrf())
                        : Map.of("content-type", "application/json", "x-csrf-token", client.csrf()));
    }
}
