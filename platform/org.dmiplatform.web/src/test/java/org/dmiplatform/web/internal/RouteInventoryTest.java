package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import org.dmiplatform.api.access.Role;
import org.junit.Test;

/** Every route is guarded; fails the build when a route is added without the right guard. */
public class RouteInventoryTest {

    @Test
    public void onlyHealthAndLogInArePublic() {
        try (ApiFixture f = new ApiFixture()) {
            List<String> open = f.api.routes().stream()
                    .filter(r -> r.guard.scope() == Guard.Scope.PUBLIC)
                    .map(Route::toString)
                    .toList();
            assertEquals(List.of("GET /health", "POST /session"), open);
        }
    }

    @Test
    public void everyRouteNamingASiteIsSiteScopedAndOnlyLogInSkipsCsrf() {
        try (ApiFixture f = new ApiFixture()) {
            for (Route route : f.api.routes()) {
                assertEquals(
                        route.toString(), route.template.contains("{site}"), route.guard.scope() == Guard.Scope.SITE);
                assertTrue(
                        route.toString(), !route.csrfExempt || route.toString().equals("POST /session"));
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
