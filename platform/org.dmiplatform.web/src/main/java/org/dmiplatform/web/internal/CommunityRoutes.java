package org.dmiplatform.web.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CommunityWork;

/** Community meetings and briefings, residents' calls and how fast they were answered, newsletters. */
final class CommunityRoutes {
    record MeetingRequest(
            CommunityWork.MeetingKind kind,
            LocalDate heldOn,
            String audience,
            String place,
            Integer attendance,
            String notes) {}

    /** Times typed at the site: a local date and time in its zone, or with an offset ({@link SiteTime}). */
    record CallRequest(String receivedAt, String about) {}

    record AnswerRequest(String answeredAt, String outcome) {}

    record NewsletterRequest(LocalDate publishedOn, String title, String notes) {}

    private final CommunityWork community;
    private final Sites sites;

    CommunityRoutes(CommunityWork community, Sites sites) {
        this.community = community;
        this.sites = sites;
    }

    private Instant at(Call call, String field, String value) {
        ZoneId zone = sites.find(call.param("site"))
                .orElseThrow(() -> new NoSuchElementException("no site '" + call.param("site") + "'"))
                .timeZone();
        return SiteTime.instant("resident call", field, value, zone);
    }

    List<Route> routes() {
        String base = ProgrammeRoutes.INTERVENTION;
        Guard anyone = Guard.anyoneAtSite();
        Guard writers = Guard.site(Role.COMMUNITY, Role.POLICE, Role.POC, Role.SITE_ADMIN, Role.SERVICES);
        return List.of(
                Route.of(
                        "GET",
                        base + "/meetings",
                        anyone,
                        null,
                        call -> Reply.ok(Map.of(
                                "meetings", community.meetings(call.param("site"), call.idParam("intervention"))))),
                Route.of("POST", base + "/meetings", writers, null, call -> {
                    MeetingRequest b = call.body(MeetingRequest.class);
                    return Reply.created(community.addMeeting(
                            call.param("site"),
                            call.idParam("intervention"),
                            new CommunityWork.NewMeeting(
                                    b.kind(),
                                    b.heldOn(),
                                    b.audience(),
                                    b.place(),
                                    b.attendance() == null ? 0 : b.attendance(),
                                    b.notes()),
                            call.caller()));
                }),
                Route.of(
                        "GET",
                        base + "/resident-calls",
                        anyone,
                        null,
                        call -> Reply.ok(Map.of(
                                "calls", community.calls(call.param("site"), call.idParam("intervention")),
                                "responsiveness",
                                        community.responsiveness(call.param("site"), call.idParam("intervention"))))),
                Route.of("POST", base + "/resident-calls", writers, null, call -> {
                    CallRequest b = call.body(CallRequest.class);
                    return Reply.created(community.addCall(
                            call.param("site"),
                            call.idParam("intervention"),
                            at(call, "receivedAt", b.receivedAt()),
                            b.about(),
                            call.caller()));
                }),
                Route.of("PUT", base + "/resident-calls/{call}/answer", writers, null, call -> {
                    AnswerRequest b = call.body(AnswerRequest.class);
                    return Reply.ok(community.answer(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("call"),
                            at(call, "answeredAt", b.answeredAt()),
                            b.outcome(),
                            call.caller()));
                }),
                Route.of(
                        "GET",
                        base + "/newsletters",
                        anyone,
                        null,
                        call -> Reply.ok(Map.of(
                                "newsletters",
                                community.newsletters(call.param("site"), call.idParam("intervention"))))),
                Route.of("POST", base + "/newsletters", writers, null, call -> {
                    NewsletterRequest b = call.body(NewsletterRequest.class);
                    return Reply.created(community.addNewsletter(
                            call.param("site"),
                            call.idParam("intervention"),
                            b.publishedOn(),
                            b.title(),
                            b.notes(),
                            call.caller()));
                }));
    }
}
