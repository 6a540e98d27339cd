package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class ApiTest {
    private ApiFixture f;

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("cpd-narcotics", Grant.at("chicago", Role.POLICE));
        f.user("chi-admin", Grant.at("chicago", Role.SITE_ADMIN));
    }

    @After
    public void tearDown() {
        f.close();
    }

    private static void assertProblem(Response r, int status) {
        assertEquals(r.text(), status, r.status());
        assertTrue(r.raw().header("Content-Type").startsWith("application/problem+json"));
        JsonNode body = r.json();
        assertEquals(status, body.get("status").asInt());
        assertFalse(body.get("correlationId").asText().isEmpty());
        assertFalse("no stack trace or class names", r.text().matches("(?s).*(\\bat org\\.|Exception|\\.java:).*"));
    }

    @Test
    public void healthAnswersWithoutLogInAndEverythingElseNeedsIt() {
        Response health = f.send("GET", "/health", null, null);
        assertEquals(200, health.status());
        assertEquals("UP", health.json().get("status").asText());
        assertFalse("no site named to anyone", health.text().contains("chicago"));
        // the details are the TTA team's and the sites' administrators'
        assertProblem(f.send("GET", "/health/details", null, null), 401);
        f.user("health-police", org.dmiplatform.api.access.Grant.at("chicago", org.dmiplatform.api.access.Role.POLICE));
        assertProblem(f.send("GET", "/health/details", null, f.logIn("health-police")), 403);
        assertProblem(f.send("GET", "/sites", null, null), 401);
        assertProblem(f.send("GET", "/users", null, null), 401);
    }

    @Test
    public void logInSetsAStrictHttpOnlyCookieAndAFreshIdEachTime() {
        Response r = f.send(
                "POST",
                "/session",
                "{\"username\":\"cpd-narcotics\",\"password\":\"" + ApiFixture.PASSWORD + "\"}",
                null);
        assertEquals(200, r.status());
        String cookie = r.raw().header("Set-Cookie");
        assertTrue(
                cookie,
                cookie.startsWith("DMI_SESSION=")
                        && cookie.contains("HttpOnly")
                        && cookie.contains("SameSite=Strict")
                        && cookie.contains("Path=/"));
        assertEquals("cpd-narcotics", r.json().at("/user/username").asText());
        assertFalse(
                "the session id never appears in the body",
                r.text().contains(cookie.substring(12, cookie.indexOf(';'))));

        Client first = f.logIn("cpd-narcotics");
        Client second = f.logIn("cpd-narcotics");
        assertNotEquals(first.cookie(), second.cookie());
        assertEquals(200, f.send("GET", "/session", null, first).status());
    }

    @Test
    public void logInWithAnOldCookieEndsThatSession() {
        Client old = f.logIn("cpd-narcotics");
        Map<String, String> headers = Map.of("content-type", "application/json");
        Response r = f.send(
                "POST",
                "/session",
                "{\"username\":\"cpd-narcotics\",\"password\":\"" + ApiFixture.PASSWORD + "\"}",
                old,
                headers);
        assertEquals(200, r.status());
        assertProblem(f.send("GET", "/session", null, old), 401);
    }

    @Test
    public void wrongPasswordGetsOneMessageForUnknownAndKnownUsers() {
        Response unknown =
                f.send("POST", "/session", "{\"username\":\"nobody\",\"password\":\"whatever whatever\"}", null);
        Response known =
                f.send("POST", "/session", "{\"username\":\"cpd-narcotics\",\"password\":\"whatever whatever\"}", null);
        assertProblem(unknown, 401);
        assertProblem(known, 401);
        assertEquals(unknown.json().get("detail"), known.json().get("detail"));
    }

    @Test
    public void oneAddressIsThrottledAfterTwentyLogInAttemptsAMinute() {
        for (int i = 0; i < LoginThrottle.DEFAULT_ATTEMPTS; i++) {
            assertEquals(
                    401,
                    f.send("POST", "/session", "{\"username\":\"nobody-" + i + "\",\"password\":\"x\"}", null)
                            .status());
        }
        Response throttled = f.send(
                "POST",
                "/session",
                "{\"username\":\"cpd-narcotics\",\"password\":\"" + ApiFixture.PASSWORD + "\"}",
                null);
        assertProblem(throttled, 429);
        assertTrue(Long.parseLong(throttled.raw().header("Retry-After")) > 0);
        f.clock.advance(LoginThrottle.WINDOW);
        assertEquals(
                200,
                f.send(
                                "POST",
                                "/session",
                                "{\"username\":\"cpd-narcotics\",\"password\":\"" + ApiFixture.PASSWORD + "\"}",
                                null)
                        .status());
    }

    @Test
    public void userOfOneSiteIsRefusedAnotherSiteAndTheRefusalIsAudited() {
        Client police = f.logIn("cpd-narcotics");
        assertEquals(200, f.send("GET", "/sites/chicago", null, police).status());
        assertProblem(f.send("GET", "/sites/denver", null, police), 404);
        assertProblem(f.send("GET", "/sites/gotham", null, police), 404);

        List<AuditEntry> denied = f.audit("access.denied");
        assertEquals(2, denied.size());
        AuditEntry denver = denied.get(1);
        assertEquals(AuditOutcome.DENIED, denver.event().outcome());
        assertEquals("cpd-narcotics", denver.event().actor());
        assertEquals("denver", denver.event().site());
        assertEquals("GET /sites/denver", denver.event().target());
        assertEquals("192.0.2.10", denver.event().from());
    }

    @Test
    public void siteListShowsOnlyTheUsersSitesAndAllSitesToTta() {
        JsonNode police =
                f.send("GET", "/sites", null, f.logIn("cpd-narcotics")).json().get("sites");
        assertEquals(1, police.size());
        assertEquals("chicago", police.get(0).get("id").asText());
        assertEquals("police", police.get(0).get("roles").get(0).asText());
        assertEquals(
                2,
                f.send("GET", "/sites", null, f.logIn("tta-lead"))
                        .json()
                        .get("sites")
                        .size());
    }

    @Test
    public void sitePageShowsTheTeamToMembersAndOnlyCountsToNationalStaff() {
        JsonNode forMember =
                f.send("GET", "/sites/chicago", null, f.logIn("cpd-narcotics")).json();
        assertEquals(2, forMember.get("members").size());
        assertEquals("no records adapter", forMember.get("missing").get(0).asText());
        JsonNode forTta =
                f.send("GET", "/sites/chicago", null, f.logIn("tta-lead")).json();
        assertEquals(1, forTta.at("/accountsByRole/police").asInt());
        assertTrue("no names for national staff", forTta.path("members").isEmpty());
        assertEquals(2, f.audit("site.read").size());
    }

    @Test
    public void stateChangingRequestsNeedTheCsrfToken() {
        Client admin = f.logIn("tta-lead");
        String body = "{\"username\":\"dpd-analyst\",\"password\":\"" + ApiFixture.PASSWORD
                + "\",\"grants\":[{\"role\":\"police\",\"site\":\"denver\"}]}";
        Response refused = f.send("POST", "/users", body, admin, Map.of("content-type", "application/json"));
        assertProblem(refused, 403);
        assertTrue(refused.json().get("detail").asText().contains("CSRF"));
        Response wrong = f.send(
                "POST", "/users", body, admin, Map.of("content-type", "application/json", "x-csrf-token", "guess"));
        assertProblem(wrong, 403);
        assertEquals(3, f.accounts.list().size());
        assertEquals(201, f.send("POST", "/users", body, admin).status());
        assertEquals(4, f.accounts.list().size());
    }

    @Test
    public void crossOriginWriteIsRefusedEvenWithTheToken() {
        Client admin = f.logIn("tta-lead");
        Response r = f.send(
                "PATCH",
                "/users/2",
                "{\"enabled\":false}",
                admin,
                Map.of(
                        "content-type",
                        "application/json",
                        "x-csrf-token",
                        admin.csrf(),
                        "origin",
                        "https://evil.example",
                        "host",
                        "localhost:8181"));
        assertProblem(r, 403);
        assertTrue(f.accounts.find(2).orElseThrow().enabled());
    }

    @Test
    public void badBodiesGetClearErrorsAndStoreNothing() {
        Client admin = f.logIn("tta-lead");
        Response malformed = f.send("POST", "/users", "{\"username\": \"x\",\n \"password\": }", admin);
        assertProblem(malformed, 400);
        assertEquals(2, malformed.json().at("/errors/0/line").asInt());

        Response unknownField = f.send("POST", "/users", "{\"username\":\"dpd-x\",\"pasword\":\"x\"}", admin);
        assertProblem(unknownField, 400);
        assertEquals("pasword", unknownField.json().at("/errors/0/field").asText());

        Response badRole = f.send(
                "POST",
                "/users",
                "{\"username\":\"dpd-x\",\"password\":\"" + ApiFixture.PASSWORD
                        + "\",\"grants\":[{\"role\":\"sheriff\",\"site\":\"denver\"}]}",
                admin);
        assertProblem(badRole, 400);
        assertEquals("grants[0].role", badRole.json().at("/errors/0/field").asText());
        assertTrue(badRole.json().at("/errors/0/reason").asText().contains("not one of"));

        Response wrongType = f.send(
                "POST",
                "/users",
                "{\"username\":\"a\"}",
                admin,
                Map.of("content-type", "text/plain", "x-csrf-token", admin.csrf()));
        assertProblem(wrongType, 415);

        Response huge = f.send("POST", "/users", "{\"username\":\"" + "x".repeat(Call.MAX_BODY_BYTES) + "\"}", admin);
        assertProblem(huge, 413);

        Response deep = f.send("POST", "/users", "[".repeat(40) + "]".repeat(40), admin);
        assertProblem(deep, 400);

        Response weak = f.send(
                "POST",
                "/users",
                "{\"username\":\"dpd-x\",\"password\":\"password1234\",\"grants\":[{\"role\":\"police\",\"site\":\"denver\"}]}",
                admin);
        assertProblem(weak, 400);
        assertEquals("password", weak.json().at("/errors/0/field").asText());

        assertEquals("nothing was stored", 3, f.accounts.list().size());
        assertEquals(
                "the platform keeps serving",
                200,
                f.send("GET", "/health", null, null).status());
    }

    @Test
    public void unknownPathsAndMethodsAreClearlyRefused() {
        Client admin = f.logIn("tta-lead");
        assertProblem(f.send("GET", "/nothing-here", null, admin), 404);
        Response wrongMethod = f.send("DELETE", "/sites", null, admin);
        assertProblem(wrongMethod, 405);
        assertEquals("GET, POST", wrongMethod.raw().header("Allow"));
    }

    @Test
    public void siteAdministratorManagesOnlyTheirOwnSite() {
        Client chiAdmin = f.logIn("chi-admin");
        String ownSite = "{\"username\":\"chi-community\",\"password\":\"" + ApiFixture.PASSWORD
                + "\",\"grants\":[{\"role\":\"community\",\"site\":\"chicago\"}]}";
        assertEquals(201, f.send("POST", "/users", ownSite, chiAdmin).status());

        String otherSite = "{\"username\":\"dpd-x\",\"password\":\"" + ApiFixture.PASSWORD
                + "\",\"grants\":[{\"role\":\"police\",\"site\":\"denver\"}]}";
        assertProblem(f.send("POST", "/users", otherSite, chiAdmin), 403);
        String national = "{\"username\":\"tta-x\",\"password\":\"" + ApiFixture.PASSWORD
                + "\",\"grants\":[{\"role\":\"tta-admin\"}]}";
        assertProblem(f.send("POST", "/users", national, chiAdmin), 403);

        JsonNode users = f.send("GET", "/users", null, chiAdmin).json().get("users");
        List<String> names = new ArrayList<>();
        users.forEach(u -> names.add(u.get("username").asText()));
        assertEquals(List.of("chi-admin", "chi-community", "cpd-narcotics"), names);
        assertProblem(f.send("GET", "/users/1", null, chiAdmin), 404); // the TTA administrator
        assertEquals(2, f.audit("access.denied").size() - 1);
    }

    @Test
    public void communityMemberCannotAdministerUsers() {
        f.user("chi-resident", Grant.at("chicago", Role.COMMUNITY));
        Client community = f.logIn("chi-resident");
        assertProblem(f.send("GET", "/users", null, community), 403);
        assertEquals(
                200,
                f.send(
                                "GET",
                                "/users/"
                                        + f.accounts
                                                .findByUsername("chi-resident")
                                                .orElseThrow()
                                                .id(),
                                null,
                                community)
                        .status());
        assertProblem(f.send("GET", "/audit", null, community), 403);
    }

    @Test
    public void logOutEndsTheSession() {
        Client police = f.logIn("cpd-narcotics");
        Response out = f.send("DELETE", "/session", null, police);
        assertEquals(204, out.status());
        assertTrue(out.raw().header("Set-Cookie").contains("Max-Age=0"));
        assertProblem(f.send("GET", "/sites", null, police), 401);
        assertEquals(1, f.audit("logout").size());
    }

    @Test
    public void withoutAnAdministratorOnlyHealthIsServed() {
        try (ApiFixture empty = new ApiFixture()) {
            empty.user("cpd-narcotics", Grant.at("chicago", Role.POLICE));
            Response login = empty.send(
                    "POST",
                    "/session",
                    "{\"username\":\"cpd-narcotics\",\"password\":\"" + ApiFixture.PASSWORD + "\"}",
                    null);
            assertProblem(login, 503);
            assertTrue(login.json().get("detail").asText().contains("DMI_ADMIN_USER"));
            assertEquals(200, empty.send("GET", "/health", null, null).status());
        }
    }

    @Test
    public void everyResponseCarriesSecurityHeadersAndIsNotCached() {
        for (Response r : List.of(f.send("GET", "/health", null, null), f.send("GET", "/sites", null, null))) {
            assertEquals("nosniff", r.raw().header("X-Content-Type-Options"));
            assertEquals("DENY", r.raw().header("X-Frame-Options"));
            assertTrue(r.raw().header("Content-Security-Policy").contains("frame-ancestors 'none'"));
            assertEquals("no-store", r.raw().header("Cache-Control"));
            assertEquals("no-referrer", r.raw().header("Referrer-Policy"));
        }
    }

    @Test
    public void aRequestWithoutCorrelationIdGetsItsOwnVersion4Uuid() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            Response r = f.send("GET", "/health", null, null);
            String id = r.raw().header("X-Correlation-Id");
            java.util.UUID uuid = java.util.UUID.fromString(id);
            assertEquals(id, 4, uuid.version());
            assertEquals(id, 2, uuid.variant());
            assertTrue("repeated correlation id " + id, seen.add(id));
        }
    }

    @Test
    public void correlationIdFromTheClientIsEchoed() {
        Response r = f.send("GET", "/sites", null, null, Map.of("x-correlation-id", "trace-12345678"));
        assertEquals("trace-12345678", r.raw().header("X-Correlation-Id"));
        assertEquals("trace-12345678", r.json().get("correlationId").asText());
    }

    @Test
    public void ttaStaffProvisionsASiteButPoliceCannot() {
        f.user("tta-coach", Grant.national(Role.TTA_STAFF));
        String body = "{\"id\":\"high-point\",\"name\":\"High Point\",\"timeZone\":\"America/New_York\"}";
        assertProblem(f.send("POST", "/sites", body, f.logIn("cpd-narcotics")), 403);
        Response created = f.send("POST", "/sites", body, f.logIn("tta-coach"));
        assertEquals(created.text(), 201, created.status());
        assertEquals("/api/v1/sites/high-point", created.raw().header("Location"));
        assertProblem(f.send("POST", "/sites", body, f.logIn("tta-coach")), 409);
        assertEquals(1, f.audit("site.provision").size());
    }
}
