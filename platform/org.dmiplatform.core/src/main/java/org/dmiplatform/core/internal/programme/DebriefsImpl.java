package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.CommunityWork;
import org.dmiplatform.api.programme.Debriefs;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.MarketAlerts;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.reporting.Reporting;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.dmiplatform.core.internal.store.RecordsStoreImpl;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Debriefs as records never changed: a new one stands after the earlier ones, which stay. */
@Component(service = Debriefs.class)
public class DebriefsImpl implements Debriefs {
    /** The team that debriefs; national staff read. */
    static final Role[] TEAM = {
        Role.POLICE, Role.PROSECUTOR, Role.COMMUNITY, Role.SERVICES, Role.RESEARCH, Role.POC, Role.SITE_ADMIN
    };

    private final Database database;
    private final AuditLog audit;
    private final Programme programme;
    private final Sources sources;
    private final Clock clock;

    /** Where the evidence comes from: the site (its reporting plug-in), the call-in, the community work, the watch. */
    public record Sources(Sites sites, CallIns callIns, CommunityWork community, MarketAlerts alerts) {}

    @Activate
    public DebriefsImpl(
            @Reference Database database,
            @Reference AuditLog audit,
            @Reference Programme programme,
            @Reference Sites sites,
            @Reference CallIns callIns,
            @Reference CommunityWork community,
            @Reference MarketAlerts alerts) {
        this(database, audit, programme, new Sources(sites, callIns, community, alerts), Clock.systemUTC());
    }

    public DebriefsImpl(Database database, AuditLog audit, Programme programme, Sources sources, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.programme = programme;
        this.sources = sources;
        this.clock = clock;
    }

    @Override
    public Evidence evidence(String site, long intervention, Caller caller) {
        caller.require(site, "reading the evidence for a debrief", TEAM);
        Intervention i = programme.intervention(site, intervention);
        Site where = sources.sites().find(site).orElseThrow(() -> new NoSuchElementException("no site " + site));
        Optional<List<MarketAlerts.Alert>> alerts;
        try {
            alerts = Optional.of(sources.alerts().alerts(site, caller));
        } catch (AccessDeniedException e) {
            alerts = Optional.empty();
        }
        return DebriefEvidence.gather(
                new DebriefEvidence.Sources(
                        where,
                        i.id(),
                        sources.callIns().date(site, i.id()),
                        sources.sites().plugin(site, Reporting.class),
                        sources.community().calls(site, i.id()),
                        sources.community().meetings(site, i.id()),
                        alerts,
                        // the records figures only for a role that reads the records (others are not even asked)
                        java.util.Arrays.stream(RecordsStoreImpl.READERS)
                                .anyMatch(r -> caller.user().holdsAt(site, r)),
                        LocalDate.now(clock.withZone(where.timeZone()))),
                caller);
    }

    @Override
    public List<Debrief> debriefs(String site, long intervention, Caller caller) {
        caller.require(site, "reading the intervention's debriefs", Role.values());
        Intervention i = programme.intervention(site, intervention);
        return database.read(c -> load(c, i));
    }

    private static List<Debrief> load(Connection c, Intervention i) throws SQLException {
        List<Debrief> out = new ArrayList<>();
        for (Object[] row : Sql.list(
                c,
                "SELECT * FROM debriefs WHERE intervention_id = ? ORDER BY id DESC",
                rs -> new Object[] {
                    rs.getLong("id"),
                    rs.getString("went_to_plan"),
                    rs.getString("to_change"),
                    rs.getString("strengths"),
                    rs.getString("weaknesses"),
                    rs.getString("opportunities"),
                    rs.getString("threats"),
                    rs.getString("recorded_by"),
                    Sql.instant(rs, "recorded_at")
                },
                i.id())) {
            long id = (Long) row[0];
            List<GoalAssessment> goals = new ArrayList<>(Sql.list(
                    c,
                    "SELECT goal, assessment, evidence FROM debrief_goals WHERE debrief_id = ?",
                    rs -> new GoalAssessment(
                            Goal.valueOf(rs.getString(1)), Assessment.valueOf(rs.getString(2)), rs.getString(3)),
                    id));
            goals.sort(java.util.Comparator.comparing(GoalAssessment::goal));
            out.add(new Debrief(
                    id,
                    i.id(),
                    i.name(),
                    goals,
                    (String) row[1],
                    (String) row[2],
                    (String) row[3],
                    (String) row[4],
                    (String) row[5],
                    (String) row[6],
                    (String) row[7],
                    (Instant) row[8]));
        }
        return out;
    }

    @Override
    public Debrief record(String site, long intervention, NewDebrief input, Caller caller) {
        caller.require(site, "recording a debrief", TEAM);
        Intervention i = programme.intervention(site, intervention);
        Check check = new Check("debrief");
        Set<Goal> assessed = EnumSet.noneOf(Goal.class);
        List<GoalAssessment> goals = input.goals() == null ? List.of() : input.goals();
        for (GoalAssessment g : goals) {
            if (g == null || g.goal() == null || g.assessment() == null) {
                check.fail("goals", "each goal needs its goal and assessment (met, partly-met, not-met, too-early)");
            } else if (!assessed.add(g.goal())) {
                check.fail("goals", "assesses " + g.goal().label() + " twice");
            } else {
                check.optional("evidence", g.evidence(), 2000);
            }
        }
        for (Goal goal : Goal.values()) {
            if (!assessed.contains(goal) && goals.stream().allMatch(g -> g != null && g.goal() != null)) {
                check.fail("goals", "assess every goal: '" + goal.label() + "' is missing");
            }
        }
        String went = check.optional("wentToPlan", input.wentToPlan(), 4000);
        String change = check.optional("toChange", input.toChange(), 4000);
        String s = check.optional("strengths", input.strengths(), 2000);
        String w = check.optional("weaknesses", input.weaknesses(), 2000);
        String o = check.optional("opportunities", input.opportunities(), 2000);
        String t = check.optional("threats", input.threats(), 2000);
        check.done();
        Instant now = clock.instant();
        long id = database.transaction(c -> {
            long created = Sql.insert(
                    c,
                    "INSERT INTO debriefs (intervention_id, went_to_plan, to_change, strengths, weaknesses, opportunities,"
                            + " threats, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    intervention,
                    went,
                    change,
                    s,
                    w,
                    o,
                    t,
                    caller.user().username(),
                    now);
            for (GoalAssessment g : goals) {
                Sql.update(
                        c,
                        "INSERT INTO debrief_goals (debrief_id, goal, assessment, evidence) VALUES (?, ?, ?, ?)",
                        created,
                        g.goal().name(),
                        g.assessment().name(),
                        g.evidence() == null ? "" : g.evidence().strip());
            }
            Records.timeline(
                    c, intervention, now, "debrief", "", "After-action debrief recorded", Audience.EVERYONE, caller);
            return created;
        });
        Records.audit(audit, caller, site, "debrief.record", "intervention:" + intervention, "debrief:" + id);
        return database.read(c -> load(c, i)).stream()
                .filter(d -> d.id() == id)
                .findFirst()
                .orElseThrow();
    }

    @Override
    public Optional<Debrief> lessons(String site, long intervention, Caller caller) {
        caller.require(site, "reading the lessons of the last intervention", Role.values());
        Intervention current = programme.intervention(site, intervention);
        // the site's earlier interventions, the latest first; the first with a debrief gives its lessons
        List<Intervention> earlier = programme.interventions(site).stream()
                .filter(i -> i.id() != current.id()
                        && (i.startedOn().isBefore(current.startedOn())
                                || (i.startedOn().equals(current.startedOn()) && i.id() < current.id())))
                .sorted(java.util.Comparator.comparing(Intervention::startedOn)
                        .thenComparing(Intervention::id)
                        .reversed())
                .toList();
        return database.read(c -> {
            for (Intervention i : earlier) {
                List<Debrief> debriefs = load(c, i);
                if (!debriefs.isEmpty()) {
                    return Optional.of(debriefs.get(0));
                }
            }
            return Optional.<Debrief>empty();
        });
    }
}
