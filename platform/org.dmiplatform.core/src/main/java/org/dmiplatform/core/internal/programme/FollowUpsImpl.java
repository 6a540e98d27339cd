package org.dmiplatform.core.internal.programme;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.FollowUps;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Step 9 follow-up: outcomes and mentors as events, the coordinator's tasks, the site's overdue list. */
@Component(service = FollowUps.class)
public class FollowUpsImpl implements FollowUps {
    static final Role[] FOLLOWERS = Audience.REFERRALS.roles();

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Clock clock;

    @Activate
    public FollowUpsImpl(@Reference Database database, @Reference AuditLog audit, @Reference Sites sites) {
        this(database, audit, sites, Clock.systemUTC());
    }

    public FollowUpsImpl(Database database, AuditLog audit, Sites sites, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.clock = clock;
    }

    private static Event event(ResultSet rs) throws SQLException {
        return new Event(
                rs.getLong("id"),
                rs.getLong("referral_id"),
                rs.getString("kind"),
                rs.getString("value"),
                Sql.date(rs, "on_date"),
                rs.getString("note"),
                rs.getString("recorded_by"),
                Sql.instant(rs, "recorded_at"));
    }

    @Override
    public List<Event> history(String site, long intervention, long referral, Caller caller) {
        caller.require(site, "reading a referral's follow-up (Step 9)", FOLLOWERS);
        return database.read(c -> {
            Records.requireReferral(c, site, intervention, referral);
            return Sql.list(
                    c,
                    "SELECT * FROM referral_events WHERE referral_id = ? ORDER BY id",
                    FollowUpsImpl::event,
                    referral);
        });
    }

    static String id(Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public Event recordOutcome(
            String site, long intervention, long referral, Outcome outcome, LocalDate on, String note, Caller caller) {
        caller.require(site, "recording what became of a referral (Step 9)", FOLLOWERS);
        Check check = new Check("outcome");
        check.required("outcome", outcome);
        check.required("on", on);
        String text = check.optional("note", note, 2000);
        check.done();
        if (on.isAfter(Records.today(sites, clock, site))) {
            throw new InvalidInputException(InputError.of("outcome", "on", "is after today: record what happened"));
        }
        return event(site, intervention, referral, "outcome", id(outcome), on, text, caller, true);
    }

    @Override
    public Event assignMentor(String site, long intervention, long referral, String mentor, Caller caller) {
        caller.require(site, "assigning a mentor (Step 9)", FOLLOWERS);
        Check check = new Check("mentor");
        String name = check.text("mentor", mentor, 200);
        check.done();
        return event(
                site, intervention, referral, "mentor", name, Records.today(sites, clock, site), "", caller, false);
    }

    private Event event(
            String site,
            long intervention,
            long referral,
            String kind,
            String value,
            LocalDate on,
            String note,
            Caller caller,
            boolean status) {
        Instant now = clock.instant();
        Event recorded = database.transaction(c -> {
            Records.requireReferral(c, site, intervention, referral);
            long id = Sql.insert(
                    c,
                    "INSERT INTO referral_events (referral_id, kind, value, on_date, note, recorded_by, recorded_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    referral,
                    kind,
                    value,
                    on,
                    note,
                    caller.user().username(),
                    now);
            if (status) {
                // the referral's status is the latest outcome; the events keep every one
                Sql.update(c, "UPDATE referrals SET status = ? WHERE id = ?", value, referral);
            }
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "referral",
                    "9",
                    kind.equals("mentor") ? "Mentor assigned" : "Referral " + value.replace('-', ' '),
                    Audience.REFERRALS,
                    caller);
            return Sql.one(c, "SELECT * FROM referral_events WHERE id = ?", FollowUpsImpl::event, id)
                    .orElseThrow();
        });
        Records.audit(audit, caller, site, "referral." + kind, "referral:" + referral, value);
        return recorded;
    }

    private static final String TASKS = "SELECT t.*, p.intervention_id, p.id AS person_id FROM referral_tasks t"
            + " JOIN referrals x ON x.id = t.referral_id JOIN persons p ON p.id = x.person_id"
            + " JOIN interventions i ON i.id = p.intervention_id";

    private static Task task(ResultSet rs) throws SQLException {
        return new Task(
                rs.getLong("id"),
                rs.getLong("intervention_id"),
                rs.getLong("referral_id"),
                rs.getLong("person_id"),
                rs.getString("what"),
                Sql.date(rs, "due_on"),
                Sql.optionalDate(rs, "done_on"),
                rs.getString("created_by"));
    }

    @Override
    public Task addTask(String site, long intervention, long referral, String what, LocalDate due, Caller caller) {
        caller.require(site, "adding a follow-up task (Step 9)", FOLLOWERS);
        Check check = new Check("task");
        String text = check.text("what", what, 1000);
        check.required("due", due);
        check.done();
        Instant now = clock.instant();
        Task added = database.transaction(c -> {
            Records.requireReferral(c, site, intervention, referral);
            long id = Sql.insert(
                    c,
                    "INSERT INTO referral_tasks (referral_id, what, due_on, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                    referral,
                    text,
                    due,
                    caller.user().username(),
                    now);
            return Sql.one(c, TASKS + " WHERE t.id = ?", FollowUpsImpl::task, id)
                    .orElseThrow();
        });
        Records.audit(audit, caller, site, "referral.task", "referral:" + referral, due.toString());
        return added;
    }

    @Override
    public Task completeTask(String site, long intervention, long task, LocalDate on, Caller caller) {
        caller.require(site, "completing a follow-up task (Step 9)", FOLLOWERS);
        if (on == null) {
            throw new InvalidInputException(InputError.of("task", "doneOn", "is required"));
        }
        Task done = database.transaction(c -> {
            Task t = Sql.one(
                            c,
                            TASKS + " WHERE t.id = ? AND p.intervention_id = ? AND i.site_id = ?",
                            FollowUpsImpl::task,
                            task,
                            intervention,
                            site)
                    .orElseThrow(
                            () -> new NoSuchElementException("no task " + task + " in intervention " + intervention));
            if (t.doneOn().isPresent()) {
                return t;
            }
            Sql.update(
                    c,
                    "UPDATE referral_tasks SET done_on = ?, done_by = ? WHERE id = ?",
                    on,
                    caller.user().username(),
                    task);
            return Sql.one(c, TASKS + " WHERE t.id = ?", FollowUpsImpl::task, task)
                    .orElseThrow();
        });
        Records.audit(audit, caller, site, "referral.task.done", "task:" + task, on.toString());
        return done;
    }

    @Override
    public List<Task> tasks(String site, long intervention, long referral, Caller caller) {
        caller.require(site, "reading follow-up tasks (Step 9)", FOLLOWERS);
        return database.read(c -> {
            Records.requireReferral(c, site, intervention, referral);
            return Sql.list(
                    c,
                    TASKS
                            + " WHERE t.referral_id = ? ORDER BY CASE WHEN t.done_on IS NULL THEN 0 ELSE 1 END, t.due_on, t.id",
                    FollowUpsImpl::task,
                    referral);
        });
    }

    @Override
    public List<Task> overdue(String site, Caller caller) {
        caller.require(site, "reading the overdue follow-ups (Step 9)", FOLLOWERS);
        LocalDate today = Records.today(sites, clock, site);
        return database.read(c -> Sql.list(
                c,
                TASKS + " WHERE i.site_id = ? AND t.done_on IS NULL AND t.due_on < ? ORDER BY t.due_on, t.id",
                FollowUpsImpl::task,
                site,
                today));
    }
}
