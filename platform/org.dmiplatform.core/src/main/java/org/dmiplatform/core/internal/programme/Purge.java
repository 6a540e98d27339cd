package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    private static final String OF_REFERRAL = " JOIN referrals r ON r.id = x.referral_id JOIN persons p ON p.id ="
            + " r.person_id JOIN interventions i ON i.id = p.intervention_id";
    private static final String AT_INTERVENTION = "i.site_id";
    private static final String AT_SITE = "x.site_id";
    private static final List<String> ID = List.of("id");

    /**
     * The site's free text where the team may have written a person's name, read by whoever reads that record at the
     * site. Not the names of other entries or of influentials (another person may bear the same name), and not
     * treatment notes (42 CFR Part 2: nothing else reads them; the person's own go with their referrals).
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
            new Text("other letters", "letters", OF_PERSON, "html"),
            new Text("other referrals", "referrals", OF_PERSON, "follow_up"),
            new Text("other referral outcomes", "referral_events", OF_REFERRAL, "note"),
            new Text("other referral tasks", "referral_tasks", OF_REFERRAL, "what"),
            new Text("key addresses", "key_addresses", OF_INTERVENTION, "note"),
            new Text("surveys", "surveys", OF_INTERVENTION, "surveyed", "source", "names_offered"),
            new Text("timeline", "timeline", OF_INTERVENTION, "what"),
            new Text("community meetings", "community_meetings", OF_INTERVENTION, "notes"),
            new Text("residents' calls", "resident_calls", OF_INTERVENTION, "about", "outcome"),
            new Text(
                    "step notes",
                    "step_states",
                    OF_INTERVENTION,
                    AT_INTERVENTION,
                    List.of("intervention_id", "step_id", "item_id"),
                    false,
                    "note"),
            new Text(
                    "debriefs",
                    "debriefs",
                    OF_INTERVENTION,
                    "went_to_plan",
                    "to_change",
                    "strengths",
                    "weaknesses",
                    "opportunities",
                    "threats"),
            new Text(
                    "debrief goals",
                    "debrief_goals",
                    " JOIN debriefs d ON d.id = x.debrief_id JOIN interventions i ON i.id = d.intervention_id",
                    AT_INTERVENTION,
                    List.of("debrief_id", "goal"),
                    false,
                    "evidence"),
            new Text("market alerts", "market_alerts", OF_INTERVENTION, "acknowledgement"),
            new Text("newsletters", "newsletters", OF_INTERVENTION, "title", "notes"),
            new Text("call-in", "call_ins", OF_INTERVENTION, "speakers", "providers_present"),
            new Text("SWOT", "swot_entries", "", AT_SITE, ID, false, "text"),
            new Text("team sign-offs", "team_signoffs", "", AT_SITE, ID, false, "note"),
            new Text("site visits", "site_visits", "", AT_SITE, ID, false, "purpose"),
            // who was given a copy and why: only the full name, never an alias (a recipient may be "the DA")
            new Text(
                    "dissemination log",
                    "disseminations",
                    OF_INTERVENTION,
                    AT_INTERVENTION,
                    ID,
                    true,
                    "recipient",
                    "reason"));

    /**
     * What a name is replaced with in text that stays; a name shorter than it becomes brackets as long as the name, so
     * that no text outgrows its column.
     */
    static final String MARK = "[purged]";

    static String mark(int length) {
        return length >= MARK.length() ? MARK : "[" + "-".repeat(Math.max(0, length - 2)) + "]";
    }

    /**
     * The mark for a name as written: measured in characters (code points), as PostgreSQL's VARCHAR counts them, not
     * in UTF-16 units, so that a name with a character outside the basic plane is not replaced by a longer mark.
     */
    static String markFor(String found) {
        return mark(found.codePointCount(0, found.length()));
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
            try {
                purged += purgeDue(site.id());
            } catch (RuntimeException e) {
                // one site failing (its time zone, its store) does not keep the next sites' entries from their purge
                LOG.warn("Site {}: purge run failed, tried again next time: {}", site.id(), e.toString());
            }
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

    /**
     * Free text to scrub: the table (as {@code x}), how it reaches its site ({@code reach} joins, {@code site} the
     * site's column), the columns naming a row, whether only the full name is taken out (not the aliases), and the text
     * columns.
     */
    private record Text(
            String label,
            String table,
            String reach,
            String site,
            List<String> keys,
            boolean fullNameOnly,
            String... columns) {
        Text(String label, String table, String reach, String... columns) {
            this(label, table, reach, AT_INTERVENTION, ID, false, columns);
        }
    }

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
            Optional<Pattern> fullName = names(entry.name(), "");
            for (Text text : TEXTS) {
                Optional<Pattern> pattern = text.fullNameOnly() ? fullName : names;
                if (pattern.isEmpty()) {
                    continue;
                }
                int n = takeOut(c, site, text, pattern.get());
                if (n > 0) {
                    counts.put("name taken out of " + text.label(), n);
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

    /** Aliases that say there is none, or that it is not known: never taken out of other text. */
    static final Set<String> NO_ALIAS = Set.of(
            "unknown",
            "unk",
            "unkn",
            "not known",
            "none",
            "none known",
            "no alias",
            "no aliases",
            "n/a",
            "na",
            "nil",
            "null",
            "same",
            "same as above",
            "see above",
            "tbd",
            "tbc",
            "not applicable",
            "nickname unknown",
            "alias unknown");

    /**
     * What is taken out of other text: the person's full name as entered, and, when it is written "Last, First", also
     * as "First Last" and "Last First"; each alias (several may be given, separated by commas, semicolons or slashes)
     * of three letters or more that is not a word saying there is none ("unknown", "none", "n/a"...). Whole phrases
     * only, in any case, with any spacing between the words; never a part of the name alone, which would take "George"
     * or "Washington" out of every other text.
     */
    static Optional<Pattern> names(String name, String alias) {
        List<String> terms = new ArrayList<>();
        String full = name == null ? "" : name.strip();
        if (full.codePointCount(0, full.length()) >= 2) {
            add(terms, phrase(full));
            int comma = full.indexOf(',');
            if (comma > 0 && comma == full.lastIndexOf(',')) {
                String last = full.substring(0, comma).strip();
                String first = full.substring(comma + 1).strip();
                if (!last.isEmpty() && !first.isEmpty()) {
                    add(terms, phrase(last) + "\\s*,\\s*" + phrase(first));
                    add(terms, phrase(first + " " + last));
                    add(terms, phrase(last + " " + first));
                }
            }
        }
        if (alias != null) {
            for (String a : alias.split("[,;/]")) {
                String t = a.strip();
                if (letters(t) >= 3 && !NO_ALIAS.contains(normal(t))) {
                    add(terms, phrase(t));
                }
            }
        }
        if (terms.isEmpty()) {
            return Optional.empty();
        }
        // the longest first, so that "Big Q Jones" goes whole before "Big Q" would
        terms.sort((a, b) -> b.length() - a.length());
        return Optional.of(Pattern.compile(
                "(?<![\\p{L}\\p{N}])(?:" + String.join("|", terms) + ")(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    private static void add(List<String> terms, String regex) {
        if (!terms.contains(regex)) {
            terms.add(regex);
        }
    }

    /** The words of a phrase, each quoted, any run of spaces between them. */
    private static String phrase(String text) {
        return String.join(
                "\\s+",
                Arrays.stream(text.strip().split("\\s+")).map(Pattern::quote).toList());
    }

    private static int letters(String text) {
        return (int) text.codePoints().filter(Character::isLetter).count();
    }

    private static String normal(String text) {
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("\\s+", " ")
                .replaceAll("[.]", "")
                .strip();
    }

    /** Replaces the names in one kind of text at the site; answers how many rows changed. */
    private static int takeOut(Connection c, String site, Text text, Pattern names) throws SQLException {
        int keys = text.keys().size();
        String select = String.join(
                ", ",
                java.util.stream.Stream.concat(text.keys().stream(), Arrays.stream(text.columns()))
                        .map(col -> "x." + col)
                        .toList());
        String where =
                String.join(" AND ", text.keys().stream().map(k -> k + " = ?").toList());
        List<Object[]> rows = Sql.list(
                c,
                "SELECT " + select + " FROM " + text.table() + " x" + text.reach() + " WHERE " + text.site() + " = ?",
                rs -> {
                    Object[] row = new Object[keys + text.columns().length];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = i < keys ? rs.getObject(i + 1) : rs.getString(i + 1);
                    }
                    return row;
                },
                site);
        int changed = 0;
        for (Object[] row : rows) {
            boolean any = false;
            for (int i = 0; i < text.columns().length; i++) {
                String value = (String) row[keys + i];
                if (value == null) {
                    continue;
                }
                Matcher m = names.matcher(value);
                if (m.find()) {
                    String replaced = m.replaceAll(r -> Matcher.quoteReplacement(markFor(r.group())));
                    Object[] args = new Object[keys + 1];
                    args[0] = replaced;
                    System.arraycopy(row, 0, args, 1, keys);
                    Sql.update(c, "UPDATE " + text.table() + " SET " + text.columns()[i] + " = ? WHERE " + where, args);
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
