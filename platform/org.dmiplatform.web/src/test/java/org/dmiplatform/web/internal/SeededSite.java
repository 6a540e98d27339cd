package org.dmiplatform.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.directory.ServiceDirectory;
import org.dmiplatform.api.mapping.Mapping;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.reporting.Reporting;
import org.dmiplatform.core.internal.storage.Sql;
import org.dmiplatform.reporting.standard.internal.StandardReporting;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;

/**
 * Chicago seeded through the API by the roles that may write each thing, with a canary string in every field that
 * holds police intelligence, a banked case or treatment information; Denver stays empty. Every write is recorded
 * with the audit entries it wrote, for {@link AuditPerRouteTest}; {@link RoleFieldMatrixTest} crawls the result.
 */
final class SeededSite implements AutoCloseable {
    static final String SITE = "chicago";

    /** Police intelligence: never to community, services, the point of contact, research or national staff. */
    static final List<String> INTELLIGENCE = List.of(
            "CANARY-INT-JUSTIFICATION-7141",
            "CANARY-INT-SOURCE-7142",
            "CANARY-INT-ALIAS-7143",
            "CANARY-INT-CHARGES-7144",
            "CANARY-INT-VIOLENCE-7145",
            "CANARY-INT-CRITERIA-7146",
            "CANARY-INT-INCIDENT-7147",
            "CANARY-INT-ADDRESS-7148",
            "CANARY-INT-LINK-7149",
            "CANARY-INT-SURVEY-7150",
            "CANARY-INT-VIOLATION-7151",
            "CANARY-INT-PROSECUTED-NAME-7152",
            "CANARY-INT-PROSECUTED-CRITERIA-7153",
            "CANARY-INT-REVIEW-REASON-7154",
            "CANARY-INT-RECIPIENT-7155",
            "CANARY-INT-RELEASE-REASON-7156");

    /** Banked cases: the same readers as intelligence. */
    static final List<String> CASES =
            List.of("CANARY-CASE-EVIDENCE-7161", "CANARY-CASE-WARRANT-7162", "CANARY-CASE-REASON-7163");

    /**
     * A referral to drug treatment and what hangs on it (42 USC 290dd-2): never to police, prosecutors, the site
     * administrator, research or national staff.
     */
    static final List<String> REFERRAL =
            List.of("CANARY-TX-PROVIDER-7171", "CANARY-TX-CONSENT-PURPOSE-7172", "CANARY-TX-TASK-7173");

    /** The treatment follow-up itself: only to a recipient a consent valid today names (42 CFR 2.31). */
    static final List<String> DISCLOSED = List.of("CANARY-TX-NOTE-7181", "CANARY-TX-OUTCOME-NOTE-7182");

    /**
     * A material for law enforcement only, and the site's copy of it: never to community, services, the point of
     * contact or research (Materials.LAW_ENFORCEMENT).
     */
    static final List<String> POLICE_MATERIAL = List.of("CANARY-MAT-POLICE-GUIDE-7191", "CANARY-MAT-POLICE-COPY-7192");

    /** A letter template: read as the letters are, never by community, services or research. */
    static final List<String> LETTER_MATERIAL = List.of("CANARY-MAT-LETTER-7193");

    static final String JUSTIFICATION = INTELLIGENCE.get(0);
    static final String CHARGES = INTELLIGENCE.get(3);
    static final String WARRANT = CASES.get(1);
    static final String TREATMENT_NOTE = DISCLOSED.get(0);
    static final String PROSECUTED_NAME = INTELLIGENCE.get(11);
    /** Why an entry still stands at its review (28 CFR 23.20(h)). */
    static final String REVIEW_REASON = INTELLIGENCE.get(13);
    /** To whom and why the dealer list was given out (28 CFR 23.20(g)): the dissemination log's. */
    static final String RECIPIENT = INTELLIGENCE.get(14);

    static final String RELEASE_REASON = INTELLIGENCE.get(15);

    /** The users, one for each site role at Chicago, the two TTA roles, and a services user no consent names. */
    static final String POLICE = "chi-police";

    static final String PROSECUTOR = "chi-prosecutor";
    static final String SITE_ADMIN = "chi-site-admin";
    static final String COMMUNITY = "chi-community";
    static final String SERVICES = "chi-services";
    static final String POC = "chi-poc";
    static final String RESEARCH = "chi-research";
    static final String TTA_ADMIN = "tta-lead";
    static final String TTA_STAFF = "tta-coach";
    /** A services user at Chicago whom no consent names. */
    static final String NAVIGATOR = "chi-navigator";

    /** A community user a TTA administrator creates, who sets up a second factor and turns it off again. */
    static final String NEWCOMER = "chi-newcomer";

    /** A site administrator a TTA administrator creates, who enrols a second factor at the first log-in. */
    static final String NEW_ADMIN = "chi-new-admin";

    /** A new account's passwords, set through the API: never in the audit log nor any log. */
    static final String NEW_PASSWORD = "CANARY-SECRET-first-password-8101";

    static final String CHANGED_PASSWORD = "CANARY-SECRET-changed-password-8102";
    static final String OWN_NEW_PASSWORD = "CANARY-SECRET-own-new-password-8103";

    /** One request sent while seeding, and the audit entries written while it ran. */
    record Sent(
            Route route,
            String user,
            String method,
            String path,
            int status,
            Instant before,
            Instant after,
            List<AuditEntry> entries) {
        String site() {
            Map<String, String> params = route.match(path.split("\\?")[0]).orElseThrow();
            return params.getOrDefault("site", "");
        }
    }

    final ApiFixture f = new ApiFixture();
    final Map<String, Client> clients = new LinkedHashMap<>();
    final List<Sent> sent = new ArrayList<>();
    /** The records adapter's reads wait for a permit, so an import is still running while its answer is checked. */
    final Semaphore importPermits = new Semaphore(0);

    final DirectoryApiTest.Recording directory = new DirectoryApiTest.Recording();
    final MapApiTest.Recording mapping = new MapApiTest.Recording();

    long intervention;
    long candidate;
    long prosecuted;
    long address;
    long bankedCase;
    long letter;
    long deadline;
    long referral;
    long jobReferral;
    long consent;
    long revokedConsent;
    long task;
    long residentCall;
    long member;
    long alert;
    long importId;
    /** The process report, asked for by the police as a run and made. */
    long run;

    long newUser;
    long newAdmin;
    long overdue;
    String profileFile;
    /** The police-only guide (two national versions, two copies at Chicago) and the letter template Chicago adopted. */
    long guide;

    long letterTemplate;
    /** The last audit entry the seeding wrote. */
    long seededAuditId;

    SeededSite() {
        f.user(TTA_ADMIN, Grant.national(Role.TTA_ADMIN));
        f.user(TTA_STAFF, Grant.national(Role.TTA_STAFF));
        for (Role role : Role.values()) {
            if (!role.isNational()) {
                f.user("chi-" + role.id(), Grant.at(SITE, role));
            }
        }
        f.user(NAVIGATOR, Grant.at(SITE, Role.SERVICES));
        f.user("den-police", Grant.at("denver", Role.POLICE));
        directory.editable = true;
        f.sites.bind(SITE, ServiceDirectory.class, directory);
        f.sites.bind(SITE, Mapping.class, mapping);
        f.sites.bind(
                SITE, Reporting.class, new StandardReporting(f.records, f.programme, f.callIns, f.community, f.clock));
        f.bind(SITE, new BlockingAdapter(importPermits, false));
        f.plugins.add(new org.dmiplatform.core.internal.plugins.Plugins.Plugin(
                SITE,
                org.dmiplatform.api.PluginKind.RECORDS_ADAPTER,
                "test-pull",
                0,
                1,
                "test",
                new BlockingAdapter(importPermits, true),
                Map.of()));
        for (String user : users()) {
            clients.put(user, f.logIn(user));
        }
    }

    static List<String> users() {
        List<String> users = new ArrayList<>();
        for (Role role : Role.values()) {
            if (!role.isNational()) {
                users.add("chi-" + role.id());
            }
        }
        users.add(NAVIGATOR);
        users.add(TTA_ADMIN);
        users.add(TTA_STAFF);
        return users;
    }

    /** The user's role at Chicago, or their national role. */
    Role roleOf(String user) {
        return f.accounts.findByUsername(user).orElseThrow().grants().get(0).role();
    }

    String base() {
        return "/sites/" + SITE + "/interventions/" + intervention;
    }

    String person(long id) {
        return base() + "/persons/" + id;
    }

    String referral(long id) {
        return base() + "/referrals/" + id;
    }

    Response send(String user, String method, String path, String body) {
        return send(user, method, path, body, body == null ? null : "application/json");
    }

    /** Sends as the user, requires a 2xx answer, and keeps the audit entries written meanwhile. */
    Response send(String user, String method, String path, String body, String contentType) {
        Client client = clients.get(user);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-csrf-token", client.csrf());
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        return record(user, method, path, () -> f.send(method, path, body, client, headers));
    }

    Response record(String user, String method, String path, java.util.function.Supplier<Response> call) {
        Route route = route(method, path);
        f.clock.advance(Duration.ofMillis(1500));
        long last = lastAuditId();
        Instant before = f.clock.instant();
        Response r = call.get();
        Instant after = f.clock.instant();
        if (r.status() / 100 != 2) {
            throw new AssertionError(user + " " + method + " " + path + " -> " + r.status() + " " + r.text());
        }
        List<AuditEntry> written = new ArrayList<>(f.audit.recent(Optional.empty(), Optional.empty(), 50).stream()
                .filter(e -> e.id() > last)
                .toList());
        written.sort(java.util.Comparator.comparingLong(AuditEntry::id));
        sent.add(new Sent(route, user, method, path, r.status(), before, after, written));
        return r;
    }

    Route route(String method, String path) {
        String bare = path.split("\\?")[0];
        return f.api.routes().stream()
                .filter(r -> r.method.equals(method) && r.match(bare).isPresent())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no route for " + method + " " + path));
    }

    long lastAuditId() {
        return f.database.read(c ->
                Sql.one(c, "SELECT MAX(id) FROM audit_log", rs -> rs.getLong(1)).orElse(0L));
    }

    private static long id(Response r) {
        return r.json().get("id").asLong();
    }

    /** Today at Chicago, by the fixture's clock (21 November 2026). */
    LocalDate today() {
        return LocalDate.ofInstant(f.clock.instant(), java.time.ZoneId.of("America/Chicago"));
    }

    private static String q(String text) {
        return "\"" + text + "\"";
    }

    private static String square(double lon, double lat) {
        double d = 0.005;
        return "{\\\"type\\\":\\\"Polygon\\\",\\\"coordinates\\\":[[[" + lon + "," + lat + "],[" + (lon + d) + ","
                + lat + "],[" + (lon + d) + "," + (lat + d) + "],[" + lon + "," + (lat + d) + "],[" + lon + "," + lat
                + "]]]}";
    }

    private void done(String step) {
        send(SITE_ADMIN, "PUT", base() + "/steps/" + step, "{\"status\":\"done\"}");
    }

    /** The whole programme at Chicago, through the API, by the roles that write each part. */
    SeededSite seed() {
        String today = today().toString();
        String yesterday = today().minusDays(1).toString();
        intervention = id(send(
                POC,
                "POST",
                "/sites/" + SITE + "/interventions",
                "{\"name\":\"West End\",\"startedOn\":\"2026-03-01\",\"rationale\":\"drug calls\"}"));
        // Steps 2 to 3b: the dealer list with its intelligence, the survey, the incident review, the decisions
        candidate = id(send(
                POLICE,
                "POST",
                base() + "/persons",
                "{\"name\":\"Candidate Alpha (test)\",\"alias\":" + q(INTELLIGENCE.get(2))
                        + ",\"level\":\"street\",\"justification\":" + q(JUSTIFICATION) + ",\"source\":"
                        + q(INTELLIGENCE.get(1)) + ",\"sensitivity\":\"restricted\"}"));
        prosecuted = id(send(
                POLICE,
                "POST",
                base() + "/persons",
                "{\"name\":" + q(INTELLIGENCE.get(11))
                        + ",\"level\":\"mid\",\"justification\":\"sold to an undercover officer\",\"source\":\"vice"
                        + " unit\"}"));
        send(
                POLICE,
                "PATCH",
                person(candidate),
                "{\"pendingCharges\":" + q(CHARGES) + ",\"violenceHistory\":true,\"violenceNote\":"
                        + q(INTELLIGENCE.get(4)) + "}");
        send(
                PROSECUTOR,
                "PUT",
                person(candidate) + "/decision",
                "{\"decision\":\"call-in\",\"criteria\":" + q(INTELLIGENCE.get(5)) + "}");
        send(
                PROSECUTOR,
                "PUT",
                person(prosecuted) + "/decision",
                "{\"decision\":\"prosecute-now\",\"criteria\":" + q(INTELLIGENCE.get(12)) + "}");
        send(
                PROSECUTOR,
                "POST",
                person(candidate) + "/incident-notes",
                "{\"reviewedOn\":\"" + yesterday + "\",\"note\":" + q(INTELLIGENCE.get(6)) + "}");
        address = id(send(
                POLICE,
                "POST",
                base() + "/addresses",
                "{\"address\":" + q(INTELLIGENCE.get(7)) + ",\"note\":\"stash house\"}"));
        send(
                POLICE,
                "POST",
                person(candidate) + "/addresses",
                "{\"address\":" + address + ",\"relation\":" + q(INTELLIGENCE.get(8)) + "}");
        send(
                POLICE,
                "POST",
                base() + "/surveys",
                "{\"surveyedOn\":\"" + yesterday + "\",\"surveyed\":\"corner store owner\",\"source\":\"door to"
                        + " door\",\"namesOffered\":" + q(INTELLIGENCE.get(9))
                        + ",\"addressesOffered\":\"1600 W Madison\"}");
        send(
                COMMUNITY,
                "POST",
                person(candidate) + "/influentials",
                "{\"name\":\"Aunt Beatrice (test)\",\"relationship\":\"aunt\",\"outcome\":\"will come\"}");
        done("3b");
        // Step 4: the banked case
        bankedCase = id(send(
                POLICE,
                "POST",
                person(candidate) + "/banked-cases",
                "{\"buys\":2,\"evidence\":" + q(CASES.get(0)) + ",\"warrant\":" + q(WARRANT)
                        + ",\"deadline\":\"2027-06-01\"}"));
        done("4");
        done("5a");
        // Steps 5a to 7b: the call-in, yesterday evening, its letter, services and attendance
        send(
                POLICE,
                "PUT",
                base() + "/call-in",
                "{\"at\":\"" + yesterday + "T18:30:00\",\"place\":\"District 7 station\"}");
        send(
                POLICE,
                "PUT",
                "/sites/" + SITE + "/letterhead",
                "{\"chief\":\"Chief Example (test)\",\"title\":\"Superintendent\",\"department\":\"Police\","
                        + "\"mailingAddress\":\"3510 S Michigan Ave\"}");
        letter = id(send(POLICE, "POST", person(candidate) + "/letters", null));
        send(POLICE, "PUT", base() + "/letters/" + letter + "/sent", "{\"sentOn\":\"" + yesterday + "\"}");
        done("6a");
        done("7a");
        for (String category :
                List.of("drug-treatment", "education", "job-training", "employment", "family", "transportation")) {
            send(
                    SERVICES,
                    "PUT",
                    base() + "/call-in/services/" + category,
                    "{\"offered\":true,\"provider\":\"Provider of " + category + "\"}");
        }
        send(POC, "PUT", base() + "/call-in/attendance/" + candidate, "{\"attended\":true}");
        send(POC, "POST", base() + "/call-in/held", null);
        done("7b");
        deadline = id(send(
                POLICE,
                "POST",
                base() + "/call-in/deadlines",
                "{\"person\":" + candidate + ",\"due\":\"" + today().plusDays(30)
                        + "\",\"what\":\"enrol in job training\"}"));
        send(
                POLICE,
                "POST",
                base() + "/call-in/deadlines/" + deadline + "/check",
                "{\"outcome\":\"met\",\"checkedOn\":\"" + today + "\",\"note\":\"enrolled\"}");
        // Step 8: a violation, and the banked case activated
        send(
                POLICE,
                "POST",
                person(candidate) + "/violations",
                "{\"occurredOn\":\"" + today + "\",\"description\":" + q(INTELLIGENCE.get(10))
                        + ",\"action\":\"arrest\"}");
        send(
                PROSECUTOR,
                "PUT",
                base() + "/banked-cases/" + bankedCase + "/status",
                "{\"status\":\"activated\",\"reason\":" + q(CASES.get(2)) + "}");
        // Step 9: referrals, the consent naming chi-services, the treatment follow-up, outcomes, mentor, tasks
        referral = id(send(
                SERVICES,
                "POST",
                person(candidate) + "/referrals",
                "{\"category\":\"drug-treatment\",\"provider\":" + q(REFERRAL.get(0)) + "}"));
        jobReferral = send(
                        SERVICES,
                        "POST",
                        base() + "/call-in/referrals",
                        "{\"persons\":[" + candidate + "],\"category\":\"job-training\",\"provider\":\"Trades"
                                + " (test)\"}")
                .json()
                .at("/referrals/0/id")
                .asLong();
        String consentBody = "{\"recipients\":[\"" + SERVICES + "\"],\"purpose\":" + q(REFERRAL.get(1))
                + ",\"information\":\"attendance and progress\",\"givenOn\":\"" + yesterday + "\",\"expiresOn\":\""
                + today().plusDays(30) + "\"}";
        consent = id(send(SERVICES, "POST", referral(referral) + "/consents", consentBody));
        revokedConsent = id(send(SERVICES, "POST", referral(referral) + "/consents", consentBody));
        send(
                SERVICES,
                "POST",
                base() + "/consents/" + revokedConsent + "/revoked",
                "{\"revokedOn\":\"" + today + "\"}");
        send(SERVICES, "POST", referral(referral) + "/treatment", "{\"note\":" + q(TREATMENT_NOTE) + "}");
        send(
                SERVICES,
                "POST",
                referral(referral) + "/outcomes",
                "{\"outcome\":\"engaged\",\"on\":\"" + today + "\",\"note\":" + q(DISCLOSED.get(1)) + "}");
        send(SERVICES, "PUT", referral(referral) + "/mentor", "{\"mentor\":\"Ms. Mentor (test)\"}");
        task = id(send(
                SERVICES,
                "POST",
                referral(referral) + "/tasks",
                "{\"what\":" + q(REFERRAL.get(2)) + ",\"due\":\"" + today().plusDays(7) + "\"}"));
        send(COMMUNITY, "POST", base() + "/tasks/" + task + "/done", "{\"doneOn\":\"" + today + "\"}");
        // the community's work
        send(
                COMMUNITY,
                "POST",
                base() + "/meetings",
                "{\"kind\":\"community-meeting\",\"heldOn\":\"2026-11-15\",\"audience\":\"residents\",\"place\":"
                        + "\"church hall\",\"attendance\":40,\"notes\":\"well attended\"}");
        residentCall = id(send(
                COMMUNITY,
                "POST",
                base() + "/resident-calls",
                "{\"receivedAt\":\"" + yesterday + "T21:45\",\"about\":\"selling at the corner\"}"));
        send(
                POLICE,
                "PUT",
                base() + "/resident-calls/" + residentCall + "/answer",
                "{\"answeredAt\":\"" + yesterday + "T22:05\",\"outcome\":\"patrol sent\"}");
        send(
                COMMUNITY,
                "POST",
                base() + "/newsletters",
                "{\"publishedOn\":\"2026-11-01\",\"title\":\"West End news\",\"notes\":\"\"}");
        // the team, the checklist, areas and the debrief
        String team = "/sites/" + SITE + "/team";
        member = id(send(
                POC,
                "POST",
                team + "/members",
                "{\"name\":\"Officer Example (test)\",\"agency\":\"Police\",\"role\":\"police\",\"pointOfContact\":"
                        + "false,\"startedOn\":\"2026-02-01\",\"contact\":\"desk\"}"));
        send(SITE_ADMIN, "PATCH", team + "/members/" + member, "{\"contact\":\"radio\"}");
        send(
                TTA_STAFF,
                "POST",
                team + "/members/" + member + "/trainings",
                "{\"training\":\"first\",\"attendedOn\":\"2026-02-10\"}");
        send(POC, "POST", team + "/signoffs", "{\"leader\":\"Chief Example (test)\",\"signedOn\":\"2026-02-15\"}");
        send(
                RESEARCH,
                "POST",
                team + "/swot",
                "{\"kind\":\"strength\",\"text\":\"strong partners\",\"intervention\":" + intervention + "}");
        send(
                TTA_STAFF,
                "POST",
                team + "/visits",
                "{\"visitedOn\":\"2026-05-01\",\"visitor\":\"Coach (test)\",\"purpose\":\"check-in\"}");
        send(POLICE, "PUT", base() + "/steps/1/items/1.calls", "{\"status\":\"done\"}");
        send(
                RESEARCH,
                "PUT",
                base() + "/areas",
                "{\"target\":\"" + square(-87.70, 41.80) + "\",\"comparison\":\"" + square(-87.60, 41.80)
                        + "\",\"rationale\":\"the corner and a like one\"}");
        StringBuilder goals = new StringBuilder();
        for (String goal : List.of("eliminate-market", "return-neighborhood", "reduce-crime", "improve-safety")) {
            goals.append(goals.length() == 0 ? "" : ",")
                    .append("{\"goal\":\"")
                    .append(goal)
                    .append("\",\"assessment\":\"too-early\",\"evidence\":\"\"}");
        }
        send(RESEARCH, "POST", base() + "/debriefs", "{\"goals\":[" + goals + "],\"wentToPlan\":\"mostly\"}");
        // an alert the market watch raised (the watch is a schedule, not a route), acknowledged by the police
        alert = f.database.transaction(c -> Sql.insert(
                c,
                "INSERT INTO market_alerts (intervention_id, measure, week_from, observed, expected, upper_tail,"
                        + " raised_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                intervention,
                "drug-incidents",
                LocalDate.of(2026, 11, 2),
                7,
                1.0,
                0.001,
                f.clock.instant()));
        send(POLICE, "POST", "/sites/" + SITE + "/alerts/" + alert + "/acknowledged", "{\"note\":\"patrols\"}");
        seedReviewsAndDisseminations();
        seedRecordsAndPlugIns();
        seedAccountsAndSites();
        seedMaterials();
        seededAuditId = lastAuditId();
        return this;
    }

    /**
     * The shared materials: national staff publish a police-only guide and version it, publish a letter template, and
     * withdraw a third material; at Chicago police adopt the guide's first version and the site administrator adapts
     * the copy, and the point of contact adopts the letter template.
     */
    private void seedMaterials() {
        guide = send(
                        TTA_STAFF,
                        "POST",
                        "/materials",
                        "{\"title\":\"Banking cases (test)\",\"kind\":\"guide\",\"lawEnforcementOnly\":true,"
                                + "\"content\":" + q("Buys and warrants: " + POLICE_MATERIAL.get(0)) + "}")
                .json()
                .get("summary")
                .get("id")
                .asLong();
        send(
                TTA_ADMIN,
                "POST",
                "/materials/" + guide + "/versions",
                "{\"content\":" + q("Buys, warrants and deadlines: " + POLICE_MATERIAL.get(0))
                        + ",\"note\":\"deadlines\",\"replaces\":1}");
        letterTemplate = send(
                        TTA_ADMIN,
                        "POST",
                        "/materials",
                        "{\"title\":\"Call-in letter (test)\",\"kind\":\"letter-template\",\"content\":"
                                + q("Dear {{name}},\\n\\n" + LETTER_MATERIAL.get(0) + " on {{callInDate}}.") + "}")
                .json()
                .get("summary")
                .get("id")
                .asLong();
        long old = send(
                        TTA_STAFF,
                        "POST",
                        "/materials",
                        "{\"title\":\"Old guide (test)\",\"kind\":\"training-material\",\"content\":\"day one\"}")
                .json()
                .get("summary")
                .get("id")
                .asLong();
        send(TTA_STAFF, "POST", "/materials/" + old + "/withdrawal", "{\"reason\":\"replaced\"}");
        String site = "/sites/" + SITE + "/materials/";
        send(POLICE, "POST", site + guide + "/adoptions", "{\"version\":1}");
        send(
                SITE_ADMIN,
                "POST",
                site + guide + "/copies",
                "{\"content\":" + q("Buys and warrants: " + POLICE_MATERIAL.get(1))
                        + ",\"note\":\"ours\",\"replaces\":1}");
        send(POC, "POST", site + letterTemplate + "/adoptions", "{}");
    }

    /**
     * 28 CFR 23.20(g) and (h): a review with its reason; the dealer list, a notebook and a letter given out, each with
     * its recipient and reason; and an entry whose review day passed, purged as the schedule purges it (the purge is
     * a task, not a route).
     */
    private void seedReviewsAndDisseminations() {
        send(PROSECUTOR, "POST", person(candidate) + "/revalidations", "{\"reason\":" + q(REVIEW_REASON) + "}");
        send(
                POLICE,
                "POST",
                base() + "/dealer-list.csv",
                "{\"recipient\":" + q(RECIPIENT) + ",\"reason\":" + q(RELEASE_REASON) + "}");
        send(
                SITE_ADMIN,
                "POST",
                person(candidate) + "/notebook",
                "{\"recipient\":\"District 7 commander (test)\",\"reason\":\"to prepare the call-in\"}");
        send(
                POC,
                "POST",
                base() + "/letters/" + letter + "/pdf",
                "{\"recipient\":\"the candidate, by mail\",\"reason\":\"the invitation to the call-in\"}");
        overdue = id(send(
                POLICE,
                "POST",
                base() + "/persons",
                "{\"name\":\"Overdue Omega (test)\",\"level\":\"street\",\"justification\":\"seen selling\","
                        + "\"source\":\"patrol\"}"));
        f.database.transaction(
                c -> Sql.update(c, "UPDATE persons SET review_due = ? WHERE id = ?", today().minusDays(1), overdue));
        int purged =
                new org.dmiplatform.core.internal.programme.Purge(f.database, f.audit, f.sites, f.clock).purgeDue(SITE);
        if (purged != 1) {
            throw new AssertionError("the overdue entry was not purged: " + purged);
        }
    }

    private void seedRecordsAndPlugIns() {
        String site = "/sites/" + SITE;
        // an import; a pull, cancelled while its adapter waits, and run again
        importId = id(send(
                POLICE,
                "POST",
                site + "/imports?name=export.csv",
                "A1,2026-11-01T12:00:00\nA2,2026-11-02T12:00:00\n",
                "text/csv"));
        importPermits.release();
        awaitImport(importId);
        // cancelling a finished import changes nothing, and is asked for all the same
        send(SITE_ADMIN, "DELETE", site + "/imports/" + importId, null);
        long pulled = id(send(POLICE, "POST", site + "/imports/pull", null));
        // cancelled while its adapter waits, not while queued: a queued one ends at once, writing its outcome
        // (records.import, the job's own entry) during the cancel's call
        awaitStatus(pulled, "RUNNING");
        send(SITE_ADMIN, "DELETE", site + "/imports/" + pulled, null);
        importPermits.release();
        awaitImport(pulled);
        long again = id(send(POLICE, "POST", site + "/imports/" + pulled + "/rerun", null));
        importPermits.release();
        awaitImport(again);
        // boundary layers and the directory, through the site's (recording) plug-ins
        send(
                POLICE,
                "POST",
                site + "/layers?name=beats&file=beats.geojson",
                "{\"type\":\"FeatureCollection\",\"features\":[]}",
                "application/geo+json");
        send(SITE_ADMIN, "DELETE", site + "/layers/beats", null);
        send(SERVICES, "POST", site + "/directory/import?file=services.json", "[]", "application/json");
        send(
                SERVICES,
                "POST",
                site + "/directory/services",
                "{\"name\":\"Access Detox\",\"categories\":[\"drug-treatment\"]}");
        send(
                COMMUNITY,
                "PUT",
                site + "/directory/services/a",
                "{\"name\":\"Access Detox\",\"categories\":[\"drug-treatment\"]}");
        send(SITE_ADMIN, "DELETE", site + "/directory/services/a", null);
        // onboarding: a profile drafted from a sample, saved in the site's folder, tried on the sample
        String sample = sample();
        JsonNode drafted = send(POLICE, "POST", site + "/profile-drafts?name=cad-calls.csv", sample, "text/csv")
                .json();
        try {
            Path folder = Files.createDirectories(f.sitesFolder.resolve(SITE + "/profiles"));
            profileFile = "calls.json";
            Files.writeString(
                    folder.resolve(profileFile), drafted.get("profile").asText());
            if (!drafted.get("codeTableName").asText().isEmpty()) {
                Files.writeString(
                        folder.resolve(drafted.get("codeTableName").asText()),
                        drafted.get("codeTable").asText());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        send(
                TTA_STAFF,
                "POST",
                site + "/profiles/" + profileFile + "/trial?name=cad-calls.csv&show=5",
                sample,
                "text/csv");
        // a report asked for as a run, made in the background as the police: held until its request is recorded,
        // so the entry of its making (report.process) is not counted as the request's
        f.heldRuns.hold();
        run = id(send(
                POLICE,
                "POST",
                site + "/runs",
                "{\"request\":\"" + site + "/interventions/" + intervention + "/reports/process\"}"));
        f.heldRuns.release();
        awaitRun(run);
    }

    private void seedAccountsAndSites() {
        newUser = id(send(
                TTA_ADMIN,
                "POST",
                "/users",
                "{\"username\":\"chi-newcomer\",\"displayName\":\"Newcomer (test)\",\"password\":" + q(NEW_PASSWORD)
                        + ",\"grants\":[{\"role\":\"community\",\"site\":\"" + SITE + "\"}]}"));
        send(SITE_ADMIN, "PATCH", "/users/" + newUser, "{\"displayName\":\"Newcomer Two (test)\"}");
        send(SITE_ADMIN, "PUT", "/users/" + newUser + "/password", "{\"newPassword\":" + q(CHANGED_PASSWORD) + "}");
        clients.put("chi-newcomer", logIn("chi-newcomer", CHANGED_PASSWORD));
        send(
                "chi-newcomer",
                "PUT",
                "/users/" + newUser + "/password",
                "{\"currentPassword\":" + q(CHANGED_PASSWORD) + ",\"newPassword\":" + q(OWN_NEW_PASSWORD) + "}");
        send(TTA_ADMIN, "POST", "/users/" + newUser + "/unlock", null);
        clients.put(NEWCOMER, logIn(NEWCOMER, OWN_NEW_PASSWORD));
        // a second factor set up on the account page, a log-in in two steps, and the second factor turned off
        String secret = send(
                        NEWCOMER,
                        "POST",
                        "/users/" + newUser + "/second-factor",
                        "{\"currentPassword\":" + q(OWN_NEW_PASSWORD) + "}")
                .json()
                .get("secret")
                .asText();
        f.authenticators.put(NEWCOMER, secret);
        send(NEWCOMER, "PUT", "/users/" + newUser + "/second-factor", "{\"code\":" + q(f.code(NEWCOMER)) + "}");
        clients.put(NEWCOMER, logIn(NEWCOMER, OWN_NEW_PASSWORD));
        send(
                NEWCOMER,
                "DELETE",
                "/users/" + newUser + "/second-factor",
                "{\"currentPassword\":" + q(OWN_NEW_PASSWORD) + ",\"code\":" + q(f.code(NEWCOMER)) + "}");
        send(NEWCOMER, "DELETE", "/session", null);
        clients.remove(NEWCOMER);
        // a site administrator's first log-in enrols the second factor; a TTA administrator resets it
        newAdmin = id(send(
                TTA_ADMIN,
                "POST",
                "/users",
                "{\"username\":\"" + NEW_ADMIN + "\",\"displayName\":\"New Admin (test)\",\"password\":"
                        + q(NEW_PASSWORD) + ",\"grants\":[{\"role\":\"" + Role.SITE_ADMIN.id() + "\",\"site\":\""
                        + SITE + "\"}]}"));
        logIn(NEW_ADMIN, NEW_PASSWORD);
        send(TTA_ADMIN, "POST", "/users/" + newAdmin + "/second-factor/reset", null);
        send(
                TTA_STAFF,
                "POST",
                "/sites",
                "{\"id\":\"austin\",\"name\":\"Austin\",\"jurisdiction\":\"Austin, TX\",\"timeZone\":\"America/Chicago\"}");
        send(SITE_ADMIN, "PUT", "/sites/" + SITE, "{\"name\":\"Chicago (test)\"}");
    }

    /**
     * Logs in through the API, each step a recorded request: the password; when the answer asks for the second
     * factor, the enrolment if required (the secret kept in the fixture's authenticators) and the code.
     */
    Client logIn(String user, String password) {
        Response r =
                recordPublic(user, "/session", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        if (r.status() == 202) {
            String token = r.json().get("token").asText();
            if (r.json().get("enrolmentRequired").asBoolean()) {
                String secret = recordPublic(user, "/session/second-factor/enrolment", "{\"token\":" + q(token) + "}")
                        .json()
                        .get("secret")
                        .asText();
                f.authenticators.put(user, secret);
            }
            r = recordPublic(
                    user, "/session/second-factor", "{\"token\":" + q(token) + ",\"code\":" + q(f.code(user)) + "}");
        }
        String cookie = r.raw().header("Set-Cookie");
        return new Client(
                cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')),
                r.json().get("csrfToken").asText());
    }

    /** A recorded POST to a public log-in route, with no session. */
    private Response recordPublic(String user, String path, String body) {
        return record(
                user, "POST", path, () -> f.send("POST", path, body, null, Map.of("content-type", "application/json")));
    }

    private void awaitStatus(long id, String wanted) {
        for (int i = 0; i < 500; i++) {
            String status = f.send("GET", "/sites/" + SITE + "/imports/" + id, null, clients.get(POLICE))
                    .json()
                    .get("status")
                    .asText();
            if (status.equals(wanted)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("import " + id + " never read " + wanted);
    }

    private void awaitImport(long id) {
        awaitEnd("/imports/" + id, "PUBLISHED", "FAILED", "CANCELLED", "INTERRUPTED");
    }

    private void awaitRun(long id) {
        awaitEnd("/runs/" + id, "DONE");
    }

    /** Polls the police's view of an import or a run of the site, without recording it, until it has one status. */
    private void awaitEnd(String path, String... statuses) {
        for (int i = 0; i < 500; i++) {
            String status = f.send("GET", "/sites/" + SITE + path, null, clients.get(POLICE))
                    .json()
                    .get("status")
                    .asText();
            if (List.of(statuses).contains(status)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(path + " did not end");
    }

    private static String sample() {
        try (InputStream in = SeededSite.class.getResourceAsStream("/onboarding/cad-calls.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        importPermits.release(100);
        f.close();
    }

    /**
     * The id,time pairs of {@link RecordApiTest.PairAdapter} from a file, or a pull of nothing, each only once the test
     * gives a permit. It waits through interrupts, so a cancelled import ends only when the test lets it.
     */
    static final class BlockingAdapter implements RecordsAdapter {
        private final Semaphore permits;
        private final RecordsAdapter pairs = new RecordApiTest.PairAdapter();
        private final boolean pulls;

        BlockingAdapter(Semaphore permits, boolean pulls) {
            this.permits = permits;
            this.pulls = pulls;
        }

        @Override
        public String describe() {
            return "id,time pairs, when let";
        }

        @Override
        public boolean pulls() {
            return pulls;
        }

        @Override
        public void read(RecordsInput input, RecordSink sink) throws IOException {
            permits.acquireUninterruptibly();
            if (pulls) {
                return;
            }
            pairs.read(input, sink);
        }
    }
}
