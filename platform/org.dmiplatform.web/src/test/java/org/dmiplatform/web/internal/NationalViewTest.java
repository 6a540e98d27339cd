package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.Test;

/**
 * National staff see aggregates only: every GET route is crawled as a TTA administrator and as TTA staff, with the ids
 * of a site's dealer list, and no answer names a person of it.
 */
public class NationalViewTest {
    /** Names no answer to national staff may hold. */
    private static final String[] CANARIES = {"Qzxwv Canary", "Wvqzx Sentinel"};

    @Test
    public void noAnswerToNationalStaffNamesAPersonOfADealerList() {
        try (ApiFixture f = new ApiFixture()) {
            f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
            f.user("tta-coach", Grant.national(Role.TTA_STAFF));
            f.user("chi-police", Grant.at("chicago", Role.POLICE));
            Client police = f.logIn("chi-police");
            long market = f.intervention("chicago", police);
            List<Long> persons = new ArrayList<>();
            for (String name : CANARIES) {
                Response entered = f.send(
                        "POST",
                        "/sites/chicago/interventions/" + market + "/persons",
                        "{\"name\":\"" + name + "\",\"alias\":\"" + name.split(" ")[0]
                                + "\",\"level\":\"street\",\"justification\":\"observed sales\",\"source\":\"vice survey\"}",
                        police);
                assertEquals(entered.text(), 201, entered.status());
                persons.add(entered.json().get("id").asLong());
            }
            // the detail holds them, for the police
            assertTrue(f.send("GET", "/sites/chicago/interventions/" + market + "/persons", null, police)
                    .text()
                    .contains(CANARIES[0]));

            List<String> leaks = new ArrayList<>();
            int answered = 0;
            for (String national : List.of("tta-lead", "tta-coach")) {
                Client client = f.logIn(national);
                for (Route route : f.api.routes()) {
                    if (!route.method.equals("GET")) {
                        continue;
                    }
                    for (String path : paths(route.template, market, persons)) {
                        Response r = f.send("GET", path, null, client);
                        answered += r.status() == 200 ? 1 : 0;
                        for (String canary : CANARIES) {
                            for (String part : canary.split(" ")) {
                                if (r.text().contains(part)) {
                                    leaks.add(national + " " + path + " -> " + r.status() + " names " + part);
                                }
                            }
                        }
                    }
                }
            }
            assertTrue("answers read: " + answered, answered > 30);
            assertTrue(String.join("\n", leaks), leaks.isEmpty());
        }
    }

    /** The route's path at Chicago with the market's id and each person's id where it takes ids. */
    private static List<String> paths(String template, long market, List<Long> persons) {
        String at = template.replace("{site}", "chicago").replace("{intervention}", String.valueOf(market));
        if (!at.contains("{")) {
            return List.of(at);
        }
        List<String> out = new ArrayList<>();
        for (long id : persons) {
            out.add(at.replaceAll("\\{[a-z]+\\}", String.valueOf(id)));
        }
        return out;
    }
}
