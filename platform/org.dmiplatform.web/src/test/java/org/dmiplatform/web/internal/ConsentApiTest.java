package org.dmiplatform.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.List;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.TreatmentConsents;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** 42 CFR Part 2 over REST: only the named recipient reads the follow-up, with the notice; police reach nothing. */
public class ConsentApiTest {
    private ApiFixture f;
    private String base;

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("chi-coordinator", Grant.at("chicago", Role.SERVICES));
        f.user("chi-navigator", Grant.at("chicago", Role.SERVICES));
        f.user("chi-police", Grant.at("chicago", Role.POLICE));
        Caller poc = new Caller(f.accounts.findByUsername("chi-coordinator").orElseThrow(), "test");
        long intervention = f.programme
                .create(
                        "chicago",
                        new Programme.NewIntervention("West End", LocalDate.of(2026, 3, 1), ""),
                        caller(Role.POC))
                .id();
        long person = f.market
                .enter(
                        "chicago",
                        intervention,
                        new Market.NewPerson("Candidate (test)", "", Market.Level.STREET, "seen selling", "survey", ""),
                        caller(Role.POLICE))
                .id();
        f.market.decide(
                "chicago", intervention, person, Market.Decision.CALL_IN, "street level", caller(Role.PROSECUTOR));
        long referral = f.market
                .addReferral(
                        "chicago",
                        intervention,
                        person,
                        new Market.NewReferral(
                                Market.ServiceCategory.DRUG_TREATMENT, "Provider (test)", LocalDate.of(2026, 3, 2)),
                        poc)
                .id();
        base = "/sites/chicago/interventions/" + intervention + "/referrals/" + referral;
    }

    private static Caller caller(Role role) {
        return new Caller(
                new org.dmiplatform.api.access.User(
                        90 + role.ordinal(),
                        "system-" + role.id(),
                        "",
                        List.of(Grant.at("chicago", role)),
                        true,
                        false,
                        java.time.Instant.EPOCH),
                Actor.SYSTEM.from());
    }

    @After
    public void tearDown() {
        f.close();
    }

    @Test
    public void theNamedRecipientReadsTheFollowUpWithTheNoticeAndNoOneElseDoes() {
        Client coordinator = f.logIn("chi-coordinator");
        // the platform's today (the fixture's clock) in Chicago
        LocalDate today = LocalDate.ofInstant(f.clock.instant(), java.time.ZoneId.of("America/Chicago"));
        Response given = f.send(
                "POST",
                base + "/consents",
                "{\"recipients\":[\"chi-coordinator\"],\"purpose\":\"coordinate"
                        + " services\",\"information\":\"attendance\",\"givenOn\":\""
                        + today.minusDays(1)
                        + "\",\"expiresOn\":\"" + today.plusDays(30) + "\"}",
                coordinator);
        assertEquals(given.text(), 201, given.status());
        assertEquals(
                201,
                f.send("POST", base + "/treatment", "{\"note\":\"attended intake\"}", coordinator)
                        .status());

        Response mine = f.send("GET", base + "/treatment", null, coordinator);
        assertEquals(200, mine.status());
        JsonNode d = mine.json();
        assertTrue(d.get("disclosed").asBoolean());
        assertEquals("attended intake", d.at("/disclosure/notes/0/note").asText());
        assertEquals(
                TreatmentConsents.REDISCLOSURE_NOTICE,
                d.at("/disclosure/notice").asText());

        JsonNode other = f.send("GET", base + "/treatment", null, f.logIn("chi-navigator"))
                .json();
        assertFalse(other.get("disclosed").asBoolean());
        assertEquals("nothing else: " + other, 1, other.size());
        assertFalse(other.toString(), other.toString().contains("attended"));

        Client police = f.logIn("chi-police");
        for (String path : List.of(base + "/treatment", base + "/consents")) {
            assertEquals(path, 403, f.send("GET", path, null, police).status());
        }
        assertEquals(
                403,
                f.send("POST", base + "/treatment", "{\"note\":\"x\"}", police).status());
    }

    @Test
    public void outcomesMentorsTasksAndTheOverdueListOverRest() {
        Client coordinator = f.logIn("chi-coordinator");
        LocalDate today = LocalDate.ofInstant(f.clock.instant(), java.time.ZoneId.of("America/Chicago"));
        String intakeToday = "{\"outcome\":\"intake\",\"on\":\"" + today + "\"}";
        assertEquals(
                "a treatment provider's outcome needs a consent naming the one who records it",
                403,
                f.send("POST", base + "/outcomes", intakeToday, coordinator).status());
        assertEquals(
                201,
                f.send(
                                "POST",
                                base + "/consents",
                                "{\"recipients\":[\"chi-coordinator\"],\"purpose\":\"coordinate\",\"information\":"
                                        + "\"progress\",\"givenOn\":\"" + today + "\",\"expiresOn\":\""
                                        + today.plusDays(30) + "\"}",
                                coordinator)
                        .status());
        Response intake = f.send("POST", base + "/outcomes", intakeToday, coordinator);
        assertEquals(intake.text(), 201, intake.status());
        assertEquals(
                400,
                f.send("POST", base + "/outcomes", "{\"outcome\":\"vanished\",\"on\":\"" + today + "\"}", coordinator)
                        .status());
        assertEquals(
                200,
                f.send("PUT", base + "/mentor", "{\"mentor\":\"Ms. Mentor (test)\"}", coordinator)
                        .status());
        Response task = f.send(
                "POST",
                base + "/tasks",
                "{\"what\":\"call about intake\",\"due\":\"" + today.minusDays(1) + "\"}",
                coordinator);
        assertEquals(task.text(), 201, task.status());
        JsonNode followUp =
                f.send("GET", base + "/follow-up", null, coordinator).json();
        assertEquals("intake", followUp.at("/history/0/value").asText());
        assertEquals("Ms. Mentor (test)", followUp.at("/history/1/value").asText());
        assertEquals(
                TreatmentConsents.REDISCLOSURE_NOTICE, followUp.get("notice").asText());
        JsonNode notNamed = f.send("GET", base + "/follow-up", null, f.logIn("chi-navigator"))
                .json();
        assertEquals("only the mentor: " + notNamed, 1, notNamed.get("history").size());
        assertFalse(
                notNamed.toString(), notNamed.get("history").toString().contains("intake") || notNamed.has("notice"));
        JsonNode overdue = f.send("GET", "/sites/chicago/follow-ups/overdue", null, coordinator)
                .json();
        assertEquals("call about intake", overdue.at("/overdue/0/what").asText());
        assertEquals(
                403,
                f.send("GET", "/sites/chicago/follow-ups/overdue", null, f.logIn("chi-police"))
                        .status());
        String done = "/sites/chicago/interventions/"
                + task.json().get("intervention").asLong() + "/tasks/"
                + task.json().get("id").asLong() + "/done";
        assertEquals(
                200,
                f.send("POST", done, "{\"doneOn\":\"" + today + "\"}", coordinator)
                        .status());
        assertEquals(
                0,
                f.send("GET", "/sites/chicago/follow-ups/overdue", null, coordinator)
                        .json()
                        .get("overdue")
                        .size());
    }

    @Test
    public void candidatesAreReferredTogetherAndTheCallInsOutcomesCounted() {
        Client coordinator = f.logIn("chi-coordinator");
        String intervention = base.substring(0, base.indexOf("/referrals/"));
        long person = f.market
                .persons(
                        "chicago",
                        Long.parseLong(intervention.substring(intervention.lastIndexOf('/') + 1)),
                        caller(Role.POLICE))
                .get(0)
                .id();
        Response gone = f.send(
                "POST",
                intervention + "/persons/" + person + "/referrals",
                "{\"category\":\"job-training\",\"serviceId\":\"no-such-service\"}",
                coordinator);
        assertEquals(gone.text(), 400, gone.status());
        assertEquals("serviceId", gone.json().at("/errors/0/field").asText());
        assertTrue(gone.text(), gone.json().at("/errors/0/reason").asText().contains("no service 'no-such-service'"));

        Response twice = f.send(
                "POST",
                intervention + "/call-in/referrals",
                "{\"persons\":[" + person + "," + person
                        + "],\"category\":\"job-training\",\"provider\":\"Trades (test)\"}",
                coordinator);
        assertEquals(twice.text(), 400, twice.status());
        Response made = f.send(
                "POST",
                intervention + "/call-in/referrals",
                "{\"persons\":[" + person + "],\"category\":\"job-training\",\"provider\":\"Trades (test)\"}",
                coordinator);
        assertEquals(made.text(), 201, made.status());
        assertEquals("Trades (test)", made.json().at("/referrals/0/provider").asText());
        assertEquals(
                "referred today at the site",
                LocalDate.ofInstant(f.clock.instant(), java.time.ZoneId.of("America/Chicago"))
                        .toString(),
                made.json().at("/referrals/0/referredOn").asText());

        JsonNode outcomes = f.send("GET", intervention + "/call-in/referral-outcomes", null, coordinator)
                .json()
                .get("outcomes");
        assertEquals(6, outcomes.size());
        assertEquals("drug-treatment", outcomes.at("/0/category").asText());
        assertTrue(outcomes.at("/0/providerOutcomesWithheld").asBoolean());
        assertEquals(
                403,
                f.send("GET", intervention + "/call-in/referral-outcomes", null, f.logIn("chi-police"))
                        .status());
        assertEquals(
                403,
                f.send(
                                "POST",
                                intervention + "/call-in/referrals",
                                "{\"persons\":[" + person + "]}",
                                f.logIn("chi-police"))
                        .status());
    }
}
