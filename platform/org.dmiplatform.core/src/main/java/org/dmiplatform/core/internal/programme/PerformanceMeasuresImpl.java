package org.dmiplatform.core.internal.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.PerformanceMeasures;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.api.store.RecordsStore;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The quarterly cross-site measures, counted in SQL over the programme's tables and through the records store for the
 * target areas, in each site's own time zone, then every count under five suppressed.
 */
@Component(service = PerformanceMeasures.class)
public class PerformanceMeasuresImpl implements PerformanceMeasures {
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");

    static final List<Measure> MEASURES = List.of(
            new Measure("interventions-active", "Market interventions under way in the quarter"),
            new Measure("call-ins-held", "Call-ins held"),
            new Measure("candidates-notified", "Call-in candidates sent a letter (notified)"),
            new Measure("candidates-attended", "Call-in candidates who came to a call-in held in the quarter"),
            new Measure("referrals-made", "Referrals to services made"),
            new Measure("community-meetings", "Community meetings, briefings and reconciliations held"),
            new Measure("resident-calls", "Residents' calls received"),
            new Measure("market-alerts", "Market watch alerts raised (activity returned)"),
            new Measure("target-drug-incidents", "Drug incidents recorded in the interventions' target areas"));

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Programme programme;
    private final RecordsStore records;

    @Activate
    public PerformanceMeasuresImpl(
            @Reference Database database,
            @Reference AuditLog audit,
            @Reference Sites sites,
            @Reference Programme programme,
            @Reference RecordsStore records) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.programme = programme;
        this.records = records;
    }

    @Override
    public Quarter quarter(String quarter, Caller caller) {
        if (caller.user().grants().stream().noneMatch(g -> g.role() == Role.TTA_ADMIN || g.role() == Role.TTA_STAFF)) {
            throw new AccessDeniedException("the cross-site measures are for national staff");
        }
        Matcher m = QUARTER.matcher(quarter == null ? "" : quarter.strip());
        if (!m.matches()) {
            throw new InvalidInputException(
                    InputError.of("report", "quarter", "'" + quarter + "' is not a quarter such as 2026-Q3"));
        }
        LocalDate from;
        try {
            from = LocalDate.of(Integer.parseInt(m.group(1)), (Integer.parseInt(m.group(2)) - 1) * 3 + 1, 1);
        } catch (java.time.DateTimeException e) {
            throw new InvalidInputException(InputError.of("report", "quarter", "'" + quarter + "' is not a quarter"));
        }
        LocalDate until = from.plusMonths(3);
        if (from.isAfter(LocalDate.now())) {
            throw new InvalidInputException(
                    InputError.of("report", "quarter", quarter + " has not begun: nothing to report yet"));
        }
        List<SiteMeasures> out = new ArrayList<>();
        for (Site site : sites.list()) {
            Map<String, Long> counts = counts(site, from, until);
            List<Value> values = new ArrayList<>();
            for (Measure measure : MEASURES) {
                long n = counts.getOrDefault(measure.id(), 0L);
                values.add(new Value(measure.id(), n < SMALL_COUNT ? Optional.empty() : Optional.of(n)));
            }
            out.add(new SiteMeasures(site.id(), site.name(), site.cohort(), values));
        }
        Records.audit(audit, caller, "", "report.performance", "quarter:" + quarter, out.size() + " site(s)");
        return new Quarter(quarter.strip(), from, until, MEASURES, out);
    }

    private Map<String, Long> counts(Site site, LocalDate from, LocalDate until) {
        ZoneId zone = site.timeZone();
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = until.atStartOfDay(zone).toInstant();
        Map<String, Long> counts = new LinkedHashMap<>();
        database.read(c -> {
            String id = site.id();
            counts.put(
                    "interventions-active",
                    one(
                            c,
                            "SELECT COUNT(*) FROM interventions WHERE site_id = ?"
                                    + " AND started_on < ? AND (ended_on IS NULL OR ended_on >= ?)",
                            id,
                            until,
                            from));
            counts.put(
                    "call-ins-held",
                    one(
                            c,
                            "SELECT COUNT(*) FROM call_ins ci JOIN interventions i"
                                    + " ON i.id = ci.intervention_id WHERE i.site_id = ? AND ci.held AND ci.held_at >= ?"
                                    + " AND ci.held_at < ?",
                            id,
                            from.atStartOfDay(),
                            until.atStartOfDay()));
            counts.put(
                    "candidates-notified",
                    one(
                            c,
                            "SELECT COUNT(DISTINCT l.person_id) FROM letters l"
                                    + " JOIN persons p ON p.id = l.person_id JOIN interventions i ON i.id = p.intervention_id"
                                    + " WHERE i.site_id = ? AND l.sent_on >= ? AND l.sent_on < ?",
                            id,
                            from,
                            until));
            counts.put(
                    "candidates-attended",
                    one(
                            c,
                            "SELECT COUNT(*) FROM call_in_attendance a"
                                    + " JOIN call_ins ci ON ci.id = a.call_in_id JOIN interventions i ON i.id = ci.intervention_id"
                                    + " WHERE i.site_id = ? AND a.attended AND ci.held AND ci.held_at >= ? AND ci.held_at < ?",
                            id,
                            from.atStartOfDay(),
                            until.atStartOfDay()));
            counts.put(
                    "referrals-made",
                    one(
                            c,
                            "SELECT COUNT(*) FROM referrals x JOIN persons p ON p.id = x.person_id"
                                    + " JOIN interventions i ON i.id = p.intervention_id WHERE i.site_id = ? AND x.referred_on >= ?"
                                    + " AND x.referred_on < ?",
                            id,
                            from,
                            until));
            counts.put(
                    "community-meetings",
                    one(
                            c,
                            "SELECT COUNT(*) FROM community_meetings m JOIN interventions i"
                                    + " ON i.id = m.intervention_id WHERE i.site_id = ? AND m.held_on >= ? AND m.held_on < ?",
                            id,
                            from,
                            until));
            counts.put(
                    "resident-calls",
                    one(
                            c,
                            "SELECT COUNT(*) FROM resident_calls r JOIN interventions i"
                                    + " ON i.id = r.intervention_id WHERE i.site_id = ? AND r.received_at >= ? AND r.received_at < ?",
                            id,
                            start,
                            end));
            counts.put(
                    "market-alerts",
                    one(
                            c,
                            "SELECT COUNT(*) FROM market_alerts a JOIN interventions i"
                                    + " ON i.id = a.intervention_id WHERE i.site_id = ? AND a.raised_at >= ? AND a.raised_at < ?",
                            id,
                            start,
                            end));
            return null;
        });
        Map<String, List<RecordQuery.Polygon>> targets = new LinkedHashMap<>();
        for (Intervention intervention : programme.interventions(site.id())) {
            List<RecordQuery.Polygon> target = programme.area(site.id(), intervention.id(), Programme.AreaKind.TARGET);
            if (!target.isEmpty()) {
                targets.put("intervention-" + intervention.id(), target);
            }
        }
        long drugs = 0;
        if (!targets.isEmpty()) {
            // all targets as one area: a record in two overlapping targets counts once
            List<RecordQuery.Polygon> all =
                    targets.values().stream().flatMap(List::stream).toList();
            drugs = records
                    .countsByDayIn(
                            site.id(),
                            RecordQuery.ALL
                                    .kinds(Set.of(RecordKind.INCIDENT))
                                    .categories(Set.of(Category.DRUG))
                                    .between(start, end),
                            Map.of("targets", all),
                            Records.platform(site.id(), "performance measures"))
                    .getOrDefault("targets", List.of())
                    .stream()
                    .mapToLong(d -> d.count().orElse(0L))
                    .sum();
        }
        counts.put("target-drug-incidents", drugs);
        return counts;
    }

    private static long one(java.sql.Connection c, String sql, Object... args) throws java.sql.SQLException {
        return Sql.one(c, sql, rs -> rs.getLong(1), args).orElse(0L);
    }
}
