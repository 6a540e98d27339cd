package org.dmiplatform.core.internal.schedule;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.dmiplatform.api.Runs;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.StorageUnavailableException;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.User;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.dmiplatform.core.internal.store.RecordRows;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs (V28): each stored, then made by the {@link Schedule} as a one-off job that asks for recovery, on whichever node
 * is free. Exactly one result is kept: the node that makes a run writes it with the status, only while the run is
 * queued or running; a second node making the same run (its first node was taken for gone) writes nothing.
 */
@Component(service = Runs.class, immediate = true)
public class RunsImpl implements Runs {
    private static final Logger LOG = LoggerFactory.getLogger(RunsImpl.class);

    /** The job kind of a run in the {@link Schedule}. */
    static final String JOB = "run";
    /** Starts a run may have; a run whose node went away this often is failed rather than tried again. */
    static final int MAX_ATTEMPTS = 3;
    /** A run stored this recently may still be on its way to the scheduler. */
    static final Duration BEING_QUEUED = Duration.ofMinutes(1);
    /** How long a run waits for a node that makes runs (one serving the API). */
    static final Duration WAIT_FOR_MAKER = Duration.ofMinutes(10);

    private static final String SELECT = "SELECT r.id, r.site_id, r.request, r.user_id, u.username, r.requested_from,"
            + " r.requested_at, r.status, r.started_at, r.finished_at, r.node, r.attempts, r.media_type, r.file_name,"
            + " r.size, r.problem, EXISTS (SELECT 1 FROM run_results k WHERE k.run_id = r.id) AS kept"
            + " FROM runs r JOIN users u ON u.id = r.user_id";

    private final Database database;
    private final Sites sites;
    private final Accounts accounts;
    private final Schedule schedule;
    private final Clock clock;
    private final AtomicReference<Maker> maker = new AtomicReference<>();
    /** Runs being made on this node. */
    private final Set<Long> making = ConcurrentHashMap.newKeySet();

    private final Schedule.Task jobs;
    private final Schedule.Task sweep;

    /** A run as stored, with whom and from where it was asked for. */
    private record Stored(Run run, long userId, String from) {}

    @Activate
    public RunsImpl(
            @Reference Database database,
            @Reference Sites sites,
            @Reference Accounts accounts,
            @Reference Schedule schedule) {
        this(database, sites, accounts, schedule, Clock.systemUTC());
    }

    /**
     * On the schedule given, with a clock (tests). A factory, not a constructor: Declarative Services picks the
     * constructor by its number of arguments.
     */
    public static RunsImpl on(Database database, Sites sites, Accounts accounts, Schedule schedule, Clock clock) {
        return new RunsImpl(database, sites, accounts, schedule, clock);
    }

    private RunsImpl(Database database, Sites sites, Accounts accounts, Schedule schedule, Clock clock) {
        this.database = database;
        this.sites = sites;
        this.accounts = accounts;
        this.schedule = schedule;
        this.clock = clock;
        this.jobs = schedule.handle(JOB, this::make);
        this.sweep = schedule.every(Duration.ofSeconds(20), Duration.ofMinutes(1), "runs left behind", this::sweep);
    }

    @Deactivate
    void deactivate() {
        jobs.cancel();
        sweep.cancel();
    }

    @Override
    public Registration maker(Maker made) {
        maker.set(made);
        return () -> maker.compareAndSet(made, null);
    }

    @Override
    public Run submit(String site, String request, Caller caller) {
        sites.find(site).orElseThrow(() -> new NoSuchElementException("no site '" + site + "'"));
        long id = database.transaction(c -> Sql.insert(
                c,
                "INSERT INTO runs (site_id, request, user_id, requested_from, requested_at, status, attempts, size)"
                        + " VALUES (?, ?, ?, ?, ?, 'QUEUED', 0, 0)",
                site,
                request,
                caller.user().id(),
                RecordRows.cut(caller.from(), 64),
                clock.instant()));
        try {
            schedule.once(JOB, id);
        } catch (StorageUnavailableException e) {
            // stored: the sweep hands it to the scheduler once it runs
            LOG.info("Run {} waits for the scheduler: {}", id, e.getMessage());
        }
        return stored(id).orElseThrow().run();
    }

    @Override
    public List<Run> runs(String site, int limit, Caller caller) {
        return database
                .read(c -> Sql.list(
                        c,
                        SELECT + " WHERE r.site_id = ? AND r.user_id = ? ORDER BY r.id DESC LIMIT ?",
                        RunsImpl::row,
                        site,
                        caller.user().id(),
                        Math.max(1, Math.min(limit, 500))))
                .stream()
                .map(Stored::run)
                .toList();
    }

    @Override
    public Run run(String site, long id, Caller caller) {
        return stored(id)
                .filter(s -> s.run().site().equals(site)
                        && s.userId() == caller.user().id())
                .orElseThrow(() -> new NoSuchElementException("no run " + id + " of yours at " + site))
                .run();
    }

    @Override
    public Optional<Result> result(String site, long id, Caller caller) {
        Run run = run(site, id, caller);
        if (run.status() != Status.DONE) {
            return Optional.empty();
        }
        return database.read(c -> Sql.one(
                c,
                "SELECT content FROM run_results WHERE run_id = ?",
                rs -> new Result(
                        run.mediaType().orElse("application/octet-stream"),
                        run.fileName().orElse("run-" + id),
                        rs.getBytes(1)),
                id));
    }

    /**
     * Makes a stored run, on the node the schedule chose, as the person who asked for it (their account as it is
     * now: one disabled meanwhile makes nothing).
     *
     * @return false when it cannot be made here yet (no maker on this node): the job fires again
     */
    boolean make(long id) {
        Optional<Stored> found = stored(id);
        if (found.isEmpty() || ended(found.get().run()) || !making.add(id)) {
            return true;
        }
        try {
            Stored stored = found.get();
            Run run = stored.run();
            Maker m = maker.get();
            if (m == null) {
                if (run.requestedAt().isAfter(clock.instant().minus(WAIT_FOR_MAKER))) {
                    return false;
                }
                fail(
                        id,
                        "no node of the platform served the API to make it within " + WAIT_FOR_MAKER.toMinutes()
                                + " minutes; ask for it again");
                return true;
            }
            int started = database.transaction(c -> Sql.update(
                    c,
                    "UPDATE runs SET status = 'RUNNING', attempts = attempts + 1, node = ?, started_at = ?"
                            + " WHERE id = ? AND status IN ('QUEUED', 'RUNNING') AND attempts < ?",
                    RecordRows.cut(schedule.node(), 200),
                    clock.instant(),
                    id,
                    MAX_ATTEMPTS));
            if (started == 0) {
                fail(
                        id,
                        "its node went away " + MAX_ATTEMPTS + " times while making it; ask for it again, or for"
                                + " less (a shorter period, fewer permutations)");
                return true;
            }
            if (run.attempts() > 0) {
                LOG.warn(
                        "Run {} of site {}: started again on node {} (attempt {})",
                        id,
                        run.site(),
                        schedule.node(),
                        run.attempts() + 1);
            } else {
                LOG.info("Run {} of site {} is made on node {}", id, run.site(), schedule.node());
            }
            Optional<User> user = accounts.find(stored.userId()).filter(u -> u.enabled() && !u.locked());
            if (user.isEmpty()) {
                fail(id, "the account that asked for it is disabled or locked");
                return true;
            }
            Result result;
            try {
                result = m.make(run.site(), run.request(), new Caller(user.get(), stored.from()));
            } catch (RuntimeException e) {
                if (maker.get() != m) {
                    // the API stopped on this node while making it: another node (or this one, started again) makes it
                    requeue(id);
                } else if (e instanceof Refused) {
                    fail(id, e.getMessage());
                } else {
                    LOG.error("Run {} of site {} failed", id, run.site(), e);
                    fail(id, "it could not be made; the platform's log says why (run " + id + ")");
                }
                return true;
            }
            done(id, result);
            return true;
        } finally {
            making.remove(id);
        }
    }

    private static boolean ended(Run run) {
        return run.status() == Status.DONE || run.status() == Status.FAILED;
    }

    /** The result and the status in one transaction, only while the run is unfinished: one result kept. */
    private void done(long id, Result result) {
        boolean written = database.transaction(c -> {
            int n = Sql.update(
                    c,
                    "UPDATE runs SET status = 'DONE', finished_at = ?, media_type = ?, file_name = ?, size = ?,"
                            + " problem = NULL WHERE id = ? AND status IN ('QUEUED', 'RUNNING')",
                    clock.instant(),
                    RecordRows.cut(result.mediaType(), 200),
                    RecordRows.cut(result.fileName(), 300),
                    (long) result.content().length,
                    id);
            if (n == 1) {
                Sql.update(c, "INSERT INTO run_results (run_id, content) VALUES (?, ?)", id, result.content());
            }
            return n == 1;
        });
        if (!written) {
            LOG.info(
                    "Run {}: made again on node {}, but another node had finished it; this result is dropped",
                    id,
                    schedule.node());
        }
    }

    private void fail(long id, String problem) {
        database.transaction(c -> Sql.update(
                c,
                "UPDATE runs SET status = 'FAILED', finished_at = ?, problem = ? WHERE id = ? AND status IN ('QUEUED',"
                        + " 'RUNNING')",
                clock.instant(),
                RecordRows.cut(problem, 4000),
                id));
    }

    private void requeue(long id) {
        database.transaction(
                c -> Sql.update(c, "UPDATE runs SET status = 'QUEUED' WHERE id = ? AND status = 'RUNNING'", id));
        schedule.once(JOB, id);
    }

    /**
     * Every minute: deletes results past keeping, and hands runs that no job holds (the scheduler's memory store lost
     * at a restart, a run stored while the scheduler was not started) to the scheduler again.
     */
    void sweep() {
        Instant now = clock.instant();
        int deleted = database.transaction(c -> Sql.update(
                c,
                "DELETE FROM run_results WHERE run_id IN (SELECT id FROM runs WHERE status = 'DONE' AND finished_at"
                        + " < ?)",
                now.minus(Duration.ofDays(KEPT_DAYS))));
        if (deleted > 0) {
            LOG.info("Deleted the results of {} run(s) made over {} days ago", deleted, KEPT_DAYS);
        }
        List<Long> left = database.read(c -> Sql.list(
                c,
                "SELECT id FROM runs WHERE status IN ('QUEUED', 'RUNNING') AND requested_at < ?",
                rs -> rs.getLong(1),
                now.minus(BEING_QUEUED)));
        for (long id : left) {
            if (!making.contains(id) && !schedule.pending(JOB, id)) {
                LOG.info("Run {}: no job holds it; handed to the scheduler again", id);
                schedule.once(JOB, id);
            }
        }
    }

    private Optional<Stored> stored(long id) {
        return database.read(c -> Sql.one(c, SELECT + " WHERE r.id = ?", RunsImpl::row, id));
    }

    private static Stored row(ResultSet rs) throws SQLException {
        long size = rs.getLong("size");
        Run run = new Run(
                rs.getLong("id"),
                rs.getString("site_id"),
                rs.getString("request"),
                Status.valueOf(rs.getString("status")),
                rs.getString("username"),
                Sql.instant(rs, "requested_at"),
                Sql.optionalInstant(rs, "started_at"),
                Sql.optionalInstant(rs, "finished_at"),
                Optional.ofNullable(rs.getString("node")),
                rs.getInt("attempts"),
                Optional.ofNullable(rs.getString("media_type")),
                Optional.ofNullable(rs.getString("file_name")),
                size,
                rs.getBoolean("kept"),
                Optional.ofNullable(rs.getString("problem")));
        return new Stored(run, rs.getLong("user_id"), rs.getString("requested_from"));
    }
}
