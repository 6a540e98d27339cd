package org.dmiplatform.api.programme;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.store.RecordQuery;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The step model and the interventions that follow it. Every method that names a site and an intervention
 * refuses an intervention of another site as if it did not exist ({@link java.util.NoSuchElementException}).
 */
@ProviderType
public interface Programme {

    StepDefinition definition();

    List<Intervention> interventions(String site);

    Intervention intervention(String site, long id);

    /** Starts an intervention (point of contact, site administrator or police). */
    Intervention create(String site, NewIntervention intervention, Caller caller);

    /**
     * Sets the areas and their rationale. Each area is GeoJSON (a Polygon or MultiPolygon, bare or as a
     * Feature); an empty value removes it.
     *
     * @throws org.dmiplatform.api.InvalidInputException naming the area that is not a polygon
     */
    Intervention setAreas(String site, long id, Areas areas, Caller caller);

    /**
     * One of the intervention's areas as polygons in longitude/latitude, for a records query; empty when it is not
     * drawn.
     */
    List<RecordQuery.Polygon> area(String site, long id, AreaKind which);

    Checklist checklist(String site, long id);

    /**
     * Sets the status of a step ({@code item} empty) or of one of its items, with an evidence note. Allowed to
     * the step's responsible roles, the point of contact and the site administrator.
     *
     * @throws RuleException when a gate forbids starting the step yet, or a blocked status has no note
     */
    Checklist setProgress(String site, long id, String step, String item, Progress status, String note, Caller caller);

    /** Refuses with the gate's rule unless the step may be under way now; for records tied to a step. */
    void requireOpen(String site, long id, String step);

    /**
     * The intervention's dated events, each shown only to the roles that may read the record it is about (a decision
     * to police, prosecutors and the site administrator; a referral never to police).
     */
    List<TimelineEntry> timeline(String site, long id, Caller caller);

    /** Every site's current intervention, step, readiness and fidelity: for TTA staff, without any person. */
    List<SiteProgress> overview();

    /**
     * @param startFrom an earlier intervention of the site whose target, comparison and buffer areas the new one
     *     starts with (the team is the site's, and the earlier debrief's lessons are shown on the new one's steps)
     */
    record NewIntervention(String name, LocalDate startedOn, String rationale, Optional<Long> startFrom) {
        public NewIntervention {
            startFrom = startFrom == null ? Optional.empty() : startFrom;
        }

        public NewIntervention(String name, LocalDate startedOn, String rationale) {
            this(name, startedOn, rationale, Optional.empty());
        }
    }

    record Areas(Optional<String> target, Optional<String> comparison, Optional<String> buffer, String rationale) {}

    /** The areas of an intervention: where it acts, where crime is compared, and around it, where it may move. */
    enum AreaKind implements org.dmiplatform.api.Identified {
        TARGET("target"),
        COMPARISON("comparison"),
        BUFFER("buffer");

        private final String id;

        AreaKind(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    /**
     * @param intervention the newest intervention, if any
     * @param currentStep its current step's label, e.g. "Step 3a: Refine list"
     */
    record SiteProgress(
            String site,
            String name,
            String cohort,
            Optional<Intervention> intervention,
            Optional<String> currentStep,
            int overallFidelity,
            List<Checklist.PhaseFidelity> fidelity,
            Teams.Readiness readiness,
            int interventions,
            int trainingsAttended,
            int siteVisits,
            List<InterventionProgress> all) {
        public SiteProgress {
            all = List.copyOf(all);
        }
    }

    /** One of a site's interventions, the newest first: where it stands. */
    record InterventionProgress(
            long id, String name, LocalDate startedOn, Optional<String> currentStep, int overallFidelity) {}
}
