package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Market.Decision;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = CallIns.class)
public class CallInsImpl implements CallIns {
    /** Who sees the call-in with its invitees' names. */
    private static final Role[] READERS = Audience.CALL_IN.roles();

    private static final Role[] PLANNERS = {Role.POLICE, Role.COMMUNITY, Role.POC, Role.SITE_ADMIN};
    /** Step 7a: who arranges the services offered at the call-in. */
    private static final Role[] ARRANGERS = {Role.SERVICES, Role.COMMUNITY, Role.POC, Role.SITE_ADMIN};

    private static final Role[] LETTER_WRITERS = {Role.POLICE, Role.POC, Role.SITE_ADMIN};
    /** Who reads the deadlines given at the call-in: as the letters, not the community or services. */
    private static final Role[] DEADLINE_READERS = {Role.POLICE, Role.PROSECUTOR, Role.POC, Role.SITE_ADMIN};

    private static final Role[] LETTER_READERS = Audience.LETTERS.roles();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy", Locale.US);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("h:mm a", Locale.US);

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Programme programme;
    private final LetterTemplate template;
    private final Clock clock;

    @Activate
    public CallInsImpl(
            @Reference Database database,
            @Reference AuditLog audit,
            @Reference Sites sites,
            @Reference Programme programme) {
        this(database, audit, sites, programme, Clock.systemUTC());
    }

    public CallInsImpl(Database database, AuditLog audit, Sites sites, Programme programme, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.programme = programme;
        this.template = LetterTemplate.standard();
        this.clock = clock;
    }

    @Override
    public Optional<CallIn> callIn(String site, long intervention, Caller caller) {
        caller.require(site, "reading the call-in", READERS);
        Optional<CallIn> callIn = database.read(c -> {
            Records.requireIntervention(c, site, intervention);
            return load(c, intervention);
        });
        // the invited are persons of the dealer list, by name
        Records.audit(
                audit,
                caller,
                site,
                "callin.read",
                "intervention:" + intervention,
                callIn.map(i -> i.invited().size() + " invited").orElse("not planned"));
        return callIn;
    }

    @Override
    public Optional<CallInDate> date(String site, long intervention) {
        return database.read(c -> {
            Records.requireIntervention(c, site, intervention);
            return Sql.one(
                    c,
                    "SELECT held_at, held FROM call_ins WHERE intervention_id = ?",
                    rs -> new CallInDate(Sql.localDateTime(rs, "held_at"), rs.getBoolean("held")),
                    intervention);
        });
    }

    private static Optional<CallIn> load(Connection c, long intervention) throws SQLException {
        Optional<CallIn> plan = Sql.one(
                c,
                "SELECT id, held_at, place, speakers, providers_present, held FROM call_ins WHERE intervention_id = ?",
                rs -> new CallIn(
                        rs.getLong("id"),
                        Sql.localDateTime(rs, "held_at"),
                        rs.getString("place"),
                        rs.getString("speakers"),
                        rs.getString("providers_present"),
                        rs.getBoolean("held"),
                        List.of(),
                        0,
                        List.of()),
                intervention);
        if (plan.isEmpty()) {
            return plan;
        }
        Map<Long, Boolean> attended = new HashMap<>();
        Sql.list(
                c,
                "SELECT person_id, attended FROM call_in_attendance WHERE call_in_id = ?",
                rs -> attended.put(rs.getLong(1), rs.getBoolean(2)),
                plan.get().id());
        List<Invitee> invited = Sql.list(
                c,
                // everyone a letter was mailed to was invited, whatever was decided about them later
                "SELECT DISTINCT p.id, p.name FROM letters l JOIN persons p ON p.id = l.person_id"
                        + " WHERE p.intervention_id = ? AND l.sent_on IS NOT NULL ORDER BY p.id",
                rs -> new Invitee(rs.getLong(1), rs.getString(2), attended.getOrDefault(rs.getLong(1), false)),
                intervention);
        CallIn p = plan.get();
        return Optional.of(new CallIn(
                p.id(),
                p.at(),
                p.place(),
                p.speakers(),
                p.providersPresent(),
                p.held(),
                invited,
                (int) invited.stream().filter(Invitee::attended).count(),
                services(c, p.id())));
    }

    /** The latest arrangement of each category, in the categories' order. */
    private static List<CallIns.ArrangedService> services(Connection c, long callIn) throws SQLException {
        Map<Market.ServiceCategory, CallIns.ArrangedService> latest =
                new java.util.EnumMap<>(Market.ServiceCategory.class);
        Sql.list(
                c,
                "SELECT category, offered, provider, service_id, note, arranged_by, arranged_at FROM call_in_services"
                        + " WHERE call_in_id = ? ORDER BY id",
                rs -> latest.put(
                        Market.ServiceCategory.valueOf(rs.getString("category")),
                        new CallIns.ArrangedService(
                                Market.ServiceCategory.valueOf(rs.getString("category")),
                                rs.getBoolean("offered"),
                                rs.getString("provider"),
                                rs.getString("service_id"),
                                rs.getString("note"),
                                rs.getString("arranged_by"),
                                Sql.instant(rs, "arranged_at"))),
                callIn);
        return List.copyOf(latest.values());
    }

    /** The call-in is held only once every category is offered with a provider or marked not offered (Step 7a). */
    private static void requireServicesArranged(CallIn callIn) {
        List<Market.ServiceCategory> missing = callIn.unarranged();
        if (!missing.isEmpty()) {
            throw new RuleException(
                    "call-in-services-arranged",
                    "Arrange a provider for each kind of service, or mark it not offered, before the call-in (Step 7a):"
                            + " still open: "
                            + String.join(
                                    ", ", missing.stream().map(Records::label).toList())
                            + ".");
        }
    }

    @Override
    public CallIn arrangeService(String site, long intervention, Arrangement arrangement, Caller caller) {
        caller.require(site, "arranging the services offered at the call-in (Step 7a)", ARRANGERS);
        Check check = new Check("service");
        check.required("category", arrangement.category());
        String provider = arrangement.offered()
                ? check.text("provider", arrangement.provider(), 300)
                : check.optional("provider", arrangement.provider(), 300);
        String serviceId = check.optional("serviceId", arrangement.serviceId(), 200);
        String note = arrangement.offered()
                ? check.optional("note", arrangement.note(), 2000)
                : check.text("note", arrangement.note(), 2000);
        check.done();
        Instant now = clock.instant();
        CallIn result = database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            CallIn callIn = require(c, intervention);
            if (callIn.held()) {
                throw new RuleException(
                        "call-in-held",
                        "The call-in was held: the services arranged for it stay as they were (Step 7a).");
            }
            Sql.insert(
                    c,
                    "INSERT INTO call_in_services (call_in_id, category, offered, provider, service_id, note, arranged_by,"
                            + " arranged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    callIn.id(),
                    arrangement.category().name(),
                    arrangement.offered(),
                    provider,
                    serviceId,
                    note,
                    caller.user().username(),
                    now);
            String what = Records.label(arrangement.category());
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "call-in",
                    "7a",
                    arrangement.offered()
                            ? "Call-in service arranged: " + what + " by " + provider
                            : "Call-in service not offered: " + what,
                    Audience.CALL_IN,
                    caller);
            return require(c, intervention);
        });
        Records.audit(
                audit,
                caller,
                site,
                "callin.service",
                "intervention:" + intervention,
                arrangement.category().name() + (arrangement.offered() ? " offered" : " not offered"));
        return result;
    }

    private static CallIn require(Connection c, long intervention) throws SQLException {
        return load(c, intervention)
                .orElseThrow(() ->
                        new RuleException("call-in-needs-a-plan", "Set the call-in's time and place first (Step 5a)."));
    }

    @Override
    public CallIn plan(String site, long intervention, Plan plan, Caller caller) {
        caller.require(site, "planning the call-in", PLANNERS);
        Check check = new Check("call-in");
        check.required("at", plan.at());
        String place = check.text("place", plan.place(), 300);
        String speakers = check.optional("speakers", plan.speakers(), 2000);
        String providers = check.optional("providersPresent", plan.providersPresent(), 2000);
        check.done();
        Instant now = clock.instant();
        CallIn saved = database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            if (load(c, intervention).map(CallIn::held).orElse(false)) {
                throw new RuleException(
                        "call-in-held", "The call-in was held: its time and place are history and are not changed.");
            }
            if (Sql.update(
                            c,
                            "UPDATE call_ins SET held_at = ?, place = ?, speakers = ?, providers_present = ? WHERE intervention_id = ?",
                            plan.at(),
                            place,
                            speakers,
                            providers,
                            intervention)
                    == 0) {
                Sql.insert(
                        c,
                        "INSERT INTO call_ins (intervention_id, held_at, place, speakers, providers_present, held) VALUES (?, ?, ?, ?, ?, FALSE)",
                        intervention,
                        plan.at(),
                        place,
                        speakers,
                        providers);
            }
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "call-in",
                    "5a",
                    "Call-in set for " + plan.at().format(DAY) + " at " + place,
                    Audience.CALL_IN,
                    caller);
            return require(c, intervention);
        });
        Records.audit(audit, caller, site, "callin.plan", "intervention:" + intervention, "");
        return saved;
    }

    @Override
    public Letter generateLetter(String site, long intervention, long person, Caller caller) {
        caller.require(site, "generating a letter (Step 6a)", LETTER_WRITERS);
        programme.requireOpen(site, intervention, "6a");
        Site where = sites.find(site).orElseThrow(() -> new NoSuchElementException("no site '" + site + "'"));
        Instant now = clock.instant();
        long id = database.transaction(c -> {
            Records.requirePerson(c, site, intervention, person);
            Map<String, Object> row = Sql.one(
                            c,
                            "SELECT p.name, p.decision, i.name AS area FROM persons p JOIN interventions i ON i.id = p.intervention_id WHERE p.id = ?",
                            rs -> Map.<String, Object>of(
                                    "name", rs.getString(1), "decision", rs.getString(2), "area", rs.getString(3)),
                            person)
                    .orElseThrow();
            if (!Decision.CALL_IN.name().equals(row.get("decision"))) {
                throw new RuleException(
                        "letter-to-candidates-only",
                        "A letter goes only to a call-in candidate; person #" + person + " is "
                                + row.get("decision").toString().toLowerCase().replace('_', ' ') + ".");
            }
            CallIn plan = load(c, intervention)
                    .orElseThrow(() -> new RuleException(
                            "letter-needs-call-in-plan",
                            "The letter invites to the call-in: set its time and place first (Step 5a)."));
            Letterhead head =
                    letterhead(c, site).orElse(new Letterhead("Chief of Police", where.jurisdiction(), "", ""));
            Map<String, String> values = Map.of(
                    "name", (String) row.get("name"),
                    "area", (String) row.get("area"),
                    "date", LocalDate.ofInstant(now, where.timeZone()).format(DAY),
                    "callInDate", plan.at().format(DAY),
                    "callInTime", plan.at().format(TIME),
                    "callInPlace", plan.place(),
                    "chief", head.chief(),
                    "title", head.title(),
                    "department", head.department(),
                    "mailingAddress", head.mailingAddress());
            // the site's copy of the letter template it adopted last, if any (Materials); else the platform's own
            LetterTemplate used = MaterialsImpl.letterTemplate(c, site).orElse(template);
            String html = LetterTemplate.html("Letter to " + row.get("name"), used.paragraphs(values));
            long created = Sql.insert(
                    c,
                    "INSERT INTO letters (person_id, template, html, generated_by, generated_at) VALUES (?, ?, ?, ?, ?)",
                    person,
                    used.name(),
                    html,
                    caller.user().username(),
                    now);
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "letter",
                    "6a",
                    "Letter generated for a call-in candidate",
                    Audience.LETTERS,
                    caller);
            return created;
        });
        Records.audit(audit, caller, site, "letter.generate", "person:" + person, "letter:" + id);
        return unaudited(site, intervention, id);
    }

    @Override
    public Optional<Letterhead> letterhead(String site, Caller caller) {
        caller.require(site, "reading the letterhead", LETTER_READERS);
        return database.read(c -> letterhead(c, site));
    }

    private static Optional<Letterhead> letterhead(Connection c, String site) throws SQLException {
        return Sql.one(
                c,
                "SELECT chief, title, department, mailing_address FROM letterheads WHERE site_id = ?",
                rs -> new Letterhead(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                site);
    }

    @Override
    public Letterhead setLetterhead(String site, Letterhead input, Caller caller) {
        caller.require(site, "setting the letterhead", LETTER_WRITERS);
        sites.find(site).orElseThrow(() -> new NoSuchElementException("no site '" + site + "'"));
        Check check = new Check("letterhead");
        String chief = check.text("chief", input == null ? null : input.chief(), 200);
        String title = check.text("title", input == null ? null : input.title(), 200);
        String department = check.optional("department", input == null ? null : input.department(), 200);
        String address = check.optional("mailingAddress", input == null ? null : input.mailingAddress(), 500);
        check.done();
        Letterhead saved = new Letterhead(chief, title, department, address);
        Instant now = clock.instant();
        database.transaction(c -> {
            Sql.update(c, "DELETE FROM letterheads WHERE site_id = ?", site);
            return Sql.update(
                    c,
                    "INSERT INTO letterheads (site_id, chief, title, department, mailing_address, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    site,
                    chief,
                    title,
                    department,
                    address,
                    caller.user().username(),
                    now);
        });
        Records.audit(audit, caller, site, "letterhead.set", "site:" + site, "");
        return saved;
    }

    private static final String LETTERS =
            "SELECT l.id, l.person_id, p.name, l.template, l.html, l.generated_at, l.generated_by, l.sent_on"
                    + " FROM letters l JOIN persons p ON p.id = l.person_id WHERE p.intervention_id = ?";

    private static Letter letterRow(ResultSet rs) throws SQLException {
        return new Letter(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                Sql.instant(rs, "generated_at"),
                rs.getString(7),
                Sql.optionalDate(rs, "sent_on"));
    }

    @Override
    public List<Letter> letters(String site, long intervention, Caller caller) {
        caller.require(site, "reading the letters", LETTER_READERS);
        List<Letter> letters = database.read(c -> {
            Records.requireIntervention(c, site, intervention);
            return Sql.list(c, LETTERS + " ORDER BY l.id", CallInsImpl::letterRow, intervention);
        });
        Records.audit(
                audit, caller, site, "letter.list", "intervention:" + intervention, letters.size() + " letter(s)");
        return letters;
    }

    @Override
    public Letter letter(String site, long intervention, long id, Caller caller) {
        caller.require(site, "reading a letter", LETTER_READERS);
        Letter letter = unaudited(site, intervention, id);
        Records.audit(audit, caller, site, "letter.read", "letter:" + id, "person:" + letter.person());
        return letter;
    }

    /** The letter, for the answer to a write on it: the write's entry is the one entry of the call. */
    private Letter unaudited(String site, long intervention, long id) {
        return database.read(c -> {
            Records.requireIntervention(c, site, intervention);
            return Sql.one(c, LETTERS + " AND l.id = ?", CallInsImpl::letterRow, intervention, id)
                    .orElseThrow(
                            () -> new NoSuchElementException("no letter " + id + " in intervention " + intervention));
        });
    }

    /**
     * Refused: a letter's PDF is a copy given out and goes only through {@link #letterPdf(String, long, long,
     * Market.Release, Caller)}, which records it in the dissemination log (28 CFR 23.20(e)).
     */
    @Override
    @Deprecated
    public byte[] letterPdf(String site, long intervention, long id, Caller caller) {
        throw new UnsupportedOperationException("a letter's PDF is given out only with its recipient and reason:"
                + " use CallIns.letterPdf(site, intervention, letter, Market.Release, caller)");
    }

    @Override
    public byte[] letterPdf(String site, long intervention, long id, Market.Release release, Caller caller) {
        caller.require(site, "giving out a letter", LETTER_READERS);
        Market.Release to = DisseminationLog.checked(release);
        // the dissemination's entry is the one entry of the call (it names the letter's person by id)
        Letter letter = unaudited(site, intervention, id);
        long given = database.transaction(c -> {
            // the letter's person, still on the list: a purge meanwhile took the letter with it
            Records.requirePerson(c, site, intervention, letter.person());
            return DisseminationLog.record(
                    c, site, intervention, Market.Copy.LETTER, List.of(letter.person()), to, caller, clock.instant());
        });
        DisseminationLog.audit(audit, caller, site, given, Market.Copy.LETTER, List.of(letter.person()));
        return pdf(letter);
    }

    private static byte[] pdf(Letter letter) {
        List<String> paragraphs = java.util.Arrays.stream(letter.html().split("<p>"))
                .skip(1)
                .map(p -> p.substring(0, p.indexOf("</p>")).replace("<br>", "\n"))
                .map(CallInsImpl::unescape)
                .toList();
        return LetterTemplate.pdf(paragraphs);
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    @Override
    public Letter markSent(String site, long intervention, long id, LocalDate sentOn, Caller caller) {
        caller.require(site, "marking a letter sent", LETTER_WRITERS);
        Instant now = clock.instant();
        // a day left blank is the site's today (not the server's, nor UTC's)
        LocalDate today = LocalDate.ofInstant(now, Records.zone(sites, site));
        LocalDate day = sentOn == null ? today : sentOn;
        Check check = new Check("letter");
        if (day.isAfter(today)) {
            check.fail("sentOn", "is after today at the site (" + today + ")");
        }
        check.done();
        database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            Sql.one(c, LETTERS + " AND l.id = ?", CallInsImpl::letterRow, intervention, id)
                    .orElseThrow(
                            () -> new NoSuchElementException("no letter " + id + " in intervention " + intervention));
            if (Sql.update(c, "UPDATE letters SET sent_on = ? WHERE id = ? AND sent_on IS NULL", day, id) == 0) {
                throw new RuleException(
                        "letter-sent-once", "Letter " + id + " is already marked sent; it is mailed once.");
            }
            Records.timelineOn(
                    c,
                    intervention,
                    day,
                    now,
                    "letter",
                    "6a",
                    "Letter mailed to a call-in candidate",
                    Audience.LETTERS,
                    caller);
            return null;
        });
        Records.audit(audit, caller, site, "letter.sent", "letter:" + id, day.toString());
        return unaudited(site, intervention, id);
    }

    @Override
    public CallIn recordAttendance(String site, long intervention, long person, boolean attended, Caller caller) {
        caller.require(site, "recording call-in attendance (Step 7b)", READERS);
        programme.requireOpen(site, intervention, "7b");
        CallIn result = database.transaction(c -> {
            Records.requirePerson(c, site, intervention, person);
            CallIn callIn = require(c, intervention);
            requireServicesArranged(callIn);
            if (callIn.invited().stream().noneMatch(i -> i.person() == person)) {
                throw new RuleException(
                        "attendance-of-invited-only",
                        "Person #" + person + " was not sent a letter (Step 6a), so was not invited to the call-in.");
            }
            Optional<Boolean> before = Sql.one(
                    c,
                    "SELECT attended FROM call_in_attendance WHERE call_in_id = ? AND person_id = ?",
                    rs -> rs.getBoolean(1),
                    callIn.id(),
                    person);
            if (callIn.held() && !before.equals(Optional.of(attended))) {
                // the call-in's record is history once held: a correction is a new entry, with who made it
                Records.timeline(
                        c,
                        intervention,
                        clock.instant(),
                        "call-in",
                        "7b",
                        "Attendance corrected after the call-in was held: person #" + person + " "
                                + (attended ? "came" : "did not come")
                                + before.map(b -> b ? " (recorded as came)" : " (recorded as did not come)")
                                        .orElse(" (not recorded before)"),
                        Audience.CALL_IN,
                        caller);
            }
            if (Sql.update(
                            c,
                            "UPDATE call_in_attendance SET attended = ? WHERE call_in_id = ? AND person_id = ?",
                            attended,
                            callIn.id(),
                            person)
                    == 0) {
                Sql.update(
                        c,
                        "INSERT INTO call_in_attendance (call_in_id, person_id, attended) VALUES (?, ?, ?)",
                        callIn.id(),
                        person,
                        attended);
            }
            return require(c, intervention);
        });
        Records.audit(
                audit, caller, site, "callin.attendance", "person:" + person, attended ? "attended" : "did not attend");
        return result;
    }

    @Override
    public CallIn held(String site, long intervention, Caller caller) {
        caller.require(site, "recording that the call-in was held (Step 7b)", READERS);
        programme.requireOpen(site, intervention, "7b");
        Instant now = clock.instant();
        CallIn result = database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            CallIn callIn = require(c, intervention);
            requireServicesArranged(callIn);
            if (callIn.held()) {
                throw new RuleException(
                        "call-in-held-once", "The call-in is already recorded as held; it is held once.");
            }
            java.time.ZoneId zone = Records.zone(sites, site);
            LocalDate today = LocalDate.ofInstant(now, zone);
            if (today.isBefore(callIn.at().toLocalDate())) {
                throw new RuleException(
                        "call-in-held-on-its-day",
                        "The call-in is planned for " + callIn.at().toLocalDate() + "; today at the site is " + today
                                + ". Record it as held on or after its day, or plan it for the day it was held.");
            }
            // held once, even for two at once: the row changes from not held to held a single time
            if (Sql.update(c, "UPDATE call_ins SET held = TRUE WHERE id = ? AND held = FALSE", callIn.id()) == 0) {
                throw new RuleException(
                        "call-in-held-once", "The call-in is already recorded as held; it is held once.");
            }
            Instant planned = callIn.at().atZone(zone).toInstant();
            Records.timelineAt(
                    c,
                    intervention,
                    planned.isAfter(now) ? now : planned,
                    now,
                    "call-in",
                    "7b",
                    "Call-in held: " + callIn.attended() + " of "
                            + callIn.invited().size() + " invited came",
                    Audience.CALL_IN,
                    caller);
            return require(c, intervention);
        });
        Records.audit(audit, caller, site, "callin.held", "intervention:" + intervention, "");
        return result;
    }

    // ---- Step 7b: deadlines ------------------------------------------------------------------------------------

    @Override
    public List<Deadline> deadlines(String site, long intervention, Caller caller) {
        caller.require(site, "reading the call-in's deadlines (Step 7b)", DEADLINE_READERS);
        List<Deadline> deadlines = unaudited(site, intervention);
        // each names a person of the dealer list
        Records.audit(
                audit,
                caller,
                site,
                "callin.deadlines",
                "intervention:" + intervention,
                deadlines.size() + " deadline(s)");
        return deadlines;
    }

    private List<Deadline> unaudited(String site, long intervention) {
        LocalDate today = Records.today(sites, clock, site);
        return database.read(c -> {
            Records.requireIntervention(c, site, intervention);
            return Sql.list(
                    c,
                    "SELECT d.*, p.name FROM call_in_deadlines d JOIN persons p ON p.id = d.person_id"
                            + " WHERE p.intervention_id = ? ORDER BY d.due_on, d.id",
                    rs -> deadline(rs, today),
                    intervention);
        });
    }

    private static Deadline deadline(ResultSet rs, LocalDate today) throws SQLException {
        Optional<DeadlineCheck> check = rs.getString("outcome") == null
                ? Optional.empty()
                : Optional.of(new DeadlineCheck(
                        DeadlineOutcome.valueOf(rs.getString("outcome")),
                        Sql.date(rs, "checked_on"),
                        rs.getString("check_note"),
                        rs.getString("checked_by")));
        LocalDate due = Sql.date(rs, "due_on");
        return new Deadline(
                rs.getLong("id"),
                rs.getLong("person_id"),
                rs.getString("name"),
                due,
                rs.getString("what"),
                rs.getString("given_by"),
                check,
                check.isEmpty() && due.isBefore(today));
    }

    @Override
    public Deadline giveDeadline(
            String site, long intervention, long person, LocalDate due, String what, Caller caller) {
        caller.require(site, "giving a deadline at the call-in (Step 7b)", LETTER_WRITERS);
        Check check = new Check("deadline");
        check.required("due", due);
        String text = check.text("what", what, 1000);
        LocalDate today = Records.today(sites, clock, site);
        if (due != null && due.isBefore(today)) {
            check.fail("due", "is before today at the site (" + today + ")");
        }
        check.done();
        Instant now = clock.instant();
        long id = database.transaction(c -> {
            Records.requirePerson(c, site, intervention, person);
            CallIn callIn = require(c, intervention);
            if (!callIn.held()) {
                throw new RuleException(
                        "deadline-at-the-call-in",
                        "A deadline is given at the call-in: record the call-in as held first (Step 7b).");
            }
            if (callIn.invited().stream().noneMatch(i -> i.person() == person && i.attended())) {
                throw new RuleException(
                        "deadline-for-the-invited",
                        "Person #" + person + " did not come to the call-in (or was not invited), so was given no"
                                + " deadline there.");
            }
            long created = Sql.insert(
                    c,
                    "INSERT INTO call_in_deadlines (person_id, due_on, what, given_by, given_at) VALUES (?, ?, ?, ?, ?)",
                    person,
                    due,
                    text,
                    caller.user().username(),
                    now);
            Records.timeline(
                    c, intervention, now, "deadline", "7b", "Deadline given at the call-in", Audience.CALL_IN, caller);
            return created;
        });
        Records.audit(audit, caller, site, "callin.deadline", "person:" + person, "deadline:" + id);
        return find(site, intervention, id, caller);
    }

    private Deadline find(String site, long intervention, long id, Caller caller) {
        // the answer to a write on the deadline: the write's entry is the one entry of the call
        return unaudited(site, intervention).stream()
                .filter(d -> d.id() == id)
                .findFirst()
                .orElseThrow(
                        () -> new NoSuchElementException("no deadline " + id + " in intervention " + intervention));
    }

    @Override
    public Deadline checkDeadline(
            String site,
            long intervention,
            long id,
            DeadlineOutcome outcome,
            LocalDate checkedOn,
            String note,
            Caller caller) {
        caller.require(site, "recording whether a deadline was met (Step 7b)", LETTER_WRITERS);
        Deadline deadline = find(site, intervention, id, caller);
        LocalDate today = Records.today(sites, clock, site);
        LocalDate on = checkedOn == null ? today : checkedOn;
        Check check = new Check("deadline");
        check.required("outcome", outcome);
        String text = check.optional("note", note, 1000);
        if (on.isAfter(today)) {
            check.fail("checkedOn", "is after today at the site (" + today + ")");
        }
        LocalDate given = database.read(c ->
                        Sql.one(c, "SELECT given_at FROM call_in_deadlines WHERE id = ?", rs -> Sql.instant(rs, 1), id))
                .map(i -> LocalDate.ofInstant(i, Records.zone(sites, site)))
                .orElse(on);
        if (on.isBefore(given)) {
            check.fail("checkedOn", "is before the deadline was given (" + given + ")");
        }
        check.done();
        Instant now = clock.instant();
        int updated = database.transaction(c -> {
            int n = Sql.update(
                    c,
                    "UPDATE call_in_deadlines SET outcome = ?, checked_on = ?, check_note = ?, checked_by = ?,"
                            + " checked_at = ? WHERE id = ? AND outcome IS NULL",
                    outcome.name(),
                    on,
                    text,
                    caller.user().username(),
                    now,
                    id);
            if (n == 1) {
                Records.timelineOn(
                        c,
                        intervention,
                        on,
                        now,
                        "deadline",
                        "7b",
                        "Deadline " + (outcome == DeadlineOutcome.MET ? "met" : "missed"),
                        Audience.CALL_IN,
                        caller);
            }
            return n;
        });
        if (updated == 0) {
            throw new RuleException(
                    "deadline-checked-once",
                    "Deadline " + id + " was already recorded as "
                            + deadline.check()
                                    .map(d -> d.outcome().name().toLowerCase(Locale.ROOT))
                                    .orElse("checked")
                            + "; a deadline is checked once.");
        }
        Records.audit(audit, caller, site, "callin.deadline.check", "deadline:" + id, outcome.name());
        return find(site, intervention, id, caller);
    }
}
