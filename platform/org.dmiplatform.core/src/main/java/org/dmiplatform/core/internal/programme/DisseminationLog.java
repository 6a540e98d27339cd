package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Market.Copy;
import org.dmiplatform.api.programme.Market.Dissemination;
import org.dmiplatform.api.programme.Market.Release;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;

/**
 * 28 CFR 23.20(g): every copy of intelligence given out of the platform as a file (the notebook, the dealer list, a
 * letter) is recorded with who gave it, when, which entries, to whom and why. Reading on screen is audited, not
 * recorded here: the copy that leaves is what the log follows.
 */
final class DisseminationLog {
    /** Who reads the log: those who answer for the intelligence at the site. */
    static final Role[] READERS = {Role.POLICE, Role.SITE_ADMIN};

    static final int PAGE = 50;
    static final int MAX_PAGE = 500;

    private DisseminationLog() {}

    /** Refuses a release without its recipient and reason, naming each missing field. */
    static Release checked(Release release) {
        Check check = new Check("dissemination");
        String recipient = check.text("recipient", release == null ? null : release.recipient(), 300);
        String reason = check.text("reason", release == null ? null : release.reason(), 1000);
        check.done();
        return new Release(recipient, reason);
    }

    /** Records a copy given out, in the work's transaction; answers its id. */
    static long record(
            Connection c,
            String site,
            long intervention,
            Copy copy,
            List<Long> persons,
            Release release,
            Caller caller,
            Instant at)
            throws SQLException {
        long id = Sql.insert(
                c,
                "INSERT INTO disseminations (site_id, intervention_id, copy, recipient, reason, given_by, given_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                site,
                intervention,
                copy,
                release.recipient(),
                release.reason(),
                caller.user().username(),
                at);
        for (long person : new TreeSet<>(persons)) {
            Sql.update(c, "INSERT INTO dissemination_persons (dissemination_id, person_id) VALUES (?, ?)", id, person);
        }
        return id;
    }

    /** The audit entry of a dissemination: ids only, never the recipient's words (they may name someone). */
    static void audit(AuditLog audit, Caller caller, String site, long id, Copy copy, List<Long> persons) {
        Records.audit(
                audit,
                caller,
                site,
                "intelligence.disseminate",
                "dissemination:" + id,
                copy.name().toLowerCase(java.util.Locale.ROOT) + ", " + persons.size() + " person(s)");
    }

    private record Row(long id, long intervention, Copy copy, String recipient, String reason, String by, Instant at) {}

    static List<Dissemination> list(
            Database database, AuditLog audit, String site, Optional<Long> before, int limit, Caller caller) {
        caller.require(site, "reading the dissemination log (28 CFR 23.20(g))", READERS);
        int size = limit <= 0 ? PAGE : Math.min(limit, MAX_PAGE);
        List<Dissemination> page = database.read(c -> {
            String sql = "SELECT * FROM disseminations WHERE site_id = ?" + (before.isPresent() ? " AND id < ?" : "")
                    + " ORDER BY id DESC LIMIT " + size;
            Object[] args = before.isPresent() ? new Object[] {site, before.get()} : new Object[] {site};
            List<Row> rows = Sql.list(
                    c,
                    sql,
                    rs -> new Row(
                            rs.getLong("id"),
                            rs.getLong("intervention_id"),
                            Copy.valueOf(rs.getString("copy")),
                            rs.getString("recipient"),
                            rs.getString("reason"),
                            rs.getString("given_by"),
                            Sql.instant(rs, "given_at")),
                    args);
            Map<Long, List<Long>> persons = new HashMap<>();
            if (!rows.isEmpty()) {
                Sql.list(
                        c,
                        "SELECT x.dissemination_id, x.person_id FROM dissemination_persons x"
                                + " JOIN disseminations d ON d.id = x.dissemination_id"
                                + " WHERE d.site_id = ? AND d.id BETWEEN ? AND ? ORDER BY x.person_id",
                        rs -> persons.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(rs.getLong(2)),
                        site,
                        rows.get(rows.size() - 1).id(),
                        rows.get(0).id());
            }
            List<Dissemination> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Dissemination(
                        r.id(),
                        r.intervention(),
                        r.copy(),
                        persons.getOrDefault(r.id(), List.of()),
                        r.recipient(),
                        r.reason(),
                        r.by(),
                        r.at()));
            }
            return out;
        });
        Records.audit(audit, caller, site, "dissemination.list", "site:" + site, page.size() + " entries");
        return page;
    }
}
