package org.dmiplatform.core.internal.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.StorageUnavailableException;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.store.Imports;
import org.dmiplatform.core.internal.Folders;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.dmiplatform.core.internal.schedule.Schedule;
import org.dmiplatform.core.internal.storage.Database;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The import pipeline's front: starts imports through the site's records adapter (found by {@link Plugins}), one at a
 * time per site, and answers for their progress and history. Each import is stored, then run as a job of the {@link
 * Schedule} on one of the nodes, as an {@link ImportJob} that reads what it needs from its stored row; when its node
 * goes away before it ends, another node runs it again (docs/adr/0010). An uploaded file is kept in the data folder
 * until its import publishes, so an import a crash interrupted can run again.
 */
@Component(service = {Imports.class, ImportsImpl.class})
public class ImportsImpl implements Imports {
    private static final Logger LOG = LoggerFactory.getLogger(ImportsImpl.class);
    /** Who may import. */
    static final Role[] IMPORTERS = {Role.POLICE, Role.SITE_ADMIN};
    /** Who may read the import history. */
    static final Role[] READERS = {Role.POLICE, Role.SITE_ADMIN, Role.RESEARCH, Role.POC, Role.PROSECUTOR};
    /** How long the file of an import that did not publish is kept for a rerun. */
    static final Duration KEEP_FILES = Duration.ofDays(30);

    private final Database database;
    private final Sites sites;
    private final AuditLog audit;
    private final Plugins plugins;
    private final Clock clock;
    private final Path files;
    private final ImportHistory history;
    private final ImportJob.Context context;
    /** The job kind of an import in the {@link Schedule}. */
    static final String JOB = "import";
    /** An import stored this recently may still be on its way to the scheduler. */
    static final Duration BEING_QUEUED = Duration.ofMinutes(1);
    /** How long an import waits for its site's adapter to bind on the node that runs it. */
    static final Duration WAIT_FOR_ADAPTER = Duration.ofMinutes(10);

    private final Schedule schedule;
    /** The schedule this pipeline started itself (tests), stopped with it. */
    private final boolean ownSchedule;

    private final Schedule.Task jobs;
    private final Schedule.Task sweep;
    /** Imports running on this node. */
    private final Map<Long, ImportJob> running = new ConcurrentHashMap<>();

    private final Map<String, ReentrantLock> siteLocks = new ConcurrentHashMap<>();

    @Activate
    public ImportsImpl(
            @Reference Database database,
            @Reference Sites sites,
            @Reference AuditLog audit,
            @Reference Plugins plugins,
            @Reference Schedule schedule,
            BundleContext context) {
        this(
                database,
                sites,
                audit,
                plugins,
                Clock.systemUTC(),
                Folders.data(context).resolve("imports"),
                schedule,
                false);
    }

    /**
     * On a schedule of its own, in memory (for tests and tools on one node). A factory, not a constructor: Declarative
     * Services picks the constructor by its number of arguments.
     *
     * @param files where uploaded files wait until their import publishes
     */
    public static ImportsImpl onOneNode(
            Database database, Sites sites, AuditLog audit, Plugins plugins, Clock clock, Path files) {
        return new ImportsImpl(database, sites, audit, plugins, clock, files, startedOn(database), true);
    }

    private static Schedule startedOn(Database database) {
        Schedule schedule = new Schedule("this node", Duration.ofSeconds(7), 3);
        schedule.start(database, false);
        return schedule;
    }

    /**
     * @param files where uploaded files wait until their import publishes
     * @param schedule where imports run
     */
    public ImportsImpl(
            Database database,
            Sites sites,
            AuditLog audit,
            Plugins plugins,
            Clock clock,
            Path files,
            Schedule schedule,
            boolean ownSchedule) {
        this.database = database;
        this.sites = sites;
        this.audit = audit;
        this.plugins = plugins;
        this.clock = clock;
        this.files = files;
        this.history = new ImportHistory(database);
        this.context = new ImportJob.Context(database, audit, clock);
        this.schedule = schedule;
        this.ownSchedule = ownSchedule;
        this.jobs = schedule.handle(JOB, this::run);
        this.sweep = schedule.every(Duration.ofMinutes(5), "imports left behind", this::closeInterrupted);
        afterStop();
    }

    /** At construction, when storage is there already (tests); otherwise {@link #closeInterrupted} at first start. */
    private void afterStop() {
        try {
            closeInterrupted();
        } catch (StorageUnavailableException e) {
            LOG.debug("Interrupted imports are closed once storage is ready: {}", e.getMessage());
        }
    }

    /**
     * Imports a stop or a crash left queued or running, that no node will run (no job of the schedule holds them), did
     * not publish: they read INTERRUPTED from now on (their files kept, so they can run again), and files kept past
     * {@link #KEEP_FILES} are deleted. Imports running or waiting on any node, and those stored a moment ago, are left
     * alone. Called by the first start, before the platform says it has started, and every few minutes.
     *
     * @throws StorageUnavailableException while storage is not ready
     */
    public int closeInterrupted() {
        Instant now = clock.instant();
        List<Long> lost = new ArrayList<>();
        for (ImportHistory.Unfinished unfinished : history.unfinished()) {
            boolean recent = schedule.clustered() && unfinished.startedAt().isAfter(now.minus(BEING_QUEUED));
            if (!running.containsKey(unfinished.id()) && !recent && !schedule.pending(JOB, unfinished.id())) {
                lost.add(unfinished.id());
            }
        }
        int interrupted = history.interrupted(now, lost);
        if (interrupted > 0) {
            LOG.warn("{} import(s) were interrupted by a stop; nothing of them was published", interrupted);
        }
        for (Path old : history.keptFilesBefore(clock.instant().minus(KEEP_FILES))) {
            try {
                Files.deleteIfExists(old);
                history.forgetFile(old);
            } catch (IOException e) {
                LOG.warn("Cannot delete the kept import file {}: {}", old, e.getMessage());
            }
        }
        return interrupted;
    }

    /**
     * Stops what runs here (each rolls back): with several nodes, each is handed over to run again on another node (or
     * here after a restart); on one node, cancelled. Waits for them to end, at most 30 seconds.
     */
    @Deactivate
    public void deactivate() {
        jobs.cancel();
        sweep.cancel();
        running.values().forEach(schedule.clustered() ? ImportJob::handOver : ImportJob::cancel);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!running.isEmpty() && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (ownSchedule) {
            schedule.deactivate();
        }
    }

    private Site site(String id) {
        return sites.find(id).orElseThrow(() -> new NoSuchElementException("no site '" + id + "'"));
    }

    @Override
    public List<String> adapters(String site) {
        site(site);
        List<String> names = new ArrayList<>();
        for (Plugins.Plugin p : plugins.of(site, PluginKind.RECORDS_ADAPTER)) {
            names.add(p.name() + ": " + p.as(RecordsAdapter.class).describe());
        }
        return names;
    }

    /** True while an import of the site is queued or running, on any node. */
    public boolean busy(String site) {
        return history.busy(site);
    }

    /** The adapter named, or the site's serving one, that reads files (or pulls). */
    private Plugins.Plugin adapter(String site, Optional<String> name, boolean pull) {
        return plugins.of(site, PluginKind.RECORDS_ADAPTER).stream()
                .filter(p -> name.map(n -> n.equals(p.name())).orElse(true))
                .filter(p -> p.as(RecordsAdapter.class).pulls() == pull)
                .findFirst()
                .orElseThrow(() -> {
                    String what = name.map(n -> "no records adapter '" + n + "'")
                            .orElse(pull ? "no records adapter that pulls" : "no records adapter that reads files");
                    return new InvalidInputException(InputError.of(
                            "site " + site,
                            "adapter",
                            what + " is bound to site " + site + "; " + Plugins.howToBind(PluginKind.RECORDS_ADAPTER)));
                });
    }

    @Override
    public Import start(
            String site, Optional<String> adapterName, Path file, String name, boolean owned, Caller caller) {
        caller.require(site, "importing records", IMPORTERS);
        Site where = site(site);
        Plugins.Plugin adapter = adapter(site, adapterName, false);
        if (!Files.isReadable(file)) {
            throw new InvalidInputException(InputError.of(name, "", "cannot be read"));
        }
        long id = history.queue(site, adapter.name(), name, caller.user().username(), clock.instant());
        Path kept = owned ? keep(id, file) : file;
        history.file(id, kept, owned);
        return launch(id, where, adapter, name, caller);
    }

    /** Moves an uploaded file into the data folder, where it waits until its import publishes. */
    private Path keep(long id, Path file) {
        try {
            Files.createDirectories(files);
            Path kept = files.resolve("import-" + id + ".upload");
            try {
                return Files.move(file, kept, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException otherFileSystem) {
                Files.copy(file, kept, StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(file);
                return kept;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the uploaded file in " + files + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Import pull(String site, Optional<String> adapterName, Caller caller) {
        caller.require(site, "pulling records", IMPORTERS);
        Site where = site(site);
        Plugins.Plugin adapter = adapter(site, adapterName, true);
        long id = history.queue(
                site, adapter.name(), "pull by " + adapter.name(), caller.user().username(), clock.instant());
        return launch(id, where, adapter, "pull by " + adapter.name(), caller);
    }

    @Override
    public Import rerun(String site, long id, Caller caller) {
        caller.require(site, "running an import again", IMPORTERS);
        ImportHistory.Stored stored = stored(site, id);
        Status status = stored.outcome().status();
        if (status == Status.PUBLISHED || status == Status.QUEUED || status == Status.RUNNING) {
            throw new InvalidInputException(InputError.of(
                    "import " + id,
                    "status",
                    "is " + status.name().toLowerCase() + "; only an import that did not" + " publish runs again"));
        }
        Optional<String> adapter = Optional.of(stored.outcome().adapter());
        if (stored.file().isEmpty()) {
            return pull(site, adapter, caller);
        }
        Path file = stored.file().get();
        if (!Files.isReadable(file)) {
            throw new InvalidInputException(
                    InputError.of("import " + id, "file", "its file is no longer kept; upload the export again"));
        }
        Import again = start(site, adapter, file, stored.outcome().name(), stored.owned(), caller);
        if (stored.owned()) {
            history.forgetFile(file);
        }
        return again;
    }

    /** Audits the import stored and hands it to the schedule. */
    private Import launch(long id, Site site, Plugins.Plugin adapter, String inputName, Caller caller) {
        audit.record(new AuditEvent(
                caller.user().username(),
                site.id(),
                "records.import",
                "import:" + id,
                caller.from(),
                AuditOutcome.SUCCESS,
                adapter.name() + " " + inputName));
        schedule.once(JOB, id);
        return stored(site.id(), id).outcome();
    }

    /**
     * Runs a stored import, on the node the schedule chose: its adapter, input and file are read from its row. An
     * import that has ended (on another node, or cancelled before it started) is left as it is.
     *
     * @return false when it cannot run here yet (its site's adapter is not bound on this node): the job fires again
     */
    private boolean run(long id) {
        Optional<ImportHistory.Stored> found = history.find(id);
        Status status = found.map(f -> f.outcome().status()).orElse(Status.CANCELLED);
        if (running.containsKey(id) || (status != Status.QUEUED && status != Status.RUNNING)) {
            return true;
        }
        ImportHistory.Stored stored = found.get();
        Import outcome = stored.outcome();
        Optional<Site> site = sites.find(outcome.site());
        Optional<Plugins.Plugin> adapter = site.isEmpty()
                ? Optional.empty()
                : plugins.of(outcome.site(), PluginKind.RECORDS_ADAPTER).stream()
                        .filter(p -> p.name().equals(outcome.adapter()))
                        .findFirst();
        if (adapter.isEmpty()) {
            if (outcome.startedAt().isAfter(clock.instant().minus(WAIT_FOR_ADAPTER))) {
                // a node just started, or the adapter is being swapped: it binds in a moment
                return false;
            }
            history.interrupted(clock.instant(), List.of(id));
            LOG.warn("Import {}: site {} has no records adapter '{}' to run it", id, outcome.site(), outcome.adapter());
            return true;
        }
        if (!history.running(id)) {
            return true;
        }
        RecordsAdapter reader = adapter.get().as(RecordsAdapter.class);
        Optional<String> watermark = history.lastWatermark(outcome.site(), outcome.adapter());
        RecordsInput input;
        Optional<Long> size = Optional.empty();
        if (stored.file().isPresent()) {
            Path file = stored.file().get();
            input = new Inputs.FileInput(outcome.name(), file, watermark);
            try {
                size = Optional.of(Files.size(file));
            } catch (IOException e) {
                LOG.debug("Import {}: size of {} unknown: {}", id, file, e.getMessage());
            }
        } else {
            input = new Inputs.PullInput(outcome.name(), watermark);
        }
        ImportJob job = new ImportJob(
                context,
                id,
                site.get(),
                outcome.adapter(),
                reader,
                input,
                size,
                stored.owned() ? stored.file() : Optional.empty(),
                outcome.startedBy(),
                outcome.startedAt(),
                () -> running.remove(id));
        running.put(id, job);
        LOG.info("Import {} of site {} runs on node {}", id, outcome.site(), schedule.node());
        ReentrantLock lock = siteLocks.computeIfAbsent(outcome.site(), s -> new ReentrantLock());
        lock.lock();
        // held for the whole import, which calls the adapter more than once: a version being replaced waits for it
        try (Plugins.Held held = plugins.hold(adapter.get())) {
            job.run();
        } finally {
            lock.unlock();
        }
        if (job.handedOver()) {
            // this node stops: the import waits for another (the job's own firing ends now)
            schedule.once(JOB, id);
        }
        return true;
    }

    @Override
    public List<Import> history(String site, int limit, Caller caller) {
        caller.require(site, "reading the import history", READERS);
        site(site);
        return history.list(site, Math.max(1, Math.min(limit, 500))).stream()
                .map(this::current)
                .toList();
    }

    @Override
    public Import find(String site, long id, Caller caller) {
        caller.require(site, "reading an import", READERS);
        return current(stored(site, id));
    }

    private ImportHistory.Stored stored(String site, long id) {
        return history.find(site, id).orElseThrow(() -> new NoSuchElementException("no import " + id + " at " + site));
    }

    /** A running import answers with its progress; the history has its outcome once it ended. */
    private Import current(ImportHistory.Stored stored) {
        ImportJob job = running.get(stored.outcome().id());
        return job != null ? job.snapshot() : stored.outcome();
    }

    @Override
    public List<Quarantined> quarantine(String site, long id, int limit, Caller caller) {
        find(site, id, caller);
        List<Quarantined> rows = database.read(c -> org.dmiplatform.core.internal.storage.Sql.list(
                c,
                "SELECT line, field, reason, raw FROM import_quarantine WHERE import_id = ? ORDER BY line LIMIT ?",
                rs -> new Quarantined(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                id,
                Math.max(1, Math.min(limit, 10_000))));
        // the rows as the export had them: records, read
        audit.record(new AuditEvent(
                caller.user().username(),
                site,
                "records.quarantine",
                "import:" + id,
                caller.from(),
                AuditOutcome.SUCCESS,
                rows.size() + " row(s)"));
        return rows;
    }

    @Override
    public Import cancel(String site, long id, Caller caller) {
        caller.require(site, "cancelling an import", IMPORTERS);
        stored(site, id);
        ImportJob job = running.get(id);
        boolean withdrawn = false;
        boolean asked = false;
        if (job != null) {
            job.cancel();
        } else if (history.cancelQueued(id, clock.instant())) {
            // not started on any node: it never will (its job finds it ended)
            schedule.withdraw(JOB, id);
            withdrawn = true;
        } else {
            // running on another node, which looks for this within a second and rolls it back
            asked = history.requestCancel(id);
        }
        // asked for either way: a finished import's answer is its outcome, unchanged
        audit.record(new AuditEvent(
                caller.user().username(),
                site,
                "records.cancel",
                "import:" + id,
                caller.from(),
                AuditOutcome.SUCCESS,
                job != null || withdrawn
                        ? ""
                        : asked ? "running on another node: asked of it" : "not running: nothing to cancel"));
        return find(site, id, caller);
    }

    /** For the pull schedule: when the adapter last started an import at the site. */
    public Optional<Instant> lastStart(String site, String adapter) {
        return history.lastStart(site, adapter);
    }
}
