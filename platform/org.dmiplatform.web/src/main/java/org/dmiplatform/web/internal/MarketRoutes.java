package org.dmiplatform.web.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Market;

/**
 * The dealer list and what hangs on it. The route lets in the roles that see persons at all; {@link Market} decides
 * which persons and which fields each role gets, and audits every read.
 */
final class MarketRoutes {
    static final String PERSONS = ProgrammeRoutes.INTERVENTION + "/persons";
    static final String PERSON = PERSONS + "/{person}";

    record PersonRequest(
            String name, String alias, Market.Level level, String justification, String source, String sensitivity) {}

    record FactsRequest(
            Market.Level level, Boolean active, Boolean violenceHistory, String violenceNote, String pendingCharges) {}

    record DecisionRequest(Market.Decision decision, String criteria) {}

    record InfluentialRequest(String name, String relationship, String outcome, LocalDate contactedOn) {}

    record CaseRequest(Integer buys, String evidence, String warrant, LocalDate deadline) {}

    record CaseChangeRequest(Market.BankedStatus status, String reason) {}

    record ViolationRequest(LocalDate occurredOn, String description, String action) {}

    record ReferralRequest(Market.ServiceCategory category, String provider, LocalDate referredOn, String serviceId) {
        Market.NewReferral referral() {
            return new Market.NewReferral(category, provider, referredOn, serviceId);
        }
    }

    record BulkReferralRequest(
            List<Long> persons,
            Market.ServiceCategory category,
            String provider,
            LocalDate referredOn,
            String serviceId) {}

    record AddressRequest(String address, String note) {}

    record SurveyRequest(
            LocalDate surveyedOn, String surveyed, String source, String namesOffered, String addressesOffered) {}

    record IncidentNoteRequest(LocalDate reviewedOn, String note) {}

    record AddressLinkRequest(Long address, String relation) {}

    record RevalidationRequest(String reason) {}

    /** A copy given out (28 CFR 23.20(g)): to whom and why, both required. */
    record ReleaseRequest(String recipient, String reason) {
        Market.Release release() {
            return new Market.Release(recipient, reason);
        }
    }

    /** The entries due for review within this many days, unless the query says otherwise. */
    static final int REVIEWS_WITHIN = 90;

    /** A copy given out: a file to save, never kept by a cache (every answer is sent no-store). */
    static Reply attachment(String type, String text, String file) {
        return Reply.raw(type, text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .withHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
    }

    /** The notebook page: its style inline, nothing run, loaded or sent, not framed. */
    static final String NOTEBOOK_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none';"
            + " form-action 'none'; frame-ancestors 'none'; sandbox";

    private final Market market;

    MarketRoutes(Market market) {
        this.market = market;
    }

    List<Route> routes() {
        Guard people =
                Guard.site(Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN, Role.COMMUNITY, Role.SERVICES, Role.POC);
        Guard lawEnforcement = Guard.site(Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN);
        Guard referrals = Guard.site(Role.SERVICES, Role.COMMUNITY, Role.POC);
        return List.of(
                Route.of(
                        "GET",
                        PERSONS,
                        people,
                        null,
                        call -> Reply.ok(Map.of(
                                "persons",
                                market.persons(call.param("site"), call.idParam("intervention"), call.caller())))),
                Route.of("POST", PERSONS, lawEnforcement, null, call -> {
                    PersonRequest b = call.body(PersonRequest.class);
                    return Reply.created(market.enter(
                            call.param("site"),
                            call.idParam("intervention"),
                            new Market.NewPerson(
                                    b.name(), b.alias(), b.level(), b.justification(), b.source(), b.sensitivity()),
                            call.caller()));
                }),
                Route.of(
                        "GET",
                        PERSON,
                        people,
                        null,
                        call -> Reply.ok(market.person(
                                call.param("site"),
                                call.idParam("intervention"),
                                call.idParam("person"),
                                call.caller()))),
                Route.of("PATCH", PERSON, lawEnforcement, null, call -> {
                    FactsRequest b = call.body(FactsRequest.class);
                    return Reply.ok(market.refine(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("person"),
                            new Market.Facts(
                                    Optional.ofNullable(b.level()),
                                    Optional.ofNullable(b.active()),
                                    Optional.ofNullable(b.violenceHistory()),
                                    Optional.ofNullable(b.violenceNote()),
                                    Optional.ofNullable(b.pendingCharges())),
                            call.caller()));
                }),
                Route.of("PUT", PERSON + "/decision", Guard.site(Role.POLICE, Role.PROSECUTOR), null, call -> {
                    DecisionRequest b = call.body(DecisionRequest.class);
                    return Reply.ok(market.decide(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("person"),
                            b.decision(),
                            b.criteria(),
                            call.caller()));
                }),
                Route.of("POST", PERSON + "/influentials", people, null, call -> {
                    InfluentialRequest b = call.body(InfluentialRequest.class);
                    return Reply.created(market.addInfluential(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("person"),
                            new Market.NewInfluential(
                                    b.name(), b.relationship(), b.outcome(), Optional.ofNullable(b.contactedOn())),
                            call.caller()));
                }),
                Route.of("POST", PERSON + "/banked-cases", Guard.site(Role.POLICE, Role.PROSECUTOR), null, call -> {
                    CaseRequest b = call.body(CaseRequest.class);
                    return Reply.created(market.bankCase(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("person"),
                            new Market.NewBankedCase(
                                    b.buys() == null ? 0 : b.buys(), b.evidence(), b.warrant(), b.deadline()),
                            call.caller()));
                }),
                Route.of(
                        "PUT",
                        ProgrammeRoutes.INTERVENTION + "/banked-cases/{case}/status",
                        Guard.site(Role.POLICE, Role.PROSECUTOR),
                        null,
                        call -> {
                            CaseChangeRequest b = call.body(CaseChangeRequest.class);
                            return Reply.ok(market.changeCase(
                                    call.param("site"),
                                    call.idParam("intervention"),
                                    call.idParam("case"),
                                    b.status(),
                                    b.reason(),
                                    call.caller()));
                        }),
                Route.of("POST", PERSON + "/violations", Guard.site(Role.POLICE, Role.PROSECUTOR), null, call -> {
                    ViolationRequest b = call.body(ViolationRequest.class);
                    return Reply.created(market.addViolation(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("person"),
                            b.occurredOn(),
                            b.description(),
                            b.action(),
                            call.caller()));
                }),
                Route.of(
                        "POST",
                        PERSON + "/referrals",
                        referrals,
                        null,
                        call -> Reply.created(market.addReferral(
                                call.param("site"),
                                call.idParam("intervention"),
                                call.idParam("person"),
                                call.body(ReferralRequest.class).referral(),
                                call.caller()))),
                Route.of("POST", ProgrammeRoutes.INTERVENTION + "/call-in/referrals", referrals, null, call -> {
                    BulkReferralRequest b = call.body(BulkReferralRequest.class);
                    return Reply.created(Map.of(
                            "referrals",
                            market.referAll(
                                    call.param("site"),
                                    call.idParam("intervention"),
                                    b.persons(),
                                    new Market.NewReferral(b.category(), b.provider(), b.referredOn(), b.serviceId()),
                                    call.caller())));
                }),
                Route.of(
                        "GET",
                        ProgrammeRoutes.INTERVENTION + "/addresses",
                        lawEnforcement,
                        "address.list",
                        call -> Reply.ok(Map.of(
                                "addresses",
                                market.addresses(call.param("site"), call.idParam("intervention"), call.caller())))),
                // Step 2: the surveys; Step 3: the incident review, person by person, and the link chart
                Route.of(
                        "GET",
                        ProgrammeRoutes.INTERVENTION + "/surveys",
                        lawEnforcement,
                        null,
                        call -> Reply.ok(Map.of(
                                "surveys",
                                market.surveys(call.param("site"), call.idParam("intervention"), call.caller())))),
                Route.of("POST", ProgrammeRoutes.INTERVENTION + "/surveys", lawEnforcement, null, call -> {
                    SurveyRequest b = call.body(SurveyRequest.class);
                    return Reply.created(market.addSurvey(
                            call.param("site"),
                            call.idParam("intervention"),
                            new Market.NewSurvey(
                                    b.surveyedOn(), b.surveyed(), b.source(), b.namesOffered(), b.addressesOffered()),
                            call.caller()));
                }),
                Route.of("POST", PERSON + "/incident-notes", Guard.site(Role.POLICE, Role.PROSECUTOR), null, call -> {
                    IncidentNoteRequest b = call.body(IncidentNoteRequest.class);
                    return Reply.created(market.addIncidentNote(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("person"),
                            b.reviewedOn(),
                            b.note(),
                            call.caller()));
                }),
                Route.of("POST", PERSON + "/addresses", Guard.site(Role.POLICE, Role.PROSECUTOR), null, call -> {
                    AddressLinkRequest b = call.body(AddressLinkRequest.class);
                    if (b.address() == null) {
                        throw new org.dmiplatform.api.InvalidInputException(org.dmiplatform.api.InputError.of(
                                "address link", "address", "is required: the id of a key address of the intervention"));
                    }
                    return Reply.created(market.linkAddress(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("person"),
                            b.address(),
                            b.relation(),
                            call.caller()));
                }),
                Route.of(
                        "GET",
                        ProgrammeRoutes.INTERVENTION + "/link-chart",
                        lawEnforcement,
                        null,
                        call -> Reply.ok(
                                market.linkChart(call.param("site"), call.idParam("intervention"), call.caller()))),
                // Step 7b: the notebook on a person, to print for the call-in
                Route.of("GET", PERSON + "/notebook", lawEnforcement, null, call -> Reply.raw(
                                "text/html; charset=utf-8",
                                market.notebook(
                                                call.param("site"),
                                                call.idParam("intervention"),
                                                call.idParam("person"),
                                                call.caller())
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .withHeader("Content-Security-Policy", NOTEBOOK_CSP)
                        .withHeader("Cache-Control", "no-store")),
                // 28 CFR 23.20(g): a copy given out, as a file, says to whom and why (the dissemination log)
                Route.of("POST", PERSON + "/notebook", lawEnforcement, null, call -> attachment(
                                "text/html; charset=utf-8",
                                market.notebookFile(
                                        call.param("site"),
                                        call.idParam("intervention"),
                                        call.idParam("person"),
                                        call.body(ReleaseRequest.class).release(),
                                        call.caller()),
                                "notebook-" + call.idParam("person") + ".html")
                        .withHeader("Content-Security-Policy", NOTEBOOK_CSP)),
                Route.of(
                        "POST",
                        ProgrammeRoutes.INTERVENTION + "/dealer-list.csv",
                        lawEnforcement,
                        null,
                        call -> attachment(
                                "text/csv; charset=utf-8",
                                market.dealerListFile(
                                        call.param("site"),
                                        call.idParam("intervention"),
                                        call.body(ReleaseRequest.class).release(),
                                        call.caller()),
                                "dealer-list-" + call.idParam("intervention") + ".csv")),
                Route.of(
                        "GET",
                        "/sites/{site}/disseminations",
                        Guard.site(Role.POLICE, Role.SITE_ADMIN),
                        null,
                        this::disseminations),
                // 28 CFR 23.20(h): review within five years, or purge
                Route.of(
                        "POST",
                        PERSON + "/revalidations",
                        lawEnforcement,
                        null,
                        call -> Reply.created(market.revalidate(
                                call.param("site"),
                                call.idParam("intervention"),
                                call.idParam("person"),
                                call.body(RevalidationRequest.class).reason(),
                                call.caller()))),
                Route.of(
                        "GET",
                        PERSON + "/revalidations",
                        lawEnforcement,
                        null,
                        call -> Reply.ok(Map.of(
                                "revalidations",
                                market.revalidations(
                                        call.param("site"),
                                        call.idParam("intervention"),
                                        call.idParam("person"),
                                        call.caller())))),
                Route.of("GET", "/sites/{site}/reviews-due", lawEnforcement, null, call -> {
                    long within = call.request
                            .query("within")
                            .filter(t -> !t.isBlank())
                            .map(AuditRoutes::number)
                            .orElse((long) REVIEWS_WITHIN);
                    return Reply.ok(Map.of(
                            "within",
                            within,
                            "due",
                            market.reviewsDue(
                                    call.param("site"),
                                    (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, within)),
                                    call.caller())));
                }),
                Route.of(
                        "GET",
                        "/sites/{site}/purged",
                        Guard.site(Role.POLICE, Role.SITE_ADMIN),
                        null,
                        call -> Reply.ok(Map.of("purged", market.purged(call.param("site"), call.caller())))),
                Route.of("POST", ProgrammeRoutes.INTERVENTION + "/addresses", lawEnforcement, null, call -> {
                    AddressRequest b = call.body(AddressRequest.class);
                    return Reply.created(market.addAddress(
                            call.param("site"), call.idParam("intervention"), b.address(), b.note(), call.caller()));
                }));
    }

    /** {@code ?before=<id>&limit=50}: the site's dissemination log, the latest first, with the next page's cursor. */
    private Reply disseminations(Call call) {
        int limit = (int) Math.max(
                1,
                Math.min(
                        500,
                        call.request
                                .query("limit")
                                .filter(t -> !t.isBlank())
                                .map(AuditRoutes::number)
                                .orElse(50L)));
        List<Market.Dissemination> page = market.disseminations(
                call.param("site"),
                call.request.query("before").filter(t -> !t.isBlank()).map(AuditRoutes::number),
                limit,
                call.caller());
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("disseminations", page);
        if (page.size() == limit) {
            body.put("next", page.get(page.size() - 1).id());
        }
        return Reply.ok(body);
    }
}
