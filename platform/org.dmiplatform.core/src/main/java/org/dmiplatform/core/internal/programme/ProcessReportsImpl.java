package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Checklist;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.ProcessReports;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The process report, counted in SQL; each part for the audience of its detail ({@link Audience}). */
@Component(service = ProcessReports.class)
public class ProcessReportsImpl implements ProcessReports {
    private final Database database;
    private final Programme programme;

    @Activate
    public ProcessReportsImpl(@Reference Database database, @Reference Programme programme) {
        this.database = database;
        this.programme = programme;
    }

    @Override
    public ProcessReport process(String site, long id, Caller caller) {
        caller.require(site, "reading the intervention's process report", Role.values());
        Intervention intervention = programme.intervention(site, id);
        Checklist checklist = programme.checklist(site, id);
        return database.read(c -> new ProcessReport(
                id,
                intervention.name(),
                checklist.overallFidelity(),
                checklist.fidelity(),
                checklist.currentStep(),
                Audience.CALL_IN.includes(site, caller) ? Optional.of(callIn(c, id)) : Optional.empty(),
                Audience.REFERRALS.includes(site, caller) ? Optional.of(referrals(c, id)) : Optional.empty(),
                Audience.INTELLIGENCE.includes(site, caller) ? Optional.of(enforcement(c, id)) : Optional.empty(),
                team(c, site, intervention),
                programme.timeline(site, id, caller)));
    }

    private static int count(Connection c, String sql, Object... args) throws SQLException {
        return Sql.one(c, sql, rs -> rs.getInt(1), args).orElse(0);
    }

    private static CallInCounts callIn(Connection c, long id) throws SQLException {
        Optional<Boolean> held =
                Sql.one(c, "SELECT held FROM call_ins WHERE intervention_id = ?", rs -> rs.getBoolean(1), id);
        return new CallInCounts(
                held.isPresent(),
                held.orElse(false),
                count(c, "SELECT COUNT(*) FROM persons WHERE intervention_id = ? AND decision = 'CALL_IN'", id),
                count(
                        c,
                        "SELECT COUNT(DISTINCT l.person_id) FROM letters l JOIN persons p ON p.id = l.person_id"
                                + " WHERE p.intervention_id = ? AND l.sent_on IS NOT NULL",
                        id),
                count(
                        c,
                        "SELECT COUNT(*) FROM call_in_attendance a JOIN call_ins ci ON ci.id = a.call_in_id"
                                + " WHERE ci.intervention_id = ? AND a.attended",
                        id));
    }

    private static ReferralCounts referrals(Connection c, long id) throws SQLException {
        Map<String, Integer> byStatus = new HashMap<>();
        Sql.list(
                c,
                "SELECT x.category, x.status FROM referrals x JOIN persons p ON p.id = x.person_id"
                        + " WHERE p.intervention_id = ?",
                rs -> byStatus.merge(
                        FollowUpsImpl.shownStatus(
                                org.dmiplatform.api.programme.Market.ServiceCategory.valueOf(rs.getString(1)),
                                rs.getString(2)),
                        1,
                        Integer::sum),
                id);
        return new ReferralCounts(
                byStatus.values().stream().mapToInt(Integer::intValue).sum(),
                count(
                        c,
                        "SELECT COUNT(DISTINCT x.person_id) FROM referrals x JOIN persons p ON p.id = x.person_id"
                                + " WHERE p.intervention_id = ?",
                        id),
                byStatus.getOrDefault("engaged", 0),
                byStatus.getOrDefault("completed", 0),
                byStatus.getOrDefault("declined", 0),
                byStatus.getOrDefault("no-show", 0),
                byStatus.getOrDefault("intake", 0));
    }

    private static EnforcementCounts enforcement(Connection c, long id) throws SQLException {
        String ofIntervention = " JOIN persons p ON p.id = x.person_id WHERE p.intervention_id = ?";
        return new EnforcementCounts(
                count(c, "SELECT COUNT(*) FROM banked_cases x" + ofIntervention, id),
                count(c, "SELECT COUNT(*) FROM banked_cases x" + ofIntervention + " AND x.status = 'ACTIVATED'", id),
                count(c, "SELECT COUNT(*) FROM violations x" + ofIntervention, id));
    }

    private static TeamTurnover team(Connection c, String site, Intervention intervention) throws SQLException {
        return new TeamTurnover(
                count(c, "SELECT COUNT(*) FROM team_members WHERE site_id = ? AND ended_on IS NULL", site),
                count(
                        c,
                        "SELECT COUNT(*) FROM team_members WHERE site_id = ? AND started_on >= ?",
                        site,
                        intervention.startedOn()),
                count(
                        c,
                        "SELECT COUNT(*) FROM team_members WHERE site_id = ? AND ended_on >= ?",
                        site,
                        intervention.startedOn()));
    }
}
