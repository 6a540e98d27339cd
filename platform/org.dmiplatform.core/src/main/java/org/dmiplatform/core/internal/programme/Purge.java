package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.programme.Market.Purged;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Dialect;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 28 CFR 23.20(h): an entry on the dealer list not revalidated by its review day is purged. The criminal intelligence
 * is destroyed: the person's row and every record that hangs on it (decisions, reviews, incident notes, links to
 * addresses, influentials, banked cases, violations, letters, the call-in's attendance and deadlines, referrals and
 * their follow-up), and the person's name and alias are taken out of the free text of the site's other records (the
 * surveys' names offered, other entries' notes, the timeline, the dissemination log...). Left behind is a tombstone
 * with no name and no intelligence: the id, the site, the review day, the day purged, the reason and how many records
 * went. One transaction per entry: an entry is purged whole or not at all; a second run finds nothing more to do.
 * The audit log is not touched (it holds ids, never names) beyond one {@code intelligence.purge} entry per purge.
 */
@Component(service = Purge.class)
public class Purge {
    private static final Logger LOG = LoggerFactory.getLogger(Purge.class);

    static final String REASON = "review overdue";

    /** The records of the person, removed in this order (each before what it refers to). */
    private static final List<Removal> REMOVALS = List.of(
            new Removal(
                    "treatment notes",
                    "DELETE FROM treatment_notes WHERE consent_id IN (SELECT t.id FROM treatment_consents t"
                            + " JOIN referrals r ON r.id = t.referral_id WHERE r.person_id = ?)"),
            new Removal(
                    "treatment consents",
                    "DELETE FROM treatment_consents WHERE referral_id IN (SELECT id FROM referrals WHERE person_id = ?)"),
            new Removal(
                    "referral outcomes",
                    "DELETE FROM referral_events WHERE referral_id IN (SELECT id FROM referrals WHERE person_id = ?)"),
            new Removal(
                    "referral tasks",
                    "DELETE FROM referral_tasks WHERE referral_id IN (SELECT id FROM referrals WHERE person_id = ?)"),
            new Removal("referrals", "DELETE FROM referrals WHERE person_id = ?"),
            new Removal(
                    "banked case changes",
                    "DELETE FROM banked_case_changes WHERE case_id IN (SELECT id FROM banked_cases WHERE person_id = ?)"),
            new Removal("banked cases", "DELETE FROM banked_cases WHERE person_id = ?"),
            new Removal("violations", "DELETE FROM violations WHERE person_id = ?"),
            new Removal("influentials", "DELETE FROM influentials WHERE person_id = ?"),
            new Removal("decisions", "DELETE FROM person_decisions WHERE person_id = ?"),
            new Removal("reviews", "DELETE FROM person_revalidations WHERE person_id = ?"),
            new Removal("incident notes", "DELETE FROM incident_notes WHERE person_id = ?"),
            new Removal("address links", "DELETE FROM person_addresses WHERE person_id = ?"),
            new Removal("deadlines", "DELETE FROM call_in_deadlines WHERE person_id = ?"),
            new Removal("attendance", "DELETE FROM call_in_attendance WHERE person_id = ?"),
            new Removal("letters", "DELETE FROM letters WHERE person_id = ?"),
            new Removal("entry", "DELETE FROM persons WHERE id = ?"));

    private static final String OF_INTERVENTION = " JOIN interventions i ON i.id = x.intervention_id";
    private static final String OF_PERSON =
            " JOIN persons p ON p.id = x.person_id JOIN interventions i ON i.id = p.intervention_id";

    /**
     * The site's free text where the team may have written a person's name. Not the names of other entries or of
     * influentials (another person may bear the same name), and not treatment notes (42 CFR Part 2: nothing else reads
     * them; the person's own go with their referrals).
     */
    private static final List<Text> TEXTS = List.of(
            new Text(
                    "other entries",
                    "persons",
                    OF_INTERVENTION,
                    "justification",
                    "source",
                    "violence_note",
                    "pending_charges",
                    "decision_criteria"),
            new Text("other decisions", "person_decisions", OF_PERSON, "criteria"),
            new Text("other reviews", "person_revalidations", OF_PERSON, "reason"),
            new Text("other incident notes", "incident_notes", OF_PERSON, "note"),
            new Text("other influentials", "influentials", OF_PERSON, "outcome"),
            new Text("other banked cases", "banked_cases", OF_PERSON, "evidence"),
            new Text(
                    "other banked case changes",
                    "banked_case_changes",
                    " JOIN banked_cases b ON b.id = x.case_id JOIN persons p ON p.id = b.person_id"
                            + " JOIN interventions i ON i.id = p.intervention_id",
                    "reason"),
            new Text("other violations", "violations", OF_PERSON, "description", "action_taken"),
            new Text("other address links", "person_addresses", OF_PERSON, "relation"),
            new Text("other deadlines", "call_in_deadlines", OF_PERSON, "what", "check_note"),
            new Text("key addresses", "key_addresses", OF_INTERVENTION, "note"),
            new Text("surveys", "surveys", OF_INTERVENTION, "surveyed", "source", "names_offered"),
            new Text("timeline", "timeline", OF_INTERVENTION, "what"),
            new Text("community meetings", "community_meetings", OF_INTERVENTION, "notes"),
            new Text("residents' calls", "resident_calls", OF_INTERVENTION, "about", "outcome"),
            new Text("dissemination log", "disseminations", OF_INTERVENTION, "recipient", "reason"));

    /**
     * What a name is replaced with in text that stays; a name shorter than it becomes brackets as long as the name, so
     * that no text outgrows its column.
     */
    static final String MARK = "[purged]";

    static String mark(int length) {
        return length >= MARK.length() ? MARK : "[" + "-".repeat(Math.max(0, length - 2)) + "]";
    }

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Clock clock;

    @Activate
    public Purge(@Reference Database database, @Reference AuditLog audit, @Reference Sites sites) {
        this(database, audit, sites, Clock.systemUTC());
    }

    public Purge(Database database, AuditLog audit, Sites sites, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.clock = clock;
    }

    /** Purges, at every site, each entry whose review day has passed there; answers how many were purged. */
    public int purgeDue() {
        int purged = 0;
        for (Site site : sites.list()) {
            purged += purgeDue(site.id());
        }
        return purged;
    }

    /** Purges the site's entries whose review day has passed in its time zone; answers how many. */
    public int purgeDue(String site) {
        LocalDate today = Records.today(sites, clock, site);
        List<Long> due = database.read(c -> Sql.list(
                c,
                "SELECT p.id FROM persons p JOIN interventions i ON i.id = p.intervention_id"
                        + " WHERE i.site_id = ? AND p.review_due < ? ORDER BY p.id",
                rs -> rs.getLong(1),
                site,
                today));
        int purged = 0;
        for (long person : due) {
            try {
                Optional<Purged> done = purge(site, person, today);
                if (done.isPresent()) {
                    purged++;
                    record(
                            site,
                            person,
                            AuditOutcome.SUCCESS,
                            "review due " + done.get().reviewDue() + "; "
                                    + done.get().removed());
                }
            } catch (RuntimeException e) {
                // the entry stays whole (its transaction rolled back) and is tried again at the next run
                LOG.warn("Site {}: purging person #{} failed, tried again next time: {}", site, person, e.getMessage());
                record(site, person, AuditOutcome.FAILURE, "not purged, tried again next time");
            }
        }
        if (purged > 0 && database.dialect() == Dialect.SQLITE) {
            // the write-ahead log still holds the pages as they were before: fold it into the file and empty it
            database.read(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
                return null;
            });
        }
        return purged;
    }

    private void record(String site, long person, AuditOutcome outcome, String detail) {
        audit.record(new AuditEvent(
                Actor.SYSTEM.name(),
                site,
                "intelligence.purge",
                "person:" + person,
                Actor.SYSTEM.from(),
                outcome,
                detail.length() > 500 ? detail.substring(0, 500) : detail));
    }

    private record Removal(String label, String sql) {}

    private record Text(String label, String table, String reach, String... columns) {}

    private record Entry(long id, long intervention, String name, String alias, LocalDate reviewDue) {}

    /** Purges one entry if its review day is still past (not revalidated meanwhile, not purged already). */
    Optional<Purged> purge(String site, long person, LocalDate today) {
        Instant now = clock.instant();
        return database.transaction(c -> {
            if (database.dialect() == Dialect.SQLITE) {
                // deleted rows are overwritten in the file, not left in its free pages
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA secure_delete = ON");
                }
            }
            // takes the row for this transaction: a review saved meanwhile waits, then finds it gone
            if (Sql.update(
                            c,
                            "UPDATE persons SET review_due = review_due WHERE id = ? AND review_due < ?",
                            person,
                            today)
                    == 0) {
                return Optional.<Purged>empty();
            }
            Optional<Entry> found = Sql.one(
                    c,
                    "SELECT p.id, p.intervention_id, p.name, p.alias, p.review_due FROM persons p"
                            + " JOIN interventions i ON i.id = p.intervention_id WHERE p.id = ? AND i.site_id = ?",
                    rs -> new Entry(
                            rs.getLong("id"),
                            rs.getLong("intervention_id"),
                            rs.getString("name"),
                            rs.getString("alias"),
                            Sql.date(rs, "review_due")),
                    person,
                    site);
            if (found.isEmpty()) {
                return Optional.<Purged>empty();
            }
            Entry entry = found.get();
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Removal removal : REMOVALS) {
                int n = Sql.update(c, removal.sql(), person);
                if (n > 0) {
                    counts.put(removal.label(), n);
                }
            }
            Optional<Pattern> names = names(entry.name(), entry.alias());
            if (names.isPresent()) {
                for (Text text : TEXTS) {
                    int n = takeOut(c, site, text, names.get());
                    if (n > 0) {
                        counts.put("name taken out of " + text.label(), n);
                    }
                }
            }
            String removed = String.join(
                    ", ",
                    counts.entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue())
                            .toList());
            Sql.update(
                    c,
                    "INSERT INTO purged_entries (person_id, site_id, intervention_id, review_due, purged_on, purged_at,"
                            + " reason, removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    person,
                    site,
                    entry.intervention(),
                    entry.reviewDue(),
                    today,
                    now,
                    REASON,
                    removed.length() > 2000 ? removed.substring(0, 2000) : removed);
            Records.timeline(
                    c,
                    entry.intervention(),
                    now,
                    "person",
                    "3a",
                    "Person #" + person + " purged: review overdue (28 CFR 23.20(h))",
                    Audience.INTELLIGENCE,
                    system(site));
            return Optional.of(new Purged(person, entry.intervention(), entry.reviewDue(), today, REASON, removed));
        });
    }

    /**
     * The person's name and each alias (several may be given, separated by commas, semicolons or slashes) as whole
     * words, in any case; parts shorter than two letters are left, since they would take out more than the name.
     */
    static Optional<Pattern> names(String name, String alias) {
        List<String> terms = new ArrayList<>();
        for (String term : (name + "," + alias).split("[,;/]")) {
            String t = term.strip();
            if (t.length() >= 2 && !terms.contains(t)) {
                terms.add(t);
            }
        }
        if (terms.isEmpty()) {
            return Optional.empty();
        }
        // the longest first, so that "Big Q" goes whole before "Big" would
        terms.sort((a, b) -> b.length() - a.length());
        String alternatives =
                String.join("|", terms.stream().map(Pattern::quote).toList());
        return Optional.of(Pattern.compile(
                "(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    /** Replaces the names in one kind of text at the site; answers how many rows changed. */
    private static int takeOut(Connection c, String site, Text text, Pattern names) throws SQLException {
        String columns = String.join(
                ", ",
                java.util.Arrays.stream(text.columns()).map(col -> "x." + col).toList());
        List<Object[]> rows = Sql.list(
                c,
                "SELECT x.id, " + columns + " FROM " + text.table() + " x" + text.reach() + " WHERE i.site_id = ?",
                rs -> {
                    Object[] row = new Object[text.columns().length + 1];
                    row[0] = rs.getLong(1);
                    for (int i = 0; i < text.columns().length; i++) {
                        row[i + 1] = rs.getString(i + 2);
                    }
                    return row;
                },
                site);
        int changed = 0;
        for (Object[] row : rows) {
            boolean any = false;
            for (int i = 0; i < text.columns().length; i++) {
                String value = (String) row[i + 1];
                if (value == null) {
                    continue;
                }
                Matcher m = names.matcher(value);
                if (m.find()) {
                    String replaced = m.replaceAll(
                            r -> Matcher.quoteReplacement(mark(r.group().length())));
                    Sql.update(
                            c,
                            "UPDATE " + text.table() + " SET " + text.columns()[i] + " = ? WHERE id = ?",
                            replaced,
                            row[0]);
                    any = true;
                }
            }
            if (any) {
                changed++;
            }
        }
        return changed;
    }

    /** The platform itself, for the timeline's "done by". */
    private static Caller system(String site) {
        return Records.platform(site, "purge");
    }
}
