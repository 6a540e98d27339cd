package org.dmiplatform.web.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Teams;

/** A site's team: members and turnover, readiness, sign-off, SWOT, trainings and TTA site visits. */
final class TeamRoutes {
    record MemberRequest(
            String name,
            String agency,
            Teams.TeamRole role,
            Boolean pointOfContact,
            LocalDate startedOn,
            String contact) {}

    record MemberPatch(LocalDate endedOn, Boolean pointOfContact, String contact) {}

    record SignOffRequest(String leader, LocalDate signedOn, String note) {}

    record SwotRequest(Teams.SwotKind kind, String text, Long intervention) {}

    record TrainingRequest(Teams.Training training, LocalDate attendedOn) {}

    record VisitRequest(LocalDate visitedOn, String visitor, String purpose) {}

    private final Teams teams;

    TeamRoutes(Teams teams) {
        this.teams = teams;
    }

    List<Route> routes() {
        String team = "/sites/{site}/team";
        Guard managers = Guard.site(Role.POC, Role.SITE_ADMIN);
        return List.of(
                Route.of("GET", team, Guard.anyoneAtSite(), null, call -> Reply.ok(teams.team(call.param("site")))),
                Route.of("POST", team + "/members", managers, null, call -> {
                    MemberRequest b = call.body(MemberRequest.class);
                    return Reply.created(teams.addMember(
                            call.param("site"),
                            new Teams.NewMember(
                                    b.name(),
                                    b.agency(),
                                    b.role(),
                                    Boolean.TRUE.equals(b.pointOfContact()),
                                    b.startedOn(),
                                    b.contact()),
                            call.caller()));
                }),
                Route.of("PATCH", team + "/members/{member}", managers, null, call -> {
                    MemberPatch b = call.body(MemberPatch.class);
                    return Reply.ok(teams.changeMember(
                            call.param("site"),
                            call.idParam("member"),
                            new Teams.MemberChange(
                                    Optional.ofNullable(b.endedOn()),
                                    Optional.ofNullable(b.pointOfContact()),
                                    Optional.ofNullable(b.contact())),
                            call.caller()));
                }),
                Route.of(
                        "POST",
                        team + "/members/{member}/trainings",
                        Guard.site(Role.POC, Role.SITE_ADMIN, Role.TTA_ADMIN, Role.TTA_STAFF),
                        null,
                        call -> {
                            TrainingRequest b = call.body(TrainingRequest.class);
                            return Reply.created(teams.recordTraining(
                                    call.param("site"),
                                    call.idParam("member"),
                                    b.training(),
                                    b.attendedOn(),
                                    call.caller()));
                        }),
                Route.of("POST", team + "/signoffs", managers, null, call -> {
                    SignOffRequest b = call.body(SignOffRequest.class);
                    return Reply.created(
                            teams.signOff(call.param("site"), b.leader(), b.signedOn(), b.note(), call.caller()));
                }),
                Route.of(
                        "POST",
                        team + "/swot",
                        Guard.site(
                                Role.POC,
                                Role.SITE_ADMIN,
                                Role.POLICE,
                                Role.PROSECUTOR,
                                Role.COMMUNITY,
                                Role.SERVICES,
                                Role.RESEARCH),
                        null,
                        call -> {
                            SwotRequest b = call.body(SwotRequest.class);
                            return Reply.created(teams.addSwot(
                                    call.param("site"),
                                    Optional.ofNullable(b.intervention()),
                                    b.kind(),
                                    b.text(),
                                    call.caller()));
                        }),
                Route.of("POST", team + "/visits", Guard.site(Role.TTA_ADMIN, Role.TTA_STAFF), null, call -> {
                    VisitRequest b = call.body(VisitRequest.class);
                    return Reply.created(
                            teams.addVisit(call.param("site"), b.visitedOn(), b.visitor(), b.purpose(), call.caller()));
                }));
    }
}
