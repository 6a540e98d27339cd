package org.dmiplatform.api.programme;

import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * How an intervention was carried out (the assessment phase's process report): step fidelity, the call-in's
 * outcomes, enforcement, team turnover and the timeline. Each part goes only to the roles that may read its detail: the
 * call-in's counts to those who see the call-in, referral counts to services, community and the point of contact,
 * enforcement counts to police, prosecutors and the site administrator. No person is named.
 */
@ProviderType
public interface ProcessReports {

    /** @throws java.util.NoSuchElementException for an intervention the site does not have */
    ProcessReport process(String site, long intervention, Caller caller);

    /**
     * @param currentStep the first step neither done nor not applicable, if any
     * @param timeline the intervention's dated events as the caller may see them
     */
    record ProcessReport(
            long intervention,
            String name,
            int overallFidelity,
            List<Checklist.PhaseFidelity> fidelity,
            Optional<String> currentStep,
            Optional<CallInCounts> callIn,
            Optional<ReferralCounts> referrals,
            Optional<EnforcementCounts> enforcement,
            TeamTurnover team,
            List<TimelineEntry> timeline) {
        public ProcessReport {
            fidelity = List.copyOf(fidelity);
            timeline = List.copyOf(timeline);
        }
    }

    /**
     * @param candidates persons decided for the call-in
     * @param notified candidates sent a letter
     * @param attended those who came
     */
    record CallInCounts(boolean planned, boolean held, int candidates, int notified, int attended) {}

    /**
     * Referrals by their latest outcome the programme may show: a drug-treatment referral's provider outcomes are
     * counted only as referred (42 CFR Part 2).
     */
    record ReferralCounts(
            int referrals, int persons, int engaged, int completed, int declined, int noShow, int intake) {}

    record EnforcementCounts(int bankedCases, int activated, int violations) {}

    /**
     * @param members on the team today
     * @param joined joined since the intervention started
     * @param left left since the intervention started
     */
    record TeamTurnover(int members, int joined, int left) {}
}
