package org.dmiplatform.api.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Step 9 under 42 CFR Part 2: a referral to drug treatment carries the person's written consent to disclose the
 * provider's follow-up, naming its recipients, purpose, the information, and when it expires; the person may revoke it.
 * The follow-up is recorded and read only by a recipient the consent names, while it is valid (given, not yet expired,
 * not revoked, in the site's time zone), and every disclosure carries the redisclosure notice of 42 CFR 2.32. Police
 * and prosecutors never read it, whatever a consent says; it appears in no timeline, list, search, export or count.
 */
@ProviderType
public interface TreatmentConsents {

    /** The notice every disclosure carries (42 CFR 2.32(a)(1)). */
    String REDISCLOSURE_NOTICE = "This record which has been disclosed to you is protected by federal confidentiality"
            + " rules (42 CFR part 2). The federal rules prohibit you from making any further disclosure of this record"
            + " unless further disclosure is expressly permitted by the written consent of the individual whose"
            + " information is being disclosed in this record or, is otherwise permitted by 42 CFR part 2. A general"
            + " authorization for the release of medical or other information is NOT sufficient for this purpose (see"
            + " § 2.31). The federal rules restrict any use of the information to investigate or prosecute with regard"
            + " to a crime any patient with a substance use disorder, except as provided at §§ 2.12(c)(5) and 2.65.";

    /**
     * Records the consent given for a referral to drug treatment (services, community, point of contact).
     *
     * @throws RuleException {@code consent-for-drug-treatment} for a referral to another kind of service
     * @throws org.dmiplatform.api.InvalidInputException naming a recipient who is not a services, community or point of
     *     contact user at the site, or who holds a police or prosecutor role there; a missing purpose, information or
     *     expiry; an expiry not after the day it was given
     */
    Consent give(String site, long intervention, long referral, NewConsent consent, Caller caller);

    /** The person revoked the consent, from that day on (services, community, point of contact). */
    Consent revoke(String site, long intervention, long consent, LocalDate on, Caller caller);

    /** The consents of a referral: who may see what until when, never the follow-up itself. */
    List<Consent> consents(String site, long intervention, long referral, Caller caller);

    /**
     * The provider's follow-up on treatment, recorded by a recipient of a valid consent.
     *
     * @throws org.dmiplatform.api.access.AccessDeniedException for anyone else, or when no consent is valid today
     */
    TreatmentNote recordFollowUp(String site, long intervention, long referral, String note, Caller caller);

    /**
     * What the caller may read of the follow-up: empty unless a consent valid today names the caller. The answer does
     * not tell whether there is a consent or any follow-up. Every disclosure is audited.
     */
    Optional<Disclosure> followUp(String site, long intervention, long referral, Caller caller);

    /**
     * @param recipients the user names of those who may read the follow-up
     * @param purpose why it is disclosed ("coordinate the services offered at the call-in")
     * @param information what may be disclosed ("attendance and progress in treatment")
     * @param givenOn the day the person signed
     * @param expiresOn the last day it is valid
     */
    record NewConsent(
            List<String> recipients, String purpose, String information, LocalDate givenOn, LocalDate expiresOn) {}

    record Consent(
            long id,
            long referral,
            List<String> recipients,
            String purpose,
            String information,
            LocalDate givenOn,
            LocalDate expiresOn,
            Optional<LocalDate> revokedOn,
            String recordedBy) {
        public Consent {
            recipients = List.copyOf(recipients);
        }

        /** Valid on the day: given, not expired, not revoked. */
        public boolean validOn(LocalDate day) {
            return !day.isBefore(givenOn)
                    && !day.isAfter(expiresOn)
                    && revokedOn.map(r -> day.isBefore(r)).orElse(true);
        }
    }

    record TreatmentNote(long id, String note, String recordedBy, Instant recordedAt) {}

    /**
     * @param consent the consent it is disclosed under
     * @param notice {@link #REDISCLOSURE_NOTICE}
     */
    record Disclosure(long consent, List<TreatmentNote> notes, String notice) {
        public Disclosure {
            notes = List.copyOf(notes);
        }
    }
}
