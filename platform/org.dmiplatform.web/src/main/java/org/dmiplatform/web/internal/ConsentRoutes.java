package org.dmiplatform.web.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.TreatmentConsents;

/**
 * Step 9 under 42 CFR Part 2: the consents of a referral to drug treatment, and the treatment follow-up, read only by
 * a recipient a consent valid today names. Police and prosecutors reach none of these routes; the answer to a reader
 * who may not see the follow-up says only that nothing is disclosed to them.
 */
final class ConsentRoutes {
    static final String REFERRAL = ProgrammeRoutes.INTERVENTION + "/referrals/{referral}";

    record ConsentRequest(
            List<String> recipients, String purpose, String information, LocalDate givenOn, LocalDate expiresOn) {}

    record RevokeRequest(LocalDate revokedOn) {}

    record NoteRequest(String note) {}

    /** What a reader may see: {@code disclosed} false and nothing else, or the follow-up with its notice. */
    record FollowUpView(boolean disclosed, Optional<TreatmentConsents.Disclosure> disclosure) {}

    private final TreatmentConsents consents;

    ConsentRoutes(TreatmentConsents consents) {
        this.consents = consents;
    }

    List<Route> routes() {
        Guard keepers = Guard.site(Role.SERVICES, Role.COMMUNITY, Role.POC);
        return List.of(
                Route.of(
                        "GET",
                        REFERRAL + "/consents",
                        keepers,
                        null,
                        call -> Reply.ok(java.util.Map.of(
                                "consents",
                                consents.consents(
                                        call.param("site"),
                                        call.idParam("intervention"),
                                        call.idParam("referral"),
                                        call.caller())))),
                Route.of("POST", REFERRAL + "/consents", keepers, null, call -> {
                    ConsentRequest b = call.body(ConsentRequest.class);
                    return Reply.created(consents.give(
                            call.param("site"),
                            call.idParam("intervention"),
                            call.idParam("referral"),
                            new TreatmentConsents.NewConsent(
                                    b.recipients(), b.purpose(), b.information(), b.givenOn(), b.expiresOn()),
                            call.caller()));
                }),
                Route.of(
                        "POST",
                        ProgrammeRoutes.INTERVENTION + "/consents/{consent}/revoked",
                        keepers,
                        null,
                        call -> Reply.ok(consents.revoke(
                                call.param("site"),
                                call.idParam("intervention"),
                                call.idParam("consent"),
                                call.body(RevokeRequest.class).revokedOn(),
                                call.caller()))),
                Route.of("GET", REFERRAL + "/treatment", keepers, null, call -> {
                    Optional<TreatmentConsents.Disclosure> d = consents.followUp(
                            call.param("site"), call.idParam("intervention"), call.idParam("referral"), call.caller());
                    return Reply.ok(new FollowUpView(d.isPresent(), d)).withHeader("Cache-Control", "no-store");
                }),
                Route.of(
                        "POST",
                        REFERRAL + "/treatment",
                        keepers,
                        null,
                        call -> Reply.created(consents.recordFollowUp(
                                call.param("site"),
                                call.idParam("intervention"),
                                call.idParam("referral"),
                                call.body(NoteRequest.class).note(),
                                call.caller()))));
    }
}
