package org.dmiplatform.core.internal.programme;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.FollowUps;
import org.dmiplatform.api.programme.Market.ServiceCategory;
import org.dmiplatform.api.programme.TreatmentConsents;
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

    static String id(Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static final Set<String> PROGRAMME_IDS =
            PROGRAMME_OUTCOMES.stream().map(FollowUpsImpl::id).collect(Collectors.toUnmodifiableSet());

    /**
     * The status of a drug-treatment referral as everyone may see it: its latest programme outcome (referred or
     * declined), never the provider's.
     */
    static String programmeStatus(String status) {
        return PROGRAMME_IDS.contains(status) ? status : id(Outcome.REFERRED);
    }

    /**
     * The status a referral shows to everyone who sees it: a drug-treatment referral's latest programme outcome, any
     * other referral's latest outcome.
     */
    static String shownStatus(ServiceCategory category, String status) {
        return category == ServiceCategory.DRUG_TREATMENT ? programmeStatus(status) : status;
    }

    private static boolean treatment(String category) {
        return category.equals(ServiceCategory.DRUG_TREATMENT.name());
    }

    @Override
    public History history(String site, long intervention, long referral, Caller caller) {
        caller.require(site, "reading a referral's follow-up (Step 9)", FOLLOWERS);
        LocalDate today = Records.today(sites, clock, site);
        History history = database.read(c -> {
            String category = Records.requireReferral(c, site, intervention, referral);
            List<Event> events = Sql.list(
                    c,
                    "SELECT * FROM referral_events WHERE referral_id = ? ORDER BY id",
                    FollowUpsImpl::event,
                    referral);
            if (!treatment(category) || events.stream().allMatch(FollowUpsImpl::known)) {
                return new History(events, Optional.empty());
            }
            if (TreatmentConsentsImpl.validFor(c, site, referral, caller, today).isPresent()) {
                return new History(events, Optional.of(TreatmentConsents.REDISCLOSURE_NOTICE));
            }
            return new History(events.stream().filter(FollowUpsImpl::known).toList(), Optional.empty());
        });
        if (history.notice().isPresent()) {
            Records.audit(audit, caller, site, "treatment.disclosed", "referral:" + referral, "outcomes");
        }
        return history;
    }

    /** Shown to every follower: a mentor, or an outcome the programme itself knows. */
    private static boolean known(Event event) {
        return !event.kind().equals("outcome") || PROGRAMME_IDS.contains(event.value());
    }

    @Override
    public Event recordOutcome(
            String site, long intervention, long referral, Outcome outcome, LocalDate on, String note, Caller caller) {
        caller.require(site, "recording what became of a referral (Step 9)", FOLLOWERS);
        Check check = new Check("outcome");
        check.required("outcome", outcome);
        String text = check.optional("note", note, 2000);
        check.done();
        LocalDate today = Records.today(sites, clock, site);
        LocalDate day = on == null ? today : on;
        if (day.isAfter(today)) {
            throw new InvalidInputException(InputError.of("outcome", "on", "is after today: record what happened"));
        }
        return event(site, intervention, referral, "outcome", id(outcome), day, text, caller);
    }

    @Override
    public Event assignMentor(String site, long intervention, long referral, String mentor, Caller caller) {
        caller.require(site, "assigning a mentor (Step 9)", FOLLOWERS);
        Check check = new Check("mentor");
        String name = check.text("mentor", mentor, 200);
        check.done();
        return event(site, intervention, referral, "mentor", name, Records.today(sites, clock, site), "", caller);
    }

    private Event event(
            String site,
            long intervention,
            long referral,
            String kind,
            String value,
            LocalDate on,
            String note,
            Caller caller) {
        Instant now = clock.instant();
        LocalDate today = Records.today(sites, clock, site);
        boolean[] fromProvider = {false};
        Event recorded = database.transaction(c -> {
            String category = Records.requireReferral(c, site, intervention, referral);
            boolean outcome = kind.equals("outcome");
            fromProvider[0] = outcome && treatment(category) && !PROGRAMME_IDS.contains(value);
            if (fromProvider[0]
                    && TreatmentConsentsImpl.validFor(c, site, referral, caller, today)
                            .isEmpty()) {
                // the refusal names no outcome: it is written to the audit log
                throw new AccessDeniedException("recording what a drug-treatment provider reports needs a consent"
                        + " valid today that names you (42 CFR Part 2)");
            }
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
            if (outcome && !fromProvider[0]) {
                // the referral's status is the latest outcome everyone may see; the events keep every one
                Sql.update(c, "UPDATE referrals SET status = ? WHERE id = ?", value, referral);
            }
            if (!fromProvider[0]) {
                // treatment information appears in no timeline
                Records.timeline(
                        c,
                        intervention,
                        now,
                        "referral",
                        "9",
                        outcome ? "Referral " + value.replace('-', ' ') : "Mentor assigned",
                        Audience.REFERRALS,
                        caller);
            }
            return Sql.one(c, "SELECT * FROM referral_events WHERE id = ?", FollowUpsImpl::event, id)
                    .orElseThrow();
        });
        Records.audit(
                audit,
                caller,
                site,
                fromProvider[0] ? "treatment.recorded" : "referral." + kind,
                "referral:" + referral,
                fromProvider[0] ? "outcome" : value);
        return recorded;
    }

    @Override
    public List<CategoryOutcomes> outcomesOfCallIn(String site, long intervention, Caller caller) {
        caller.require(site, "reading the referral outcomes of the call-in (Step 9)", FOLLOWERS);
        Map<ServiceCategory, Map<String, Integer>> counts = new EnumMap<>(ServiceCategory.class);
        database.read(c -> {
            Records.requireIntervention(c, site, intervention);
            // the referrals of the call-in's candidates (decided so, or sent a letter): those referrals are made for
            return Sql.list(
                    c,
                    "SELECT x.category, x.status FROM referrals x JOIN persons ON persons.id = x.person_id"
                            + " WHERE persons.intervention_id = ? AND " + MarketImpl.CANDIDATE,
                    rs -> {
                        ServiceCategory category = ServiceCategory.valueOf(rs.getString(1));
                        counts.computeIfAbsent(category, k -> new TreeMap<>())
                                .merge(shownStatus(category, rs.getString(2)), 1, Integer::sum);
                        return null;
                    },
                    intervention);
        });
        List<CategoryOutcomes> outcomes = new ArrayList<>();
        for (ServiceCategory category : ServiceCategory.values()) {
            Map<String, Integer> byOutcome = counts.getOrDefault(category, Map.of());
            outcomes.add(new CategoryOutcomes(
                    category,
                    byOutcome.values().stream().mapToInt(Integer::intValue).sum(),
                    byOutcome,
                    category == ServiceCategory.DRUG_TREATMENT));
        }
        return outcomes;
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
        LocalDate today = Records.today(sites, clock, site);
        LocalDate day = on == null ? today : on;
        if (day.isAfter(today)) {
            throw new InvalidInputException(InputError.of("task", "doneOn", "is after today: record when it was done"));
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
                    day,
                    caller.user().username(),
                    task);
            return Sql.one(c, TASKS + " WHERE t.id = ?", FollowUpsImpl::task, task)
                    .orElseThrow();
        });
        Records.audit(audit, caller, site, "referral.task.done", "task:" + task, day.toString());
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
