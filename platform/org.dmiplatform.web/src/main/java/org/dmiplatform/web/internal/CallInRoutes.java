package org.dmiplatform.web.internal;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CallIns;

/** The call-in's plan, the letters to candidates (as JSON, HTML and PDF) and attendance. */
final class CallInRoutes {
    static final String CALL_IN = ProgrammeRoutes.INTERVENTION + "/call-in";
    static final String LETTERS = ProgrammeRoutes.INTERVENTION + "/letters";

    record PlanRequest(LocalDateTime at, String place, String speakers, String providersPresent) {}

    record AttendanceRequest(Boolean attended) {}

    record SentRequest(LocalDate sentOn) {}

    /** {@code callIn} is absent until the call-in's time and place are set. */
    record CallInView(java.util.Optional<CallIns.CallIn> callIn) {}

    /** A letter is a document of its own: no script at all, its own inline style, shown framed by the console. */
    static final String LETTER_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'";

    /** Step 7a for one category: offered by a provider (from the directory, or named), or not offered and why. */
    record ServiceRequest(Boolean offered, String provider, String serviceId, String note) {}

    record DeadlineRequest(Long person, LocalDate due, String what) {}

    record DeadlineCheckRequest(CallIns.DeadlineOutcome outcome, LocalDate checkedOn, String note) {}

    private final CallIns callIns;

    CallInRoutes(CallIns callIns) {
        this.callIns = callIns;
    }

    List<Route> routes() {
        Guard team = Guard.site(Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN, Role.COMMUNITY, Role.SERVICES, Role.POC);
        Guard writers = Guard.site(Role.POLICE, Role.POC, Role.SITE_ADMIN);
        Guard readers = Guard.site(Role.POLICE, Role.PROSECUTOR, Role.POC, Role.SITE_ADMIN);
        return List.of(
                // the site's letterhead: who signs the letters, and where they come from
                Route.of(
                        "GET",
                        "/sites/{site}/letterhead",
                        readers,
                        null,
                        call -> Reply.ok(callIns.letterhead(call.param("site"), call.caller())
                                .<Object>map(l -> Map.of("letterhead", l))
                                .orElse(Map.of()))),
                Route.of(
                        "PUT",
                        "/sites/{site}/letterhead",
                        writers,
                        null,
                        call -> Reply.ok(callIns.setLetterhead(
                                call.param("site"), call.body(CallIns.Letterhead.class), call.caller()))),
                // Step 7b: the deadline given to each candidate at the call-in, and whether it was met
                Route.of(
                        "GET",
                        CALL_IN + "/deadlines",
                        readers,
                        null,
                        call -> Reply.ok(Map.of(
                                "deadlines",
                                callIns.deadlines(call.param("site"), call.idParam("intervention"), call.caller())))),
                Route.of("POST", CALL_IN + "/deadlines", writers, null, call -> {
                    DeadlineRequest b = call.body(DeadlineRequest.class);
                    if (b.person() == null) {
                        throw new org.dmiplatform.api.InvalidInputException(org.dmiplatform.api.InputError.of(
                                "deadline", "person", "is required: the id of an invited candidate"));
                    }
                    return Reply.created(callIns.giveDeadline(
                            call.param("site"),
                            call.idParam("intervention"),
                            b.person(),
                            b.due(),
                            b.what(),
                            call.caller()));
                }),
                Route.of("POST", CALL_IN + "/deadlines/{deadline}/check", writers, null, call -> {
                    DeadlineCheckRequest b = call.body(DeadlineCheckRequest.class);
                    return Reply.ok(callIns.checkDeadline(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("deadline"),
                            b.outcome(),
                            b.checkedOn(),
                            b.note(),
                            call.caller()));
                }),
                Route.of(
                        "GET",
                        CALL_IN,
                        team,
                        null,
                        call -> Reply.ok(new CallInView(
                                callIns.callIn(call.param("site"), call.idParam("intervention"), call.caller())))),
                Route.of(
                        "PUT",
                        CALL_IN,
                        Guard.site(Role.POLICE, Role.COMMUNITY, Role.POC, Role.SITE_ADMIN),
                        null,
                        call -> {
                            PlanRequest b = call.body(PlanRequest.class);
                            return Reply.ok(callIns.plan(
                                    call.param("site"),
                                    call.idParam("intervention"),
                                    new CallIns.Plan(b.at(), b.place(), b.speakers(), b.providersPresent()),
                                    call.caller()));
                        }),
                Route.of(
                        "POST",
                        CALL_IN + "/held",
                        team,
                        null,
                        call -> Reply.ok(
                                callIns.held(call.param("site"), call.idParam("intervention"), call.caller()))),
                Route.of(
                        "PUT",
                        CALL_IN + "/services/{category}",
                        Guard.site(Role.SERVICES, Role.COMMUNITY, Role.POC, Role.SITE_ADMIN),
                        null,
                        call -> {
                            ServiceRequest b = call.body(ServiceRequest.class);
                            return Reply.ok(callIns.arrangeService(
                                    call.param("site"),
                                    call.idParam("intervention"),
                                    new CallIns.Arrangement(
                                            DirectoryRoutes.category(call.param("category")),
                                            !Boolean.FALSE.equals(b.offered()),
                                            b.provider(),
                                            b.serviceId(),
                                            b.note()),
                                    call.caller()));
                        }),
                Route.of("PUT", CALL_IN + "/attendance/{person}", team, null, call -> {
                    AttendanceRequest b = call.body(AttendanceRequest.class);
                    return Reply.ok(callIns.recordAttendance(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("person"),
                            Boolean.TRUE.equals(b.attended()),
                            call.caller()));
                }),
                Route.of(
                        "POST",
                        MarketRoutes.PERSON + "/letters",
                        writers,
                        null,
                        call -> Reply.created(callIns.generateLetter(
                                call.param("site"),
                                call.idParam("intervention"),
                                call.idParam("person"),
                                call.caller()))),
                Route.of(
                        "GET",
                        LETTERS,
                        readers,
                        null,
                        call -> Reply.ok(Map.of(
                                "letters",
                                callIns.letters(call.param("site"), call.idParam("intervention"), call.caller())))),
                Route.of(
                        "GET",
                        LETTERS + "/{letter}",
                        readers,
                        null,
                        call -> Reply.ok(callIns.letter(
                                call.param("site"),
                                call.idParam("intervention"),
                                call.idParam("letter"),
                                call.caller()))),
                Route.of("GET", LETTERS + "/{letter}/html", readers, null, call -> {
                    CallIns.Letter letter = callIns.letter(
                            call.param("site"), call.idParam("intervention"), call.idParam("letter"), call.caller());
                    return Reply.raw(
                                    "text/html; charset=utf-8",
                                    letter.html().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .withHeader("Content-Security-Policy", LETTER_CSP)
                            .withHeader("X-Frame-Options", "SAMEORIGIN");
                }),
                // the PDF is the copy that leaves (usually mailed to the candidate): to whom and why are recorded
                Route.of("POST", LETTERS + "/{letter}/pdf", readers, null, call -> Reply.raw(
                                "application/pdf",
                                callIns.letterPdf(
                                        call.param("site"),
                                        call.idParam("intervention"),
                                        call.idParam("letter"),
                                        call.body(MarketRoutes.ReleaseRequest.class)
                                                .release(),
                                        call.caller()))
                        .withHeader(
                                "Content-Disposition",
                                "attachment; filename=\"letter-" + call.idParam("letter") + ".pdf\"")),
                Route.of("PUT", LETTERS + "/{letter}/sent", writers, null, call -> {
                    SentRequest b = call.body(SentRequest.class);
                    return Reply.ok(callIns.markSent(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("letter"),
                            b.sentOn(),
                            call.caller()));
                }));
    }
}
