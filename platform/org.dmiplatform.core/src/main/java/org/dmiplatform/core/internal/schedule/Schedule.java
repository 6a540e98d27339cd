package org.dmiplatform.core.internal.schedule;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import org.dmiplatform.api.StorageUnavailableException;
import org.dmiplatform.core.internal.StartSettings;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Dialect;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's scheduler: Quartz (docs/adr/0010). Work that runs by itself at a fixed delay (scheduled pulls, the
 * 28 CFR 23.20(h) purge, market watch) and long work started by a person (imports) run here. On PostgreSQL the jobs are
 * kept in Quartz's clustered JDBC job store, so several nodes on one database run each firing once, and a job whose
 * node died mid-way is run again by another node (Quartz's recovery); the embedded store serves one node, whose jobs
 * Quartz keeps in memory.
 *
 * <p>Quartz keeps only what to run (a task's name and a number), never code or state: each task is registered here by
 * the component that does the work, on every node, and reads what is due from the database. The scheduler starts once
 * storage is ready ({@link #start}, called by the first start); tasks registered before wait for it.
 */
@Component(service = Schedule.class)
public class Schedule {
    private static final Logger LOG = LoggerFactory.getLogger(Schedule.class);
    /** Quartz's name for the platform's scheduler: the same on every node of a cluster. */
    static final String NAME = "dmi";

    private static final String TASK = "task";
    private static final String ARGUMENT = "argument";
    private static final String RECURRING = "recurring";
    private static final String ONCE = "once";

    /** A task that runs by itself at a fixed delay. */
    private record Every(Duration first, Duration delay, Runnable work) {}

    private final Map<String, Every> recurring = new ConcurrentHashMap<>();
    private final Map<String, LongPredicate> kinds = new ConcurrentHashMap<>();
    private final String node;
    private final Duration checkIn;
    private final int threads;
    private volatile Scheduler quartz;
    private volatile boolean clustered;
    private volatile String connections;

    @Activate
    public Schedule(BundleContext context) {
        this(
                node(StartSettings.get(context, "DMI_NODE")),
                checkIn(StartSettings.get(context, "DMI_CLUSTER_CHECKIN_MS")),
                5);
    }

    /**
     * @param node this node's name among the nodes of a cluster (unique; Quartz's instance id)
     * @param checkIn how often a node tells the others it is alive; a node silent for longer is taken as gone, and its
     *     jobs run again elsewhere
     * @param threads jobs run at once on this node
     */
    public Schedule(String node, Duration checkIn, int threads) {
        this.node = node;
        this.checkIn = checkIn;
        this.threads = threads;
    }

    private static String node(String configured) {
        if (!configured.isBlank()) {
            return configured.strip();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid() + "-"
                + ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    private static Duration checkIn(String configured) {
        try {
            return configured.isBlank() ? Duration.ofSeconds(7) : Duration.ofMillis(Long.parseLong(configured.strip()));
        } catch (NumberFormatException e) {
            LOG.warn("DMI_CLUSTER_CHECKIN_MS is not a number of milliseconds ({}); 7000 is used", configured);
            return Duration.ofSeconds(7);
        }
    }

    /** This node's name among the nodes. */
    public String node() {
        return node;
    }

    /** True when the jobs are shared with other nodes through the database. */
    public boolean clustered() {
        return clustered;
    }

    /**
     * Starts the scheduler on the database, once it is ready: Quartz's clustered JDBC job store on PostgreSQL, its
     * memory store on the embedded one. Tasks registered before are scheduled now. Safe to call again.
     *
     * @throws StorageUnavailableException while storage is not ready
     */
    public void start(Database database) {
        start(database, database.dialect() == Dialect.POSTGRESQL);
    }

    /**
     * Starts the scheduler with its jobs shared through the database's job store ({@code shared}, PostgreSQL only) or
     * in memory, for one node.
     */
    public synchronized void start(Database database, boolean shared) {
        if (quartz != null) {
            return;
        }
        if (shared && database.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalStateException("jobs are shared between nodes through PostgreSQL only");
        }
        Properties properties = new Properties();
        properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, NAME);
        properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, node);
        properties.setProperty(StdSchedulerFactory.PROP_SCHED_MAKE_SCHEDULER_THREAD_DAEMON, "true");
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        properties.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        properties.setProperty("org.quartz.threadPool.threadNamePrefix", "dmi-job");
        // how long an idle node waits before it looks again for jobs another node stored
        properties.setProperty("org.quartz.scheduler.idleWaitTime", "5000");
        if (shared) {
            // Quartz asks its connection manager by name; each scheduler gets a name of its own
            connections = "dmi-" + UUID.randomUUID();
            DBConnectionManager.getInstance().addConnectionProvider(connections, new Connections(database));
            properties.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.impl.jdbcjobstore.JobStoreTX");
            properties.setProperty(
                    "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            properties.setProperty("org.quartz.jobStore.dataSource", connections);
            properties.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
            properties.setProperty("org.quartz.jobStore.isClustered", "true");
            properties.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkIn.toMillis()));
            // job data as text only: nothing is deserialised from the database
            properties.setProperty("org.quartz.jobStore.useProperties", "true");
            properties.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        } else {
            properties.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try {
            // Quartz loads its parts and the job classes by the class loader current when it starts: this bundle's
            thread.setContextClassLoader(Schedule.class.getClassLoader());
            StdSchedulerFactory factory = new StdSchedulerFactory(properties);
            Scheduler started = factory.getScheduler();
            // the platform holds its scheduler itself: Quartz's registry by name would keep a second one (a test's
            // second node, a restarting bundle) from starting in the same JVM
            SchedulerRepository.getInstance().remove(NAME);
            started.setJobFactory((bundle, scheduler) -> {
                JobDetail detail = bundle.getJobDetail();
                return context -> run(detail, context);
            });
            clustered = shared;
            quartz = started;
            for (Map.Entry<String, Every> task : recurring.entrySet()) {
                schedule(task.getKey(), task.getValue());
            }
            started.start();
            LOG.info(
                    "Scheduler started on node {} ({})",
                    node,
                    clustered ? "jobs shared with the other nodes through PostgreSQL" : "one node, jobs in memory");
        } catch (SchedulerException e) {
            quartz = null;
            forgetConnections();
            throw new IllegalStateException("the scheduler cannot start: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** A running job: the task registered on this node under its name. */
    private void run(JobDetail detail, JobExecutionContext context) {
        String task = detail.getJobDataMap().getString(TASK);
        if (RECURRING.equals(detail.getKey().getGroup())) {
            Every every = recurring.get(task);
            if (every == null) {
                LOG.debug("Scheduled {}: not registered on this node (yet)", task);
                return;
            }
            try {
                every.work().run();
            } catch (RuntimeException e) {
                LOG.warn("Scheduled {}: {}", task, e.getMessage());
            }
            return;
        }
        LongPredicate kind = kinds.get(task);
        long argument = Long.parseLong(detail.getJobDataMap().getString(ARGUMENT));
        if (kind == null) {
            // the component that does this work is not (yet) active here: the job waits and fires again
            LOG.info("Job {} waits: no '{}' on node {} yet", detail.getKey().getName(), task, node);
            fireAgain(detail.getKey(), Duration.ofSeconds(5));
            return;
        }
        if (context.isRecovering()) {
            LOG.warn(
                    "Job {}: its node went away before it finished; node {} runs it again",
                    detail.getKey().getName(),
                    node);
        }
        if (!kind.test(argument)) {
            // not now (what it needs is not there yet): the job fires again
            fireAgain(detail.getKey(), Duration.ofSeconds(5));
        }
    }

    /** Runs {@code task} every {@code delay}, the first time after one delay, on one node; a failure is logged. */
    public Task every(Duration delay, String name, Runnable task) {
        return every(delay, delay, name, task);
    }

    /**
     * Runs {@code task} the first time {@code first} after the scheduler starts (or now, if it has), then every {@code
     * delay}: on one of the nodes each time, never twice at once.
     */
    public Task every(Duration first, Duration delay, String name, Runnable task) {
        Every every = new Every(first, delay, task);
        recurring.put(name, every);
        if (quartz != null) {
            schedule(name, every);
        }
        return () -> recurring.remove(name, every);
    }

    private void schedule(String name, Every every) {
        JobKey key = JobKey.jobKey(name, RECURRING);
        try {
            Optional<SimpleTrigger> existing = quartz.getTriggersOfJob(key).stream()
                    .filter(SimpleTrigger.class::isInstance)
                    .map(SimpleTrigger.class::cast)
                    .findFirst();
            if (existing.isPresent()
                    && existing.get().getRepeatInterval() == every.delay().toMillis()) {
                return; // another node (or an earlier start) scheduled it already
            }
            JobDetail job = JobBuilder.newJob(Recurring.class)
                    .withIdentity(key)
                    .usingJobData(TASK, name)
                    .storeDurably()
                    .build();
            Trigger trigger = TriggerBuilder.newTrigger()
                    .withIdentity(name, RECURRING)
                    .forJob(key)
                    .startAt(Date.from(Instant.now().plus(every.first())))
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                            .withIntervalInMilliseconds(every.delay().toMillis())
                            .repeatForever()
                            .withMisfireHandlingInstructionNextWithRemainingCount())
                    .build();
            quartz.scheduleJob(job, Set.of(trigger), true);
        } catch (SchedulerException e) {
            LOG.error("Cannot schedule {}: {}", name, e.getMessage());
        }
    }

    /**
     * Registers what a job of {@code kind} does with its number, on this node. Jobs of the kind wait (and fire again)
     * until it is registered, and fire again a few seconds later when {@code work} answers false (not now).
     */
    public Task handle(String kind, LongPredicate work) {
        kinds.put(kind, work);
        return () -> kinds.remove(kind, work);
    }

    /**
     * Runs the job {@code kind} with {@code argument} once, as soon as a thread is free, on one of the nodes; when that
     * node goes away before it finishes, another runs it again (the work must find out from the database what is left).
     *
     * @throws StorageUnavailableException before the scheduler has started
     */
    public void once(String kind, long argument) {
        Scheduler scheduler = started();
        JobKey key = JobKey.jobKey(kind + "-" + argument, ONCE);
        try {
            JobDetail job = JobBuilder.newJob(Once.class)
                    .withIdentity(key)
                    .usingJobData(TASK, kind)
                    .usingJobData(ARGUMENT, Long.toString(argument))
                    .requestRecovery()
                    .build();
            scheduler.scheduleJob(job, Set.of(now(key)), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule " + key.getName() + ": " + e.getMessage(), e);
        }
    }

    /** True while the job {@code kind} with {@code argument} waits, runs or is being run again on some node. */
    public boolean pending(String kind, long argument) {
        try {
            return started().checkExists(JobKey.jobKey(kind + "-" + argument, ONCE));
        } catch (SchedulerException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Takes back a job that has not started; false when it runs already or is gone. */
    public boolean withdraw(String kind, long argument) {
        try {
            return started().deleteJob(JobKey.jobKey(kind + "-" + argument, ONCE));
        } catch (SchedulerException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The nodes that told the others they are alive, this one included (on the embedded store, this one). */
    public List<String> nodes() {
        Scheduler scheduler = quartz;
        if (scheduler == null || !clustered) {
            return List.of(node);
        }
        try (Connection c = DBConnectionManager.getInstance().getConnection(connections);
                java.sql.PreparedStatement ps = c.prepareStatement(
                        "SELECT instance_name FROM qrtz_scheduler_state WHERE sched_name = ? ORDER BY instance_name")) {
            ps.setString(1, NAME);
            List<String> nodes = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nodes.add(rs.getString(1));
                }
            }
            return nodes;
        } catch (SQLException e) {
            return List.of(node);
        }
    }

    private void fireAgain(JobKey key, Duration after) {
        Scheduler scheduler = quartz;
        if (scheduler == null) {
            return; // stopping: the job is recovered or swept as any other left behind
        }
        try {
            scheduler.scheduleJob(TriggerBuilder.newTrigger()
                    .withIdentity(key.getName() + "-" + UUID.randomUUID(), key.getGroup())
                    .forJob(key)
                    .startAt(Date.from(Instant.now().plus(after)))
                    .build());
        } catch (SchedulerException e) {
            LOG.error("Job {} cannot be put back: {}", key.getName(), e.getMessage());
        }
    }

    /**
     * A trigger firing the job now, named afresh each time: a job scheduled again while its earlier firing ends (a
     * stopping node handing an import over) must not have its new trigger deleted with the old one.
     */
    private static Trigger now(JobKey key) {
        return TriggerBuilder.newTrigger()
                .withIdentity(key.getName() + "-" + UUID.randomUUID(), key.getGroup())
                .forJob(key)
                .startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
    }

    private Scheduler started() {
        Scheduler scheduler = quartz;
        if (scheduler == null) {
            throw new StorageUnavailableException("the scheduler waits for storage", null);
        }
        return scheduler;
    }

    /** Stops the scheduler, waiting for the jobs running here (imports are cancelled or handed over first). */
    @Deactivate
    public synchronized void deactivate() {
        Scheduler scheduler = quartz;
        quartz = null;
        if (scheduler != null) {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                LOG.warn("The scheduler did not stop cleanly: {}", e.getMessage());
            }
        }
        forgetConnections();
    }

    /** For tests: the node goes silent at once, as a hung or killed one would, leaving its running jobs behind. */
    synchronized void deactivateWithoutWaiting() {
        Scheduler scheduler = quartz;
        quartz = null;
        if (scheduler != null) {
            try {
                scheduler.shutdown(false);
            } catch (SchedulerException e) {
                LOG.warn("The scheduler did not stop: {}", e.getMessage());
            }
        }
    }

    private void forgetConnections() {
        if (connections != null) {
            DBConnectionManager.getInstance().addConnectionProvider(connections, null);
            connections = null;
        }
    }

    /** A handle on a registered task: {@link #cancel} takes it back on this node. */
    @FunctionalInterface
    public interface Task {
        void cancel();
    }

    /** Quartz's JDBC job store on the platform's data source. */
    private record Connections(Database database) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return database.connection();
        }

        @Override
        public void shutdown() {}

        @Override
        public void initialize() {}
    }

    /** A recurring task: one firing at a time across the nodes. */
    @DisallowConcurrentExecution
    public static final class Recurring implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            throw new IllegalStateException("run through the platform's job factory");
        }
    }

    /** A job that runs once, again after its node's death. */
    public static final class Once implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            throw new IllegalStateException("run through the platform's job factory");
        }
    }
}
