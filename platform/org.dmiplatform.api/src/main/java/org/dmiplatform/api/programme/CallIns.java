package org.dmiplatform.api.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** Step 5a, 6a and 7b: the call-in's time and place, the letters to candidates, attendance. */
@ProviderType
public interface CallIns {

    Optional<CallIn> callIn(String site, long intervention, Caller caller);

    /** Sets the call-in's time and place, speakers and providers present (police, community, point of contact). */
    CallIn plan(String site, long intervention, Plan plan, Caller caller);

    /**
     * Generates the letter to one call-in candidate from the letter template (police, point of contact).
     *
     * @throws RuleException {@code letters-after-candidate-decision} before Step 3b is done,
     *     {@code letter-to-candidates-only} for a person who is not a call-in candidate, {@code letter-needs-call-in-plan}
     *     before the call-in's time and place are set
     */
    Letter generateLetter(String site, long intervention, long person, Caller caller);

    List<Letter> letters(String site, long intervention, Caller caller);

    Letter letter(String site, long intervention, long letter, Caller caller);

    /** The letter as a PDF. */
    byte[] letterPdf(String site, long intervention, long letter, Caller caller);

    /** The letter was mailed: its candidate is invited. */
    Letter markSent(String site, long intervention, long letter, LocalDate sentOn, Caller caller);

    /**
     * Records whether an invited candidate came.
     *
     * @throws RuleException {@code call-in-after-letters-and-services} before Steps 5a, 6a and 7a are done,
     *     {@code attendance-of-invited-only} for someone who was not sent a letter
     */
    CallIn recordAttendance(String site, long intervention, long person, boolean attended, Caller caller);

    /** The call-in took place (same gate as attendance). */
    CallIn held(String site, long intervention, Caller caller);

    record Plan(LocalDateTime at, String place, String speakers, String providersPresent) {}

    /**
     * @param invited candidates sent a letter, with whether they came (names only to those who see candidates)
     */
    record CallIn(
            long id,
            LocalDateTime at,
            String place,
            String speakers,
            String providersPresent,
            boolean held,
            List<Invitee> invited,
            int attended) {}

    record Invitee(long person, String name, boolean attended) {}

    /** A letter; {@code html} is the letter itself. */
    record Letter(
            long id,
            long person,
            String personName,
            String template,
            String html,
            Instant generatedAt,
            String generatedBy,
            Optional<LocalDate> sentOn) {}
}
