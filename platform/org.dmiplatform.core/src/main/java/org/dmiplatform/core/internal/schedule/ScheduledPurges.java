package org.dmiplatform.core.internal.schedule;

import java.time.Duration;
import org.dmiplatform.core.internal.programme.Purge;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 28 CFR 23.20(h) purge, by itself: a minute after the start (storage is ready by then) and every quarter of an
 * hour after, each site's entries whose review day has passed there are purged.
 * What is due is read from the database at each run, so a purge missed while the platform was down happens at the
 * first run after; a run finds nothing left of what an earlier run purged.
 */
@Component(service = ScheduledPurges.class, immediate = true)
public class ScheduledPurges {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledPurges.class);

    static final Duration FIRST = Duration.ofMinutes(1);
    static final Duration EVERY = Duration.ofMinutes(15);

    private final Purge purge;
    private final Schedule.Task task;

    @Activate
    public ScheduledPurges(@Reference Purge purge, @Reference Schedule schedule) {
        this.purge = purge;
        this.task = schedule.every(FIRST, EVERY, "purges", this::purgeWhenDue);
    }

    @Deactivate
    void deactivate() {
        task.cancel();
    }

    void purgeWhenDue() {
        int purged = purge.purgeDue();
        if (purged > 0) {
            LOG.info(
                    "Purged {} entr{} of the dealer lists: review overdue (28 CFR 23.20(h))",
                    purged,
                    purged == 1 ? "y" : "ies");
        }
    }
}
