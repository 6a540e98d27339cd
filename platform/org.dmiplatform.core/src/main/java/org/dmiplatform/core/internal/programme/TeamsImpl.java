package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Teams;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The team. Readiness: each of the four required roles filled by a member who has not left, a point of contact
 * among them, and a leadership sign-off. Turnover is kept, not deleted: a member who leaves gets an end date.
 */
@Component(service = Teams.class)
public class TeamsImpl implements Teams {
    private static final Role[] MANAGERS = {Role.POC, Role.SITE_ADMIN};

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Clock clock;

    @Activate
    public TeamsImpl(@Reference Database database, @Reference AuditLog audit, @Reference Sites sites) {
        this(database, audit, sites, Clock.systemUTC());
    }

    public TeamsImpl(Database database, AuditLog audit, Sites sites, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.clock = clock;
    }

    private void requireSite(String site) {
        if (sites.find(site).isEmpty()) {
            throw new NoSuchElementException("no site '" + site + "'");
        }
    }

    @Override
    public Team team(String site) {
        requireSite(site);
        return database.read(c -> {
            List<Member> members = members(c, site);
            List<SignOff> signOffs = signOffs(c, site);
            List<SwotEntry> swot = Sql.list(
                    c,
                    "SELECT id, intervention_id, kind, text, created_by, created_at FROM swot_entries WHERE site_id = ? ORDER BY id",
                    rs -> new SwotEntry(
                            rs.getLong("id"),
                            Optional.ofNullable((Long) rs.getObject("intervention_id", Long.class)),
                            SwotKind.valueOf(rs.getString("kind")),
                            rs.getString("text"),
                            rs.getString("created_by"),
                            Sql.instant(rs, "created_at")),
                    site);
            List<SiteVisit> visits = Sql.list(
                    c,
                    "SELECT id, visited_on, visitor, purpose, recorded_by FROM site_visits WHERE site_id = ? ORDER BY visited_on, id",
                    rs -> new SiteVisit(
                            rs.getLong("id"),
                            Sql.date(rs, "visited_on"),
                            rs.getString("visitor"),
                            rs.getString("purpose"),
                            rs.getString("recorded_by")),
                    site);
            return new Team(site, members, readiness(members, signOffs), signOffs, swot, visits);
        });
    }

    private List<Member> members(Connection c, String site) throws SQLException {
        Map<Long, List<Attendance>> trainings = new HashMap<>();
        Sql.list(
                c,
                "SELECT t.member_id, t.training, t.attended_on FROM team_trainings t JOIN team_members m ON m.id = t.member_id WHERE m.site_id = ? ORDER BY t.attended_on",
                rs -> {
                    Attendance a = new Attendance(
                            rs.getLong(1), Training.byId(rs.getString(2)).orElseThrow(), Sql.date(rs, "attended_on"));
                    trainings
                            .computeIfAbsent(a.member(), k -> new ArrayList<>())
                            .add(a);
                    return a;
                },
                site);
        LocalDate today = Records.today(sites, clock, site);
        return Sql.list(
                c,
                "SELECT id, name, agency, role_id, point_of_contact, started_on, ended_on, contact FROM team_members WHERE site_id = ? ORDER BY started_on, id",
                rs -> member(rs, today, trainings),
                site);
    }

    private static Member member(ResultSet rs, LocalDate today, Map<Long, List<Attendance>> trainings)
            throws SQLException {
        Optional<LocalDate> ended = Sql.optionalDate(rs, "ended_on");
        long id = rs.getLong("id");
        return new Member(
                id,
                rs.getString("name"),
                rs.getString("agency"),
                TeamRole.byId(rs.getString("role_id")).orElseThrow(),
                rs.getBoolean("point_of_contact"),
                Sql.date(rs, "started_on"),
                ended,
                rs.getString("contact"),
                ended.map(e -> e.isAfter(today)).orElse(true),
                trainings.getOrDefault(id, List.of()));
    }

    private static List<SignOff> signOffs(Connection c, String site) throws SQLException {
        return Sql.list(
                c,
                "SELECT id, leader, signed_on, note, recorded_by FROM team_signoffs WHERE site_id = ? ORDER BY signed_on, id",
                rs -> new SignOff(
                        rs.getLong("id"),
                        rs.getString("leader"),
                        Sql.date(rs, "signed_on"),
                        rs.getString("note"),
                        rs.getString("recorded_by")),
                site);
    }

    static Readiness readiness(List<Member> members, List<SignOff> signOffs) {
        Set<TeamRole> filled = EnumSet.noneOf(TeamRole.class);
        boolean poc = false;
        for (Member m : members) {
            if (m.active()) {
                filled.add(m.role());
                poc |= m.pointOfContact();
            }
        }
        List<String> missing = new ArrayList<>();
        for (TeamRole role : TeamRole.values()) {
            if (role.required() && !filled.contains(role)) {
                missing.add("no " + role.label().toLowerCase(java.util.Locale.ROOT) + " on the team");
            }
        }
        if (!poc) {
            missing.add("no point of contact");
        }
        Optional<SignOff> signOff =
                signOffs.isEmpty() ? Optional.empty() : Optional.of(signOffs.get(signOffs.size() - 1));
        if (signOff.isEmpty()) {
            missing.add("no leadership sign-off");
        }
        return new Readiness(missing.isEmpty(), missing, List.copyOf(filled), poc, signOff);
    }

    @Override
    public Readiness readiness(String site) {
        return team(site).readiness();
    }

    @Override
    public Member addMember(String site, NewMember input, Caller caller) {
        requireSite(site);
        caller.require(site, "adding a team member", MANAGERS);
        Check check = new Check("team member");
        String name = check.text("name", input.name(), 200);
        String agency = check.text("agency", input.agency(), 200);
        check.required("role", input.role());
        check.required("startedOn", input.startedOn());
        String contact = check.optional("contact", input.contact(), 200);
        check.done();
        Instant now = clock.instant();
        long id = database.transaction(c -> Sql.insert(
                c,
                "INSERT INTO team_members (site_id, name, agency, role_id, point_of_contact, started_on, contact, created_by, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                site,
                name,
                agency,
                input.role().id(),
                input.pointOfContact(),
                input.startedOn(),
                contact,
                caller.user().username(),
                now));
        Records.audit(
                audit,
                caller,
                site,
                "team.member.add",
                "member:" + id,
                input.role().id());
        return member(site, id);
    }

    private Member member(String site, long id) {
        return team(site).members().stream()
                .filter(m -> m.id() == id)
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no team member " + id + " at " + site));
    }

    @Override
    public Member changeMember(String site, long id, MemberChange change, Caller caller) {
        caller.require(site, "changing a team member", MANAGERS);
        Member member = member(site, id);
        Check check = new Check("team member");
        change.endedOn().ifPresent(end -> {
            if (end.isBefore(member.startedOn())) {
                check.fail("endedOn", "is before the member started (" + member.startedOn() + ")");
            }
        });
        String contact =
                change.contact().map(v -> check.optional("contact", v, 200)).orElse(member.contact());
        check.done();
        database.transaction(c -> Sql.update(
                c,
                "UPDATE team_members SET ended_on = ?, point_of_contact = ?, contact = ? WHERE id = ? AND site_id = ?",
                change.endedOn().or(member::endedOn),
                change.pointOfContact().orElse(member.pointOfContact()),
                contact,
                id,
                site));
        Records.audit(
                audit,
                caller,
                site,
                "team.member.change",
                "member:" + id,
                change.endedOn().map(e -> "left on " + e).orElse(""));
        return member(site, id);
    }

    @Override
    public SignOff signOff(String site, String leader, LocalDate signedOn, String note, Caller caller) {
        requireSite(site);
        caller.require(site, "recording the leadership sign-off", MANAGERS);
        Check check = new Check("sign-off");
        String who = check.text("leader", leader, 200);
        check.required("signedOn", signedOn);
        String text = check.optional("note", note, 1000);
        check.done();
        long id = database.transaction(c -> Sql.insert(
                c,
                "INSERT INTO team_signoffs (site_id, leader, signed_on, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                site,
                who,
                signedOn,
                text,
                caller.user().username(),
                clock.instant()));
        Records.audit(audit, caller, site, "team.signoff", "signoff:" + id, who);
        return new SignOff(id, who, signedOn, text, caller.user().username());
    }

    @Override
    public SwotEntry addSwot(String site, Optional<Long> intervention, SwotKind kind, String text, Caller caller) {
        requireSite(site);
        caller.require(
                site,
                "adding to the SWOT analysis",
                Role.POC,
                Role.SITE_ADMIN,
                Role.POLICE,
                Role.PROSECUTOR,
                Role.COMMUNITY,
                Role.SERVICES,
                Role.RESEARCH);
        Check check = new Check("SWOT entry");
        check.required("kind", kind);
        String entry = check.text("text", text, 1000);
        check.done();
        Instant now = clock.instant();
        long id = database.transaction(c -> {
            if (intervention.isPresent()) {
                Records.requireIntervention(c, site, intervention.get());
            }
            return Sql.insert(
                    c,
                    "INSERT INTO swot_entries (site_id, intervention_id, kind, text, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    site,
                    intervention,
                    kind,
                    entry,
                    caller.user().username(),
                    now);
        });
        Records.audit(audit, caller, site, "team.swot", "swot:" + id, kind.name());
        return new SwotEntry(id, intervention, kind, entry, caller.user().username(), now);
    }

    @Override
    public Attendance recordTraining(
            String site, long memberId, Training training, LocalDate attendedOn, Caller caller) {
        caller.require(site, "recording a training", Role.POC, Role.SITE_ADMIN, Role.TTA_ADMIN, Role.TTA_STAFF);
        member(site, memberId);
        Check check = new Check("training");
        check.required("training", training);
        check.required("attendedOn", attendedOn);
        check.done();
        database.transaction(c -> {
            if (Sql.update(
                            c,
                            "UPDATE team_trainings SET attended_on = ? WHERE member_id = ? AND training = ?",
                            attendedOn,
                            memberId,
                            training.id())
                    == 0) {
                Sql.update(
                        c,
                        "INSERT INTO team_trainings (member_id, training, attended_on) VALUES (?, ?, ?)",
                        memberId,
                        training.id(),
                        attendedOn);
            }
            return null;
        });
        Records.audit(audit, caller, site, "team.training", "member:" + memberId, training.id());
        return new Attendance(memberId, training, attendedOn);
    }

    @Override
    public SiteVisit addVisit(String site, LocalDate visitedOn, String visitor, String purpose, Caller caller) {
        requireSite(site);
        caller.require(site, "recording a site visit", Role.TTA_ADMIN, Role.TTA_STAFF);
        Check check = new Check("site visit");
        check.required("visitedOn", visitedOn);
        String who = check.text("visitor", visitor, 200);
        String why = check.optional("purpose", purpose, 1000);
        check.done();
        long id = database.transaction(c -> Sql.insert(
                c,
                "INSERT INTO site_visits (site_id, visited_on, visitor, purpose, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                site,
                visitedOn,
                who,
                why,
                caller.user().username(),
                clock.instant()));
        Records.audit(audit, caller, site, "team.visit", "visit:" + id, "");
        return new SiteVisit(id, visitedOn, who, why, caller.user().username());
    }
}
