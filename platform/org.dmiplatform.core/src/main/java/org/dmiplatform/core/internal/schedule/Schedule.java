package org.dmiplatform.core.internal.schedule;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's timer: work that runs by itself at a fixed delay (scheduled pulls, the 28 CFR 23.20(h) purge; alerts to come),
 * on one thread of its own. It decides when, not what: each task checks what is due from the database, so a task that
 * missed its time (the platform was down) simply finds more due. Why a timer and not a job store: docs/adr/0006.
 */
@Component(service = Schedule.class)
public class Schedule {
    private static final Logger LOG = LoggerFactory.getLogger(Schedule.class);

    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "dmi-schedule"));

    /** Runs {@code task} every {@code delay}, the first time after one delay; a failure is logged, not fatal. */
    public ScheduledFuture<?> every(Duration delay, String name, Runnable task) {
        return every(delay, delay, name, task);
    }

    /** Runs {@code task} the first time after {@code first}, then every {@code delay}. */
    public ScheduledFuture<?> every(Duration first, Duration delay, String name, Runnable task) {
        return timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("Scheduled {}: {}", name, e.getMessage());
                    }
                },
                first.toMillis(),
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }
}
