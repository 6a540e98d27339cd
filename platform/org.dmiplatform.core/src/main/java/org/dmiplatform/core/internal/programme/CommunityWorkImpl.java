package org.dmiplatform.core.internal.programme;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.CommunityWork;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = CommunityWork.class)
public class CommunityWorkImpl implements CommunityWork {
    private static final Role[] WRITERS = {Role.COMMUNITY, Role.POLICE, Role.POC, Role.SITE_ADMIN, Role.SERVICES};

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;

    @Activate
    public CommunityWorkImpl(@Reference Database database, @Reference AuditLog audit) {
        this(database, audit, Clock.systemUTC());
    }

    public CommunityWorkImpl(Database database, AuditLog audit, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public List<Meeting> meetings(String site, long intervention) {
        return Records.inIntervention(
                database,
                site,
                intervention,
                c -> Sql.list(
                        c,
                        "SELECT * FROM community_meetings WHERE intervention_id = ? ORDER BY held_on, id",
                        rs -> new Meeting(
                                rs.getLong("id"),
                                MeetingKind.valueOf(rs.getString("kind")),
                                Sql.date(rs, "held_on"),
                                rs.getString("audience"),
                                rs.getString("place"),
                                rs.getInt("attendance"),
                                rs.getString("notes"),
                                rs.getString("recorded_by")),
                        intervention));
    }

    @Override
    public Meeting addMeeting(String site, long intervention, NewMeeting input, Caller caller) {
        caller.require(site, "recording a community meeting", WRITERS);
        Check check = new Check("meeting");
        check.required("kind", input.kind());
        check.required("heldOn", input.heldOn());
        String audience = check.text("audience", input.audience(), 300);
        String place = check.optional("place", input.place(), 300);
        if (input.attendance() < 0) {
            check.fail("attendance", "cannot be negative");
        }
        String notes = check.optional("notes", input.notes(), 2000);
        check.done();
        Instant now = clock.instant();
        long id = database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            long created = Sql.insert(
                    c,
                    "INSERT INTO community_meetings (intervention_id, kind, held_on, audience, place, attendance, notes, recorded_by, recorded_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    intervention,
                    input.kind(),
                    input.heldOn(),
                    audience,
                    place,
                    input.attendance(),
                    notes,
                    caller.user().username(),
                    now);
            Records.timelineOn(
                    c,
                    intervention,
                    input.heldOn(),
                    now,
                    "meeting",
                    "5",
                    label(input.kind()) + " with " + audience + " on " + input.heldOn(),
                    Audience.EVERYONE,
                    caller);
            return created;
        });
        Records.audit(
                audit,
                caller,
                site,
                "community.meeting",
                "meeting:" + id,
                input.kind().name());
        return new Meeting(
                id,
                input.kind(),
                input.heldOn(),
                audience,
                place,
                input.attendance(),
                notes,
                caller.user().username());
    }

    private static String label(MeetingKind kind) {
        return switch (kind) {
            case COMMUNITY_MEETING -> "Community meeting";
            case BRIEFING -> "Briefing";
            case RECONCILIATION -> "Reconciliation conversation";
        };
    }

    private static ResidentCall call(ResultSet rs) throws SQLException {
        Instant received = Sql.instant(rs, "received_at");
        Optional<Instant> answered = Sql.optionalInstant(rs, "answered_at");
        return new ResidentCall(
                rs.getLong("id"),
                received,
                answered,
                rs.getString("about"),
                rs.getString("outcome"),
                answered.map(a -> Duration.between(received, a).toMinutes()),
                rs.getString("recorded_by"),
                rs.getString("answered_by"));
    }

    @Override
    public List<ResidentCall> calls(String site, long intervention) {
        return Records.inIntervention(
                database,
                site,
                intervention,
                c -> Sql.list(
                        c,
                        "SELECT * FROM resident_calls WHERE intervention_id = ? ORDER BY received_at, id",
                        CommunityWorkImpl::call,
                        intervention));
    }

    /** A clock a minute ahead of ours is not "later than now". */
    private static final Duration SKEW = Duration.ofMinutes(1);

    @Override
    public ResidentCall addCall(String site, long intervention, Instant receivedAt, String about, Caller caller) {
        caller.require(site, "recording a resident's call", WRITERS);
        Check check = new Check("resident call");
        check.required("receivedAt", receivedAt);
        String what = check.text("about", about, 1000);
        if (receivedAt != null && receivedAt.isAfter(clock.instant().plus(SKEW))) {
            check.fail("receivedAt", "is later than now");
        }
        check.done();
        long id = database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            return Sql.insert(
                    c,
                    "INSERT INTO resident_calls (intervention_id, received_at, about, outcome, recorded_by) VALUES (?, ?, ?, '', ?)",
                    intervention,
                    receivedAt,
                    what,
                    caller.user().username());
        });
        Records.audit(audit, caller, site, "community.call", "call:" + id, "");
        return find(site, intervention, id);
    }

    private ResidentCall find(String site, long intervention, long id) {
        return calls(site, intervention).stream()
                .filter(c -> c.id() == id)
                .findFirst()
                .orElseThrow(() ->
                        new NoSuchElementException("no resident call " + id + " in intervention " + intervention));
    }

    @Override
    public ResidentCall answer(
            String site, long intervention, long id, Instant answeredAt, String outcome, Caller caller) {
        caller.require(site, "recording the answer to a resident's call", WRITERS);
        ResidentCall call = find(site, intervention, id);
        Check check = new Check("resident call");
        check.required("answeredAt", answeredAt);
        String result = check.optional("outcome", outcome, 1000);
        if (answeredAt != null && answeredAt.isBefore(call.receivedAt())) {
            check.fail("answeredAt", "is before the call was received");
        }
        if (answeredAt != null && answeredAt.isAfter(clock.instant().plus(SKEW))) {
            check.fail("answeredAt", "is later than now");
        }
        check.done();
        // an answer is recorded once, with who gave it: a second (or a concurrent) answer changes nothing
        int updated = database.transaction(c -> Sql.update(
                c,
                "UPDATE resident_calls SET answered_at = ?, outcome = ?, answered_by = ? WHERE id = ? AND answered_at IS NULL",
                answeredAt,
                result,
                caller.user().username(),
                id));
        if (updated == 0) {
            ResidentCall answered = find(site, intervention, id);
            throw new RuleException(
                    "call-answered-once",
                    "Call #" + id + " was answered already"
                            + (answered.answeredBy().isEmpty() ? "" : ", by " + answered.answeredBy())
                            + "; an answer is recorded once. A later contact with the resident is a new call.");
        }
        Records.audit(audit, caller, site, "community.call", "call:" + id, "answered");
        return find(site, intervention, id);
    }

    @Override
    public Responsiveness responsiveness(String site, long intervention) {
        List<ResidentCall> all = calls(site, intervention);
        List<Long> minutes =
                all.stream().flatMap(c -> c.minutesToAnswer().stream()).sorted().toList();
        Optional<Long> median =
                minutes.isEmpty() ? Optional.empty() : Optional.of(minutes.get((minutes.size() - 1) / 2));
        Optional<Long> longest = minutes.isEmpty() ? Optional.empty() : Optional.of(minutes.get(minutes.size() - 1));
        return new Responsiveness(all.size(), minutes.size(), median, longest);
    }

    @Override
    public List<Newsletter> newsletters(String site, long intervention) {
        return Records.inIntervention(
                database,
                site,
                intervention,
                c -> Sql.list(
                        c,
                        "SELECT id, published_on, title, notes, recorded_by FROM newsletters WHERE intervention_id = ? ORDER BY published_on, id",
                        rs -> new Newsletter(
                                rs.getLong(1),
                                Sql.date(rs, "published_on"),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5)),
                        intervention));
    }

    @Override
    public Newsletter addNewsletter(
            String site, long intervention, LocalDate publishedOn, String title, String notes, Caller caller) {
        caller.require(site, "recording a newsletter", WRITERS);
        Check check = new Check("newsletter");
        check.required("publishedOn", publishedOn);
        String name = check.text("title", title, 300);
        String text = check.optional("notes", notes, 2000);
        check.done();
        Instant now = clock.instant();
        long id = database.transaction(c -> {
            Records.requireIntervention(c, site, intervention);
            long created = Sql.insert(
                    c,
                    "INSERT INTO newsletters (intervention_id, published_on, title, notes, recorded_by) VALUES (?, ?, ?, ?, ?)",
                    intervention,
                    publishedOn,
                    name,
                    text,
                    caller.user().username());
            Records.timelineOn(
                    c,
                    intervention,
                    publishedOn,
                    now,
                    "newsletter",
                    "9",
                    "Newsletter '" + name + "' published",
                    Audience.EVERYONE,
                    caller);
            return created;
        });
        Records.audit(audit, caller, site, "community.newsletter", "newsletter:" + id, "");
        return new Newsletter(id, publishedOn, name, text, caller.user().username());
    }
}
