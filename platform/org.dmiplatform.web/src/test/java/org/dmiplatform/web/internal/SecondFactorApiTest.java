package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The second factor over HTTP: the log-in's two steps, enrolment, turning it off and resetting it. */
public class SecondFactorApiTest {
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");
    private static final String FROM = "198.51.100.77";

    private ApiFixture f;
    private long officerId;

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("chi-admin", Grant.at("chicago", Role.SITE_ADMIN));
        officerId = f.user("cpd-narcotics", Grant.at("chicago", Role.POLICE)).id();
        f.user("dpd-analyst", Grant.at("denver", Role.POLICE));
    }

    @After
    public void tearDown() {
        f.close();
    }

    private Response password(String name) {
        return f.send(
                "POST",
                "/session",
                "{\"username\":\"" + name + "\",\"password\":\"" + ApiFixture.PASSWORD + "\"}",
                null,
                JSON,
                FROM);
    }

    private Response code(String token, String code) {
        return f.send(
                "POST",
                "/session/second-factor",
                "{\"token\":\"" + token + "\",\"code\":\"" + code + "\"}",
                null,
                JSON,
                FROM);
    }

    /** The officer sets up the app from the account page: secret, first code, on. */
    private void enrolOfficer() {
        Client officer = f.logIn("cpd-narcotics");
        Response enrolment = f.send(
                "POST",
                "/users/" + officerId + "/second-factor",
                "{\"currentPassword\":\"" + ApiFixture.PASSWORD + "\"}",
                officer);
        assertEquals(enrolment.text(), 200, enrolment.status());
        assertTrue(enrolment.json().get("qrCode").asText().startsWith("data:image/png;base64,"));
        f.authenticators.put("cpd-narcotics", enrolment.json().get("secret").asText());
        Response on = f.send(
                "PUT",
                "/users/" + officerId + "/second-factor",
                "{\"code\":\"" + f.code("cpd-narcotics") + "\"}",
                officer);
        assertEquals(on.text(), 200, on.status());
        assertTrue(on.json().get("active").asBoolean());
        assertFalse(on.json().get("required").asBoolean());
    }

    @Test
    public void theRightPasswordOpensNoSessionUntilTheCode() {
        enrolOfficer();
        Response first = password("cpd-narcotics");
        assertEquals(first.text(), 202, first.status());
        assertNull("no cookie before the code", first.raw().header("Set-Cookie"));
        assertEquals("totp", first.json().get("secondFactor").asText());
        assertFalse(first.json().get("enrolmentRequired").asBoolean());
        assertFalse("no session token in the answer", first.json().has("csrfToken"));

        Response second = code(first.json().get("token").asText(), f.code("cpd-narcotics"));
        assertEquals(second.text(), 200, second.status());
        String cookie = second.raw().header("Set-Cookie");
        assertTrue(cookie, cookie.startsWith("DMI_SESSION=") && cookie.contains("HttpOnly"));
        Client client = new Client(
                cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')),
                second.json().get("csrfToken").asText());
        assertEquals(
                "cpd-narcotics",
                f.send("GET", "/session", null, client)
                        .json()
                        .at("/user/username")
                        .asText());
    }

    @Test
    public void aReplayedCodeAndASpentTokenAreRefused() {
        enrolOfficer();
        String code = f.code("cpd-narcotics");
        Response first = password("cpd-narcotics");
        String token = first.json().get("token").asText();
        assertEquals(200, code(token, code).status());

        Response replayed = code(password("cpd-narcotics").json().get("token").asText(), code);
        assertProblem(replayed, 401);
        assertTrue(replayed.json().get("detail").asText().contains("wrong"));
        assertProblem(code(token, f.code("cpd-narcotics")), 401);
    }

    @Test
    public void fiveWrongCodesLockTheAccountAndTheLockedAnswerIsTheWrongCodeAnswer() {
        enrolOfficer();
        String token = password("cpd-narcotics").json().get("token").asText();
        String right = f.code("cpd-narcotics");
        String wrong = right.equals("000000") ? "111111" : "000000";
        Response firstWrong = code(token, wrong);
        assertProblem(firstWrong, 401);
        for (int i = 2; i <= 3; i++) {
            assertProblem(code(token, wrong), 401);
        }
        Response spent = code(token, right);
        assertProblem(spent, 401);
        assertTrue(
                "three wrong codes spend the log-in: the password again",
                spent.json().get("detail").asText().contains("log in again"));
        token = password("cpd-narcotics").json().get("token").asText();
        for (int i = 4; i <= 5; i++) {
            assertProblem(code(token, wrong), 401);
        }
        assertTrue(f.accounts.find(officerId).orElseThrow().locked());
        Response locked = code(token, right);
        assertProblem(locked, 401);
        assertEquals(firstWrong.json().get("title"), locked.json().get("title"));
        assertEquals(firstWrong.json().get("detail"), locked.json().get("detail"));
        assertEquals(1, f.audit("user.lock").size());
    }

    @Test
    public void anAdministratorWithoutASecondFactorMustEnrolBeforeTheSession() {
        Response first = password("tta-lead");
        assertEquals(first.text(), 202, first.status());
        assertTrue(first.json().get("enrolmentRequired").asBoolean());
        String token = first.json().get("token").asText();
        assertProblem(code(token, "123456"), 401);

        Response enrolment =
                f.send("POST", "/session/second-factor/enrolment", "{\"token\":\"" + token + "\"}", null, JSON, FROM);
        assertEquals(enrolment.text(), 200, enrolment.status());
        String secret = enrolment.json().get("secret").asText();
        assertTrue(enrolment.json().get("uri").asText().startsWith("otpauth://totp/"));
        assertTrue(enrolment.json().get("qrCode").asText().startsWith("data:image/png;base64,"));
        assertTrue(
                "the console may show the QR code as a data: image",
                enrolment.raw().header("Content-Security-Policy").contains("img-src 'self' data:"));
        f.authenticators.put("tta-lead", secret);
        Response opened = code(token, f.code("tta-lead"));
        assertEquals(opened.text(), 200, opened.status());
        assertEquals(
                "one entry for the code step, no confirmation apart", 0, f.auditCount("user.second-factor.confirm"));
        org.dmiplatform.api.access.AuditEntry logIn = f.audit("login").get(0);
        assertEquals("tta-lead", logIn.event().actor());
        assertEquals(
                "second factor; " + org.dmiplatform.core.internal.access.AccountsImpl.ENROLLED_AT_LOG_IN,
                logIn.event().detail());

        String audited =
                f.send("GET", "/audit?limit=1000", null, f.logIn("tta-lead")).text();
        assertFalse("the secret is never audited", audited.contains(secret));
    }

    @Test
    public void anAdministratorCannotTurnTheirsOffButAnOfficerCanWithPasswordAndCode() {
        Client admin = f.logIn("chi-admin");
        long adminId = f.accounts.findByUsername("chi-admin").orElseThrow().id();
        Response refused = f.send(
                "DELETE",
                "/users/" + adminId + "/second-factor",
                "{\"currentPassword\":\"" + ApiFixture.PASSWORD + "\",\"code\":\"" + f.code("chi-admin") + "\"}",
                admin);
        assertProblem(refused, 400);
        assertTrue(refused.json().get("errors").get(0).get("reason").asText().contains("administrator"));

        enrolOfficer();
        Client officer = f.logIn("cpd-narcotics");
        Response wrongPassword = f.send(
                "DELETE",
                "/users/" + officerId + "/second-factor",
                "{\"currentPassword\":\"not the password at all\",\"code\":\"" + f.code("cpd-narcotics") + "\"}",
                officer);
        assertProblem(wrongPassword, 403);
        assertEquals(
                "the session stays",
                200,
                f.send("GET", "/session", null, officer).status());
        Response off = f.send(
                "DELETE",
                "/users/" + officerId + "/second-factor",
                "{\"currentPassword\":\"" + ApiFixture.PASSWORD + "\",\"code\":\"" + f.code("cpd-narcotics") + "\"}",
                officer);
        assertEquals(off.text(), 200, off.status());
        assertFalse(off.json().get("active").asBoolean());
        assertEquals("a password alone again", 200, password("cpd-narcotics").status());
        assertEquals(1, f.audit("user.second-factor.disable").size());
    }

    @Test
    public void settingItUpTakesThePasswordAndAWrongOneKeepsTheSessionAndTheHoldersEnrolment() {
        Client officer = f.logIn("cpd-narcotics");
        String route = "/users/" + officerId + "/second-factor";
        Response holder = f.send("POST", route, "{\"currentPassword\":\"" + ApiFixture.PASSWORD + "\"}", officer);
        assertEquals(holder.text(), 200, holder.status());
        assertProblem(f.send("POST", route, "{}", officer), 400);
        Response wrong = f.send("POST", route, "{\"currentPassword\":\"not the password at all\"}", officer);
        assertProblem(wrong, 403);
        assertFalse("no secret for a wrong password", wrong.json().has("secret"));
        assertEquals(
                "still logged in", 200, f.send("GET", "/session", null, officer).status());
        assertEquals(1, f.auditCount("user.second-factor.enrol"));
        f.authenticators.put("cpd-narcotics", holder.json().get("secret").asText());
        Response on = f.send("PUT", route, "{\"code\":\"" + f.code("cpd-narcotics") + "\"}", officer);
        assertEquals("the holder's pending secret was not replaced: " + on.text(), 200, on.status());
    }

    @Test
    public void onlyTheHolderSetsItUpAndAdministratorsResetOthersTheyManage() {
        enrolOfficer();
        Client lead = f.logIn("tta-lead");
        assertProblem(f.send("POST", "/users/" + officerId + "/second-factor", null, lead), 403);
        assertTrue(f.send("GET", "/users/" + officerId + "/second-factor", null, lead)
                .json()
                .get("active")
                .asBoolean());

        long denverId = f.accounts.findByUsername("dpd-analyst").orElseThrow().id();
        Client chiAdmin = f.logIn("chi-admin");
        assertProblem(f.send("POST", "/users/" + denverId + "/second-factor/reset", null, chiAdmin), 404);
        long leadId = f.accounts.findByUsername("tta-lead").orElseThrow().id();
        assertProblem(f.send("POST", "/users/" + leadId + "/second-factor/reset", null, chiAdmin), 404);
        assertProblem(f.send("POST", "/users/" + leadId + "/second-factor/reset", null, lead), 400);

        Client officer = f.logIn("cpd-narcotics");
        Response reset = f.send("POST", "/users/" + officerId + "/second-factor/reset", null, chiAdmin);
        assertEquals(reset.text(), 200, reset.status());
        assertFalse(reset.json().get("active").asBoolean());
        assertEquals(
                "the holder's sessions end",
                401,
                f.send("GET", "/session", null, officer).status());
        assertEquals(200, password("cpd-narcotics").status());
        assertEquals(1, f.audit("user.second-factor.reset").size());
        assertEquals(
                "chi-admin", f.audit("user.second-factor.reset").get(0).event().actor());
    }

    @Test
    public void aPendingLogInExpiresAfterFiveMinutes() {
        enrolOfficer();
        String token = password("cpd-narcotics").json().get("token").asText();
        f.clock.advance(Duration.ofMinutes(5));
        Response late = code(token, f.code("cpd-narcotics"));
        assertProblem(late, 401);
        assertTrue(late.json().get("detail").asText().contains("expired"));
    }

    private static void assertProblem(Response r, int status) {
        assertEquals(r.text(), status, r.status());
        assertTrue(r.raw().header("Content-Type").startsWith("application/problem+json"));
        assertFalse("no class names", r.text().matches("(?s).*(\\bat org\\.|Exception|\\.java:).*"));
    }
}
