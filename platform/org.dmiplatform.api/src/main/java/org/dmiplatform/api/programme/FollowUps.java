package org.dmiplatform.api.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Step 9: following a referral after the call-in. Each outcome (referred, intake, engaged, completed, declined,
 * no-show) is a dated event, never an edit of the last one; a mentor is assigned; the resource coordinator keeps
 * follow-up tasks with due dates, and the overdue ones are listed for the whole site. For services, community and the
 * point of contact; never police or prosecutors (42 USC 290dd-2). Dates are the site's.
 */
@ProviderType
public interface FollowUps {

    enum Outcome {
        REFERRED,
        INTAKE,
        ENGAGED,
        COMPLETED,
        DECLINED,
        NO_SHOW
    }

    /** Outcomes the programme itself knows; the others come from the provider. */
    Set<Outcome> PROGRAMME_OUTCOMES = Set.of(Outcome.REFERRED, Outcome.DECLINED);

    /**
     * The referral's history: outcomes and mentors, oldest first. On a referral to drug treatment the provider's
     * outcomes (intake, engaged, completed, no-show) are treatment information (42 CFR Part 2): shown only to a
     * recipient of a consent valid today, with the redisclosure notice, and left out for everyone else.
     */
    History history(String site, long intervention, long referral, Caller caller);

    /**
     * What became of the referrals of the call-in's candidates, by kind of service: how many, and how many stand at
     * each latest outcome. A drug-treatment referral counts at its latest programme outcome (referred or declined):
     * the provider's outcomes are never counted.
     */
    List<CategoryOutcomes> outcomesOfCallIn(String site, long intervention, Caller caller);

    /**
     * What became of the referral, on a day (not after today; today when null). A provider's outcome on a referral to
     * drug treatment is recorded only by a recipient of a consent valid today.
     */
    Event recordOutcome(
            String site, long intervention, long referral, Outcome outcome, LocalDate on, String note, Caller caller);

    /** The mentor who follows the person from now on. */
    Event assignMentor(String site, long intervention, long referral, String mentor, Caller caller);

    /** A follow-up task for the resource coordinator. */
    Task addTask(String site, long intervention, long referral, String what, LocalDate due, Caller caller);

    /** The task was done, on a day (today when null). */
    Task completeTask(String site, long intervention, long task, LocalDate on, Caller caller);

    /** The referral's tasks, open first by due date. */
    List<Task> tasks(String site, long intervention, long referral, Caller caller);

    /** Every open task of the site whose due date has passed (in the site's zone), the oldest due first. */
    List<Task> overdue(String site, Caller caller);

    /**
     * @param kind {@code outcome} or {@code mentor}
     * @param value the outcome's id ({@code no-show}) or the mentor's name
     */
    record Event(
            long id,
            long referral,
            String kind,
            String value,
            LocalDate on,
            String note,
            String recordedBy,
            Instant recordedAt) {}

    /** @param notice the redisclosure notice, present when the events hold treatment information */
    record History(List<Event> events, Optional<String> notice) {
        public History {
            events = List.copyOf(events);
        }
    }

    /**
     * @param referrals the referrals of this kind made for the call-in's candidates
     * @param byOutcome how many stand at each latest outcome ({@code no-show}), outcomes with none left out
     * @param providerOutcomesWithheld true for drug treatment, whose provider outcomes are not counted
     */
    record CategoryOutcomes(
            Market.ServiceCategory category,
            int referrals,
            Map<String, Integer> byOutcome,
            boolean providerOutcomesWithheld) {
        public CategoryOutcomes {
            byOutcome = Map.copyOf(byOutcome);
        }
    }

    /**
     * @param intervention the intervention the referral belongs to
     * @param person the person referred
     */
    record Task(
            long id,
            long intervention,
            long referral,
            long person,
            String what,
            LocalDate due,
            Optional<LocalDate> doneOn,
            String createdBy) {}
}
