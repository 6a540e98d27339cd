package org.dmiplatform.core.internal.imports;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.store.Imports.Import;
import org.dmiplatform.api.store.Imports.Status;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.dmiplatform.core.internal.store.RecordRows;

/** The {@code imports} table: each import's outcome and counts, the file it reads and the watermark a pull reached. */
final class ImportHistory {
    private static final String SELECT =
            "SELECT id, site_id, adapter, name, status, started_by, started_at, finished_at,"
                    + " rows_read, inserted, updated, unchanged, quarantined, skipped, merged, deleted, deletes, withdrawn,"
                    + " skip_reasons, errors, file, file_owned"
                    + " FROM imports";

    /** An import as stored, with the file it reads (kept until it publishes, so it can run again). */
    record Stored(Import outcome, Optional<Path> file, boolean owned) {}

    private final Database database;

    ImportHistory(Database database) {
        this.database = database;
    }

    long queue(String site, String adapter, String name, String startedBy, Instant at) {
        return database.transaction(c -> Sql.insert(
                c,
                "INSERT INTO imports (site_id, adapter, name, status, started_by, started_at, rows_read, inserted,"
                        + " updated, unchanged, quarantined, skipped, errors) VALUES (?, ?, ?, 'QUEUED', ?, ?, 0, 0, 0, 0, 0, 0, '')",
                site,
                RecordRows.cut(adapter, 200),
                RecordRows.cut(name, 300),
                startedBy,
                at));
    }

    /** Where the import's file is; {@code owned}: the platform deletes it once the import has published. */
    void file(long id, Path file, boolean owned) {
        database.transaction(c ->
                Sql.update(c, "UPDATE imports SET file = ?, file_owned = ? WHERE id = ?", file.toString(), owned, id));
    }

    /** Marks the import running, unless it has ended (on another node, or cancelled); true when it may run. */
    boolean running(long id) {
        return database.transaction(c -> Sql.update(
                        c,
                        "UPDATE imports SET status = 'RUNNING' WHERE id = ? AND status IN ('QUEUED', 'RUNNING')",
                        id))
                == 1;
    }

    /**
     * Asks the node running the import to cancel it (a person asked on another node); true when it is running. The
     * running node looks at this once a second and rolls the import back.
     */
    boolean requestCancel(long id) {
        return database.transaction(c -> Sql.update(
                        c, "UPDATE imports SET cancel_requested = TRUE WHERE id = ? AND status = 'RUNNING'", id))
                == 1;
    }

    /** True when a person asked, on any node, that the import be cancelled. */
    static boolean cancelRequested(Database database, long id) {
        return database.read(c ->
                        Sql.one(c, "SELECT cancel_requested FROM imports WHERE id = ?", rs -> rs.getBoolean(1), id))
                .orElse(false);
    }

    /** Cancels an import that has not started; true when it had not. */
    boolean cancelQueued(long id, Instant at) {
        return database.transaction(c -> Sql.update(
                        c,
                        "UPDATE imports SET status = 'CANCELLED', finished_at = ?, errors = ? WHERE id = ? AND status ="
                                + " 'QUEUED'",
                        at,
                        "Cancelled before it started; nothing of this import was published.",
                        id))
                == 1;
    }

    /** The outcome, on the connection given: for a publish, in its own transaction, so both commit or neither. */
    static void finish(
            Connection c,
            long id,
            Status status,
            Instant at,
            long read,
            Publish.Counts counts,
            long quarantined,
            long skipped,
            long deletes,
            String skipReasons,
            String watermark,
            List<String> errors)
            throws SQLException {
        int written = Sql.update(
                c,
                "UPDATE imports SET status = ?, finished_at = ?, rows_read = ?, inserted = ?, updated = ?, unchanged = ?,"
                        + " quarantined = ?, skipped = ?, merged = ?, deleted = ?, deletes = ?, withdrawn = ?,"
                        + " skip_reasons = ?, watermark = ?, errors = ? WHERE id = ? AND status IN ('QUEUED', 'RUNNING')",
                status,
                at,
                read,
                counts.inserted(),
                counts.updated(),
                counts.unchanged(),
                quarantined,
                skipped,
                counts.merged(),
                counts.deleted(),
                deletes,
                counts.withdrawn(),
                skipReasons,
                watermark,
                RecordRows.cut(String.join("\n", errors), 4000),
                id);
        if (written != 1) {
            // another node finished it first (its node was taken for gone): this outcome is not written
            throw new AlreadyEnded(id);
        }
    }

    /** The import ended already, elsewhere: an outcome computed here is dropped. */
    static final class AlreadyEnded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AlreadyEnded(long id) {
            super("import " + id + " has ended already");
        }
    }

    /** An import not ended: its id and when it was started. */
    record Unfinished(long id, Instant startedAt) {}

    /** Imports queued or running, on any node. */
    List<Unfinished> unfinished() {
        return database.read(c -> Sql.list(
                c,
                "SELECT id, started_at FROM imports WHERE status IN ('RUNNING', 'QUEUED') ORDER BY id",
                rs -> new Unfinished(rs.getLong(1), Sql.instant(rs, "started_at"))));
    }

    /** True while an import of the site is queued or running, on any node. */
    boolean busy(String site) {
        return database.read(c -> Sql.one(
                        c,
                        "SELECT 1 FROM imports WHERE site_id = ? AND status IN ('RUNNING', 'QUEUED') LIMIT 1",
                        rs -> true,
                        site))
                .isPresent();
    }

    /** Imports no node runs any more (a stop or a crash left them queued or running): none of them published. */
    int interrupted(Instant at, java.util.Collection<Long> ids) {
        int marked = 0;
        for (long id : ids) {
            marked += database.transaction(c -> Sql.update(
                    c,
                    "UPDATE imports SET status = 'INTERRUPTED', finished_at = ?, errors = ? WHERE id = ? AND status IN"
                            + " ('RUNNING', 'QUEUED')",
                    at,
                    "The platform stopped during the import; nothing of it was published. It can be run again.",
                    id));
        }
        return marked;
    }

    Optional<String> lastWatermark(String site, String adapter) {
        return database.read(c -> Sql.one(
                c,
                "SELECT watermark FROM imports WHERE site_id = ? AND adapter = ? AND status = 'PUBLISHED' AND watermark IS NOT NULL"
                        + " ORDER BY id DESC LIMIT 1",
                rs -> rs.getString(1),
                site,
                adapter));
    }

    Optional<Instant> lastStart(String site, String adapter) {
        return database.read(c -> Sql.one(
                        c,
                        "SELECT MAX(started_at) AS last_start FROM imports WHERE site_id = ? AND adapter = ?",
                        rs -> Sql.optionalInstant(rs, "last_start"),
                        site,
                        adapter))
                .flatMap(o -> o);
    }

    List<Stored> list(String site, int limit) {
        return database.read(c ->
                Sql.list(c, SELECT + " WHERE site_id = ? ORDER BY id DESC LIMIT ?", ImportHistory::row, site, limit));
    }

    /** The import with this id, at whichever site. */
    Optional<Stored> find(long id) {
        return database.read(c -> Sql.one(c, SELECT + " WHERE id = ?", ImportHistory::row, id));
    }

    Optional<Stored> find(String site, long id) {
        return database.read(c -> Sql.one(c, SELECT + " WHERE site_id = ? AND id = ?", ImportHistory::row, site, id));
    }

    /** Files of imports that ended before {@code before} without publishing and are still kept. */
    List<Path> keptFilesBefore(Instant before) {
        return database.read(c -> Sql.list(
                c,
                "SELECT file FROM imports WHERE file IS NOT NULL AND file_owned = TRUE AND finished_at < ?",
                rs -> Paths.get(rs.getString(1)),
                before));
    }

    void forgetFile(Path file) {
        database.transaction(c -> Sql.update(c, "UPDATE imports SET file = NULL WHERE file = ?", file.toString()));
    }

    private static Stored row(ResultSet rs) throws SQLException {
        String errors = rs.getString("errors");
        String file = rs.getString("file");
        Import outcome = new Import(
                rs.getLong("id"),
                rs.getString("site_id"),
                rs.getString("adapter"),
                rs.getString("name"),
                Status.valueOf(rs.getString("status")),
                rs.getString("started_by"),
                Sql.instant(rs, "started_at"),
                Sql.optionalInstant(rs, "finished_at"),
                rs.getLong("rows_read"),
                rs.getLong("inserted"),
                rs.getLong("updated"),
                rs.getLong("unchanged"),
                rs.getLong("quarantined"),
                rs.getLong("skipped"),
                rs.getLong("merged"),
                rs.getLong("deleted"),
                Optional.empty(),
                0,
                Optional.empty(),
                errors.isEmpty() ? List.of() : List.of(errors.split("\n")),
                rs.getLong("deletes"),
                rs.getLong("withdrawn"),
                SkipReasons.parse(rs.getString("skip_reasons")));
        return new Stored(outcome, Optional.ofNullable(file).map(Paths::get), rs.getBoolean("file_owned"));
    }
}
