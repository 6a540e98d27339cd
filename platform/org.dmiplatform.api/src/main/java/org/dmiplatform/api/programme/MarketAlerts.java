package org.dmiplatform.api.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Alerts that a closed market's activity has returned: raised by the platform's weekly watch (through the site's
 * reporting plug-in), one for each run of weeks beyond chance, and acknowledged by the team. An alert names no person:
 * every role at the site sees it, national staff see how many each site has open.
 */
@ProviderType
public interface MarketAlerts {

    /** The site's alerts, the newest week first. */
    List<Alert> alerts(String site, Caller caller);

    /**
     * The team has seen it and says what it does: recorded once, with who and when.
     *
     * @throws RuleException {@code alert-acknowledged-once} for an alert already acknowledged
     */
    Alert acknowledge(String site, long alert, String note, Caller caller);

    /** Open (unacknowledged) alerts a site, for the TTA overview; sites without any are absent. */
    Map<String, Integer> openBySite(Caller caller);

    /**
     * @param measure {@code drug-incidents}, {@code drug-calls} or {@code residents-calls}
     * @param weekFrom the first day of the week that exceeded (the first of its run)
     * @param upperTail the chance of so many records at the expected level
     */
    record Alert(
            long id,
            long intervention,
            String interventionName,
            String measure,
            LocalDate weekFrom,
            long observed,
            double expectedPerWeek,
            double upperTail,
            Instant raisedAt,
            Optional<Acknowledgement> acknowledged) {}

    record Acknowledgement(String by, Instant at, String note) {}
}
