package org.dmiplatform.api.programme;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The after-action debrief (the assessment phase): the team assesses the four goals of the DMI, each with the evidence
 * it weighed, says what went to plan and what to change, and takes a second SWOT inventory. Each debrief recorded is
 * kept; the latest stands. The next intervention at the site starts from the last one's lessons.
 */
@ProviderType
public interface Debriefs {

    /** The four interlaced goals of the DMI, in the programme's words. */
    enum Goal {
        ELIMINATE_MARKET("Eliminate the open-air drug market"),
        RETURN_NEIGHBORHOOD("Return the neighbourhood to the residents"),
        REDUCE_CRIME("Reduce crime and disorder"),
        IMPROVE_SAFETY("Improve the public's safety and quality of life");

        private final String label;

        Goal(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    enum Assessment {
        MET,
        PARTLY_MET,
        NOT_MET,
        TOO_EARLY
    }

    /** Every debrief of the intervention, the latest first (every role at the site). */
    List<Debrief> debriefs(String site, long intervention, Caller caller);

    /**
     * Records a debrief (the team: police, prosecutor, community, services, research partner, point of contact, site
     * administrator); a later one does not change an earlier one.
     *
     * @throws org.dmiplatform.api.InvalidInputException without an assessment of each of the four goals
     */
    Debrief record(String site, long intervention, NewDebrief debrief, Caller caller);

    /**
     * The lessons the intervention starts from: the latest debrief of the site's latest earlier intervention, if any.
     */
    Optional<Debrief> lessons(String site, long intervention, Caller caller);

    /**
     * The evidence the platform holds for each goal, in sentences the team can weigh and edit before recording: the
     * target area's drug records and the market watch (the market), residents' calls and community meetings (the
     * neighbourhood), all records in the target against the comparison area and next door (crime and disorder),
     * violent crime and disorder in the target area (safety). Records figures come from the site's reporting plug-in,
     * read as the caller, and only for a role that reads the site's records; the others get the community's evidence
     * and are told what they lack. Windows: 12 months before the call-in, and the whole months since it, up to 12.
     */
    Evidence evidence(String site, long intervention, Caller caller);

    /**
     * @param goals each goal with its sentences (none when the platform holds nothing for it)
     * @param missing what could not be said, and why
     */
    record Evidence(List<GoalEvidence> goals, List<String> missing) {
        public Evidence {
            goals = List.copyOf(goals);
            missing = List.copyOf(missing);
        }
    }

    /**
     * @param lines what every reader of a debrief may read (community work, the market watch's alerts): the console
     *     puts these in the evidence the team records
     * @param fromRecords figures from the records, for the caller to weigh: a debrief is read by every role at the
     *     site and by national staff, most of whom do not read the records, so these are shown beside the evidence,
     *     not put in it
     */
    record GoalEvidence(Goal goal, List<String> lines, List<String> fromRecords) {
        public GoalEvidence {
            lines = List.copyOf(lines);
            fromRecords = List.copyOf(fromRecords);
        }
    }

    record GoalAssessment(Goal goal, Assessment assessment, String evidence) {}

    record NewDebrief(
            List<GoalAssessment> goals,
            String wentToPlan,
            String toChange,
            String strengths,
            String weaknesses,
            String opportunities,
            String threats) {}

    record Debrief(
            long id,
            long intervention,
            String interventionName,
            List<GoalAssessment> goals,
            String wentToPlan,
            String toChange,
            String strengths,
            String weaknesses,
            String opportunities,
            String threats,
            String recordedBy,
            Instant recordedAt) {
        public Debrief {
            goals = List.copyOf(goals);
        }
    }
}
