package org.dmiplatform.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.StorageUnavailableException;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.programme.Teams;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens once the platform has storage: the first administrator from {@code DMI_ADMIN_USER} /
 * {@code DMI_ADMIN_PASSWORD} (as Keycloak does), and in demo mode ({@code DMI_DEMO=true}) the shipped demo sites
 * with one account per role and generated passwords, shown on the console and kept in an owner-only file. A
 * production start creates nothing by itself. Retries while storage is down.
 */
@Component(service = FirstStart.class, immediate = true)
public class FirstStart {
    private static final Logger LOG = LoggerFactory.getLogger(FirstStart.class);
    static final String DEMO_FILE = "demo-users.txt";
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final Accounts accounts;
    private final Sites sites;
    private final SiteProvisioning provisioning;
    private final Teams teams;
    private final Function<String, String> settings;
    private final Path dataFolder;
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "dmi-first-start"));
    private final SecureRandom random = new SecureRandom();
    private int attempts;
    private volatile boolean done;

    @Activate
    public FirstStart(
            @Reference Accounts accounts,
            @Reference Sites sites,
            @Reference SiteProvisioning provisioning,
            @Reference Teams teams,
            BundleContext context) {
        this.accounts = accounts;
        this.sites = sites;
        this.provisioning = provisioning;
        this.teams = teams;
        this.settings = name -> setting(context, name);
        this.dataFolder = Folders.data(context);
        executor.execute(this::run);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    /** Environment first, then a framework property of the same name in lower-case dotted form. */
    private static String setting(BundleContext context, String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            value = context.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return value == null ? "" : value;
    }

    /** True once the first-start work has been done or has failed for good. */
    public boolean done() {
        return done;
    }

    private void run() {
        try {
            createAdministrator();
            if (Boolean.parseBoolean(settings.apply("DMI_DEMO"))) {
                demo();
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
            LOG.info("Created administrator {} from DMI_ADMIN_USER", username);
        } catch (InvalidInputException e) {
            LOG.error("Cannot create administrator from DMI_ADMIN_USER / DMI_ADMIN_PASSWORD: {}", e.getMessage());
        }
    }

    private void demo() {
        for (String template : provisioning.templates()) {
            if (sites.find(template).isEmpty()) {
                SiteDefinition definition = provisioning.template(template);
                provisioning.provision(definition, Actor.SYSTEM);
            }
        }
        List<String> created = new ArrayList<>();
        created.addAll(demoUser("demo-tta-admin", "TTA administrator (demo)", Grant.national(Role.TTA_ADMIN)));
        created.addAll(demoUser("demo-tta-staff", "TTA staff (demo)", Grant.national(Role.TTA_STAFF)));
        for (Site site : sites.list()) {
            for (Role role : Role.values()) {
                if (!role.isNational()) {
                    created.addAll(demoUser(
                            site.id() + "-" + role.id(),
                            site.name().replace(" (demo)", "") + " " + role.id() + " (demo)",
                            Grant.at(site.id(), role)));
                }
            }
        }
        for (Site site : sites.list()) {
            demoTeam(site);
        }
        Path file = dataFolder.resolve(DEMO_FILE);
        try {
            appendOwnerOnly(file, created);
            System.out.println();
            System.out.println("DMI Platform demo accounts (kept in " + file + "):");
            System.out.print(Files.readString(file, StandardCharsets.UTF_8));
            System.out.println();
        } catch (IOException e) {
            LOG.error("Cannot write the demo accounts to {}: {}", file, e.getMessage());
        }
        LOG.info("Demo mode: {} site(s); accounts listed in {}", sites.list().size(), file);
    }

    /** A demo team with the four required roles, a point of contact and sign-off: every name says "(demo)". */
    private void demoTeam(Site site) {
        if (!teams.team(site.id()).members().isEmpty()) {
            return;
        }
        Caller system = new Caller(
                new User(
                        0,
                        Actor.SYSTEM.name(),
                        "DMI Platform",
                        List.of(Grant.at(site.id(), Role.SITE_ADMIN)),
                        true,
                        false,
                        Instant.EPOCH),
                Actor.SYSTEM.from());
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

    private List<String> demoUser(String username, String displayName, Grant grant) {
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
}
