package org.dmiplatform.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.StorageUnavailableException;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.LoginRefusedException;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.programme.RuleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The API dispatcher: finds the route, refuses to serve while no administrator exists, resolves the session,
 * applies the route's guard and the CSRF check, runs the handler and turns every failure into a JSON problem
 * with a correlation id. Refusals of access are written to the audit log.
 */
final class Api {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    static final String SESSION_COOKIE = "DMI_SESSION";
    static final String CSRF_HEADER = "x-csrf-token";
    static final String HEALTH = "/health";
    private static final Pattern CORRELATION = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final Duration ADMIN_CHECK_CACHE = Duration.ofSeconds(5);

    private final List<Route> routes;
    private final Sites sites;
    private final Accounts accounts;
    private final Sessions sessions;
    private final AuditLog audit;
    private final Clock clock;
    private volatile Instant administratorSeenAt = Instant.MIN;

    Api(List<Route> routes, Sites sites, Accounts accounts, Sessions sessions, AuditLog audit, Clock clock) {
        this.routes = List.copyOf(routes);
        this.sites = sites;
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        return routes;
    }

    private final List<org.dmiplatform.api.Runs.Registration> registrations =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** What this API registered (it makes runs), taken back when it stops. */
    void closeWith(org.dmiplatform.api.Runs.Registration registration) {
        registrations.add(registration);
    }

    void close() {
        registrations.forEach(org.dmiplatform.api.Runs.Registration::close);
        registrations.clear();
    }

    /** Checks that an object a path names is the site's, throwing NoSuchElementException when it is not. */
    @FunctionalInterface
    interface PathCheck {
        void check(String site, long id);
    }

    private final Map<String, PathCheck> pathChecks = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Before a route runs (and before its body is read), the object its {@code {param}} names must be the site's:
     * another site's id is not found (404, audited), never a rule's 409 or a body's 400.
     */
    Api withPathCheck(String param, PathCheck check) {
        pathChecks.put(param, check);
        return this;
    }

    ApiResponse handle(ApiRequest request) {
        return handle(request, Optional.empty());
    }

    /**
     * A run's read, made as the session's user (a session made for the run, not one from a cookie): a read of a route
     * that may be a run, checked and audited as the request itself would be.
     */
    ApiResponse handleAs(ApiRequest request, Session as) {
        return handle(request, Optional.of(as));
    }

    /**
     * Checks that the session's user may ask for the read as a run of {@code site} now: a route that may be a run, at
     * that site, its guard and the objects its path names. Throws as {@link #handle} would answer.
     */
    void admitRun(ApiRequest request, String site, Session session) {
        Route route;
        try {
            route = route(request);
        } catch (ApiException noSuchRead) {
            // no read at that path (or not by GET): the request's body is wrong, not its address
            throw notARun(request, site);
        }
        Map<String, String> params = route.match(request.path()).orElseThrow();
        if (!route.runnable || !site.equals(params.get("site"))) {
            throw notARun(request, site);
        }
        admit(new Call(request, route, params, Optional.of(session)));
    }

    private ApiException notARun(ApiRequest request, String site) {
        return ApiException.badRequest(
                "a run reads one of this site's reports or analyses: " + request.method() + " " + request.path()
                        + " is not one (" + runnable(site) + ")",
                List.of(InputError.of("request body", "request", "is not a report or analysis of site " + site)));
    }

    /** The routes that may be runs, as paths of the site. */
    private String runnable(String site) {
        return routes.stream()
                .filter(r -> r.runnable)
                .map(r -> r.template.replace("{site}", site))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private ApiResponse handle(ApiRequest request, Optional<Session> as) {
        String correlationId = request.header("x-correlation-id")
                .filter(id -> CORRELATION.matcher(id).matches())
                .orElseGet(Api::correlationId);
        MDC.put("correlationId", correlationId);
        Call call = null;
        try {
            Route route = route(request);
            Map<String, String> params = route.match(request.path()).orElseThrow();
            if (!request.path().equals(HEALTH)) {
                requireAdministrator();
            }
            if (as.isPresent() && !route.runnable) {
                throw ApiException.notFound("no report or analysis at " + request.path(), false);
            }
            Optional<Session> session = as.isPresent()
                    ? as
                    : Optional.ofNullable(request.cookies().get(SESSION_COOKIE)).flatMap(sessions::resume);
            call = new Call(request, route, params, session);
            admit(call);
            Reply reply = route.handler.handle(call);
            if (route.auditAction != null) {
                audit.record(new AuditEvent(
                        call.actor().name(),
                        siteOf(call),
                        route.auditAction,
                        request.path(),
                        request.remoteAddress(),
                        AuditOutcome.SUCCESS,
                        ""));
            }
            return respond(request, correlationId, reply);
        } catch (ApiException e) {
            // a signed-in user's request for an object that is not found under the path is audited too: it is how
            // another site's ids are probed (GET /sites/chicago/interventions/<denver's id>)
            if (e.denial() || (e.status() == 404 && call != null && call.session.isPresent())) {
                deny(request, call, e.getMessage());
            }
            return problem(request, correlationId, e.status(), e.title(), e.getMessage(), e.errors(), e.headers());
        } catch (AccessDeniedException e) {
            deny(request, call, e.getMessage());
            return problem(request, correlationId, 403, "Forbidden", e.getMessage(), List.of(), List.of());
        } catch (RuleException e) {
            return problem(
                    request,
                    correlationId,
                    409,
                    "Refused by a programme rule",
                    e.getMessage(),
                    e.rule(),
                    List.of(),
                    List.of());
        } catch (InvalidInputException e) {
            return problem(request, correlationId, 400, "Bad request", e.getMessage(), e.errors(), List.of());
        } catch (LoginRefusedException e) {
            return problem(request, correlationId, 401, "Log-in refused", e.getMessage(), List.of(), List.of());
        } catch (NoSuchElementException e) {
            if (call != null && call.session.isPresent()) {
                deny(request, call, "not found: " + e.getMessage());
            }
            return problem(request, correlationId, 404, "Not found", e.getMessage(), List.of(), List.of());
        } catch (StorageUnavailableException e) {
            LOG.error("{} {} [{}]: {}", request.method(), request.path(), correlationId, e.getMessage());
            return problem(
                    request,
                    correlationId,
                    503,
                    "Service unavailable",
                    "Storage is unavailable; try again shortly.",
                    List.of(),
                    List.of(Map.entry("Retry-After", "5")));
        } catch (ThrottledException e) {
            return problem(
                    request,
                    correlationId,
                    429,
                    "Too many requests",
                    e.getMessage(),
                    List.of(),
                    List.of(Map.entry("Retry-After", Long.toString(e.seconds))));
        } catch (Exception e) {
            LOG.error("{} {} [{}] failed", request.method(), request.path(), correlationId, e);
            return problem(
                    request,
                    correlationId,
                    500,
                    "Internal error",
                    "The request failed; quote correlation id " + correlationId + " to your administrator.",
                    List.of(),
                    List.of());
        } finally {
            MDC.remove("correlationId");
        }
    }

    private Route route(ApiRequest request) {
        for (Route route : routes) {
            if (route.method.equals(request.method())
                    && route.match(request.path()).isPresent()) {
                return route;
            }
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            if (route.match(request.path()).isPresent()) {
                allowed.add(route.method);
            }
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("no API resource at " + request.path(), false);
        }
        throw new MethodNotAllowed(allowed);
    }

    /** While no administrator exists the platform refuses to serve anything but its health. */
    private void requireAdministrator() {
        Instant now = clock.instant();
        if (administratorSeenAt.plus(ADMIN_CHECK_CACHE).isAfter(now)) {
            return;
        }
        if (!accounts.administratorExists()) {
            throw new ApiException(503, "No administrator", NO_ADMINISTRATOR, List.of(), false);
        }
        administratorSeenAt = now;
    }

    static final String NO_ADMINISTRATOR = "No administrator account exists, so the platform refuses to serve."
            + " Set DMI_ADMIN_USER and DMI_ADMIN_PASSWORD (at least 12 characters) and restart,"
            + " or run 'dmi:user-add --role tta-admin <name>' in the platform shell.";

    /** The guard, then the objects the path names: they must be the site's. */
    private void admit(Call call) {
        check(call);
        for (Map.Entry<String, PathCheck> pathCheck : pathChecks.entrySet()) {
            String value = call.params.get(pathCheck.getKey());
            if (value != null && call.params.containsKey("site")) {
                long id;
                try {
                    id = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new NoSuchElementException("no " + pathCheck.getKey() + " '" + value + "'");
                }
                pathCheck.getValue().check(call.params.get("site"), id);
            }
        }
    }

    private void check(Call call) {
        Route route = call.route;
        Guard guard = route.guard;
        if (route.unsafe()) {
            checkOrigin(call.request);
        }
        if (guard.scope() == Guard.Scope.PUBLIC) {
            return;
        }
        User user = call.user();
        if (route.unsafe() && !route.csrfExempt) {
            String sent = call.request.header(CSRF_HEADER).orElse("");
            String expected = call.session.orElseThrow().csrfToken();
            if (!MessageDigest.isEqual(
                    sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
                throw ApiException.forbidden(
                        "missing or wrong CSRF token: send the csrfToken from the log-in response in the X-CSRF-Token header");
            }
        }
        switch (guard.scope()) {
            case ROLES -> {
                if (guard.roles().stream().noneMatch(user::holds)) {
                    throw ApiException.forbidden("your roles do not allow " + route);
                }
            }
            case SITE -> {
                String site = call.param("site");
                boolean exists = sites.find(site).isPresent();
                if (!exists || !(user.isNational() || user.memberOf().contains(site))) {
                    // another site's data reads as missing: its existence is not told
                    throw ApiException.notFound("no site '" + site + "'" + (exists ? " for you" : ""), true);
                }
                if (guard.roles().stream().noneMatch(role -> user.holdsAt(site, role))) {
                    throw ApiException.forbidden("your roles at " + site + " do not allow " + route
                            + ": it needs one of "
                            + guard.roles().stream().map(Role::id).sorted().toList() + " at " + site
                            + "; a site administrator of " + site + " or a TTA administrator grants roles on the"
                            + " Users page");
                }
            }
            default -> {
                // SIGNED_IN: the handler limits what the user sees
            }
        }
    }

    /** A browser sends Origin on cross-site writes; refuse any that is not this server. */
    private static void checkOrigin(ApiRequest request) {
        Optional<String> origin = request.header("origin");
        if (origin.isEmpty()) {
            return;
        }
        String host = request.header("host").orElse("");
        String expected = (request.secure() ? "https://" : "http://") + host;
        if (!origin.get().equalsIgnoreCase(expected)) {
            throw ApiException.forbidden("cross-origin request from " + origin.get() + " refused");
        }
    }

    private void deny(ApiRequest request, Call call, String reason) {
        String actor = call == null ? "-" : call.actor().name();
        String site = call == null ? "" : siteOf(call);
        try {
            audit.record(new AuditEvent(
                    actor,
                    site,
                    "access.denied",
                    request.method() + " " + request.path(),
                    request.remoteAddress(),
                    AuditOutcome.DENIED,
                    reason));
        } catch (StorageUnavailableException e) {
            LOG.error(
                    "Cannot audit a refusal of {} {} to {}: {}",
                    request.method(),
                    request.path(),
                    actor,
                    e.getMessage());
        }
    }

    /**
     * A new request's correlation id: a version 4 UUID from the thread's own generator. It ties a request's log lines
     * and error body together and guards nothing, so it needs no secure random source, whose shared lock every
     * request would otherwise queue on.
     */
    static String correlationId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xCL << 60)) | (0x8L << 60);
        return new UUID(high, low).toString();
    }

    private static String siteOf(Call call) {
        String site = call.param("site");
        return site == null ? "" : site;
    }

    private static ApiResponse respond(ApiRequest request, String correlationId, Reply reply) {
        List<Map.Entry<String, String>> headers = baseHeaders(request, correlationId);
        // a reply's own header replaces the default of the same name (a letter's own CSP)
        headers.removeIf(h -> reply.headers().stream().anyMatch(r -> r.getKey().equalsIgnoreCase(h.getKey())));
        headers.addAll(reply.headers());
        if (reply.body() instanceof Reply.Raw raw) {
            headers.add(Map.entry("Content-Type", raw.contentType()));
            return new ApiResponse(reply.status(), headers, raw.bytes());
        }
        if (reply.body() == null) {
            return new ApiResponse(reply.status(), headers, new byte[0]);
        }
        headers.add(Map.entry("Content-Type", "application/json; charset=utf-8"));
        return new ApiResponse(reply.status(), headers, write(reply.body()));
    }

    static ApiResponse problem(
            ApiRequest request,
            String correlationId,
            int status,
            String title,
            String detail,
            List<org.dmiplatform.api.InputError> errors,
            List<Map.Entry<String, String>> extra) {
        return problem(request, correlationId, status, title, detail, null, errors, extra);
    }

    static ApiResponse problem(
            ApiRequest request,
            String correlationId,
            int status,
            String title,
            String detail,
            String rule,
            List<org.dmiplatform.api.InputError> errors,
            List<Map.Entry<String, String>> extra) {
        List<Map.Entry<String, String>> headers = baseHeaders(request, correlationId);
        headers.addAll(extra);
        headers.add(Map.entry("Content-Type", "application/problem+json; charset=utf-8"));
        Problem problem = Problem.of(status, title, detail, "/api/v1" + request.path(), correlationId, rule, errors);
        return new ApiResponse(status, headers, write(problem));
    }

    private static List<Map.Entry<String, String>> baseHeaders(ApiRequest request, String correlationId) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(SecurityHeaders.all(request.secure()));
        headers.add(Map.entry("Cache-Control", "no-store"));
        headers.add(Map.entry("X-Correlation-Id", correlationId));
        return headers;
    }

    private static byte[] write(Object body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Thrown when a path exists but not for the method used. */
    static final class MethodNotAllowed extends ApiException {
        private static final long serialVersionUID = 1L;

        private final String allow;

        MethodNotAllowed(Set<String> allowed) {
            super(405, "Method not allowed", "allowed: " + String.join(", ", allowed), List.of(), false);
            this.allow = String.join(", ", allowed);
        }

        @Override
        List<Map.Entry<String, String>> headers() {
            return List.of(Map.entry("Allow", allow));
        }
    }

    /** Too many attempts from one address. */
    static final class ThrottledException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long seconds;

        ThrottledException(long seconds) {
            super("Too many log-in attempts from your address; wait " + seconds + " s.");
            this.seconds = seconds;
        }
    }
}
