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

    /**
     * When the call-in is (or was) held, for reports and every role: it names no one. Empty until it is planned.
     *
     * @throws java.util.NoSuchElementException for an intervention the site does not have
     */
    Optional<CallInDate> date(String site, long intervention);

    /** @param at its day and time at the site; {@code held} once it is recorded as held */
    record CallInDate(LocalDateTime at, boolean held) {}

    /**
     * The letterhead of the site's letters (Step 6a): the chief who signs them, the signature block and the
     * department's mailing address. Empty until set: letters are then signed "Chief of Police" with the jurisdiction.
     */
    Optional<Letterhead> letterhead(String site, Caller caller);

    /**
     * Sets the site's letterhead (police, point of contact, site administrator); letters made before keep theirs.
     *
     * @throws org.dmiplatform.api.InvalidInputException without the chief's name or title
     */
    Letterhead setLetterhead(String site, Letterhead letterhead, Caller caller);

    /**
     * @param chief the name of the chief who signs, as it is printed under the signature
     * @param title the signature block's title lines, e.g. "Chief of Police\nChicago Police Department"
     * @param department the department's name at the head of the letter
     * @param mailingAddress the department's mailing address, one line each
     */
    record Letterhead(String chief, String title, String department, String mailingAddress) {}

    /** Sets the call-in's time and place, speakers and providers present (police, community, point of contact). */
    CallIn plan(String site, long intervention, Plan plan, Caller caller);

    /**
     * Generates the letter to one call-in candidate (police, point of contact) from the site's copy of the letter
     * template it adopted last ({@link Materials}), as adapted, or else the platform's own template; the letter records
     * which.
     *
     * @throws RuleException {@code letters-after-candidate-decision} before Step 3b is done,
     *     {@code letter-to-candidates-only} for a person who is not a call-in candidate, {@code letter-needs-call-in-plan}
     *     before the call-in's time and place are set
     */
    Letter generateLetter(String site, long intervention, long person, Caller caller);

    List<Letter> letters(String site, long intervention, Caller caller);

    Letter letter(String site, long intervention, long letter, Caller caller);

    /**
     * Refused: the platform's implementation throws {@link UnsupportedOperationException} (a behaviour change, the
     * signature unchanged), since a PDF is a copy given out and this method would record it nowhere.
     *
     * @throws UnsupportedOperationException always, in the platform's implementation
     * @deprecated use {@link #letterPdf(String, long, long, Market.Release, Caller)}, which records the copy in the
     *     dissemination log with its recipient and reason; this one goes at the next major version
     */
    @Deprecated
    byte[] letterPdf(String site, long intervention, long letter, Caller caller);

    /**
     * The letter as a PDF given to the recipient for the reason given (usually the candidate, by mail): a
     * dissemination, recorded in the site's dissemination log (police, prosecutor, point of contact, site administrator).
     */
    byte[] letterPdf(String site, long intervention, long letter, Market.Release release, Caller caller);

    /** The letter was mailed: its candidate is invited. */
    Letter markSent(String site, long intervention, long letter, LocalDate sentOn, Caller caller);

    /**
     * Records whether an invited candidate came.
     *
     * @throws RuleException {@code call-in-after-letters-and-services} before Steps 5a, 6a and 7a are done,
     *     {@code call-in-services-arranged} while a category of service is neither arranged nor marked not offered,
     *     {@code attendance-of-invited-only} for someone who was not sent a letter
     */
    CallIn recordAttendance(String site, long intervention, long person, boolean attended, Caller caller);

    /** The call-in took place (same gate as attendance). */
    CallIn held(String site, long intervention, Caller caller);

    /**
     * Step 7a: the service arranged for one of the six categories at the call-in, with the provider present (from the
     * directory, or named), or the category marked not offered with the reason. A later arrangement of the same
     * category is a new decision; the earlier ones stay in the history (services, community, point of contact).
     *
     * @throws RuleException {@code call-in-needs-a-plan} before the call-in's time and place are set
     */
    CallIn arrangeService(String site, long intervention, Arrangement arrangement, Caller caller);

    /**
     * @param category one of the six
     * @param offered false to mark the category not offered at this call-in
     * @param provider who provides it and will be present (required when offered)
     * @param serviceId the service's id in the site's directory, if it is one
     * @param note what was agreed, or why it is not offered (required when not offered)
     */
    record Arrangement(
            Market.ServiceCategory category, boolean offered, String provider, String serviceId, String note) {}

    /**
     * The latest decision for a category.
     *
     * @param arrangedBy who decided
     * @param arrangedAt when
     */
    record ArrangedService(
            Market.ServiceCategory category,
            boolean offered,
            String provider,
            String serviceId,
            String note,
            String arrangedBy,
            Instant arrangedAt) {}

    record Plan(LocalDateTime at, String place, String speakers, String providersPresent) {}

    /**
     * @param invited candidates sent a letter, with whether they came (names only to those who see candidates)
     * @param services the latest arrangement of each category (Step 7a); a category missing is not arranged yet
     */
    record CallIn(
            long id,
            LocalDateTime at,
            String place,
            String speakers,
            String providersPresent,
            boolean held,
            List<Invitee> invited,
            int attended,
            List<ArrangedService> services) {
        public CallIn {
            services = List.copyOf(services);
        }

        /** The categories neither offered with a provider nor marked not offered. */
        public List<Market.ServiceCategory> unarranged() {
            java.util.EnumSet<Market.ServiceCategory> missing = java.util.EnumSet.allOf(Market.ServiceCategory.class);
            services.forEach(s -> missing.remove(s.category()));
            return List.copyOf(missing);
        }
    }

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

    // ---- Step 7b: the deadline each candidate is given at the call-in, and whether it was met --------------------

    /** The deadlines given at the call-in, the soonest first, each open, met or missed (the call-in's roles). */
    List<Deadline> deadlines(String site, long intervention, Caller caller);

    /**
     * Records the deadline given to an invited candidate at the call-in (police, point of contact, site
     * administrator).
     *
     * @throws RuleException {@code deadline-for-the-invited} for a person not invited to the call-in
     */
    Deadline giveDeadline(String site, long intervention, long person, LocalDate due, String what, Caller caller);

    /**
     * Records whether a deadline was met, once ({@code deadline-checked-once}); the day left blank is the site's
     * today, and never later.
     */
    Deadline checkDeadline(
            String site,
            long intervention,
            long deadline,
            DeadlineOutcome outcome,
            LocalDate checkedOn,
            String note,
            Caller caller);

    enum DeadlineOutcome {
        MET,
        MISSED
    }

    /** @param overdue not checked, and its day is over at the site */
    record Deadline(
            long id,
            long person,
            String personName,
            LocalDate due,
            String what,
            String givenBy,
            Optional<DeadlineCheck> check,
            boolean overdue) {}

    record DeadlineCheck(DeadlineOutcome outcome, LocalDate on, String note, String by) {}
}
