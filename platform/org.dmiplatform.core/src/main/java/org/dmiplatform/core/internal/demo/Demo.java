package org.dmiplatform.core.internal.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.directory.DirectoryFile;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.ImportReport;
import org.dmiplatform.api.directory.ServiceDirectory;
import org.dmiplatform.api.mapping.Layer;
import org.dmiplatform.api.mapping.LayerFile;
import org.dmiplatform.api.mapping.Mapping;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.CommunityWork;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.Progress;
import org.dmiplatform.api.programme.Teams;
import org.dmiplatform.api.store.Imports;
import org.dmiplatform.core.internal.Folders;
import org.dmiplatform.core.internal.access.AccountsImpl;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo mode ({@code DMI_DEMO=true}, what {@code ./dmi run} starts): the shipped demo sites, one account per role with
 * a generated password, a demo team, the sites' public records imported (the excerpts in the distribution's
 * {@code demo/records/<site>/}), and one intervention part-way through the nine steps. Every person, team member and
 * account it makes up says "(demo)" in its name; a start without demo mode never runs any of it.
 */
@Component(service = Demo.class)
public class Demo {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    static final String DEMO_FILE = "demo-users.txt";
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    /** A target area per demo site, where its excerpt's records lie (longitude/latitude). */
    private static final Map<String, String> TARGETS = Map.of(
            "chicago",
            "{\"type\":\"Polygon\",\"coordinates\":[[[-87.680,41.740],[-87.620,41.740],[-87.620,41.790],"
                    + "[-87.680,41.790],[-87.680,41.740]]]}",
            "denver",
            "{\"type\":\"Polygon\",\"coordinates\":[[[-105.000,39.730],[-104.960,39.730],[-104.960,39.760],"
                    + "[-105.000,39.760],[-105.000,39.730]]]}");

    private final Accounts accounts;
    private final Sites sites;
    private final SiteProvisioning provisioning;
    private final Teams teams;
    private final Programme programme;
    private final Market market;
    private final CallIns callIns;
    private final CommunityWork community;
    private final Imports imports;
    private final org.dmiplatform.core.internal.programme.MarketAlertsImpl alerts;
    private final org.dmiplatform.api.programme.Materials materials;
    private final Path home;
    private final Path data;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public Demo(
            @Reference Accounts accounts,
            @Reference Sites sites,
            @Reference SiteProvisioning provisioning,
            @Reference Teams teams,
            @Reference Programme programme,
            @Reference Market market,
            @Reference CallIns callIns,
            @Reference CommunityWork community,
            @Reference Imports imports,
            @Reference org.dmiplatform.core.internal.programme.MarketAlertsImpl alerts,
            @Reference org.dmiplatform.api.programme.Materials materials,
            BundleContext context) {
        this.accounts = accounts;
        this.sites = sites;
        this.provisioning = provisioning;
        this.teams = teams;
        this.programme = programme;
        this.market = market;
        this.callIns = callIns;
        this.community = community;
        this.imports = imports;
        this.alerts = alerts;
        this.materials = materials;
        this.home = Folders.home(context);
        this.data = Folders.data(context);
    }

    /** Everything demo mode adds, each part only once: a second start of the demo changes nothing. */
    public void run() {
        // the demo sites only (the templates of the demo cohort): the programme's site kits are provisioned by
        // dmi:site-provision-all or POST /api/v1/sites {"templates": "all"}, which a demo start keeps fast without
        for (String template : provisioning.templates()) {
            if (sites.find(template).isEmpty()) {
                SiteDefinition definition = provisioning.template(template);
                if (SiteProvisioning.DEMO_COHORT.equals(definition.site().cohort())) {
                    provisioning.provision(definition, Actor.SYSTEM);
                }
            }
        }
        // demo accounts, teams, records and interventions go to the demo sites alone, never to a real site's kit
        List<Site> demoSites = sites.list().stream()
                .filter(site -> SiteProvisioning.DEMO_COHORT.equals(site.cohort()))
                .toList();
        List<String> created = new ArrayList<>();
        created.addAll(account("demo-tta-admin", "TTA administrator (demo)", Grant.national(Role.TTA_ADMIN)));
        created.addAll(account("demo-tta-staff", "TTA staff (demo)", Grant.national(Role.TTA_STAFF)));
        for (Site site : demoSites) {
            for (Role role : Role.values()) {
                if (!role.isNational()) {
                    // a demo administrator's name carries the prefix that spares it the second factor in demo mode
                    String prefix = role == Role.SITE_ADMIN ? AccountsImpl.DEMO_ACCOUNT_PREFIX : "";
                    created.addAll(account(
                            prefix + site.id() + "-" + role.id(),
                            site.name().replace(" (demo)", "") + " " + role.id() + " (demo)",
                            Grant.at(site.id(), role)));
                }
            }
        }
        for (Site site : demoSites) {
            team(site);
            records(site);
            layers(site);
            directory(site);
            intervention(site);
            pastIntervention(site);
        }
        if (!demoSites.isEmpty()) {
            materials(demoSites);
        }
        Path file = data.resolve(DEMO_FILE);
        try {
            appendOwnerOnly(file, created);
            System.out.println();
            System.out.println("DMI Platform demo accounts (kept in " + file + "):");
            System.out.print(Files.readString(file, StandardCharsets.UTF_8));
            System.out.println();
        } catch (IOException e) {
            LOG.error("Cannot write the demo accounts to {}: {}", file, e.getMessage());
        }
        LOG.info("Demo mode: {} demo site(s); accounts listed in {}", demoSites.size(), file);
    }

    /** The platform, acting at one site as its administrator would. */
    private static Caller platform(String site, Role... more) {
        List<Grant> grants = new ArrayList<>(List.of(Grant.at(site, Role.SITE_ADMIN)));
        for (Role role : more) {
            grants.add(Grant.at(site, role));
        }
        return new Caller(
                new User(0, Actor.SYSTEM.name(), "DMI Platform (demo)", grants, true, false, Instant.EPOCH),
                Actor.SYSTEM.from());
    }

    /**
     * The TTA team's shared materials for the demo cohort: a call-in script the demo sites adopted as version 1 before
     * the team published version 2 (so each sees a newer national version), and a guide to Step 1.
     */
    private void materials(List<Site> demoSites) {
        Caller tta = new Caller(
                new User(
                        0,
                        Actor.SYSTEM.name(),
                        "DMI Platform (demo)",
                        List.of(Grant.national(Role.TTA_ADMIN)),
                        true,
                        false,
                        Instant.EPOCH),
                Actor.SYSTEM.from());
        String script = "Call-in script (demo)";
        if (materials.materials(tta).stream().anyMatch(m -> m.title().equals(script))) {
            return;
        }
        org.dmiplatform.api.programme.Materials.Material published = materials.publish(
                new org.dmiplatform.api.programme.Materials.NewMaterial(
                        script,
                        org.dmiplatform.api.programme.Materials.Kind.CALL_IN_SCRIPT,
                        SiteProvisioning.DEMO_COHORT,
                        false,
                        org.dmiplatform.api.programme.Materials.Format.MARKDOWN,
                        """
                                # The call-in (demo)

                                1. **Welcome** (chief of police, 2 minutes): why everyone is here tonight.
                                2. **The community speaks** (mothers, pastors, neighbours; 20 minutes): the harm the
                                   market did, and that they want them home and safe.
                                3. **The case** (prosecutor, 5 minutes): the banked case, suspended, not dropped.
                                4. **The offer** (service providers, 15 minutes): jobs, treatment, schooling, tonight.
                                5. **Close** (chief of police): the market is closed; what happens to whoever deals.
                                """,
                        "the order of speakers most sites use"),
                tta);
        for (Site site : demoSites) {
            materials.adopt(site.id(), published.summary().id(), Optional.of(1), platform(site.id()));
        }
        materials.publishVersion(
                published.summary().id(),
                new org.dmiplatform.api.programme.Materials.NewVersion(
                        null,
                        """
                        # The call-in (demo)

                        1. **Welcome** (chief of police, 2 minutes): why everyone is here tonight.
                        2. **The community speaks** (mothers, pastors, neighbours; 20 minutes): the harm the market
                           did, and that they want them home and safe.
                        3. **The case** (prosecutor, 5 minutes): the banked case, suspended, not dropped.
                        4. **The offer** (service providers, 15 minutes): jobs, treatment, schooling, tonight; each
                           candidate leaves with an appointment, not a leaflet.
                        5. **Close** (chief of police): the market is closed; what happens to whoever deals.
                        """,
                        "each candidate leaves with an appointment",
                        1),
                tta);
        materials.publish(
                new org.dmiplatform.api.programme.Materials.NewMaterial(
                        "Step 1 crime mapping guide (demo)",
                        org.dmiplatform.api.programme.Materials.Kind.GUIDE,
                        SiteProvisioning.DEMO_COHORT,
                        false,
                        org.dmiplatform.api.programme.Materials.Format.MARKDOWN,
                        """
                        # Finding the market (demo)

                        - Map a year of drug incidents and drug calls for service; look for the hot spots that stay.
                        - Ask the officers who work the area where the dealing is; compare with the map.
                        - Draw the target area tight around the market, a comparison area like it, and a buffer.
                        """,
                        "Step 1 in a page"),
                tta);
    }

    /** A demo team with the four required roles, a point of contact and sign-off: every name says "(demo)". */
    private void team(Site site) {
        if (!teams.team(site.id()).members().isEmpty()) {
            return;
        }
        Caller system = platform(site.id());
        LocalDate since = LocalDate.now(site.timeZone()).minusMonths(2);
        String agency = site.jurisdiction().isEmpty() ? site.name() : site.jurisdiction();
        teams.addMember(
                site.id(),
                new Teams.NewMember("Narcotics lieutenant (demo)", agency, Teams.TeamRole.POLICE, true, since, ""),
                system);
        teams.addMember(
                site.id(),
                new Teams.NewMember(
                        "Assistant prosecutor (demo)",
                        "Prosecutor's Office (demo)",
                        Teams.TeamRole.PROSECUTOR,
                        false,
                        since,
                        ""),
                system);
        teams.addMember(
                site.id(),
                new Teams.NewMember(
                        "Neighborhood pastor (demo)", "Community (demo)", Teams.TeamRole.COMMUNITY, false, since, ""),
                system);
        teams.addMember(
                site.id(),
                new Teams.NewMember(
                        "Case manager (demo)",
                        "Human Services (demo)",
                        Teams.TeamRole.SOCIAL_SERVICES,
                        false,
                        since,
                        ""),
                system);
        teams.signOff(site.id(), "Chief of Police (demo)", since.plusWeeks(2), "demo sign-off", system);
    }

    /**
     * The site's public records, from the excerpts shipped with the distribution, through the site's own records
     * adapter; waits for each import to end, so the console shows them once the platform says it has started.
     */
    private void records(Site site) {
        Path folder = home.resolve("demo").resolve("records").resolve(site.id());
        Caller system = platform(site.id());
        if (!Files.isDirectory(folder) || !imports.history(site.id(), 1, system).isEmpty()) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(folder, "*.csv")) {
            found.forEach(files::add);
        } catch (IOException e) {
            LOG.warn("Demo records of {} cannot be read: {}", site.id(), e.getMessage());
            return;
        }
        files.sort(null);
        for (Path file : files) {
            try {
                Imports.Import started = awaitAdapter(site, file, system);
                Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
                Imports.Import now = started;
                while ((now.status() == Imports.Status.QUEUED || now.status() == Imports.Status.RUNNING)
                        && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                    now = imports.find(site.id(), started.id(), system);
                }
                LOG.info(
                        "Demo records of {}: {} {} ({} new)",
                        site.id(),
                        file.getFileName(),
                        now.status(),
                        now.inserted());
            } catch (InvalidInputException e) {
                LOG.warn("Demo records of {} not imported: {}", site.id(), e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The site's public boundary layers ({@code demo/layers/<site>/<name>.geojson}), through the site's own mapping
     * plug-in, waiting a while for it to bind. A site that has layers already keeps them.
     */
    private void layers(Site site) {
        Path folder = home.resolve("demo").resolve("layers").resolve(site.id());
        if (!Files.isDirectory(folder)) {
            return;
        }
        Caller system = platform(site.id(), Role.SITE_ADMIN);
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            Optional<Mapping> mapping = sites.plugin(site.id(), Mapping.class);
            while (mapping.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(250);
                mapping = sites.plugin(site.id(), Mapping.class);
            }
            if (mapping.isEmpty()) {
                LOG.warn("Demo layers of {} not loaded: the site has no mapping plug-in", site.id());
                return;
            }
            if (!mapping.get().layers(site, system).isEmpty()) {
                return;
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> found = Files.newDirectoryStream(folder, "*.geojson")) {
                found.forEach(files::add);
            }
            files.sort(null);
            for (Path file : files) {
                // chicago-beats.geojson is the layer "beats"
                String name =
                        file.getFileName().toString().replace(".geojson", "").replaceFirst("^" + site.id() + "-", "");
                try (java.io.InputStream in = Files.newInputStream(file)) {
                    Layer layer = mapping.get()
                            .saveLayer(
                                    site,
                                    new LayerFile(
                                            name,
                                            LAYER_LABELS.getOrDefault(name, name),
                                            file.getFileName().toString(),
                                            in),
                                    system);
                    LOG.info("Demo layer of {}: {} ({} polygons)", site.id(), name, layer.polygons());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Demo layers of {} not loaded: {}", site.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The site's demo service directory ({@code demo/directory/<site>/*.json}, made-up providers in HSDS 3.0 JSON),
     * imported into the site's directory that imports, waiting a while for it to bind; a directory with services keeps
     * them.
     */
    private void directory(Site site) {
        Path folder = home.resolve("demo").resolve("directory").resolve(site.id());
        if (!Files.isDirectory(folder)) {
            return;
        }
        Caller system = platform(site.id(), Role.SITE_ADMIN);
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            Optional<ServiceDirectory> directory = importing(site);
            while (directory.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(250);
                directory = importing(site);
            }
            if (directory.isEmpty()) {
                LOG.warn("Demo directory of {} not loaded: the site has no service directory that imports", site.id());
                return;
            }
            if (!directory.get().search(site, DirectoryQuery.all(), system).isEmpty()) {
                return;
            }
            try (DirectoryStream<Path> found = Files.newDirectoryStream(folder, "*.json")) {
                for (Path file : found) {
                    try (java.io.InputStream in = Files.newInputStream(file)) {
                        ImportReport report = directory
                                .get()
                                .importPackage(
                                        site,
                                        new DirectoryFile(file.getFileName().toString(), in),
                                        system);
                        LOG.info(
                                "Demo directory of {}: {} services ({})",
                                site.id(),
                                report.services(),
                                report.format());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Demo directory of {} not loaded: {}", site.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<ServiceDirectory> importing(Site site) {
        return sites.pluginsOf(site.id(), ServiceDirectory.class).stream()
                .filter(ServiceDirectory::imports)
                .findFirst();
    }

    private static final java.util.Map<String, String> LAYER_LABELS = java.util.Map.of(
            "beats", "Police beats", "districts", "Police districts", "community-areas", "Community areas");

    /** A site provisioned a moment ago gets its adapter when its feature has started: wait for it a while. */
    private Imports.Import awaitAdapter(Site site, Path file, Caller system) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                return imports.start(
                        site.id(), Optional.empty(), file, file.getFileName().toString(), false, system);
            } catch (InvalidInputException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    /**
     * One intervention part-way through the nine steps: the team formed, the market mapped with its target area, the
     * dealer list made up of four "(demo)" persons with their decisions, a banked case, the call-in planned and the
     * first letters out, and a community meeting; Steps 6 to 9 are still to do.
     */
    private void intervention(Site site) {
        if (!programme.interventions(site.id()).isEmpty()) {
            return;
        }
        Caller admin = platform(site.id(), Role.POLICE, Role.PROSECUTOR, Role.POC, Role.COMMUNITY);
        LocalDate today = LocalDate.now(site.timeZone());
        long id = programme
                .create(
                        site.id(),
                        new Programme.NewIntervention(
                                "Demo market (demo)",
                                today.minusWeeks(8),
                                "(demo) The blocks with the most drug calls and arrests of the last year"),
                        admin)
                .id();
        Optional<String> target = Optional.ofNullable(TARGETS.get(site.id()));
        if (target.isPresent()) {
            programme.setAreas(
                    site.id(),
                    id,
                    new Programme.Areas(
                            target,
                            Optional.empty(),
                            Optional.empty(),
                            "(demo) The open-air market of the crime map: drug and weapons calls concentrated here"),
                    admin);
        }
        for (String step : List.of("team", "swot", "1", "2", "3", "3a")) {
            programme.setProgress(site.id(), id, step, "", Progress.DONE, "(demo)", admin);
        }
        long first = person(site, id, "Demo Person A (demo)", Market.Decision.CALL_IN, admin);
        long second = person(site, id, "Demo Person B (demo)", Market.Decision.CALL_IN, admin);
        person(site, id, "Demo Person C (demo)", Market.Decision.PROSECUTE_NOW, admin);
        person(site, id, "Demo Person D (demo)", Market.Decision.EXCLUDED, admin);
        programme.setProgress(site.id(), id, "3b", "", Progress.DONE, "(demo)", admin);
        market.bankCase(
                site.id(),
                id,
                first,
                new Market.NewBankedCase(
                        2, "(demo) two undercover buys on video", "(demo) unsigned warrant", today.plusMonths(6)),
                admin);
        programme.setProgress(site.id(), id, "4", "", Progress.IN_PROGRESS, "(demo) buys under way", admin);
        callIns.plan(
                site.id(),
                id,
                new CallIns.Plan(
                        LocalDateTime.of(today.plusWeeks(3), java.time.LocalTime.of(18, 30)),
                        "Community center (demo)",
                        "Chief of Police (demo), Neighborhood pastor (demo)",
                        ""),
                admin);
        programme.setProgress(site.id(), id, "5a", "", Progress.DONE, "(demo)", admin);
        CallIns.Letter letter = callIns.generateLetter(site.id(), id, first, admin);
        callIns.generateLetter(site.id(), id, second, admin);
        callIns.markSent(site.id(), id, letter.id(), today.minusDays(1), admin);
        programme.setProgress(site.id(), id, "6a", "", Progress.IN_PROGRESS, "(demo) one letter of two mailed", admin);
        community.addMeeting(
                site.id(),
                id,
                new CommunityWork.NewMeeting(
                        CommunityWork.MeetingKind.COMMUNITY_MEETING,
                        today.minusWeeks(2),
                        "(demo) residents of the target blocks",
                        "Church hall (demo)",
                        35,
                        "(demo) residents named the corners where dealing goes on"),
                admin);
        LOG.info("Demo intervention {} at {}", id, site.id());
    }

    /**
     * At Chicago, a finished intervention whose outcome can be evaluated: its three areas, its call-in eighteen months
     * ago, and two and a half years of made-up drug incidents around it ({@link PastMarket}), imported through the
     * site's own records adapter like any export.
     */
    private void pastIntervention(Site site) {
        if (!site.id().equals("chicago")
                || programme.interventions(site.id()).stream()
                        .anyMatch(i -> i.name().equals(PastMarket.NAME))) {
            return;
        }
        Caller admin = platform(site.id(), Role.POLICE, Role.POC);
        LocalDate today = LocalDate.now(site.timeZone());
        LocalDate callIn = PastMarket.callIn(today);
        long id = programme
                .create(
                        site.id(),
                        new Programme.NewIntervention(
                                PastMarket.NAME,
                                callIn.minusMonths(6),
                                "(demo) A finished intervention with made-up incidents, to show the outcome report"),
                        admin)
                .id();
        programme.setAreas(
                site.id(),
                id,
                new Programme.Areas(
                        Optional.of(PastMarket.TARGET),
                        Optional.of(PastMarket.COMPARISON),
                        Optional.of(PastMarket.BUFFER),
                        "(demo) the market's blocks, a like neighbourhood to compare with, and the blocks around"),
                admin);
        callIns.plan(
                site.id(),
                id,
                new CallIns.Plan(callIn.atTime(18, 30), "Community center (demo)", "Chief of Police (demo)", ""),
                admin);
        // a finished intervention: the six kinds of service were arranged, every step it could mark done is done (the
        // gates that need its people are left), and the call-in was held
        for (Market.ServiceCategory kind : Market.ServiceCategory.values()) {
            callIns.arrangeService(
                    site.id(),
                    id,
                    new CallIns.Arrangement(
                            kind,
                            true,
                            "Provider of "
                                    + kind.name()
                                            .toLowerCase(java.util.Locale.ROOT)
                                            .replace('_', ' ') + " (demo)",
                            "",
                            ""),
                    admin);
        }
        // the steps up to the call-in, the call-in held (Step 7b is done once it is), then the steps after it
        doneWherePossible(site, id, admin);
        try {
            callIns.held(site.id(), id, admin);
        } catch (RuntimeException e) {
            LOG.warn("Demo past market: the call-in is not held: {}", e.getMessage());
        }
        doneWherePossible(site, id, admin);
        try {
            Path file = data.resolve("demo").resolve("chicago-past-market.csv");
            Files.createDirectories(file.getParent());
            PastMarket.write(file, today);
            Imports.Import started = awaitAdapter(site, file, admin);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            Imports.Import now = started;
            while ((now.status() == Imports.Status.QUEUED || now.status() == Imports.Status.RUNNING)
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                now = imports.find(site.id(), started.id(), admin);
            }
            LOG.info("Demo past market at {}: {} incidents {}", site.id(), now.inserted(), now.status());
            // the watch runs every hour; the demo shows its alert at once, once the reporting plug-in is bound
            Instant bound = Instant.now().plus(Duration.ofSeconds(60));
            while (sites.plugin(site.id(), org.dmiplatform.api.reporting.Reporting.class)
                            .isEmpty()
                    && Instant.now().isBefore(bound)) {
                Thread.sleep(250);
            }
            LOG.info("Demo market watch: {} alert(s) raised", alerts.watchAll());
        } catch (IOException | InvalidInputException e) {
            LOG.warn("Demo past market of {} has no records: {}", site.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long person(Site site, long intervention, String name, Market.Decision decision, Caller admin) {
        long id = market.enter(
                        site.id(),
                        intervention,
                        new Market.NewPerson(
                                name,
                                "",
                                Market.Level.STREET,
                                "(demo) seen selling at the target corners in the Step 2 surveys",
                                "(demo) vice unit survey",
                                ""),
                        admin)
                .id();
        market.decide(site.id(), intervention, id, decision, "(demo) street level, criteria of Step 3b", admin);
        return id;
    }

    private List<String> account(String username, String displayName, Grant grant) {
        boolean administrator = grant.role() == Role.TTA_ADMIN || grant.role() == Role.SITE_ADMIN;
        if (administrator && !username.startsWith(AccountsImpl.DEMO_ACCOUNT_PREFIX)) {
            // the prefix is what marks an administrator whom demo mode spares the second factor
            throw new IllegalArgumentException(
                    "a demo administrator's name starts " + AccountsImpl.DEMO_ACCOUNT_PREFIX);
        }
        if (accounts.findByUsername(username).isPresent()) {
            return List.of();
        }
        char[] password = password();
        String line = String.format(
                "%-28s %s   %s",
                username,
                new String(password),
                grant.site().equals(Grant.ALL_SITES)
                        ? grant.role().id()
                        : grant.role().id() + " at " + grant.site());
        accounts.create(new NewUser(username, displayName, password, List.of(grant)), Actor.SYSTEM);
        return List.of(line);
    }

    private char[] password() {
        char[] out = new char[20];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return out;
    }

    static void appendOwnerOnly(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    file, String.format("%-28s %s   %s%n", "# user", "password", "role"), StandardCharsets.UTF_8);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append(System.lineSeparator()));
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Every step of the intervention that can be marked done now, marked done; the others are left. */
    private void doneWherePossible(Site site, long id, Caller admin) {
        for (org.dmiplatform.api.programme.Checklist.StepProgress step :
                programme.checklist(site.id(), id).steps()) {
            if (step.state().status() == Progress.DONE) {
                continue;
            }
            try {
                programme.setProgress(site.id(), id, step.step(), "", Progress.DONE, "(demo)", admin);
            } catch (RuntimeException e) {
                LOG.debug("Demo past market: step {} left: {}", step.step(), e.getMessage());
            }
        }
    }
}
