package org.dmiplatform.core.internal.programme;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.MarketAlerts;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.api.reporting.MarketWatch;
import org.dmiplatform.api.reporting.Reporting;
import org.dmiplatform.core.internal.schedule.Schedule;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeping markets closed: every hour the platform asks each site's reporting plug-in to watch each intervention whose
 * call-in is past, and raises one alert for each run of weeks that exceeded (the run's first week; a later run after a
 * quiet week raises another). Alerts are kept once ({@code market_alerts}, unique by intervention, measure and week),
 * so the watch may run as often as it likes. The team acknowledges an alert once.
 */
@Component(
        service = {MarketAlerts.class, MarketAlertsImpl.class},
        immediate = true)
public class MarketAlertsImpl implements MarketAlerts {
    private static final Logger LOG = LoggerFactory.getLogger(MarketAlertsImpl.class);
    static final Duration EVERY = Duration.ofHours(1);
    private static final Role[] SITE_ROLES =
            java.util.Arrays.stream(Role.values()).filter(r -> !r.isNational()).toArray(Role[]::new);

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Programme programme;
    private final Clock clock;
    private final Schedule.Task task;

    @Activate
    public MarketAlertsImpl(
            @Reference Database database,
            @Reference AuditLog audit,
            @Reference Sites sites,
            @Reference Programme programme,
            @Reference Schedule schedule) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.programme = programme;
        this.clock = Clock.systemUTC();
        this.task = schedule.every(EVERY, "market watch", this::watchAll);
    }

    /**
     * For tests: the watch run by hand ({@link #watchAll}), on the clock given. A factory: Declarative Services picks
     * the constructor by its number of arguments, and this one has as many as the component's.
     */
    public static MarketAlertsImpl byHand(
            Database database, AuditLog audit, Sites sites, Programme programme, Clock clock) {
        return new MarketAlertsImpl(database, audit, sites, programme, clock);
    }

    private MarketAlertsImpl(Database database, AuditLog audit, Sites sites, Programme programme, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.programme = programme;
        this.clock = clock;
        this.task = null;
    }

    @Deactivate
    void deactivate() {
        if (task != null) {
            task.cancel();
        }
    }

    /** Watches every intervention of every site with a reporting plug-in; returns how many alerts were raised. */
    public int watchAll() {
        int raised = 0;
        for (Site site : sites.list()) {
            Optional<Reporting> reporting = sites.plugin(site.id(), Reporting.class);
            if (reporting.isEmpty()) {
                continue;
            }
            for (Intervention intervention : programme.interventions(site.id())) {
                try {
                    Caller watcher = Records.platform(site.id(), "market watch");
                    raised +=
                            raise(intervention.id(), reporting.get().watch(site, intervention.id(), watcher), watcher);
                } catch (RuntimeException | LinkageError e) {
                    // a plug-in that fails (or was just replaced) must not stop the watch of the others
                    LOG.warn("Market watch of intervention {} at {}", intervention.id(), site.id(), e);
                }
            }
        }
        return raised;
    }

    /**
     * One alert for each run of exceeding weeks, at its first week. A run that already has an alert (at any of its
     * weeks, or the week before it: records that arrive late can move a run's start) raises none.
     */
    private int raise(long intervention, MarketWatch watch, Caller watcher) {
        Instant now = clock.instant();
        return database.transaction(c -> {
            int raised = 0;
            for (MarketWatch.Measure measure : watch.measures()) {
                List<MarketWatch.Week> weeks = measure.weeks();
                for (int i = 0; i < weeks.size(); i++) {
                    if (!weeks.get(i).exceeds() || (i > 0 && weeks.get(i - 1).exceeds())) {
                        continue;
                    }
                    int end = i;
                    while (end + 1 < weeks.size() && weeks.get(end + 1).exceeds()) {
                        end++;
                    }
                    MarketWatch.Week first = weeks.get(i);
                    boolean kept = Sql.one(
                                    c,
                                    "SELECT id FROM market_alerts WHERE intervention_id = ? AND measure = ?"
                                            + " AND week_from >= ? AND week_from <= ?",
                                    rs -> rs.getLong(1),
                                    intervention,
                                    measure.measure(),
                                    first.from().minusWeeks(1),
                                    weeks.get(end).from())
                            .isPresent();
                    if (kept) {
                        continue;
                    }
                    Sql.insert(
                            c,
                            "INSERT INTO market_alerts (intervention_id, measure, week_from, observed, expected,"
                                    + " upper_tail, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            intervention,
                            measure.measure(),
                            first.from(),
                            first.count(),
                            measure.expectedPerWeek(),
                            first.upperTail(),
                            now);
                    Records.timeline(
                            c,
                            intervention,
                            now,
                            "alert",
                            "",
                            "Market watch: " + measure.measure().replace('-', ' ')
                                    + " beyond the level after the call-in, week of " + first.from(),
                            Audience.EVERYONE,
                            watcher);
                    raised++;
                }
            }
            return raised;
        });
    }

    private static final String SELECT =
            "SELECT a.*, i.name FROM market_alerts a" + " JOIN interventions i ON i.id = a.intervention_id";

    private static Alert alert(ResultSet rs) throws SQLException {
        String by = rs.getString("acknowledged_by");
        return new Alert(
                rs.getLong("id"),
                rs.getLong("intervention_id"),
                rs.getString("name"),
                rs.getString("measure"),
                Sql.date(rs, "week_from"),
                rs.getLong("observed"),
                rs.getDouble("expected"),
                rs.getDouble("upper_tail"),
                Sql.instant(rs, "raised_at"),
                by == null
                        ? Optional.empty()
                        : Optional.of(new Acknowledgement(
                                by, Sql.instant(rs, "acknowledged_at"), rs.getString("acknowledgement"))));
    }

    @Override
    public List<Alert> alerts(String site, Caller caller) {
        // the team at the site; national staff see how many are open (openBySite), not the team's notes
        caller.require(site, "reading the market watch's alerts", SITE_ROLES);
        return database.read(c -> Sql.list(
                c,
                SELECT + " WHERE i.site_id = ? ORDER BY a.week_from DESC, a.id DESC",
                MarketAlertsImpl::alert,
                site));
    }

    @Override
    public Alert acknowledge(String site, long id, String note, Caller caller) {
        caller.require(
                site,
                "acknowledging a market watch alert",
                Role.POLICE,
                Role.POC,
                Role.SITE_ADMIN,
                Role.COMMUNITY,
                Role.SERVICES,
                Role.PROSECUTOR,
                Role.RESEARCH);
        Check check = new Check("alert");
        String text = check.text("note", note, 2000);
        check.done();
        Instant now = clock.instant();
        Alert acknowledged = database.transaction(c -> {
            Alert a = Sql.one(c, SELECT + " WHERE a.id = ? AND i.site_id = ?", MarketAlertsImpl::alert, id, site)
                    .orElseThrow(() -> new NoSuchElementException("no alert " + id + " at " + site));
            if (a.acknowledged().isPresent()) {
                throw new RuleException(
                        "alert-acknowledged-once",
                        "This alert was acknowledged by "
                                + a.acknowledged().get().by() + " on "
                                + a.acknowledged().get().at() + ".");
            }
            // only the first of two at once: the second finds it acknowledged
            if (Sql.update(
                            c,
                            "UPDATE market_alerts SET acknowledged_by = ?, acknowledged_at = ?, acknowledgement = ?"
                                    + " WHERE id = ? AND acknowledged_by IS NULL",
                            caller.user().username(),
                            now,
                            text,
                            id)
                    == 0) {
                throw new RuleException("alert-acknowledged-once", "This alert was acknowledged a moment ago.");
            }
            return Sql.one(c, SELECT + " WHERE a.id = ?", MarketAlertsImpl::alert, id)
                    .orElseThrow();
        });
        Records.audit(audit, caller, site, "alert.acknowledged", "alert:" + id, "");
        return acknowledged;
    }

    @Override
    public Map<String, Integer> openBySite(Caller caller) {
        if (caller.user().grants().stream().noneMatch(g -> g.role() == Role.TTA_ADMIN || g.role() == Role.TTA_STAFF)) {
            throw new org.dmiplatform.api.access.AccessDeniedException(
                    "the open alerts of every site are for national staff");
        }
        Map<String, Integer> out = new TreeMap<>();
        database.read(c -> Sql.list(
                c,
                "SELECT i.site_id, COUNT(*) FROM market_alerts a JOIN interventions i ON i.id = a.intervention_id"
                        + " WHERE a.acknowledged_by IS NULL GROUP BY i.site_id",
                rs -> out.put(rs.getString(1), rs.getInt(2))));
        return out;
    }
}
