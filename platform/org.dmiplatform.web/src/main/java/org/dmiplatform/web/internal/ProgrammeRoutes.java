package org.dmiplatform.web.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Checklist;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.Progress;

/** The step definition, a site's interventions, their checklist, gates, fidelity and timeline, and the TTA overview. */
final class ProgrammeRoutes {
    static final String INTERVENTION = "/sites/{site}/interventions/{intervention}";

    record NewIntervention(String name, LocalDate startedOn, String rationale, Long startFrom) {}

    record AreasRequest(String target, String comparison, String buffer, String rationale) {}

    record ProgressRequest(Progress status, String note) {}

    record InterventionView(Intervention intervention, Checklist checklist) {}

    private final Programme programme;

    ProgrammeRoutes(Programme programme) {
        this.programme = programme;
    }

    List<Route> routes() {
        Guard anyone = Guard.anyoneAtSite();
        return List.of(
                Route.of("GET", "/programme", Guard.SIGNED_IN, null, call -> Reply.ok(programme.definition())),
                Route.of(
                        "GET",
                        "/overview",
                        Guard.roles(Role.TTA_ADMIN, Role.TTA_STAFF),
                        "overview.read",
                        call -> Reply.ok(Map.of("sites", programme.overview()))),
                Route.of(
                        "GET",
                        "/sites/{site}/interventions",
                        anyone,
                        null,
                        call -> Reply.ok(Map.of("interventions", programme.interventions(call.param("site"))))),
                Route.of(
                        "POST",
                        "/sites/{site}/interventions",
                        Guard.site(Role.POC, Role.SITE_ADMIN, Role.POLICE),
                        null,
                        this::create),
                Route.of("GET", INTERVENTION, anyone, null, call -> Reply.ok(view(call))),
                Route.of(
                        "PUT",
                        INTERVENTION + "/areas",
                        Guard.site(Role.POLICE, Role.RESEARCH, Role.POC, Role.SITE_ADMIN),
                        null,
                        this::areas),
                Route.of(
                        "GET",
                        INTERVENTION + "/checklist",
                        anyone,
                        null,
                        call -> Reply.ok(programme.checklist(call.param("site"), call.idParam("intervention")))),
                Route.of(
                        "PUT",
                        INTERVENTION + "/steps/{step}",
                        Guard.site(
                                Role.SITE_ADMIN,
                                Role.POLICE,
                                Role.PROSECUTOR,
                                Role.COMMUNITY,
                                Role.SERVICES,
                                Role.RESEARCH,
                                Role.POC),
                        null,
                        call -> progress(call, "")),
                Route.of(
                        "PUT",
                        INTERVENTION + "/steps/{step}/items/{item}",
                        Guard.site(
                                Role.SITE_ADMIN,
                                Role.POLICE,
                                Role.PROSECUTOR,
                                Role.COMMUNITY,
                                Role.SERVICES,
                                Role.RESEARCH,
                                Role.POC),
                        null,
                        call -> progress(call, call.param("item"))),
                Route.of(
                        "GET",
                        INTERVENTION + "/timeline",
                        anyone,
                        null,
                        call -> Reply.ok(Map.of(
                                "timeline",
                                programme.timeline(call.param("site"), call.idParam("intervention"), call.caller())))));
    }

    private InterventionView view(Call call) {
        String site = call.param("site");
        long id = call.idParam("intervention");
        return new InterventionView(programme.intervention(site, id), programme.checklist(site, id));
    }

    private Reply create(Call call) {
        NewIntervention body = call.body(NewIntervention.class);
        Intervention created = programme.create(
                call.param("site"),
                new Programme.NewIntervention(
                        body.name(), body.startedOn(), body.rationale(), Optional.ofNullable(body.startFrom())),
                call.caller());
        return Reply.created(created)
                .withHeader("Location", "/api/v1/sites/" + created.site() + "/interventions/" + created.id());
    }

    private Reply areas(Call call) {
        AreasRequest body = call.body(AreasRequest.class);
        return Reply.ok(programme.setAreas(
                call.param("site"),
                call.idParam("intervention"),
                new Programme.Areas(
                        Optional.ofNullable(body.target()),
                        Optional.ofNullable(body.comparison()),
                        Optional.ofNullable(body.buffer()),
                        body.rationale()),
                call.caller()));
    }

    private Reply progress(Call call, String item) {
        ProgressRequest body = call.body(ProgressRequest.class);
        if (body.status() == null) {
            throw ApiException.badRequest(
                    "status is required",
                    List.of(InputError.of(
                            "request body",
                            "status",
                            "is required: not-started, in-progress, done, blocked or not-applicable")));
        }
        return Reply.ok(programme.setProgress(
                call.param("site"),
                call.idParam("intervention"),
                call.param("step"),
                item,
                body.status(),
                body.note(),
                call.caller()));
    }
}
