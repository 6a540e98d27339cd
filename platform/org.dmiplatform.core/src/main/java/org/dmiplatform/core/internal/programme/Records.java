package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.NoSuchElementException;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.dmiplatform.core.internal.storage.SqlWork;

/**
 * What every programme service shares: records are reached only through their site, so an id of another site
 * reads as missing; and one way of writing to the audit log and the timeline.
 */
final class Records {
    private Records() {}

    /** Refuses an intervention that does not exist or belongs to another site. */
    static void requireIntervention(Connection c, String site, long intervention) throws SQLException {
        if (Sql.one(
                        c,
                        "SELECT id FROM interventions WHERE id = ? AND site_id = ?",
                        rs -> rs.getLong(1),
                        intervention,
                        site)
                .isEmpty()) {
            throw new NoSuchElementException("no intervention " + intervention + " at " + site);
        }
    }

    /** Reads within an intervention of the site, refusing one that is not there. */
    static <T> T inIntervention(Database database, String site, long intervention, SqlWork<T> work) {
        return database.read(c -> {
            requireIntervention(c, site, intervention);
            return work.run(c);
        });
    }

    /**
     * Refuses a referral that is not one of this intervention's at this site; answers its category (a
     * {@code ServiceCategory} name).
     */
    static String requireReferral(Connection c, String site, long intervention, long referral) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT x.category FROM referrals x JOIN persons p ON p.id = x.person_id"
                                + " JOIN interventions i ON i.id = p.intervention_id"
                                + " WHERE x.id = ? AND p.intervention_id = ? AND i.site_id = ?",
                        rs -> rs.getString(1),
                        referral,
                        intervention,
                        site)
                .orElseThrow(() ->
                        new NoSuchElementException("no referral " + referral + " in intervention " + intervention));
    }

    /**
     * The platform itself reading a site's record counts (the market watch, the cross-site measures): the system actor,
     * with the research partner's rights there, so that the records store checks and audits it like anyone.
     */
    static org.dmiplatform.api.access.Caller platform(String site, String what) {
        return new org.dmiplatform.api.access.Caller(
                new org.dmiplatform.api.access.User(
                        0,
                        org.dmiplatform.api.access.Actor.SYSTEM.name(),
                        "DMI Platform (" + what + ")",
                        List.of(org.dmiplatform.api.access.Grant.at(site, org.dmiplatform.api.access.Role.RESEARCH)),
                        true,
                        false,
                        java.time.Instant.EPOCH),
                org.dmiplatform.api.access.Actor.SYSTEM.from());
    }

    /** A kind of service as people say it: "drug treatment". */
    static String label(org.dmiplatform.api.programme.Market.ServiceCategory category) {
        return category.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** Today at the site: the day a person there would write, in its time zone. */
    static java.time.LocalDate today(org.dmiplatform.api.Sites sites, java.time.Clock clock, String site) {
        return java.time.LocalDate.ofInstant(clock.instant(), zone(sites, site));
    }

    /** The site's time zone. */
    static java.time.ZoneId zone(org.dmiplatform.api.Sites sites, String site) {
        return sites.find(site)
                .orElseThrow(() -> new java.util.NoSuchElementException("no site '" + site + "'"))
                .timeZone();
    }

    /** Refuses a person who is not on this intervention's list at this site. */
    static void requirePerson(Connection c, String site, long intervention, long person) throws SQLException {
        if (Sql.one(
                        c,
                        "SELECT p.id FROM persons p JOIN interventions i ON i.id = p.intervention_id"
                                + " WHERE p.id = ? AND p.intervention_id = ? AND i.site_id = ?",
                        rs -> rs.getLong(1),
                        person,
                        intervention,
                        site)
                .isEmpty()) {
            throw new NoSuchElementException("no person " + person + " in intervention " + intervention);
        }
    }

    /**
     * Writes a dated event to the intervention's timeline, readable by the roles of its audience only: the roles that
     * may read the record it is about.
     */
    static void timeline(
            Connection c,
            long intervention,
            java.time.Instant at,
            String kind,
            String step,
            String what,
            Audience audience,
            Caller caller)
            throws SQLException {
        insert(c, intervention, at, null, at, kind, step, what, audience, caller);
    }

    /** A timeline entry for an event known to the day (a meeting held, a letter mailed), made now. */
    static void timelineOn(
            Connection c,
            long intervention,
            java.time.LocalDate on,
            java.time.Instant now,
            String kind,
            String step,
            String what,
            Audience audience,
            Caller caller)
            throws SQLException {
        insert(c, intervention, now, on, now, kind, step, what, audience, caller);
    }

    /** A timeline entry for an event that happened at a known time (the call-in), made now. */
    static void timelineAt(
            Connection c,
            long intervention,
            java.time.Instant happened,
            java.time.Instant now,
            String kind,
            String step,
            String what,
            Audience audience,
            Caller caller)
            throws SQLException {
        insert(c, intervention, happened, null, now, kind, step, what, audience, caller);
    }

    private static void insert(
            Connection c,
            long intervention,
            java.time.Instant happened,
            java.time.LocalDate on,
            java.time.Instant recorded,
            String kind,
            String step,
            String what,
            Audience audience,
            Caller caller)
            throws SQLException {
        Sql.update(
                c,
                "INSERT INTO timeline (intervention_id, occurred_at, happened_on, recorded_at, kind, step_id, what, done_by, audience) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                intervention,
                happened,
                on,
                recorded,
                kind,
                step,
                what.length() > 500 ? what.substring(0, 500) : what,
                caller.user().username(),
                audience);
    }

    static void audit(AuditLog audit, Caller caller, String site, String action, String target, String detail) {
        audit.record(new AuditEvent(
                caller.user().username(), site, action, target, caller.from(), AuditOutcome.SUCCESS, detail));
    }
}
