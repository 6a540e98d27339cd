package org.dmiplatform.web.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.servlet.Servlet;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.dmiplatform.api.PlatformHealth;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.CommunityWork;
import org.dmiplatform.api.programme.Debriefs;
import org.dmiplatform.api.programme.FollowUps;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.MarketAlerts;
import org.dmiplatform.api.programme.Materials;
import org.dmiplatform.api.programme.PerformanceMeasures;
import org.dmiplatform.api.programme.ProcessReports;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.Teams;
import org.dmiplatform.api.programme.TreatmentConsents;
import org.dmiplatform.api.store.Imports;
import org.dmiplatform.api.store.RecordsStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The REST API under {@code /api/v1}: adapts servlet requests to {@link Api}. */
@Component(service = Servlet.class, configurationPid = "org.dmiplatform.web")
@Designate(ocd = ApiServlet.Config.class)
@HttpWhiteboardServletName("dmi-api")
@HttpWhiteboardServletPattern("/api/v1/*")
public class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient Api api;

    @ObjectClassDefinition(name = "DMI REST API")
    public @interface Config {
        @AttributeDefinition(description = "Log-in attempts a minute from one address before refusals (ASVS 2.2.1)")
        int loginAttemptsPerMinute() default LoginThrottle.DEFAULT_ATTEMPTS;

        @AttributeDefinition(description = "Largest records export an upload may be, in MiB")
        long maxUploadMegabytes() default 2048;
    }

    /** Everything the API serves from. */
    record Services(
            PlatformHealth health,
            Sites sites,
            SiteProvisioning provisioning,
            Accounts accounts,
            Sessions sessions,
            AuditLog audit,
            Programme programme,
            Teams teams,
            Market market,
            CallIns callIns,
            CommunityWork community,
            TreatmentConsents consents,
            FollowUps followUps,
            MarketAlerts alerts,
            PerformanceMeasures performance,
            ProcessReports processReports,
            Debriefs debriefs,
            Materials materials,
            Imports imports,
            RecordsStore records,
            org.dmiplatform.api.records.RecordsProfiles profiles,
            java.util.function.Supplier<java.util.Optional<org.dmiplatform.api.records.CodeLists>> codeLists,
            org.dmiplatform.api.AddOns addOns,
            org.dmiplatform.api.Runs runs) {}

    /** Reads departments' code lists from spreadsheets, when the CSV records adapter is installed. */
    @Reference(
            cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    private volatile org.dmiplatform.api.records.CodeLists codeLists;

    @Activate
    public ApiServlet(
            @Reference PlatformHealth health,
            @Reference Sites sites,
            @Reference SiteProvisioning provisioning,
            @Reference Accounts accounts,
            @Reference Sessions sessions,
            @Reference AuditLog audit,
            @Reference Programme programme,
            @Reference Teams teams,
            @Reference Market market,
            @Reference CallIns callIns,
            @Reference CommunityWork community,
            @Reference TreatmentConsents consents,
            @Reference FollowUps followUps,
            @Reference MarketAlerts alerts,
            @Reference PerformanceMeasures performance,
            @Reference ProcessReports processReports,
            @Reference Debriefs debriefs,
            @Reference Materials materials,
            @Reference Imports imports,
            @Reference RecordsStore records,
            @Reference org.dmiplatform.api.records.RecordsProfiles profiles,
            @Reference org.dmiplatform.api.AddOns addOns,
            @Reference org.dmiplatform.api.Runs runs,
            Config config) {
        this.api = create(
                new Services(
                        health,
                        sites,
                        provisioning,
                        accounts,
                        sessions,
                        audit,
                        programme,
                        teams,
                        market,
                        callIns,
                        community,
                        consents,
                        followUps,
                        alerts,
                        performance,
                        processReports,
                        debriefs,
                        materials,
                        imports,
                        records,
                        profiles,
                        () -> java.util.Optional.ofNullable(codeLists),
                        addOns,
                        runs),
                Clock.systemUTC(),
                config.loginAttemptsPerMinute(),
                config.maxUploadMegabytes() * 1024 * 1024);
    }

    static Api create(Services s, Clock clock, int loginAttemptsPerMinute, long maxUploadBytes) {
        List<Route> routes = new ArrayList<>();
        routes.addAll(new HealthRoutes(s.health()).routes());
        routes.addAll(new SessionRoutes(
                        s.accounts(), s.sessions(), s.audit(), new LoginThrottle(clock, loginAttemptsPerMinute))
                .routes());
        routes.addAll(new SiteRoutes(s.sites(), s.provisioning(), s.accounts(), s.addOns()).routes());
        routes.addAll(new AddOnRoutes(s.addOns(), s.sites(), maxUploadBytes).routes());
        routes.addAll(new OnboardingRoutes(s.provisioning(), s.profiles(), s.codeLists(), s.audit()).routes());
        routes.addAll(new UserRoutes(s.accounts(), s.sessions()).routes());
        routes.addAll(new AuditRoutes(s.audit()).routes());
        routes.addAll(new ProgrammeRoutes(s.programme()).routes());
        routes.addAll(new TeamRoutes(s.teams()).routes());
        routes.addAll(new MarketRoutes(s.market()).routes());
        routes.addAll(new CallInRoutes(s.callIns()).routes());
        routes.addAll(new CommunityRoutes(s.community(), s.sites()).routes());
        routes.addAll(new ConsentRoutes(s.consents()).routes());
        routes.addAll(new FollowUpRoutes(s.followUps()).routes());
        RecordRoutes records = new RecordRoutes(s.imports(), s.records(), s.sites(), s.programme(), maxUploadBytes);
        routes.addAll(records.routes());
        routes.addAll(new MapRoutes(s.sites(), s.programme(), records::query, maxUploadBytes).routes());
        routes.addAll(new DirectoryRoutes(s.sites(), maxUploadBytes).routes());
        routes.addAll(new ReportRoutes(s.sites(), s.alerts(), s.performance(), s.processReports()).routes());
        routes.addAll(new DebriefRoutes(s.debriefs()).routes());
        routes.addAll(new MaterialRoutes(s.materials()).routes());
        RunRoutes runs = new RunRoutes(s.runs());
        routes.addAll(runs.routes());
        Api api = new Api(routes, s.sites(), s.accounts(), s.sessions(), s.audit(), clock)
                .withPathCheck("intervention", (site, id) -> s.programme().intervention(site, id))
                .withPathCheck("material", (site, id) -> s.materials().requireReachable(site, id));
        runs.attach(api);
        // this node makes runs while it serves the API
        api.closeWith(s.runs().maker(runs::make));
        return api;
    }

    @Deactivate
    void deactivate() {
        api.close();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ApiResponse response = api.handle(new ApiRequest(
                req.getMethod().toUpperCase(Locale.ROOT),
                req.getPathInfo() == null ? "/" : req.getPathInfo(),
                query(req.getQueryString()),
                headers(req),
                cookies(req),
                req.getRemoteAddr(),
                req.isSecure(),
                req.getInputStream()));
        resp.setStatus(response.status());
        for (Map.Entry<String, String> header : response.headers()) {
            resp.addHeader(header.getKey(), header.getValue());
        }
        resp.setContentLength(response.body().length);
        resp.getOutputStream().write(response.body());
    }

    /** Parsed by hand: {@code getParameterMap} would also read a form body. */
    static Map<String, List<String>> query(String query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static Map<String, String> headers(HttpServletRequest req) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            out.put(name.toLowerCase(Locale.ROOT), req.getHeader(name));
        }
        return out;
    }

    private static Map<String, String> cookies(HttpServletRequest req) {
        Map<String, String> out = new LinkedHashMap<>();
        if (req.getCookies() != null) {
            for (Cookie cookie : req.getCookies()) {
                out.putIfAbsent(cookie.getName(), cookie.getValue());
            }
        }
        return out;
    }
}
