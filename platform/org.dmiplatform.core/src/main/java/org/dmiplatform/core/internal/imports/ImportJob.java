package org.dmiplatform.core.internal.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.store.Imports.Import;
import org.dmiplatform.api.store.Imports.Status;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Dialect;
import org.dmiplatform.core.internal.storage.SqlWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One import: the sink its adapter writes to, the staging behind it, and the transaction that publishes it with its
 * outcome. Nothing of it is visible until that transaction commits; a failure, a cancel or a crash before leaves the
 * records as they were.
 */
final class ImportJob implements Runnable, RecordSink {
    private static final Logger LOG = LoggerFactory.getLogger(ImportJob.class);
    /** The first key of PostgreSQL's advisory locks that keep a site's imports one at a time ("DMI"). */
    private static final int SITE_LOCKS = 0x444D49;

    /** What the job needs of the platform. */
    record Context(Database database, AuditLog audit, Clock clock) {}

    private final Context platform;
    private final long id;
    private final Site site;
    private final String adapterName;
    private final RecordsAdapter adapter;
    private final RecordsInput input;
    private final Optional<Long> size;
    private final Optional<Path> owned;
    private final String startedBy;
    private final Instant startedAt;
    private final Runnable onEnd;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** When the database was last asked whether a person cancelled it on another node (System.nanoTime). */
    private volatile long askedAt;
    /** How often the database is asked, at most. */
    static final long ASK_EVERY_NANOS = java.time.Duration.ofSeconds(1).toNanos();
    /** Stopped because its node stops: no outcome is written, another node (or a later start) runs it. */
    private final AtomicBoolean handedOver = new AtomicBoolean();

    private final AtomicLong read = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    /** Why rows were skipped: rows and first line by reason, for the first {@link SkipReasons#MAX} reasons. */
    private final SkipReasons skips = new SkipReasons();
    /** Delete instructions read, each one, whatever it removed. */
    private final AtomicLong deletes = new AtomicLong();

    private final AtomicLong bytes = new AtomicLong();
    private volatile Status status = Status.QUEUED;
    private volatile Instant runningSince;
    private volatile Stage stage;
    private volatile String watermark;

    ImportJob(
            Context platform,
            long id,
            Site site,
            String adapterName,
            RecordsAdapter adapter,
            RecordsInput input,
            Optional<Long> size,
            Optional<Path> owned,
            String startedBy,
            Instant startedAt,
            Runnable onEnd) {
        this.platform = platform;
        this.id = id;
        this.site = site;
        this.adapterName = adapterName;
        this.adapter = adapter;
        this.input = new Inputs.Counting(input, bytes);
        this.size = size;
        this.owned = owned;
        this.startedBy = startedBy;
        this.startedAt = startedAt;
        this.onEnd = onEnd;
    }

    long id() {
        return id;
    }

    String site() {
        return site.id();
    }

    void cancel() {
        cancelled.set(true);
    }

    /** Stops the import without an outcome, for another node to run it again from its start. */
    void handOver() {
        handedOver.set(true);
        cancelled.set(true);
    }

    /** True when it stopped without an outcome ({@link #handOver}). */
    boolean handedOver() {
        return handedOver.get();
    }

    /** The import as it stands, with its progress. */
    Import snapshot() {
        Instant now = platform.clock().instant();
        double seconds = runningSince == null
                ? 0
                : Math.max(0.001, Duration.between(runningSince, now).toMillis() / 1000.0);
        Optional<Double> fraction = size.filter(s -> s > 0).map(s -> Math.min(1.0, bytes.get() / (double) s));
        Optional<Long> remaining =
                fraction.filter(f -> f > 0 && seconds > 0).map(f -> Math.round(seconds * (1 - f) / f));
        return new Import(
                id,
                site.id(),
                adapterName,
                input.name(),
                status,
                startedBy,
                startedAt,
                Optional.empty(),
                read.get(),
                0,
                0,
                0,
                quarantined.get(),
                skipped.get(),
                0,
                0,
                fraction,
                seconds == 0 ? 0 : read.get() / seconds,
                remaining,
                List.of(),
                deletes.get(),
                0,
                skips.list());
    }

    /** Thrown inside the import to roll it back when it is cancelled. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** A database failure while staging, carried out of the sink's methods. */
    private static final class StageFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StageFailure(SQLException cause) {
            super(cause);
        }
    }

    @Override
    public void run() {
        Status outcome = Status.FAILED;
        List<String> errors = new ArrayList<>();
        try {
            if (cancelledHereOrElsewhere(true)) {
                throw new Cancelled();
            }
            status = Status.RUNNING;
            runningSince = platform.clock().instant();
            Database database = platform.database();
            try (Connection c = database.connection()) {
                Dialect dialect = database.dialect();
                // PostgreSQL stages inside the transaction that publishes; SQLite stages outside it (SqliteStage)
                SqlWork<Publish.Counts> importing = tx -> stageAndPublish(tx, dialect);
                Publish.Counts counts =
                        dialect == Dialect.POSTGRESQL ? database.transaction(c, importing) : importing.run(c);
                outcome = Status.PUBLISHED;
                log(outcome, counts, quarantined.get());
            }
        } catch (Cancelled e) {
            if (handedOver.get()) {
                LOG.info("Import {} of site {}: stopped with its node, to run again elsewhere", id, site.id());
                stage = null;
                onEnd.run();
                return;
            }
            outcome = Status.CANCELLED;
            errors.add("Cancelled; nothing of this import was published.");
        } catch (ImportHistory.AlreadyEnded e) {
            LOG.info("Import {} of site {} ended on another node: this run is dropped", id, site.id());
            stage = null;
            onEnd.run();
            return;
        } catch (InvalidInputException e) {
            e.errors().forEach(er -> errors.add(er.toString()));
        } catch (UncheckedIOException e) {
            errors.add(input.name() + ": cannot be read: " + e.getCause().getMessage());
        } catch (StageFailure e) {
            errors.add("Storing the import failed: " + e.getCause().getMessage());
            LOG.error("Import {} of site {} failed", id, site.id(), e.getCause());
        } catch (SQLException e) {
            errors.add("Storing the import failed: " + e.getMessage());
            LOG.error("Import {} of site {} failed", id, site.id(), e);
        } catch (RuntimeException e) {
            errors.add("The import failed: " + e.getMessage());
            LOG.error("Import {} of site {} failed", id, site.id(), e);
        } finally {
            stage = null;
        }
        if (outcome == Status.PUBLISHED) {
            owned.ifPresent(ImportJob::deleteQuietly);
        } else {
            unpublished(outcome, errors);
        }
        onEnd.run();
    }

    private Publish.Counts stageAndPublish(Connection c, Dialect dialect) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            // one import per site at a time across the nodes: the lock ends with this transaction, or with the
            // connection when its node dies
            org.dmiplatform.core.internal.storage.Sql.one(
                    c,
                    "SELECT pg_advisory_xact_lock(?, ?)",
                    rs -> true,
                    SITE_LOCKS,
                    site.id().hashCode());
        }
        // a run of an import that another node finished meanwhile (it was taken for gone) stops here
        String now = org.dmiplatform.core.internal.storage.Sql.one(
                        c, "SELECT status FROM imports WHERE id = ?", rs -> rs.getString(1), id)
                .orElse("");
        if (!now.equals("RUNNING") && !now.equals("QUEUED")) {
            throw new ImportHistory.AlreadyEnded(id);
        }
        if (dialect == Dialect.POSTGRESQL && firstImport(c)) {
            java.sql.Savepoint before = c.setSavepoint();
            try {
                return direct(c);
            } catch (CopyStage.NotDirect e) {
                LOG.info("Import {} of site {} withdraws records: staged instead", id, site.id());
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                LOG.info("Import {} of site {} repeats an id: staged instead", id, site.id());
            }
            // nothing of the first attempt stays, and the file is read again from its first row
            c.rollback(before);
            read.set(0);
            quarantined.set(0);
            skipped.set(0);
            skips.clear();
            deletes.set(0);
            bytes.set(0);
            watermark = null;
        }
        long startNanos = System.nanoTime();
        try (Stage s = Stage.open(c, id, dialect)) {
            readInto(s);
            long staged = System.nanoTime();
            SqlWork<Publish.Counts> publishing = tx -> {
                Publish.Counts counts = Publish.publish(tx, dialect, site.id(), id, adapter.mergesRepeats(), s);
                quarantined.addAndGet(counts.duplicates());
                // the outcome commits with the records it describes, or not at all
                published(tx, counts);
                return counts;
            };
            Publish.Counts counts = dialect == Dialect.POSTGRESQL
                    ? publishing.run(c)
                    : platform.database().transaction(c, publishing);
            LOG.info(
                    "Import {} of site {}: read and staged in {} ms, published in {} ms",
                    id,
                    site.id(),
                    (staged - startNanos) / 1_000_000,
                    (System.nanoTime() - staged) / 1_000_000);
            return counts;
        }
    }

    /**
     * The first import into a site without records, from a file (which can be read again) by an adapter that does not
     * merge repeated rows: nothing to compare, so the rows go straight into the records (PostgreSQL).
     */
    private boolean firstImport(Connection c) throws SQLException {
        if (adapter.pulls() || adapter.mergesRepeats() || size.isEmpty()) {
            return false;
        }
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT 1 FROM records WHERE site_id = ? LIMIT 1")) {
            ps.setString(1, site.id());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return !rs.next();
            }
        }
    }

    private Publish.Counts direct(Connection c) throws SQLException {
        long startNanos = System.nanoTime();
        try (CopyStage s = CopyStage.direct(c, id, site.id())) {
            readInto(s);
            Publish.Counts counts = new Publish.Counts(s.rows(), 0, 0, 0, 0, 0, 0);
            published(c, counts);
            LOG.info(
                    "Import {} of site {}: its first records, copied straight in, in {} ms",
                    id,
                    site.id(),
                    (System.nanoTime() - startNanos) / 1_000_000);
            return counts;
        }
    }

    /** Hands the input to the adapter, every row into the stage; the file has been read when it returns. */
    private void readInto(Stage s) throws SQLException {
        stage = s;
        try {
            adapter.read(input, this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (cancelledHereOrElsewhere(true)) {
            throw new Cancelled();
        }
        s.flush();
    }

    /** The outcome of a published import, in the transaction that publishes it; its kept file is let go. */
    private void published(Connection tx, Publish.Counts counts) throws SQLException {
        ImportHistory.finish(
                tx,
                id,
                Status.PUBLISHED,
                platform.clock().instant(),
                read.get(),
                counts,
                quarantined.get(),
                skipped.get(),
                deletes.get(),
                skips.text(),
                watermark,
                List.of());
        if (owned.isPresent()) {
            org.dmiplatform.core.internal.storage.Sql.update(tx, "UPDATE imports SET file = NULL WHERE id = ?", id);
        }
    }

    /** Records an outcome other than published; the file is kept so the import can run again. */
    private void unpublished(Status outcome, List<String> errors) {
        try {
            platform.database().transaction(c -> {
                ImportHistory.finish(
                        c,
                        id,
                        outcome,
                        platform.clock().instant(),
                        read.get(),
                        Publish.Counts.NONE,
                        0,
                        skipped.get(),
                        deletes.get(),
                        skips.text(),
                        null,
                        errors);
                return null;
            });
        } catch (ImportHistory.AlreadyEnded e) {
            LOG.info("Import {} ended on another node: its outcome {} here is dropped", id, outcome);
            return;
        } catch (RuntimeException e) {
            LOG.error("Import {}: cannot record its outcome {}: {}", id, outcome, e.getMessage());
        }
        log(outcome, Publish.Counts.NONE, 0);
    }

    private void log(Status outcome, Publish.Counts counts, long quarantinedRows) {
        platform.audit()
                .record(new AuditEvent(
                        startedBy,
                        site.id(),
                        "records.import",
                        "import:" + id,
                        "",
                        outcome == Status.PUBLISHED ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
                        outcome + ": " + read.get() + " read, " + counts.inserted() + " new, " + counts.updated()
                                + " changed, " + quarantinedRows + " quarantined, " + counts.merged() + " merged, "
                                + counts.deleted() + " deleted"));
        LOG.info(
                "Import {} of site {} {}: {} read, {} new, {} changed, {} unchanged, {} quarantined, {} skipped, {} merged,"
                        + " {} deleted",
                id,
                site.id(),
                outcome,
                read.get(),
                counts.inserted(),
                counts.updated(),
                counts.unchanged(),
                quarantinedRows,
                skipped.get(),
                counts.merged(),
                counts.deleted());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete the import file {}: {}", file, e.getMessage());
        }
    }

    // ---- the sink ---------------------------------------------------------------------------------------

    @Override
    public ZoneId zone() {
        return site.timeZone();
    }

    @Override
    public void accept(CrimeRecord record) {
        read.incrementAndGet();
        Optional<RecordChecks.Problem> problem =
                RecordChecks.check(record, platform.clock().instant(), site.bounds());
        try {
            if (problem.isPresent()) {
                quarantined.incrementAndGet();
                stage.quarantine(
                        record.line(), problem.get().field(), problem.get().reason(), record.sourceId());
            } else {
                stage.add(record);
            }
        } catch (SQLException e) {
            throw new StageFailure(e);
        }
    }

    @Override
    public void reject(long line, String field, String reason, String raw) {
        read.incrementAndGet();
        quarantined.incrementAndGet();
        try {
            stage.quarantine(line, field, reason, raw);
        } catch (SQLException e) {
            throw new StageFailure(e);
        }
    }

    @Override
    public void delete(long line, RecordKind kind, String sourceId) {
        read.incrementAndGet();
        deletes.incrementAndGet();
        try {
            stage.delete(line, kind, sourceId);
        } catch (SQLException e) {
            throw new StageFailure(e);
        }
    }

    @Override
    public void skipped(long line, String why) {
        read.incrementAndGet();
        skipped.incrementAndGet();
        skips.add(line, why);
    }

    @Override
    public void watermark(String value) {
        watermark = org.dmiplatform.core.internal.store.RecordRows.cut(value, 200);
    }

    /** Asked by the adapter as it reads: cancelled on this node, or (looked up once a second) on another. */
    @Override
    public boolean cancelled() {
        return cancelledHereOrElsewhere(false);
    }

    /**
     * True once the import is cancelled: on this node ({@link #cancel}), or by a person on another node, who can only
     * ask through the database ({@code imports.cancel_requested}); that is looked up at most once a second, or now.
     */
    private boolean cancelledHereOrElsewhere(boolean now) {
        if (cancelled.get()) {
            return true;
        }
        long at = System.nanoTime();
        if (!now && at - askedAt < ASK_EVERY_NANOS) {
            return false;
        }
        askedAt = at;
        try {
            if (ImportHistory.cancelRequested(platform.database(), id)) {
                LOG.info("Import {} of site {}: cancelled by a person on another node", id, site.id());
                cancelled.set(true);
            }
        } catch (org.dmiplatform.api.StorageUnavailableException e) {
            // asked again in a second; the import's own writes will say if storage is gone
        }
        return cancelled.get();
    }
}
