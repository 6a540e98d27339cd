package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import org.dmiplatform.api.access.Role;
import org.junit.Test;

/** Every route is guarded; fails the build when a route is added without the right guard. */
public class RouteInventoryTest {

    /** The log-in's steps: the password, then the second factor's code (and an administrator's enrolment). */
    private static final List<String> LOG_IN =
            List.of("POST /session", "POST /session/second-factor", "POST /session/second-factor/enrolment");

    @Test
    public void onlyHealthAndLogInArePublic() {
        try (ApiFixture f = new ApiFixture()) {
            List<String> open = f.api.routes().stream()
                    .filter(r -> r.guard.scope() == Guard.Scope.PUBLIC)
                    .map(Route::toString)
                    .toList();
            List<String> expected = new java.util.ArrayList<>(List.of("GET /health"));
            expected.addAll(LOG_IN);
            assertEquals(expected, open);
        }
    }

    @Test
    public void everyRouteNamingASiteIsSiteScopedAndOnlyLogInSkipsCsrf() {
        try (ApiFixture f = new ApiFixture()) {
            for (Route route : f.api.routes()) {
                assertEquals(
                        route.toString(), route.template.contains("{site}"), route.guard.scope() == Guard.Scope.SITE);
                assertTrue(route.toString(), !route.csrfExempt || LOG_IN.contains(route.toString()));
            }
        }
    }

    @Test
    public void aSiteRouteWithoutASiteGuardCannotBeDeclared() {
        try {
            Route.of("GET", "/sites/{site}/secrets", Guard.roles(Role.POLICE), null, call -> Reply.noContent());
            fail("a {site} route must be site-scoped");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("{site}"));
        }
    }
}
