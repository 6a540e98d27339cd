package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ServiceDirectory;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = Market.class)
public class MarketImpl implements Market {
    /** Who sees police intelligence on a person (28 CFR 23.20(e): need to know). */
    static final Role[] INTELLIGENCE = Audience.INTELLIGENCE.roles();
    /** Who sees the call-in candidates by name, for their work (Steps 6, 7 and 9). */
    static final Role[] CANDIDATES = {Role.COMMUNITY, Role.SERVICES, Role.POC};
    /** Who sees referrals to services; never police or prosecutors (42 USC 290dd-2). */
    static final Role[] REFERRALS = Audience.REFERRALS.roles();
    /** Who decides who is prosecuted now and who is called in (Step 3b). */
    static final Role[] DECIDERS = {Role.POLICE, Role.PROSECUTOR};

    static final int REVIEW_YEARS = 5;

    private final Database database;
    private final AuditLog audit;
    private final Programme programme;
    private final Sites sites;
    private final Clock clock;
    private final Reviews reviews;

    @Activate
    public MarketImpl(
            @Reference Database database,
            @Reference AuditLog audit,
            @Reference Sites sites,
            @Reference Programme programme) {
        this(database, audit, sites, programme, Clock.systemUTC());
    }

    public MarketImpl(Database database, AuditLog audit, Sites sites, Programme programme, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.programme = programme;
        this.clock = clock;
        this.reviews = new Reviews(database, audit, sites, clock);
    }

    /** How much of the dealer list a caller sees. */
    private enum View {
        INTELLIGENCE,
        CANDIDATES
    }

    private static View view(String site, Caller caller) {
        if (caller.holdsAt(site, INTELLIGENCE)) {
            return View.INTELLIGENCE;
        }
        if (caller.holdsAt(site, CANDIDATES)) {
            return View.CANDIDATES;
        }
        throw new AccessDeniedException(
                "the dealer list is shown to police, prosecutors, the site administrator and, for"
                        + " call-in candidates, to community, services and the point of contact; research partners and national"
                        + " staff see aggregates only");
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    @Override
    public List<Person> persons(String site, long intervention, Caller caller) {
        View view = view(site, caller);
        List<Person> persons = unauditedPersons(site, intervention, view, caller);
        Records.audit(
                audit,
                caller,
                site,
                "person.list",
                "intervention:" + intervention,
                persons.size() + " person(s), " + view.name().toLowerCase() + " view");
        return persons;
    }

    /** The intervention's persons as the caller may see them, with no audit entry: for a copy given out. */
    private List<Person> unauditedPersons(String site, long intervention, View view, Caller caller) {
        return database.read(c -> {
            Records.requireIntervention(c, site, intervention);
            return load(c, intervention, Optional.empty(), view, caller.holdsAt(site, REFERRALS));
        });
    }

    @Override
    public Person person(String site, long intervention, long id, Caller caller) {
        View view = view(site, caller);
        Optional<Person> person = unaudited(site, intervention, id, view, caller);
        if (person.isEmpty()) {
            audit.record(new AuditEvent(
                    caller.user().username(),
                    site,
                    "person.read",
                    "person:" + id,
                    caller.from(),
                    AuditOutcome.DENIED,
                    "not a call-in candidate"));
            throw new NoSuchElementException("no person " + id + " in intervention " + intervention);
        }
        Records.audit(
                audit, caller, site, "person.read", "person:" + id, view.name().toLowerCase() + " view");
        return person.get();
    }

    /**
     * The person as the caller may see them, with no audit entry: for the answer to a write, or the notebook, whose
     * own entry records the access.
     */
    private Optional<Person> unaudited(String site, long intervention, long id, View view, Caller caller) {
        return database.read(c -> {
            Records.requirePerson(c, site, intervention, id);
            return load(c, intervention, Optional.of(id), view, caller.holdsAt(site, REFERRALS)).stream()
                    .findFirst();
        });
    }

    /** The person, unaudited: the write that answers with them, or the notebook, writes the one entry of the call. */
    private Person unauditedPerson(String site, long intervention, long id, Caller caller) {
        return unaudited(site, intervention, id, view(site, caller), caller)
                .orElseThrow(() -> new NoSuchElementException("no person " + id + " in intervention " + intervention));
    }

    private List<Person> load(Connection c, long intervention, Optional<Long> only, View view, boolean referrals)
            throws SQLException {
        String where = " WHERE intervention_id = ?" + (only.isPresent() ? " AND id = ?" : "")
                + (view == View.CANDIDATES ? " AND " + CANDIDATE : "");
        Object[] args = only.isPresent() ? new Object[] {intervention, only.get()} : new Object[] {intervention};
        List<Row> rows = Sql.list(c, "SELECT * FROM persons" + where + " ORDER BY id", MarketImpl::row, args);
        Map<Long, List<Influential>> influentials =
                byPerson(c, intervention, "SELECT x.* FROM influentials x", MarketImpl::influential);
        Map<Long, List<Referral>> referralsOf =
                referrals ? byPerson(c, intervention, "SELECT x.* FROM referrals x", MarketImpl::referral) : Map.of();
        Map<Long, List<BankedCase>> cases = view == View.INTELLIGENCE ? cases(c, intervention) : Map.of();
        Map<Long, List<Violation>> violations = view == View.INTELLIGENCE
                ? byPerson(c, intervention, "SELECT x.* FROM violations x", MarketImpl::violation)
                : Map.of();
        Map<Long, List<DecisionMade>> decisions = view == View.INTELLIGENCE
                ? byPerson(
                        c,
                        intervention,
                        "SELECT x.* FROM person_decisions x",
                        rs -> new DecisionMade(
                                Decision.valueOf(rs.getString("decision")),
                                rs.getString("criteria"),
                                rs.getString("decided_by"),
                                Sql.instant(rs, "decided_at")))
                : Map.of();
        Map<Long, List<IncidentNote>> notes = view == View.INTELLIGENCE
                ? byPerson(
                        c,
                        intervention,
                        "SELECT x.* FROM incident_notes x",
                        rs -> new IncidentNote(
                                rs.getLong("id"),
                                Sql.date(rs, "reviewed_on"),
                                rs.getString("note"),
                                rs.getString("recorded_by")))
                : Map.of();
        Map<Long, List<AddressLink>> links = view == View.INTELLIGENCE
                ? byPerson(c, intervention, "SELECT x.* FROM person_addresses x", MarketImpl::link)
                : Map.of();
        Map<Long, Attendance> attendance = attendance(c, intervention);
        List<Person> out = new ArrayList<>();
        for (Row r : rows) {
            Optional<Intelligence> intelligence = view == View.INTELLIGENCE
                    ? Optional.of(new Intelligence(
                            r.alias,
                            r.level,
                            r.active,
                            r.violence,
                            r.violenceNote,
                            r.charges,
                            r.criteria,
                            r.decidedBy,
                            r.decidedAt,
                            r.justification,
                            r.source,
                            r.sensitivity,
                            r.reviewDue,
                            r.enteredBy,
                            r.enteredAt,
                            cases.getOrDefault(r.id, List.of()),
                            violations.getOrDefault(r.id, List.of()),
                            decisions.getOrDefault(r.id, List.of()),
                            notes.getOrDefault(r.id, List.of()),
                            links.getOrDefault(r.id, List.of())))
                    : Optional.empty();
            boolean invited = attendance.containsKey(r.id);
            out.add(new Person(
                    r.id,
                    r.name,
                    // those who see candidates only see the person as the call-in candidate they were; a later
                    // decision (prosecute now after a violation) is police intelligence
                    view == View.INTELLIGENCE ? r.decision : Decision.CALL_IN,
                    intelligence,
                    influentials.getOrDefault(r.id, List.of()),
                    referrals ? Optional.of(referralsOf.getOrDefault(r.id, List.of())) : Optional.empty(),
                    r.decision == Decision.CALL_IN || invited
                            ? Optional.of(attendance.getOrDefault(r.id, new Attendance(false, false)))
                            : Optional.empty()));
        }
        return out;
    }

    /** A stored person, all fields; only {@link #load} decides what leaves this class. */
    private record Row(
            long id,
            String name,
            String alias,
            Level level,
            boolean active,
            boolean violence,
            String violenceNote,
            String charges,
            Decision decision,
            String criteria,
            String decidedBy,
            Optional<Instant> decidedAt,
            String justification,
            String source,
            String sensitivity,
            LocalDate reviewDue,
            String enteredBy,
            Instant enteredAt) {}

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("alias"),
                Level.valueOf(rs.getString("dealer_level")),
                rs.getBoolean("active"),
                rs.getBoolean("violence_history"),
                rs.getString("violence_note"),
                rs.getString("pending_charges"),
                Decision.valueOf(rs.getString("decision")),
                rs.getString("decision_criteria"),
                rs.getString("decided_by"),
                Sql.optionalInstant(rs, "decided_at"),
                rs.getString("justification"),
                rs.getString("source"),
                rs.getString("sensitivity"),
                Sql.date(rs, "review_due"),
                rs.getString("entered_by"),
                Sql.instant(rs, "entered_at"));
    }

    private interface PersonRow<T> extends Sql.Row<T> {}

    /** Rows of a table keyed by {@code person_id}, for every person of the intervention, in one query. */
    private static <T> Map<Long, List<T>> byPerson(Connection c, long intervention, String select, PersonRow<T> row)
            throws SQLException {
        Map<Long, List<T>> out = new HashMap<>();
        Sql.list(
                c,
                select + " JOIN persons p ON p.id = x.person_id WHERE p.intervention_id = ? ORDER BY x.id",
                rs -> {
                    T value = row.map(rs);
                    out.computeIfAbsent(rs.getLong("person_id"), k -> new ArrayList<>())
                            .add(value);
                    return value;
                },
                intervention);
        return out;
    }

    private static Influential influential(ResultSet rs) throws SQLException {
        return new Influential(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("relationship"),
                rs.getString("outcome"),
                Sql.optionalDate(rs, "contacted_on"),
                rs.getString("recorded_by"));
    }

    private static Referral referral(ResultSet rs) throws SQLException {
        ServiceCategory category = ServiceCategory.valueOf(rs.getString("category"));
        boolean treatment = category == ServiceCategory.DRUG_TREATMENT;
        return new Referral(
                rs.getLong("id"),
                rs.getLong("person_id"),
                category,
                rs.getString("provider"),
                Objects.requireNonNullElse(rs.getString("service_id"), ""),
                Sql.date(rs, "referred_on"),
                FollowUpsImpl.shownStatus(category, rs.getString("status")),
                // a note from before outcomes were events: on drug treatment it may be the provider's, so not shown
                treatment ? "" : rs.getString("follow_up"),
                rs.getString("recorded_by"));
    }

    private static Violation violation(ResultSet rs) throws SQLException {
        return new Violation(
                rs.getLong("id"),
                Sql.date(rs, "occurred_on"),
                rs.getString("description"),
                rs.getString("action_taken"),
                rs.getString("recorded_by"));
    }

    private static Map<Long, List<BankedCase>> cases(Connection c, long intervention) throws SQLException {
        Map<Long, List<CaseChange>> changes = new HashMap<>();
        Sql.list(
                c,
                "SELECT h.* FROM banked_case_changes h JOIN banked_cases b ON b.id = h.case_id JOIN persons p ON p.id = b.person_id"
                        + " WHERE p.intervention_id = ? ORDER BY h.id",
                rs -> {
                    CaseChange change = new CaseChange(
                            BankedStatus.valueOf(rs.getString("status_from")),
                            BankedStatus.valueOf(rs.getString("status_to")),
                            rs.getString("reason"),
                            rs.getString("changed_by"),
                            Sql.instant(rs, "changed_at"));
                    changes.computeIfAbsent(rs.getLong("case_id"), k -> new ArrayList<>())
                            .add(change);
                    return change;
                },
                intervention);
        return byPerson(
                c,
                intervention,
                "SELECT x.* FROM banked_cases x",
                rs -> new BankedCase(
                        rs.getLong("id"),
                        rs.getLong("person_id"),
                        rs.getInt("buys"),
                        rs.getString("evidence"),
                        rs.getString("warrant"),
                        Sql.date(rs, "deadline"),
                        BankedStatus.valueOf(rs.getString("status")),
                        changes.getOrDefault(rs.getLong("id"), List.of())));
    }

    /** Invited: a letter was sent; attended: recorded at the call-in. */
    static Map<Long, Attendance> attendance(Connection c, long intervention) throws SQLException {
        Map<Long, Boolean> invited = new HashMap<>();
        Sql.list(
                c,
                "SELECT DISTINCT l.person_id FROM letters l JOIN persons p ON p.id = l.person_id WHERE p.intervention_id = ? AND l.sent_on IS NOT NULL",
                rs -> invited.put(rs.getLong(1), true),
                intervention);
        Map<Long, Boolean> attended = new HashMap<>();
        Sql.list(
                c,
                "SELECT a.person_id, a.attended FROM call_in_attendance a JOIN call_ins ci ON ci.id = a.call_in_id WHERE ci.intervention_id = ?",
                rs -> attended.put(rs.getLong(1), rs.getBoolean(2)),
                intervention);
        Map<Long, Attendance> out = new HashMap<>();
        for (Long person : invited.keySet()) {
            out.put(person, new Attendance(true, attended.getOrDefault(person, false)));
        }
        return out;
    }

    // ---- the dealer list --------------------------------------------------------------------------------------

    @Override
    public Person enter(String site, long intervention, NewPerson input, Caller caller) {
        caller.require(site, "entering a person on the dealer list", INTELLIGENCE);
        Check check = new Check("person");
        String name = check.text("name", input.name(), 200);
        String alias = check.optional("alias", input.alias(), 200);
        check.required("level", input.level());
        String justification = check.optional("justification", input.justification(), 2000);
        String source = check.optional("source", input.source(), 500);
        String sensitivity = check.optional("sensitivity", input.sensitivity(), 32);
        check.done();
        if (justification.isEmpty() || source.isEmpty()) {
            throw new RuleException(
                    "entry-needs-justification-and-source",
                    "28 CFR Part 23: a person is entered only with the"
                            + " justification (the reasonable suspicion of criminal activity) and its source. Give both.");
        }
        Instant now = clock.instant();
        LocalDate reviewDue =
                LocalDate.ofInstant(now, Records.zone(sites, site)).plusYears(REVIEW_YEARS);
        long id = database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            long created = Sql.insert(
                    c,
                    "INSERT INTO persons (intervention_id, name, alias, dealer_level, active, violence_history, violence_note, pending_charges,"
                            + " decision, decision_criteria, decided_by, justification, source, sensitivity, review_due, entered_by, entered_at)"
                            + " VALUES (?, ?, ?, ?, TRUE, FALSE, '', '', 'UNDECIDED', '', '', ?, ?, ?, ?, ?, ?)",
                    intervention,
                    name,
                    alias,
                    input.level(),
                    justification,
                    source,
                    sensitivity.isEmpty() ? "restricted" : sensitivity,
                    reviewDue,
                    caller.user().username(),
                    now);
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "person",
                    "2",
                    "Person #" + created + " entered on the dealer list",
                    Audience.INTELLIGENCE,
                    caller);
            return created;
        });
        Records.audit(audit, caller, site, "person.create", "person:" + id, "review due " + reviewDue);
        return unauditedPerson(site, intervention, id, caller);
    }

    @Override
    public Person refine(String site, long intervention, long id, Facts facts, Caller caller) {
        caller.require(site, "refining the dealer list (Step 3a)", INTELLIGENCE);
        Check check = new Check("facts");
        facts.violenceNote().ifPresent(v -> check.optional("violenceNote", v, 2000));
        facts.pendingCharges().ifPresent(v -> check.optional("pendingCharges", v, 2000));
        check.done();
        database.transaction(c -> {
            Records.requirePerson(c, site, intervention, id);
            Row r = Sql.one(c, "SELECT * FROM persons WHERE id = ?", MarketImpl::row, id)
                    .orElseThrow();
            Sql.update(
                    c,
                    "UPDATE persons SET dealer_level = ?, active = ?, violence_history = ?, violence_note = ?, pending_charges = ? WHERE id = ?",
                    facts.level().orElse(r.level),
                    facts.active().orElse(r.active),
                    facts.violenceHistory().orElse(r.violence),
                    facts.violenceNote().map(String::strip).orElse(r.violenceNote),
                    facts.pendingCharges().map(String::strip).orElse(r.charges),
                    id);
            Records.timeline(
                    c,
                    intervention,
                    clock.instant(),
                    "person",
                    "3a",
                    "Person #" + id + " refined",
                    Audience.INTELLIGENCE,
                    caller);
            return null;
        });
        Records.audit(audit, caller, site, "person.refine", "person:" + id, "");
        return unauditedPerson(site, intervention, id, caller);
    }

    @Override
    public Person decide(String site, long intervention, long id, Decision decision, String criteria, Caller caller) {
        caller.require(site, "deciding who is prosecuted now and who is called in (Step 3b)", DECIDERS);
        String why = criteria == null ? "" : criteria.strip();
        if (decision == null) {
            throw new RuleException(
                    "decision-needs-a-choice", "Say which decision: prosecute-now, call-in, excluded or undecided.");
        }
        if (why.isEmpty()) {
            throw new RuleException(
                    "decision-needs-criteria",
                    "A decision records the criteria it rests on (level, violence, pending charges,"
                            + " still active). Give the criteria.");
        }
        if (why.length() > 2000) {
            throw new RuleException("decision-needs-criteria", "The criteria must be at most 2000 characters.");
        }
        Instant now = clock.instant();
        database.transaction(c -> {
            Records.requirePerson(c, site, intervention, id);
            Sql.update(
                    c,
                    "UPDATE persons SET decision = ?, decision_criteria = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                    decision,
                    why,
                    caller.user().username(),
                    now,
                    id);
            Sql.update(
                    c,
                    "INSERT INTO person_decisions (person_id, decision, criteria, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)",
                    id,
                    decision,
                    why,
                    caller.user().username(),
                    now);
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "decision",
                    "3b",
                    "Decision for person #" + id + ": "
                            + decision.name().toLowerCase().replace('_', ' '),
                    Audience.INTELLIGENCE,
                    caller);
            return null;
        });
        Records.audit(audit, caller, site, "person.decide", "person:" + id, decision.name());
        return unauditedPerson(site, intervention, id, caller);
    }

    /** The person's decision; refuses a person outside this intervention. */
    private static Decision decisionOf(Connection c, String site, long intervention, long person) throws SQLException {
        Records.requirePerson(c, site, intervention, person);
        return Sql.one(c, "SELECT decision FROM persons WHERE id = ?", rs -> Decision.valueOf(rs.getString(1)), person)
                .orElseThrow();
    }

    /**
     * Who those that see candidates only may see: a call-in candidate now, or one who was invited to the call-in (a
     * letter mailed), whatever was decided later. What happened at the call-in stays on record.
     */
    static final String CANDIDATE = "(decision = 'CALL_IN' OR EXISTS (SELECT 1 FROM letters l"
            + " WHERE l.person_id = persons.id AND l.sent_on IS NOT NULL))";

    /** A person of the intervention who is a call-in candidate (decided so, or sent a letter). */
    private static void requireCandidate(Connection c, String site, long intervention, long person)
            throws SQLException {
        Records.requirePerson(c, site, intervention, person);
        if (!isCandidate(c, person)) {
            throw new NoSuchElementException("no call-in candidate " + person + " in intervention " + intervention);
        }
    }

    private static boolean isCandidate(Connection c, long person) throws SQLException {
        return Sql.one(c, "SELECT id FROM persons WHERE id = ? AND " + CANDIDATE, rs -> rs.getLong(1), person)
                .isPresent();
    }

    /** Those who see candidates only may act only on the persons they see. */
    private static void requireVisible(Connection c, String site, long intervention, long person, Caller caller)
            throws SQLException {
        Records.requirePerson(c, site, intervention, person);
        if (!caller.holdsAt(site, INTELLIGENCE) && !isCandidate(c, person)) {
            throw new NoSuchElementException("no person " + person + " in intervention " + intervention);
        }
    }

    @Override
    public Influential addInfluential(
            String site, long intervention, long person, NewInfluential input, Caller caller) {
        caller.require(
                site,
                "recording an influential (Step 6)",
                Role.POLICE,
                Role.PROSECUTOR,
                Role.SITE_ADMIN,
                Role.COMMUNITY,
                Role.SERVICES,
                Role.POC);
        Check check = new Check("influential");
        String name = check.text("name", input.name(), 200);
        String relationship = check.text("relationship", input.relationship(), 100);
        String outcome = check.optional("outcome", input.outcome(), 1000);
        check.done();
        Instant now = clock.instant();
        long id = database.transaction(c -> {
            requireVisible(c, site, intervention, person, caller);
            long created = Sql.insert(
                    c,
                    "INSERT INTO influentials (person_id, name, relationship, outcome, contacted_on, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    person,
                    name,
                    relationship,
                    outcome,
                    input.contactedOn(),
                    caller.user().username(),
                    now);
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "influential",
                    "6",
                    "Influential contacted for person #" + person,
                    Audience.INTELLIGENCE,
                    caller);
            return created;
        });
        Records.audit(audit, caller, site, "person.influential", "person:" + person, relationship);
        return new Influential(
                id,
                name,
                relationship,
                outcome,
                input.contactedOn(),
                caller.user().username());
    }

    // ---- banked cases -----------------------------------------------------------------------------------------

    @Override
    public BankedCase bankCase(String site, long intervention, long person, NewBankedCase input, Caller caller) {
        caller.require(site, "banking a case (Step 4)", DECIDERS);
        // Step 4's gate, as for its status: cases are built once the candidates are decided (Step 3b done)
        programme.requireOpen(site, intervention, "4");
        Check check = new Check("banked case");
        if (input.buys() < 0) {
            check.fail("buys", "cannot be negative");
        }
        String evidence = check.text("evidence", input.evidence(), 2000);
        String warrant = check.text("warrant", input.warrant(), 200);
        check.required("deadline", input.deadline());
        check.done();
        Instant now = clock.instant();
        long id = database.transaction(c -> {
            if (decisionOf(c, site, intervention, person) != Decision.CALL_IN) {
                throw new RuleException(
                        "cases-on-candidates",
                        "Cases are banked against call-in candidates (Step 4 builds cases on them). Decide"
                                + " person #" + person
                                + " a call-in candidate first (Step 3b); a person prosecuted now is not banked.");
            }
            long created = Sql.insert(
                    c,
                    "INSERT INTO banked_cases (person_id, buys, evidence, warrant, deadline, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'BANKED', ?, ?)",
                    person,
                    input.buys(),
                    evidence,
                    warrant,
                    input.deadline(),
                    caller.user().username(),
                    now);
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "banked-case",
                    "4",
                    "Case #" + created + " banked",
                    Audience.INTELLIGENCE,
                    caller);
            return created;
        });
        Records.audit(audit, caller, site, "case.bank", "case:" + id, "person:" + person);
        return bankedCase(site, intervention, id);
    }

    private BankedCase bankedCase(String site, long intervention, long id) {
        return database.read(c -> cases(c, intervention).values().stream()
                        .flatMap(List::stream)
                        .filter(b -> b.id() == id)
                        .findFirst())
                .orElseThrow(() -> new NoSuchElementException("no banked case " + id));
    }

    @Override
    public BankedCase changeCase(
            String site, long intervention, long id, BankedStatus to, String reason, Caller caller) {
        caller.require(site, "activating or closing a banked case", DECIDERS);
        String why = reason == null ? "" : reason.strip();
        if (to == null || why.isEmpty() || why.length() > 1000) {
            throw new RuleException(
                    "banked-case-change-needs-reason",
                    "Say what the case becomes (activated or closed) and why, in at most 1000 characters.");
        }
        if (to == BankedStatus.ACTIVATED) {
            // activating a case is enforcement (Step 8), which waits for the call-in; the case is looked for first
            database.read(c -> {
                Records.requireIntervention(c, site, intervention);
                return caseStatus(c, intervention, id);
            });
            programme.requireOpen(site, intervention, "8");
        }
        Instant now = clock.instant();
        database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            Optional<BankedStatus> from = Optional.of(caseStatus(c, intervention, id));
            boolean allowed =
                    (from.get() == BankedStatus.BANKED && (to == BankedStatus.ACTIVATED || to == BankedStatus.CLOSED))
                            || (from.get() == BankedStatus.ACTIVATED && to == BankedStatus.CLOSED);
            if (!allowed) {
                throw new RuleException(
                        "banked-case-transition",
                        "A banked case goes from banked to activated or closed, and from activated to"
                                + " closed; case " + id + " is "
                                + from.get().name().toLowerCase() + " and cannot become "
                                + to.name().toLowerCase() + ".");
            }
            Sql.update(c, "UPDATE banked_cases SET status = ? WHERE id = ?", to, id);
            Sql.update(
                    c,
                    "INSERT INTO banked_case_changes (case_id, status_from, status_to, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)",
                    id,
                    from.get(),
                    to,
                    why,
                    caller.user().username(),
                    now);
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "banked-case",
                    "8",
                    "Case #" + id + " " + to.name().toLowerCase(),
                    Audience.INTELLIGENCE,
                    caller);
            return null;
        });
        Records.audit(audit, caller, site, "case.change", "case:" + id, to.name());
        return bankedCase(site, intervention, id);
    }

    private static BankedStatus caseStatus(Connection c, long intervention, long id) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT b.status FROM banked_cases b JOIN persons p ON p.id = b.person_id WHERE b.id = ? AND p.intervention_id = ?",
                        rs -> BankedStatus.valueOf(rs.getString(1)),
                        id,
                        intervention)
                // a case of another intervention, or of another site, is not found: not a rule's refusal
                .orElseThrow(
                        () -> new java.util.NoSuchElementException("no banked case " + id + " in this intervention"));
    }

    // ---- enforcement and follow-up ----------------------------------------------------------------------------

    @Override
    public Violation addViolation(
            String site,
            long intervention,
            long person,
            LocalDate occurredOn,
            String description,
            String action,
            Caller caller) {
        caller.require(site, "recording a violation (Step 8)", DECIDERS);
        programme.requireOpen(site, intervention, "8");
        Check check = new Check("violation");
        check.required("occurredOn", occurredOn);
        String what = check.text("description", description, 2000);
        LocalDate today = Records.today(sites, clock, site);
        if (occurredOn != null && occurredOn.isAfter(today)) {
            check.fail("occurredOn", "is after today at the site (" + today + ")");
        }
        String done = check.optional("action", action, 1000);
        check.done();
        Instant now = clock.instant();
        long id = database.transaction(c -> {
            Records.requirePerson(c, site, intervention, person);
            long created = Sql.insert(
                    c,
                    "INSERT INTO violations (person_id, occurred_on, description, action_taken, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                    person,
                    occurredOn,
                    what,
                    done,
                    caller.user().username(),
                    now);
            Records.timelineOn(
                    c,
                    intervention,
                    occurredOn,
                    now,
                    "violation",
                    "8",
                    "Violation recorded",
                    Audience.INTELLIGENCE,
                    caller);
            return created;
        });
        Records.audit(audit, caller, site, "person.violation", "person:" + person, "");
        return new Violation(id, occurredOn, what, done, caller.user().username());
    }

    /** The most referrals made at once (the call-in's candidates). */
    static final int MAX_AT_ONCE = 500;

    @Override
    public Referral addReferral(String site, long intervention, long person, NewReferral input, Caller caller) {
        return referAll(site, intervention, List.of(person), input, caller).get(0);
    }

    @Override
    public List<Referral> referAll(
            String site, long intervention, List<Long> persons, NewReferral input, Caller caller) {
        caller.require(site, "recording a referral (Step 9)", REFERRALS);
        Check check = new Check("referral");
        check.required("category", input.category());
        String named = check.optional("provider", input.provider(), 200);
        String serviceId = check.optional("serviceId", input.serviceId(), 200);
        if (persons == null || persons.isEmpty()) {
            check.fail("persons", "name at least one person to refer");
        } else if (persons.size() > MAX_AT_ONCE) {
            check.fail("persons", "at most " + MAX_AT_ONCE + " persons at once");
        } else if (persons.stream().anyMatch(Objects::isNull)) {
            check.fail("persons", "holds an empty entry: name each person by id");
        } else if (new HashSet<>(persons).size() != persons.size()) {
            check.fail("persons", "names the same person twice");
        }
        if (named.isEmpty() && serviceId.isEmpty()) {
            check.fail("provider", "is required: name the provider or choose a service of the site's directory");
        }
        check.done();
        LocalDate today = Records.today(sites, clock, site);
        if (input.referredOn() != null && input.referredOn().isAfter(today)) {
            throw new InvalidInputException(
                    InputError.of("referral", "referredOn", "is after today: record the day it was made"));
        }
        String provider = serviceId.isEmpty() ? named : provider(site, serviceId, input.category(), named, caller);
        LocalDate on = input.referredOn() != null ? input.referredOn() : today;
        Instant now = clock.instant();
        String by = caller.user().username();
        List<Referral> made = database.transaction(c -> {
            List<Referral> referrals = new ArrayList<>();
            for (long person : persons) {
                // referrals are for call-in candidates, whatever else the caller may see
                requireCandidate(c, site, intervention, person);
                long id = Sql.insert(
                        c,
                        "INSERT INTO referrals (person_id, category, provider, service_id, referred_on, status, follow_up,"
                                + " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, 'referred', '', ?, ?)",
                        person,
                        input.category(),
                        provider,
                        serviceId,
                        on,
                        by,
                        now);
                referrals.add(new Referral(id, person, input.category(), provider, serviceId, on, "referred", "", by));
            }
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "referral",
                    "9",
                    referrals.size() == 1 ? "Referral made" : referrals.size() + " referrals made",
                    Audience.REFERRALS,
                    caller);
            return referrals;
        });
        for (Referral r : made) {
            // no referral id: the audit log's readers may not link a person to a referral's later entries
            Records.audit(audit, caller, site, "person.referral", "person:" + r.person(), "");
        }
        return made;
    }

    /**
     * The provider of a service of the site's directory: the name given, else the organisation and the service.
     * Refuses a service the directory no longer has, one that is not active, or one that offers none of the category.
     */
    private String provider(String site, String serviceId, ServiceCategory category, String named, Caller caller) {
        Site where = sites.find(site).orElseThrow(() -> new NoSuchElementException("no site " + site));
        DirectoryService service = ServiceDirectory.findIn(
                        sites.pluginsOf(site, ServiceDirectory.class), where, serviceId, caller)
                .orElseThrow(() -> new InvalidInputException(InputError.of(
                        "referral",
                        "serviceId",
                        "the site's directory has no service '" + serviceId
                                + "' (removed, or its directory re-imported without it): search the directory again")));
        List<String> problems = new ArrayList<>();
        if (!service.status().isBlank() && !service.status().equalsIgnoreCase("active")) {
            problems.add("service '" + service.name() + "' is " + service.status() + ", not active");
        }
        if (!service.categories().contains(category)) {
            problems.add("service '" + service.name() + "' offers no " + Records.label(category)
                    + (service.categories().isEmpty()
                            ? " (it is in none of the six kinds)"
                            : "; it offers "
                                    + String.join(
                                            ", ",
                                            service.categories().stream()
                                                    .sorted()
                                                    .map(Records::label)
                                                    .toList())));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems.stream()
                    .map(reason -> InputError.of("referral", "serviceId", reason))
                    .toList());
        }
        if (!named.isEmpty()) {
            return named;
        }
        String organization = service.organization().name().strip();
        String name = organization.isEmpty()
                        || organization.equalsIgnoreCase(service.name().strip())
                ? service.name().strip()
                : organization + " (" + service.name().strip() + ")";
        return name.length() <= 200 ? name : name.substring(0, 200);
    }

    // ---- key addresses ----------------------------------------------------------------------------------------

    @Override
    public List<KeyAddress> addresses(String site, long intervention, Caller caller) {
        caller.require(site, "reading the key addresses", INTELLIGENCE);
        return Records.inIntervention(
                database,
                site,
                intervention,
                c -> Sql.list(
                        c,
                        "SELECT id, address, note, recorded_by FROM key_addresses WHERE intervention_id = ? ORDER BY id",
                        rs -> new KeyAddress(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                        intervention));
    }

    @Override
    public KeyAddress addAddress(String site, long intervention, String address, String note, Caller caller) {
        caller.require(site, "recording a key address (Step 2)", INTELLIGENCE);
        Check check = new Check("key address");
        String where = check.text("address", address, 300);
        String why = check.optional("note", note, 1000);
        check.done();
        long id = database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            return Sql.insert(
                    c,
                    "INSERT INTO key_addresses (intervention_id, address, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                    intervention,
                    where,
                    why,
                    caller.user().username(),
                    clock.instant());
        });
        Records.audit(audit, caller, site, "address.create", "address:" + id, "");
        return new KeyAddress(id, where, why, caller.user().username());
    }

    // ---- Step 2 and Step 3: surveys, the incident review, the link chart; Step 7b: the notebook ------------------

    private static AddressLink link(ResultSet rs) throws SQLException {
        return new AddressLink(
                rs.getLong("id"),
                rs.getLong("person_id"),
                rs.getLong("address_id"),
                rs.getString("relation"),
                rs.getString("recorded_by"));
    }

    @Override
    public List<Survey> surveys(String site, long intervention, Caller caller) {
        caller.require(site, "reading the surveys (Step 2)", INTELLIGENCE);
        List<Survey> surveys = database.read(c -> {
            Records.requireIntervention(c, site, intervention);
            return Sql.list(
                    c,
                    "SELECT * FROM surveys WHERE intervention_id = ? ORDER BY surveyed_on DESC, id DESC",
                    rs -> new Survey(
                            rs.getLong("id"),
                            Sql.date(rs, "surveyed_on"),
                            rs.getString("surveyed"),
                            rs.getString("source"),
                            rs.getString("names_offered"),
                            rs.getString("addresses_offered"),
                            rs.getString("recorded_by")),
                    intervention);
        });
        Records.audit(audit, caller, site, "survey.list", "intervention:" + intervention, surveys.size() + "");
        return surveys;
    }

    @Override
    public Survey addSurvey(String site, long intervention, NewSurvey input, Caller caller) {
        caller.require(site, "recording a survey (Step 2)", INTELLIGENCE);
        Check check = new Check("survey");
        check.required("surveyedOn", input.surveyedOn());
        String surveyed = check.text("surveyed", input.surveyed(), 300);
        String source = check.text("source", input.source(), 300);
        String names = check.optional("namesOffered", input.namesOffered(), 4000);
        String addresses = check.optional("addressesOffered", input.addressesOffered(), 4000);
        if (names.isEmpty() && addresses.isEmpty()) {
            check.fail("namesOffered", "a survey offers names or addresses (or both)");
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, Records.zone(sites, site));
        if (input.surveyedOn() != null && input.surveyedOn().isAfter(today)) {
            check.fail("surveyedOn", "is after today at the site (" + today + ")");
        }
        check.done();
        long id = database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            long created = Sql.insert(
                    c,
                    "INSERT INTO surveys (intervention_id, surveyed_on, surveyed, source, names_offered, addresses_offered, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    intervention,
                    input.surveyedOn(),
                    surveyed,
                    source,
                    names,
                    addresses,
                    caller.user().username(),
                    now);
            Records.timelineOn(
                    c,
                    intervention,
                    input.surveyedOn(),
                    now,
                    "survey",
                    "2",
                    "Survey of " + surveyed + " recorded",
                    Audience.INTELLIGENCE,
                    caller);
            return created;
        });
        Records.audit(audit, caller, site, "survey.create", "survey:" + id, "");
        return new Survey(
                id,
                input.surveyedOn(),
                surveyed,
                source,
                names,
                addresses,
                caller.user().username());
    }

    @Override
    public IncidentNote addIncidentNote(
            String site, long intervention, long person, LocalDate reviewedOn, String note, Caller caller) {
        caller.require(site, "recording the incident review (Step 3)", DECIDERS);
        Check check = new Check("incident review");
        check.required("reviewedOn", reviewedOn);
        String text = check.text("note", note, 4000);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, Records.zone(sites, site));
        if (reviewedOn != null && reviewedOn.isAfter(today)) {
            check.fail("reviewedOn", "is after today at the site (" + today + ")");
        }
        check.done();
        long id = database.transaction(c -> {
            Records.requirePerson(c, site, intervention, person);
            return Sql.insert(
                    c,
                    "INSERT INTO incident_notes (person_id, reviewed_on, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                    person,
                    reviewedOn,
                    text,
                    caller.user().username(),
                    now);
        });
        Records.audit(audit, caller, site, "person.review", "person:" + person, "note:" + id);
        return new IncidentNote(id, reviewedOn, text, caller.user().username());
    }

    @Override
    public AddressLink linkAddress(
            String site, long intervention, long person, long address, String relation, Caller caller) {
        caller.require(site, "linking a person to an address (Step 3)", DECIDERS);
        Check check = new Check("address link");
        String how = check.text("relation", relation, 200);
        check.done();
        long id = database.transaction(c -> {
            Records.requirePerson(c, site, intervention, person);
            Sql.one(
                            c,
                            "SELECT id FROM key_addresses WHERE id = ? AND intervention_id = ?",
                            rs -> rs.getLong(1),
                            address,
                            intervention)
                    .orElseThrow(
                            () -> new NoSuchElementException("no key address " + address + " in this intervention"));
            return Sql.insert(
                    c,
                    "INSERT INTO person_addresses (person_id, address_id, relation, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
                    person,
                    address,
                    how,
                    caller.user().username(),
                    clock.instant());
        });
        Records.audit(audit, caller, site, "person.address", "person:" + person, "address:" + address);
        return new AddressLink(id, person, address, how, caller.user().username());
    }

    @Override
    public LinkChart linkChart(String site, long intervention, Caller caller) {
        caller.require(site, "reading the link chart (Step 3)", INTELLIGENCE);
        LinkChart chart = database.read(c -> {
            Records.requireIntervention(c, site, intervention);
            List<ChartPerson> persons = Sql.list(
                    c,
                    "SELECT id, name, decision FROM persons WHERE intervention_id = ? ORDER BY id",
                    rs -> new ChartPerson(rs.getLong(1), rs.getString(2), Decision.valueOf(rs.getString(3))),
                    intervention);
            List<KeyAddress> addresses = Sql.list(
                    c,
                    "SELECT id, address, note, recorded_by FROM key_addresses WHERE intervention_id = ? ORDER BY id",
                    rs -> new KeyAddress(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                    intervention);
            List<AddressLink> links = new ArrayList<>();
            byPerson(c, intervention, "SELECT x.* FROM person_addresses x", MarketImpl::link)
                    .values()
                    .forEach(links::addAll);
            links.sort(java.util.Comparator.comparingLong(AddressLink::id));
            return new LinkChart(persons, addresses, links);
        });
        Records.audit(audit, caller, site, "person.chart", "intervention:" + intervention, "");
        return chart;
    }

    @Override
    public String notebook(String site, long intervention, long id, Caller caller) {
        caller.require(site, "reading a person's notebook (Step 7b)", INTELLIGENCE);
        Person p = unauditedPerson(site, intervention, id, caller);
        Map<Long, String> addresses = new HashMap<>();
        addresses(site, intervention, caller).forEach(a -> addresses.put(a.id(), a.address()));
        Records.audit(audit, caller, site, "person.notebook", "person:" + id, "");
        return Notebook.html(p, addresses, Records.zone(sites, site));
    }
    // ---- 28 CFR 23.20(g) and (h): review, purge, intelligence given out ---------------------------------------------

    @Override
    public Person revalidate(String site, long intervention, long person, String reason, Caller caller) {
        caller.require(site, "reviewing an entry on the dealer list (28 CFR 23.20(h))", INTELLIGENCE);
        reviews.revalidate(site, intervention, person, reason, caller);
        // the review's entry is the one entry of the call
        return unauditedPerson(site, intervention, person, caller);
    }

    @Override
    public List<Revalidation> revalidations(String site, long intervention, long person, Caller caller) {
        caller.require(site, "reading the reviews of an entry", INTELLIGENCE);
        return reviews.revalidations(site, intervention, person, caller);
    }

    @Override
    public List<ReviewDue> reviewsDue(String site, int withinDays, Caller caller) {
        caller.require(site, "reading the entries due for review", INTELLIGENCE);
        return reviews.due(site, withinDays, caller);
    }

    @Override
    public List<Purged> purged(String site, Caller caller) {
        caller.require(site, "reading the purged entries", DisseminationLog.READERS);
        return reviews.purged(site, caller);
    }

    @Override
    public String notebookFile(String site, long intervention, long id, Release release, Caller caller) {
        caller.require(site, "giving out a person's notebook", INTELLIGENCE);
        Release to = DisseminationLog.checked(release);
        // the dissemination's entry is the one entry of the call (it names the person by id)
        Person p = unauditedPerson(site, intervention, id, caller);
        Map<Long, String> addresses = new HashMap<>();
        addresses(site, intervention, caller).forEach(a -> addresses.put(a.id(), a.address()));
        Instant now = clock.instant();
        long given = database.transaction(c -> {
            Records.requirePerson(c, site, intervention, id);
            return DisseminationLog.record(c, site, intervention, Copy.NOTEBOOK, List.of(id), to, caller, now);
        });
        DisseminationLog.audit(audit, caller, site, given, Copy.NOTEBOOK, List.of(id));
        return Notebook.copy(
                p, addresses, Records.zone(sites, site), to, caller.user().username(), now);
    }

    @Override
    public String dealerListFile(String site, long intervention, Release release, Caller caller) {
        caller.require(site, "giving out the dealer list", INTELLIGENCE);
        Release to = DisseminationLog.checked(release);
        // the dissemination's entry is the one entry of the call (it names the persons given out by id)
        List<Person> persons = unauditedPersons(site, intervention, view(site, caller), caller);
        List<Long> ids = persons.stream().map(Person::id).toList();
        Instant now = clock.instant();
        long given = database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            return DisseminationLog.record(c, site, intervention, Copy.DEALER_LIST, ids, to, caller, now);
        });
        DisseminationLog.audit(audit, caller, site, given, Copy.DEALER_LIST, ids);
        return DealerListFile.csv(persons);
    }

    @Override
    public List<Dissemination> disseminations(String site, Optional<Long> before, int limit, Caller caller) {
        return DisseminationLog.list(database, audit, site, before, limit, caller);
    }
}
