package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Collectors;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Checklist;
import org.dmiplatform.api.programme.Checklist.Blocker;
import org.dmiplatform.api.programme.Checklist.State;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.Progress;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.api.programme.StepDefinition;
import org.dmiplatform.api.programme.StepDefinition.Step;
import org.dmiplatform.api.programme.Teams;
import org.dmiplatform.api.programme.TimelineEntry;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = Programme.class)
public class ProgrammeImpl implements Programme {
    private static final String SOURCE = "intervention";

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Teams teams;
    private final StepDefinition definition;
    private final Clock clock;

    @Activate
    public ProgrammeImpl(
            @Reference Database database, @Reference AuditLog audit, @Reference Sites sites, @Reference Teams teams) {
        this(database, audit, sites, teams, StepDefinitions.standard(), Clock.systemUTC());
    }

    public ProgrammeImpl(
            Database database, AuditLog audit, Sites sites, Teams teams, StepDefinition definition, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.teams = teams;
        this.definition = definition;
        this.clock = clock;
    }

    /** The step definition this bundle ships; for tests and tools. */
    public static StepDefinition standardDefinition() {
        return StepDefinitions.standard();
    }

    @Override
    public StepDefinition definition() {
        return definition;
    }

    private static final String SELECT = "SELECT id, site_id, name, started_on, ended_on, target_area, comparison_area,"
            + " buffer_area, rationale, definition_version, created_by, created_at FROM interventions";

    private static Intervention intervention(ResultSet rs) throws SQLException {
        return new Intervention(
                rs.getLong("id"),
                rs.getString("site_id"),
                rs.getString("name"),
                Sql.date(rs, "started_on"),
                Sql.optionalDate(rs, "ended_on"),
                Optional.ofNullable(rs.getString("target_area")),
                Optional.ofNullable(rs.getString("comparison_area")),
                Optional.ofNullable(rs.getString("buffer_area")),
                rs.getString("rationale"),
                rs.getInt("definition_version"),
                rs.getString("created_by"),
                Sql.instant(rs, "created_at"));
    }

    @Override
    public List<Intervention> interventions(String site) {
        return database.read(c -> Sql.list(
                c, SELECT + " WHERE site_id = ? ORDER BY started_on DESC, id DESC", ProgrammeImpl::intervention, site));
    }

    @Override
    public Intervention intervention(String site, long id) {
        return database.read(c -> find(c, site, id));
    }

    @Override
    public List<RecordQuery.Polygon> area(String site, long id, AreaKind which) {
        Intervention intervention = intervention(site, id);
        Optional<String> geometry =
                switch (which) {
                    case TARGET -> intervention.targetArea();
                    case COMPARISON -> intervention.comparisonArea();
                    case BUFFER -> intervention.bufferArea();
                };
        return geometry.map(AreaCheck::polygons).orElse(List.of());
    }

    private static Intervention find(Connection c, String site, long id) throws SQLException {
        return Sql.one(c, SELECT + " WHERE id = ? AND site_id = ?", ProgrammeImpl::intervention, id, site)
                .orElseThrow(() -> new NoSuchElementException("no intervention " + id + " at " + site));
    }

    @Override
    public Intervention create(String site, NewIntervention input, Caller caller) {
        caller.require(site, "starting an intervention", Role.POC, Role.SITE_ADMIN, Role.POLICE);
        Check check = new Check(SOURCE);
        String name = check.text("name", input.name(), 200);
        check.required("startedOn", input.startedOn());
        String rationale = check.optional("rationale", input.rationale(), 4000);
        check.done();
        Instant now = clock.instant();
        Intervention created = database.transaction(c -> {
            long id = Sql.insert(
                    c,
                    "INSERT INTO interventions (site_id, name, started_on, rationale, definition_version, created_by, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    site,
                    name,
                    input.startedOn(),
                    rationale,
                    definition.version(),
                    caller.user().username(),
                    now);
            Records.timeline(
                    c, id, now, "intervention", "", "Intervention '" + name + "' started", Audience.EVERYONE, caller);
            if (input.startFrom().isPresent()) {
                // the earlier intervention's areas, as they are now; the team is the site's already
                Intervention earlier = find(c, site, input.startFrom().get());
                Sql.update(
                        c,
                        "UPDATE interventions SET target_area = ?, comparison_area = ?, buffer_area = ? WHERE id = ?",
                        earlier.targetArea().orElse(null),
                        earlier.comparisonArea().orElse(null),
                        earlier.bufferArea().orElse(null),
                        id);
                Records.timeline(
                        c,
                        id,
                        now,
                        "areas",
                        "1",
                        "Started from '" + earlier.name() + "': its areas",
                        Audience.EVERYONE,
                        caller);
            }
            return find(c, site, id);
        });
        Records.audit(audit, caller, site, "intervention.create", "intervention:" + created.id(), name);
        return created;
    }

    @Override
    public Intervention setAreas(String site, long id, Areas areas, Caller caller) {
        caller.require(
                site, "drawing the target and comparison areas", Role.POLICE, Role.RESEARCH, Role.POC, Role.SITE_ADMIN);
        Check check = new Check("areas");
        Optional<org.dmiplatform.api.Site.Bounds> bounds = sites.find(site).flatMap(s -> s.bounds());
        Optional<String> target = AreaCheck.check(check, "target", areas.target(), bounds);
        Optional<String> comparison = AreaCheck.check(check, "comparison", areas.comparison(), bounds);
        Optional<String> buffer = AreaCheck.check(check, "buffer", areas.buffer(), bounds);
        String rationale = check.optional("rationale", areas.rationale(), 4000);
        check.done();
        Instant now = clock.instant();
        Intervention changed = database.transaction(c -> {
            find(c, site, id);
            Sql.update(
                    c,
                    "UPDATE interventions SET target_area = ?, comparison_area = ?, buffer_area = ?, rationale = ? WHERE id = ?",
                    target,
                    comparison,
                    buffer,
                    rationale,
                    id);
            Records.timeline(
                    c,
                    id,
                    now,
                    "areas",
                    "1",
                    "Target" + (comparison.isPresent() ? ", comparison" : "")
                            + (buffer.isPresent() ? " and buffer" : "") + " area set",
                    Audience.EVERYONE,
                    caller);
            return find(c, site, id);
        });
        Records.audit(audit, caller, site, "intervention.areas", "intervention:" + id, "");
        return changed;
    }

    @Override
    public Checklist checklist(String site, long id) {
        return database.read(c -> {
            find(c, site, id);
            return Fidelity.checklist(id, definition, states(c, id));
        });
    }

    private static Map<String, State> states(Connection c, long id) throws SQLException {
        Map<String, State> states = new HashMap<>();
        Sql.list(
                c,
                "SELECT step_id, item_id, status, changed_by, changed_at, note FROM step_states WHERE intervention_id = ?",
                rs -> {
                    String key = rs.getString("item_id").isEmpty()
                            ? rs.getString("step_id")
                            : rs.getString("step_id") + "/" + rs.getString("item_id");
                    states.put(
                            key,
                            new State(
                                    Progress.valueOf(rs.getString("status")),
                                    rs.getString("changed_by"),
                                    Sql.optionalInstant(rs, "changed_at"),
                                    rs.getString("note")));
                    return key;
                },
                id);
        return states;
    }

    @Override
    public Checklist setProgress(
            String site, long id, String stepId, String itemId, Progress status, String note, Caller caller) {
        Step step = definition
                .step(stepId)
                .orElseThrow(() -> new NoSuchElementException("no step '" + stepId + "' in the programme"));
        String item = itemId == null ? "" : itemId;
        if (!item.isEmpty() && step.items().stream().noneMatch(i -> i.id().equals(item))) {
            throw new NoSuchElementException("no item '" + item + "' in " + step.label());
        }
        List<Role> allowed = new ArrayList<>(step.roles());
        allowed.add(Role.POC);
        allowed.add(Role.SITE_ADMIN);
        caller.require(site, "changing " + step.label(), allowed.toArray(Role[]::new));
        Check check = new Check("progress");
        check.required("status", status);
        String evidence = check.optional("note", note, 2000);
        check.done();
        if (status == Progress.BLOCKED && evidence.isEmpty()) {
            throw new RuleException(
                    "blocked-needs-a-note", "A blocked step or item needs a note saying what blocks it.");
        }
        Instant now = clock.instant();
        Checklist checklist = database.transaction(c -> {
            find(c, site, id);
            Map<String, State> states = states(c, id);
            if (status.underWay()) {
                refuseIfGated(step, states);
            }
            if (step.id().equals(CALL_IN_STEP) && item.isEmpty() && status == Progress.DONE && !callInHeld(c, id)) {
                // the debrief, enforcement and follow-up wait for Step 7b: it is done when the call-in has been held
                throw new RuleException(
                        "call-in-done-when-held",
                        step.label() + " is done once the call-in is recorded as held, on or after its day (the"
                                + " Call-in tab).");
            }
            if (Sql.update(
                            c,
                            "UPDATE step_states SET status = ?, changed_by = ?, changed_at = ?, note = ? WHERE intervention_id = ? AND step_id = ? AND item_id = ?",
                            status,
                            caller.user().username(),
                            now,
                            evidence,
                            id,
                            stepId,
                            item)
                    == 0) {
                Sql.update(
                        c,
                        "INSERT INTO step_states (intervention_id, step_id, item_id, status, changed_by, changed_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        id,
                        stepId,
                        item,
                        status,
                        caller.user().username(),
                        now,
                        evidence);
            }
            Records.timeline(
                    c,
                    id,
                    now,
                    item.isEmpty() ? "step" : "item",
                    stepId,
                    (item.isEmpty() ? step.label() : step.label() + ", item " + item) + ": " + status,
                    Audience.EVERYONE,
                    caller);
            return Fidelity.checklist(id, definition, states(c, id));
        });
        Records.audit(
                audit,
                caller,
                site,
                "step.progress",
                "intervention:" + id,
                stepId + (item.isEmpty() ? "" : "/" + item) + " " + status);
        return checklist;
    }

    /** The step the call-in is held in. */
    static final String CALL_IN_STEP = "7b";

    private static boolean callInHeld(Connection c, long intervention) throws SQLException {
        return Sql.one(c, "SELECT held FROM call_ins WHERE intervention_id = ?", rs -> rs.getBoolean(1), intervention)
                .orElse(false);
    }

    private void refuseIfGated(Step step, Map<String, State> states) {
        List<Blocker> blockers = Fidelity.blockers(definition, step.id(), states);
        if (!blockers.isEmpty()) {
            Blocker first = blockers.get(0);
            String waiting = first.waitingFor().stream()
                    .map(s -> definition.step(s).map(Step::label).orElse(s))
                    .collect(Collectors.joining(", "));
            throw new RuleException(
                    first.gate(), first.rule() + ". " + first.explanation() + " Still to be done: " + waiting + ".");
        }
    }

    @Override
    public void requireOpen(String site, long id, String stepId) {
        Step step = definition.step(stepId).orElseThrow();
        database.read(c -> {
            find(c, site, id);
            refuseIfGated(step, states(c, id));
            return null;
        });
    }

    @Override
    public List<TimelineEntry> timeline(String site, long id, Caller caller) {
        // each entry is shown to the roles that may read the record it is about, and to no one else
        List<String> audiences =
                Audience.of(site, caller).stream().map(Audience::name).toList();
        if (audiences.isEmpty()) {
            throw new AccessDeniedException("reading the timeline needs a role at " + site);
        }
        String in = String.join(", ", java.util.Collections.nCopies(audiences.size(), "?"));
        List<Object> args = new ArrayList<>();
        args.add(id);
        args.addAll(audiences);
        java.time.ZoneId zone = sites.find(site)
                .map(Site::timeZone)
                .orElseThrow(() -> new NoSuchElementException("no site '" + site + "'"));
        List<TimelineEntry> entries = database.read(c -> {
            find(c, site, id);
            return Sql.list(
                    c,
                    "SELECT occurred_at, happened_on, recorded_at, kind, step_id, what, done_by FROM timeline WHERE"
                            + " intervention_id = ? AND audience IN (" + in + ") ORDER BY id",
                    rs -> {
                        Optional<java.time.LocalDate> on = Optional.ofNullable(Sql.date(rs, "happened_on"));
                        Instant occurred = Sql.instant(rs, "occurred_at");
                        Instant recorded =
                                Sql.optionalInstant(rs, "recorded_at").orElse(occurred);
                        return new TimelineEntry(
                                on.map(d -> d.atStartOfDay(zone).toInstant()).orElse(occurred),
                                on,
                                rs.getString("kind"),
                                rs.getString("step_id"),
                                rs.getString("what"),
                                rs.getString("done_by"),
                                recorded);
                    },
                    args.toArray());
        });
        // in the order things happened; entries of the same moment in the order they were made (a stable sort)
        List<TimelineEntry> ordered = new ArrayList<>(entries);
        ordered.sort(java.util.Comparator.comparing(TimelineEntry::at));
        return ordered;
    }

    @Override
    public List<SiteProgress> overview() {
        List<SiteProgress> out = new ArrayList<>();
        for (Site site : sites.list()) {
            List<Intervention> all = interventions(site.id());
            // each intervention's checklist read once; the newest (the first) is the site's row
            List<Checklist> checklists =
                    all.stream().map(i -> checklist(site.id(), i.id())).toList();
            Optional<Intervention> newest = all.stream().findFirst();
            Optional<Checklist> checklist = checklists.stream().findFirst();
            Teams.Team team = teams.team(site.id());
            int trainings =
                    team.members().stream().mapToInt(m -> m.trainings().size()).sum();
            List<InterventionProgress> every = new ArrayList<>();
            for (int n = 0; n < all.size(); n++) {
                Intervention i = all.get(n);
                every.add(new InterventionProgress(
                        i.id(),
                        i.name(),
                        i.startedOn(),
                        label(checklists.get(n)),
                        checklists.get(n).overallFidelity()));
            }
            out.add(new SiteProgress(
                    site.id(),
                    site.name(),
                    site.cohort(),
                    newest,
                    checklist.flatMap(this::label),
                    checklist.map(Checklist::overallFidelity).orElse(0),
                    checklist.map(Checklist::fidelity).orElse(List.of()),
                    team.readiness(),
                    all.size(),
                    trainings,
                    team.visits().size(),
                    every));
        }
        return out;
    }

    /** The label of a checklist's current step ("Step 3a: Refine list"), none when every step is done. */
    private Optional<String> label(Checklist checklist) {
        return checklist.currentStep().flatMap(definition::step).map(Step::label);
    }
}
