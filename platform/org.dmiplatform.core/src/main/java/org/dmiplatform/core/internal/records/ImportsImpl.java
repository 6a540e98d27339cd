package org.dmiplatform.core.internal.records;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.Imports;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The import pipeline. Each import runs in the background, one at a time per site: the adapter's rows are checked,
 * staged and quarantined inside one transaction, then published with one MERGE and committed; a failure or a
 * cancel rolls it all back. Progress of running imports is kept in memory; their history in the database.
 */
@Component(service = Imports.class)
public class ImportsImpl implements Imports {
    private static final Logger LOG = LoggerFactory.getLogger(ImportsImpl.class);
    /** Who may import and read the import history. */
    static final Role[] IMPORTERS = {Role.POLICE, Role.SITE_ADMIN};

    static final Role[] READERS = {Role.POLICE, Role.SITE_ADMIN, Role.RESEARCH, Role.POC, Role.PROSECUTOR};

    /** The adapters bound to a site now, by name; each taken for the length of one import. */
    public interface AdapterDirectory {
        List<Bound> adapters(String site);

        /**
         * @param pullMinutes for an adapter that pulls, how often the platform pulls by itself (its service property
         *     {@value ImportsImpl#PULL_MINUTES}); 0 when only on request
         */
        record Bound(String name, RecordsAdapter adapter, int pullMinutes, Runnable release) {
            public Bound(String name, RecordsAdapter adapter, Runnable release) {
                this(name, adapter, 0, release);
            }
        }
    }

    /** Service property of a pulling adapter: pull every so many minutes. */
    public static final String PULL_MINUTES = "dmi.pull.minutes";

    private final Database database;
    private final Sites sites;
    private final AuditLog audit;
    private final AdapterDirectory directory;
    private final Clock clock;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> new Thread(r, "dmi-import"));
    private final ScheduledExecutorService schedule =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "dmi-pull-schedule"));
    private final Map<Long, Job> running = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> siteLocks = new ConcurrentHashMap<>();

    @Activate
    public ImportsImpl(
            @Reference Database database, @Reference Sites sites, @Reference AuditLog audit, BundleContext context) {
        this(database, sites, audit, osgiAdapters(context), Clock.systemUTC());
        schedule.scheduleWithFixedDelay(this::pullWhenDue, 1, 1, TimeUnit.MINUTES);
    }

    public ImportsImpl(Database database, Sites sites, AuditLog audit, AdapterDirectory directory, Clock clock) {
        this.database = database;
        this.sites = sites;
        this.audit = audit;
        this.directory = directory;
        this.clock = clock;
        interruptedImportsFailed();
    }

    /** Cancels what runs (each rolls back) and stops the workers. */
    @Deactivate
    public void deactivate() {
        schedule.shutdownNow();
        running.values().forEach(Job::cancel);
        workers.shutdown();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Imports left running by a stop were rolled back by the database; say so in their history. */
    private void interruptedImportsFailed() {
        try {
            database.transaction(c -> Sql.update(
                    c,
                    "UPDATE imports SET status = 'FAILED', finished_at = ?, errors = ? WHERE status IN ('RUNNING', 'QUEUED')",
                    clock.instant(),
                    "The platform stopped during the import; nothing of it was published."));
        } catch (RuntimeException e) {
            LOG.warn("Cannot close interrupted imports yet: {}", e.getMessage());
        }
    }

    private static AdapterDirectory osgiAdapters(BundleContext context) {
        return site -> {
            Collection<ServiceReference<RecordsAdapter>> refs;
            try {
                refs = context.getServiceReferences(
                        RecordsAdapter.class, "(" + Site.SERVICE_PROPERTY + "=" + site + ")");
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException(e);
            }
            List<ServiceReference<RecordsAdapter>> sorted = new ArrayList<>(refs);
            sorted.sort(java.util.Collections.reverseOrder());
            List<AdapterDirectory.Bound> out = new ArrayList<>();
            for (ServiceReference<RecordsAdapter> ref : sorted) {
                RecordsAdapter adapter = context.getService(ref);
                if (adapter != null) {
                    Object name = ref.getProperty(PluginKind.NAME_PROPERTY);
                    if (name == null) {
                        name = ref.getProperty("component.name");
                    }
                    out.add(new AdapterDirectory.Bound(
                            String.valueOf(name),
                            adapter,
                            minutes(ref.getProperty(PULL_MINUTES)),
                            () -> context.ungetService(ref)));
                }
            }
            return out;
        };
    }

    private static int minutes(Object value) {
        try {
            return value == null
                    ? 0
                    : Math.max(0, Integer.parseInt(value.toString().strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Starts the pulls that are due: an adapter with {@value #PULL_MINUTES} pulls when its last pull started that
     * long ago and nothing is importing at its site. The pull runs as the platform, audited like any other.
     */
    void pullWhenDue() {
        try {
            Instant now = clock.instant();
            for (Site site : sites.list()) {
                boolean busy =
                        running.values().stream().anyMatch(j -> j.site.id().equals(site.id()));
                for (AdapterDirectory.Bound bound : directory.adapters(site.id())) {
                    boolean due = !busy
                            && bound.pullMinutes() > 0
                            && bound.adapter().pulls()
                            && lastStart(site.id(), bound.name())
                                    .map(at -> !at.plus(Duration.ofMinutes(bound.pullMinutes()))
                                            .isAfter(now))
                                    .orElse(true);
                    bound.release().run();
                    if (due) {
                        LOG.info("Site {}: pulling by {} (every {} min)", site.id(), bound.name(), bound.pullMinutes());
                        pull(site.id(), Optional.of(bound.name()), platform(site.id()));
                        busy = true;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Scheduled pulls: {}", e.getMessage());
        }
    }

    private Optional<Instant> lastStart(String site, String adapter) {
        return database.read(c -> Sql.one(
                        c,
                        "SELECT MAX(started_at) AS last_start FROM imports WHERE site_id = ? AND adapter = ?",
                        rs -> Sql.optionalInstant(rs, "last_start"),
                        site,
                        adapter))
                .flatMap(o -> o);
    }

    /** The platform itself, acting at one site as its administrator would. */
    private static Caller platform(String site) {
        return new Caller(
                new User(
                        0,
                        Actor.SYSTEM.name(),
                        "DMI Platform",
                        List.of(Grant.at(site, Role.SITE_ADMIN)),
                        true,
                        false,
                        Instant.EPOCH),
                Actor.SYSTEM.from());
    }

    private Site site(String id) {
        return sites.find(id).orElseThrow(() -> new NoSuchElementException("no site '" + id + "'"));
    }

    @Override
    public List<String> adapters(String site) {
        site(site);
        List<String> names = new ArrayList<>();
        for (AdapterDirectory.Bound bound : directory.adapters(site)) {
            names.add(bound.name() + ": " + bound.adapter().describe());
            bound.release().run();
        }
        return names;
    }

    /** The adapter named, or the site's only (or highest-ranked) one; the others released. */
    private AdapterDirectory.Bound adapter(String site, Optional<String> name, boolean pull) {
        List<AdapterDirectory.Bound> bound = directory.adapters(site);
        AdapterDirectory.Bound chosen = null;
        for (AdapterDirectory.Bound b : bound) {
            // a file goes to an adapter that reads files, a pull to one that pulls
            boolean fits = name.map(n -> n.equals(b.name())).orElse(true)
                    && b.adapter().pulls() == pull;
            if (chosen == null && fits) {
                chosen = b;
            } else {
                b.release().run();
            }
        }
        if (chosen == null) {
            String what = name.map(n -> "no records adapter '" + n + "'")
                    .orElse(pull ? "no records adapter that pulls" : "no records adapter that reads files");
            throw new InvalidInputException(InputError.of(
                    "site " + site,
                    "adapter",
                    what + " is bound to site " + site
                            + "; install one (for example the feature dmi-adapter-csv) and configure it for the site"));
        }
        return chosen;
    }

    @Override
    public Import start(
            String site, Optional<String> adapterName, Path file, String name, boolean owned, Caller caller) {
        caller.require(site, "importing records", IMPORTERS);
        Site where = site(site);
        AdapterDirectory.Bound adapter = adapter(site, adapterName, false);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            adapter.release().run();
            throw new InvalidInputException(InputError.of(name, "", "cannot be read: " + e.getMessage()));
        }
        RecordsInput input = new FileInput(name, file, lastWatermark(site, adapter.name()));
        return launch(where, adapter, input, Optional.of(size), owned ? Optional.of(file) : Optional.empty(), caller);
    }

    @Override
    public Import pull(String site, Optional<String> adapterName, Caller caller) {
        caller.require(site, "pulling records", IMPORTERS);
        Site where = site(site);
        AdapterDirectory.Bound adapter = adapter(site, adapterName, true);
        RecordsInput input = new PullInput("pull by " + adapter.name(), lastWatermark(site, adapter.name()));
        return launch(where, adapter, input, Optional.empty(), Optional.empty(), caller);
    }

    private Optional<String> lastWatermark(String site, String adapter) {
        return database.read(c -> Sql.one(
                c,
                "SELECT watermark FROM imports WHERE site_id = ? AND adapter = ? AND status = 'PUBLISHED' AND watermark IS NOT NULL"
                        + " ORDER BY id DESC",
                rs -> rs.getString(1),
                site,
                adapter));
    }

    private Import launch(
            Site site,
            AdapterDirectory.Bound adapter,
            RecordsInput input,
            Optional<Long> size,
            Optional<Path> owned,
            Caller caller) {
        Instant now = clock.instant();
        long id = database.transaction(c -> Sql.insert(
                c,
                "INSERT INTO imports (site_id, adapter, name, status, started_by, started_at, rows_read, inserted,"
                        + " updated, unchanged, quarantined, skipped, errors) VALUES (?, ?, ?, 'QUEUED', ?, ?, 0, 0, 0, 0, 0, 0, '')",
                site.id(),
                Stage.cut(adapter.name(), 200),
                Stage.cut(input.name(), 300),
                caller.user().username(),
                now));
        audit.record(new AuditEvent(
                caller.user().username(),
                site.id(),
                "records.import",
                "import:" + id,
                caller.from(),
                AuditOutcome.SUCCESS,
                adapter.name() + " " + input.name()));
        Job job = new Job(id, site, adapter, input, size, owned, caller.user().username(), now);
        running.put(id, job);
        workers.execute(job);
        return job.snapshot();
    }

    @Override
    public List<Import> history(String site, int limit) {
        site(site);
        return database.read(c -> Sql.list(
                c,
                SELECT + " WHERE site_id = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY",
                this::row,
                site,
                Math.max(1, Math.min(limit, 500))));
    }

    @Override
    public Import find(String site, long id) {
        return database.read(c -> Sql.one(c, SELECT + " WHERE site_id = ? AND id = ?", this::row, site, id))
                .orElseThrow(() -> new NoSuchElementException("no import " + id + " at " + site));
    }

    @Override
    public List<Quarantined> quarantine(String site, long id, int limit) {
        find(site, id);
        return database.read(c -> Sql.list(
                c,
                "SELECT line, field, reason, raw FROM import_quarantine WHERE import_id = ? ORDER BY line FETCH FIRST ? ROWS ONLY",
                rs -> new Quarantined(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                id,
                Math.max(1, Math.min(limit, 10_000))));
    }

    @Override
    public Import cancel(String site, long id, Caller caller) {
        caller.require(site, "cancelling an import", IMPORTERS);
        find(site, id);
        Job job = running.get(id);
        if (job != null) {
            job.cancel();
            audit.record(new AuditEvent(
                    caller.user().username(),
                    site,
                    "records.cancel",
                    "import:" + id,
                    caller.from(),
                    AuditOutcome.SUCCESS,
                    ""));
        }
        return find(site, id);
    }

    @Override
    public List<CrimeRecord> records(String site, RecordKind kind, int limit) {
        return database.read(c -> Sql.list(
                c,
                "SELECT * FROM records WHERE site_id = ? AND kind = ? ORDER BY occurred_from DESC, source_id FETCH FIRST ? ROWS ONLY",
                ImportsImpl::record,
                site,
                kind.name(),
                Math.max(1, Math.min(limit, 10_000))));
    }

    @Override
    public long count(String site, RecordKind kind) {
        return database.read(c -> Sql.one(
                        c,
                        "SELECT COUNT(*) FROM records WHERE site_id = ? AND kind = ?",
                        rs -> rs.getLong(1),
                        site,
                        kind.name()))
                .orElse(0L);
    }

    private static CrimeRecord record(ResultSet rs) throws SQLException {
        double lon = rs.getDouble("longitude");
        Optional<CrimeRecord.Location> location =
                rs.wasNull() ? Optional.empty() : Optional.of(new CrimeRecord.Location(lon, rs.getDouble("latitude")));
        return new CrimeRecord(
                RecordKind.valueOf(rs.getString("kind")),
                rs.getString("source_id"),
                Sql.instant(rs, "occurred_from"),
                Sql.optionalInstant(rs, "occurred_to"),
                Sql.optionalInstant(rs, "reported_at"),
                rs.getString("code"),
                rs.getString("code_text"),
                Category.valueOf(rs.getString("category")),
                rs.getBoolean("part_one"),
                Optional.ofNullable(rs.getString("nibrs_code")),
                Optional.ofNullable(rs.getString("drug_type")),
                location,
                rs.getString("address"),
                rs.getString("beat"),
                rs.getString("district"),
                0);
    }

    private static final String SELECT =
            "SELECT id, site_id, adapter, name, status, started_by, started_at, finished_at, rows_read, inserted, updated, unchanged,"
                    + " quarantined, skipped, merged, deleted, errors FROM imports";

    private Import row(ResultSet rs) throws SQLException {
        Job job = running.get(rs.getLong("id"));
        if (job != null) {
            return job.snapshot();
        }
        String errors = rs.getString("errors");
        return new Import(
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
                errors.isEmpty() ? List.of() : List.of(errors.split("\n")));
    }

    /** Thrown inside the import's transaction to roll it back when it is cancelled. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** One import: the sink the adapter writes to, and the transaction around it. */
    private final class Job implements Runnable, RecordSink {
        private final long id;
        private final Site site;
        private final AdapterDirectory.Bound adapter;
        private final RecordsInput input;
        private final Optional<Long> size;
        private final Optional<Path> owned;
        private final String startedBy;
        private final Instant startedAt;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicLong read = new AtomicLong();
        private final AtomicLong quarantined = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private volatile Status status = Status.QUEUED;
        private volatile Instant runningSince;
        private volatile Stage stage;
        private volatile String watermark;

        Job(
                long id,
                Site site,
                AdapterDirectory.Bound adapter,
                RecordsInput input,
                Optional<Long> size,
                Optional<Path> owned,
                String startedBy,
                Instant startedAt) {
            this.id = id;
            this.site = site;
            this.adapter = adapter;
            this.input = new CountingInput(input, bytes);
            this.size = size;
            this.owned = owned;
            this.startedBy = startedBy;
            this.startedAt = startedAt;
        }

        void cancel() {
            cancelled.set(true);
        }

        Import snapshot() {
            Instant now = clock.instant();
            double seconds = runningSince == null
                    ? 0
                    : Math.max(0.001, Duration.between(runningSince, now).toMillis() / 1000.0);
            Optional<Double> fraction = size.filter(s -> s > 0).map(s -> Math.min(1.0, bytes.get() / (double) s));
            Optional<Long> remaining =
                    fraction.filter(f -> f > 0 && seconds > 0).map(f -> Math.round(seconds * (1 - f) / f));
            return new Import(
                    id,
                    site.id(),
                    adapter.name(),
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
                    List.of());
        }

        @Override
        public void run() {
            ReentrantLock lock = siteLocks.computeIfAbsent(site.id(), s -> new ReentrantLock());
            lock.lock();
            Status outcome = Status.FAILED;
            List<String> errors = new ArrayList<>();
            Publish.Counts counts = Publish.Counts.NONE;
            try {
                if (cancelled.get()) {
                    throw new Cancelled();
                }
                status = Status.RUNNING;
                runningSince = clock.instant();
                counts = database.transaction(c -> {
                    long startNanos = System.nanoTime();
                    try (Stage s = Stage.open(c, id)) {
                        stage = s;
                        adapter.adapter().read(input, this);
                        if (cancelled.get()) {
                            throw new Cancelled();
                        }
                        s.flush();
                        long staged = System.nanoTime();
                        Publish.Counts published = Publish.publish(
                                c, site.id(), id, adapter.adapter().mergesRepeats(), s);
                        LOG.info(
                                "Import {} of site {}: read and staged in {} ms, published in {} ms",
                                id,
                                site.id(),
                                (staged - startNanos) / 1_000_000,
                                (System.nanoTime() - staged) / 1_000_000);
                        return published;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (SQLException e) {
                        throw new StageFailure(e);
                    }
                });
                quarantined.addAndGet(counts.duplicates());
                outcome = Status.PUBLISHED;
            } catch (Cancelled e) {
                outcome = Status.CANCELLED;
                errors.add("Cancelled; nothing of this import was published.");
            } catch (InvalidInputException e) {
                e.errors().forEach(er -> errors.add(er.toString()));
            } catch (UncheckedIOException e) {
                errors.add(input.name() + ": cannot be read: " + e.getCause().getMessage());
            } catch (StageFailure e) {
                errors.add("Storing the import failed: " + e.getCause().getMessage());
                LOG.error("Import {} of site {} failed", id, site.id(), e.getCause());
            } catch (RuntimeException e) {
                errors.add("The import failed: " + e.getMessage());
                LOG.error("Import {} of site {} failed", id, site.id(), e);
            } finally {
                stage = null;
                adapter.release().run();
                lock.unlock();
                owned.ifPresent(ImportsImpl::deleteQuietly);
            }
            finish(outcome, counts, errors);
        }

        /** Records the outcome, then forgets the job: until then readers see it running, never half-finished. */
        private void finish(Status outcome, Publish.Counts counts, List<String> errors) {
            long quarantinedRows = outcome == Status.PUBLISHED ? quarantined.get() : 0;
            try {
                database.transaction(c -> Sql.update(
                        c,
                        "UPDATE imports SET status = ?, finished_at = ?, rows_read = ?, inserted = ?, updated = ?, unchanged = ?,"
                                + " quarantined = ?, skipped = ?, merged = ?, deleted = ?, watermark = ?, errors = ? WHERE id = ?",
                        outcome.name(),
                        clock.instant(),
                        read.get(),
                        counts.inserted(),
                        counts.updated(),
                        counts.unchanged(),
                        quarantinedRows,
                        skipped.get(),
                        counts.merged(),
                        counts.deleted(),
                        outcome == Status.PUBLISHED ? watermark : null,
                        Stage.cut(String.join("\n", errors), 4000),
                        id));
            } catch (RuntimeException e) {
                LOG.error("Import {}: cannot record its outcome {}: {}", id, outcome, e.getMessage());
            }
            running.remove(id);
            audit.record(new AuditEvent(
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

        // ---- the sink ---------------------------------------------------------------------------------------

        @Override
        public ZoneId zone() {
            return site.timeZone();
        }

        @Override
        public void accept(CrimeRecord record) {
            read.incrementAndGet();
            Optional<RecordChecks.Problem> problem = RecordChecks.check(record, clock.instant(), site.bounds());
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
        }

        @Override
        public void watermark(String value) {
            watermark = Stage.cut(value, 200);
        }

        @Override
        public boolean cancelled() {
            return cancelled.get();
        }
    }

    /** A database failure while staging, carried out of the sink's methods. */
    private static final class StageFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StageFailure(SQLException cause) {
            super(cause);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete the import file {}: {}", file, e.getMessage());
        }
    }

    private record FileInput(String name, Path file, Optional<String> watermark) implements RecordsInput {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }

    private record PullInput(String name, Optional<String> watermark) implements RecordsInput {
        @Override
        public InputStream open() {
            throw new UnsupportedOperationException("a pull has no file");
        }
    }

    /** Counts the bytes an adapter reads, for the progress. */
    private record CountingInput(RecordsInput delegate, AtomicLong bytes) implements RecordsInput {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Optional<String> watermark() {
            return delegate.watermark();
        }

        @Override
        public InputStream open() throws IOException {
            return new FilterInputStream(delegate.open()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        bytes.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        bytes.addAndGet(n);
                    }
                    return n;
                }
            };
        }
    }
}
