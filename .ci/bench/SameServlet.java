import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.DataSourceConnectionFactory;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.dbcp2.PoolingDataSource;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.dmiplatform.api.PlatformHealth;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.core.internal.access.AccountsImpl;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.access.PasswordHasher;
import org.dmiplatform.core.internal.access.PasswordPolicy;
import org.dmiplatform.core.internal.access.SessionsImpl;
import org.dmiplatform.core.internal.schedule.RunsImpl;
import org.dmiplatform.core.internal.schedule.Schedule;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.EmbeddedStoreFactory;
import org.dmiplatform.web.internal.ApiServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.sqlite.SQLiteDataSource;

/**
 * The second anchor of the HTTP benchmark (.ci/measure-http): the platform's own API servlet, with the accounts,
 * sessions and audit trail it reads and writes on a signed-in request, in bare Jetty of the version Pax Web runs, with
 * no OSGi framework, no Pax Web and no Karaf. The store is the platform's embedded store with the platform's settings:
 * an SQLite file in WAL mode with synchronous FULL, migrated by the platform's migrations, through a DBCP2 pool of 16
 * connections tested on borrow (what etc/org.ops4j.datasource-dmi.cfg sets). One site, Chicago, from memory (in the
 * platform a site is its configuration, in memory too), an administrator and a police analyst at Chicago. Services a
 * site read does not use are left out. Usage: java -cp <the distribution's jars> SameServlet.java PORT FOLDER
 * ANALYST_PASSWORD; prints "ready" once it serves.
 */
public class SameServlet {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path folder = Paths.get(args[1]);
        Files.createDirectories(folder);
        char[] password = args[2].toCharArray();

        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + folder.resolve("dmi.sqlite"));
        EmbeddedStoreFactory.durable(sqlite);
        PoolableConnectionFactory connections = new PoolableConnectionFactory(new DataSourceConnectionFactory(sqlite), null);
        GenericObjectPool<PoolableConnection> pool = new GenericObjectPool<>(connections);
        pool.setMaxTotal(16);
        pool.setMaxWait(java.time.Duration.ofSeconds(10));
        pool.setTestOnBorrow(true);
        connections.setPool(pool);
        DataSource dataSource = new PoolingDataSource<>(pool);

        Site chicago = new Site("chicago", "Chicago", "Chicago Police Department", ZoneId.of("America/Chicago"),
                List.of("EPSG:3435"), "Demo cohort", List.of(), Optional.of(new Site.Bounds(-87.94, 41.64, -87.52, 42.03)));
        Sites sites = new Sites() {
            public List<Site> list() {
                return List.of(chicago);
            }

            public Optional<Site> find(String id) {
                return chicago.id().equals(id) ? Optional.of(chicago) : Optional.empty();
            }

            public List<PluginBinding> plugins(String siteId) {
                return List.of();
            }

            public <T> Optional<T> plugin(String siteId, Class<T> contract) {
                return Optional.empty();
            }

            public <T> List<T> pluginsOf(String siteId, Class<T> contract) {
                return List.of();
            }
        };
        Clock clock = Clock.systemUTC();
        Database database = Database.on(dataSource);
        AuditLogImpl audit = new AuditLogImpl(database, clock);
        AccountsImpl accounts =
                new AccountsImpl(database, audit, sites, clock, new PasswordHasher(1000), PasswordPolicy.standard());
        SessionsImpl sessions = new SessionsImpl(database, accounts, clock);
        accounts.create(new NewUser("bench-admin", "Bench administrator", password.clone(),
                List.of(Grant.national(Role.TTA_ADMIN))), Actor.SYSTEM);
        accounts.create(new NewUser("bench-analyst", "Bench analyst", password.clone(),
                List.of(Grant.at("chicago", Role.POLICE))), Actor.SYSTEM);

        ApiServlet.Config config = new ApiServlet.Config() {
            public int loginAttemptsPerMinute() {
                return 1000;
            }

            public long maxUploadMegabytes() {
                return 2048;
            }

            public Class<? extends Annotation> annotationType() {
                return ApiServlet.Config.class;
            }
        };
        // the platform's runs, on a schedule of their own that never starts: the read measured here makes none
        RunsImpl runs = RunsImpl.on(
                database, sites, accounts, new Schedule("bench", java.time.Duration.ofSeconds(7), 1), clock);
        // the health of one site, up: the platform makes its report at most once a second and answers it in between,
        // so a report kept for good does no less per request than the platform does
        PlatformHealth.Report report = new PlatformHealth.Report(PlatformHealth.Status.UP, false, "bench", List.of(),
                new PlatformHealth.Storage("SQLite", database.schemaVersion(), true),
                List.of(new PlatformHealth.SiteStatus("chicago", "Chicago", List.of(), List.of())), "bench",
                List.of("bench"));
        PlatformHealth health = () -> report;
        ApiServlet api = new ApiServlet(health, sites, null, accounts, sessions, audit, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, runs, config);

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(api), "/api/v1/*");
        server.setHandler(context);
        server.start();
        System.out.println("ready");
        server.join();
    }
}
