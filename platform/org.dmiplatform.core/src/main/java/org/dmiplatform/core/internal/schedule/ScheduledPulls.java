package org.dmiplatform.core.internal.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.core.internal.imports.ImportsImpl;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls that run by themselves: an adapter registered with {@link RecordsAdapter#PULL_MINUTES} pulls when its last
 * import started that long ago and nothing is importing at its site. The pull runs as the platform, audited like any.
 */
@Component(service = ScheduledPulls.class, immediate = true)
public class ScheduledPulls {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledPulls.class);

    private final Sites sites;
    private final Plugins plugins;
    private final ImportsImpl imports;
    private final Clock clock;
    private final Schedule.Task task;

    @Activate
    public ScheduledPulls(
            @Reference Sites sites,
            @Reference Plugins plugins,
            @Reference ImportsImpl imports,
            @Reference Schedule schedule) {
        this.sites = sites;
        this.plugins = plugins;
        this.imports = imports;
        this.clock = Clock.systemUTC();
        this.task = schedule.every(Duration.ofMinutes(1), "pulls", this::pullWhenDue);
    }

    /** For tests: pulls checked by hand ({@link #pullWhenDue}), on the clock given. */
    public static ScheduledPulls byHand(Sites sites, Plugins plugins, ImportsImpl imports, Clock clock) {
        return new ScheduledPulls(sites, plugins, imports, clock, null);
    }

    /** Not public: Declarative Services calls the one public constructor. */
    private ScheduledPulls(Sites sites, Plugins plugins, ImportsImpl imports, Clock clock, Schedule.Task task) {
        this.sites = sites;
        this.plugins = plugins;
        this.imports = imports;
        this.clock = clock;
        this.task = task;
    }

    @Deactivate
    void deactivate() {
        task.cancel();
    }

    /** Starts the pulls that are due now. */
    public void pullWhenDue() {
        Instant now = clock.instant();
        for (Site site : sites.list()) {
            boolean busy = imports.busy(site.id());
            for (Plugins.Plugin adapter : plugins.of(site.id(), PluginKind.RECORDS_ADAPTER)) {
                int minutes = minutes(adapter.property(RecordsAdapter.PULL_MINUTES));
                boolean due = !busy
                        && minutes > 0
                        && adapter.as(RecordsAdapter.class).pulls()
                        && imports.lastStart(site.id(), adapter.name())
                                .map(at -> !at.plus(Duration.ofMinutes(minutes)).isAfter(now))
                                .orElse(true);
                if (due) {
                    LOG.info("Site {}: pulling by {} (every {} min)", site.id(), adapter.name(), minutes);
                    imports.pull(site.id(), Optional.of(adapter.name()), platform(site.id()));
                    busy = true;
                }
            }
        }
    }

    private static int minutes(Optional<String> value) {
        try {
            return value.map(v -> Math.max(0, Integer.parseInt(v))).orElse(0);
        } catch (NumberFormatException e) {
            return 0;
        }
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
}
