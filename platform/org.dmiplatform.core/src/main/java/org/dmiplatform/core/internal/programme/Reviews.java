package org.dmiplatform.core.internal.programme;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.programme.Market.Purged;
import org.dmiplatform.api.programme.Market.Revalidation;
import org.dmiplatform.api.programme.Market.ReviewDue;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;

/**
 * 28 CFR 23.20(h): an entry on the dealer list is reviewed and validated within five years of being entered or last
 * reviewed, or purged ({@link Purge}). A review is a new row, never an edit of an earlier one.
 */
final class Reviews {
    /** The furthest ahead the list of reviews due looks: the five years an entry may stand, and a leap day. */
    static final int MAX_DAYS = 5 * 366;

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Clock clock;

    Reviews(Database database, AuditLog audit, Sites sites, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.clock = clock;
    }

    /** Records the review and moves the review day; the caller's role is checked by the service. */
    void revalidate(String site, long intervention, long person, String reason, Caller caller) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > 2000) {
            throw new RuleException(
                    "review-needs-a-reason",
                    "28 CFR 23.20(h): a review says why the reasonable suspicion still holds (what was checked, what is"
                            + " new), in at most 2000 characters. Give the reason.");
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, Records.zone(sites, site));
        LocalDate due = today.plusYears(MarketImpl.REVIEW_YEARS);
        database.transaction(c -> {
            Records.requirePerson(c, site, intervention, person);
            LocalDate before = Sql.one(
                            c, "SELECT review_due FROM persons WHERE id = ?", rs -> Sql.date(rs, "review_due"), person)
                    .orElseThrow();
            if (before.isBefore(today)) {
                throw new RuleException(
                        "review-overdue-is-purged",
                        "The review of person #" + person + " was due on " + before + "; past that day 28 CFR"
                                + " 23.20(h) has the entry purged, and the platform purges it. If the suspicion still"
                                + " holds, enter the person again with the justification and source as they stand"
                                + " today.");
            }
            // the day read is the day changed: a purge that took the entry meanwhile leaves nothing to review
            if (Sql.update(c, "UPDATE persons SET review_due = ? WHERE id = ? AND review_due = ?", due, person, before)
                    == 0) {
                throw new java.util.NoSuchElementException("no person " + person + " in intervention " + intervention);
            }
            Sql.insert(
                    c,
                    "INSERT INTO person_revalidations (person_id, reason, due_before, review_due, reviewed_by,"
                            + " reviewed_at) VALUES (?, ?, ?, ?, ?, ?)",
                    person,
                    why,
                    before,
                    due,
                    caller.user().username(),
                    now);
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "person",
                    "3a",
                    "Person #" + person + " reviewed and kept on the list (28 CFR 23.20(h)); next review " + due,
                    Audience.INTELLIGENCE,
                    caller);
            return null;
        });
        Records.audit(audit, caller, site, "intelligence.review", "person:" + person, "review due " + due);
    }

    List<Revalidation> revalidations(String site, long intervention, long person, Caller caller) {
        List<Revalidation> reviews = database.read(c -> {
            Records.requirePerson(c, site, intervention, person);
            return Sql.list(
                    c,
                    "SELECT * FROM person_revalidations WHERE person_id = ? ORDER BY id",
                    rs -> new Revalidation(
                            rs.getString("reviewed_by"),
                            Sql.instant(rs, "reviewed_at"),
                            rs.getString("reason"),
                            Sql.date(rs, "due_before"),
                            Sql.date(rs, "review_due")),
                    person);
        });
        Records.audit(audit, caller, site, "person.read", "person:" + person, "reviews");
        return reviews;
    }

    List<ReviewDue> due(String site, int withinDays, Caller caller) {
        if (withinDays < 0 || withinDays > MAX_DAYS) {
            throw new InvalidInputException(
                    InputError.of("reviews due", "within", "must be between 0 and " + MAX_DAYS + " days"));
        }
        LocalDate today = Records.today(sites, clock, site);
        List<ReviewDue> due = database.read(c -> Sql.list(
                c,
                "SELECT p.id, p.intervention_id, p.name, p.review_due FROM persons p"
                        + " JOIN interventions i ON i.id = p.intervention_id"
                        + " WHERE i.site_id = ? AND p.review_due <= ? ORDER BY p.review_due, p.id",
                rs -> {
                    LocalDate day = Sql.date(rs, "review_due");
                    return new ReviewDue(
                            rs.getLong("intervention_id"),
                            rs.getLong("id"),
                            rs.getString("name"),
                            day,
                            day.isBefore(today));
                },
                site,
                today.plusDays(withinDays)));
        Records.audit(
                audit,
                caller,
                site,
                "person.list",
                "site:" + site,
                due.size() + " person(s) due for review within " + withinDays + " day(s)");
        return due;
    }

    List<Purged> purged(String site, Caller caller) {
        List<Purged> purged = database.read(c -> Sql.list(
                c,
                "SELECT * FROM purged_entries WHERE site_id = ? ORDER BY purged_at DESC, person_id DESC",
                rs -> new Purged(
                        rs.getLong("person_id"),
                        rs.getLong("intervention_id"),
                        Sql.date(rs, "review_due"),
                        Sql.date(rs, "purged_on"),
                        rs.getString("reason"),
                        rs.getString("removed")),
                site));
        Records.audit(audit, caller, site, "intelligence.purged.list", "site:" + site, purged.size() + " entries");
        return purged;
    }
}
