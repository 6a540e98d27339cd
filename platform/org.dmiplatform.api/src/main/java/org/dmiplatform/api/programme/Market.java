package org.dmiplatform.api.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The market's people and police records: the dealer list with its decisions, influentials, banked cases,
 * violations, referrals and key addresses.
 *
 * <p>Who sees what (28 CFR 23.20(e), 42 USC 290dd-2): police intelligence on a person (level, violence,
 * charges, the decision's criteria, the justification and source, banked cases, violations) goes to police,
 * prosecutor and site administrator only. Community, services and the point of contact see the call-in
 * candidates' names, their influentials and their referrals, nothing more; police and prosecutors see no
 * referral. National staff and research partners see no person. Every read of a person's record is audited.
 */
@ProviderType
public interface Market {

    /** The persons the caller may see, with the fields the caller may see. */
    List<Person> persons(String site, long intervention, Caller caller);

    /** One person's record (audited). */
    Person person(String site, long intervention, long person, Caller caller);

    /**
     * Enters a person on the dealer list (police, prosecutor, site administrator). 28 CFR 23.20(a): the
     * justification (reasonable suspicion) and its source are required; the entry is due for review five years
     * after it is made.
     */
    Person enter(String site, long intervention, NewPerson person, Caller caller);

    /** Step 3a's facts: level, still active, violence history, pending charges (police, prosecutor). */
    Person refine(String site, long intervention, long person, Facts facts, Caller caller);

    /**
     * Step 3b's decision (police, prosecutor), with the criteria it rests on.
     *
     * @throws RuleException {@code decision-needs-criteria} without criteria
     */
    Person decide(String site, long intervention, long person, Decision decision, String criteria, Caller caller);

    Influential addInfluential(String site, long intervention, long person, NewInfluential influential, Caller caller);

    /** Step 4: a case built and banked against a call-in candidate (police, prosecutor). */
    BankedCase bankCase(String site, long intervention, long person, NewBankedCase bankedCase, Caller caller);

    /**
     * Banked to activated (a violation after the call-in) or closed; activated to closed. Every change is kept.
     *
     * @throws RuleException {@code banked-case-transition} for any other change
     */
    BankedCase changeCase(
            String site, long intervention, long bankedCase, BankedStatus to, String reason, Caller caller);

    /** Step 8: a violation by a notified person and what was done about it (police, prosecutor). */
    Violation addViolation(
            String site,
            long intervention,
            long person,
            LocalDate occurredOn,
            String description,
            String action,
            Caller caller);

    /**
     * Step 9: a referral to one of the six kinds of services (services, community, point of contact), to a service of
     * the site's directory or to a provider named. What became of it is recorded through {@link FollowUps}.
     *
     * @throws org.dmiplatform.api.InvalidInputException naming {@code serviceId} when the site's directory has no such
     *     service (removed, or re-imported without it) or the service offers none of the referral's category
     */
    Referral addReferral(String site, long intervention, long person, NewReferral referral, Caller caller);

    /**
     * Step 9 at the call-in: the same referral for several candidates at once, all made or none (a person who is not a
     * call-in candidate of this intervention, or one named twice, refuses the lot).
     */
    List<Referral> referAll(String site, long intervention, List<Long> persons, NewReferral referral, Caller caller);

    List<KeyAddress> addresses(String site, long intervention, Caller caller);

    /** Step 2: a key address (police, prosecutor, site administrator). */
    KeyAddress addAddress(String site, long intervention, String address, String note, Caller caller);

    enum Level {
        STREET,
        MID
    }

    enum Decision {
        UNDECIDED,
        PROSECUTE_NOW,
        CALL_IN,
        EXCLUDED
    }

    enum BankedStatus {
        BANKED,
        ACTIVATED,
        CLOSED
    }

    /** The six kinds of services the seeds name. */
    enum ServiceCategory {
        DRUG_TREATMENT,
        EDUCATION,
        JOB_TRAINING,
        EMPLOYMENT,
        FAMILY,
        TRANSPORTATION
    }

    record NewPerson(String name, String alias, Level level, String justification, String source, String sensitivity) {}

    record Facts(
            Optional<Level> level,
            Optional<Boolean> active,
            Optional<Boolean> violenceHistory,
            Optional<String> violenceNote,
            Optional<String> pendingCharges) {}

    record NewInfluential(String name, String relationship, String outcome, Optional<LocalDate> contactedOn) {}

    record NewBankedCase(int buys, String evidence, String warrant, LocalDate deadline) {}

    /**
     * @param provider the provider's name; may be blank when {@code serviceId} names a service of the directory
     * @param referredOn the day; the site's today when null
     * @param serviceId the service's id in the site's directory, or blank for a provider only named
     */
    record NewReferral(ServiceCategory category, String provider, LocalDate referredOn, String serviceId) {
        public NewReferral(ServiceCategory category, String provider, LocalDate referredOn) {
            this(category, provider, referredOn, "");
        }
    }

    /**
     * A person as the caller may see them: {@code intelligence} only for police, prosecutor and site
     * administrator; {@code referrals} only for services, community and the point of contact.
     *
     * @param decision shown to those who see the person at all (for others than intelligence roles, always
     *     CALL_IN: they see only candidates)
     */
    record Person(
            long id,
            String name,
            Decision decision,
            Optional<Intelligence> intelligence,
            List<Influential> influentials,
            Optional<List<Referral>> referrals,
            Optional<Attendance> callIn) {}

    /** Whether a candidate was invited (a letter sent) and came to the call-in. */
    record Attendance(boolean invited, boolean attended) {}

    record Intelligence(
            String alias,
            Level level,
            boolean active,
            boolean violenceHistory,
            String violenceNote,
            String pendingCharges,
            String decisionCriteria,
            String decidedBy,
            Optional<Instant> decidedAt,
            String justification,
            String source,
            String sensitivity,
            LocalDate reviewDue,
            String enteredBy,
            Instant enteredAt,
            List<BankedCase> bankedCases,
            List<Violation> violations,
            List<DecisionMade> decisions,
            List<IncidentNote> incidentNotes,
            List<AddressLink> addresses) {}

    /** One decision on a person, as it was made; a later decision is a new one, never an edit of this. */
    record DecisionMade(Decision decision, String criteria, String decidedBy, Instant decidedAt) {}

    record Influential(
            long id,
            String name,
            String relationship,
            String outcome,
            Optional<LocalDate> contactedOn,
            String recordedBy) {}

    record BankedCase(
            long id,
            long person,
            int buys,
            String evidence,
            String warrant,
            LocalDate deadline,
            BankedStatus status,
            List<CaseChange> changes) {}

    record CaseChange(BankedStatus from, BankedStatus to, String reason, String by, Instant at) {}

    record Violation(long id, LocalDate occurredOn, String description, String action, String recordedBy) {}

    /**
     * @param serviceId the directory service referred to, blank for a provider only named
     * @param status the latest outcome the caller may see (a drug-treatment referral's provider outcomes are shown
     *     only through {@link FollowUps#history}, to a recipient of a valid consent)
     * @param followUp a note kept from before outcomes were events; blank on drug-treatment referrals
     */
    record Referral(
            long id,
            long person,
            ServiceCategory category,
            String provider,
            String serviceId,
            LocalDate referredOn,
            String status,
            String followUp,
            String recordedBy) {}

    record KeyAddress(long id, String address, String note, String recordedBy) {}

    // ---- Step 2 and Step 3: surveys, the incident review, the link chart; Step 7b: the notebook -----------------

    /** The surveys of the market (Step 2), the newest first (police, prosecutor, site administrator). */
    List<Survey> surveys(String site, long intervention, Caller caller);

    /**
     * Records a survey: who was surveyed, the names and addresses offered and by which source (police, prosecutor,
     * site administrator). Names offered are leads, not the dealer list: a person is entered on it with a
     * justification of their own.
     */
    Survey addSurvey(String site, long intervention, NewSurvey survey, Caller caller);

    /** A note of the incident review on one person (Step 3): what the incidents show (police, prosecutor). */
    IncidentNote addIncidentNote(
            String site, long intervention, long person, LocalDate reviewedOn, String note, Caller caller);

    /** Links a person to a key address of the market (lives, sells, stash...), for the link chart (police, prosecutor). */
    AddressLink linkAddress(String site, long intervention, long person, long address, String relation, Caller caller);

    /** The link chart of the market (Step 3): the persons on the list, the key addresses and the links between them. */
    LinkChart linkChart(String site, long intervention, Caller caller);

    /**
     * The three-ring notebook on a person for the call-in (Step 7b): everything the caller may read on the person,
     * as one printable HTML page (police, prosecutor, site administrator); every reading is audited.
     */
    String notebook(String site, long intervention, long person, Caller caller);

    record NewSurvey(
            LocalDate surveyedOn, String surveyed, String source, String namesOffered, String addressesOffered) {}

    record Survey(
            long id,
            LocalDate surveyedOn,
            String surveyed,
            String source,
            String namesOffered,
            String addressesOffered,
            String recordedBy) {}

    record IncidentNote(long id, LocalDate reviewedOn, String note, String recordedBy) {}

    record AddressLink(long id, long person, long address, String relation, String recordedBy) {}

    /** @param persons each person on the list by id and name (as the caller sees the list) */
    record LinkChart(List<ChartPerson> persons, List<KeyAddress> addresses, List<AddressLink> links) {
        public LinkChart {
            persons = List.copyOf(persons);
            addresses = List.copyOf(addresses);
            links = List.copyOf(links);
        }
    }

    record ChartPerson(long id, String name, Decision decision) {}

    // ---- 28 CFR 23.20(g) and (h): intelligence given out, review and purge ----------------------------------------

    /**
     * Revalidates an entry (police, prosecutor, site administrator): the reviewer finds the reasonable suspicion still
     * holds, says why, and the entry is due for review again five years from today at the site. Each review is kept.
     *
     * @throws RuleException {@code review-needs-a-reason} without the reason; {@code review-overdue-is-purged} for an
     *     entry whose review day has passed (28 CFR 23.20(h): it is purged; enter the person again with a fresh
     *     justification if the suspicion holds)
     */
    Person revalidate(String site, long intervention, long person, String reason, Caller caller);

    /** The reviews of an entry, the oldest first (police, prosecutor, site administrator). */
    List<Revalidation> revalidations(String site, long intervention, long person, Caller caller);

    /**
     * The site's entries due for review within the days given, and those overdue (to be purged), the soonest due first
     * (police, prosecutor, site administrator; audited).
     */
    List<ReviewDue> reviewsDue(String site, int withinDays, Caller caller);

    /**
     * What is left of the site's entries purged for want of review, the latest first: no name and no intelligence
     * (police, site administrator).
     */
    List<Purged> purged(String site, Caller caller);

    /**
     * The notebook (as {@link #notebook}) given out as a file, to the recipient for the reason given: a dissemination,
     * recorded in the site's dissemination log and stamped on the copy (police, prosecutor, site administrator).
     */
    String notebookFile(String site, long intervention, long person, Release release, Caller caller);

    /**
     * The dealer list with its intelligence as CSV, given out to the recipient for the reason given: a dissemination,
     * recorded in the site's dissemination log (police, prosecutor, site administrator).
     */
    String dealerListFile(String site, long intervention, Release release, Caller caller);

    /**
     * The site's dissemination log, the latest first, a page at a time: the next page is asked for with {@code before}
     * set to the last entry's id (police, site administrator).
     */
    List<Dissemination> disseminations(String site, Optional<Long> before, int limit, Caller caller);

    /**
     * To whom intelligence is given and why (28 CFR 23.20(g)); both are required.
     *
     * @param recipient the person or agency the copy goes to
     * @param reason why they need it
     */
    record Release(String recipient, String reason) {}

    /** What was given out. */
    enum Copy {
        NOTEBOOK,
        DEALER_LIST,
        LETTER
    }

    /**
     * One dissemination: who gave which entries to whom, when and why.
     *
     * @param persons the entries given, by id (an entry purged since is still listed by its id)
     */
    record Dissemination(
            long id,
            long intervention,
            Copy copy,
            List<Long> persons,
            String recipient,
            String reason,
            String givenBy,
            Instant givenAt) {
        public Dissemination {
            persons = List.copyOf(persons);
        }
    }

    /** One review of an entry: who found it still valid, when, why, and the review day it moved from and to. */
    record Revalidation(
            String reviewedBy, Instant reviewedAt, String reason, LocalDate dueBefore, LocalDate reviewDue) {}

    /** @param overdue its review day has passed: the purge removes it */
    record ReviewDue(long intervention, long person, String name, LocalDate reviewDue, boolean overdue) {}

    /**
     * What is left of a purged entry: its id, when and why it was purged and how many records went with it.
     *
     * @param removed the records removed and the texts its name was taken out of, by kind, e.g. "decisions 2"
     */
    record Purged(
            long person, long intervention, LocalDate reviewDue, LocalDate purgedOn, String reason, String removed) {}
}
