package org.dmiplatform.web.internal;

import java.util.List;
import java.util.Map;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Debriefs;

/** The after-action debrief over REST: its versions, a new one, and the lessons a later intervention starts from. */
final class DebriefRoutes {
    record DebriefRequest(
            List<Debriefs.GoalAssessment> goals,
            String wentToPlan,
            String toChange,
            String strengths,
            String weaknesses,
            String opportunities,
            String threats) {}

    private final Debriefs debriefs;

    DebriefRoutes(Debriefs debriefs) {
        this.debriefs = debriefs;
    }

    List<Route> routes() {
        String path = ProgrammeRoutes.INTERVENTION + "/debriefs";
        return List.of(
                Route.of(
                        "GET",
                        path,
                        Guard.anyoneAtSite(),
                        null,
                        call -> Reply.ok(Map.of(
                                "debriefs",
                                debriefs.debriefs(call.param("site"), call.idParam("intervention"), call.caller())))),
                Route.of(
                        "POST",
                        path,
                        Guard.site(
                                Role.POLICE,
                                Role.PROSECUTOR,
                                Role.COMMUNITY,
                                Role.SERVICES,
                                Role.RESEARCH,
                                Role.POC,
                                Role.SITE_ADMIN),
                        null,
                        call -> {
                            DebriefRequest b = call.body(DebriefRequest.class);
                            return Reply.created(debriefs.record(
                                    call.param("site"),
                                    call.idParam("intervention"),
                                    new Debriefs.NewDebrief(
                                            b.goals(),
                                            b.wentToPlan(),
                                            b.toChange(),
                                            b.strengths(),
                                            b.weaknesses(),
                                            b.opportunities(),
                                            b.threats()),
                                    call.caller()));
                        }),
                Route.of(
                        "GET",
                        path + "/lessons",
                        Guard.anyoneAtSite(),
                        null,
                        call -> Reply.ok(
                                debriefs.lessons(call.param("site"), call.idParam("intervention"), call.caller())
                                        .<Object>map(d -> Map.of("lessons", d))
                                        .orElse(Map.of()))),
                // the figures the platform holds for each goal, which the console fills the debrief's evidence from
                Route.of(
                        "GET",
                        path + "/evidence",
                        Guard.anyoneAtSite(),
                        null,
                        call -> Reply.ok(
                                debriefs.evidence(call.param("site"), call.idParam("intervention"), call.caller()))));
    }
}
