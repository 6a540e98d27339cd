package org.dmiplatform.web.internal;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.FollowUps;

/** Step 9 over REST: a referral's outcomes and mentor, the coordinator's tasks, and the site's overdue follow-ups. */
final class FollowUpRoutes {
    record OutcomeRequest(String outcome, LocalDate on, String note) {}

    record MentorRequest(String mentor) {}

    record TaskRequest(String what, LocalDate due) {}

    record DoneRequest(LocalDate doneOn) {}

    private final FollowUps followUps;

    FollowUpRoutes(FollowUps followUps) {
        this.followUps = followUps;
    }

    List<Route> routes() {
        Guard followers = Guard.site(Role.SERVICES, Role.COMMUNITY, Role.POC);
        String referral = ConsentRoutes.REFERRAL;
        return List.of(
                Route.of("GET", referral + "/follow-up", followers, null, call -> {
                    FollowUps.History history = followUps.history(
                            call.param("site"), call.idParam("intervention"), call.idParam("referral"), call.caller());
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("history", history.events());
                    history.notice().ifPresent(notice -> body.put("notice", notice));
                    body.put(
                            "tasks",
                            followUps.tasks(
                                    call.param("site"),
                                    call.idParam("intervention"),
                                    call.idParam("referral"),
                                    call.caller()));
                    return Reply.ok(body);
                }),
                Route.of(
                        "GET",
                        ProgrammeRoutes.INTERVENTION + "/call-in/referral-outcomes",
                        followers,
                        null,
                        call -> Reply.ok(Map.of(
                                "outcomes",
                                followUps.outcomesOfCallIn(
                                        call.param("site"), call.idParam("intervention"), call.caller())))),
                Route.of("POST", referral + "/outcomes", followers, null, call -> {
                    OutcomeRequest b = call.body(OutcomeRequest.class);
                    return Reply.created(followUps.recordOutcome(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("referral"),
                            outcome(b.outcome()),
                            b.on(),
                            b.note(),
                            call.caller()));
                }),
                Route.of(
                        "PUT",
                        referral + "/mentor",
                        followers,
                        null,
                        call -> Reply.ok(followUps.assignMentor(
                                call.param("site"),
                                call.idParam("intervention"),
                                call.idParam("referral"),
                                call.body(MentorRequest.class).mentor(),
                                call.caller()))),
                Route.of("POST", referral + "/tasks", followers, null, call -> {
                    TaskRequest b = call.body(TaskRequest.class);
                    return Reply.created(followUps.addTask(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("referral"),
                            b.what(),
                            b.due(),
                            call.caller()));
                }),
                Route.of(
                        "POST",
                        ProgrammeRoutes.INTERVENTION + "/tasks/{task}/done",
                        followers,
                        null,
                        call -> Reply.ok(followUps.completeTask(
                                call.param("site"),
                                call.idParam("intervention"),
                                call.idParam("task"),
                                call.body(DoneRequest.class).doneOn(),
                                call.caller()))),
                Route.of(
                        "GET",
                        "/sites/{site}/follow-ups/overdue",
                        followers,
                        null,
                        call -> Reply.ok(Map.of("overdue", followUps.overdue(call.param("site"), call.caller())))));
    }

    /** {@code no-show} as {@link FollowUps.Outcome#NO_SHOW}. */
    private static FollowUps.Outcome outcome(String id) {
        for (FollowUps.Outcome o : FollowUps.Outcome.values()) {
            if (o.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(id)) {
                return o;
            }
        }
        throw new InvalidInputException(InputError.of(
                "outcome",
                "outcome",
                "'" + id + "' is not one of referred, intake, engaged, completed, declined, no-show"));
    }
}
