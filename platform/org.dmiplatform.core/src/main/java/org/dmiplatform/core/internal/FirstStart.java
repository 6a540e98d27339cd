package org.dmiplatform.core.internal;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.StorageUnavailableException;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.core.internal.demo.Demo;
import org.dmiplatform.core.internal.imports.ImportsImpl;
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
 * What happens once the platform has storage, before it says it has started: the scheduler starts on it, imports a
 * stop interrupted (and no other node runs) are marked so, the first administrator from {@code DMI_ADMIN_USER} /
 * {@code DMI_ADMIN_PASSWORD} (as Keycloak does), and in demo mode ({@code DMI_DEMO=true}) the {@link Demo}. A
 * production start creates nothing by itself. Retries while storage is down.
 */
@Component(service = FirstStart.class, immediate = true)
public class FirstStart {
    private static final Logger LOG = LoggerFactory.getLogger(FirstStart.class);

    private final Accounts accounts;
    private final Demo demo;
    private final ImportsImpl imports;
    private final Schedule schedule;
    private final Database database;
    private final Function<String, String> settings;
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "dmi-first-start"));
    private int attempts;
    private volatile boolean done;

    @Activate
    public FirstStart(
            @Reference Accounts accounts,
            @Reference Demo demo,
            @Reference ImportsImpl imports,
            @Reference Schedule schedule,
            @Reference Database database,
            BundleContext context) {
        this.accounts = accounts;
        this.schedule = schedule;
        this.database = database;
        this.demo = demo;
        this.imports = imports;
        this.settings = name -> StartSettings.get(context, name);
        executor.execute(this::run);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    /** True once the first-start work has been done or has failed for good. */
    public boolean done() {
        return done;
    }

    private void run() {
        try {
            boolean scheduled = true;
            try {
                schedule.start(database);
            } catch (IllegalStateException e) {
                // imports and scheduled work wait (and no import is taken for lost); the rest of the platform serves
                LOG.error("The scheduler cannot start: {}", e.getMessage(), e);
                scheduled = false;
            }
            if (scheduled) {
                imports.closeInterrupted();
            }
            createAdministrator();
            if (Boolean.parseBoolean(settings.apply("DMI_DEMO"))) {
                demo.run();
            }
            done = true;
        } catch (StorageUnavailableException e) {
            if (attempts++ % 30 == 0) {
                LOG.info("First start waits for storage: {}", e.getMessage());
            }
            executor.schedule(this::run, 1, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.error("First start failed: {}", e.getMessage(), e);
            done = true;
        }
    }

    private void createAdministrator() {
        String username = settings.apply("DMI_ADMIN_USER");
        String password = settings.apply("DMI_ADMIN_PASSWORD");
        if (username.isBlank()) {
            return;
        }
        if (accounts.findByUsername(username).isPresent()) {
            LOG.info("Administrator {} exists; DMI_ADMIN_PASSWORD is not applied again", username);
            return;
        }
        try {
            accounts.create(
                    new NewUser(
                            username, "Administrator", password.toCharArray(), List.of(Grant.national(Role.TTA_ADMIN))),
                    Actor.SYSTEM);
            LOG.info(
                    "Created administrator {} from DMI_ADMIN_USER; at the first log-in the console asks them to set up"
                            + " the second factor (an authenticator app)",
                    username);
        } catch (InvalidInputException e) {
            LOG.error("Cannot create administrator from DMI_ADMIN_USER / DMI_ADMIN_PASSWORD: {}", e.getMessage());
        }
    }
}
