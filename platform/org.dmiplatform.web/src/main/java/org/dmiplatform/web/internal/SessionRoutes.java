package org.dmiplatform.web.internal;

import java.time.Instant;
import java.util.List;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.access.User;

/** Log-in ({@code POST /session}), who am I ({@code GET}), log-out ({@code DELETE}). */
final class SessionRoutes {
    record LogIn(String username, String password) {}

    /** What the console needs after log-in; the session id itself travels only in the HttpOnly cookie. */
    record SessionView(User user, String csrfToken, long idleTimeoutSeconds, Instant expiresAt) {
        static SessionView of(Session session) {
            return new SessionView(
                    session.user(),
                    session.csrfToken(),
                    Sessions.IDLE_TIMEOUT.toSeconds(),
                    session.startedAt().plus(Sessions.ABSOLUTE_TIMEOUT));
        }
    }

    private final Accounts accounts;
    private final Sessions sessions;
    private final AuditLog audit;
    private final LoginThrottle throttle;

    SessionRoutes(Accounts accounts, Sessions sessions, AuditLog audit, LoginThrottle throttle) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
        this.throttle = throttle;
    }

    List<Route> routes() {
        return List.of(
                Route.csrfExempt("POST", "/session", Guard.PUBLIC, this::logIn),
                Route.of(
                        "GET",
                        "/session",
                        Guard.SIGNED_IN,
                        null,
                        call -> Reply.ok(SessionView.of(call.session.orElseThrow()))),
                Route.of("DELETE", "/session", Guard.SIGNED_IN, null, this::logOut));
    }

    private Reply logIn(Call call) {
        long wait = throttle.attempt(call.request.remoteAddress());
        if (wait > 0) {
            throw new Api.ThrottledException(wait);
        }
        LogIn body = call.body(LogIn.class);
        if (body.username() == null || body.username().isBlank() || body.password() == null) {
            throw ApiException.badRequest(
                    "user name and password are required",
                    List.of(InputError.of(
                            "request body",
                            body.username() == null || body.username().isBlank() ? "username" : "password",
                            "is required")));
        }
        User user = accounts.authenticate(
                body.username().strip(), body.password().toCharArray(), call.request.remoteAddress());
        // a new id at every log-in: whatever session the browser had is gone
        call.session.ifPresent(old -> sessions.close(old.id()));
        Session session = sessions.open(user);
        return Reply.ok(SessionView.of(session))
                .withHeader("Set-Cookie", cookie(session.id(), call.request.secure(), -1));
    }

    private Reply logOut(Call call) {
        Session session = call.session.orElseThrow();
        sessions.close(session.id());
        audit.record(new AuditEvent(
                session.user().username(),
                "",
                "logout",
                "user:" + session.user().id(),
                call.request.remoteAddress(),
                AuditOutcome.SUCCESS,
                ""));
        return Reply.noContent().withHeader("Set-Cookie", cookie("", call.request.secure(), 0));
    }

    static String cookie(String value, boolean secure, int maxAge) {
        return Api.SESSION_COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }
}
