package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.Test;

/**
 * The role × field matrix (security requirement 3) as one crawl: Chicago seeded through the API with a canary in
 * every field of intelligence, banked cases and treatment ({@link SeededSite}), then every GET route, with the seeded
 * ids in its path, read as every role at Chicago and both TTA roles. Community, services, the point of contact,
 * research and national staff never receive intelligence or a banked case; police, prosecutors, the site
 * administrator, research and national staff never receive a referral to treatment; the follow-up goes only to the
 * consent's named recipient. Each canary is received by some role that may read it, so the crawl cannot pass on
 * empty answers.
 */
public class RoleFieldMatrixTest {
    /** Roles that never receive police intelligence or a banked case (28 CFR 23.20(e)). */
    static final Set<Role> NO_INTELLIGENCE =
            EnumSet.of(Role.COMMUNITY, Role.SERVICES, Role.POC, Role.RESEARCH, Role.TTA_ADMIN, Role.TTA_STAFF);

    /** Roles that never receive a referral to drug treatment or its follow-up (42 USC 290dd-2(c); Audience). */
    static final Set<Role> NO_TREATMENT =
            EnumSet.of(Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN, Role.RESEARCH, Role.TTA_ADMIN, Role.TTA_STAFF);

    /** Roles that never receive a material for law enforcement only (Materials.LAW_ENFORCEMENT). */
    static final Set<Role> NO_POLICE_MATERIAL = EnumSet.of(Role.COMMUNITY, Role.SERVICES, Role.POC, Role.RESEARCH);

    /** Roles that never receive a letter template: those who do not read the letters (Audience.LETTERS). */
    static final Set<Role> NO_LETTER_MATERIAL = EnumSet.of(Role.COMMUNITY, Role.SERVICES, Role.RESEARCH);

    /**
     * Every path parameter of a GET route and the seeded values it is crawled with; a route naming a parameter not
     * here fails the test until it is added (or listed in {@link #NOT_CRAWLED} with the reason).
     */
    static final Map<String, Function<SeededSite, List<String>>> PARAMS = Map.ofEntries(
            Map.entry("site", s -> List.of(SeededSite.SITE)),
            Map.entry("intervention", s -> List.of(String.valueOf(s.intervention))),
            Map.entry("person", s -> List.of(String.valueOf(s.candidate), String.valueOf(s.prosecuted))),
            Map.entry("referral", s -> List.of(String.valueOf(s.referral), String.valueOf(s.jobReferral))),
            Map.entry("letter", s -> List.of(String.valueOf(s.letter))),
            Map.entry("import", s -> List.of(String.valueOf(s.importId))),
            Map.entry("run", s -> List.of(String.valueOf(s.run))),
            Map.entry("layer", s -> List.of("beats")),
            Map.entry("service", s -> List.of("a")),
            Map.entry("file", s -> List.of(s.profileFile)),
            Map.entry("material", s -> List.of(String.valueOf(s.guide), String.valueOf(s.letterTemplate))),
            Map.entry("version", s -> List.of("1", "2")),
            Map.entry("copy", s -> List.of("1", "2")),
            Map.entry(
                    "id",
                    s -> List.of(
                            String.valueOf(s.f.accounts
                                    .findByUsername(SeededSite.POLICE)
                                    .orElseThrow()
                                    .id()),
                            String.valueOf(s.newUser))));

    /** GET routes not crawled, and why (none today: keep the reason with any added). */
    static final Map<String, String> NOT_CRAWLED = Map.of();

    /**
     * Query strings a GET route is also crawled with: the formats of a document, a site administrator's audit. The
     * outcome report's PDF is not: its renderer (openhtmltopdf) is not on this module's test class path, which holds
     * the core's PDFBox 2 (see ReportApiTest); the PDF carries the same report as the HTML. The reviews due within
     * the default 90 days, and within the furthest the list looks (five years and a leap day, Reviews.MAX_DAYS), which
     * holds every entry on the list.
     */
    static final Map<String, List<String>> QUERIES = Map.of(
            "GET /sites/{site}/reviews-due",
            List.of("", "?within=" + 5 * 366),
            "GET /performance",
            List.of("?quarter=2026-Q4", "?quarter=2026-Q4&format=csv"),
            "GET " + ProgrammeRoutes.INTERVENTION + "/reports/outcome",
            List.of("", "?format=csv", "?format=html"),
            "GET " + RecordRoutes.RECORDS + "/counts",
            List.of("", "?by=total", "?by=day"));

    private static final Pattern PARAM = Pattern.compile("\\{([a-z]+)}");

    /** Below the answers read when written (67 GET routes with their ids and queries, as 10 users: 830). */
    private static final int FLOOR = 780;

    @Test
    public void noRoleReceivesAFieldItMayNotSeeOnAnyRoute() throws IOException {
        try (SeededSite s = new SeededSite().seed()) {
            List<String> leaks = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            Map<String, Set<String>> received = new TreeMap<>();
            Set<String> answered = new TreeSet<>();
            Set<String> crawledRoutes = new TreeSet<>();
            int read = 0;
            for (String user : SeededSite.users()) {
                Role role = s.roleOf(user);
                for (Route route : s.f.api.routes()) {
                    if (!route.method.equals("GET") || NOT_CRAWLED.containsKey(route.toString())) {
                        continue;
                    }
                    crawledRoutes.add(route.toString());
                    for (String path : paths(s, route)) {
                        Response r = s.f.send("GET", path, null, s.clients.get(user));
                        read++;
                        if (r.status() >= 500) {
                            errors.add(user + " " + path + " -> " + r.status() + " " + r.text());
                        }
                        if (r.status() == 200) {
                            answered.add(route.toString());
                        }
                        String body = text(r);
                        for (String canary : all()) {
                            if (!body.contains(canary)) {
                                continue;
                            }
                            received.computeIfAbsent(canary, k -> new TreeSet<>())
                                    .add(user + " " + route);
                            if (!mayReceive(user, role, canary)) {
                                leaks.add(user + " (" + role.id() + ") GET " + path + " -> " + r.status() + " holds "
                                        + canary);
                            }
                        }
                    }
                }
            }
            assertTrue(String.join("\n", leaks), leaks.isEmpty());
            assertTrue(String.join("\n", errors), errors.isEmpty());
            // every GET route answered someone: its ids were right, so its answers were worth reading
            Set<String> silent = new TreeSet<>(crawledRoutes);
            silent.removeAll(answered);
            assertTrue("GET routes that answered no one 200: " + silent, silent.isEmpty());
            // every canary reached a role that may read it: the seeding put each where a route shows it
            for (String canary : all()) {
                assertTrue(canary + " was received by no one", received.containsKey(canary));
            }
            String person = "GET " + MarketRoutes.PERSON;
            assertTrue(
                    "police read the pending charges of a person",
                    received.get(SeededSite.CHARGES).contains(SeededSite.POLICE + " " + person));
            assertTrue(
                    "police read the warrant of a banked case",
                    received.get(SeededSite.WARRANT).contains(SeededSite.POLICE + " " + person));
            assertTrue(
                    "police read a person's reviews with their reason",
                    received.get(SeededSite.REVIEW_REASON)
                            .contains(SeededSite.POLICE + " GET " + MarketRoutes.PERSON + "/revalidations"));
            assertTrue(
                    "police read the entries due for review by name",
                    received.get(SeededSite.PROSECUTED_NAME)
                            .contains(SeededSite.POLICE + " GET /sites/{site}/reviews-due"));
            for (String release : List.of(SeededSite.RECIPIENT, SeededSite.RELEASE_REASON)) {
                assertEquals(
                        "the dealer list's recipient and reason are read in the dissemination log, by police and the"
                                + " site administrator",
                        Set.of(
                                SeededSite.POLICE + " GET /sites/{site}/disseminations",
                                SeededSite.SITE_ADMIN + " GET /sites/{site}/disseminations"),
                        received.get(release));
            }
            assertEquals(
                    "the treatment follow-up reaches the consent's recipient, on the treatment route only",
                    Set.of(SeededSite.SERVICES + " GET " + ConsentRoutes.REFERRAL + "/treatment"),
                    received.get(SeededSite.TREATMENT_NOTE));
            assertTrue("answers read: " + read, read > FLOOR);
            System.out.println("RoleFieldMatrixTest: " + crawledRoutes.size() + " GET routes x "
                    + SeededSite.users().size() + " users, " + read + " answers read");
        }
    }

    static List<String> all() {
        List<String> all = new ArrayList<>(SeededSite.INTELLIGENCE);
        all.addAll(SeededSite.CASES);
        all.addAll(SeededSite.REFERRAL);
        all.addAll(SeededSite.DISCLOSED);
        all.addAll(SeededSite.POLICE_MATERIAL);
        all.addAll(SeededSite.LETTER_MATERIAL);
        return all;
    }

    private static boolean mayReceive(String user, Role role, String canary) {
        if (SeededSite.INTELLIGENCE.contains(canary) || SeededSite.CASES.contains(canary)) {
            return !NO_INTELLIGENCE.contains(role);
        }
        if (SeededSite.REFERRAL.contains(canary)) {
            return !NO_TREATMENT.contains(role);
        }
        if (SeededSite.POLICE_MATERIAL.contains(canary)) {
            return !NO_POLICE_MATERIAL.contains(role);
        }
        if (SeededSite.LETTER_MATERIAL.contains(canary)) {
            return !NO_LETTER_MATERIAL.contains(role);
        }
        // the follow-up itself: the one recipient the consent names
        return user.equals(SeededSite.SERVICES);
    }

    /** The route's paths at Chicago with every combination of the seeded ids, with its query variants. */
    static List<String> paths(SeededSite s, Route route) {
        List<String> paths = List.of(route.template);
        Matcher m = PARAM.matcher(route.template);
        while (m.find()) {
            String param = m.group(1);
            Function<SeededSite, List<String>> values = PARAMS.get(param);
            if (values == null) {
                throw new AssertionError(route + " names {" + param + "}: give it seeded ids in PARAMS, or list the"
                        + " route in NOT_CRAWLED with the reason");
            }
            List<String> next = new ArrayList<>();
            for (String path : paths) {
                for (String value : values.apply(s)) {
                    next.add(path.replace("{" + param + "}", value));
                }
            }
            paths = next;
        }
        // the audit log up to the end of the seeding, whatever the crawl wrote since
        String seeded = "limit=1000&before=" + (s.seededAuditId + 1);
        List<String> queries = route.toString().equals("GET /audit")
                ? List.of("", "?site=chicago&" + seeded, "?" + seeded)
                : QUERIES.getOrDefault(route.toString(), List.of(""));
        List<String> out = new ArrayList<>();
        for (String path : paths) {
            for (String query : queries) {
                out.add(path + query);
            }
        }
        return out;
    }

    /** The answer as text: a PDF's text, anything else as UTF-8. */
    static String text(Response r) throws IOException {
        String type = r.raw().header("Content-Type");
        byte[] body = r.raw().body();
        if (type != null && type.startsWith("application/pdf")) {
            try (PDDocument pdf = PDDocument.load(body)) {
                return new PDFTextStripper().getText(pdf) + new String(body, StandardCharsets.ISO_8859_1);
            }
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
