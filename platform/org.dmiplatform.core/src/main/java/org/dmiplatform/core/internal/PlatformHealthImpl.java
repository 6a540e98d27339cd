package org.dmiplatform.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.dmiplatform.api.PlatformHealth;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.StorageUnavailableException;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.core.internal.schedule.Schedule;
import org.dmiplatform.core.internal.storage.Database;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = PlatformHealth.class)
public class PlatformHealthImpl implements PlatformHealth {
    static final String NO_ADMINISTRATOR = "No administrator account exists, so the platform refuses to serve."
            + " Set DMI_ADMIN_USER and DMI_ADMIN_PASSWORD (at least 12 characters) and restart,"
            + " or run 'dmi:user-add --role tta-admin <name>' in the platform shell.";

    private final Database database;
    private final Accounts accounts;
    private final Sites sites;
    private final BooleanSupplier starting;
    private final String version;
    private final Schedule schedule;
    /** How long a report is answered again before it is made afresh. */
    private final long freshNanos;
    /** The last report and when it was made; replaced, never changed. */
    private volatile Made last;

    private record Made(Report report, long atNanos, List<String> siteIds) {}

    @Activate
    public PlatformHealthImpl(
            @Reference Database database,
            @Reference Accounts accounts,
            @Reference Sites sites,
            @Reference FirstStart firstStart,
            @Reference Schedule schedule,
            BundleContext context) {
        this(
                database,
                accounts,
                sites,
                () -> !firstStart.done(),
                context.getBundle().getHeaders().get("DMI-Version"),
                schedule,
                FRESH);
    }

    /**
     * A report is made at most once a second: load balancers and monitors ask often, and a report reads the store and
     * every site's plug-ins. A change shows within a second.
     */
    static final Duration FRESH = Duration.ofSeconds(1);

    /** Not public: Declarative Services would not know which of two constructors of five arguments to call. */
    PlatformHealthImpl(Database database, Accounts accounts, Sites sites, BooleanSupplier starting, String version) {
        this(database, accounts, sites, starting, version, null, Duration.ZERO);
    }

    private PlatformHealthImpl(
            Database database,
            Accounts accounts,
            Sites sites,
            BooleanSupplier starting,
            String version,
            Schedule schedule,
            Duration fresh) {
        this.schedule = schedule;
        this.freshNanos = fresh.toNanos();
        this.database = database;
        this.accounts = accounts;
        this.sites = sites;
        this.starting = starting;
        this.version = version == null ? "unknown" : version;
    }

    /** What keeps the site's records adapters from reading, as each says. */
    private List<String> problems(Site site) {
        List<String> out = new ArrayList<>();
        for (RecordsAdapter adapter : sites.pluginsOf(site.id(), RecordsAdapter.class)) {
            try {
                for (String problem : adapter.problems()) {
                    out.add("records adapter: " + problem);
                }
            } catch (RuntimeException e) {
                // a plug-in going away while asked: it is no longer the site's
            }
        }
        return out;
    }

    @Override
    public Report check() {
        Made made = last;
        long now = System.nanoTime();
        // a site provisioned or removed shows at once; what its plug-ins do shows within the second
        List<String> siteIds = sites.list().stream().map(Site::id).toList();
        if (made != null && now - made.atNanos() < freshNanos && made.siteIds().equals(siteIds)) {
            return made.report();
        }
        Report report = make();
        last = new Made(report, now, siteIds);
        return report;
    }

    private Report make() {
        List<String> problems = new ArrayList<>();
        String storageProblem = database.problem();
        if (storageProblem != null) {
            problems.add("Storage: " + storageProblem);
        } else {
            try {
                if (!accounts.administratorExists()) {
                    problems.add(NO_ADMINISTRATOR);
                }
            } catch (StorageUnavailableException e) {
                problems.add("Storage: " + e.getMessage());
            }
        }
        List<SiteStatus> siteStatus = new ArrayList<>();
        for (Site site : sites.list()) {
            List<PluginBinding> bound = sites.plugins(site.id());
            Set<PluginKind> missing = EnumSet.allOf(PluginKind.class);
            bound.forEach(b -> missing.remove(b.kind()));
            siteStatus.add(new SiteStatus(
                    site.id(),
                    site.name(),
                    bound,
                    missing.stream().map(k -> "no " + k.label()).toList(),
                    problems(site)));
        }
        Storage storage = new Storage(database.product(), database.schemaVersion(), storageProblem == null);
        return new Report(
                problems.isEmpty() ? Status.UP : Status.DOWN,
                starting.getAsBoolean(),
                version,
                problems,
                storage,
                siteStatus,
                schedule == null ? "" : schedule.node(),
                schedule == null ? List.of() : schedule.nodes());
    }
}
