package org.dmiplatform.web.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.Test;

/**
 * A corpus of malformed bodies sent to every route that writes, by an administrator who passes every guard: no
 * answer is a server error, and none carries a stack trace or the name of one of the code's types.
 */
public class MalformedInputTest {
    /** A Java type's name as it would leak: {@code org.dmiplatform.web.internal.SiteRoutes$SiteRequest}. */
    private static final Pattern TYPE_NAME = Pattern.compile(
            "(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_]*|\\$[A-Z][A-Za-z]+|Exception|\\bat [a-z]+\\.");

    private static final List<String> BODIES = List.of(
            "[]",
            "[{\"a\": 1}]",
            "\"text\"",
            "12",
            "true",
            "null",
            "{",
            "{\"name\": [1, 2]}",
            "{\"name\": {\"x\": 1}, \"date\": 5}",
            "{\"id\": 1.5, \"startedOn\": \"not a date\", \"role\": 7}",
            "\u0000\u0001\u0002",
            "{\"a\": \"\\ud800\"}");

    @Test
    public void noWriteRouteAnswersAMalformedBodyWithAServerErrorOrATypeName() {
        try (ApiFixture f = new ApiFixture()) {
            f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
            f.user("chi-everything", everyRoleAtChicago());
            Client admin = f.logIn("chi-everything");
            List<String> found = new ArrayList<>();
            int tried = 0;
            for (Route route : f.api.routes()) {
                if (!route.unsafe() || route.toString().equals("POST /session")) {
                    continue;
                }
                String path = route.template.replace("{site}", "chicago").replaceAll("\\{[a-z]+\\}", "1");
                for (String body : BODIES) {
                    Response r = f.send(
                            route.method,
                            path,
                            body,
                            admin,
                            Map.of("content-type", "application/json", "x-csrf-token", admin.csrf()));
                    tried++;
                    String text = r.text();
                    if (r.status() >= 500 || TYPE_NAME.matcher(text).find()) {
                        found.add(route + " " + body + " -> " + r.status() + " " + text);
                    }
                }
            }
            assertTrue("routes tried: " + tried, tried > 300);
            assertTrue(String.join("\n", found), found.isEmpty());
        }
    }

    @Test
    public void aTypeNameIsScrubbedFromAParsersMessage() {
        String scrubbed = Call.scrub(
                "Cannot deserialize value of type `org.dmiplatform.web.internal.SiteRoutes$SiteRequest` from Array"
                        + " value; java.lang.String expected");
        assertFalse(scrubbed, TYPE_NAME.matcher(scrubbed).find());
    }

    private static Grant[] everyRoleAtChicago() {
        List<Grant> grants = new ArrayList<>();
        for (Role role : Role.values()) {
            if (!role.isNational()) {
                grants.add(Grant.at("chicago", role));
            }
        }
        grants.add(Grant.national(Role.TTA_ADMIN));
        return grants.toArray(Grant[]::new);
    }
}
